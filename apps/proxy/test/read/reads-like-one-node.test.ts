import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SingleNode, startSingleNode } from "../equivalence/single-node.js";
import { json, type ProxiedCluster } from "../proxy-cluster.js";
import { type Book, books, search, startLoadedCluster } from "./loaded-cluster.js";

const COUNT = 600;
const SETTINGS = {
  filterableAttributes: ["id", "genre", "year"],
  sortableAttributes: ["year", "title"],
};

let env: ProxiedCluster;
let single: SingleNode;

beforeAll(async () => {
  [env, single] = await Promise.all([
    startLoadedCluster({ nodes: 4, shards: 16, rf: 2 }, COUNT),
    startSingleNode(),
  ]);
  await single.load("books", books(COUNT), SETTINGS);
}, 60_000);

afterAll(async () => {
  await env?.stop();
  await single?.stop();
});

async function miroirJson(path: string, init?: RequestInit) {
  const response = await env.miroir(path, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function singleRaw(path: string, init: RequestInit = {}) {
  const response = await fetch(`${single.url}${path}`, {
    ...init,
    headers: { ...single.headers, ...(init.headers ?? {}) },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("search", () => {
  it("answers a GET search exactly like the same POST search", async () => {
    const get = await miroirJson(
      "/indexes/books/search?q=moon&limit=7&offset=3&sort=year:desc,title:asc&filter=genre%20%3D%20fantasy&facets=genre,year&attributesToRetrieve=id,title",
    );
    const post = await search(env, {
      q: "moon",
      limit: 7,
      offset: 3,
      sort: ["year:desc", "title:asc"],
      filter: "genre = fantasy",
      facets: ["genre", "year"],
      attributesToRetrieve: ["id", "title"],
    });
    expect(get.status).toBe(200);
    // Every answer has its own requestUid, as on a node.
    const { processingTimeMs: _a, requestUid: _c, ...getBody } = get.body;
    const { processingTimeMs: _b, requestUid: _d, ...postBody } = post.body;
    expect(getBody).toEqual(postBody);
    expect((getBody.hits as Book[]).length).toBe(7);
  });

  it.each([
    ["an invalid filter", { filter: "genre = " }],
    ["an unknown sort attribute", { sort: ["pages:asc"] }],
    ["a negative limit", { limit: -1 }],
    ["a limit of the wrong type", { limit: "ten" }],
    ["an unknown parameter", { colour: "red" }],
    ["a filter on an attribute that is not filterable", { filter: "title = moon" }],
  ])("answers %s once, with the single node's status, code and message", async (_name, body) => {
    const miroir = await miroirJson("/indexes/books/search", json(body));
    const expected = await singleRaw("/indexes/books/search", json(body));
    expect(expected.status).toBe(400);
    expect(miroir).toEqual(expected);
  });

  it("answers a GET search with a bad parameter exactly like the single node", async () => {
    const path = "/indexes/books/search?q=moon&limit=ten";
    expect(await miroirJson(path)).toEqual(await singleRaw(path));
  });

  it("answers index_not_found for an index that does not exist", async () => {
    const path = "/indexes/nothing/search";
    const miroir = await miroirJson(path, json({ q: "x" }));
    expect(miroir.status).toBe(404);
    expect(miroir).toEqual(await singleRaw(path, json({ q: "x" })));
  });

  it("answers a multi-search error with the single node's words", async () => {
    const body = {
      queries: [
        { indexUid: "books", q: "moon" },
        { indexUid: "nothing", q: "x" },
      ],
    };
    const miroir = await miroirJson("/multi-search", json(body));
    expect(miroir.status).toBe(400);
    expect(miroir).toEqual(await singleRaw("/multi-search", json(body)));
  });
});

describe("facet search", () => {
  it("sums the counts of every shard like one node", async () => {
    for (const body of [
      { facetName: "genre" },
      { facetName: "genre", facetQuery: "po" },
      { facetName: "year", filter: "genre = history" },
      { facetName: "genre", q: "moon" },
    ]) {
      const miroir = await miroirJson("/indexes/books/facet-search", json(body));
      const expected = await singleRaw("/indexes/books/facet-search", json(body));
      expect(miroir.status).toBe(200);
      const { processingTimeMs: _a, ...got } = miroir.body;
      const { processingTimeMs: _b, ...want } = expected.body;
      expect(got).toEqual(want);
    }
  });
});

describe("documents", () => {
  it("gets one document from its shard, without Miroir's fields", async () => {
    const found = await miroirJson("/indexes/books/documents/42");
    expect(found).toEqual({ status: 200, body: books(COUNT)[42] });
    const some = await miroirJson("/indexes/books/documents/42?fields=title");
    expect(some.body).toEqual({ title: books(COUNT)[42]?.title });
  });

  it("answers document_not_found exactly like one node", async () => {
    const path = "/indexes/books/documents/100000";
    const miroir = await miroirJson(path);
    expect(miroir.status).toBe(404);
    expect(miroir).toEqual(await singleRaw(path));
  });

  it("lists every document once with the exact total under RF=2, without Miroir's fields", async () => {
    const listing = await miroirJson("/indexes/books/documents?limit=1000");
    expect(listing.body).toMatchObject({ offset: 0, limit: 1000, total: COUNT });
    const results = listing.body.results as Book[];
    expect(results.map((book) => book.id).sort((a, b) => a - b)).toEqual(
      Array.from({ length: COUNT }, (_, id) => id),
    );
    expect([...results].sort((a, b) => a.id - b.id)).toEqual(books(COUNT));
  });

  it("pages through the documents with no duplicate and no gap, whichever replica answers", async () => {
    const whole = (
      (await miroirJson("/indexes/books/documents?limit=1000")).body.results as Book[]
    ).map((book) => book.id);
    const paged: number[] = [];
    for (let offset = 0; offset < COUNT; offset += 37) {
      const page = await miroirJson(
        `/indexes/books/documents?offset=${offset}&limit=37&fields=title,id`,
      );
      expect(page.body).toMatchObject({ offset, limit: 37, total: COUNT });
      paged.push(...(page.body.results as Book[]).map((book) => book.id));
    }
    expect(paged).toEqual(whole);
    const fetched: number[] = [];
    for (let offset = 0; offset < 200; offset += 50) {
      const page = await miroirJson(
        "/indexes/books/documents/fetch",
        json({ offset, limit: 50, filter: "genre = history", fields: ["id"] }),
      );
      expect(page.body.total).toBe(COUNT / 4);
      fetched.push(...(page.body.results as Book[]).map((book) => book.id));
    }
    expect(fetched.sort((a, b) => a - b)).toEqual(
      Array.from({ length: COUNT }, (_, id) => id).filter((id) => id % 4 === 2),
    );
  });

  it("answers a window past the end with no documents and the total", async () => {
    const past = await miroirJson("/indexes/books/documents?offset=5000&limit=5");
    expect(past.body).toEqual({ results: [], offset: 5000, limit: 5, total: COUNT });
  });

  it("fetches by filter and by ids like one node", async () => {
    const byFilter = await miroirJson(
      "/indexes/books/documents/fetch",
      json({ filter: "genre = poetry AND year > 1950", limit: 1000 }),
    );
    const expected = await singleRaw(
      "/indexes/books/documents/fetch",
      json({ filter: "genre = poetry AND year > 1950", limit: 1000 }),
    );
    expect(byFilter.body.total).toBe(expected.body.total);
    const ids = (answer: Record<string, unknown>) =>
      (answer.results as Book[]).map((book) => book.id).sort((a, b) => a - b);
    expect(ids(byFilter.body)).toEqual(ids(expected.body));

    const byIds = await miroirJson(
      "/indexes/books/documents/fetch",
      json({ ids: ["5", "77", "301", "9999"], fields: ["title"] }),
    );
    expect(byIds.body).toEqual({
      results: [5, 77, 301].map((id) => ({ title: books(COUNT)[id]?.title })),
      offset: 0,
      limit: 20,
      total: 3,
    });
  });

  it("answers a bad documents request with the single node's error", async () => {
    const body = { filter: "genre =", limit: 3 };
    const miroir = await miroirJson("/indexes/books/documents/fetch", json(body));
    expect(miroir.status).toBe(400);
    expect(miroir).toEqual(await singleRaw("/indexes/books/documents/fetch", json(body)));
    const path = "/indexes/books/documents?limit=many";
    expect(await miroirJson(path)).toEqual(await singleRaw(path));
  });
});

describe("stats", () => {
  it("counts every document once with RF=2 and hides Miroir's fields", async () => {
    const stats = await miroirJson("/indexes/books/stats");
    expect(stats.body).toMatchObject({
      numberOfDocuments: COUNT,
      isIndexing: false,
      fieldDistribution: { genre: COUNT, id: COUNT, title: COUNT, year: COUNT },
    });
    expect(Object.keys(stats.body.fieldDistribution as object)).toEqual([
      "genre",
      "id",
      "title",
      "year",
    ]);
    const global = await miroirJson("/stats");
    expect((global.body.indexes as Record<string, unknown>).books).toEqual(stats.body);
    expect(typeof global.body.databaseSize).toBe("number");
  });

  it("answers index_not_found like one node", async () => {
    const miroir = await miroirJson("/indexes/nothing/stats");
    expect(miroir).toEqual(await singleRaw("/indexes/nothing/stats"));
  });
});
