import type { Document } from "./document.js";
import type { Settings } from "./settings.js";

/** The reserved attribute holding a document's embeddings, one entry per embedder. */
export const VECTORS_FIELD = "_vectors";

type Embeddings = number[][];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === "number");
}

/**
 * The embeddings a document carries for one embedder: `_vectors.name` may be one vector,
 * an array of vectors, or `{ embeddings, regenerate }` holding either; null means none.
 * Meilisearch stores vectors as 32-bit floats, so they come back rounded to them.
 */
export function embeddingsOf(doc: Document, embedder: string): Embeddings {
  const vectors = doc[VECTORS_FIELD];
  if (!isRecord(vectors)) return [];
  let entry = vectors[embedder];
  if (isRecord(entry)) entry = entry.embeddings;
  if (entry === undefined || entry === null) return [];
  const list = isVector(entry) ? [entry] : Array.isArray(entry) ? entry.filter(isVector) : [];
  return list.filter((vector) => vector.length > 0).map((vector) => vector.map(Math.fround));
}

/**
 * `_vectors` as a document read shows it with `retrieveVectors`: each configured embedder
 * as `{ embeddings, regenerate }` (user-provided vectors are never regenerated), other
 * entries as stored.
 */
export function retrievedVectors(doc: Document, settings: Settings): Record<string, unknown> {
  const stored = isRecord(doc[VECTORS_FIELD])
    ? (doc[VECTORS_FIELD] as Record<string, unknown>)
    : {};
  const shown: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(stored)) {
    if (settings.embedders[name] === undefined) shown[name] = entry;
  }
  for (const name of Object.keys(settings.embedders)) {
    shown[name] = { embeddings: embeddingsOf(doc, name), regenerate: false };
  }
  return shown;
}

/** A retrieved document with `_vectors` hidden, or shown in full when the read asks for it. */
export function withVectors(
  shown: Document,
  doc: Document,
  settings: Settings,
  retrieveVectors: boolean | undefined,
): Document {
  delete shown[VECTORS_FIELD];
  if (retrieveVectors === true) shown[VECTORS_FIELD] = retrievedVectors(doc, settings);
  return shown;
}
