import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

type Answer = Record<string, unknown>;

/** A search answer without what differs between two runs of the same search. */
const sameSearch = ({ processingTimeMs, requestUid, ...answer }: Answer) => answer;

describe("index aliases", () => {
  let env: ProxiedCluster;
  const body = async (response: Response) => (await response.json()) as Answer;
  const write = async (path: string, payload: unknown, method = "POST") => {
    const answer = await env.miroir(path, json(payload, method));
    expect(answer.status).toBe(202);
    const task = await env.waitTask(Number((await body(answer)).taskUid));
    expect(task.status).toBe("succeeded");
  };
  const search = async (path: string, query: Answer) => body(await env.miroir(path, json(query)));

  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 2, shards: 4 });
    for (const uid of ["books-1", "books-2"]) {
      await write("/indexes", { uid, primaryKey: "id" });
      await write(`/indexes/${uid}/settings`, { filterableAttributes: ["gen"] }, "PATCH");
    }
    await write(
      "/indexes/books-1/documents",
      Array.from({ length: 30 }, (_, id) => ({ id, gen: 1, title: `dune ${id}` })),
    );
    await write(
      "/indexes/books-2/documents",
      Array.from({ length: 20 }, (_, id) => ({ id: 100 + id, gen: 2, title: `dune ${id}` })),
    );
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  it("creates, lists, gets, switches and deletes an alias through the admin API", async () => {
    const created = await env.miroir(
      "/_miroir/aliases",
      json({ name: "shelf", indexes: ["books-1"] }),
    );
    expect(created.status).toBe(201);
    expect(await body(created)).toMatchObject({ name: "shelf", indexes: ["books-1"], version: 1 });
    const listed = await body(await env.miroir("/_miroir/aliases"));
    expect(listed).toMatchObject({ total: 1, results: [{ name: "shelf" }] });
    const switched = await env.miroir(
      "/_miroir/aliases/shelf",
      json({ indexes: ["books-2"], expectedVersion: 1 }, "PUT"),
    );
    expect(await body(switched)).toMatchObject({
      indexes: ["books-2"],
      version: 2,
      history: [{ indexes: ["books-1"], version: 1 }],
    });
    const stale = await env.miroir(
      "/_miroir/aliases/shelf",
      json({ indexes: ["books-1"], expectedVersion: 1 }, "PUT"),
    );
    expect(stale.status).toBe(409);
    expect(await body(stale)).toMatchObject({ code: "miroir_alias_conflict" });
    expect((await env.miroir("/_miroir/aliases/shelf", { method: "DELETE" })).status).toBe(204);
    const gone = await env.miroir("/_miroir/aliases/shelf");
    expect(gone.status).toBe(404);
    expect(await body(gone)).toMatchObject({
      code: "miroir_alias_not_found",
      type: "invalid_request",
      link: expect.stringContaining("miroir_alias_not_found"),
    });
  });

  it("refuses an alias named like an index, over a missing index, or over another alias", async () => {
    const overIndex = await env.miroir(
      "/_miroir/aliases",
      json({ name: "books-1", indexes: ["books-2"] }),
    );
    expect(overIndex.status).toBe(409);
    expect(await body(overIndex)).toMatchObject({ code: "miroir_alias_conflict" });
    const missing = await env.miroir("/_miroir/aliases", json({ name: "x", indexes: ["nowhere"] }));
    expect(missing.status).toBe(404);
    expect(await body(missing)).toMatchObject({ code: "index_not_found" });
    await env.miroir("/_miroir/aliases", json({ name: "first", indexes: ["books-1"] }));
    const chained = await env.miroir(
      "/_miroir/aliases",
      json({ name: "second", indexes: ["first"] }),
    );
    expect(chained.status).toBe(400);
    const taken = await env.miroir("/indexes", json({ uid: "first" }));
    expect(taken.status).toBe(409);
    expect(await body(taken)).toMatchObject({ code: "miroir_alias_conflict" });
    await env.miroir("/_miroir/aliases/first", { method: "DELETE" });
  });

  it("serves every index route through an alias of one index, showing the alias as the index", async () => {
    await env.miroir("/_miroir/aliases", json({ name: "catalog", indexes: ["books-1"] }));
    const index = await body(await env.miroir("/indexes/catalog"));
    expect(index).toMatchObject({ uid: "catalog", primaryKey: "id" });
    const accepted = await env.miroir(
      "/indexes/catalog/documents",
      json([{ id: 500, gen: 1, title: "new" }]),
    );
    expect(accepted.status).toBe(202);
    const enqueued = await body(accepted);
    expect(enqueued.indexUid).toBe("catalog");
    expect((await env.waitTask(Number(enqueued.taskUid))).status).toBe("succeeded");
    const direct = await search("/indexes/books-1/search", { q: "dune", limit: 100 });
    const aliased = await search("/indexes/catalog/search", { q: "dune", limit: 100 });
    expect(sameSearch(aliased)).toEqual(sameSearch(direct));
    expect(await body(await env.miroir("/indexes/catalog/documents/500"))).toMatchObject({
      id: 500,
    });
    expect(await body(await env.miroir("/indexes/catalog/stats"))).toMatchObject({
      numberOfDocuments: 31,
    });
    expect(await body(await env.miroir("/indexes/catalog/settings/filterable-attributes"))).toEqual(
      ["gen"],
    );
    const multi = await search("/multi-search", { queries: [{ indexUid: "catalog", q: "new" }] });
    expect((multi.results as Answer[])[0]).toMatchObject({
      indexUid: "catalog",
      estimatedTotalHits: 1,
    });
    const federated = await search("/multi-search", {
      federation: { limit: 5 },
      queries: [{ indexUid: "catalog", q: "dune" }],
    });
    const origins = (federated.hits as Answer[]).map((hit) => (hit._federation as Answer).indexUid);
    expect(origins).toEqual(Array(5).fill("catalog"));
    const missingDoc = await body(await env.miroir("/indexes/catalog/documents/99999"));
    expect(String(missingDoc.message)).not.toContain("books-1");
    await write("/indexes/catalog/documents/delete-batch", [500]);
    // A write retried with its Idempotency-Key after a switch is answered once, as first.
    const retried = () =>
      env.miroir("/indexes/catalog/documents", {
        ...json([{ id: 700, gen: 1, title: "once" }]),
        headers: { "content-type": "application/json", "idempotency-key": "alias-retry-1" },
      });
    const first = await body(await retried());
    await env.miroir("/_miroir/aliases/catalog", json({ indexes: ["books-2"] }, "PUT"));
    const again = await retried();
    expect(again.status).toBe(202);
    expect((await body(again)).taskUid).toBe(first.taskUid);
    await env.waitTask(Number(first.taskUid));
    expect((await env.miroir("/indexes/books-1/documents/700")).status).toBe(200);
    expect((await env.miroir("/indexes/books-2/documents/700")).status).toBe(404);
    await write("/indexes/books-1/documents/delete-batch", [700]);
    await env.miroir("/_miroir/aliases/catalog", { method: "DELETE" });
  });

  it("answers a search through an alias of two indexes as one federated search over both, and refuses writes", async () => {
    await env.miroir(
      "/_miroir/aliases",
      json({ name: "all-books", indexes: ["books-1", "books-2"] }),
    );
    const query = { q: "dune", limit: 15, offset: 5, filter: "gen >= 1", facets: ["gen"] };
    const aliased = await search("/indexes/all-books/search", query);
    const federated = await search("/multi-search", {
      federation: {
        limit: 15,
        offset: 5,
        facetsByIndex: { "books-1": ["gen"], "books-2": ["gen"] },
        mergeFacets: {},
      },
      queries: ["books-1", "books-2"].map((indexUid) => ({
        indexUid,
        q: "dune",
        filter: "gen >= 1",
      })),
    });
    expect(sameSearch(aliased)).toEqual(sameSearch(federated));
    expect(aliased.estimatedTotalHits).toBe(50);
    expect(aliased.facetDistribution).toEqual({ gen: { "1": 30, "2": 20 } });
    const viaGet = await body(
      await env.miroir(
        "/indexes/all-books/search?q=dune&limit=15&offset=5&filter=gen%20%3E%3D%201&facets=gen",
      ),
    );
    expect(sameSearch(viaGet)).toEqual(sameSearch(federated));
    for (const [path, init] of [
      ["/indexes/all-books/documents", json([{ id: 1 }])],
      ["/indexes/all-books/settings", json({ filterableAttributes: [] }, "PATCH")],
      ["/indexes/all-books", { method: "DELETE" }],
      ["/indexes/all-books/documents/1", {}],
    ] as const) {
      const refused = await env.miroir(path, init);
      expect(refused.status).toBe(409);
      expect(await body(refused)).toMatchObject({
        code: "miroir_multi_alias_not_writable",
        type: "invalid_request",
      });
    }
    expect((await body(await env.miroir("/indexes/books-1/stats"))).numberOfDocuments).toBe(30);
    await env.miroir("/_miroir/aliases/all-books", { method: "DELETE" });
  });

  it("never errors nor mixes two indexes' answers while the alias switches under load", async () => {
    await env.miroir("/_miroir/aliases", json({ name: "live", indexes: ["books-1"] }));
    let switching = true;
    const answers: Answer[] = [];
    const statuses: number[] = [];
    const searcher = async () => {
      for (let round = 0; round < 400 && switching; round++) {
        const answer = await env.miroir(
          "/indexes/live/search",
          json({ q: "dune", limit: 100, facets: ["gen"] }),
        );
        statuses.push(answer.status);
        answers.push(await body(answer));
      }
    };
    const searchers = [searcher(), searcher(), searcher()];
    for (let flip = 0; flip < 20; flip++) {
      const next = flip % 2 === 0 ? "books-2" : "books-1";
      const switched = await env.miroir("/_miroir/aliases/live", json({ indexes: [next] }, "PUT"));
      expect(switched.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    switching = false;
    await Promise.all(searchers);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const generations = new Set<string>();
    for (const answer of answers) {
      const gens = new Set((answer.hits as Answer[]).map((hit) => hit.gen));
      expect(gens.size).toBe(1);
      const gen = [...gens][0];
      expect(answer.estimatedTotalHits).toBe(gen === 1 ? 30 : 20);
      expect((answer.hits as Answer[]).length).toBe(gen === 1 ? 30 : 20);
      generations.add(String(gen));
    }
    expect(generations).toEqual(new Set(["1", "2"]));
    await env.miroir("/_miroir/aliases/live", { method: "DELETE" });
  }, 60_000);
});
