import { randomUUID } from "node:crypto";
import { parseTimeWindow } from "@miroir/config";
import { meiliError } from "@miroir/errors";
import { SHARD_FIELD } from "@miroir/merger";
import { healthOf, MAX_SHARDS, shardOf, shardRoute, writeTargets } from "@miroir/router";
import type { JobRecord } from "@miroir/taskstore";
import { createIndex, deleteIndex } from "../broadcast/index-lifecycle.js";
import { patchSettings } from "../broadcast/settings-update.js";
import type { ProxyContext } from "../context.js";
import { digestOf, readShardFingerprint } from "../convergence/shard-fingerprint.js";
import {
  type DutyRun,
  type DutyRunner,
  type RunningDuty,
  StaleLeaseError,
  startDuty,
} from "../duties/background-duty.js";
import { indexPath } from "../node-client/index.js";
import { readSettings } from "../reads/settings.js";
import { indexStats } from "../reads/stats.js";
import { settleNodeIndex } from "../rebalance/node-barrier.js";
import { untilFinished } from "../rollover/rollover.js";
import { topologyOf } from "../topology/index-shards.js";
import {
  insideWindows,
  RESHARD_CANCEL_JOB,
  RESHARD_JOB,
  type ReshardParams,
  type ReshardProgress,
  type ReshardView,
  reshardView,
  startingProgress,
} from "./reshard-state.js";

/** Comparison rounds before the switch; writes arriving faster than a round copies them get the switch's hold. */
const CATCH_UP_ROUNDS = 5;
/** Rounds of the final comparison (writes held) before the reshard gives up this attempt. */
const FINAL_ROUNDS = 5;
/**
 * The old index outlives the switch by this much at least, whatever the grace period: the
 * requests that resolved the name before the switch (here, or on a process that has not
 * followed the alias yet) finish on it.
 */
const DROP_FLOOR_MS = 10_000;
/** A grace period shorter than this is waited by the run itself instead of a later claim. */
const WAIT_IN_RUN_MS = 30_000;
/** Attempts (claims) of a reshard before it is abandoned and its new index dropped. */
const MAX_ATTEMPTS = 5;

const now = () => new Date().toISOString();
const cancelId = (id: string) => `${id}:cancel`;

/** The index a client name stands for: itself, or the one index its alias names. */
function concreteIndex(ctx: ProxyContext, name: string): string {
  const alias = ctx.aliases.resolve(name);
  if (alias === undefined) return name;
  if (alias.indexes.length !== 1) {
    throw meiliError(
      "miroir_multi_alias_not_writable",
      `\`${name}\` is an alias of several indexes; reshard one of its indexes instead.`,
    );
  }
  return alias.indexes[0] as string;
}

async function reshardJobsOf(ctx: ProxyContext, name: string): Promise<JobRecord[]> {
  const jobs = await ctx.taskStore.jobs.list();
  return jobs.filter(
    (job) => job.type === RESHARD_JOB && (job.params as ReshardParams).name === name,
  );
}

/** A reshard that has not switched yet: the index cannot take a second one meanwhile. */
function isOpen(job: JobRecord): boolean {
  const phase = (job.progress as ReshardProgress | null)?.phase;
  return (
    (job.state === "queued" || job.state === "in_progress") &&
    phase !== "switched" &&
    phase !== "done" &&
    phase !== "canceled" &&
    phase !== "failed"
  );
}

/** A switched reshard whose old index waits for the end of its grace period. */
function inGrace(job: JobRecord): boolean {
  const progress = job.progress as ReshardProgress | null;
  return (job.state === "queued" || job.state === "in_progress") && progress?.phase === "switched";
}

