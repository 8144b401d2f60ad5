import {
  type Cluster,
  DEFAULT_NODE_MASTER_KEY,
  type EmulatedNode,
  startCluster,
  startNode,
} from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json } from "../proxy-cluster.js";
import { guardedAdmin, TEST_ADMIN_KEY } from "../test-config.js";
import { eventually, type TopologyAnswer } from "./eventually.js";
import { type SharedProxies, startSharedProxies } from "./shared-proxies.js";
import { openTestRedis } from "./shared-redis.js";

const HEALTH = { interval_ms: 200, timeout_ms: 150, unhealthy_threshold: 2, recovery_threshold: 1 };
const redis = await openTestRedis();
if (redis.unavailable !== "") console.warn(`shared topology suite skipped: ${redis.unavailable}`);

describe.skipIf(redis.url === "")("two proxies sharing one Redis task store", () => {
  let cluster: Cluster;
  let joining: EmulatedNode;
  let shared: SharedProxies | undefined;
  const on = (at: number, path: string, init: RequestInit = {}) =>
    (shared as SharedProxies).on(at, path, init);
  const nodeOf = async (at: number, nodeId: string) => {
    const topology = (await (await on(at, "/_miroir/topology")).json()) as TopologyAnswer;
    return topology.nodes.find((node) => node.id === nodeId);
  };

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2, shards: 8 });
    joining = await startNode({ id: "node-added", masterKey: DEFAULT_NODE_MASTER_KEY });
    shared = await startSharedProxies({
      redisUrl: redis.url,
      config: guardedAdmin({ ...cluster.config, health: HEALTH }),
      headers: { "x-admin-key": TEST_ADMIN_KEY },
    });
  });
  // Closing waits for each proxy's background duties to finish their current run, and the
  // node added by the first test starts a migration (joining nodes receive their shards).
  afterAll(async () => {
    await shared?.close();
    await cluster?.stop();
    await joining?.stop();
    await redis.stop();
  }, 60_000);

  it("sees a node added through the other proxy within a few health intervals, and routes writes to it", async () => {
    const created = await on(1, "/indexes", json({ uid: "shared", primaryKey: "id" }));
    expect(created.status).toBe(202);
    const added = await on(
      0,
      "/_miroir/nodes",
      json({ id: "node-added", address: joining.url, replicaGroup: 0 }),
    );
    expect(added.status).toBe(201);

    const seen = await eventually(
      () => nodeOf(1, "node-added"),
      (node) => node?.state === "joining",
    );
    expect(seen?.state).toBe("joining");

    const documents = Array.from({ length: 40 }, (_, id) => ({ id, title: `shared ${id}` }));
    const written = await on(1, "/indexes/shared/documents", json(documents));
    expect(written.status).toBe(202);
    const held = await eventually(
      async () => {
        const answer = await fetch(`${joining.url}/indexes/shared/documents?limit=0`, {
          headers: { authorization: `Bearer ${DEFAULT_NODE_MASTER_KEY}` },
        });
        return answer.status === 200 ? ((await answer.json()) as { total: number }).total : 0;
      },
      (total) => total > 0,
    );
    expect(held).toBeGreaterThan(0);
  });

  it("sees a node removed through the other proxy, and stops calling it", async () => {
    expect((await on(0, "/_miroir/nodes/node-added", { method: "DELETE" })).status).toBe(200);
    await eventually(
      () => nodeOf(1, "node-added"),
      (node) => node?.state === "removed",
    );
    expect(shared?.proxies[1]?.context.nodes.nodeIds).not.toContain("node-added");
  });
});
