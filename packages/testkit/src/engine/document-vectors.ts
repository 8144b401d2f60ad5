import { meiliError } from "@miroir/errors";
import type { Document } from "./document.js";
import type { UserProvidedEmbedder } from "./embedders.js";
import { describeFound } from "./request-values.js";
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
 */
export function embeddingsOf(doc: Document, embedder: string): Embeddings {
  const vectors = doc[VECTORS_FIELD];
  if (!isRecord(vectors)) return [];
  let entry = vectors[embedder];
  if (isRecord(entry)) entry = entry.embeddings;
  if (entry === undefined || entry === null) return [];
  if (isVector(entry)) return entry.length === 0 ? [] : [entry];
  if (Array.isArray(entry) && entry.every(isVector)) return entry;
  return [];
}

/**
 * Checks a document's `_vectors` against the configured embedders as indexing does, so a
 * bad document fails the task before anything is written.
 */
export function checkDocumentVectors(doc: Document, id: string, settings: Settings): void {
  const vectors = doc[VECTORS_FIELD];
  if (vectors === undefined || vectors === null) return;
  if (!isRecord(vectors)) {
    throw meiliError(
      "invalid_vectors_type",
      `The \`_vectors\` field in the document with id: \`${id}\` is not an object. Was expecting an object with a key for each embedder with manually provided vectors, but instead got \`${JSON.stringify(vectors)}\``,
    );
  }
  for (const [name, entry] of Object.entries(vectors)) {
    const embedder = settings.embedders[name] as UserProvidedEmbedder | undefined;
    if (embedder === undefined || embedder === null) continue;
    const embeddings = entryEmbeddings(entry, name, id);
    for (const vector of embeddings) {
      if (vector.length !== embedder.dimensions) {
        throw meiliError(
          "invalid_vector_dimensions",
          `Invalid vector dimensions: expected: \`${embedder.dimensions}\`, found: \`${vector.length}\`.`,
        );
      }
    }
  }
}

function entryEmbeddings(entry: unknown, name: string, id: string): Embeddings {
  const bad = (path: string, value: unknown, expected: string) =>
    meiliError(
      "invalid_vectors_type",
      `Bad embedder configuration in the document with id: \`${id}\`. Invalid value type at \`.${path}\`: expected ${expected}, but found ${describeFound(value)}`,
    );
  let embeddings = entry;
  let path = name;
  if (isRecord(entry)) {
    for (const field of Object.keys(entry)) {
      if (field !== "embeddings" && field !== "regenerate") {
        throw meiliError(
          "invalid_vectors_type",
          `Bad embedder configuration in the document with id: \`${id}\`. Unknown field \`${field}\` inside \`.${name}\`: expected one of \`embeddings\`, \`regenerate\``,
        );
      }
    }
    if (entry.regenerate !== undefined && typeof entry.regenerate !== "boolean") {
      throw bad(`${name}.regenerate`, entry.regenerate, "a boolean");
    }
    embeddings = entry.embeddings;
    path = `${name}.embeddings`;
  }
  if (embeddings === undefined || embeddings === null) return [];
  if (!Array.isArray(embeddings)) {
    throw bad(path, embeddings, "an array of floats or an array of arrays of floats");
  }
  if (isVector(embeddings)) return embeddings.length === 0 ? [] : [embeddings];
  embeddings.forEach((vector, i) => {
    if (!isVector(vector)) {
      throw bad(`${path}[${i}]`, vector, "an array of floats or an array of arrays of floats");
    }
  });
  return embeddings as Embeddings;
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
