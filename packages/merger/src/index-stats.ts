/** `GET /indexes/{uid}/stats` as Meilisearch answers it. */
export interface IndexStats {
  numberOfDocuments: number;
  rawDocumentDbSize: number;
  avgDocumentSize: number;
  isIndexing: boolean;
  numberOfEmbeddings: number;
  numberOfEmbeddedDocuments: number;
  fieldDistribution: Record<string, number>;
}

/**
 * One index's stats from the stats of every node of one group, where each document is
 * stored `replicationFactor` times: sizes and field counts are the group's sums divided by
 * RF; `numberOfDocuments` is the exact count from the shard facets; `_miroir_*` fields
 * are never shown.
 */
export function mergeIndexStats(
  numberOfDocuments: number,
  copies: readonly Partial<IndexStats>[],
  replicationFactor: number,
): IndexStats {
  const perCopy = (sum: number) => Math.round(sum / replicationFactor);
  const total = (pick: (stats: Partial<IndexStats>) => number | undefined) =>
    perCopy(copies.reduce((sum, stats) => sum + (pick(stats) ?? 0), 0));
  const fields: Record<string, number> = {};
  for (const stats of copies) {
    for (const [field, count] of Object.entries(stats.fieldDistribution ?? {})) {
      if (field.startsWith("_miroir_")) continue;
      fields[field] = (fields[field] ?? 0) + count;
    }
  }
  const rawDocumentDbSize = total((stats) => stats.rawDocumentDbSize);
  return {
    numberOfDocuments,
    rawDocumentDbSize,
    avgDocumentSize:
      numberOfDocuments === 0 ? 0 : Math.floor(rawDocumentDbSize / numberOfDocuments),
    isIndexing: copies.some((stats) => stats.isIndexing === true),
    numberOfEmbeddings: total((stats) => stats.numberOfEmbeddings),
    numberOfEmbeddedDocuments: total((stats) => stats.numberOfEmbeddedDocuments),
    fieldDistribution: Object.fromEntries(
      Object.keys(fields)
        .sort()
        .map((field) => [field, perCopy(fields[field] ?? 0)]),
    ),
  };
}
