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
 *
 * On-demand refreshes are paced per index: one at a time, each starting at least
 * `onDemandSpacing` after the previous one started (20 ms, up to 200 ms for a task
 * waited for a long time: a tenth of its age). A reader whose task a running
 * refresh covers shares it; any other waits for the index's next one, which every reader
 * arriving meanwhile shares, so a reader always sees what the nodes said after it asked
 * or while it was asking, and clients polling in a tight loop cost the nodes one
 * `GET /tasks` per index and pace rather than one per poll.
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

/**
 * The shortest time between the starts of two on-demand refreshes of one index: short
 * beside a node's indexing of even a small batch, long beside a client polling every few
 * milliseconds.
 */
export const ON_DEMAND_SPACING_MS = 20;
/**
 * The longest: a task waited for a while is refreshed at a tenth of its age, so it is
 * seen finished at most a tenth later than its nodes finished it (and within this).
 */
export const ON_DEMAND_SPACING_MAX_MS = 200;

/** The pause between two on-demand refreshes for a reader of `task`, by the task's age. */
export function onDemandSpacing(task: MiroirTaskRecord, now: number): number {
  const age = Math.max(0, now - task.enqueuedAt);
  return Math.min(ON_DEMAND_SPACING_MAX_MS, Math.max(ON_DEMAND_SPACING_MS, age / 10));
}

/** The on-demand refreshes of one index. */
interface IndexPace {
  /** When the last one started (`performance.now()`), `-Infinity` before the first. */
  lastStart: number;
  /** The one running, settled once it has stored what it learned. */
  running: Promise<unknown> | null;
  /** The next one, waiting for its turn; readers arriving meanwhile join it. */
  next: NextRefresh | null;
}

interface NextRefresh {
  /** The tasks its readers asked for: each is refreshed whatever the siblings' limit. */
  readonly asked: Set<number>;
  /** What it stored, by task uid. */
  readonly done: Promise<Map<number, MiroirTaskRecord>>;
}

export function createTaskRefresh(options: TaskRefreshOptions): TaskRefresh {
  const inFlight = new Map<number, Promise<MiroirTaskRecord>>();
  const paces = new Map<string | null, IndexPace>();

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

  function start(tasks: readonly MiroirTaskRecord[]): Promise<Map<number, MiroirTaskRecord>> {
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

  function paceOf(indexUid: string | null): IndexPace {
    let pace = paces.get(indexUid);
    if (pace === undefined) {
      pace = { lastStart: Number.NEGATIVE_INFINITY, running: null, next: null };
      paces.set(indexUid, pace);
    }
    return pace;
  }

  /** The index's next on-demand refresh, once the running one is done and the pace allows. */
  function scheduleNext(
    indexUid: string | null,
    pace: IndexPace,
    first: MiroirTaskRecord,
  ): NextRefresh {
    const asked = new Set<number>();
    const spacing = onDemandSpacing(first, Date.now());
    const done = (async () => {
      await pace.running;
      const wait = pace.lastStart + spacing - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pace.next = null;
      pace.lastStart = performance.now();
      const work = refreshIndex(indexUid, asked);
      const running = work.catch(() => undefined);
      pace.running = running;
      void running.then(() => forgetIdle(indexUid, pace, running));
      return work;
    })();
    return { asked, done };
  }

  /**
   * The readers' own tasks always; the index's other unfinished ones ride along (the same
   * one request per node), so a client waiting for a series of writes finds the later
   * ones already refreshed.
   */
  async function refreshIndex(
    indexUid: string | null,
    asked: ReadonlySet<number>,
  ): Promise<Map<number, MiroirTaskRecord>> {
    const unfinished = await options.store.tasks.listUnfinished();
    const own = unfinished.filter(
      (task) => task.indexUid === indexUid && onDemand(task) && !inFlight.has(task.uid),
    );
    const taken = [
      ...own.filter((task) => asked.has(task.uid)),
      ...own.filter((task) => !asked.has(task.uid)).slice(0, SIBLINGS_PER_REFRESH),
    ];
    if (taken.length === 0) return new Map();
    const stored = await start(taken);
    // A task the refresh left unchanged is as it was read.
    return new Map([...taken.map((task) => [task.uid, task] as const), ...stored]);
  }

  /** An index nobody reads any more is forgotten once its pace no longer holds a reader back. */
  function forgetIdle(indexUid: string | null, pace: IndexPace, running: Promise<unknown>): void {
    if (pace.running === running) pace.running = null;
    const timer = setTimeout(() => {
      if (pace.running === null && pace.next === null && paces.get(indexUid) === pace) {
        paces.delete(indexUid);
      }
    }, ON_DEMAND_SPACING_MAX_MS);
    timer.unref?.();
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
      const pace = paceOf(task.indexUid);
      if (pace.next === null) pace.next = scheduleNext(task.indexUid, pace, task);
      const next = pace.next;
      next.asked.add(task.uid);
      return next.done.then(
        async (stored) => {
          const refreshed = stored.get(task.uid);
          if (refreshed !== undefined) return refreshed;
          // Finished meanwhile, or being refreshed by the poller: what that one stores.
          const other = inFlight.get(task.uid);
          if (other !== undefined) return other;
          return (await options.store.tasks.get(task.uid)) ?? task;
        },
        () => task,
      );
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
