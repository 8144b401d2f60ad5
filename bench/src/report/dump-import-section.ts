import type { DumpImportRun } from "../suites/dump-import-suite.js";
import { markdownTable } from "./markdown-table.js";

/** The "Dump import" part of docs/benchmarks.md. */
export function dumpImportSection(run: DumpImportRun | null | undefined): string {
  if (run === undefined || run === null) {
    return "Not measured in this run (`pnpm --filter @miroir/bench bench -- --only dump-import`).";
  }
  const upstream = run.upstream === "real" ? "real Meilisearch nodes" : "emulated nodes";
  const rows = [
    [
      `Miroir, ${run.nodes} nodes (RF 1, S 6), batches of ${run.batchSize.toLocaleString("en-US")}`,
      `${run.miroir.seconds.toFixed(1)} s`,
      run.miroir.documentsPerSecond.toFixed(0),
      run.miroir.megabytesPerSecond.toFixed(2),
      run.miroir.peakRssMiB === null ? "—" : `${run.miroir.peakRssMiB.toFixed(0)} MiB`,
    ],
  ];
  if (run.singleNode !== null) {
    rows.push([
      "one real Meilisearch, `--import-dump` (start to /health)",
      `${run.singleNode.seconds.toFixed(1)} s`,
      run.singleNode.documentsPerSecond.toFixed(0),
      run.singleNode.megabytesPerSecond.toFixed(2),
      "—",
    ]);
  }
  return [
    `A generated dump (version 6, one index) of ${run.documents.toLocaleString("en-US")} documents: ${(run.dumpBytes / 1024 / 1024).toFixed(1)} MB gzipped, ${(run.documentBytes / 1024 / 1024).toFixed(1)} MB of NDJSON; Miroir in its own process over ${upstream}, \`dump_import.batch_size\` ${run.batchSize.toLocaleString("en-US")}; ${run.durationSeconds.toFixed(0)} s in all.`,
    "",
    markdownTable(["path", "time", "documents/s", "dump MB/s", "peak RSS"], rows),
    "",
    "Miroir's time runs from the upload's start until the import succeeded, which waits until every batch is indexed by its nodes. MB/s is the gzipped dump's size over that time. The peak RSS is the proxy process's VmHWM over its whole life (start, upload, import): the dump is streamed to disk, then read as a stream, so it does not grow with the dump's size.",
  ].join("\n");
}
