import { parseSchedule } from "@miroir/config";
import type { ProxyContext } from "../context.js";
import { type DutyRunner, type RunningDuty, startDuty } from "../duties/background-duty.js";
import { type PassProgress, type PassReport, type PassScope, runPass } from "./anti-entropy.js";

/** What `GET /_miroir/repair/status` shows. */
export interface RepairStatus {
  /** The pass in progress, if any. */
  readonly running: (PassScope & { readonly progress: PassProgress | null }) | null;
  /** The last finished pass. */
  readonly last: PassReport | null;
}

/** Runs anti-entropy passes one at a time, on demand or from the `anti-entropy` duty. */
export interface RepairRunner {
  run(scope: PassScope): Promise<PassReport>;
  status(): RepairStatus;
}

export function createRepairRunner(ctx: () => ProxyContext): RepairRunner {
  let queue: Promise<unknown> = Promise.resolve();
  let running: { scope: PassScope; progress: PassProgress | null } | null = null;
  let last: PassReport | null = null;
  return {
    run(scope) {
      const pass = queue.then(async () => {
        running = { scope, progress: null };
        try {
          const report = await runPass(ctx(), scope, (progress) => {
            if (running !== null) running.progress = progress;
          });
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
      running: running === null ? null : { ...running.scope, progress: running.progress },
      last,
    }),
  };
}

/** The pause between background passes: `anti_entropy.schedule` ("every 6h"; windows hourly). */
export function passIntervalMs(schedule: string): number {
  const parsed = parseSchedule(schedule);
  return parsed?.kind === "every" ? parsed.intervalMs : 3_600_000;
}

/**
 * The `anti-entropy` duty: a throttled pass over every index and shard at the configured
 * pace, repairing when `anti_entropy.auto_repair` is on.
 */
export function startAntiEntropy(ctx: ProxyContext, duties: DutyRunner): RunningDuty {
  const settings = ctx.config.anti_entropy;
  return startDuty(duties, {
    name: "anti-entropy",
    intervalMs: passIntervalMs(settings.schedule),
    mode: "everywhere",
    jitter: 0.1,
    async run() {
      if (!settings.enabled) return;
      await ctx.convergence.repairs.run({ repair: settings.auto_repair, throttled: true });
    },
  });
}
