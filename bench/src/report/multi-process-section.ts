import type { MultiProcessRun } from "../suites/multi-process-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Several Miroir processes" part of docs/benchmarks.md. */
export function multiProcessSection(run: MultiProcessRun | null | undefined): string {
  if (run === undefined || run === null) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only multi-process`).";
  }
  const upstream = run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes";
  const sorted = [...run.failoverMs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const worst = sorted[sorted.length - 1] ?? 0;
  return [
    `Three Miroir processes (the \`miroir\` bin) sharing one Redis task store with leader election, in front of the same three ${upstream} (RF 1, S 16), all on the same 2 cores; ${run.durationSeconds.toFixed(0)} s. Each row sends the same load to the first 1, 2 or 3 processes in turn, the way a load balancer spreads it: 8 clients searching, then 4 clients writing batches of 100 documents (counted when acknowledged, \`202\`).`,
    "",
    markdownTable(
      ["processes", "searches/s", "documents/s acknowledged"],
      run.throughput.map((point) => [
        String(point.processes),
        point.searchesPerSecond.toFixed(0),
        point.documentsPerSecond.toFixed(0),
      ]),
    ),
    "",
    "On one machine the processes share its 2 cores with the nodes, the load generator and whatever else runs there, so these rows show the processes serving one cluster side by side rather than how throughput scales: on machines of their own each process brings its own cores, and the only thing the request path shares is the task store (one task record per write, none per search).",
    "",
    `**Failover.** The leader SIGKILLed ${run.failoverMs.length} time(s) (a replacement started between rounds); time until another process reports itself leader: median **${(median / 1000).toFixed(2)} s**, worst ${(worst / 1000).toFixed(2)} s, with \`lease_ttl_s: ${run.leaseTtlSeconds}\` and \`renew_interval_s: ${run.renewIntervalSeconds}\` (bound: TTL + one renewal = ${run.leaseTtlSeconds + run.renewIntervalSeconds} s). The same takeover, with a repair pass resumed and client load going on, is tested in \`apps/proxy/test/multi-process/failover.test.ts\`.`,
  ].join("\n");
}
