import { type MeiliError, meiliError } from "@miroir/errors";

/**
 * Meilisearch's primary-key inference: the single top-level attribute whose name ends
 * with `id` (case-insensitive); none or several make the write task fail.
 */
export function inferPrimaryKey(attributes: readonly string[]): string | MeiliError {
  const candidates = attributes.filter((name) => name.toLowerCase().endsWith("id"));
  if (candidates.length === 1) return candidates[0] as string;
  if (candidates.length === 0) {
    return meiliError(
      "index_primary_key_no_candidate_found",
      "The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.",
    );
  }
  return meiliError(
    "index_primary_key_multiple_candidates_found",
    `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: ${candidates.map((name) => `'${name}'`).join(" and ")}. Please specify the primary key manually using the \`primaryKey\` query parameter.`,
  );
}

/** The value at a primary key, which may name a nested attribute with dots. */
export function primaryKeyValue(document: Record<string, unknown>, primaryKey: string): unknown {
  if (primaryKey in document) return document[primaryKey];
  if (!primaryKey.includes(".")) return undefined;
  let value: unknown = document;
  for (const part of primaryKey.split(".")) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
