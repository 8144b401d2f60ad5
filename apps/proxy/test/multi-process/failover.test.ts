import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../cluster-ops/eventually.js";
import { openTestRedis } from "../cluster-ops/shared-redis.js";
import { replicaState } from "../convergence/replica-state.js";
import { type LoopbackRelay, startRelay } from "../faults/loopback-relay.js";
import { json } from "../proxy-cluster.js";
import { startClientLoad } from "./client-load.js";
import {
  type BackgroundPass,
  type MiroirProcess,
  type ProxiesAnswer,
  type RepairStatus,
  startFleet,
  startMiroir,
} from "./miroir-fleet.js";

const redis = await openTestRedis();
if (redis.unavailable !== "") console.warn(`failover suite skipped: ${redis.unavailable}`);

const DOCS_PER_INDEX = 240;
/** Throttled background passes: a few seconds per index, long enough to fail over in. */
const ANTI_ENTROPY = {
  schedule: "every 1h",
  fingerprint_batch_size: 20,
  max_docs_per_sec: 40,
};

describe.skipIf(redis.url === "")("three Miroir processes, one Redis, leader failover", () => {
  let cluster: Cluster;
  let dir: string;
  let fleet: MiroirProcess[] = [];
  /** Between the processes and Redis, so that a test can cut them off from it. */
  let redisRelay: LoopbackRelay;
  let storeUrl: string;
  const live = () => fleet.filter((process) => process.id !== "");
  const node = (nodeId: string, path: string, init: RequestInit = {}) =>
    fetch(`${cluster.nodes.find((n) => n.id === nodeId)?.address}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${String(cluster.config.node_master_key)}`,
        "content-type": "application/json",
        ...(init.headers ?? {}),
      },
    });
  const nodeTask = async (nodeId: string, answer: Response) => {
    expect(answer.status).toBe(202);
    const { taskUid } = (await answer.json()) as { taskUid: number };
    await eventually(
      async () => (await (await node(nodeId, `/tasks/${taskUid}`)).json()) as { status: string },
      (task) => task.status === "succeeded",
      20_000,
    );
    return taskUid;
  };
  const miroirTask = async (process: MiroirProcess, answer: Response) => {
    expect(answer.status).toBe(202);
    const { taskUid } = (await answer.json()) as { taskUid: number };
    await eventually(
      async () =>
        ((await (await process.call(`/tasks/${taskUid}`)).json()) as { status: string }).status,
      (status) => status === "succeeded",
      20_000,
    );
  };
  const proxiesFrom = async (process: MiroirProcess) =>
    (await (await process.call("/_miroir/proxies")).json()) as ProxiesAnswer;
  const statusFrom = async (process: MiroirProcess) =>
    (await (await process.call("/_miroir/repair/status")).json()) as RepairStatus;
  const passFrom = async (process: MiroirProcess, id: string) =>
    (await statusFrom(process)).background.find((pass) => pass.id === id) as BackgroundPass;
  /** Additions on `nodeId` to `indexUid` after node task `after`: documents received. */
  const additionsOn = async (nodeId: string, indexUid: string, after: number) => {
    const answer = await node(
      nodeId,
      `/tasks?indexUids=${indexUid}&types=documentAdditionOrUpdate&limit=1000`,
    );
    const { results } = (await answer.json()) as {
      results: { uid: number; details: { receivedDocuments: number } }[];
    };
    return results
      .filter((task) => task.uid > after)
      .reduce((sum, task) => sum + task.details.receivedDocuments, 0);
  };
  /** Deletes `count` documents of the index on node-1 only, behind Miroir's back. */
  const divergeOnNode1 = async (indexUid: string, ids: number[]) =>
    nodeTask(
      "node-1",
      await node("node-1", `/indexes/${indexUid}/documents/delete-batch`, {
        method: "POST",
        body: JSON.stringify(ids),
      }),
    );
  const leaderOf = async (process: MiroirProcess) => {
    const answer = await eventually(
      () => proxiesFrom(process),
      (proxies) => proxies.leader !== null,
      10_000,
    );
    return answer.leader as { id: string; token: number };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-failover-"));
    cluster = await startCluster({ nodes: 3, rf: 3, shards: 4 });
    redisRelay = await startRelay(redis.url.replace("redis://", "http://"));
    storeUrl = redisRelay.url.replace("http://", "redis://");
    fleet = await startFleet(cluster, storeUrl, 3, dir, { anti_entropy: ANTI_ENTROPY });
    const first = fleet[0] as MiroirProcess;
    for (const uid of ["alpha", "beta", "load"]) {
      await miroirTask(first, await first.call("/indexes", json({ uid, primaryKey: "id" })));
    }
    for (const uid of ["alpha", "beta"]) {
      const docs = Array.from({ length: DOCS_PER_INDEX }, (_, id) => ({ id, text: `note ${id}` }));
      await miroirTask(first, await first.call(`/indexes/${uid}/documents`, json(docs)));
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(fleet.map((process) => process.stop()));
    await cluster?.stop();
    await redisRelay?.close();
    await redis.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("lists the three processes, one of them the leader", async () => {
    const answers = await Promise.all(fleet.map(proxiesFrom));
    const ids = fleet.map((process) => process.id).sort();
    for (const answer of answers) {
      expect(answer.proxies.map((proxy) => proxy.id).sort()).toEqual(ids);
      expect(answer.proxies.filter((proxy) => proxy.leader)).toHaveLength(1);
      expect(answer.leader?.token).toBeGreaterThan(0);
    }
    const leader = answers[0]?.proxies.find((proxy) => proxy.leader);
    expect(leader?.duties).toContain("anti-entropy");
    for (const proxy of answers[0]?.proxies ?? []) {
      expect(proxy.duties).toContain("health-probes");
      expect(proxy.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(proxy.version).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it("SIGKILLed mid-pass, the leader is replaced within its lease and the pass resumes where it stopped, under client load", async () => {
    const first = fleet[0] as MiroirProcess;
    const marker = await divergeOnNode1("alpha", [1, 2, 3, 5, 8, 13, 21, 34, 55, 89]);
    await divergeOnNode1("beta", [4, 40, 144]);
    const before = await leaderOf(first);
    const load = startClientLoad(() => live().map((process) => process.url), "load", "alpha");
    try {
      const queued = await first.call("/_miroir/repair/background", json({}));
      expect(queued.status).toBe(202);
      const { jobId } = (await queued.json()) as { jobId: string };
      // The leader runs it and saves its progress after each shard.
      const started = await eventually(
        () => passFrom(first, jobId),
        (pass) => pass.state === "in_progress" && (pass.progress?.shardsDone ?? 0) >= 1,
        30_000,
      );
      expect(started.claimedBy).toBe(before.id);
      const leader = fleet.find((process) => process.id === before.id) as MiroirProcess;
      leader.signal("SIGKILL");
      await leader.exited;
      leader.id = "";
      const survivor = live()[0] as MiroirProcess;
      // Another process holds the lease once the dead one's lapsed: within TTL + a renewal.
      const after = await eventually(
        () => proxiesFrom(survivor),
        (proxies) => proxies.leader !== null && proxies.leader.id !== before.id,
        3_000 + 1_000 + 2_000,
      );
      expect(after.leader?.token).toBeGreaterThan(before.token);
      const next = live().find((process) => process.id === after.leader?.id) as MiroirProcess;
      // It resumes the pass from the progress the dead leader saved, not from the start.
      const resumed = await eventually(
        () => statusFrom(next),
        (status) => status.running?.job?.id === jobId,
        10_000,
      );
      expect(resumed.running?.job?.attempts).toBe(2);
      expect(resumed.running?.job?.resumedFrom).toMatchObject({ indexUid: expect.any(String) });
      const done = await eventually(
        () => passFrom(next, jobId),
        (pass) => pass.state === "completed",
        60_000,
      );
      expect(done.attempts).toBe(2);
    } finally {
      await load.stop();
    }
    // Every replica holds alpha and beta whole again, each missing document copied once:
    // no two processes ran the pass at the same time.
    for (const uid of ["alpha", "beta"]) {
      const states = await Promise.all(
        ["node-0", "node-1", "node-2"].map((nodeId) => replicaState({ node }, nodeId, uid)),
      );
      for (const state of states) expect(state.size).toBe(DOCS_PER_INDEX);
    }
    expect(await additionsOn("node-1", "alpha", marker)).toBe(10);
    expect(await additionsOn("node-1", "beta", marker)).toBe(3);
    // The clients saw only errors they could retry, and no acknowledged write is lost.
    const outcome = load.outcome();
    expect(outcome.unretryable).toEqual([]);
    expect(outcome.searches).toBeGreaterThan(0);
    expect(outcome.acknowledged.length).toBeGreaterThan(0);
    const survivor = live()[0] as MiroirProcess;
    for (const taskUid of outcome.taskUids) {
      await eventually(
        async () =>
          ((await (await survivor.call(`/tasks/${taskUid}`)).json()) as { status: string }).status,
        (status) => status === "succeeded",
        30_000,
      );
    }
    for (const nodeId of ["node-0", "node-1", "node-2"]) {
      const held = await replicaState({ node }, nodeId, "load");
      expect(outcome.acknowledged.filter((id) => !held.has(String(id)))).toEqual([]);
    }
  }, 180_000);

  it("SIGSTOPped past its lease, the leader steps down when continued without acting on the nodes", async () => {
    // Back to three processes: the replacement joins the fleet.
    fleet.push(await startMiroir(cluster, storeUrl, 3, dir, { anti_entropy: ANTI_ENTROPY }));
    const first = live()[0] as MiroirProcess;
    await divergeOnNode1("alpha", [7, 70, 170]);
    const before = await leaderOf(first);
    const leader = live().find((process) => process.id === before.id) as MiroirProcess;
    const queued = await first.call("/_miroir/repair/background", json({}));
    const { jobId } = (await queued.json()) as { jobId: string };
    await eventually(
      () => passFrom(first, jobId),
      (pass) =>
        pass.state === "in_progress" &&
        pass.claimedBy === leader.id &&
        pass.progress?.indexUid === "alpha" &&
        pass.progress.shardsDone >= 1,
      30_000,
    );
    leader.signal("SIGSTOP");
    const loggedBefore = leader.output().length;
    let continued = false;
    try {
      const other = live().find((process) => process !== leader) as MiroirProcess;
      // Another process takes the lease and the pass over, and finishes it.
      const taken = await eventually(
        () => proxiesFrom(other),
        (proxies) => proxies.leader !== null && proxies.leader.id !== leader.id,
        10_000,
      );
      expect(taken.leader?.token).toBeGreaterThan(before.token);
      await eventually(
        () => passFrom(other, jobId),
        (pass) => pass.state === "completed" && pass.claimedBy === null,
        60_000,
      );
      // New divergence the paused leader's pass would repair if it went on acting.
      const marker = await divergeOnNode1("beta", [11, 111]);
      leader.signal("SIGCONT");
      continued = true;
      await eventually(
        async () => leader.output().slice(loggedBefore),
        (output) => output.includes("stepped down"),
        10_000,
      );
      // Its pass is over, and it sees the other leader.
      await eventually(
        () => statusFrom(leader),
        (status) => status.running === null,
        10_000,
      );
      const seen = await proxiesFrom(leader);
      expect(seen.leader?.id).toBe(taken.leader?.id);
      expect(seen.proxies.find((proxy) => proxy.id === leader.id)?.leader).toBe(false);
      // It wrote nothing: beta's new divergence is still there, no repair reached node-1,
      // and the pass record is the one the new leader completed.
      const beta = await replicaState({ node }, "node-1", "beta");
      expect(beta.has("11") || beta.has("111")).toBe(false);
      expect(await additionsOn("node-1", "beta", marker)).toBe(0);
      expect(await passFrom(other, jobId)).toMatchObject({ state: "completed", attempts: 2 });
    } finally {
      if (!continued) leader.signal("SIGCONT");
    }
    // The next pass repairs it.
    const repaired = await first.call("/_miroir/repair", json({ indexUid: "beta" }));
    expect(repaired.status).toBe(200);
    expect((await replicaState({ node }, "node-1", "beta")).size).toBe(DOCS_PER_INDEX);
  }, 180_000);

  it("Redis cut off for 10 s under load: searches go on, writes get the documented 503, everything resumes", async () => {
    const first = live()[0] as MiroirProcess;
    await miroirTask(
      first,
      await first.call("/indexes", json({ uid: "outage", primaryKey: "id" })),
    );
    const load = startClientLoad(() => live().map((process) => process.url), "outage", "alpha", {
      retryStoreUnavailable: false,
    });
    let restored = false;
    try {
      await eventually(
        async () => load.outcome().acknowledged.length,
        (count) => count >= 5,
        20_000,
      );
      redisRelay.cut();
      const atCut = load.outcome();
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const atRestore = load.outcome();
      redisRelay.restore();
      restored = true;
      // While Redis was away: searches answered, writes were refused with the documented
      // error (and only that), none acknowledged once the cut was seen.
      expect(atRestore.searches).toBeGreaterThan(atCut.searches);
      expect(atRestore.storeUnavailable).toBeGreaterThan(0);
      expect(atRestore.unretryable).toEqual([]);
      // Then writes are accepted again, by themselves.
      await eventually(
        async () => load.outcome().acknowledged.length,
        (count) => count >= atRestore.acknowledged.length + 20,
        30_000,
      );
    } finally {
      if (!restored) redisRelay.restore();
      await load.stop();
    }
    const outcome = load.outcome();
    expect(outcome.unretryable).toEqual([]);
    for (const taskUid of outcome.taskUids) {
      await eventually(
        async () =>
          ((await (await first.call(`/tasks/${taskUid}`)).json()) as { status: string }).status,
        (status) => status === "succeeded",
        30_000,
      );
    }
    for (const nodeId of ["node-0", "node-1", "node-2"]) {
      const held = await replicaState({ node }, nodeId, "outage");
      expect(outcome.acknowledged.filter((id) => !held.has(String(id)))).toEqual([]);
    }
    // The fleet is whole again: every process beats, one leads.
    const proxies = await eventually(
      () => proxiesFrom(first),
      (answer) => answer.proxies.length === live().length && answer.leader !== null,
      10_000,
    );
    expect(proxies.proxies.map((proxy) => proxy.id).sort()).toEqual(
      live()
        .map((process) => process.id)
        .sort(),
    );
  }, 120_000);
});
