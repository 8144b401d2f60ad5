import type { TaskListingRun } from "../suites/task-listing-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Task listing" part of docs/benchmarks.md. */
export function taskListingSection(run: TaskListingRun | null | undefined): string {
  if (run === undefined || run === null) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only task-listing`).";
  }
  const rows = run.backends.flatMap((backend) =>
    backend.queries.map((query) => [
      backend.backend === "sqlite" ? "SQLite (file, WAL)" : "Redis (loopback)",
      query.name,
      query.total.toLocaleString("en-US"),
      `${query.p50Ms.toFixed(2)} ms`,
      `${query.p99Ms.toFixed(2)} ms`,
      `${query.meanMs.toFixed(2)} ms`,
    ]),
  );
  const iterations = run.backends[0]?.iterations ?? 0;
  return [
    `\`tasks.list\` (what \`GET /tasks\` calls) on a store holding ${run.tasks.toLocaleString("en-US")} tasks (1 in 50 failed, the last 10 unfinished), ${iterations} calls per query after 20 warm-up calls, in a child process per backend. Pages are read through the uid index (per status when the query names statuses) and the total comes from per-status counts, so neither depends on how many tasks the store holds.`,
    "",
    markdownTable(["backend", "query", "total", "p50", "p99", "mean"], rows),
    "",
    `Filling the stores (written straight into each backend's layout): ${run.backends
      .map((backend) => `${backend.backend} ${backend.fillSeconds.toFixed(0)} s`)
      .join(", ")}.`,
  ].join("\n");
}
