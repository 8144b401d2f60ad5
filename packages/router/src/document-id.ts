import { InvalidPrimaryKeyError } from "./errors.js";

/** A primary-key value as a client sends it: Meilisearch accepts strings and integers. */
export type PrimaryKeyValue = string | number;

/** Meilisearch stores at most 511 bytes of document id. */
export const MAX_DOCUMENT_ID_BYTES = 511;

const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,511}$/;

function rejection(value: unknown): InvalidPrimaryKeyError {
  return new InvalidPrimaryKeyError(
    value,
    `Document identifier \`${JSON.stringify(value)}\` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.`,
  );
}

/**
 * The text Meilisearch stores for a primary-key value: a string as is, an integer in
 * decimal. Numbers must be safe integers (negative ones included, as Meilisearch
 * accepts any i64); a fraction, NaN, an infinity or an integer beyond 2^53 (whose digits
 * JavaScript has already lost) is rejected.
 */
export function documentIdText(value: PrimaryKeyValue): string {
  if (typeof value === "string") {
    return value;
  }
  if (typeof value === "number" && Number.isSafeInteger(value)) {
    return String(value);
  }
  throw rejection(value);
}

/**
 * Meilisearch's document-id rule: an integer, or a string of 1 to 511 characters from
 * `[A-Za-z0-9_-]`. Returns the id's stored text; throws `InvalidPrimaryKeyError` with
 * Meilisearch's own message (code `invalid_document_id`) otherwise.
 */
export function validateDocumentId(value: unknown): string {
  if (typeof value === "string") {
    if (DOCUMENT_ID_PATTERN.test(value)) {
      return value;
    }
    throw rejection(value);
  }
  if (typeof value === "number") {
    return documentIdText(value);
  }
  throw rejection(value);
}

/** Whether `validateDocumentId` would accept the value. */
export function isValidDocumentId(value: unknown): boolean {
  return (
    (typeof value === "string" && DOCUMENT_ID_PATTERN.test(value)) ||
    (typeof value === "number" && Number.isSafeInteger(value))
  );
}