/** Starts resharding `name` into `shards` shards; the leader runs it. */
export async function startReshard(
  ctx: ProxyContext,
  name: string,
  shards: unknown,
): Promise<ReshardView> {
  if (!ctx.config.resharding.enabled) {
    throw meiliError(
      "miroir_invalid_request",
      "Resharding is turned off (`resharding.enabled: false`).",
    );
  }
  if (!(typeof shards === "number" && Number.isInteger(shards) && shards >= 1)) {
    throw meiliError("miroir_invalid_request", "`shards` must be an integer ≥ 1.");
  }
  if (shards > MAX_SHARDS) {
    throw meiliError("miroir_invalid_request", `\`shards\` must be at most ${MAX_SHARDS}.`);
  }
  const source = concreteIndex(ctx, name);
  const described = await ctx.indexes.describe(source);
  if (!described.exists) throw meiliError("index_not_found", `Index \`${name}\` not found.`);
  if (described.primaryKey === null) {
    throw meiliError(
      "miroir_invalid_request",
      `Index \`${name}\` has no primary key yet: it holds no document to reshard. Create it again with the shard count instead of resharding.`,
    );
  }
  const fromShards = ctx.indexShards.of(source);
  if (fromShards === shards) {
    throw meiliError("miroir_invalid_request", `Index \`${name}\` already has ${shards} shards.`);
  }
  const open = (await reshardJobsOf(ctx, name)).find(isOpen);
  if (open !== undefined) {
    throw meiliError(
      "miroir_resharding_in_progress",
      `Index \`${name}\` is already being resharded (reshard \`${open.id}\`).`,
    );
  }
  const id = randomUUID();
  const target = `${name.slice(0, 360)}-reshard${shards}-${id.slice(0, 8)}`;
  if ((await ctx.indexes.describe(target)).exists) {
    throw meiliError("index_already_exists", `Index \`${target}\` already exists.`);
  }
  const params: ReshardParams = {
    name,
    source,
    target,
    primaryKey: described.primaryKey,
    fromShards,
    toShards: shards,
  };
  const job = await ctx.taskStore.jobs.enqueue({ type: RESHARD_JOB, id, params });
  ctx.logger.info({ reshard: id, ...params }, "reshard requested");
  return reshardView(job);
}

/** The newest reshard of `name` (the one in progress, or the last one). */
export async function reshardStatus(ctx: ProxyContext, name: string): Promise<ReshardView> {
  const jobs = await reshardJobsOf(ctx, name);
  const job = jobs.sort((a, b) => b.enqueuedAt - a.enqueuedAt)[0];
  if (job === undefined) throw reshardNotFound(name);
  return reshardView(job, (await ctx.taskStore.jobs.get(cancelId(job.id))) !== null);
}

/** Every reshard the store holds, newest first. */
export async function listReshards(ctx: ProxyContext): Promise<ReshardView[]> {
  const jobs = (await ctx.taskStore.jobs.list())
    .filter((job) => job.type === RESHARD_JOB)
    .sort((a, b) => b.enqueuedAt - a.enqueuedAt);
  return jobs.map((job) => reshardView(job));
}

/**
 * Asks the reshard of `name` in progress to cancel: its new index is deleted and the old
 * one, which took every write all along, stays as it is. Refused once it has switched.
 */
export async function cancelReshard(ctx: ProxyContext, name: string): Promise<ReshardView> {
  const jobs = await reshardJobsOf(ctx, name);
  const job = jobs.find(isOpen);
  if (job === undefined) {
    if (!jobs.some(inGrace)) throw reshardNotFound(name);
    throw meiliError(
      "miroir_resharding_in_progress",
      `The reshard of \`${name}\` has switched already; \`${name}\` names the new index. Reshard it again to change its shard count.`,
    );
  }
  if ((job.progress as ReshardProgress | null)?.phase === "switching") {
    throw meiliError(
      "miroir_resharding_in_progress",
      `The reshard of \`${name}\` is switching; it can no longer be canceled. Reshard it again once it is done to go back.`,
    );
  }
  if ((await ctx.taskStore.jobs.get(cancelId(job.id))) === null) {
    await ctx.taskStore.jobs.enqueue({ type: RESHARD_CANCEL_JOB, id: cancelId(job.id) });
  }
  return reshardView(job, true);
}

export function reshardNotFound(name: string) {
  return meiliError(
    "miroir_reshard_not_found",
    `No reshard of \`${name}\` ${"is in progress or known"}.`,
  );
}

export interface ReshardingOptions {
  readonly processId: string;
  readonly claimTtlMs: number;
  readonly renewIntervalMs: number;
}

