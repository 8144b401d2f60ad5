import type { PassAnswer } from "../client/admin-client.js";
import { orDash, renderTable } from "./table.js";

/** A verify or repair pass as a summary line and one row per index. */
export function renderPass(report: PassAnswer): string {
  const verb = report.repair ? "repaired" : "to repair";
  const summary = `Divergent documents: ${report.divergentDocuments} (${report.repairedDocuments} repaired) | Nodes with divergent settings: ${report.divergentSettings}`;
  if (report.indexes.length === 0) return `${summary}\nNo index to compare.`;
  const rows = report.indexes.map((index) => ({
    index: index.indexUid,
    shards: index.shards.length,
    documents: index.shards.reduce((total, shard) => total + shard.documents, 0),
    divergent: index.shards.reduce((total, shard) => total + shard.divergent, 0),
    repaired: index.shards.reduce((total, shard) => total + shard.repaired, 0),
    skipped: [...new Set(index.shards.flatMap((shard) => shard.skipped))].sort(),
    settings: index.settings.undecided
      ? "undecided (no majority)"
      : index.settings.divergent.length === 0
        ? "same"
        : `${index.settings.divergent.join(",")} ${verb}`,
  }));
  return `${summary}\n${renderTable(rows, [
    { heading: "INDEX", cell: (row) => row.index },
    { heading: "SHARDS", cell: (row) => String(row.shards), align: "right" },
    { heading: "DOCUMENTS", cell: (row) => String(row.documents), align: "right" },
    { heading: "DIVERGENT", cell: (row) => String(row.divergent), align: "right" },
    { heading: "REPAIRED", cell: (row) => String(row.repaired), align: "right" },
    { heading: "SKIPPED", cell: (row) => orDash(row.skipped) },
    { heading: "SETTINGS", cell: (row) => row.settings },
  ])}`;
}
