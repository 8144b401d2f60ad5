import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProxiedCluster } from "../proxy-cluster.js";
import { startLoadedCluster } from "./loaded-cluster.js";

const COUNT = 700;

describe.each([
  ["RF=1, 3 nodes, S=64", { nodes: 3, shards: 64, rf: 1 }],
  ["RF=1, 2 groups × 2 nodes, S=16", { nodes: 4, groups: 2, shards: 16, rf: 1 }],
  ["RF=3, 3 nodes, S=8", { nodes: 3, shards: 8, rf: 3 }],
])("stats with %s", (_name, options) => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startLoadedCluster(options, COUNT);
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  it("count every document exactly once, in index and global stats, on every query group", async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const stats = (await (await env.miroir("/indexes/books/stats")).json()) as Record<
        string,
        unknown
      >;
      expect(stats).toMatchObject({
        numberOfDocuments: COUNT,
        isIndexing: false,
        fieldDistribution: { genre: COUNT, id: COUNT, title: COUNT, year: COUNT },
      });
      expect(stats.avgDocumentSize).toBeGreaterThan(0);
      const global = (await (await env.miroir("/stats")).json()) as {
        indexes: Record<string, { numberOfDocuments: number }>;
      };
      expect(Object.keys(global.indexes)).toEqual(["books"]);
      expect(global.indexes.books?.numberOfDocuments).toBe(COUNT);
    }
  });
});
