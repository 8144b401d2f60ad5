import { type MeiliError, meiliError } from "@miroir/errors";
import type { Document } from "./document.js";
import { VECTORS_FIELD } from "./document-vectors.js";
import type { UserProvidedEmbedder } from "./embedders.js";
import { describeFound } from "./request-values.js";
import type { Settings } from "./settings.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** How serde names a JSON value it did not expect (`integer \`3\``, `sequence`, …). */
export function serdeUnexpected(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "sequence";
  if (typeof value === "object") return "map";
  if (typeof value === "boolean") return `boolean \`${value}\``;
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  const number = value as number;
  if (Number.isSafeInteger(number)) return `integer \`${number}\``;
  if (Math.abs(number) >= 1e16) return `floating point \`${number.toExponential()}\``;
  return `floating point \`${Number.isInteger(number) ? `${number}.0` : number}\``;
}

/** The column where serde stops in the compact JSON of `entry`, just after `key`'s part. */
function columnAfter(entry: Record<string, unknown>, key: string, withValue: boolean): number {
  let text = "{";
  for (const [name, value] of Object.entries(entry)) {
    if (text.length > 1) text += ",";
    text += `${JSON.stringify(name)}:`;
    if (name === key) return withValue ? text.length + JSON.stringify(value).length : text.length;
    text += JSON.stringify(value);
  }
  return text.length;
}

function scalarKind(value: unknown): string {
  if (typeof value === "boolean") return `the boolean \`${value}\``;
  if (typeof value === "string") return `the string \`${value}\``;
  return Number.isInteger(value) ? `the integer \`${value}\`` : `the number \`${value}\``;
}

function badVectors(uid: string, id: string, detail: string): MeiliError {
  return meiliError(
    "invalid_vectors_type",
    `Index \`${uid}\`: Bad embedder configuration in the document with id: \`${id}\`. ${detail}`,
  );
}

/** The vectors of an array entry, each checked to hold numbers only. */
function vectorsOf(value: unknown[], path: string, fail: (detail: string) => MeiliError) {
  const nested = value.some(Array.isArray);
  const vectors = (nested ? value : [value]) as unknown[];
  vectors.forEach((vector, i) => {
    const at = nested ? `${path}[${i}]` : path;
    if (!Array.isArray(vector)) {
      throw fail(
        `Invalid value type at \`${at}\`: expected an array, but found ${describeFound(vector)}`,
      );
    }
    vector.forEach((item, j) => {
      if (typeof item !== "number") {
        throw fail(
          `Invalid value type at \`${at}[${j}]\`: expected a number, but found ${describeFound(item)}`,
        );
      }
    });
  });
  return (vectors as number[][]).filter((vector) => vector.length > 0);
}

/** The embeddings of one `_vectors` entry, refused in Meilisearch's words when malformed. */
function entryVectors(entry: unknown, path: string, fail: (detail: string) => MeiliError) {
  if (entry === null) return [];
  if (Array.isArray(entry)) return vectorsOf(entry, path, fail);
  if (!isRecord(entry)) {
    throw fail(
      `Expected \`${path}\` to be an array of floats, an array of arrays of floats, or an object with at least the field \`regenerate\`, but got ${scalarKind(entry)}`,
    );
  }
  const unknown = Object.keys(entry).find((key) => key !== "embeddings" && key !== "regenerate");
  if (unknown !== undefined) {
    throw fail(
      `Could not parse \`${path}\`: trailing characters at line 1 column ${columnAfter(entry, unknown, false)}`,
    );
  }
  if (!("regenerate" in entry)) {
    throw fail(
      `Missing field \`${path}.regenerate\`\n  - note: \`${path}\` must be an array of floats, an array of arrays of floats, or an object with field \`regenerate\``,
    );
  }
  if (typeof entry.regenerate !== "boolean") {
    throw fail(
      `Could not parse \`${path}.regenerate\`: invalid type: ${serdeUnexpected(entry.regenerate)}, expected a boolean at line 1 column ${columnAfter(entry, "regenerate", true)}`,
    );
  }
  const embeddings = entry.embeddings;
  if (embeddings === undefined || embeddings === null) return [];
  if (!Array.isArray(embeddings)) {
    throw fail(
      `Invalid value type at \`${path}.embeddings\`: expected null or an array, but found ${describeFound(embeddings)}`,
    );
  }
  return vectorsOf(embeddings, `${path}.embeddings`, fail);
}

/**
 * Checks a document's `_vectors` as Meilisearch's indexing does (every entry, configured
 * embedder or not, and the dimensions of configured ones), so a bad document fails the task
 * before anything is written.
 */
export function checkDocumentVectors(
  doc: Document,
  id: string,
  settings: Settings,
  uid: string,
): void {
  const vectors = doc[VECTORS_FIELD];
  if (vectors === undefined || vectors === null) return;
  if (!isRecord(vectors)) {
    const column = Array.isArray(vectors) ? 0 : JSON.stringify(vectors).length;
    throw meiliError(
      "internal",
      `Index \`${uid}\`: invalid type: ${serdeUnexpected(vectors)}, expected a map at line 1 column ${column}`,
    );
  }
  for (const [name, entry] of Object.entries(vectors)) {
    const path = `._vectors.${name}`;
    const embeddings = entryVectors(entry, path, (detail) => badVectors(uid, id, detail));
    const embedder = settings.embedders[name] as UserProvidedEmbedder | undefined | null;
    if (embedder === undefined || embedder === null) continue;
    embeddings.forEach((vector, i) => {
      if (vector.length !== embedder.dimensions) {
        throw meiliError(
          "invalid_vector_dimensions",
          `Index \`${uid}\`: Invalid vector dimensions in document with id \`${id}\` in \`${path}\`.\n  - note: embedding #${i} has dimensions ${vector.length}\n  - note: embedder \`${name}\` requires ${embedder.dimensions}`,
        );
      }
    });
  }
}

/**
 * A `userProvided` embedder needs vectors from every document, or an explicit opt-out
 * (`_vectors.name: null`): the first document without either fails the task, naming how
 * many others lack them too.
 */
export function checkProvidedVectors(
  docs: readonly (readonly [string, Document])[],
  settings: Settings,
  uid: string,
  embedders: readonly string[] = Object.keys(settings.embedders),
): void {
  for (const name of embedders) {
    if (settings.embedders[name] === undefined || settings.embedders[name] === null) continue;
    const missing: string[] = [];
    for (const [id, doc] of docs) {
      const vectors = doc[VECTORS_FIELD];
      if (!isRecord(vectors) || !(name in vectors)) missing.push(id);
    }
    const [first, ...others] = missing;
    if (first === undefined) continue;
    const more = others.length === 0 ? "" : ` and at least ${others.length} other document(s)`;
    throw meiliError(
      "vector_embedding_error",
      `Index \`${uid}\`: While embedding documents for embedder \`${name}\`: no vectors provided for document \`${first}\`${more}\n- Note: \`${name}\` has \`source: userProvided\`, so documents must provide embeddings as an array in \`_vectors.${name}\`.\n- Hint: opt-out for a document with \`_vectors.${name}: null\``,
    );
  }
}
