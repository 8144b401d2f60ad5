import type { MiroirTaskRecord, TaskPatch, TaskStatus, TaskStore } from "@miroir/taskstore";
import type { Logger } from "pino";
import type { NodeClient } from "../node-client/index.js";
import { aggregateStatus, isFinished } from "./aggregate-status.js";
import { fetchNodeTasks } from "./fetch-node-tasks.js";
import type { NodeTask } from "./node-task.js";
import { nodeOfTaskKey } from "./node-task-key.js";
import { finishedDetails } from "./task-details.js";

/** Pruning scans finished tasks, so it runs far less often than polling. */
const PRUNE_INTERVAL_MS = 60_000;

export interface TaskPollerOptions {
  readonly store: TaskStore;
  readonly nodes: NodeClient;
  readonly logger: Logger;
  readonly intervalMs: number;
  readonly ttlMs: number;
  /** Copies of every document (RG × RF), to turn summed node counters into totals. */
  readonly copies: number;
  /** Tasks whose outcome a running operation decides (settings, index lifecycle). */
  readonly isCoordinated: (uid: number) => boolean;
}

export interface TaskPoller {
  /** One pass: refresh every unfinished task; prune expired finished ones once a minute. */
  pollOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** Background refresh of unfinished Miroir tasks from their node tasks. */
export function startTaskPoller(options: TaskPollerOptions): TaskPoller {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let lastPrune = 0;

  async function pollOnce(): Promise<void> {
    const unfinished = await options.store.tasks.listUnfinished();
    const pending = unfinished.filter(
      (task) => !options.isCoordinated(task.uid) && Object.keys(task.nodeTasks).length > 0,
    );
    if (pending.length > 0) {
      const found = await fetchNodeTasks(
        options.nodes,
        pending.flatMap((task) => Object.entries(task.nodeTasks)),
      );
      // Cancelations last: the tasks they canceled are then already stored as canceled.
      const ordered = [
        ...pending.filter((task) => task.type !== "taskCancelation"),
        ...pending.filter((task) => task.type === "taskCancelation"),
      ];
      for (const task of ordered) {
        let patch = refreshed(
          task,
          (key) => found.get(nodeOfTaskKey(key), task.nodeTasks[key] as number),
          options.copies,
        );
        if (patch?.status === "succeeded" && task.type === "taskCancelation") {
          patch = { ...patch, details: await cancelationDetails(options.store, task, patch) };
        }
        if (patch !== undefined) await options.store.tasks.update(task.uid, patch);
      }
    }
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

/**
 * A finished cancelation counts the Miroir tasks it canceled, as Meilisearch counts its
 * own: the nodes' counts are of node tasks, several of which make one Miroir task.
 */
async function cancelationDetails(
  store: TaskStore,
  task: MiroirTaskRecord,
  patch: TaskPatch,
): Promise<Record<string, unknown>> {
  const canceled = await store.tasks.list({
    canceledBy: [task.uid],
    statuses: ["canceled"],
    limit: 0,
  });
  return { ...(patch.details ?? task.details ?? {}), canceledTasks: canceled.total };
}

/** The change a poll brings to one task, or `undefined` when nothing moved. */
export function refreshed(
  task: MiroirTaskRecord,
  nodeTaskOf: (key: string) => NodeTask | undefined,
  copies: number,
): TaskPatch | undefined {
  const keys = Object.keys(task.nodeTasks);
  const nodeStatuses: Record<string, TaskStatus> = {};
  const known: NodeTask[] = [];
  for (const key of keys) {
    const nodeTask = nodeTaskOf(key);
    const status = nodeTask?.status ?? task.nodeStatuses[key] ?? "enqueued";
    nodeStatuses[key] = status;
    if (nodeTask !== undefined) known.push(nodeTask);
  }
  const status = aggregateStatus(keys.map((key) => nodeStatuses[key] as TaskStatus));
  const changed = keys.some((key) => nodeStatuses[key] !== task.nodeStatuses[key]);
  if (!changed && status === task.status) return undefined;
  if (!isFinished(status)) {
    return {
      status,
      nodeStatuses,
      startedAt: status === "processing" ? (task.startedAt ?? earliestStart(known)) : null,
    };
  }
  const failure = known.find((nodeTask) => nodeTask.status === "failed" && nodeTask.error);
  return {
    status,
    nodeStatuses,
    error: failure?.error ?? null,
    details: finishedDetails(task.details, known, copies, status === "succeeded"),
    startedAt: task.startedAt ?? earliestStart(known),
    finishedAt: latestFinish(known),
  };
}

function earliestStart(tasks: readonly NodeTask[]): number {
  const times = tasks.flatMap((task) => (task.startedAt ? [Date.parse(task.startedAt)] : []));
  return times.length === 0 ? Date.now() : Math.min(...times);
}

function latestFinish(tasks: readonly NodeTask[]): number {
  const times = tasks.flatMap((task) => (task.finishedAt ? [Date.parse(task.finishedAt)] : []));
  return times.length === 0 ? Date.now() : Math.max(...times);
}
