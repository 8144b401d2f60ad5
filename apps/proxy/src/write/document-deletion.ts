import { InvalidPrimaryKeyError, shardOf, validateDocumentId } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import type { NodeRequest } from "../node-client/index.js";
import { indexPath } from "../node-client/index.js";
import { topologyOf } from "../topology/index-shards.js";
import { countingParts } from "./counting-parts.js";
import {
  executeWrite,
  type NodeWrite,
  type WriteOutcome,
  type WritePlan,
} from "./execute-write.js";

/** Deletes documents by id: each id goes to the replicas of its shard only. */
export function deleteDocumentsByIds(
  ctx: ProxyContext,
  indexUid: string,
  ids: readonly unknown[],
  single: boolean,
  customMetadata: string | null = null,
): Promise<WriteOutcome> {
  return executeWrite(
    ctx,
    indexUid,
    {
      indexUid,
      type: "documentDeletion",
      // As a node shows a deletion by ids.
      details: { providedIds: ids.length, deletedDocuments: null, originalFilter: null },
      customMetadata,
    },
    () => planDeletion(ctx, indexUid, ids, single),
  );
}

/** One request per counting part and replica: each counts its part's deletions exactly. */
function planDeletion(
  ctx: ProxyContext,
  indexUid: string,
  ids: readonly unknown[],
  single: boolean,
): WritePlan {
  const byShard = new Map<number, unknown[]>();
  const deletedIds: string[] = [];
  const topology = topologyOf(ctx, indexUid);
  for (const id of ids) {
    const shard = shardOfId(id, topology.shards);
    // An id Meilisearch could never have stored matches no document: nothing to delete.
    if (shard === undefined) continue;
    byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
    deletedIds.push(String(id));
  }
  const path = `${indexPath(indexUid)}/documents`;
  const writes: NodeWrite[] = [];
  countingParts(byShard.keys(), topology).forEach((part, at) => {
    const partIds = part.shards.flatMap((shard) => byShard.get(shard) ?? []);
    const request: NodeRequest = single
      ? { method: "DELETE", path: `${path}/${encodeURIComponent(String(partIds[0]))}` }
      : { method: "POST", path: `${path}/delete-batch`, json: partIds };
    for (const nodeId of part.targets) writes.push({ nodeId, part: at, request });
  });
  return { writes, shards: byShard.keys(), deletedIds };
}

function shardOfId(id: unknown, shards: number): number | undefined {
  try {
    return shardOf(validateDocumentId(id), shards);
  } catch (error) {
    if (error instanceof InvalidPrimaryKeyError) return undefined;
    throw error;
  }
}

/**
 * A write every node must apply to all its documents (delete by filter, delete all,
 * edit by function), as one Miroir task with quorum over every shard. Given a function
 * that makes the request for some shards (narrowed with `_miroir_shard IN […]`), each
 * replica gets one request per counting part it holds, so the task counts documents
 * exactly; given a request (a filter that cannot be narrowed), every node gets it as it is.
 */
export function broadcastDocumentWrite(
  ctx: ProxyContext,
  indexUid: string,
  type: string,
  details: Record<string, unknown>,
  request: NodeRequest | ((shards: readonly number[]) => NodeRequest),
  customMetadata: string | null = null,
): Promise<WriteOutcome> {
  const topology = topologyOf(ctx, indexUid);
  const shards = Array.from({ length: topology.shards }, (_, shard) => shard);
  return executeWrite(ctx, indexUid, { indexUid, type, details, customMetadata }, () => {
    if (typeof request !== "function") {
      return { writes: ctx.nodes.nodeIds.map((nodeId) => ({ nodeId, request })), shards };
    }
    const writes: NodeWrite[] = [];
    countingParts(shards, topology).forEach((part, at) => {
      const narrowed = request(part.shards);
      for (const nodeId of part.targets) writes.push({ nodeId, part: at, request: narrowed });
    });
    return { writes, shards };
  });
}
