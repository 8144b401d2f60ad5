import { healthOf, writeTargets } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import { indexPath } from "../node-client/index.js";
import { topologyOf } from "../topology/index-shards.js";
import { waitForNodeTask } from "./node-task-wait.js";
import { reconcileShard } from "./reconcile.js";
import { compareSettings, type SettingsReport } from "./settings-drift.js";
import { readShardFingerprint } from "./shard-fingerprint.js";

/** What to compare: one index (and maybe one shard), one node's shards, or everything. */
export interface PassScope {
  readonly indexUid?: string;
  readonly shard?: number;
  /** Only the shards this node holds, against their other replicas. */
  readonly nodeId?: string;
  /**
   * The node's replicas are not trusted (it missed writes no hint kept): a document only
   * it holds is deleted there rather than copied, since a deletion it missed may have left
   * no tombstone (a delete by filter). Only with `nodeId`.
   */
  readonly full?: boolean;
  /** Repair what differs (otherwise only report). */
  readonly repair: boolean;
  /** Fingerprint at most `anti_entropy.max_docs_per_sec` (background passes). */
  readonly throttled?: boolean;
}

export interface ShardReport {
  readonly shard: number;
  /** The replicas compared and their digests. */
  readonly digests: Record<string, string>;
  readonly documents: number;
  readonly divergent: number;
  readonly repaired: number;
  /** Replicas that could not be read (unreachable or recovering). */
  readonly skipped: readonly string[];
  /**
   * True when writes to the index were in flight while the replicas were read: what
   * differed may be writes not yet applied everywhere, so nothing was counted or repaired
   * (the next pass compares again).
   */
  readonly unsettled: boolean;
}

export interface IndexReport {
  readonly indexUid: string;
  readonly shards: ShardReport[];
  readonly settings: SettingsReport;
}

export interface PassReport {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly repair: boolean;
  readonly divergentDocuments: number;
  readonly repairedDocuments: number;
  readonly divergentSettings: number;
  readonly indexes: IndexReport[];
}

/**
 * How a background pass is driven when it is durable: where it resumes, how its progress
 * is saved, and the fence every repair write goes through (a process that lost the lease
 * the pass runs under must not write to the nodes).
 */
export interface PassControl {
  /** Shards already compared by an earlier holder of the pass: start after them. */
  readonly resumeFrom?: PassProgress;
  /** Awaited after each shard; a throw stops the pass there. */
  readonly onShardDone?: (progress: PassProgress) => Promise<void>;
  /** Runs the repair writes of one shard, or throws without running them. */
  readonly fence?: <T>(act: () => Promise<T>) => Promise<T>;
}

/** Progress of the pass in progress, for `GET /_miroir/repair/status`. */
export interface PassProgress {
  readonly indexUid: string;
  readonly shardsDone: number;
  readonly shardsTotal: number;
}

/**
 * One anti-entropy pass: for every index and shard in scope, the fingerprint of each
 * replica that can be read is compared; when digests differ, the (id, version) pairs are
 * reconciled (newest version wins, tombstones win over older versions, unversioned extras
 * go) and, when repairing, the winners are copied and the losers deleted on the lanes of
 * the replicas concerned. Settings are compared across every node of the index.
 */
export async function runPass(
  ctx: ProxyContext,
  scope: PassScope,
  onProgress: (progress: PassProgress) => void = () => undefined,
  control: PassControl = {},
): Promise<PassReport> {
  const startedAt = new Date().toISOString();
  const indexes: IndexReport[] = [];
  const resume = control.resumeFrom;
  for (const { uid, primaryKey } of await listIndexes(ctx)) {
    if (scope.indexUid !== undefined && scope.indexUid !== uid) continue;
    if (primaryKey === null) continue;
    // Indexes are listed in uid order, so those before the resumed one are done.
    if (resume !== undefined && uid < resume.indexUid) continue;
    const shards = shardsInScope(ctx, uid, scope);
    const reports: ShardReport[] = [];
    const skip = resume !== undefined && uid === resume.indexUid ? resume.shardsDone : 0;
    for (const [done, shard] of shards.entries()) {
      if (done < skip) continue;
      onProgress({ indexUid: uid, shardsDone: done, shardsTotal: shards.length });
      ctx.metrics.repairProgress.set({ index: uid }, done / shards.length);
      reports.push(await compareShard(ctx, uid, primaryKey, shard, scope, control));
      const progress = { indexUid: uid, shardsDone: done + 1, shardsTotal: shards.length };
      await control.onShardDone?.(progress);
    }
    ctx.metrics.repairProgress.set({ index: uid }, 1);
    const settings = await compareSettings(ctx, uid, scope.repair);
    if (scope.shard === undefined && scope.nodeId === undefined) {
      ctx.convergence.lastVerified.set(uid, Date.now());
    }
    await pruneTombstones(ctx, uid);
    indexes.push({ indexUid: uid, shards: reports, settings });
  }
  const sum = (pick: (report: ShardReport) => number) =>
    indexes.reduce((total, index) => total + index.shards.reduce((t, s) => t + pick(s), 0), 0);
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    repair: scope.repair,
    divergentDocuments: sum((shard) => shard.divergent),
    repairedDocuments: sum((shard) => shard.repaired),
    divergentSettings: indexes.reduce((total, index) => total + index.settings.divergent.length, 0),
    indexes,
  };
}

