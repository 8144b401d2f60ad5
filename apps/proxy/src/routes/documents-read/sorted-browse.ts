import {
  type DocumentsBrowseQuery,
  type MergeSettings,
  NodeAnswerError,
  withShardFilter,
} from "@miroir/merger";
import type { ProxyContext } from "../../context.js";
import type { OriginalRequest } from "../../scatter/original-request.js";
import type { ReadAnswer } from "../../scatter/read-answer.js";
import type { ReadScope } from "../../scatter/read-scope.js";
import { scatter } from "../../scatter/scatter.js";
import { degradedHeaders } from "../../scatter/unavailable-shards.js";
import { indexPath } from "../index-uid.js";
import { isRecord } from "../search/plannable-query.js";
import {
  type ListingSort,
  mergedListingWindow,
  type SortedEntry,
  sortedEntry,
} from "./listing-order.js";

const DEFAULT_LIMIT = 20;

type Document = Record<string, unknown>;

interface NodeListing {
  results: Document[];
  total: number;
}

/**
 * A documents listing with `sort`: each covering node lists its shards sorted, from 0 to
 * offset + limit, and the lists are merged on the sort values (Meilisearch's value order),
 * equal values by primary key. `total` is the sum of the nodes' totals.
 */
export async function sortedBrowse(
  ctx: ProxyContext,
  scope: ReadScope,
  request: {
    indexUid: string;
    query: DocumentsBrowseQuery;
    sorts: readonly ListingSort[];
    settings: MergeSettings;
    shards: readonly number[];
  },
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const { query, sorts, settings } = request;
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const fields = fetchedFields(query.fields, sorts, settings.primaryKey);
  const path = `${indexPath(request.indexUid)}/documents/fetch`;
  const outcome = await scatter(ctx, scope, {
    shards: request.shards,
    call: (nodeId, shards, timeoutMs) =>
      ctx.nodes.call(nodeId, {
        method: "POST",
        path,
        json: {
          ...query,
          offset: 0,
          limit: offset + limit,
          filter: withShardFilter(query.filter, shards),
          ...(fields === undefined ? {} : { fields: fields.requested }),
        },
        timeoutMs,
      }),
    check: (reply) => listingOf(reply.nodeId, reply.body),
    original,
  });
  const listings = outcome.answers.map((answer) => answer.checked);
  const lists: SortedEntry[][] = listings.map((listing) =>
    listing.results.map((document) => sortedEntry(document, sorts, settings.primaryKey)),
  );
  const results = mergedListingWindow(lists, sorts, offset, limit).map((document) =>
    visibleDocument(document, fields?.added ?? []),
  );
  const total = listings.reduce((sum, listing) => sum + listing.total, 0);
  return {
    body: { results, offset, limit, total },
    headers: degradedHeaders(scope, outcome.lost),
  };
}

/** The client's `fields` plus what the merge reads (sort attributes, primary key). */
function fetchedFields(
  fields: DocumentsBrowseQuery["fields"],
  sorts: readonly ListingSort[],
  primaryKey: string | null,
): { requested: string[]; added: string[] } | undefined {
  if (fields === undefined || fields === null) return undefined;
  const requested = [...fields];
  const added: string[] = [];
  const needed = [
    ...sorts.map((sort) => sort.attribute),
    ...(primaryKey === null ? [] : [primaryKey]),
  ];
  for (const attribute of needed) {
    if (requested.some((field) => field === "*" || covers(field, attribute))) continue;
    requested.push(attribute);
    added.push(attribute);
  }
  return { requested, added };
}

function covers(field: string, attribute: string): boolean {
  return attribute === field || attribute.startsWith(`${field}.`);
}

/** The document as the client asked for it: no `_miroir_` field, nothing Miroir added. */
function visibleDocument(document: Document, added: readonly string[]): Document {
  const visible = { ...document };
  for (const key of Object.keys(visible)) if (key.startsWith("_miroir_")) delete visible[key];
  for (const attribute of added) removePath(visible, attribute);
  return visible;
}

/** Removes an attribute Miroir added, and the objects left empty by its removal. */
function removePath(document: Document, path: string): void {
  if (Object.hasOwn(document, path)) {
    delete document[path];
    return;
  }
  const dot = path.indexOf(".");
  if (dot === -1) return;
  const head = path.slice(0, dot);
  const inner = document[head];
  if (!isRecord(inner)) return;
  const copy = { ...inner };
  removePath(copy, path.slice(dot + 1));
  if (Object.keys(copy).length === 0) delete document[head];
  else document[head] = copy;
}

function listingOf(nodeId: string, body: unknown): NodeListing {
  if (!isRecord(body) || !Array.isArray(body.results) || !body.results.every(isRecord)) {
    throw new NodeAnswerError(nodeId, "not a documents listing (`results`)");
  }
  if (typeof body.total !== "number") {
    throw new NodeAnswerError(nodeId, "not a documents listing (`total`)");
  }
  return { results: body.results as Document[], total: body.total };
}
