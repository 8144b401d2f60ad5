import { meiliError } from "@miroir/errors";
import {
  checkDocumentVectors,
  checkProvidedVectors,
  type Document,
  defaultSettings,
  type Filter,
} from "../../engine/index.js";
import { type IndexRegistry, touch } from "../index-registry.js";
import { documentMatcher } from "./document-filter.js";
import { documentId, inferPrimaryKey } from "./primary-key.js";

export interface DocumentAddition {
  documents: Document[];
  /** add-or-replace (POST) when true, add-or-update (PUT) when false */
  replace: boolean;
  primaryKey: string | undefined;
  /** only change documents that already exist (Meilisearch's `skipCreation`) */
  skipCreation?: boolean;
}

/**
 * Writes a batch as one Meilisearch task does: the primary key is settled and every id
 * checked before anything is written, so a bad document fails the task and writes nothing.
 */
export function addDocuments(
  registry: IndexRegistry,
  uid: string,
  { documents, replace, primaryKey, skipCreation = false }: DocumentAddition,
): Record<string, unknown> {
  const existing = registry.find(uid);
  const received = { receivedDocuments: documents.length };
  if (
    existing?.primaryKey != null &&
    primaryKey !== undefined &&
    primaryKey !== existing.primaryKey
  ) {
    throw meiliError(
      "index_primary_key_already_exists",
      `Index already has a primary key: \`${existing.primaryKey}\`.`,
    );
  }
  const first = documents[0];
  if (first === undefined) {
    registry.getOrCreate(uid);
    return { ...received, indexedDocuments: 0 };
  }
  const key = existing?.primaryKey ?? primaryKey ?? inferPrimaryKey(first);
  const ids = documents.map((doc) => documentId(doc, key));
  const settings = existing?.settings ?? defaultSettings();
  documents.forEach((doc, i) => {
    checkDocumentVectors(doc, ids[i] as string, settings, uid);
  });
  // the documents as they will be stored, settled before anything is written
  const written = new Map<string, Document>();
  documents.forEach((doc, i) => {
    const id = ids[i] as string;
    const previous = written.get(id) ?? existing?.documents.get(id);
    if (previous === undefined && skipCreation) return;
    written.set(id, replace || previous === undefined ? doc : { ...previous, ...doc });
  });
  checkProvidedVectors([...written], settings, uid);
  const index = registry.getOrCreate(uid);
  index.primaryKey = key;
  for (const [id, doc] of written) index.documents.set(id, doc);
  touch(index);
  // Meilisearch counts the distinct ids of the batch, skipped ones included
  return { ...received, indexedDocuments: new Set(ids).size };
}

export function deleteDocumentsById(
  registry: IndexRegistry,
  uid: string,
  ids: readonly string[],
): Record<string, unknown> {
  const index = registry.get(uid);
  let deleted = 0;
  for (const id of new Set(ids)) if (index.documents.delete(id)) deleted++;
  touch(index);
  return { providedIds: ids.length, deletedDocuments: deleted, originalFilter: null };
}

export function deleteDocumentsByFilter(
  registry: IndexRegistry,
  uid: string,
  filter: Filter,
  originalFilter: unknown,
): Record<string, unknown> {
  const index = registry.get(uid);
  const matches = documentMatcher(filter, index.settings);
  let deleted = 0;
  for (const [id, doc] of index.documents) {
    if (matches(doc)) {
      index.documents.delete(id);
      deleted++;
    }
  }
  touch(index);
  return {
    providedIds: 0,
    deletedDocuments: deleted,
    originalFilter: JSON.stringify(originalFilter),
  };
}

export function deleteAllDocuments(registry: IndexRegistry, uid: string): Record<string, unknown> {
  const index = registry.get(uid);
  const deleted = index.documents.size;
  index.documents.clear();
  touch(index);
  return { deletedDocuments: deleted };
}
