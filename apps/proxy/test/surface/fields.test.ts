import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

interface FieldsPage {
  results: { name: string; filterable: { enabled: boolean } }[];
  offset: number;
  limit: number;
  total: number;
}

describe("POST /indexes/{uid}/fields over a sharded index", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, groups: 1, rf: 1, shards: 8 });
    const documents = Array.from({ length: 30 }, (_, id) => ({ id, title: `t${id}` }));
    documents.push({ id: 100, title: "rare", rare: true } as never);
    const added = await env.miroir("/indexes/fielded/documents?primaryKey=id", json(documents));
    await env.waitTask(((await added.json()) as { taskUid: number }).taskUid);
    const settings = await env.miroir(
      "/indexes/fielded/settings",
      json({ filterableAttributes: ["title"] }, "PATCH"),
    );
    await env.waitTask(((await settings.json()) as { taskUid: number }).taskUid);
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function fields(body: unknown): Promise<FieldsPage> {
    const answer = await env.miroir("/indexes/fielded/fields", json(body));
    expect(answer.status).toBe(200);
    return (await answer.json()) as FieldsPage;
  }

  it("lists a field that only one shard's documents have, and never _miroir_shard", async () => {
    const holders = await Promise.all(
      env.cluster.nodes.map(async (node) => {
        const answer = await env.node(node.id, "/indexes/fielded/fields", json({}));
        const page = (await answer.json()) as FieldsPage;
        return page.results.some((field) => field.name === "rare");
      }),
    );
    expect(holders.filter(Boolean)).toHaveLength(1);
    const page = await fields({});
    expect(page.results.map((field) => field.name)).toEqual(["id", "rare", "title"]);
    expect(page).toMatchObject({ offset: 0, limit: 20, total: 3 });
  });

  it("applies the filter on every node and paginates after merging", async () => {
    const filterable = await fields({ filter: { filterable: true } });
    expect(filterable.results.map((field) => field.name)).toEqual(["title"]);
    const second = await fields({ offset: 1, limit: 1 });
    expect(second.results.map((field) => field.name)).toEqual(["rare"]);
    expect(second.total).toBe(3);
  });

  it("answers the nodes' errors: unknown index, bad filter", async () => {
    const missing = await env.miroir("/indexes/nowhere/fields", json({}));
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe("index_not_found");
    const bad = await env.miroir("/indexes/fielded/fields", json({ filter: { sortable: 1 } }));
    expect(((await bad.json()) as { code: string }).code).toBe(
      "invalid_index_fields_filter_sortable",
    );
  });
});
