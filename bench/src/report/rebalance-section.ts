import type { RebalanceRun } from "../suites/rebalance-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Shard migration" part of docs/benchmarks.md. */
export function rebalanceSection(run: RebalanceRun | null | undefined): string {
  if (run === undefined || run === null) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only rebalance`).";
  }
  const upstream = run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes";
  const ratio = run.migration.documentsPerSecond / run.raw.documentsPerSecond;
  return [
    `One shard of ${run.documents.toLocaleString("en-US")} documents (S 1, RF 1) on ${upstream}, Miroir in the bench process; ${run.durationSeconds.toFixed(0)} s in all.`,
    "",
    markdownTable(
      ["path", "time", "documents/s"],
      [
        [
          `raw copy between two nodes (pages of ${run.pageSize.toLocaleString("en-US")}, written as read)`,
          `${run.raw.seconds.toFixed(1)} s`,
          run.raw.documentsPerSecond.toFixed(0),
        ],
        [
          "Miroir migration, the shard's node drained (start to cut-over)",
          `${run.migration.seconds.toFixed(1)} s`,
          run.migration.documentsPerSecond.toFixed(0),
        ],
      ],
    ),
    "",
    `Migration / raw: ${ratio.toFixed(2)}. Both wait until the target has indexed every document. The migration also reads the shard's (id, version) pairs first to walk it in key order, checks the target's versions before each batch so a copy never overwrites a newer write, and verifies both replicas' fingerprints before the cut-over; it wrote ${run.migration.copied.toLocaleString("en-US")} documents. \`rebalancer.max_docs_per_sec\` was 0 (no throttle) here; its default, 20 000, bounds the load a migration adds.`,
  ].join("\n");
}
