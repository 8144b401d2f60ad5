import { randomUUID } from "node:crypto";
import { healthOf, pendingMoves, shardRoute, type Topology } from "@miroir/router";
import type { JobRecord } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import { widestTopology } from "../topology/index-shards.js";
import { setUpJoiningNode } from "../topology/joining-node.js";
import { createNodeChanges } from "../topology/node-changes.js";
import type { TopologyChange } from "../topology/topology-journal.js";
import { type Migration, type MoveProgress, movesDone, planMigration } from "./migration.js";
import { MoveNodeError, onNode } from "./move-node-error.js";
import { documentsPath, settleNodeIndex } from "./node-barrier.js";
import { copyShard, type ShardCopy } from "./shard-copy.js";
import { verifyShard } from "./shard-verify.js";

export const REBALANCE_JOB = "rebalance";
const CANCEL_JOB = "rebalance_cancel";
const LEASE_SCOPE = "rebalancer";
/** Runs of one migration after which it is given up (each run resumes the last one). */
const MAX_ATTEMPTS = 20;
/** How long a move waits for a replica it may copy from before its run fails (and is retried). */
const SOURCE_WAIT_MS = 60_000;

/** What `GET /_miroir/rebalance/status` answers. */
export interface RebalanceStatus {
  /** `running` while a migration is unfinished (here or in another process), else `idle`. */
  readonly status: "running" | "idle";
  readonly rebalancerAvailable: true;
  /** The moves the topology still implies. */
  readonly pendingMoves: ReturnType<typeof pendingMoves>;
  /** The running migration, else the last one. */
  readonly migration: MigrationView | null;
}

export interface MigrationView extends Omit<Migration, "moves"> {
  readonly shardsDone: number;
  readonly shardsTotal: number;
  readonly documentsCopied: number;
  readonly moves: (MoveProgress & { rate: number; etaSeconds: number | null })[];
}

export interface Rebalancer {
  /** Starts the migration the topology implies, or answers the one already running. */
  apply(): Promise<{ started: boolean; status: RebalanceStatus }>;
  /** Asks the running migration to roll back; false when none runs or it is past its cut-over. */
  cancel(): Promise<{ canceled: boolean; status: RebalanceStatus }>;
  status(): Promise<RebalanceStatus>;
  /**
   * Applies node changes in order (serialised with the cut-overs), then starts moving the
   * data they imply when `rebalancer.enabled`.
   */
  changeTopology(...changes: TopologyChange[]): Promise<Topology>;
  /** Resumes an unfinished migration whose runner died, or starts one when the fleet is unsettled. */
  check(): Promise<void>;
  /** Waits for the migration running in this process, if any (tests, shutdown). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export function createRebalancer(context: () => ProxyContext): Rebalancer {
  const holder = randomUUID();
  let running: Promise<void> | undefined;
  let current: Migration | undefined;
  let stopped = false;
  /** Aborted by `stop`: a pause of the running migration ends at once, so a close never waits it out. */
  const stopping = new AbortController();
  const sleep = (ms: number) => pause(ms, stopping.signal);
  let changes: ReturnType<typeof createNodeChanges> | undefined;
  const ctx = () => context();
  const settings = () => ctx().config.rebalancer;

  async function latest(): Promise<JobRecord | undefined> {
    const jobs = (await ctx().taskStore.jobs.list()).filter((job) => job.type === REBALANCE_JOB);
    return jobs[jobs.length - 1];
  }

  function unfinished(job: JobRecord | undefined): boolean {
    return job !== undefined && (job.state === "queued" || job.state === "in_progress");
  }

  async function status(): Promise<RebalanceStatus> {
    const job = await latest();
    const migration = current ?? (job?.progress as Migration | null | undefined) ?? null;
    return {
      status: running !== undefined || unfinished(job) ? "running" : "idle",
      rebalancerAvailable: true,
      pendingMoves: pendingMoves(widestTopology(ctx())),
      migration: migration === null ? null : viewOf(migration),
    };
  }