/**
 * The `resharding` duty, run by the leader only: takes the next reshard (or one a former
 * leader left, once its claim expired) and runs it to its end. Progress is saved after
 * every batch, fenced by the leader lease and the job's claim.
 */
export function startResharding(
  ctx: ProxyContext,
  duties: DutyRunner,
  options: ReshardingOptions,
): RunningDuty & { readonly stopping: () => void } {
  let stopped = false;
  const jobs = ctx.taskStore.jobs;
  const duty = startDuty(duties, {
    name: "resharding",
    intervalMs: Math.min(1_000, options.renewIntervalMs),
    mode: "leader",
    async run(run) {
      await jobs.reclaimExpired();
      const job = await jobs.claim(options.processId, options.claimTtlMs, {
        types: [RESHARD_JOB],
      });
      if (job === null) return;
      // A switched reshard waits for its grace period without holding the duty: its claim is
      // left to expire, and it is taken again (and its old index deleted) once the time comes.
      const progress = job.progress as ReshardProgress | null;
      if (
        progress?.phase === "switched" &&
        Date.parse(progress.dropAfter ?? "") - Date.now() > WAIT_IN_RUN_MS
      ) {
        return;
      }
      try {
        await new ReshardRun(ctx, run, job, options, () => stopped).run();
      } catch (error) {
        if (error instanceof StaleLeaseError || stopped) throw error;
        if (job.attempts >= MAX_ATTEMPTS) {
          await new ReshardRun(ctx, run, job, options, () => stopped).abandon(String(error));
        }
        throw error;
      }
    },
  });
  return {
    ...duty,
    stopping: () => {
      stopped = true;
    },
    async stop() {
      stopped = true;
      await duty.stop();
    },
  };
}

class Stopped extends Error {}

/** One claim of one reshard: runs its phases from where the job stands. */
class ReshardRun {
  private progress: ReshardProgress;
  private readonly params: ReshardParams;
  private lost: Error | null = null;
  private readonly holder: string;
  private runStarted = Date.now();
  private copiedThisRun = 0;

  constructor(
    private readonly ctx: ProxyContext,
    private readonly duty: DutyRun,
    private readonly job: JobRecord,
    private readonly options: ReshardingOptions,
    private readonly stopped: () => boolean,
  ) {
    this.params = job.params as ReshardParams;
    const saved = job.progress as ReshardProgress | null;
    const base = saved ?? startingProgress(new Date(job.enqueuedAt).toISOString());
    this.progress = { ...base, runs: base.runs + 1, error: null };
    this.holder = options.processId;
  }

  private get settings() {
    return this.ctx.config.resharding;
  }

  async run(): Promise<void> {
    const renewal = setInterval(() => {
      this.keepClaim().catch((error: Error) => {
        this.lost ??= error;
      });
    }, this.options.renewIntervalMs);
    renewal.unref();
    try {
      if (this.progress.runs > 1) {
        this.ctx.logger.info(
          { reshard: this.job.id, phase: this.progress.phase },
          "resuming a reshard",
        );
      }
      await this.phases();
    } finally {
      clearInterval(renewal);
    }
  }

  private async phases(): Promise<void> {
    // The new index's shard count is known here before anything is written to it.
    this.registerTargetShards();
    for (;;) {
      const phase = this.progress.phase;
      if (phase !== "switched" && (await this.cancelRequested())) {
        await this.dropTarget();
        await this.finish({ phase: "canceled" });
        this.ctx.logger.info({ reshard: this.job.id }, "reshard canceled");
        return;
      }
      switch (phase) {
        case "queued":
        case "creating":
          if (!(await this.untilWindow())) continue;
          await this.save({ phase: "creating" });
          await this.createTarget();
          await this.save({ phase: "copying" });
          break;
        case "copying":
          await this.copy();
          await this.save({ phase: "catching_up" });
          break;
        case "catching_up":
          await this.catchUp();
          if (!(await this.untilWindow())) continue;
          await this.save({ phase: "switching" });
          break;
        case "switching":
          await this.switchOver();
          break;
        case "switched":
          // A long grace period is not waited here: the job is taken again once it is over.
          if (Date.parse(this.progress.dropAfter ?? "") - Date.now() > WAIT_IN_RUN_MS) return;
          await this.dropSourceAfterGrace();
          await this.finish({ phase: "done" });
          this.ctx.logger.info({ reshard: this.job.id }, "reshard done");
          return;
        default:
          return;
      }
    }
  }

