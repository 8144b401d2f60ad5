import { shardOf } from "@miroir/router";
import { DEFAULT_NODE_MASTER_KEY, type EmulatedNode, startNode } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { eventually, type ShardsAnswer, type TopologyAnswer } from "./eventually.js";

const SHARDS = 8;
const HEALTH = { interval_ms: 200, timeout_ms: 150, unhealthy_threshold: 2, recovery_threshold: 1 };
// These tests pin what a joining node gets before any data moves: no migration runs.
const REBALANCER = { enabled: false };

describe("a node added at run time", () => {
  let env: ProxiedCluster;
  let joining: EmulatedNode;

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 2, shards: SHARDS },
      { health: HEALTH, rebalancer: REBALANCER },
    );
    joining = await startNode({ id: "node-added", masterKey: DEFAULT_NODE_MASTER_KEY });
  });
  afterAll(async () => {
    await env?.stop();
    await joining?.stop();
  });

  // Real nodes index more slowly than emulated ones: a longer bound than vitest's 5 s.
  it("receives, as soon as it joins, the writes of the shards it will own, and the task completes", {
    timeout: 30_000,
  }, async () => {
    const created = await env.miroir("/indexes", json({ uid: "books", primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);

    const added = await env.miroir(
      "/_miroir/nodes",
      json({ id: "node-added", address: joining.url, replicaGroup: 0 }),
    );
    expect(added.status).toBe(201);

    const documents = Array.from({ length: 60 }, (_, id) => ({ id, title: `book ${id}` }));
    const written = await env.miroir("/indexes/books/documents", json(documents));
    expect(written.status).toBe(202);
    const task = await env.waitTask(((await written.json()) as { taskUid: number }).taskUid);
    expect(task.status).toBe("succeeded");

    const shards = (await (await env.miroir("/_miroir/shards")).json()) as ShardsAnswer;
    const willOwn = new Set(
      shards.shards
        .filter((row) => row.groups.some((group) => group.targetNodes.includes("node-added")))
        .map((row) => row.shard),
    );
    expect(willOwn.size).toBeGreaterThan(0);
    const expected = documents
      .filter((document) => willOwn.has(shardOf(String(document.id), SHARDS)))
      .map((document) => document.id);
    const held = await eventually(
      async () => {
        const answer = await fetch(`${joining.url}/indexes/books/documents?limit=1000`, {
          headers: { authorization: `Bearer ${DEFAULT_NODE_MASTER_KEY}` },
        });
        if (answer.status !== 200) return [];
        const page = (await answer.json()) as { results: { id: number }[] };
        return page.results.map((document) => document.id).sort((a, b) => a - b);
      },
      (ids) => ids.length === expected.length,
    );
    expect(held).toEqual(expected);
  });

  it("gets every index with its settings, so a settings change after the join applies everywhere", async () => {
    const settingsOf = async () => {
      const answer = await fetch(`${joining.url}/indexes/books/settings`, {
        headers: { authorization: `Bearer ${DEFAULT_NODE_MASTER_KEY}` },
      });
      return answer.status === 200
        ? ((await answer.json()) as { filterableAttributes: string[] })
        : undefined;
    };
    await eventually(
      settingsOf,
      (settings) => settings?.filterableAttributes.includes("_miroir_shard") === true,
    );
    const changed = await env.miroir(
      "/indexes/books/settings",
      json({ filterableAttributes: ["title"] }, "PATCH"),
    );
    const task = await env.waitTask(((await changed.json()) as { taskUid: number }).taskUid);
    expect(task.status).toBe("succeeded");
    expect((await settingsOf())?.filterableAttributes.sort()).toEqual(["_miroir_shard", "title"]);
  }, 30_000);

  it("is probed by the health checker like a configured node", async () => {
    const topology = await eventually(
      async () => (await (await env.miroir("/_miroir/topology")).json()) as TopologyAnswer,
      (answer) => answer.nodes.find((node) => node.id === "node-added")?.health === "healthy",
    );
    expect(topology.nodes.find((node) => node.id === "node-added")?.state).toBe("joining");
  });

  it("is asked like every node by the reads that ask every node, and forgotten once removed", async () => {
    const answer = await env.miroir("/indexes");
    expect(answer.status).toBe(200);
    expect(env.proxy.context.nodes.nodeIds).toContain("node-added");

    expect((await env.miroir("/_miroir/nodes/node-added", { method: "DELETE" })).status).toBe(200);
    expect(env.proxy.context.nodes.nodeIds).not.toContain("node-added");
    const later = await env.miroir("/indexes/books/documents", json([{ id: 1000, title: "late" }]));
    expect(later.status).toBe(202);
    const task = await env.waitTask(((await later.json()) as { taskUid: number }).taskUid);
    expect(task.status).toBe("succeeded");
    expect((await env.miroir("/indexes")).status).toBe(200);
  });
});

describe("a node added at run time to a cluster with keys", () => {
  const MASTER = "runtime-nodes-master-key-0123456789";
  const master = (init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { ...(init.headers ?? {}), authorization: `Bearer ${MASTER}` },
  });
  let env: ProxiedCluster;
  let joining: EmulatedNode;

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 2, shards: 8 },
      { master_key: MASTER, health: HEALTH, rebalancer: REBALANCER },
    );
    joining = await startNode({ id: "node-keys", masterKey: DEFAULT_NODE_MASTER_KEY });
  });
  afterAll(async () => {
    await env?.stop();
    await joining?.stop();
  });

  it("gets the keys created before it joined, so keys can still be changed through Miroir", async () => {
    const created = await env.miroir(
      "/keys",
      master(json({ actions: ["search"], indexes: ["*"], expiresAt: null, name: "before" })),
    );
    expect(created.status).toBe(201);
    const key = (await created.json()) as { uid: string; key: string };

    const added = await env.miroir(
      "/_miroir/nodes",
      master(json({ id: "node-keys", address: joining.url, replicaGroup: 0 })),
    );
    expect(added.status).toBe(201);
    const copied = await eventually(
      async () =>
        (
          await fetch(`${joining.url}/keys/${key.uid}`, {
            headers: { authorization: `Bearer ${DEFAULT_NODE_MASTER_KEY}` },
          })
        ).json() as Promise<{ key?: string }>,
      (answer) => answer.key !== undefined,
    );
    expect(copied.key).toBe(key.key);

    const renamed = await env.miroir(`/keys/${key.uid}`, master(json({ name: "after" }, "PATCH")));
    expect(renamed.status).toBe(200);
    expect(((await renamed.json()) as { name: string }).name).toBe("after");
  });
});
