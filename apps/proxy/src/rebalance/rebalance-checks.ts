import type { ProxyContext } from "../context.js";
import { type DutyRunner, type RunningDuty, startDuty } from "../duties/background-duty.js";

/**
 * The `rebalancer` duty: every health interval, resumes a migration whose runner died (its
 * claim expired) and starts one when the fleet has nodes joining or draining. Every process
 * checks; the rebalancer lease lets one of them run it.
 */
export function startRebalanceChecks(ctx: ProxyContext, duties: DutyRunner): RunningDuty {
  return startDuty(duties, {
    name: "rebalancer",
    intervalMs: ctx.config.health.interval_ms,
    mode: "everywhere",
    jitter: 0.1,
    run: () => ctx.rebalancer.check(),
  });
}
