/**
 * A long-running operation as a progress bar. Every kind of job the admin API reports
 * (today the rebalance; later repair and resharding) is one `ProgressSource`, listed in
 * `progressSources`, so a new job type plugs in without touching the page.
 */
export interface ProgressItem {
  readonly id: string;
  readonly title: string;
  /** `unavailable`: the admin API reports the work but nothing runs it in this version. */
  readonly state: "idle" | "running" | "done" | "failed" | "unavailable";
  readonly done: number;
  readonly total: number;
  /** What `done` and `total` count, e.g. "shard placements". */
  readonly unit: string;
  readonly note?: string;
}

export interface ProgressSource {
  readonly id: string;
  readonly title: string;
  /** Reads the jobs of this kind from the admin API. */
  load(): Promise<ProgressItem[]>;
}
