import { InvalidPrimaryKeyError, shardOf, validateDocumentId, writeTargets } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import type { NodeRequest } from "../node-client/index.js";
import { indexPath } from "../node-client/index.js";
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
      details: { providedIds: ids.length, deletedDocuments: null },
      customMetadata,
    },
    () => planDeletion(ctx, indexUid, ids, single),
  );
}

function planDeletion(
  ctx: ProxyContext,
  indexUid: string,
  ids: readonly unknown[],
  single: boolean,
): WritePlan {
  const topology = ctx.cluster.topology;
  const byNode = new Map<string, unknown[]>();
  const shards = new Set<number>();
  const deletedIds: string[] = [];
  for (const id of ids) {
    const shard = shardOfId(id, ctx.config.shards);
    // An id Meilisearch could never have stored matches no document: nothing to delete.
    if (shard === undefined) continue;
    shards.add(shard);
    deletedIds.push(String(id));
    for (const nodeId of writeTargets(shard, topology)) {
      const list = byNode.get(nodeId) ?? [];
      list.push(id);
      byNode.set(nodeId, list);
    }
  }
  const path = `${indexPath(indexUid)}/documents`;
  const writes: NodeWrite[] = [...byNode].map(([nodeId, nodeIds]) => ({
    nodeId,
    request: single
      ? { method: "DELETE", path: `${path}/${encodeURIComponent(String(nodeIds[0]))}` }
      : { method: "POST", path: `${path}/delete-batch`, json: nodeIds },
  }));
  return { writes, shards, deletedIds };
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
 * edit by function): the same request to every node, one Miroir task, quorum over every
 * shard.
 */
export function broadcastDocumentWrite(
  ctx: ProxyContext,
  indexUid: string,
  type: string,
  details: Record<string, unknown>,
  request: NodeRequest,
  customMetadata: string | null = null,
): Promise<WriteOutcome> {
  return executeWrite(ctx, indexUid, { indexUid, type, details, customMetadata }, () => ({
    writes: ctx.nodes.nodeIds.map((nodeId) => ({ nodeId, request })),
    shards: Array.from({ length: ctx.config.shards }, (_, shard) => shard),
  }));
}
