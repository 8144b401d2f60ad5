/** An index object as Meilisearch shows it. */
export interface IndexObject {
  uid: string;
  createdAt: string;
  updatedAt: string;
  primaryKey: string | null;
}

/**
 * One index as the fleet holds it: created when the first node created it, updated when
 * the last node changed it, with the primary key any node knows.
 */
export function mergeIndexObjects(copies: readonly IndexObject[]): IndexObject | undefined {
  let merged: IndexObject | undefined;
  for (const copy of copies) {
    if (merged === undefined) {
      merged = { ...copy };
      continue;
    }
    if (copy.createdAt < merged.createdAt) merged.createdAt = copy.createdAt;
    if (copy.updatedAt > merged.updatedAt) merged.updatedAt = copy.updatedAt;
    merged.primaryKey ??= copy.primaryKey;
  }
  return merged;
}
