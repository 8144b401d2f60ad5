import { shardOf, topologyFromConfig, writeTargets } from "@miroir/router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "./proxy-cluster.js";

interface StoredDocument {
  id: number;
  _miroir_shard: number;
}

async function documentsOn(
  env: ProxiedCluster,
  nodeId: string,
  index: string,
): Promise<StoredDocument[]> {
  const answer = await env.node(nodeId, `/indexes/${index}/documents?limit=100000`);
  if (answer.status === 404) return [];
  return ((await answer.json()) as { results: StoredDocument[] }).results;
}

describe("documents written through Miroir", () => {
  describe("3 nodes, 16 shards, RF 1", () => {
    let env: ProxiedCluster;
    beforeAll(async () => {
      env = await startProxiedCluster({ nodes: 3, shards: 16 });
    });
    afterAll(async () => {
      await env?.stop();
    });

    it("land each on the node the router assigns its shard, spread over every node", async () => {
      const documents = Array.from({ length: 1000 }, (_, id) => ({ id, title: `movie ${id}` }));
      const answer = await env.miroir("/indexes/movies/documents", json(documents));
      expect(answer.status).toBe(202);
      const enqueued = (await answer.json()) as { taskUid: number; type: string };
      expect(enqueued.type).toBe("documentAdditionOrUpdate");
      const task = await env.waitTask(enqueued.taskUid);
      expect(task).toMatchObject({
        status: "succeeded",
        details: { receivedDocuments: 1000, indexedDocuments: 1000 },
      });

      const topology = topologyFromConfig(env.proxy.context.config.nodes, env.proxy.context.config);
      const seen = new Set<number>();
      for (const node of env.cluster.nodes) {
        const stored = await documentsOn(env, node.id, "movies");
        expect(stored.length).toBeGreaterThan(0);
        for (const document of stored) {
          const shard = shardOf(document.id, 16);
          expect(document._miroir_shard).toBe(shard);
          expect(writeTargets(shard, topology)).toEqual([node.id]);
          seen.add(document.id);
        }
      }
      expect(seen.size).toBe(1000);

      for (const id of [0, 1, 499, 999]) {
        const [owner] = writeTargets(shardOf(id, 16), topology);
        const direct = await env.node(owner as string, `/indexes/movies/documents/${id}`);
        expect(direct.status).toBe(200);
        expect(await direct.json()).toMatchObject({ id, title: `movie ${id}` });
      }
    });

    it("makes _miroir_shard filterable on every node of an index created by a write", async () => {
      for (const node of env.cluster.nodes) {
        const answer = await env.node(node.id, "/indexes/movies/settings/filterable-attributes");
        expect(await answer.json()).toContain("_miroir_shard");
      }
    });
    it("keeps the inferred primary key: a later batch naming another fails like on one node", async () => {
      const answer = await env.miroir(
        "/indexes/movies/documents?primaryKey=title",
        json([{ id: 5000, title: "x" }]),
      );
      const task = await env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
      expect(task).toMatchObject({
        status: "failed",
        error: { code: "index_primary_key_already_exists" },
      });
    });

    it("writes CSV with its delimiter and typed columns, the shard and version stored as numbers", async () => {
      const csv = 'sku;price:number;name\n"a-1";10;"one; two"\nb-2;20;three\n';
      const answer = await env.miroir("/indexes/csv/documents?primaryKey=sku&csvDelimiter=%3B", {
        method: "POST",
        headers: { "content-type": "text/csv; charset=utf-8" },
        body: csv,
      });
      expect(answer.status).toBe(202);
      const task = await env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
      expect(task).toMatchObject({ status: "succeeded", details: { receivedDocuments: 2 } });
      const topology = topologyFromConfig(env.proxy.context.config.nodes, env.proxy.context.config);
      const [owner] = writeTargets(shardOf("a-1", 16), topology);
      const stored = (await (
        await env.node(owner as string, "/indexes/csv/documents/a-1")
      ).json()) as Record<string, unknown>;
      expect(stored).toEqual({
        sku: "a-1",
        price: 10,
        name: "one; two",
        _miroir_shard: shardOf("a-1", 16),
        _miroir_updated_at: stored._miroir_updated_at,
      });
      expect(String(stored._miroir_updated_at)).toMatch(/^[1-9]\d{15}$/);
    });
  });

  describe("2 groups × RF 2 (8 nodes)", () => {
    let env: ProxiedCluster;
    beforeAll(async () => {
      env = await startProxiedCluster({ nodes: 8, groups: 2, rf: 2, shards: 16 });
    });
    afterAll(async () => {
      await env?.stop();
    });

    it("stores every document on exactly RG × RF nodes", async () => {
      const lines = Array.from({ length: 300 }, (_, id) => JSON.stringify({ sku: `p-${id}` }));
      const answer = await env.miroir("/indexes/products/documents?primaryKey=sku", {
        method: "POST",
        headers: { "content-type": "application/x-ndjson" },
        body: lines.join("\n"),
      });
      expect(answer.status).toBe(202);
      const task = await env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
      expect(task.status).toBe("succeeded");
      const copies = new Map<string, number>();
      for (const node of env.cluster.nodes) {
        const answer = await env.node(node.id, "/indexes/products/documents?limit=100000");
        const stored = ((await answer.json()) as { results: { sku: string }[] }).results;
        for (const document of stored) {
          copies.set(document.sku, (copies.get(document.sku) ?? 0) + 1);
        }
      }
      expect(copies.size).toBe(300);
      expect([...copies.values()].every((count) => count === 4)).toBe(true);
    });
  });
});
