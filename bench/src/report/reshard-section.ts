import type { ReshardRun } from "../suites/reshard-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Online resharding" part of docs/benchmarks.md. */
export function reshardSection(run: ReshardRun | null | undefined): string {
  if (run === undefined || run === null) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only reshard`).";
  }
  const upstream = run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes";
  const ratio = run.reshard.documentsPerSecond / run.raw.documentsPerSecond;
  return [
    `One index of ${run.documents.toLocaleString("en-US")} documents on 3 ${upstream} (RF 1) resharded from ${run.fromShards} to ${run.toShards} shards, no client load, Miroir in the bench process; ${run.durationSeconds.toFixed(0)} s in all.`,
    "",
    markdownTable(
      ["path", "time", "documents/s"],
      [
        [
          `raw copy of the index to a fourth node (pages of ${run.pageSize.toLocaleString("en-US")}, written as read)`,
          `${run.raw.seconds.toFixed(1)} s`,
          run.raw.documentsPerSecond.toFixed(0),
        ],
        [
          "Miroir reshard, request to switch",
          `${run.reshard.seconds.toFixed(1)} s`,
          run.reshard.documentsPerSecond.toFixed(0),
        ],
        [
          "Miroir reshard, the rate it reports (documents copied / its run's time so far)",
          "",
          run.reshard.copyDocumentsPerSecond.toFixed(0),
        ],
      ],
    ),
    "",
    `Reshard / raw: ${ratio.toFixed(2)}. Both wait until the target has indexed every document. The reshard also creates the new index with the old settings, reads every shard's (id, version) pairs to walk it in key order, writes each document to the replicas of its new shard, then compares both whole indexes (keys and versions) before it switches, which holds writes for a moment. \`resharding.throttle_docs_per_sec\` was 0 (no throttle), \`backfill_concurrency\` 4.`,
  ].join("\n");
}
