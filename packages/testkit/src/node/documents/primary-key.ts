import { meiliError } from "@miroir/errors";
import type { Document } from "../../engine/index.js";

const DOCUMENT_ID = /^[a-zA-Z0-9_-]{1,511}$/;

/** The value at a possibly dotted attribute path (`a.b` reads `{a: {b}}` or `{"a.b"}`). */
export function valueAt(doc: Document, path: string): unknown {
  if (Object.hasOwn(doc, path)) return doc[path];
  const dot = path.indexOf(".");
  if (dot < 0) return undefined;
  const head = doc[path.slice(0, dot)];
  if (typeof head !== "object" || head === null || Array.isArray(head)) return undefined;
  return valueAt(head as Document, path.slice(dot + 1));
}

/**
 * Meilisearch's inference: the single attribute of the first document whose name ends with
 * `id` (any case); none or several fail the task.
 */
export function inferPrimaryKey(first: Document): string {
  const candidates = Object.keys(first)
    .filter((name) => name.toLowerCase().endsWith("id"))
    .sort();
  const [only, ...others] = candidates;
  if (only === undefined) {
    throw meiliError(
      "index_primary_key_no_candidate_found",
      "The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.",
    );
  }
  if (others.length > 0) {
    throw meiliError(
      "index_primary_key_multiple_candidates_found",
      `The primary key inference failed as the engine found ${candidates.length} fields ending with \`id\` in their names: '${candidates.slice(0, -1).join("', '")}' and '${candidates.at(-1)}'. Please specify the primary key manually using the \`primaryKey\` query parameter.`,
    );
  }
  return only;
}

/**
 * The document id as Meilisearch stores it (an integer in decimal, a string as is), or the
 * task error for a missing or malformed id.
 */
export function documentId(doc: Document, primaryKey: string): string {
  const value = valueAt(doc, primaryKey);
  if (value === undefined) {
    throw meiliError(
      "missing_document_id",
      `Document doesn't have a \`${primaryKey}\` attribute: \`${JSON.stringify(doc)}\`.`,
    );
  }
  if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
  if (typeof value === "string" && DOCUMENT_ID.test(value)) return value;
  throw meiliError(
    "invalid_document_id",
    `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`,
  );
}
