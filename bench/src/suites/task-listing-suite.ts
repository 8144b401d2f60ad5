import { fileURLToPath } from "node:url";
import { runChildJson } from "../processes/child-json.js";
import { startRedisProcess } from "../processes/redis-process.js";

/** One listing query timed on one backend. */
export interface TaskListingQueryFigure {
  readonly name: string;
  /** The page's `total`: how many tasks match. */
  readonly total: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

export interface TaskListingBackend {
  readonly backend: "sqlite" | "redis";
  readonly tasks: number;
  readonly fillSeconds: number;
  readonly iterations: number;
  readonly queries: readonly TaskListingQueryFigure[];
}

/** `GET /tasks` pages among many tasks, on each task store backend. */
export interface TaskListingRun {
  readonly tasks: number;
  readonly backends: readonly TaskListingBackend[];
}

export interface TaskListingOptions {
  readonly tasks: number;
  readonly iterations: number;
}

/**
 * Fills a SQLite file and a throw-away Redis with the tasks, each in a child process of
 * its own, and times listing pages through the store's API there.
 */
export async function measureTaskListing(options: TaskListingOptions): Promise<TaskListingRun> {
  const script = fileURLToPath(new URL("./task-listing-child.js", import.meta.url));
  const args = ["--tasks", String(options.tasks), "--iterations", String(options.iterations)];
  const sqlite = await runChildJson<TaskListingBackend>({
    script,
    args: [...args, "--backend", "sqlite"],
    timeoutMs: 300_000,
  });
  const redis = await startRedisProcess();
  try {
    const onRedis = await runChildJson<TaskListingBackend>({
      script,
      args: [...args, "--backend", "redis", "--redis-url", redis.url],
      timeoutMs: 300_000,
    });
    return { tasks: options.tasks, backends: [sqlite, onRedis] };
  } finally {
    await redis.stop();
  }
}
