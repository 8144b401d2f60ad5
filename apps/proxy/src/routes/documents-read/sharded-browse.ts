import {
  type DocumentsBrowseQuery,
  mergeDocumentsBrowse,
  planDocumentsBrowseQuery,
} from "@miroir/merger";
import { InvalidPrimaryKeyError, shardOf } from "@miroir/router";
import type { ProxyContext } from "../../context.js";
import { readMergeSettings } from "../../scatter/merge-settings.js";
import { type OriginalRequest, rejectionOf } from "../../scatter/original-request.js";
import type { ReadAnswer } from "../../scatter/read-answer.js";
import { allShards, openRead, type ReadScope } from "../../scatter/read-scope.js";
import { scatter } from "../../scatter/scatter.js";
import { degradedHeaders } from "../../scatter/unavailable-shards.js";
import { indexPath } from "../index-uid.js";
import { isRecord, plannableQuery } from "../search/plannable-query.js";

function plannableBrowse(body: unknown): DocumentsBrowseQuery | null {
  if (!isRecord(body)) return null;
  const { fields, ids, sort, ...rest } = body;
  if (plannableQuery({ ...rest, attributesToRetrieve: fields }) === null) return null;
  if (ids !== undefined && ids !== null && !Array.isArray(ids)) return null;
  // Node listings sorted on an attribute cannot be merged by primary key; none is planned.
  if (sort !== undefined && sort !== null) return null;
  return body as DocumentsBrowseQuery;
}

/**
 * `GET /documents` and `POST /documents/fetch` over one covering set, merged in
 * primary-key order with the client's offset and limit; `ids` go to their shards only.
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
  const { primaryKey } = await readMergeSettings(ctx, scope, indexUid);
  const path = `${indexPath(indexUid)}/documents/fetch`;
  const outcome = await scatter(ctx, scope, {
    shards: shardsOfIds(scope, query.ids) ?? allShards(scope),
    call: (nodeId, shards, timeoutMs) =>
      ctx.nodes.call(nodeId, {
        method: "POST",
        path,
        json: planDocumentsBrowseQuery(query, primaryKey ?? "", shards),
        timeoutMs,
      }),
    check: (answer) => {
      mergeDocumentsBrowse({ limit: 0 }, primaryKey ?? "", [
        { node: answer.nodeId, body: answer.body },
      ]);
    },
    original,
  });
  const headers = degradedHeaders(scope, outcome.lost);
  const answers = outcome.answers.map((answer) => ({ node: answer.nodeId, body: answer.body }));
  return { body: mergeDocumentsBrowse(query, primaryKey ?? "", answers), headers };
}

/** The shards of the listed ids, or null to ask every shard (no list, or an unusable id). */
function shardsOfIds(scope: ReadScope, ids: unknown): number[] | null {
  if (!Array.isArray(ids) || ids.length === 0) return null;
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
