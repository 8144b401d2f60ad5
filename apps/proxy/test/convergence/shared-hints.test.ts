import {
  type Cluster,
  DEFAULT_NODE_MASTER_KEY,
  type NodeControl,
  startCluster,
} from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, healthOf } from "../cluster-ops/eventually.js";
import { type SharedProxies, startSharedProxies } from "../cluster-ops/shared-proxies.js";
import { openTestRedis } from "../cluster-ops/shared-redis.js";
import { json } from "../proxy-cluster.js";
import { entriesOf, type RepairStatusAnswer, replicaState } from "./replica-state.js";

const MASTER_KEY = "hints-master-key-0123456789";
const ADMIN_KEY = "hints-admin-key-0123456789";
const INDEX = "shared";
/** Write requests each proxy makes while node-2 is down. */
const WRITES_PER_PROXY = 6;
const redis = await openTestRedis();
if (redis.unavailable !== "") console.warn(`shared hints suite skipped: ${redis.unavailable}`);

describe.skipIf(redis.url === "")("hints of two proxies sharing one task store", () => {
  let cluster: Cluster;
  let shared: SharedProxies | undefined;
  const on = (at: number, path: string, init: RequestInit = {}) =>
    (shared as SharedProxies).on(at, path, init);
  const accepted = async (at: number, answer: Response) => {
    expect(answer.status).toBe(202);
    const { taskUid } = (await answer.json()) as { taskUid: number };
    return eventually(
      async () => (await (await on(at, `/tasks/${taskUid}`)).json()) as { status: string },
      (task) => ["succeeded", "failed"].includes(task.status),
      20_000,
    );
  };
  const status = async (at: number) =>
    (await (await on(at, "/_miroir/repair/status")).json()) as RepairStatusAnswer;
  const node = (nodeId: string, path: string, init: RequestInit = {}) => {
    const address = cluster.nodes.find((one) => one.id === nodeId)?.address;
    return fetch(`${address}${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        authorization: `Bearer ${DEFAULT_NODE_MASTER_KEY}`,
      },
    });
  };
  const replayed = async (at: number) => {
    const text = await (await on(at, "/_miroir/metrics")).text();
    let total = 0;
    for (const line of text.split("\n")) {
      if (line.startsWith("miroir_hints_replayed_total{")) total += Number(line.split(" ").pop());
    }
    return total;
  };

  beforeAll(async () => {
    cluster = await startCluster({ nodes: 3, rf: 3, shards: 4 });
    shared = await startSharedProxies({
      redisUrl: redis.url,
      config: {
        ...cluster.config,
        master_key: MASTER_KEY,
        admin: { api_key: ADMIN_KEY },
        health: {
          interval_ms: 200,
          timeout_ms: 150,
          unhealthy_threshold: 1,
          recovery_threshold: 1,
        },
        anti_entropy: { schedule: "every 1h" },
        leader_election: { enabled: true, renew_interval_s: 1, lease_ttl_s: 3 },
      },
      headers: { authorization: `Bearer ${MASTER_KEY}`, "x-admin-key": ADMIN_KEY },
    });
    await accepted(0, await on(0, "/indexes", json({ uid: INDEX, primaryKey: "id" })));
  }, 60_000);
  afterAll(async () => {
    await shared?.close();
    await cluster?.stop();
    await redis.stop();
  }, 60_000);

  it("replays each hint once, whichever proxy took the write, and both proxies read the node again", async () => {
    const down = cluster.nodes[2]?.control as NodeControl;
    await down.kill();
    // Both proxies see node-2 down before writing, so each hints its own writes.
    for (const at of [0, 1]) {
      await eventually(
        () => healthOf({ miroir: (path) => on(at, path) }, "node-2"),
        (health) => health === "unreachable",
        10_000,
      );
    }
    for (let i = 0; i < WRITES_PER_PROXY; i++) {
      for (const at of [0, 1]) {
        const id = at * 100 + i;
        await accepted(
          at,
          await on(at, `/indexes/${INDEX}/documents`, json([{ id, from: at, round: i }])),
        );
      }
    }
    // Each proxy learns the other's hints from the store: both count all of them.
    const pending = (answer: RepairStatusAnswer) =>
      Object.values(answer.hintsPending).reduce((a, b) => a + b, 0);
    for (const at of [0, 1]) {
      const seen = await eventually(
        () => status(at),
        (answer) => pending(answer) === 2 * WRITES_PER_PROXY,
        10_000,
      );
      expect(seen.recovering).toEqual(["node-2"]);
    }
    await down.restart();

    // Both proxies end with node-2 readable and nothing pending: the hints of one proxy
    // replayed by the other are gone for both.
    for (const at of [0, 1]) {
      const settled = await eventually(
        () => status(at),
        (answer) => answer.recovering.length === 0 && Object.keys(answer.hintsPending).length === 0,
        60_000,
      );
      expect(settled.recovering).toEqual([]);
    }
    const reference = await replicaState({ node }, "node-0", INDEX);
    expect(reference.size).toBe(2 * WRITES_PER_PROXY);
    expect(entriesOf(await replicaState({ node }, "node-2", INDEX))).toEqual(entriesOf(reference));
    // Each hint went to the node once, by one proxy.
    expect((await replayed(0)) + (await replayed(1))).toBe(2 * WRITES_PER_PROXY);
  }, 120_000);
});
