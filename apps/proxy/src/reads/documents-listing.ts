import {
  checkDocumentsListing,
  type DocumentsBrowseQuery,
  type DocumentsListing,
  listingSortOf,
  type MergedDocumentsBrowse,
  type MergeSettings,
  mergeCheckedDocumentsBrowse,
  mergeCheckedSortedListing,
  mergeShardWindowListing,
  NodeAnswerError,
  planDocumentsBrowseQuery,
  planSortedDocumentsListing,
  shardRanges,
  withShardFilter,
} from "@miroir/merger";
import { InvalidPrimaryKeyError, shardOf } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import { cachedMergeSettings } from "../scatter/merge-settings.js";
import { rejectionOf } from "../scatter/original-request.js";
import { gather, openPlannedRead, type ReadAnswer } from "../scatter/read-pipeline.js";
import { allShards, type ReadScope } from "../scatter/read-scope.js";
import { scatter } from "../scatter/scatter.js";
import { shardCountRead } from "../scatter/shard-counts.js";
import { isRecord, plannableQuery } from "./plannable-query.js";

const DEFAULT_LIMIT = 20;

type Document = Record<string, unknown>;

function plannableBrowse(body: unknown): DocumentsBrowseQuery | null {
  if (!isRecord(body)) return null;
  const { fields, ids, sort, ...rest } = body;
  if (plannableQuery({ ...rest, attributesToRetrieve: fields }) === null) return null;
  if (ids !== undefined && ids !== null && !Array.isArray(ids)) return null;
  if (sort !== undefined && sort !== null) {
    if (!Array.isArray(sort) || !sort.every((entry) => typeof entry === "string")) return null;
  }
  return body as DocumentsBrowseQuery;
}

/** One listing request: its index, query and settings, and the client's own request. */
interface Listing {
  readonly indexUid: string;
  readonly query: DocumentsBrowseQuery;
  readonly settings: MergeSettings;
  readonly original: NodeRequest;
}

/**
 * `GET /documents` and `POST /documents/fetch`. A node lists documents in its internal
 * order, which has no meaning across shards; Miroir lists shard 0's documents, then shard
 * 1's, and so on, each shard in the order of the replica that holds it. Exact per-shard
 * counts (with the client's filter) place the window, then only the shards it touches
 * are read, so pages concatenate with no duplicate and no gap. A listing by `ids` goes to
 * the shards of those ids and is merged in primary-key order; a listing with `sort` is
 * merged on its sort values (both in @miroir/merger).
 */
export async function listDocuments(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: NodeRequest,
): Promise<ReadAnswer> {
  const { scope, query } = await openPlannedRead(
    ctx,
    body,
    plannableBrowse,
    original,
    undefined,
    indexUid,
  );
  const listing: Listing = {
    indexUid,
    query,
    settings: await cachedMergeSettings(ctx, scope, indexUid),
    original,
  };
  const sort = Array.isArray(query.sort) ? (query.sort as string[]) : [];
  const idShards = Array.isArray(query.ids) ? shardsOfIds(scope, query.ids) : null;
  const { primaryKey } = listing.settings;
  if (sort.length > 0) {
    const sorts = listingSortOf(sort);
    if (sorts === null) throw await rejectionOf(ctx, scope, original);
    return prefixListing(
      ctx,
      scope,
      listing,
      idShards ?? allShards(scope),
      (shards) => planSortedDocumentsListing(query, sorts, primaryKey, shards),
      (listings) => mergeCheckedSortedListing(query, sorts, primaryKey, listings),
    );
  }
  if (Array.isArray(query.ids)) {
    return prefixListing(
      ctx,
      scope,
      listing,
      idShards ?? allShards(scope),
      (shards) => planDocumentsBrowseQuery(query, primaryKey ?? "", shards),
      (listings) => mergeCheckedDocumentsBrowse(query, primaryKey ?? "", listings),
    );
  }
  return listingByShard(ctx, scope, listing);
}

/** Shard 0's documents, then shard 1's…: counts place the window, the shards it touches list it. */
async function listingByShard(
  ctx: ProxyContext,
  scope: ReadScope,
  { indexUid, query, settings, original }: Listing,
): Promise<ReadAnswer> {
  const window = { offset: query.offset ?? 0, limit: query.limit ?? DEFAULT_LIMIT };
  const countRead = shardCountRead(
    scope,
    [
      {
        uid: indexUid,
        maxValuesPerFacet: settings.faceting.maxValuesPerFacet,
        filter: query.filter ?? null,
      },
    ],
    original,
  );
  const counted = await scatter(ctx, scope, countRead);
  const counts = countRead.merge(counted.checked).get(indexUid) ?? [];
  const ranges = shardRanges(counts, window.offset, window.limit);
  const rangeOf = new Map(ranges.map((range) => [range.shard, range]));
  const path = `${indexPath(indexUid)}/documents/fetch`;
  return gather(
    ctx,
    scope,
    {
      shards: ranges.map((range) => range.shard),
      // One request per shard: a node lists several shards only in its internal order.
      request: (shards) =>
        shards.map((shard): NodeRequest => {
          const range = rangeOf.get(shard) as (typeof ranges)[number];
          return {
            method: "POST",
            path,
            json: {
              ...query,
              offset: range.offset,
              limit: range.limit,
              filter: withShardFilter(query.filter, [shard]),
            },
          };
        }),
      check: (reply) => shardListingsOf(reply.nodeId, reply.shards, reply.body),
      merge: (checked) => mergeShardWindowListing(window, counts, ranges, new Map(checked.flat())),
      original,
    },
    counted.lost,
  );
}

/**
 * A listing each covering node answers with a prefix of its shards' documents (`plan`),
 * the listings merged by `merge`: by primary key for `ids`, on the sort values for `sort`.
 */
function prefixListing(
  ctx: ProxyContext,
  scope: ReadScope,
  { indexUid, original }: Listing,
  shards: readonly number[],
  plan: (shards: readonly number[]) => DocumentsBrowseQuery,
  merge: (listings: DocumentsListing[]) => MergedDocumentsBrowse,
): Promise<ReadAnswer> {
  const path = `${indexPath(indexUid)}/documents/fetch`;
  return gather(ctx, scope, {
    shards,
    request: (mine) => ({ method: "POST", path, json: plan(mine) }),
    check: (reply) => checkDocumentsListing(reply.nodeId, reply.body),
    merge,
    original,
  });
}

/** Each shard's documents from a node's answers to its per-shard requests. */
function shardListingsOf(
  nodeId: string,
  shards: readonly number[],
  bodies: unknown,
): [number, Document[]][] {
  if (!Array.isArray(bodies)) throw new NodeAnswerError(nodeId, "not a documents listing");
  return shards.map((shard, position) => {
    const results = (bodies[position] as { results?: unknown } | null)?.results;
    if (!Array.isArray(results) || !results.every(isRecord)) {
      throw new NodeAnswerError(nodeId, "not a documents listing (`results`)");
    }
    return [shard, results];
  });
}

/** The shards of the listed ids, or null when some id names no shard (ask them all). */
function shardsOfIds(scope: ReadScope, ids: readonly unknown[]): number[] | null {
  if (ids.length === 0) return null;
  const shards = new Set<number>();
  for (const id of ids) {
    if (typeof id !== "string" && typeof id !== "number") return null;
    try {
      shards.add(shardOf(id, scope.topology.shards));
    } catch (error) {
      if (error instanceof InvalidPrimaryKeyError) return null;
      throw error;
    }
  }
  return [...shards].sort((a, b) => a - b);
}
