import { meiliError } from "@miroir/errors";
import type { MiroirTaskRecord, RolloverPolicyRecord } from "@miroir/taskstore";
import { createAlias, switchAlias } from "../aliases/alias-changes.js";
import { createIndex, deleteIndex } from "../broadcast/index-lifecycle.js";
import { patchSettings } from "../broadcast/settings-update.js";
import type { ProxyContext } from "../context.js";
import { type DutyRunner, startDuty } from "../duties/background-duty.js";
import { getIndex } from "../reads/indexes.js";
import { readSettings } from "../reads/settings.js";
import { indexStats } from "../reads/stats.js";
import { isFinished } from "../tasks/aggregate-status.js";

/** The index uid of a policy's generation: `logs-000001`, `logs-000002`, … */
export function generationUid(name: string, generation: number): string {
  return `${name}-${String(generation).padStart(6, "0")}`;
}

/** What one evaluation of a policy did. */
export interface RolloverOutcome {
  readonly rolledTo: string | null;
  readonly deleted: readonly string[];
}

/**
 * Evaluates one policy: when the write alias's index reached a limit (or `force`), the
 * next generation is created with the same primary key and settings, the read alias takes
 * it first, then the write alias moves to it; then the oldest generations beyond
 * `keepGenerations` leave the read alias and are deleted (none younger than
 * `ilm.safety_lock_older_than_days`). Every step can be done again, so an evaluation cut
 * short is finished by the next one.
 */
export function evaluatePolicy(
  ctx: ProxyContext,
  name: string,
  force = false,
): Promise<RolloverOutcome> {
  // One evaluation at a time per process: the duty and an admin request never race.
  const previous = evaluations.get(ctx) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const policy = await ctx.taskStore.rolloverPolicies.get(name);
      if (policy === null) return { rolledTo: null, deleted: [] };
      return evaluateNow(ctx, policy, force);
    });
  evaluations.set(ctx, next);
  return next;
}

const evaluations = new WeakMap<ProxyContext, Promise<unknown>>();

async function evaluateNow(
  ctx: ProxyContext,
  policy: RolloverPolicyRecord,
  force: boolean,
): Promise<RolloverOutcome> {
  const write = ctx.aliases.resolve(policy.name);
  if (write === undefined || write.indexes.length !== 1) {
    throw meiliError(
      "miroir_invalid_request",
      `The rollover policy \`${policy.name}\` needs its write alias to name one index.`,
    );
  }
  const current = write.indexes[0] as string;
  let rolledTo: string | null = null;
  if (force || (await limitReached(ctx, policy, current))) {
    rolledTo = await rollOver(ctx, policy, current);
  }
  return { rolledTo, deleted: await applyRetention(ctx, policy) };
}

async function limitReached(
  ctx: ProxyContext,
  policy: RolloverPolicyRecord,
  current: string,
): Promise<boolean> {
  if (policy.maxAgeMs !== null) {
    const created = Date.parse((await getIndex(ctx, current)).createdAt);
    if (Date.now() - created >= policy.maxAgeMs) return true;
  }
  if (policy.maxDocuments === null && policy.maxSizeBytes === null) return false;
  const stats = (await indexStats(ctx, current)).body as {
    numberOfDocuments?: number;
    rawDocumentDbSize?: number;
  };
  if (policy.maxDocuments !== null && (stats.numberOfDocuments ?? 0) >= policy.maxDocuments) {
    return true;
  }
  return policy.maxSizeBytes !== null && (stats.rawDocumentDbSize ?? 0) >= policy.maxSizeBytes;
}

