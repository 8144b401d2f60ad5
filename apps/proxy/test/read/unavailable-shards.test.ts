import { parseConfig } from "@miroir/config";
import { shardOf, shardRoute, topologyFromConfig } from "@miroir/router";
import { isRealMode } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../../src/index.js";
import { json, type ProxiedCluster } from "../proxy-cluster.js";
import { guardedAdmin } from "../test-config.js";
import { type Book, search, startLoadedCluster } from "./loaded-cluster.js";

const COUNT = 400;

/** A node answering an error is an emulated-only fault; its real twin is a refused link. */
const emulatedOnly = describe.skipIf(isRealMode());

/** The shards whose only replica in group 0 is `nodeId` (RF 1: the shards it holds). */
function shardsOf(env: ProxiedCluster, nodeId: string): number[] {
  const topology = topologyFromConfig(env.proxy.context.config.nodes, env.proxy.context.config);
  return Array.from({ length: topology.shards }, (_, shard) => shard).filter((shard) =>
    shardRoute(topology, shard).serving[0]?.includes(nodeId),
  );
}

describe("a node down", () => {
  describe("with RF=2", () => {
    let env: ProxiedCluster;
    beforeAll(async () => {
      env = await startLoadedCluster({ nodes: 4, shards: 16, rf: 2 }, COUNT);
      await env.cluster.nodes[1]?.control?.kill();
    }, 60_000);
    afterAll(async () => {
      await env?.stop();
    });

    it("keeps every search complete and says nothing is degraded", async () => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const answer = await search(env, { q: "", limit: COUNT, sort: ["year:asc"] });
        expect(answer.status).toBe(200);
        expect(answer.degraded).toBeNull();
        expect(answer.body.estimatedTotalHits).toBe(COUNT);
        const ids = (answer.body.hits as Book[]).map((hit) => hit.id).sort((a, b) => a - b);
        expect(ids).toEqual(Array.from({ length: COUNT }, (_, id) => id));
      }
    });

    it("still counts every document exactly", async () => {
      const stats = (await (await env.miroir("/indexes/books/stats")).json()) as {
        numberOfDocuments: number;
      };
      expect(stats.numberOfDocuments).toBe(COUNT);
    });
  });

  emulatedOnly("with RF=2, a node answering 5xx", () => {
    let env: ProxiedCluster;
    beforeAll(async () => {
      env = await startLoadedCluster({ nodes: 4, shards: 16, rf: 2 }, COUNT);
    }, 60_000);
    afterAll(async () => {
      await env?.stop();
    });

    it("has its shards retried of a node that answers 5xx on their other replica", async () => {
      const failing = env.cluster.nodes[2]?.control;
      failing?.failNext("/indexes/books/search", 503, 1);
      failing?.failNext("/multi-search", 503, 1);
      const answer = await search(env, { q: "", limit: COUNT });
      expect(answer.status).toBe(200);
      expect(answer.degraded).toBeNull();
      expect((answer.body.hits as Book[]).length).toBe(COUNT);
      const stats = (await (await env.miroir("/indexes/books/stats")).json()) as {
        numberOfDocuments: number;
      };
      expect(stats.numberOfDocuments).toBe(COUNT);
    });
  });

  describe("with RF=2, a node whose connections are refused (a real node's twin of a 5xx)", () => {
    let env: ProxiedCluster;
    beforeAll(async () => {
      env = await startLoadedCluster({ nodes: 4, shards: 16, rf: 2, relay: true }, COUNT);
    }, 60_000);
    afterAll(async () => {
      await env?.stop();
    });

    it("has its shards read from their other replica", async () => {
      const relay = env.cluster.nodes[2]?.relay;
      if (relay === undefined) throw new Error("node-2 has no relay");
      await relay.refuse();
      try {
        const answer = await search(env, { q: "", limit: COUNT });
        expect(answer.status).toBe(200);
        expect(answer.degraded).toBeNull();
        expect((answer.body.hits as Book[]).length).toBe(COUNT);
        const stats = (await (await env.miroir("/indexes/books/stats")).json()) as {
          numberOfDocuments: number;
        };
        expect(stats.numberOfDocuments).toBe(COUNT);
      } finally {
        await relay.heal();
      }
    });
  });

  describe("with RF=1 in two replica groups", () => {
    let env: ProxiedCluster;
    beforeAll(async () => {
      env = await startLoadedCluster({ nodes: 4, groups: 2, shards: 16, rf: 1 }, COUNT);
      await env.cluster.nodes[0]?.control?.kill();
    }, 60_000);
    afterAll(async () => {
      await env?.stop();
    });

    it("answers the lost node's shards from the other group: complete, nothing degraded", async () => {
      for (let attempt = 0; attempt < 6; attempt++) {
        const answer = await search(env, { q: "", limit: COUNT, facets: ["genre"] });
        expect(answer.status).toBe(200);
        expect(answer.degraded).toBeNull();
        expect((answer.body.hits as Book[]).length).toBe(COUNT);
        expect(answer.body.facetDistribution).toEqual({
          genre: { fantasy: COUNT / 4, history: COUNT / 4, poetry: COUNT / 4, science: COUNT / 4 },
        });
      }
    });
  });

  describe("with RF=1", () => {
    let env: ProxiedCluster;
    let strict: RunningProxy;
    let strictUrl: string;
    let lost: number[];
    beforeAll(async () => {
      env = await startLoadedCluster({ nodes: 3, shards: 16, rf: 1 }, COUNT);
      strict = await createProxy(
        parseConfig({
          ...guardedAdmin(env.cluster.config),
          server: { host: "127.0.0.1", log_level: "silent" },
          scatter: { unavailable_shard_policy: "error" },
        }),
      );
      strictUrl = (await strict.listen(0)).url;
      lost = shardsOf(env, "node-2");
      await env.cluster.nodes[2]?.control?.kill();
    }, 60_000);
    afterAll(async () => {
      await strict?.close();
      await env?.stop();
    });

    it("answers 200 with the documents of the other shards and lists exactly the lost shards (policy partial)", async () => {
      expect(lost.length).toBeGreaterThan(0);
      const answer = await search(env, { q: "", limit: COUNT });
      expect(answer.status).toBe(200);
      expect(answer.degraded).toBe(`shards=${lost.join(",")}`);
      const hits = answer.body.hits as Book[];
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.length).toBeLessThan(COUNT);
      expect(answer.body.estimatedTotalHits).toBe(hits.length);
    });

    it("answers 503 miroir_shard_unavailable under policy error", async () => {
      const response = await fetch(`${strictUrl}/indexes/books/search`, json({ q: "moon" }));
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("10");
      expect(await response.json()).toMatchObject({
        code: "miroir_shard_unavailable",
        type: "system",
      });
    });

    it("still answers a search pinned to a primary key on a shard that lives", async () => {
      const alive = Array.from({ length: COUNT }, (_, id) => id).find(
        (id) => !lost.includes(shardOf(id, 16)),
      ) as number;
      const response = await fetch(
        `${strictUrl}/indexes/books/search`,
        json({ filter: `id = ${alive}` }),
      );
      expect(response.status).toBe(200);
      expect(response.headers.get("x-miroir-degraded")).toBeNull();
      const body = (await response.json()) as { hits: Book[]; estimatedTotalHits: number };
      expect(body.hits.map((hit) => hit.id)).toEqual([alive]);
      expect(body.estimatedTotalHits).toBe(1);
    });

    it("answers a document of a lost shard with 503, never 404", async () => {
      const gone = Array.from({ length: COUNT }, (_, id) => id).find((id) =>
        lost.includes(shardOf(id, 16)),
      ) as number;
      const response = await env.miroir(`/indexes/books/documents/${gone}`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ code: "miroir_shard_unavailable" });
    });
  });
});

