import type { Logger } from "pino";
import type { ProxyMetrics } from "../observability/index.js";

/**
 * How a duty runs when several Miroir processes share one task store: in `everywhere`
 * process (health probes: each process needs its own view), only in the process holding
 * the `leader` lease, or `partitioned` so that each item is owned by exactly one live
 * process. Which modes can run depends on the `DutyCoordination` in use.
 */
export type DutyMode = "everywhere" | "leader" | "partitioned";

/** One run of a duty: what it may act on. */
export interface DutyRun {
  /** Whether this process owns `item` now (always, unless the duty is `partitioned`). */
  owns(item: string): boolean;
  /**
   * Runs `act` only if this process still holds what the run was granted — the leader
   * lease for a `leader` duty, the lease of `item`'s partition for a `partitioned` one —
   * checked against the shared store with the lease's fencing token right before `act`.
   * Otherwise throws a `StaleLeaseError` and runs nothing: a process paused past its lease
   * that wakes up mid-run cannot act. Every write a leader-only duty makes goes through it.
   */
  fenced<T>(act: () => Promise<T>, item?: string): Promise<T>;
}

/** A duty's run found it no longer holds the lease it acts for: it stops, acting on nothing. */
export class StaleLeaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StaleLeaseError";
  }
}

/** Periodic background work of the proxy, declared once and run by `startDuty`. */
export interface Duty {
  /** Names the duty in logs and in the `duty` label of its metrics. */
  readonly name: string;
  /** The pause between the end of one run and the start of the next. */
  readonly intervalMs: number;
  readonly mode: DutyMode;
  /**
   * Shortens each pause by up to this fraction of the interval, at random, so processes
   * started together do not all hit the store at the same instant; never lengthens it.
   */
  readonly jitter?: number;
  run(run: DutyRun): Promise<void>;
}

/**
 * Decides, at each run, whether this process runs a duty and what it owns. A coordination
 * built on a leader lease and item leases can run `leader` and `partitioned` duties; the
 * duties themselves do not change.
 */
export interface DutyCoordination {
  readonly modes: readonly DutyMode[];
  /** This process's part of the next run of `duty`, or null when another process runs it. */
  claim(duty: Duty): Promise<DutyRun | null>;
  /** Told of each duty started (and stopped) here, to list what this process runs. */
  register?(duty: Duty): void;
  unregister?(duty: Duty): void;
}

/** A run that owns everything and acts unconditionally. */
export const EVERYTHING: DutyRun = { owns: () => true, fenced: (act) => act() };

/** Each process runs each `everywhere` duty on everything, and refuses the other modes. */
export const everyProcess: DutyCoordination = {
  modes: ["everywhere"],
  claim: async () => EVERYTHING,
};

export interface DutyRunner {
  readonly logger: Logger;
  readonly metrics: ProxyMetrics;
  readonly coordination?: DutyCoordination;
}

export interface RunningDuty {
  /** Runs the duty now, or joins the run in progress; resolves once it is over. */
  runNow(): Promise<void>;
  /** Stops scheduling runs and waits for the one in progress. */
  stop(): Promise<void>;
}

/**
 * Runs `duty` every `intervalMs` (plus jitter) after the previous run ended, the first
 * time one interval after the start; runs never overlap. A run that fails is logged and
 * counted, and the schedule goes on. Records `miroir_duty_runs_total`,
 * `miroir_duty_failures_total` and `miroir_duty_duration_seconds` by duty. A duty whose
 * mode the coordination cannot run is refused here, at start.
 */
export function startDuty(runner: DutyRunner, duty: Duty): RunningDuty {
  const coordination = runner.coordination ?? everyProcess;
  if (!coordination.modes.includes(duty.mode)) {
    throw new Error(
      `The ${duty.name} duty runs in mode ${duty.mode}, which this process cannot coordinate.`,
    );
  }
  coordination.register?.(duty);
  const labels = { duty: duty.name };
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function once(): Promise<void> {
    const end = runner.metrics.dutyDuration.startTimer(labels);
    try {
      const claimed = await coordination.claim(duty);
      if (claimed === null) return;
      await duty.run(claimed);
    } catch (error) {
      if (error instanceof StaleLeaseError) {
        // Not a failure: another process holds the lease now and does the work.
        runner.logger.warn({ duty: duty.name, reason: error.message }, "duty stepped down");
      } else {
        runner.metrics.dutyFailures.inc(labels);
        runner.logger.warn({ duty: duty.name, err: error }, "background duty failed");
      }
    }
    end();
    runner.metrics.dutyRuns.inc(labels);
  }

  function runNow(): Promise<void> {
    running ??= once().finally(() => {
      running = undefined;
    });
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    const pause = duty.intervalMs * (1 - (duty.jitter ?? 0) * Math.random());
    timer = setTimeout(() => {
      void runNow().finally(schedule);
    }, pause);
    timer.unref();
  }
  schedule();

  return {
    runNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      coordination.unregister?.(duty);
    },
  };
}
