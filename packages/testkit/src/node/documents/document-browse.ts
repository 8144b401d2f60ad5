import { type Document, selectFields, sortListing, withVectors } from "../../engine/index.js";
import type { IndexRecord } from "../index-registry.js";
import { checkKnownFields, expectObject, invalidType } from "../request-body.js";
import { documentMatcher, parseDocumentFilter } from "./document-filter.js";

/** A documents browse: `GET /documents` parameters or a `/documents/fetch` body. */
export interface Browse {
  offset: number;
  limit: number;
  fields: string[] | undefined;
  filter: unknown;
  ids: string[] | undefined;
  sort?: string[] | undefined;
  retrieveVectors?: boolean | undefined;
}

/** One page of documents in internal-id order, as `GET /documents` and `/documents/fetch`. */
export function browse(index: IndexRecord, query: Browse) {
  const matches =
    query.filter === undefined || query.filter === null
      ? () => true
      : documentMatcher(
          parseDocumentFilter(query.filter, index.features?.containsFilter === true),
          index.settings,
        );
  let docs: Document[];
  if (query.ids === undefined) docs = [...index.documents.values()];
  else {
    const wanted = new Set(query.ids);
    docs = [...index.documents].filter(([id]) => wanted.has(id)).map(([, doc]) => doc);
  }
  const found = sortListing(index, docs.filter(matches), query.sort ?? []);
  return {
    results: found
      .slice(query.offset, query.offset + query.limit)
      .map((doc) =>
        withVectors(selectFields(doc, query.fields), doc, index.settings, query.retrieveVectors),
      ),
    offset: query.offset,
    limit: query.limit,
    total: found.length,
  };
}

export function readIds(
  value: unknown,
  code: "invalid_document_ids" | "bad_request",
  path: string,
) {
  if (!Array.isArray(value)) throw invalidType(code, path, "an array", value);
  return value.map((id, i) => {
    if (typeof id === "string") return id;
    if (typeof id === "number" && Number.isSafeInteger(id)) return String(id);
    throw invalidType(code, `${path}[${i}]`, "a string or an integer", id);
  });
}

/**
 * The body of `delete-batch`: Meilisearch takes any JSON array and compares each value's
 * text with the document ids, so values that are neither strings nor integers delete
 * nothing (but count in `providedIds`).
 */
export function readDeletionIds(value: unknown): string[] {
  if (!Array.isArray(value)) throw invalidType("bad_request", ".", "an array", value);
  return value.map((id) => (typeof id === "string" ? id : JSON.stringify(id)));
}

export function readFetchBody(raw: unknown): Browse {
  const body = expectObject(raw);
  checkKnownFields(body, ["offset", "limit", "fields", "filter", "ids", "retrieveVectors", "sort"]);
  const count = (name: "offset" | "limit", fallback: number) => {
    const value = body[name] ?? fallback;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw invalidType(`invalid_document_${name}`, `.${name}`, "a positive integer", value);
    }
    return value;
  };
  let fields: string[] | undefined;
  if (body.fields !== undefined && body.fields !== null) {
    if (!Array.isArray(body.fields) || body.fields.some((f) => typeof f !== "string")) {
      throw invalidType("invalid_document_fields", ".fields", "an array of strings", body.fields);
    }
    fields = body.fields as string[];
  }
  return {
    offset: count("offset", 0),
    limit: count("limit", 20),
    fields,
    filter: body.filter,
    ids:
      body.ids === undefined || body.ids === null
        ? undefined
        : readIds(body.ids, "invalid_document_ids", ".ids"),
    sort: readSort(body.sort),
    retrieveVectors: readRetrieveVectors(body.retrieveVectors),
  };
}

function readSort(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidType("invalid_document_sort", ".sort", "an array", value);
  value.forEach((item, i) => {
    if (typeof item !== "string") {
      throw invalidType("invalid_document_sort", `.sort[${i}]`, "a string", item);
    }
  });
  return value as string[];
}

function readRetrieveVectors(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") {
    throw invalidType("invalid_document_retrieve_vectors", ".retrieveVectors", "a boolean", value);
  }
  return value;
}