describe("a node slower than the scatter timeout", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    // Behind relays, so a real node can be slowed down too.
    env = await startLoadedCluster({ nodes: 4, shards: 16, rf: 2, relay: true }, COUNT, {
      scatter: { node_timeout_ms: 300 },
    });
    env.cluster.nodes[0]?.control?.delay(4_000);
  }, 60_000);
  afterAll(async () => {
    env?.cluster.nodes[0]?.control?.delay(0);
    await env?.stop();
  });

  it("is replaced by the other replica: the answer is complete and comes back well before the slow node would", async () => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const started = Date.now();
      const answer = await search(env, { q: "", limit: COUNT });
      expect(answer.status).toBe(200);
      expect(answer.degraded).toBeNull();
      expect((answer.body.hits as Book[]).length).toBe(COUNT);
      expect(Date.now() - started).toBeLessThan(3_500);
    }
  });
});

describe("every node down", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startLoadedCluster({ nodes: 2, shards: 8, rf: 1 }, 50);
    await Promise.all(env.cluster.nodes.map((node) => node.control?.kill()));
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  it("answers every read with 503 miroir_shard_unavailable", async () => {
    for (const [path, init] of [
      ["/indexes/books/search", json({ q: "moon" })],
      ["/multi-search", json({ queries: [{ indexUid: "books" }] })],
      ["/indexes/books/documents", undefined],
      ["/indexes/books/documents/3", undefined],
      ["/indexes/books/stats", undefined],
      ["/stats", undefined],
    ] as const) {
      const response = await env.miroir(path, init);
      expect(response.status, path).toBe(503);
      expect(await response.json()).toMatchObject({ code: "miroir_shard_unavailable" });
    }
  });
});
