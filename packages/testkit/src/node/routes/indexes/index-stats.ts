import type { IndexRecord } from "../../index-registry.js";

/** `GET /indexes/{uid}/stats` in Meilisearch's shape; sizes are the JSON sizes here. */
export function indexStats(index: IndexRecord, isIndexing: boolean) {
  const fieldDistribution: Record<string, number> = {};
  let rawDocumentDbSize = 0;
  for (const doc of index.documents.values()) {
    rawDocumentDbSize += Buffer.byteLength(JSON.stringify(doc));
    for (const field of Object.keys(doc)) {
      fieldDistribution[field] = (fieldDistribution[field] ?? 0) + 1;
    }
  }
  const numberOfDocuments = index.documents.size;
  return {
    numberOfDocuments,
    rawDocumentDbSize,
    avgDocumentSize:
      numberOfDocuments === 0 ? 0 : Math.floor(rawDocumentDbSize / numberOfDocuments),
    isIndexing,
    numberOfEmbeddings: 0,
    numberOfEmbeddedDocuments: 0,
    fieldDistribution: Object.fromEntries(
      Object.keys(fieldDistribution)
        .sort()
        .map((field) => [field, fieldDistribution[field]]),
    ),
  };
}
