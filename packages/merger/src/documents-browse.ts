import { isRetrieved } from "./attribute-path.js";
import { KWayMerge } from "./k-way-merge.js";
import { isCount, isRecord } from "./node-answer.js";
import { NodeAnswerError } from "./node-answer-error.js";
import { comparePrimaryKeys } from "./ranking-order.js";
import { withShardFilter } from "./shard-filter.js";
import type { Filter, NodeSearchAnswer } from "./types.js";

/** `GET /documents` or `POST /documents/fetch` parameters (`fields` as an array). */
export interface DocumentsBrowseQuery {
  offset?: number | null;
  limit?: number | null;
  fields?: readonly string[] | null;
  filter?: Filter | null;
  [parameter: string]: unknown;
}

export interface MergedDocumentsBrowse {
  results: Record<string, unknown>[];
  offset: number;
  limit: number;
  total: number;
}

const DEFAULT_LIMIT = 20;

function addsPrimaryKey(query: DocumentsBrowseQuery, primaryKey: string): boolean {
  return query.fields !== null && query.fields !== undefined
    ? !isRetrieved(query.fields, primaryKey)
    : false;
}

/** The listing one covering node receives: its prefix up to the client's last document. */
export function planDocumentsBrowseQuery(
  clientQuery: DocumentsBrowseQuery,
  primaryKey: string,
  shards: readonly number[],
): DocumentsBrowseQuery {
  const end = (clientQuery.offset ?? 0) + (clientQuery.limit ?? DEFAULT_LIMIT);
  const query: DocumentsBrowseQuery = {
    ...clientQuery,
    offset: 0,
    limit: end,
    filter: withShardFilter(clientQuery.filter, shards),
  };
  if (clientQuery.fields && addsPrimaryKey(clientQuery, primaryKey)) {
    query.fields = [...clientQuery.fields, primaryKey];
  }
  return query;
}

/** One node's documents listing once checked. */
export interface DocumentsListing {
  results: Record<string, unknown>[];
  total: number;
}

/** Checks one node's documents listing; anything malformed is that node's failure. */
export function checkDocumentsListing(node: string, body: unknown): DocumentsListing {
  if (!isRecord(body) || !Array.isArray(body.results) || !isCount(body.total)) {
    throw new NodeAnswerError(node, "not a documents listing (`results`, `total`)");
  }
  if (!body.results.every(isRecord)) throw new NodeAnswerError(node, "a document is not an object");
  return { results: body.results as Record<string, unknown>[], total: body.total };
}

/**
 * A merged documents listing. A node lists in its internal (insertion) order, which has no
 * meaning across shards, so the merged listing is ordered by primary key (integers, then
 * strings in byte order): stable across pages. The window is exact when each node's prefix
 * holds its smallest keys — nodes sorted by primary key, or listings that fit the window.
 */
export function mergeDocumentsBrowse(
  clientQuery: DocumentsBrowseQuery,
  primaryKey: string,
  answers: readonly NodeSearchAnswer[],
): MergedDocumentsBrowse {
  const listings = answers.map((answer) => checkDocumentsListing(answer.node, answer.body));
  return mergeCheckedDocumentsBrowse(clientQuery, primaryKey, listings);
}

/** `mergeDocumentsBrowse` over listings already checked by `checkDocumentsListing`. */
export function mergeCheckedDocumentsBrowse(
  clientQuery: DocumentsBrowseQuery,
  primaryKey: string,
  listings: readonly DocumentsListing[],
): MergedDocumentsBrowse {
  const offset = clientQuery.offset ?? 0;
  const limit = clientQuery.limit ?? DEFAULT_LIMIT;
  const byKey = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    comparePrimaryKeys(a[primaryKey], b[primaryKey]);
  const lists = listings.map((listing) => [...listing.results].sort(byKey));
  const stripPrimaryKey = addsPrimaryKey(clientQuery, primaryKey);
  const results: Record<string, unknown>[] = [];
  let position = 0;
  const merge = new KWayMerge(lists, (document) => document, byKey);
  for (let item = merge.next(); item !== undefined; item = merge.next()) {
    if (results.length >= limit) break;
    if (position++ < offset) continue;
    const document = { ...item };
    for (const key in document) if (key.startsWith("_miroir_")) delete document[key];
    if (stripPrimaryKey) delete document[primaryKey];
    results.push(document);
  }
  const total = listings.reduce((sum, listing) => sum + listing.total, 0);
  return { results, offset, limit, total };
}
