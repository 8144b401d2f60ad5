import type { TaskStore } from "@miroir/taskstore";
import type { Logger } from "pino";
import type { TaskRefresh } from "./task-refresh.js";

/** Pruning scans finished tasks, so it runs far less often than polling. */
const PRUNE_INTERVAL_MS = 60_000;

export interface TaskPollerOptions {
  readonly store: TaskStore;
  readonly refresh: TaskRefresh;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly ttlMs: number;
}

export interface TaskPoller {
  /** One pass: refresh every unfinished task; prune expired finished ones once a minute. */
  pollOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** Background refresh of unfinished Miroir tasks, including those nobody asks about. */
export function startTaskPoller(options: TaskPollerOptions): TaskPoller {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let lastPrune = 0;

  async function pollOnce(): Promise<void> {
    await options.refresh.refresh(await options.store.tasks.listUnfinished());
    if (Date.now() - lastPrune >= PRUNE_INTERVAL_MS) {
      lastPrune = Date.now();
      await options.store.tasks.prune(lastPrune - options.ttlMs);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pollOnce()
        .catch((error: unknown) => options.logger.warn({ err: error }, "task polling failed"))
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  }
  schedule();

  return {
    pollOnce,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
    },
  };
}