  /** Takes the lease and a migration to run: the unfinished one, else a new plan. */
  async function start(): Promise<boolean> {
    if (running !== undefined || stopped) return false;
    const { taskStore } = ctx();
    const ttl = settings().lease_ms;
    if ((await taskStore.leases.acquire(LEASE_SCOPE, holder, ttl)) === null) return false;
    await taskStore.jobs.reclaimExpired();
    let job = await taskStore.jobs.claim(holder, ttl, { types: [REBALANCE_JOB] });
    if (job === null) {
      const previous = await latest();
      if (unfinished(previous)) {
        // Its runner still holds the claim; the lease was free only because it just expired.
        await taskStore.leases.release(LEASE_SCOPE, holder);
        return false;
      }
      const plan = planMigration(widestTopology(ctx()), randomUUID(), Date.now());
      if (plan === null) {
        await taskStore.leases.release(LEASE_SCOPE, holder);
        return false;
      }
      await taskStore.jobs.enqueue({ type: REBALANCE_JOB, id: plan.id, params: { id: plan.id } });
      job = await taskStore.jobs.claim(holder, ttl, { types: [REBALANCE_JOB] });
      if (job === null) {
        await taskStore.leases.release(LEASE_SCOPE, holder);
        return false;
      }
      job = { ...job, progress: plan };
    }
    const migration = job.progress as Migration | null;
    if (migration === null) {
      await taskStore.jobs.fail(job.id, holder, "the migration's plan was never recorded");
      await taskStore.leases.release(LEASE_SCOPE, holder);
      return false;
    }
    if (job.attempts > MAX_ATTEMPTS) {
      await taskStore.jobs.fail(job.id, holder, migration.error ?? "too many attempts");
      await taskStore.leases.release(LEASE_SCOPE, holder);
      return false;
    }
    current = migration;
    running = run(job.id, migration).finally(() => {
      running = undefined;
      current = undefined;
    });
    return true;
  }

  async function run(jobId: string, migration: Migration): Promise<void> {
    const c = ctx();
    const ttl = settings().lease_ms;
    let lost = false;
    let cancelRequested = false;
    const halted = () => lost || stopped || cancelRequested;
    const save = async () => {
      if (!(await c.taskStore.jobs.heartbeat(jobId, holder, ttl, migration))) lost = true;
    };
    const keepAlive = setInterval(
      () => {
        void (async () => {
          if ((await c.taskStore.leases.renew(LEASE_SCOPE, holder, ttl)) === null) lost = true;
          await save();
          if ((await c.taskStore.jobs.get(`${jobId}:cancel`)) !== null) cancelRequested = true;
        })().catch(() => undefined);
      },
      Math.max(50, Math.floor(ttl / 3)),
    );
    c.metrics.rebalanceRunning.set(1);
    try {
      await save();
      c.logger.info({ migration: migration.id, moves: migration.moves.length }, "migration runs");
      if (migration.phase === "moving" && superseded(migration)) {
        // A node it copies to has left, or the placement changed: the next check plans anew.
        migration.phase = "canceled";
        migration.error = "superseded by a later topology change";
        migration.finishedAt = Date.now();
        await c.taskStore.jobs.complete(jobId, holder, migration);
        c.logger.info({ migration: migration.id }, "migration superseded; planning again");
        return;
      }
      if (migration.phase === "moving") {
        if (migration.dualWriteSince === null) {
          migration.dualWriteSince = c.convergence.clock.next();
          await save();
          // Every process that shares the store follows the transition within an interval:
          // from then on, each write of a moving shard reaches its old and new owners.
          await sleep(c.config.health.interval_ms);
        }
        await moveShards(migration, save, halted);
        if ((await c.taskStore.jobs.get(`${jobId}:cancel`)) !== null) cancelRequested = true;
        if (cancelRequested) {
          await rollBack(migration);
          migration.phase = "canceled";
          migration.finishedAt = Date.now();
          await c.taskStore.jobs.complete(jobId, holder, migration);
          c.logger.info({ migration: migration.id }, "migration canceled and rolled back");
          return;
        }
        if (halted()) return;
        migration.phase = "cutover";
        await save();
      }
      if (migration.phase === "cutover") {
        for (const id of migration.activate) await expectAnswering(id);
        await cutOver(migration);
        migration.phase = "cleanup";
        migration.cutoverAt = Date.now();
        await save();
      }
      if (migration.phase === "cleanup") {
        const wait = (migration.cutoverAt ?? Date.now()) + settings().cleanup_grace_ms - Date.now();
        if (wait > 0) await sleep(wait);
        if (halted()) return;
        for (const move of migration.moves) await dropShard(move.shard, move.losses);
        migration.phase = "done";
        migration.finishedAt = Date.now();
        migration.error = null;
        await c.taskStore.jobs.complete(jobId, holder, migration);
        c.logger.info({ migration: migration.id }, "migration done");
      }
    } catch (error) {
      // Left claimed: the claim expires and the next check resumes from the saved phases.
      migration.error = error instanceof Error ? error.message : String(error);
      await save().catch(() => undefined);
      c.logger.warn({ migration: migration.id, err: error }, "migration run failed; it resumes");
    } finally {
      clearInterval(keepAlive);
      c.metrics.rebalanceRunning.set(0);
      await c.taskStore.leases.release(LEASE_SCOPE, holder).catch(() => undefined);
    }
  }