function shardsInScope(ctx: ProxyContext, indexUid: string, scope: PassScope): number[] {
  const topology = topologyOf(ctx, indexUid);
  const all = Array.from({ length: topology.shards }, (_, shard) => shard);
  return all.filter(
    (shard) =>
      (scope.shard === undefined || scope.shard === shard) &&
      (scope.nodeId === undefined || writeTargets(shard, topology).includes(scope.nodeId)),
  );
}

async function compareShard(
  ctx: ProxyContext,
  indexUid: string,
  primaryKey: string,
  shard: number,
  scope: PassScope,
  control: PassControl,
): Promise<ShardReport> {
  const recovering = ctx.convergence.handoff.recovering();
  const replicas = writeTargets(shard, topologyOf(ctx, indexUid));
  const readable = replicas.filter(
    (nodeId) =>
      healthOf(ctx.cluster.health, nodeId) !== "unreachable" &&
      (nodeId === scope.nodeId || !recovering.has(nodeId)),
  );
  const skipped = replicas.filter((nodeId) => !readable.includes(nodeId));
  const writesBefore = ctx.convergence.writesSeen(indexUid);
  const quietBefore = !(await writesInFlight(ctx, indexUid));
  const fingerprints = await Promise.all(
    readable.map((nodeId) =>
      readShardFingerprint(
        ctx,
        nodeId,
        indexUid,
        primaryKey,
        shard,
        scope.throttled === true ? ctx.config.anti_entropy.max_docs_per_sec : 0,
      ),
    ),
  );
  const digests: Record<string, string> = {};
  const versions = new Map<string, Map<string, number>>();
  readable.forEach((nodeId, i) => {
    const fingerprint = fingerprints[i] as (typeof fingerprints)[number];
    digests[nodeId] = fingerprint.digest;
    versions.set(nodeId, fingerprint.versions);
  });
  const documents = Math.max(0, ...fingerprints.map((f) => f.versions.size));
  // Read after the fingerprints, so a deletion they already show has its tombstone here.
  const tombstones = new Map(
    [...(await ctx.taskStore.tombstones.list(indexUid))].map(([id, t]) => [id, t.version]),
  );
  const base = { shard, digests, documents, skipped, unsettled: false };
  if (new Set(Object.values(digests)).size <= 1 && !hasTombstoned(versions, tombstones)) {
    return { ...base, divergent: 0, repaired: 0 };
  }
  // Replicas apply a write at their own pace: while one is in flight they may differ
  // without diverging, and a repair could bring back what a pending deletion removes.
  if (!quietBefore || !(await settled(ctx, indexUid, writesBefore))) {
    return { ...base, divergent: 0, repaired: 0, unsettled: true };
  }
  const untrusted = scope.full === true ? scope.nodeId : undefined;
  const plan = reconcileShard(versions, tombstones, untrusted);
  ctx.metrics.divergentDocuments.inc({ index: indexUid }, plan.divergent.length);
  if (!scope.repair || plan.divergent.length === 0) {
    return { ...base, divergent: plan.divergent.length, repaired: 0 };
  }
  const repaired = await applyRepair(ctx, indexUid, primaryKey, plan, writesBefore, control);
  ctx.metrics.repairedDocuments.inc({ index: indexUid }, repaired);
  return { ...base, divergent: plan.divergent.length, repaired };
}

/**
 * No write to the index was accepted since `writesBefore` was read, and none is still
 * unfinished (a finished Miroir task is applied on every replica that acknowledged it;
 * the others hold hints and are not compared). Checked before the replicas are read too:
 * a deletion by filter in flight then leaves no tombstone to tell it from a missed write.
 */
async function settled(
  ctx: ProxyContext,
  indexUid: string,
  writesBefore: number,
): Promise<boolean> {
  if (ctx.convergence.writesSeen(indexUid) !== writesBefore) return false;
  return !(await writesInFlight(ctx, indexUid));
}

async function writesInFlight(ctx: ProxyContext, indexUid: string): Promise<boolean> {
  const unfinished = await ctx.taskStore.tasks.listUnfinished();
  return unfinished.some((task) => task.indexUid === indexUid);
}

function hasTombstoned(
  versions: ReadonlyMap<string, ReadonlyMap<string, number>>,
  tombstones: ReadonlyMap<string, number>,
): boolean {
  for (const docs of versions.values()) {
    for (const [id, version] of docs) {
      const deletedAt = tombstones.get(id);
      if (deletedAt !== undefined && deletedAt >= version) return true;
    }
  }
  return false;
}