  /** Gives the reshard up after its last attempt: the new index goes, the old one stays. */
  async abandon(error: string): Promise<void> {
    if (this.progress.phase === "switched") return;
    await this.dropTarget().catch(() => undefined);
    this.progress = { ...this.progress, phase: "failed", error, finishedAt: now() };
    this.publish();
    await this.duty.fenced(() =>
      this.ctx.taskStore.jobs.complete(this.job.id, this.holder, this.progress),
    );
  }

  // ——— persistence ———

  private async keepClaim(): Promise<void> {
    const kept = await this.duty.fenced(() =>
      this.ctx.taskStore.jobs.heartbeat(
        this.job.id,
        this.holder,
        this.options.claimTtlMs,
        this.progress,
      ),
    );
    if (!kept) throw new StaleLeaseError(`The claim of reshard ${this.job.id} expired.`);
  }

  private async save(change: Partial<ReshardProgress>): Promise<void> {
    if (this.lost !== null) throw this.lost;
    if (this.stopped()) throw new Stopped("the process is stopping");
    const elapsed = (Date.now() - this.runStarted) / 1000;
    this.progress = {
      ...this.progress,
      ...change,
      documentsPerSecond: elapsed > 0 ? Math.round(this.copiedThisRun / elapsed) : 0,
      updatedAt: now(),
    };
    await this.keepClaim();
    this.publish();
  }

  private async finish(change: Partial<ReshardProgress>): Promise<void> {
    this.progress = { ...this.progress, ...change, finishedAt: now(), updatedAt: now() };
    await this.duty.fenced(() =>
      this.ctx.taskStore.jobs.complete(this.job.id, this.holder, this.progress),
    );
    this.publish();
  }

  /** This process's gate learns the phase at once; the others within one follower interval. */
  private publish(): void {
    this.ctx.reshards.apply({
      name: this.params.name,
      source: this.params.source,
      phase: this.progress.phase,
    });
  }

  private async cancelRequested(): Promise<boolean> {
    return (await this.ctx.taskStore.jobs.get(cancelId(this.job.id))) !== null;
  }

  /** Waits until a maintenance window is open; false when the reshard was canceled meanwhile. */
  private async untilWindow(): Promise<boolean> {
    const windows = this.settings.maintenance_windows.flatMap((text) => {
      const window = parseTimeWindow(text);
      return window === undefined ? [] : [window];
    });
    if (insideWindows(windows, new Date())) {
      if (this.progress.waitingForWindow) await this.save({ waitingForWindow: false });
      return !(await this.cancelRequested());
    }
    await this.save({ waitingForWindow: true });
    this.ctx.logger.info({ reshard: this.job.id }, "reshard waiting for a maintenance window");
    while (!insideWindows(windows, new Date())) {
      if (await this.cancelRequested()) return false;
      await this.save({});
      await sleep(1_000);
    }
    await this.save({ waitingForWindow: false });
    return !(await this.cancelRequested());
  }

  // ——— phases ———

  private registerTargetShards(): void {
    const { target, toShards } = this.params;
    if (this.ctx.indexShards.of(target) !== toShards) {
      this.ctx.indexShards.apply({ indexUid: target, shards: toShards, updatedAt: Date.now() });
    }
  }

  /** The new index: registered with its shard count, created, the old one's settings copied. */
  private async createTarget(): Promise<void> {
    const { ctx } = this;
    const { source, target, toShards, primaryKey } = this.params;
    await this.duty.fenced(() => ctx.taskStore.indexShards.set(target, toShards));
    this.registerTargetShards();
    ctx.indexes.forget(target);
    if (!(await ctx.indexes.describe(target)).exists) {
      await untilFinished(ctx, await createIndex(ctx, target, primaryKey));
    }
    const settings = (await readSettings(ctx, source)) as Record<string, unknown>;
    await untilFinished(ctx, await patchSettings(ctx, target, settings));
    const stats = (await indexStats(ctx, source)).body as { numberOfDocuments?: number };
    this.progress = { ...this.progress, documentsTotal: stats.numberOfDocuments ?? 0 };
  }

