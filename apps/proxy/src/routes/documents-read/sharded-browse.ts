import {
  checkDocumentsListing,
  type DocumentsBrowseQuery,
  mergeCheckedDocumentsBrowse,
  NodeAnswerError,
  planDocumentsBrowseQuery,
  withShardFilter,
} from "@miroir/merger";
import { InvalidPrimaryKeyError, shardOf } from "@miroir/router";
import type { ProxyContext } from "../../context.js";
import { isSuccess, type NodeResponse } from "../../node-client/index.js";
import { cachedMergeSettings } from "../../scatter/merge-settings.js";
import { type OriginalRequest, rejectionOf } from "../../scatter/original-request.js";
import type { ReadAnswer } from "../../scatter/read-answer.js";
import { allShards, openRead, type ReadScope } from "../../scatter/read-scope.js";
import { scatter } from "../../scatter/scatter.js";
import { shardCounts, totalOf } from "../../scatter/shard-counts.js";
import { degradedHeaders } from "../../scatter/unavailable-shards.js";
import { indexPath } from "../index-uid.js";
import { isRecord, plannableQuery } from "../search/plannable-query.js";
import { listingSortOf } from "./listing-order.js";
import { shardRanges } from "./shard-window.js";
import { sortedBrowse } from "./sorted-browse.js";

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

/**
 * `GET /documents` and `POST /documents/fetch`. A node lists documents in its internal
 * order, which has no meaning across shards; Miroir lists shard 0's documents, then shard
 * 1's, and so on, each shard in the order of the replica that holds it. Exact per-shard
 * counts (with the client's filter) place the window, then only the shards it touches
 * are read, so pages concatenate with no duplicate and no gap. A listing by `ids` goes to
 * the shards of those ids and is merged in primary-key order; a listing with `sort` is
 * merged on its sort values (`sortedBrowse`).
 */
export async function shardedBrowse(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const scope = openRead(ctx);
  const query = plannableBrowse(body);
  if (query === null) throw await rejectionOf(ctx, scope, original);
  const settings = await cachedMergeSettings(ctx, scope, indexUid);
  const sort = Array.isArray(query.sort) ? (query.sort as string[]) : [];
  if (sort.length > 0) {
    const sorts = listingSortOf(sort);
    if (sorts === null) throw await rejectionOf(ctx, scope, original);
    const shards =
      (Array.isArray(query.ids) ? shardsOfIds(scope, query.ids) : null) ?? allShards(scope);
    return sortedBrowse(ctx, scope, { indexUid, query, sorts, settings, shards }, original);
  }
  if (Array.isArray(query.ids)) {
    const shards = shardsOfIds(scope, query.ids) ?? allShards(scope);
    return browseByIds(ctx, scope, indexUid, query, settings.primaryKey ?? "", shards, original);
  }
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const counts = await shardCounts(
    ctx,
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
  const perShard = counts.byIndex.get(indexUid) ?? [];
  const ranges = shardRanges(perShard, offset, limit);
  const rangeOf = new Map(ranges.map((range) => [range.shard, range]));
  const path = `${indexPath(indexUid)}/documents/fetch`;
  const outcome = await scatter(ctx, scope, {
    shards: ranges.map((range) => range.shard),
    call: async (nodeId, shards, timeoutMs) => {
      const answers = await Promise.all(
        shards.map((shard) => {
          const range = rangeOf.get(shard) as (typeof ranges)[number];
          return ctx.nodes.call(nodeId, {
            method: "POST",
            path,
            json: {
              ...query,
              offset: range.offset,
              limit: range.limit,
              filter: withShardFilter(query.filter, [shard]),
            },
            timeoutMs,
          });
        }),
      );
      return (
        answers.find((answer) => !isSuccess(answer)) ?? listingsAnswer(nodeId, shards, answers)
      );
    },
    check: (reply) => listingsOf(reply.nodeId, reply.body),
    original,
  });
  const byShard = new Map<number, Document[]>();
  for (const answer of outcome.answers) {
    for (const listing of answer.checked) {
      byShard.set(listing.shard, listing.results);
    }
  }
  const lost = [...new Set([...counts.lost, ...outcome.lost])].sort((a, b) => a - b);
  const headers = degradedHeaders(scope, lost);
  const results = ranges.flatMap((range) =>
    (byShard.get(range.shard) ?? []).map(withoutMiroirFields),
  );
  return { body: { results, offset, limit, total: totalOf(perShard) }, headers };
}

async function browseByIds(
  ctx: ProxyContext,
  scope: ReadScope,
  indexUid: string,
  query: DocumentsBrowseQuery,
  primaryKey: string,
  shards: number[],
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const path = `${indexPath(indexUid)}/documents/fetch`;
  const outcome = await scatter(ctx, scope, {
    shards,
    call: (nodeId, mine, timeoutMs) =>
      ctx.nodes.call(nodeId, {
        method: "POST",
        path,
        json: planDocumentsBrowseQuery(query, primaryKey, mine),
        timeoutMs,
      }),
    check: (reply) => checkDocumentsListing(reply.nodeId, reply.body),
    original,
  });
  const headers = degradedHeaders(scope, outcome.lost);
  const listings = outcome.answers.map((answer) => answer.checked);
  return { body: mergeCheckedDocumentsBrowse(query, primaryKey, listings), headers };
}

function listingsAnswer(
  nodeId: string,
  shards: readonly number[],
  answers: NodeResponse[],
): NodeResponse {
  return {
    nodeId,
    status: 200,
    body: shards.map((shard, position) => ({
      shard,
      results: (answers[position]?.body as { results?: unknown } | null)?.results,
    })),
  };
}

function listingsOf(nodeId: string, body: unknown): { shard: number; results: Document[] }[] {
  if (!Array.isArray(body)) throw new NodeAnswerError(nodeId, "not a documents listing");
  for (const listing of body) {
    if (!Array.isArray(listing?.results) || !listing.results.every(isRecord)) {
      throw new NodeAnswerError(nodeId, "not a documents listing (`results`)");
    }
  }
  return body as { shard: number; results: Document[] }[];
}

function withoutMiroirFields(document: Document): Document {
  const visible = { ...document };
  for (const key of Object.keys(visible)) if (key.startsWith("_miroir_")) delete visible[key];
  return visible;
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