async function rollOver(
  ctx: ProxyContext,
  policy: RolloverPolicyRecord,
  current: string,
): Promise<string> {
  const generation = policy.generation + 1;
  const next = generationUid(policy.name, generation);
  if (!(await ctx.indexes.describe(next)).exists) {
    const { primaryKey } = await ctx.indexes.describe(current);
    await untilFinished(ctx, await createIndex(ctx, next, primaryKey));
  }
  const settings = (await readSettings(ctx, current)) as Record<string, unknown>;
  await untilFinished(ctx, await patchSettings(ctx, next, settings));
  // Readers see the new generation before any write lands in it.
  const read = ctx.aliases.resolve(policy.readAlias);
  if (read === undefined) {
    await createAlias(ctx, policy.readAlias, { indexes: [next, current] });
  } else if (!read.indexes.includes(next)) {
    await switchAlias(ctx, policy.readAlias, { indexes: [next, ...read.indexes] }, read.version);
  }
  await switchAlias(ctx, policy.name, { indexes: [next] });
  await ctx.taskStore.rolloverPolicies.advance(policy.name, generation);
  ctx.logger.info({ policy: policy.name, from: current, to: next }, "index rolled over");
  return next;
}

async function applyRetention(ctx: ProxyContext, policy: RolloverPolicyRecord): Promise<string[]> {
  const deleted: string[] = [];
  const keep = policy.keepGenerations;
  if (keep === null) return deleted;
  const lockMs = ctx.config.ilm.safety_lock_older_than_days * 86_400_000;
  const write = ctx.aliases.resolve(policy.name)?.indexes[0];
  for (;;) {
    const read = ctx.aliases.resolve(policy.readAlias);
    if (read === undefined || read.indexes.length <= keep) return deleted;
    const oldest = read.indexes.at(-1) as string;
    if (oldest === write) return deleted;
    const created = Date.parse((await getIndex(ctx, oldest)).createdAt);
    if (Date.now() - created < lockMs) return deleted;
    // Compare-and-set: a change made meanwhile by another process is never undone here.
    await switchAlias(ctx, policy.readAlias, { indexes: read.indexes.slice(0, -1) }, read.version);
    try {
      await untilFinished(ctx, await deleteIndex(ctx, oldest));
    } catch (error) {
      // Another process may have deleted it first; only an index still there is a failure.
      ctx.indexes.forget(oldest);
      if ((await ctx.indexes.describe(oldest)).exists) throw error;
    }
    ctx.logger.info({ policy: policy.name, index: oldest }, "oldest generation deleted");
    deleted.push(oldest);
  }
}

const TASK_WAIT_MS = 120_000;

/** Waits for a Miroir task this process started; throws its error when it failed. */
export async function untilFinished(ctx: ProxyContext, task: MiroirTaskRecord): Promise<void> {
  const deadline = Date.now() + TASK_WAIT_MS;
  for (let pause = 10; Date.now() < deadline; pause = Math.min(pause * 2, 250)) {
    const record = await ctx.taskStore.tasks.get(task.uid);
    if (record !== null && isFinished(record.status)) {
      if (record.status === "succeeded") return;
      throw meiliError(
        "miroir_invalid_request",
        `Task ${task.uid} (${task.type} of \`${task.indexUid}\`) ${record.status}: ${record.error?.message ?? "no error given"}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
  throw meiliError(
    "miroir_invalid_request",
    `Task ${task.uid} (${task.type} of \`${task.indexUid}\`) did not finish within ${TASK_WAIT_MS / 1000} s.`,
  );
}

/**
 * The `rollover` duty: the leader evaluates every policy each `ilm.check_interval_s`, at
 * most `ilm.max_rollovers_per_check` rollovers per round.
 */
export function startRollover(ctx: ProxyContext, duties: DutyRunner): { stop(): Promise<void> } {
  const ilm = ctx.config.ilm;
  if (!ilm.enabled) return { stop: async () => undefined };
  const checks = startDuty(duties, {
    name: "rollover",
    intervalMs: ilm.check_interval_s * 1000,
    mode: "leader",
    async run(run) {
      let rolled = 0;
      for (const policy of await ctx.taskStore.rolloverPolicies.list()) {
        if (rolled >= ilm.max_rollovers_per_check) return;
        const outcome = await run.fenced(() => evaluatePolicy(ctx, policy.name));
        if (outcome.rolledTo !== null) rolled += 1;
      }
    },
  });
  return { stop: checks.stop };
}
