import type { ConvergenceRun } from "../suites/convergence-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Replica convergence" part of docs/benchmarks.md. */
export function convergenceSection(run: ConvergenceRun | null | undefined): string {
  if (run === undefined || run === null || !("feed" in run)) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only convergence`).";
  }
  const upstream = run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes";
  const largest = run.points[run.points.length - 1];
  const versioning = run.versioning;
  const ratio = versioning.withVersions / versioning.withoutVersions;
  const count = (value: number) => value.toLocaleString("en-US");
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `Two ${upstream} holding one shard (RF 2, S 1), Miroir in the bench process; ${run.durationSeconds.toFixed(0)} s in all.`,
    "",
    "### Fingerprint of one shard's replica pair",
    "",
    `The shard was loaded straight into both nodes in stages (small documents carrying \`_miroir_shard\` and a version, as Miroir writes them; NDJSON batches of 100 000; ${count(run.feed.documents)} documents per node indexed in ${run.feed.seconds.toFixed(0)} s, both nodes at once), and \`POST /_miroir/verify\` timed at each stage: both replicas' (id, version) pairs read in pages of 10 000 (\`documents/fetch\`, \`filter=_miroir_shard = 0\`, two fields), in parallel, and digested. Every figure is measured, none extrapolated:`,
    "",
    markdownTable(
      ["documents per replica", "best", "median"],
      run.points.map((point) => [
        count(point.documents),
        seconds(point.bestMs),
        seconds(point.medianMs),
      ]),
    ),
    "",
    `**${count(largest?.documents ?? 0)} documents per replica pair: ${seconds(largest?.medianMs ?? 0)}** (median). The pages are read by offset. Read alone on one node, the same ${run.pages.count} pages took ${run.pages.firstMs.toFixed(0)} ms each for the first three and ${run.pages.lastMs.toFixed(0)} ms for the last three: a filtered \`documents/fetch\` page does not get dearer as the offset grows, so the pass grows linearly with the shard.`,
    "",
    "### Repair throughput",
    "",
    `${count(run.repair.documents)} of the ${count(run.repair.shardDocuments)} documents deleted directly on one node, then \`POST /_miroir/repair\`: ${run.repair.seconds.toFixed(1)} s for the pass, which fingerprints both replicas, fetches the missing documents from the other one, writes them through the node's write lane and waits until the node indexed them. Less one fingerprint of the shard (the median above), **${run.repair.documentsPerSecond.toFixed(0)} documents/s** repaired.`,
    "",
    "### Write-path cost of versioning",
    "",
    `NDJSON batches of ${count(versioning.documentsPerBatch)} documents (${versioning.batchesPerRound} per round over ${versioning.connections} connections) written through a proxy that stamps \`_miroir_updated_at\` and through one with anti-entropy off (no version field), alternating A B B A, ${versioning.rounds} rounds each, timed until Miroir's last \`202\`. The two upstreams are stand-ins that accept a write at once and index nothing, so the figure is Miroir's write path alone (parse, route, stamp, send, record the task), with no indexing in it; best round of each:`,
    "",
    markdownTable(
      ["path", "documents/s accepted"],
      [
        ["with versions", versioning.withVersions.toFixed(0)],
        ["without versions", versioning.withoutVersions.toFixed(0)],
      ],
    ),
    "",
    ratio >= 1
      ? `Ratio with / without: ${ratio.toFixed(2)}: the path with versions was not slower in this run, so the field's cost (16 bytes spliced into each record, one clock reading per batch) is below the round-to-round noise of this machine.`
      : `Ratio with / without: ${ratio.toFixed(2)}: the field's cost, where it exceeds the round-to-round noise of this machine.`,
  ].join("\n");
}