  async function moveShards(
    migration: Migration,
    save: () => Promise<void>,
    halted: () => boolean,
  ): Promise<void> {
    const c = ctx();
    const setUp = new Map<string, Promise<unknown>>();
    const todo = migration.moves.filter((move) => move.phase !== "verified");
    c.metrics.rebalanceShardsTotal.set(migration.moves.length);
    c.metrics.rebalanceShardsDone.set(movesDone(migration));
    const workers = Math.min(settings().max_concurrent_shards, todo.length);
    const perWorkerRate =
      settings().max_docs_per_sec === 0 ? 0 : settings().max_docs_per_sec / Math.max(1, workers);
    let next = 0;
    const failures: unknown[] = [];
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < todo.length && !halted() && failures.length === 0) {
          const move = todo[next++] as MoveProgress;
          try {
            // A joining node gets every index with its settings before any copied document.
            for (const gain of move.gains) {
              const joining = c.cluster.topology.nodes.some(
                (node) => node.id === gain && node.state === "joining",
              );
              if (joining && !setUp.has(gain)) setUp.set(gain, setUpJoiningNode(c, gain));
              await setUp.get(gain);
            }
            await moveShard(move, perWorkerRate, save, halted);
          } catch (error) {
            failures.push(error);
          }
          c.metrics.rebalanceShardsDone.set(movesDone(migration));
        }
      }),
    );
    if (failures.length > 0) throw failures[0];
  }

  /** Copies then verifies one shard on every gaining node, from a healthy source replica. */
  async function moveShard(
    move: MoveProgress,
    docsPerSecond: number,
    save: () => Promise<void>,
    halted: () => boolean,
  ): Promise<void> {
    const c = ctx();
    move.startedAt ??= Date.now();
    const avoided = new Set<string>();
    for (;;) {
      const source = await awaitSource(move, avoided, halted);
      if (source === null) {
        if (halted()) return;
        throw new Error(`shard ${move.shard} has no healthy replica to copy from`);
      }
      if (move.source !== source) {
        move.source = source;
        await save();
      }
      try {
        // A node that does not answer never becomes an owner, even of a shard with no data.
        for (const target of move.gains) await expectAnswering(target);
        const indexes = await listIndexes(source);
        if (move.phase === "pending") {
          move.phase = "copying";
          await save();
        }
        if (move.phase === "copying") {
          let total = 0;
          for (const target of move.gains) {
            for (const index of indexes) {
              const copy = { ...index, shard: move.shard, source, target };
              const key = `${target}/${index.indexUid}`;
              total += await copyShard(c, copy, {
                after: move.cursors[key] ?? null,
                pageSize: settings().page_size,
                docsPerSecond,
                stopped: halted,
                onBatch: async ({ cursor, written }) => {
                  move.cursors[key] = cursor;
                  move.copied += written;
                  c.metrics.rebalanceDocumentsCopied.inc(written);
                  await save();
                },
              });
            }
          }
          if (halted()) return;
          move.total = Math.max(move.total, total);
          move.phase = "verifying";
          await save();
        }
        if (move.phase === "verifying") {
          for (const target of move.gains) {
            for (const index of indexes) {
              const copy: ShardCopy = { ...index, shard: move.shard, source, target };
              const verified = await verifyShard(c, copy, halted);
              move.copied += verified.repaired;
              move.digests[`${target}/${index.indexUid}`] = { ...verified.digests };
            }
          }
          if (halted()) return;
          move.phase = "verified";
          move.finishedAt = Date.now();
          await save();
        }
        return;
      } catch (error) {
        if (error instanceof MoveNodeError && error.nodeId === source) {
          c.logger.warn(
            { shard: move.shard, source, err: error },
            "migration source failed; copying from another replica",
          );
          avoided.add(source);
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * Waits (bounded) for a replica to copy from: one that missed writes is recovering and
   * comes back once its hints are replayed, and copying from it could miss them.
   */
  async function awaitSource(
    move: MoveProgress,
    avoided: ReadonlySet<string>,
    halted: () => boolean,
  ): Promise<string | null> {
    const deadline = Date.now() + SOURCE_WAIT_MS;
    for (;;) {
      const source = pickSource(move, avoided);
      if (source !== null || halted() || Date.now() > deadline) return source;
      await sleep(ctx().config.health.interval_ms);
    }
  }

  /** A replica that holds the shard now, reachable and not recovering: its own group first. */
  function pickSource(move: MoveProgress, avoided: ReadonlySet<string>): string | null {
    const c = ctx();
    const topology = widestTopology(c);
    const recovering = c.convergence.handoff.recovering();
    const serving = shardRoute(topology, move.shard).serving;
    const ordered = [...(serving[move.group] ?? []), ...serving.flat()];
    const usable = ordered.filter(
      (id) =>
        !avoided.has(id) &&
        !move.gains.includes(id) &&
        !recovering.has(id) &&
        healthOf(c.cluster.health, id) !== "unreachable",
    );
    if (move.source !== null && usable.includes(move.source)) return move.source;
    return usable[0] ?? null;
  }

  async function expectAnswering(nodeId: string): Promise<void> {
    const answer = await onNode(nodeId, "answer its health check", () =>
      ctx().nodes.call(nodeId, { method: "GET", path: "/health", timeoutMs: 5_000 }),
    );
    if (answer.status !== 200) {
      throw new MoveNodeError(nodeId, `answered ${answer.status} to its health check`);
    }
  }

  async function listIndexes(nodeId: string): Promise<{ indexUid: string; primaryKey: string }[]> {
    const answer = await onNode(nodeId, "list its indexes", () =>
      ctx().nodes.call<{ results: { uid: string; primaryKey: string | null }[] }>(nodeId, {
        method: "GET",
        path: "/indexes",
        query: { limit: "1000000" },
      }),
    );
    if (answer.status !== 200 || answer.body === null) {
      throw new MoveNodeError(nodeId, `answered ${answer.status} to the index listing`);
    }
    return answer.body.results.flatMap((index) =>
      index.primaryKey === null ? [] : [{ indexUid: index.uid, primaryKey: index.primaryKey }],
    );
  }

  /** True when a move still to make no longer leads where the topology now wants the shard. */
  function superseded(migration: Migration): boolean {
    const topology = widestTopology(ctx());
    return migration.moves.some((move) => {
      if (move.phase === "verified") return false;
      const target = shardRoute(topology, move.shard).target[move.group] ?? [];
      return move.gains.some((id) => !target.includes(id));
    });
  }

  /** The cut-over: the joining nodes become active and the draining ones removed, at once. */
  async function cutOver(migration: Migration): Promise<void> {
    const topology = widestTopology(ctx());
    const stateOf = (id: string) => topology.nodes.find((node) => node.id === id)?.state;
    const changes = [
      ...migration.activate
        .filter((id) => stateOf(id) === "joining")
        .map((id) => ({ id, state: "active" as const })),
      ...migration.remove
        .filter((id) => stateOf(id) === "draining")
        .map((id) => ({ id, state: "removed" as const })),
    ];
    if (changes.length > 0) await applyChange({ kind: "states", changes });
    ctx().logger.info({ migration: migration.id, changes }, "migration cut over");
  }

  /** A cancel: the old owners keep everything; the copies made so far are dropped. */
  async function rollBack(migration: Migration): Promise<void> {
    const topology = widestTopology(ctx());
    const stateOf = (id: string) => topology.nodes.find((node) => node.id === id)?.state;
    const changes = [
      ...migration.activate
        .filter((id) => stateOf(id) === "joining")
        .map((id) => ({ id, state: "removed" as const })),
      ...migration.remove
        .filter((id) => stateOf(id) === "draining")
        .map((id) => ({ id, state: "active" as const })),
    ];
    if (changes.length > 0) await applyChange({ kind: "states", changes });
    for (const move of migration.moves) await dropShard(move.shard, move.gains);
  }

  /**
   * Deletes one shard by filter from nodes that no longer own it (and are still in the
   * fleet): through their write lanes, waiting for each deletion to be applied.
   */
  async function dropShard(shard: number, nodeIds: readonly string[]): Promise<void> {
    const c = ctx();
    const owners = new Set(shardRoute(widestTopology(c), shard).writeTargets);
    for (const nodeId of nodeIds) {
      if (owners.has(nodeId) || !c.nodes.nodeIds.includes(nodeId)) continue;
      if (healthOf(c.cluster.health, nodeId) === "unreachable") continue;
      for (const { indexUid } of await listIndexes(nodeId)) {
        const answer = await c.writes.send(nodeId, indexUid, {
          method: "POST",
          path: `${documentsPath(indexUid)}/delete`,
          json: { filter: `_miroir_shard = ${shard}` },
        });
        if (answer.status !== 202) {
          throw new MoveNodeError(nodeId, `answered ${answer.status} to the shard's deletion`);
        }
        await settleNodeIndex(c, nodeId, indexUid);
      }
    }
  }

  function applyChange(change: TopologyChange): Promise<Topology> {
    changes ??= createNodeChanges(ctx());
    return changes(change);
  }

  return {
    async apply() {
      const started = await start();
      return { started, status: await status() };
    },
    async cancel() {
      const job = await latest();
      const migration = current ?? (job?.progress as Migration | null | undefined) ?? null;
      if (!unfinished(job) || job === undefined || migration === null) {
        return { canceled: false, status: await status() };
      }
      if (migration.phase !== "moving") return { canceled: false, status: await status() };
      const cancelId = `${job.id}:cancel`;
      if ((await ctx().taskStore.jobs.get(cancelId)) === null) {
        await ctx().taskStore.jobs.enqueue({ type: CANCEL_JOB, id: cancelId });
      }
      return { canceled: true, status: await status() };
    },
    status,
    async changeTopology(...list) {
      let topology = ctx().cluster.topology;
      for (const change of list) topology = await applyChange(change);
      if (settings().enabled) void start().catch(() => undefined);
      return topology;
    },
    async check() {
      if (running !== undefined) return;
      const job = await latest();
      if (unfinished(job) || (settings().enabled && needsMigration(widestTopology(ctx())))) {
        await start();
      }
    },
    async idle() {
      await running;
    },
    async stop() {
      stopped = true;
      stopping.abort();
      await running;
    },
  };
}

function needsMigration(topology: Topology): boolean {
  return (
    pendingMoves(topology).length > 0 ||
    topology.nodes.some((node) => node.state === "joining" || node.state === "draining")
  );
}

/** Waits `ms`, or less when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

function viewOf(migration: Migration): MigrationView {
  const now = Date.now();
  return {
    ...migration,
    shardsDone: movesDone(migration),
    shardsTotal: migration.moves.length,
    documentsCopied: migration.moves.reduce((sum, move) => sum + move.copied, 0),
    moves: migration.moves.map((move) => {
      const seconds = ((move.finishedAt ?? now) - (move.startedAt ?? now)) / 1000;
      const rate = seconds > 0 ? move.copied / seconds : 0;
      const left = Math.max(0, move.total - move.copied);
      const etaSeconds =
        move.phase === "verified" ? 0 : rate > 0 && move.total > 0 ? left / rate : null;
      return { ...move, rate, etaSeconds };
    }),
  };
}
