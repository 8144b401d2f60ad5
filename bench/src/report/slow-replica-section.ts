import type { SlowReplicaRun } from "../suites/slow-replica-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Slow replica" part of docs/benchmarks.md. */
export function slowReplicaSection(run: SlowReplicaRun | null | undefined): string {
  if (run === undefined || run === null) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only slow-replica`).";
  }
  const upstream = run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes";
  const rows = [run.withoutHedging, run.withHedging].map((path) => [
    path.label,
    path.latency.requests.toString(),
    `${path.latency.p50Ms.toFixed(2)} ms`,
    `${path.latency.p99Ms.toFixed(2)} ms`,
    `${path.latency.meanMs.toFixed(2)} ms`,
    path.nodeRequestsPerSearch.toFixed(3),
    `${path.hedgesSent} (${path.hedgesWon} won)`,
  ]);
  const ratio = run.withHedging.latency.p99Ms / run.withoutHedging.latency.p99Ms;
  const extra =
    run.withHedging.nodeRequestsPerSearch /
      Math.max(1e-9, run.withoutHedging.nodeRequestsPerSearch) -
    1;
  return [
    `Two ${upstream} holding every shard (RF 2, 16 shards, ${run.documents.toLocaleString("en-US")} documents); the second answers through a loopback relay that holds every answer ${run.delayMs} ms. The same searches, one connection, in alternating slices through two Miroir processes over the same nodes.`,
    "",
    markdownTable(
      ["path", "searches", "p50", "p99", "mean", "node requests per search", "hedges"],
      rows,
    ),
    "",
    `p99 with adaptive choice and hedging is ${ratio.toFixed(2)}× the p99 without (target ≤ 0.5×), with ${Math.abs(extra * 100).toFixed(1)}% ${extra >= 0 ? "more" : "fewer"} node requests per search. Adaptive choice sends most searches to the fast replica alone (one node request where round-robin asks both replicas and waits for the slow one); the exploring share still reaches the slow replica, and a call of it slower than its p95 × 1.2 is hedged (the table counts the hedges and how many answered first).`,
  ].join("\n");
}
