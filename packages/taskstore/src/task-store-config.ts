import type { EpochMs } from "./tasks/task-record.js";

interface CommonOptions {
  /** Source of "now" in epoch ms; defaults to `Date.now`. Tests pass a fake clock. */
  readonly clock?: () => EpochMs;
}

export interface SqliteTaskStoreConfig extends CommonOptions {
  readonly backend: "sqlite";
  /** Database file; `:memory:` for a throw-away store. */
  readonly path: string;
}

export interface RedisTaskStoreConfig extends CommonOptions {
  readonly backend: "redis";
  /** e.g. `redis://127.0.0.1:6379`. */
  readonly url: string;
  /** Prepended to every key; defaults to `miroir:`. */
  readonly keyPrefix?: string;
  /** How long to try connecting before giving up; defaults to 5000 ms. */
  readonly connectTimeoutMs?: number;
}

export type TaskStoreConfig = SqliteTaskStoreConfig | RedisTaskStoreConfig;