/**
 * Copies the winners and deletes the losers on the replicas' write lanes. A client write
 * to the index accepted after the fingerprints were read may be newer than a winner read
 * then: the repair is left to the next pass rather than risk writing an older version.
 */
async function applyRepair(
  ctx: ProxyContext,
  indexUid: string,
  primaryKey: string,
  plan: ReturnType<typeof reconcileShard>,
  writesBefore: number,
  control: PassControl,
): Promise<number> {
  const bySource = new Map<string, Set<string>>();
  for (const ids of plan.copies.values()) {
    for (const [id, source] of ids) {
      const set = bySource.get(source) ?? new Set<string>();
      set.add(id);
      bySource.set(source, set);
    }
  }
  const documents = new Map<string, Record<string, unknown>>();
  for (const [source, ids] of bySource) {
    for (const document of await fetchDocuments(ctx, source, indexUid, [...ids])) {
      documents.set(String(document[primaryKey]), document);
    }
  }
  if (!(await settled(ctx, indexUid, writesBefore))) return 0;
  const fence = control.fence ?? (<T>(act: () => Promise<T>) => act());
  return fence(() => sendRepairs(ctx, indexUid, primaryKey, plan, documents));
}

async function sendRepairs(
  ctx: ProxyContext,
  indexUid: string,
  primaryKey: string,
  plan: ReturnType<typeof reconcileShard>,
  documents: ReadonlyMap<string, Record<string, unknown>>,
): Promise<number> {
  const path = indexPath(indexUid);
  const sent: Promise<{ nodeId: string; taskUid: number; count: number } | null>[] = [];
  for (const [nodeId, ids] of plan.copies) {
    const body = [...ids.keys()].flatMap((id) => {
      const document = documents.get(id);
      return document === undefined ? [] : [document];
    });
    if (body.length === 0) continue;
    sent.push(
      sendRepair(ctx, nodeId, indexUid, body.length, {
        method: "POST",
        path: `${path}/documents`,
        query: { primaryKey },
        json: body,
      }),
    );
  }
  for (const [nodeId, ids] of plan.deletions) {
    sent.push(
      sendRepair(ctx, nodeId, indexUid, ids.length, {
        method: "POST",
        path: `${path}/documents/delete-batch`,
        json: ids,
      }),
    );
  }
  let repaired = 0;
  for (const done of await Promise.all(sent)) {
    if (done === null || typeof done.taskUid !== "number") continue;
    if (await waitForNodeTask(ctx, done.nodeId, done.taskUid)) repaired += done.count;
  }
  return repaired;
}

/** One repair write through the node's write lane: its node task, or null when refused. */
function sendRepair(
  ctx: ProxyContext,
  nodeId: string,
  indexUid: string,
  count: number,
  request: Parameters<ProxyContext["writes"]["send"]>[2],
): Promise<{ nodeId: string; taskUid: number; count: number } | null> {
  return ctx.writes
    .send(nodeId, indexUid, request)
    .then((answer) => ({ nodeId, taskUid: (answer.body as { taskUid: number }).taskUid, count }))
    .catch(() => null);
}

async function fetchDocuments(
  ctx: ProxyContext,
  nodeId: string,
  indexUid: string,
  ids: readonly string[],
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  const page = 1_000;
  for (let start = 0; start < ids.length; start += page) {
    const slice = ids.slice(start, start + page);
    const answer = await ctx.nodes.call<{ results: Record<string, unknown>[] }>(nodeId, {
      method: "POST",
      path: `${indexPath(indexUid)}/documents/fetch`,
      json: { ids: slice, limit: slice.length },
    });
    if (answer.status !== 200 || answer.body === null) {
      throw new Error(`node ${nodeId} answered ${answer.status} to a repair read`);
    }
    found.push(...answer.body.results);
  }
  return found;
}

/** Tombstones older than the retention window are forgotten. */
async function pruneTombstones(ctx: ProxyContext, indexUid: string): Promise<void> {
  const retentionMs = ctx.config.anti_entropy.tombstone_retention_hours * 3_600_000;
  await ctx.taskStore.tombstones.prune(indexUid, Date.now() - retentionMs);
}

/** Every index of the fleet with its primary key, read from the nodes that answer. */
async function listIndexes(
  ctx: ProxyContext,
): Promise<{ uid: string; primaryKey: string | null }[]> {
  const found = new Map<string, string | null>();
  for (const nodeId of ctx.nodes.nodeIds) {
    if (healthOf(ctx.cluster.health, nodeId) === "unreachable") continue;
    const answer = await ctx.nodes
      .call<{ results: { uid: string; primaryKey: string | null }[] }>(nodeId, {
        method: "GET",
        path: "/indexes",
        query: { limit: "10000" },
      })
      .catch(() => null);
    if (answer === null || answer.status !== 200 || answer.body === null) continue;
    for (const index of answer.body.results) {
      if (found.get(index.uid) == null) found.set(index.uid, index.primaryKey);
    }
  }
  return [...found]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([uid, primaryKey]) => ({ uid, primaryKey }));
}
