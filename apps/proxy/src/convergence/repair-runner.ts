import { parseSchedule } from "@miroir/config";
import type { JobRecord } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import {
  type DutyRun,
  type DutyRunner,
  type RunningDuty,
  StaleLeaseError,
  startDuty,
} from "../duties/background-duty.js";
import {
  type PassControl,
  type PassProgress,
  type PassReport,
  type PassScope,
  runPass,
} from "./anti-entropy.js";

/** The durable job of a background pass, as `GET /_miroir/repair/status` shows it. */
export interface PassJob {
  readonly id: string;
  /** How many processes have held it (more than one: it was resumed after a failover). */
  readonly attempts: number;
  /** Where it resumed, when an earlier holder had compared some shards already. */
  readonly resumedFrom: PassProgress | null;
}

/** What `GET /_miroir/repair/status` shows. */
export interface RepairStatus {
  /** The pass in progress, if any. */
  readonly running:
    | (PassScope & { readonly progress: PassProgress | null; readonly job?: PassJob })
    | null;
  /** The last finished pass. */
  readonly last: PassReport | null;
}

/** Runs anti-entropy passes one at a time, on demand or from the `anti-entropy` duty. */
export interface RepairRunner {
  run(scope: PassScope, control?: PassControl, job?: PassJob): Promise<PassReport>;
  status(): RepairStatus;
}

export function createRepairRunner(ctx: () => ProxyContext): RepairRunner {
  let queue: Promise<unknown> = Promise.resolve();
  let running: { scope: PassScope; progress: PassProgress | null; job?: PassJob } | null = null;
  let last: PassReport | null = null;
  return {
    run(scope, control, job) {
      const pass = queue.then(async () => {
        running = { scope, progress: null, ...(job === undefined ? {} : { job }) };
        try {
          const report = await runPass(
            ctx(),
            scope,
            (progress) => {
              if (running !== null) running.progress = progress;
            },
            control,
          );
          last = report;
          return report;
        } finally {
          running = null;
        }
      });
      queue = pass.catch(() => undefined);
      return pass;
    },
    status: () => ({
      running:
        running === null
          ? null
          : {
              ...running.scope,
              progress: running.progress,
              ...(running.job === undefined ? {} : { job: running.job }),
            },
      last,
    }),
  };
}

/** The pause between background passes: `anti_entropy.schedule` ("every 6h"; windows hourly). */
export function passIntervalMs(schedule: string): number {
  const parsed = parseSchedule(schedule);
  return parsed?.kind === "every" ? parsed.intervalMs : 3_600_000;
}

const MAX_PASS_ATTEMPTS = 3;

/** Job type of a background anti-entropy pass in the task store. */
export const PASS_JOB_TYPE = "anti_entropy_pass";

export interface AntiEntropyOptions {
  /** This process's id: the holder of the pass job it runs. */
  readonly processId: string;
  /** The job's claim lasts this long and is renewed every `renewIntervalMs` while it runs. */
  readonly claimTtlMs: number;
  readonly renewIntervalMs: number;
}

/**
 * The `anti-entropy` duty, run by the leader only: a throttled pass over every index and
 * shard at the configured pace, repairing when `anti_entropy.auto_repair` is on. Each
 * pass is a job in the task store whose progress (the shards compared so far) is saved
 * after every shard, so when the leader dies mid-pass the next leader resumes it where it
 * stopped instead of starting over. Every save and every repair write is fenced by the
 * leader lease: a former leader that wakes up from a pause writes nothing.
 */
export function startAntiEntropy(
  ctx: ProxyContext,
  duties: DutyRunner,
  options: AntiEntropyOptions,
): RunningDuty {
  const settings = ctx.config.anti_entropy;
  const everyMs = passIntervalMs(settings.schedule);
  const startedAt = Date.now();
  const jobs = ctx.taskStore.jobs;

  /** The pass to run now: one left by a former leader, or a new one when due. */
  async function nextPass(): Promise<JobRecord | null> {
    await jobs.reclaimExpired();
    const passes = (await jobs.list()).filter((job) => job.type === PASS_JOB_TYPE);
    const open = passes.some((job) => job.state === "queued" || job.state === "in_progress");
    if (!open) {
      const lastStart = Math.max(startedAt, ...passes.map((job) => job.enqueuedAt));
      if (Date.now() - lastStart < everyMs) return null;
      // Finished passes are kept only as the date of the last one.
      for (const old of passes.slice(0, -1)) await jobs.remove(old.id);
      await jobs.enqueue({
        type: PASS_JOB_TYPE,
        params: { repair: settings.auto_repair, throttled: true },
      });
    }
    return jobs.claim(options.processId, options.claimTtlMs, { types: [PASS_JOB_TYPE] });
  }

  async function runJob(run: DutyRun, job: JobRecord): Promise<void> {
    const scope = job.params as PassScope;
    const resumeFrom = (job.progress as PassProgress | null) ?? undefined;
    let lost: Error | null = null;
    const keepClaim = async (progress?: PassProgress) => {
      const kept = await run.fenced(() =>
        jobs.heartbeat(job.id, options.processId, options.claimTtlMs, progress),
      );
      if (!kept) throw new StaleLeaseError(`The claim of pass ${job.id} expired.`);
    };
    const renewal = setInterval(() => {
      keepClaim().catch((error: Error) => {
        lost ??= error;
      });
    }, options.renewIntervalMs);
    renewal.unref();
    try {
      const control: PassControl = {
        ...(resumeFrom === undefined ? {} : { resumeFrom }),
        fence: (act) => {
          if (lost !== null) throw lost;
          return run.fenced(act);
        },
        onShardDone: async (progress) => {
          if (lost !== null) throw lost;
          await keepClaim(progress);
        },
      };
      const passJob = { id: job.id, attempts: job.attempts, resumedFrom: resumeFrom ?? null };
      if (resumeFrom !== undefined) {
        ctx.logger.info({ job: job.id, resumeFrom }, "resuming an anti-entropy pass");
      }
      await ctx.convergence.repairs.run(scope, control, passJob);
    } finally {
      clearInterval(renewal);
    }
    await run.fenced(() => jobs.complete(job.id, options.processId));
  }

  return startDuty(duties, {
    name: "anti-entropy",
    // Runs often so that a pass left by a former leader is resumed within a renewal
    // period; a new pass starts only once the schedule says so.
    intervalMs: Math.min(everyMs, options.renewIntervalMs),
    mode: "leader",
    async run(run) {
      if (!settings.enabled) return;
      const job = await nextPass();
      if (job === null) return;
      try {
        await runJob(run, job);
      } catch (error) {
        // A pass that keeps failing is given up after its third holder; another one is
        // left to expire and be resumed by the next round.
        if (!(error instanceof StaleLeaseError) && job.attempts >= MAX_PASS_ATTEMPTS) {
          await run.fenced(() => jobs.fail(job.id, options.processId, String(error)));
        }
        throw error;
      }
    },
  });
}
