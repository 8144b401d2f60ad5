import type { ConvergenceRun } from "../suites/convergence-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Replica convergence" part of docs/benchmarks.md. */
export function convergenceSection(run: ConvergenceRun | null | undefined): string {
  if (run === undefined || run === null) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only convergence`).";
  }
  const upstream = run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes";
  const largest = run.points[run.points.length - 1];
  const versioning = run.versioning;
  const ratio = versioning.withVersions / versioning.withoutVersions;
  return [
    `Two ${upstream} holding one shard (RF 2, S 1), Miroir in the bench process; ${run.durationSeconds.toFixed(0)} s.`,
    "",
    "### Fingerprint of one shard's replica pair",
    "",
    "`POST /_miroir/verify` scoped to the index: both replicas' (id, version) pairs read in pages of 10 000 and digested, in parallel. Measured at the sizes below (best of the rounds); a million documents per point does not fit a bench run, so the time for 1 000 000 is extrapolated from these points, by a fitted power law and by a straight line.",
    "",
    markdownTable(
      ["documents per replica", "best", "median"],
      run.points.map((point) => [
        point.documents.toLocaleString("en-US"),
        `${point.bestMs.toFixed(0)} ms`,
        `${point.medianMs.toFixed(0)} ms`,
      ]),
    ),
    "",
    `Extrapolated to **1 000 000 documents per replica pair** from ${largest?.documents.toLocaleString("en-US")} at most: **≈ ${(run.millionEstimatePowerMs / 1000).toFixed(1)} s** by the power law fitted to the points (time ∝ documents^${run.powerExponent.toFixed(2)}), ${(run.millionEstimateMs / 1000).toFixed(1)} s by the straight line (${run.msPerThousandDocuments.toFixed(1)} ms per 1 000 documents). An exponent above 1 means the time grows faster than the shard (the pages are read by offset, \`documents/fetch\` with \`filter=_miroir_shard = s\`): plan with the power-law figure.`,
    "",
    "### Repair throughput",
    "",
    `One replica emptied directly on its node (${run.repair.documents.toLocaleString("en-US")} documents), then \`POST /_miroir/repair\`: fingerprints, fetching the winners from the other replica, writing them and waiting until the node indexed them took ${run.repair.seconds.toFixed(1)} s, **${run.repair.documentsPerSecond.toFixed(0)} documents/s**.`,
    "",
    "### Write-path cost of versioning",
    "",
    `Batches of ${versioning.documentsPerBatch.toLocaleString("en-US")} documents written through Miroir and waited for until indexed, alternating (A B B A) between a proxy that stamps \`_miroir_updated_at\` and one with anti-entropy off (no version field), ${versioning.rounds} rounds each over the same nodes; best round of each:`,
    "",
    markdownTable(
      ["path", "documents/s"],
      [
        ["with versions", versioning.withVersions.toFixed(0)],
        ["without versions", versioning.withoutVersions.toFixed(0)],
      ],
    ),
    "",
    `Ratio with / without: ${ratio.toFixed(2)}. Each round includes the nodes' indexing of the batch, which both paths share and which dominates; the proxy's CPU cost of the field alone (16 reserved bytes per record, written once per batch) is not separated here.`,
  ].join("\n");
}
