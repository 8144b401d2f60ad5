import type { ReshardAnswer } from "../client/admin-client.js";
import { orDash, renderTable } from "./table.js";

/** One line of a reshard's progress: phase, documents copied of the total, rate. */
export function reshardProgressText(reshard: ReshardAnswer): string {
  const shards = `${reshard.name} ${reshard.fromShards} → ${reshard.toShards} shards`;
  if (reshard.waitingForWindow) return `${shards}: waiting for a maintenance window`;
  const total = reshard.documentsTotal === null ? "" : `/${reshard.documentsTotal}`;
  const copied = `${reshard.documentsCopied}${total} documents copied`;
  const rate = reshard.documentsPerSecond > 0 ? `, ${reshard.documentsPerSecond} docs/s` : "";
  return `${shards}: ${reshard.phase.replace("_", " ")}, ${copied}${rate}`;
}

/** How far the copy is, 0..1, once its total is known. */
export function reshardFraction(reshard: ReshardAnswer): number | undefined {
  if (reshard.phase === "done" || reshard.phase === "switched") return 1;
  if (reshard.documentsTotal === null || reshard.documentsTotal === 0) return undefined;
  return Math.min(1, reshard.documentsCopied / reshard.documentsTotal);
}

/** The final line of a reshard. */
export function reshardSummary(reshard: ReshardAnswer): string {
  switch (reshard.status) {
    case "succeeded":
      return `Resharded ${reshard.name}: ${reshard.fromShards} → ${reshard.toShards} shards, ${reshard.verified?.documents ?? 0} documents verified; ${reshard.name} now names ${reshard.target}.`;
    case "canceled":
      return `Reshard of ${reshard.name} canceled: ${reshard.source} is unchanged, ${reshard.target} deleted.`;
    case "failed":
      return `Reshard of ${reshard.name} failed: ${reshard.error ?? "no error given"}.`;
    default:
      return reshard.phase === "switched"
        ? `Resharded ${reshard.name}: ${reshard.name} now names ${reshard.target}; ${reshard.source} is deleted after ${reshard.dropAfter}.`
        : `Resharding ${reshard.name}: ${reshardProgressText(reshard)}.`;
  }
}

export function renderReshards(reshards: readonly ReshardAnswer[]): string {
  return renderTable(reshards, [
    { heading: "INDEX", cell: (each) => each.name },
    { heading: "SHARDS", cell: (each) => `${each.fromShards} → ${each.toShards}` },
    { heading: "STATUS", cell: (each) => each.status },
    { heading: "PHASE", cell: (each) => each.phase },
    {
      heading: "DOCUMENTS",
      cell: (each) =>
        each.documentsTotal === null
          ? String(each.documentsCopied)
          : `${each.documentsCopied}/${each.documentsTotal}`,
      align: "right",
    },
    { heading: "DOCS/S", cell: (each) => String(each.documentsPerSecond), align: "right" },
    { heading: "NEW INDEX", cell: (each) => each.target },
    { heading: "ERROR", cell: (each) => orDash(each.error) },
  ]);
}
