import type { NodeControl } from "@miroir/testkit";
import { describe, expect, it } from "vitest";
import { eventually } from "../cluster-ops/eventually.js";
import type { RepairStatusAnswer } from "../convergence/replica-state.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const INDEX = "retried";
const GROUPS = 6;
const DOCUMENTS_PER_GROUP = 4;
const VERSIONS = 10;
/** How long a client keeps retrying one write. */
const RETRY_BUDGET_MS = 60_000;

/** A seeded generator, so a failing run can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

interface ClientStats {
  attempts: number;
  timedOut: number;
  /** Answers 5xx (a write refused for want of a quorum is retried as well). */
  refused: number;
  taskUids: number[];
}

/**
 * One client writing `VERSIONS` versions of its group of documents, one after the other,
 * each under its own key. An attempt times out after a few milliseconds at first (so the
 * proxy is still writing when the retry comes), later after two seconds; a timeout, a
 * network error or a 5xx is retried with the same key and body, backing off.
 */
async function writeVersions(
  env: ProxiedCluster,
  group: number,
  random: () => number,
  stats: ClientStats,
): Promise<void> {
  for (let version = 1; version <= VERSIONS; version++) {
    const body = JSON.stringify(
      Array.from({ length: DOCUMENTS_PER_GROUP }, (_, i) => ({
        id: group * DOCUMENTS_PER_GROUP + i,
        group,
        version,
      })),
    );
    let answered: { taskUid: number } | undefined;
    const giveUpAt = Date.now() + RETRY_BUDGET_MS;
    for (let attempt = 0; Date.now() < giveUpAt && answered === undefined; attempt++) {
      stats.attempts += 1;
      const timeoutMs = attempt < 3 ? 1 + Math.floor(random() * 40) : 2_000;
      try {
        const response = await env.miroir(`/indexes/${INDEX}/documents`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "idempotency-key": `g${group}-v${version}`,
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (response.status === 202) answered = (await response.json()) as { taskUid: number };
        else if (response.status < 500) throw new Error(`refused: ${await response.text()}`);
        else stats.refused += 1;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("refused")) throw error;
        stats.timedOut += 1;
      }
      // Backing off as a client should, so replicas that missed writes can catch up.
      const backoffMs = Math.min(100 * 2 ** Math.max(0, attempt - 3), 2_000);
      if (answered === undefined) await new Promise((resolve) => setTimeout(resolve, backoffMs));
    }
    if (answered === undefined) throw new Error(`g${group}-v${version} never acknowledged`);
    stats.taskUids.push(answered.taskUid);
    await new Promise((resolve) => setTimeout(resolve, 150 + random() * 250));
  }
}

interface TaskView {
  uid: number;
  error: { code: string } | null;
}

async function tasksOf(env: ProxiedCluster, status: string): Promise<TaskView[]> {
  const page = (await (
    await env.miroir(
      `/tasks?indexUids=${INDEX}&types=documentAdditionOrUpdate&statuses=${status}&limit=1000`,
    )
  ).json()) as { results: TaskView[] };
  return page.results;
}

async function untilNoReplicaRecovers(env: ProxiedCluster): Promise<void> {
  await eventually(
    async () => (await (await env.miroir("/_miroir/repair/status")).json()) as RepairStatusAnswer,
    (status) => status.recovering.length === 0,
    60_000,
  );
}

