import type { CoalescingRun } from "../suites/coalescing-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Coalesced searches" part of docs/benchmarks.md. */
export function coalescingSection(run: CoalescingRun | null | undefined): string {
  if (run === undefined || run === null) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only coalescing`).";
  }
  const upstream = run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes";
  const rows = run.workloads.flatMap((workload) => {
    const label = `${workload.distinctQueries} distinct queries, ${workload.connections} connections`;
    const ratio = workload.coalesced.requestsPerSecond / workload.uncoalesced.requestsPerSecond;
    return [
      [
        label,
        "coalescing on",
        workload.coalesced.requestsPerSecond.toFixed(0),
        `${workload.coalesced.p50Ms.toFixed(2)} ms`,
        `${workload.coalesced.p99Ms.toFixed(2)} ms`,
        `${(workload.joinedShare * 100).toFixed(0)} %`,
        `${ratio.toFixed(2)}×`,
      ],
      [
        label,
        "coalescing off",
        workload.uncoalesced.requestsPerSecond.toFixed(0),
        `${workload.uncoalesced.p50Ms.toFixed(2)} ms`,
        `${workload.uncoalesced.p99Ms.toFixed(2)} ms`,
        "—",
        "1.00×",
      ],
    ];
  });
  return [
    `Three ${upstream} (RF 1, S 6) holding ${run.documents.toLocaleString("en-US")} documents, two Miroir proxies in the bench process over them — \`query_coalescing\` on and off — and a closed-loop load cycling through a set of search bodies; ${run.rounds} alternating rounds per path; ${run.durationSeconds.toFixed(0)} s.`,
    "",
    markdownTable(
      ["workload", "path", "searches/s", "p50", "p99", "answered by joining", "throughput vs off"],
      rows,
    ),
    "",
    "With few distinct queries many identical searches are in flight together and share one scatter; with as many distinct queries as there are connections and more, none do, and the figures show what the coalescing bookkeeping costs.",
  ].join("\n");
}
