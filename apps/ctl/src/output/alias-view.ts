import type { AliasAnswer } from "../client/admin-client.js";
import { renderTable } from "./table.js";

/** Aliases as a table: name, indexes, version, last switch. */
export function renderAliases(aliases: readonly AliasAnswer[]): string {
  const table = renderTable(aliases, [
    { heading: "NAME", cell: (alias) => alias.name },
    { heading: "INDEXES", cell: (alias) => alias.indexes.join(",") },
    { heading: "VERSION", cell: (alias) => String(alias.version) },
    { heading: "UPDATED AT", cell: (alias) => alias.updatedAt },
  ]);
  return `${table}\n${aliases.length} ${aliases.length === 1 ? "alias" : "aliases"}`;
}

/** One alias with its past targets. */
export function renderAlias(alias: AliasAnswer): string {
  const lines = [
    `alias:   ${alias.name}`,
    `indexes: ${alias.indexes.join(",")}${alias.indexes.length > 1 ? " (read-only: searches are federated)" : ""}`,
    `version: ${alias.version}`,
    `updated: ${alias.updatedAt}`,
  ];
  for (const flip of alias.history) {
    lines.push(`  v${flip.version}: ${flip.indexes.join(",")} until ${flip.until}`);
  }
  return lines.join("\n");
}