describe("clients that time out and retry every write with its Idempotency-Key", () => {
  it("under random node SIGKILL and restart, every write is performed exactly once and every document ends at its last version", async () => {
    const env = await startProxiedCluster(
      { nodes: 3, rf: 3, shards: 8 },
      {
        health: {
          interval_ms: 200,
          timeout_ms: 150,
          unhealthy_threshold: 1,
          recovery_threshold: 1,
        },
        connection_pool: { request_timeout_ms: 2_000 },
        anti_entropy: { schedule: "every 1h" },
      },
    );
    const random = randomSource(23);
    let killed: NodeControl | undefined;
    try {
      const created = await env.miroir("/indexes", json({ uid: INDEX, primaryKey: "id" }));
      await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
      const stats: ClientStats = { attempts: 0, timedOut: 0, refused: 0, taskUids: [] };
      let writing = true;
      let faults = 0;
      const faultLoop = (async () => {
        for (let round = 0; round < 40 && writing; round++) {
          await new Promise((resolve) => setTimeout(resolve, 100 + random() * 300));
          if (!writing) break;
          const node = env.cluster.nodes[Math.floor(random() * env.cluster.nodes.length)];
          killed = node?.control as NodeControl;
          await killed.kill();
          faults += 1;
          await new Promise((resolve) => setTimeout(resolve, 400 + random() * 600));
          await killed.restart();
          killed = undefined;
          // One fault at a time: the next comes once the restarted node has caught up.
          await untilNoReplicaRecovers(env);
        }
      })();
      await Promise.all(
        Array.from({ length: GROUPS }, (_, group) =>
          writeVersions(env, group, randomSource(100 + group), stats),
        ),
      ).finally(() => {
        writing = false;
      });
      await faultLoop;
      expect(faults).toBeGreaterThan(0);
      expect(stats.timedOut).toBeGreaterThan(0);
      expect(stats.attempts).toBeGreaterThan(GROUPS * VERSIONS);

      // One acknowledged Miroir task per key, whatever the number of attempts; the only
      // other tasks are writes refused with miroir_no_quorum (answered 503, so performed
      // again by the retry: the client was told they did not happen).
      const keys = GROUPS * VERSIONS;
      expect(new Set(stats.taskUids).size).toBe(keys);
      // The last acknowledged writes may still be processing: each ends succeeded.
      for (const uid of stats.taskUids) {
        expect((await env.waitTask(uid)).status, `task ${uid}`).toBe("succeeded");
      }
      const succeeded = await tasksOf(env, "succeeded");
      expect(succeeded.map((task) => task.uid).sort((a, b) => a - b)).toEqual(
        [...stats.taskUids].sort((a, b) => a - b),
      );
      const failed = await tasksOf(env, "failed");
      expect(failed.filter((task) => task.error?.code !== "miroir_no_quorum")).toEqual([]);

      // Every replica holds every document once, at the version written last.
      await untilNoReplicaRecovers(env);
      const expected = Array.from({ length: GROUPS * DOCUMENTS_PER_GROUP }, (_, id) => ({
        id,
        group: Math.floor(id / DOCUMENTS_PER_GROUP),
        version: VERSIONS,
      }));
      const fetched = (await (
        await env.miroir(`/indexes/${INDEX}/documents?limit=1000&fields=id,group,version`)
      ).json()) as { results: { id: number }[] };
      expect(fetched.results.sort((a, b) => a.id - b.id)).toEqual(expected);
      for (const node of env.cluster.nodes) {
        const held = await eventually(
          async () =>
            (
              (await (
                await env.node(
                  node.id,
                  `/indexes/${INDEX}/documents?limit=1000&fields=id,group,version`,
                )
              ).json()) as { results: { id: number }[] }
            ).results.sort((a, b) => a.id - b.id),
          (results) => JSON.stringify(results) === JSON.stringify(expected),
          30_000,
        );
        expect(held).toEqual(expected);
      }

      // The same key with another body is refused, and writes nothing.
      const reused = await env.miroir(`/indexes/${INDEX}/documents`, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": "g0-v1" },
        body: JSON.stringify([{ id: 0, group: 0, version: 99 }]),
      });
      expect(reused.status).toBe(409);
      expect(((await reused.json()) as { code: string }).code).toBe(
        "miroir_idempotency_key_reused",
      );
      expect(await tasksOf(env, "succeeded")).toHaveLength(keys);
    } finally {
      if (killed !== undefined) await killed.restart();
      await env.stop();
    }
  }, 180_000);
});
