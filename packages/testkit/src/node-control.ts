import type { Task } from "./node/task-queue.js";

/** A node's task queue held still by `holdQueue()`. */
export interface QueueHold {
  /** Lets the queue run again; resolves once the node has taken the release. */
  release(): Promise<void>;
}

/**
 * The faults a test can put on a harness node. Emulated and real nodes implement the same
 * interface; the members marked *emulated only* have no faithful real-process twin and
 * throw on a real node, naming the twin to use instead (see the README).
 */
export interface NodeControl {
  readonly kind: "emulated" | "real";
  /**
   * Holds every answer until `resume()`; connections are still accepted. Real nodes:
   * SIGSTOP of the process.
   */
  pause(): void;
  /** Real nodes: SIGCONT. */
  resume(): void;
  /**
   * Makes the node unreachable: clients get connection refused until `restart()`. Real
   * nodes: SIGKILL of the process.
   */
  kill(): Promise<void>;
  /**
   * Serves again on the same port with indexes, documents, tasks and keys intact. Real
   * nodes: the process starts again over the same data folder.
   */
  restart(): Promise<void>;
  /**
   * Delays every answer by `ms` (0 to stop). Real nodes: the delay of the relay in front of
   * the node, so only nodes started with `startCluster({ relay: true })` have it.
   */
  delay(ms: number): void;
  /**
   * Keeps every task enqueued from now on waiting until `release()`, as a busy node
   * would. Real nodes: a settings task on a private index whose REST embedder (a local
   * stub) does not answer until released; it adds that index and its two tasks (the
   * settings update and the index's deletion) to the node.
   */
  holdQueue(): Promise<QueueHold>;
  /**
   * Makes the node's dump folder unusable: `dumpCreation` tasks fail with Meilisearch's
   * `internal` error ("Not a directory") until `repairDumps()`. Real nodes: the folder is
   * replaced by a file.
   */
  breakDumps(): Promise<void>;
  repairDumps(): Promise<void>;
  /**
   * *Emulated only.* The next `count` requests matching `route` answer `status` with an
   * `internal` error.
   */
  failNext(route: string | RegExp, status?: number, count?: number): void;
  /**
   * *Emulated only* (`undefined`, which stops failing tasks, is accepted by both). Tasks
   * matching `predicate` fail when they run.
   */
  failTasks(predicate: ((task: Task) => boolean) | undefined): void;
  /**
   * *Emulated only.* Tasks matching `predicate` stay `enqueued` (and so does every task
   * behind them, as on a busy node) until `releaseTasks()`; cancelations still run and
   * can cancel them.
   */
  holdTasks(predicate: (task: Task) => boolean): void;
  /** Lets tasks held by `holdTasks` run (a real node holds none: nothing to do). */
  releaseTasks(): void;
}

/** What a real node answers to a control it cannot honour faithfully. */
export function emulatorOnly(control: string, twin: string): Error {
  return new Error(`\`${control}\` exists only on emulated nodes; on a real node ${twin}`);
}