  /**
   * The bulk copy: each old shard in primary-key order, from a healthy replica, in batches
   * written to the new index's shards by the new count; the cursor is saved after each
   * batch, so a resumed copy goes on after the last key saved.
   */
  private async copy(): Promise<void> {
    const { source, fromShards } = this.params;
    const todo = Array.from({ length: fromShards }, (_, shard) => shard).filter(
      (shard) => !this.progress.shardsCopied.includes(shard),
    );
    const workers = Math.max(1, Math.min(this.settings.backfill_concurrency, todo.length));
    let next = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < todo.length) {
          const shard = todo[next++] as number;
          await this.copyShard(shard);
        }
      }),
    );
    this.ctx.logger.info(
      { reshard: this.job.id, source, documents: this.progress.documentsCopied },
      "reshard copy done",
    );
  }

  private async copyShard(shard: number): Promise<void> {
    const { ctx } = this;
    const { source, primaryKey } = this.params;
    const node = this.readableReplica(source, shard);
    const fingerprint = await readShardFingerprint(ctx, node, source, primaryKey, shard);
    const after = this.progress.cursors[String(shard)] ?? null;
    const ids = [...fingerprint.versions.keys()]
      .sort()
      .filter((id) => after === null || id > after);
    const size = this.settings.backfill_batch_size;
    const rate = this.settings.throttle_docs_per_sec;
    for (let start = 0; start < ids.length; start += size) {
      if (!(await this.untilWindow())) return;
      const began = Date.now();
      const batch = ids.slice(start, start + size);
      await this.copyDocuments(node, batch);
      this.copiedThisRun += batch.length;
      await this.save({
        documentsCopied: this.progress.documentsCopied + batch.length,
        cursors: { ...this.progress.cursors, [String(shard)]: batch.at(-1) as string },
      });
      if (rate > 0) {
        const pause = (batch.length / rate) * 1000 - (Date.now() - began);
        if (pause > 0) await sleep(pause);
      }
    }
    const { [String(shard)]: _done, ...cursors } = this.progress.cursors;
    await this.save({ shardsCopied: [...this.progress.shardsCopied, shard], cursors });
  }

  /**
   * Copies documents from one replica of the old index to every replica of their new
   * shards, with their versions: the new index takes no other write before the switch, so
   * the copy of a document is never older than what the new index holds of it.
   */
  private async copyDocuments(sourceNode: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { ctx } = this;
    const { source, target, primaryKey, toShards } = this.params;
    const answer = await ctx.nodes.call<{ results: Record<string, unknown>[] }>(sourceNode, {
      method: "POST",
      path: `${indexPath(source)}/documents/fetch`,
      json: { ids, limit: ids.length },
    });
    if (answer.status !== 200 || answer.body === null) {
      throw new Error(`node ${sourceNode} answered ${answer.status} to a documents fetch`);
    }
    const topology = topologyOf(ctx, target);
    const byNode = new Map<string, Record<string, unknown>[]>();
    for (const document of answer.body.results) {
      const shard = shardOf(String(document[primaryKey]), toShards);
      const moved = { ...document, [SHARD_FIELD]: shard };
      for (const nodeId of writeTargets(shard, topology)) {
        byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), moved]);
      }
    }
    await Promise.all(
      [...byNode].map(async ([nodeId, documents]) => {
        const sent = await ctx.writes.send(nodeId, target, {
          method: "POST",
          path: `${indexPath(target)}/documents`,
          query: { primaryKey },
          json: documents,
        });
        if (sent.status !== 202) {
          throw new Error(`node ${nodeId} answered ${sent.status} to copied documents`);
        }
      }),
    );
    return answer.body.results.length;
  }

  /** Deletes documents the old index no longer holds from every replica of the new one. */
  private async deleteFromTarget(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const { ctx } = this;
    const { target, toShards } = this.params;
    const topology = topologyOf(ctx, target);
    const byNode = new Map<string, string[]>();
    for (const id of ids) {
      for (const nodeId of writeTargets(shardOf(id, toShards), topology)) {
        byNode.set(nodeId, [...(byNode.get(nodeId) ?? []), id]);
      }
    }
    await Promise.all(
      [...byNode].map(async ([nodeId, batch]) => {
        const sent = await ctx.writes.send(nodeId, target, {
          method: "POST",
          path: `${indexPath(target)}/documents/delete-batch`,
          json: batch,
        });
        if (sent.status !== 202) {
          throw new Error(`node ${nodeId} answered ${sent.status} to a deletion`);
        }
      }),
    );
  }

  /**
   * The writes the old index took since the copy read it: the primary keys and versions of
   * both indexes are compared, newer and missing documents copied, documents gone from the
   * old index deleted from the new one. Rounds repeat while they find differences.
   */
  private async catchUp(): Promise<void> {
    for (let round = 0; round < CATCH_UP_ROUNDS; round++) {
      const applied = await this.syncOnce();
      await this.save({
        catchUpRounds: this.progress.catchUpRounds + 1,
        caughtUp: this.progress.caughtUp + applied,
      });
      if (applied === 0) return;
    }
  }

  /** One comparison round; answers how many documents it copied or deleted. */
  private async syncOnce(): Promise<number> {
    await this.settle(this.params.target);
    const old = await this.readVersions(this.params.source, this.params.fromShards);
    const fresh = await this.readVersions(this.params.target, this.params.toShards);
    const toCopy = new Map<string, string[]>();
    for (const [id, { version, node }] of old) {
      if (fresh.get(id)?.version !== version) toCopy.set(node, [...(toCopy.get(node) ?? []), id]);
    }
    const toDelete = [...fresh.keys()].filter((id) => !old.has(id));
    const size = this.settings.backfill_batch_size;
    let applied = 0;
    for (const [node, ids] of toCopy) {
      for (let start = 0; start < ids.length; start += size) {
        applied += await this.copyDocuments(node, ids.slice(start, start + size));
      }
    }
    for (let start = 0; start < toDelete.length; start += size) {
      await this.deleteFromTarget(toDelete.slice(start, start + size));
    }
    return applied + toDelete.length;
  }

  /** Every document's version in one index, with the replica it was read from. */
  private async readVersions(
    indexUid: string,
    shards: number,
  ): Promise<Map<string, { version: number; node: string }>> {
    const versions = new Map<string, { version: number; node: string }>();
    for (let shard = 0; shard < shards; shard++) {
      const node = this.readableReplica(indexUid, shard);
      const read = await readShardFingerprint(
        this.ctx,
        node,
        indexUid,
        this.params.primaryKey,
        shard,
      );
      for (const [id, version] of read.versions) versions.set(id, { version, node });
    }
    return versions;
  }

  /** Waits until every node applied the writes Miroir sent it for the index so far. */
  private async settle(indexUid: string): Promise<void> {
    const nodes = this.ctx.cluster.topology.nodes.filter(
      (node) =>
        node.state !== "removed" && healthOf(this.ctx.cluster.health, node.id) !== "unreachable",
    );
    await Promise.all(nodes.map((node) => settleNodeIndex(this.ctx, node.id, indexUid)));
  }

  /** A replica of the shard that serves reads now, reachable and not recovering. */
  private readableReplica(indexUid: string, shard: number): string {
    const { ctx } = this;
    const recovering = ctx.convergence.handoff.recovering();
    const serving = shardRoute(topologyOf(ctx, indexUid), shard).serving.flat();
    const node = serving.find(
      (nodeId) => healthOf(ctx.cluster.health, nodeId) !== "unreachable" && !recovering.has(nodeId),
    );
    if (node === undefined) {
      throw new Error(`shard ${shard} of ${indexUid} has no healthy replica to read`);
    }
    return node;
  }

  /**
   * The switch: writes to the index are held by every process (each learns the phase within
   * one follower interval), the writes already sent are waited for, a last comparison
   * brings the new index level with the old one and verifies them equal, then the client's
   * name points at the new index. The held writes then go to the new index.
   */
  private async switchOver(): Promise<void> {
    const { ctx } = this;
    const { name, source, target } = this.params;
    // Every process holds new writes by then; those already accepted have left for the nodes.
    await sleep(2 * Math.min(ctx.config.health.interval_ms, 1_000) + 1_000);
    await this.settle(source);
    let verified: ReshardProgress["verified"] = null;
    for (let round = 0; round < FINAL_ROUNDS && verified === null; round++) {
      const applied = await this.syncOnce();
      await this.save({ caughtUp: this.progress.caughtUp + applied });
      if (applied > 0 || !this.settings.verify_before_swap) {
        if (!this.settings.verify_before_swap) verified = { documents: -1, digest: "" };
        continue;
      }
      verified = await this.verify();
    }
    if (verified === null) {
      throw new Error(`the new index ${target} still differs from ${source} after the last rounds`);
    }
    await this.save({ verified });
    await this.pointNameAt(name, target);
    const dropAfter =
      Date.now() + Math.max(this.settings.retain_old_index_hours * 3_600_000, DROP_FLOOR_MS);
    await this.save({
      phase: "switched",
      switchedAt: now(),
      dropAfter: new Date(dropAfter).toISOString(),
    });
    ctx.logger.info({ reshard: this.job.id, name, from: source, to: target }, "reshard switched");
  }

  /** Old and new compared as whole indexes: the same primary keys with the same versions. */
  private async verify(): Promise<ReshardProgress["verified"]> {
    await this.settle(this.params.target);
    const old = await this.readVersions(this.params.source, this.params.fromShards);
    const fresh = await this.readVersions(this.params.target, this.params.toShards);
    const digestOfIndex = (versions: Map<string, { version: number }>) =>
      digestOf(new Map([...versions].map(([id, { version }]) => [id, version])));
    const before = digestOfIndex(old);
    if (old.size !== fresh.size || before !== digestOfIndex(fresh)) return null;
    return { documents: old.size, digest: before };
  }

  /** Points the client's name at the new index: an alias, created or switched. */
  private async pointNameAt(name: string, target: string): Promise<void> {
    const { ctx } = this;
    const current = await ctx.taskStore.aliases.get(name);
    if (current?.indexes.length === 1 && current.indexes[0] === target) {
      ctx.aliases.apply(current);
      return;
    }
    if (current === null) {
      const created = await this.duty.fenced(() => ctx.taskStore.aliases.create(name, [target]));
      if (created === null) throw new Error(`the alias ${name} appeared meanwhile`);
      ctx.aliases.apply(created);
      return;
    }
    const switched = await this.duty.fenced(() =>
      ctx.taskStore.aliases.switch(name, [target], {
        historyKept: ctx.config.aliases.history_retention,
        expectedVersion: current.version,
      }),
    );
    if (switched.outcome !== "switched") {
      throw new Error(`the alias ${name} changed meanwhile (${switched.outcome})`);
    }
    ctx.aliases.apply(switched.alias);
  }

  /** After the grace period the old index is deleted, and its shard count forgotten. */
  private async dropSourceAfterGrace(): Promise<void> {
    const dropAfter = Date.parse(this.progress.dropAfter ?? now());
    while (Date.now() < dropAfter) {
      await this.save({});
      await sleep(Math.min(1_000, dropAfter - Date.now()));
    }
    const { ctx } = this;
    const { source } = this.params;
    ctx.indexes.forget(source);
    if ((await ctx.indexes.describe(source)).exists) {
      await untilFinished(ctx, await deleteIndex(ctx, source));
    }
    await this.forgetShards(source);
  }

  private async dropTarget(): Promise<void> {
    const { ctx } = this;
    const { target } = this.params;
    ctx.indexes.forget(target);
    if ((await ctx.indexes.describe(target)).exists) {
      await untilFinished(ctx, await deleteIndex(ctx, target));
    }
    await this.forgetShards(target);
  }

  private async forgetShards(indexUid: string): Promise<void> {
    await this.duty.fenced(() => this.ctx.taskStore.indexShards.delete(indexUid));
    this.ctx.indexShards.apply({ deleted: indexUid });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
