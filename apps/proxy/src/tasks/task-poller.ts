import type { TaskStore } from "@miroir/taskstore";
import { type DutyRunner, type RunningDuty, startDuty } from "../duties/background-duty.js";
import type { TaskRefresh } from "./task-refresh.js";

/** Pruning scans finished tasks, so it runs far less often than polling. */
const PRUNE_INTERVAL_MS = 60_000;

export interface TaskPollerOptions {
  readonly store: TaskStore;
  readonly refresh: TaskRefresh;
  /** Runs the polls as the `task-poller` duty. */
  readonly duties: DutyRunner;
  readonly intervalMs: number;
  readonly ttlMs: number;
}

/**
 * Background refresh of unfinished Miroir tasks, including those nobody asks about, and
 * pruning of finished ones once a minute (`task_registry.ttl_seconds`). The duty is
 * `partitioned`: each task is an item (`task:<uid>`) refreshed by the one process that
 * owns its partition, and pruning (finished tasks, and the expired rows of the other tables: leases, members,
 * idempotency keys, sessions) is the item `task-prune`. A refresh is idempotent (it
 * reads the node tasks again), so the brief overlap of a hand-over costs nothing.
 */
export function startTaskPoller(options: TaskPollerOptions): RunningDuty {
  let lastPrune = 0;
  const polls = startDuty(options.duties, {
    name: "task-poller",
    intervalMs: options.intervalMs,
    mode: "partitioned",
    jitter: 0.1,
    async run(run) {
      const unfinished = await options.store.tasks.listUnfinished();
      await options.refresh.refresh(unfinished.filter((task) => run.owns(`task:${task.uid}`)));
      if (run.owns("task-prune") && Date.now() - lastPrune >= PRUNE_INTERVAL_MS) {
        lastPrune = Date.now();
        await options.store.tasks.prune(lastPrune - options.ttlMs);
        // Expired leases, idempotency keys and sessions already read as absent.
        await options.store.pruneExpired();
      }
    },
  });
  return polls;
}
