import { MeiliError } from "@miroir/errors";
import type { MiddlewareHandler } from "hono";
import type { Task } from "./task-queue.js";

interface PlannedFailure {
  route: string | RegExp;
  status: number;
  remaining: number;
}

/**
 * Faults a test can put on a node: hold every answer (pause), slow every answer (delay),
 * break the next matching requests (failNext) or the matching tasks (failTasks), keep
 * matching tasks enqueued (holdTasks).
 */
export class NodeFaults {
  private paused: Promise<void> | undefined;
  private release: (() => void) | undefined;
  private delayMs = 0;
  private readonly failures: PlannedFailure[] = [];
  private readonly releaseListeners: (() => void)[] = [];
  taskFailure: ((task: Task) => boolean) | undefined;
  /** The dump folder is unusable (see NodeControl.breakDumps). */
  dumpsBroken = false;
  taskHold: ((task: Task) => boolean) | undefined;

  pause(): void {
    if (this.paused !== undefined) return;
    this.paused = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  resume(): void {
    this.release?.();
    this.paused = undefined;
    this.release = undefined;
  }

  delay(ms: number): void {
    this.delayMs = Math.max(0, ms);
  }

  /**
   * The next `count` requests whose `"METHOD /path"` matches answer `status` with an
   * `internal` error. A string matches the path exactly or `"METHOD /path"` exactly.
   */
  failNext(route: string | RegExp, status = 500, count = 1): void {
    this.failures.push({ route, status, remaining: count });
  }

  /** Matching tasks fail with an `internal` error when they run; undefined stops it. */
  failTasks(predicate: ((task: Task) => boolean) | undefined): void {
    this.taskFailure = predicate;
  }

  /**
   * Matching tasks stay `enqueued` when the scheduler reaches them (and hold every task
   * behind them) until `releaseTasks()`; they can still be canceled.
   */
  holdTasks(predicate: (task: Task) => boolean): void {
    this.taskHold = predicate;
  }

  /** Lets held tasks run again. */
  releaseTasks(): void {
    this.taskHold = undefined;
    for (const listener of this.releaseListeners) listener();
  }

  /** Called on every `releaseTasks()` (the node's scheduler resumes). */
  onTasksReleased(listener: () => void): void {
    this.releaseListeners.push(listener);
  }

  private takeFailure(method: string, path: string): PlannedFailure | undefined {
    const request = `${method} ${path}`;
    const failure = this.failures.find(({ route }) =>
      typeof route === "string" ? route === path || route === request : route.test(request),
    );
    if (failure === undefined) return undefined;
    failure.remaining--;
    if (failure.remaining <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
    return failure;
  }

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      if (this.paused !== undefined) await this.paused;
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const failure = this.takeFailure(c.req.method, c.req.path);
      if (failure !== undefined) {
        const error = new MeiliError(
          {
            message: `The node failed \`${c.req.method} ${c.req.path}\` on purpose.`,
            code: "internal",
            type: "internal",
            link: "https://docs.meilisearch.com/errors#internal",
          },
          failure.status,
        );
        return error.toResponse();
      }
      await next();
    };
  }
}
