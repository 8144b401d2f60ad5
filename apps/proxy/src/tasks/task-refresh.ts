import type { MiroirTaskRecord, TaskPatch, TaskStatus, TaskStore } from "@miroir/taskstore";
import type { NodeClient } from "../node-client/index.js";
import { aggregateStatus, isFinished } from "./aggregate-status.js";
import { fetchNodeTasks } from "./fetch-node-tasks.js";
import type { NodeTask } from "./node-task.js";
import { nodeOfTaskKey } from "./node-task-key.js";
import { finishedDetails } from "./task-details.js";

export interface TaskRefreshOptions {
  readonly store: TaskStore;
  readonly nodes: NodeClient;
  /**
   * Copies of every document (RG × RF), to turn summed node counters into totals for
   * writes not sent in counting parts.
   */
  readonly copies: number;
  /** Tasks whose outcome a running operation decides (settings, index lifecycle). */
  readonly isCoordinated: (uid: number) => boolean;
  /** Called with a task about to be stored finished, before it is (caches it may stale). */
  readonly onFinished?: (task: MiroirTaskRecord) => void;
}

/**
 * Brings Miroir tasks up to date with their node tasks and stores what moved. The
 * background poller refreshes every unfinished task; `GET /tasks/{uid}` refreshes the one
 * it shows, so a client waiting for a task sees it finish as soon as its nodes do. One
 * refresh of a task runs at a time in a process: a reader arriving meanwhile shares it.
 */
export interface TaskRefresh {
  /** One `GET /tasks?uids=…` per node for all of them; cancelations are settled last. */
  refresh(tasks: readonly MiroirTaskRecord[]): Promise<void>;
  /**
   * The task, refreshed first when unfinished and refreshable on demand, together with
   * the other unfinished tasks of its index.
   */
  current(task: MiroirTaskRecord): Promise<MiroirTaskRecord>;
}

/** How many other unfinished tasks of its index a reader's refresh takes along. */
const SIBLINGS_PER_REFRESH = 100;

export function createTaskRefresh(options: TaskRefreshOptions): TaskRefresh {
  const inFlight = new Map<number, Promise<MiroirTaskRecord>>();

  function refreshable(task: MiroirTaskRecord): boolean {
    return (
      !isFinished(task.status) &&
      !options.isCoordinated(task.uid) &&
      Object.keys(task.nodeTasks).length > 0
    );
  }

  /** Not a cancelation: it counts what it canceled once stored so, which the poller orders. */
  function onDemand(task: MiroirTaskRecord): boolean {
    return refreshable(task) && task.type !== "taskCancelation";
  }

  function start(tasks: readonly MiroirTaskRecord[]): Promise<unknown> {
    const batch = refreshBatch(options, tasks);
    for (const task of tasks) {
      const settled = batch.then(
        (stored) => stored.get(task.uid) ?? task,
        () => task,
      );
      inFlight.set(task.uid, settled);
      void settled.finally(() => {
        if (inFlight.get(task.uid) === settled) inFlight.delete(task.uid);
      });
    }
    return batch;
  }

  return {
    async refresh(tasks) {
      const own = tasks.filter((task) => refreshable(task) && !inFlight.has(task.uid));
      if (own.length > 0) await start(own);
    },
    current(task) {
      if (!onDemand(task)) return Promise.resolve(task);
      const running = inFlight.get(task.uid);
      if (running !== undefined) return running;
      // The index's other unfinished tasks ride along (the same one request per node), so
      // a client waiting for a series of writes finds the later ones already refreshed.
      const listed = options.store.tasks.listUnfinished().then(
        (unfinished) => {
          const siblings = unfinished
            .filter(
              (other) =>
                other.uid !== task.uid &&
                other.indexUid === task.indexUid &&
                onDemand(other) &&
                !inFlight.has(other.uid),
            )
            .slice(0, SIBLINGS_PER_REFRESH);
          void start([task, ...siblings]).catch(() => undefined);
          return inFlight.get(task.uid) ?? task;
        },
        () => task,
      );
      inFlight.set(task.uid, listed);
      void listed.finally(() => {
        if (inFlight.get(task.uid) === listed) inFlight.delete(task.uid);
      });
      return listed;
    },
  };
}

async function refreshBatch(
  options: TaskRefreshOptions,
  tasks: readonly MiroirTaskRecord[],
): Promise<Map<number, MiroirTaskRecord>> {
  const found = await fetchNodeTasks(
    options.nodes,
    tasks.flatMap((task) => Object.entries(task.nodeTasks)),
  );
  // Cancelations last: the tasks they canceled are then already stored as canceled.
  const ordered = [
    ...tasks.filter((task) => task.type !== "taskCancelation"),
    ...tasks.filter((task) => task.type === "taskCancelation"),
  ];
  const stored = new Map<number, MiroirTaskRecord>();
  for (const task of ordered) {
    let patch = refreshed(
      task,
      (key) => found.get(nodeOfTaskKey(key), task.nodeTasks[key] as number),
      options.copies,
      (key) => !options.nodes.nodeIds.includes(nodeOfTaskKey(key)),
    );
    if (patch === undefined) continue;
    if (patch.status === "succeeded" && task.type === "taskCancelation") {
      patch = { ...patch, details: await cancelationDetails(options.store, task, patch) };
    }
    if (patch.status !== undefined && isFinished(patch.status)) options.onFinished?.(task);
    const updated = await options.store.tasks.update(task.uid, patch);
    if (updated !== null) stored.set(task.uid, updated);
  }
  return stored;
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
  /**
   * Whether the node of a node task has left the fleet (removed after a drain, or a
   * canceled join): nothing can be asked of it any more, and the copy it held no longer
   * counts, so its unfinished part no longer holds the task back.
   */
  leftFleet: (key: string) => boolean = () => false,
): TaskPatch | undefined {
  const keys = Object.keys(task.nodeTasks);
  const nodeStatuses: Record<string, TaskStatus> = {};
  const knownByKey = new Map<string, NodeTask>();
  for (const key of keys) {
    const nodeTask = nodeTaskOf(key);
    const last = nodeTask?.status ?? task.nodeStatuses[key] ?? "enqueued";
    const status = leftFleet(key) && !isFinished(last) ? "succeeded" : last;
    nodeStatuses[key] = status;
    if (nodeTask !== undefined) knownByKey.set(key, nodeTask);
  }
  const known = [...knownByKey.values()];
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
    details: finishedDetails(task.details, knownByKey, copies, status === "succeeded"),
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
