import { meiliError } from "@miroir/errors";
import { SHARD_FIELD } from "@miroir/merger";
import type { MiroirTaskRecord } from "@miroir/taskstore";
import { copiesOf, type ProxyContext } from "../context.js";
import { hintedRequestOf } from "../convergence/hinted-handoff.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import { askNodes, logUndelivered } from "./ask-nodes.js";
import { runBroadcast } from "./broadcast-operation.js";
import { nodeFacetingStep } from "./node-faceting.js";

/**
 * Creates the index on every node with its primary key, `_miroir_shard` filterable and the
 * nodes' large `maxValuesPerFacet`;
 * if any node fails, the index is deleted again where it was created.
 */
export function createIndex(
  ctx: ProxyContext,
  indexUid: string,
  primaryKey: string | null,
): Promise<MiroirTaskRecord> {
  return runBroadcast(ctx, {
    queueKey: indexUid,
    task: { indexUid, type: "indexCreation", details: { primaryKey } },
    steps: [
      { method: "POST", path: "/indexes", json: { uid: indexUid, primaryKey } },
      {
        method: "PUT",
        path: `${indexPath(indexUid)}/settings/filterable-attributes`,
        json: [SHARD_FIELD],
      },
      nodeFacetingStep(indexPath(indexUid)),
    ],
    undo: (nodeIds) =>
      sendTo(ctx, nodeIds, indexUid, { method: "DELETE", path: indexPath(indexUid) }),
    onSuccess: () => ctx.indexes.set(indexUid, { exists: true, primaryKey }),
  });
}

/**
 * Sets the primary key (possible only while the index holds no document) and renames the
 * index (`newUid`) on every node, as one `indexUpdate` task; undone where it applied.
 */
export async function updateIndex(
  ctx: ProxyContext,
  indexUid: string,
  primaryKey: string | null,
  newUid: string | null = null,
): Promise<MiroirTaskRecord> {
  if (newUid !== null) refuseOwnShardCounts(ctx, [indexUid, newUid], "renamed");
  const before = await ctx.indexes.describe(indexUid);
  const change = newUid === null ? { primaryKey } : { primaryKey, uid: newUid };
  const details =
    newUid === null ? { primaryKey } : { primaryKey, oldIndexUid: indexUid, newIndexUid: newUid };
  return runBroadcast(ctx, {
    queueKey: indexUid,
    task: { indexUid, type: "indexUpdate", details },
    steps: [{ method: "PATCH", path: indexPath(indexUid), json: change }],
    undo: async (nodeIds) => {
      if (newUid !== null) {
        await sendTo(ctx, nodeIds, indexUid, {
          method: "PATCH",
          path: indexPath(newUid),
          json: { uid: indexUid },
        });
      }
      if (before.primaryKey === null) return;
      await sendTo(ctx, nodeIds, indexUid, {
        method: "PATCH",
        path: indexPath(indexUid),
        json: { primaryKey: before.primaryKey },
      });
    },
    onSuccess: () => {
      if (newUid === null) {
        ctx.indexes.set(indexUid, { exists: true, primaryKey });
        return;
      }
      ctx.indexes.forget(indexUid);
      ctx.indexes.forget(newUid);
    },
  });
}

/**
 * Deletes the index on every node; a deletion cannot be undone. The index is known as
 * absent at once, so a write that follows re-creates it (with `_miroir_shard`
 * filterable) behind the deletion on every node's FIFO.
 *
 * The index's pending hints and tombstones go first (a hint replayed after the deletion
 * would re-create the index on its node, with documents of the deleted one), and a node
 * the deletion does not reach gets the deletion itself as a hint, ahead of any write to
 * an index of the same name created later.
 */
export function deleteIndex(ctx: ProxyContext, indexUid: string): Promise<MiroirTaskRecord> {
  const absent = { exists: false, primaryKey: null };
  ctx.indexes.set(indexUid, absent);
  const { clock, handoff } = ctx.convergence;
  const version = clock.next();
  const request = { method: "DELETE", path: indexPath(indexUid) } as const;
  const dropped = handoff.dropIndex(indexUid, version);
  return runBroadcast(ctx, {
    queueKey: indexUid,
    task: { indexUid, type: "indexDeletion", details: null },
    steps: [request],
    prepare: async () => {
      await dropped;
      await ctx.taskStore.tombstones.prune(indexUid, Number.MAX_SAFE_INTEGER);
      // An index created later under this uid has the configured shard count again.
      if (ctx.indexShards.list().some((entry) => entry.indexUid === indexUid)) {
        await ctx.taskStore.indexShards.delete(indexUid);
        ctx.indexShards.apply({ deleted: indexUid });
      }
    },
    missed: async (nodeIds, task) => {
      const hints = handoff.hold(
        nodeIds.map((nodeId) => ({
          nodeId,
          indexUid,
          version,
          taskUid: task.uid,
          request: hintedRequestOf(request),
        })),
      );
      await handoff.store(hints);
      for (const hint of hints) ctx.metrics.hintsRecorded.inc({ node_id: hint.nodeId });
    },
    // As a node reports it: the documents deleted (each counted once, not once per
    // copy), 0 when the deletion failed.
    finishedDetails: (_recorded, finished) => {
      const tasks = [...finished.values()];
      const total = tasks.reduce((sum, task) => {
        const deleted = task.details?.deletedDocuments;
        return sum + (typeof deleted === "number" ? deleted : 0);
      }, 0);
      const succeeded = tasks.length > 0 && tasks.every((task) => task.status === "succeeded");
      return { deletedDocuments: succeeded ? Math.round(total / copiesOf(ctx.config)) : 0 };
    },
  });
}

/** Swaps (or renames) indexes on every node; undone by swapping back where it succeeded. */
export function swapIndexes(
  ctx: ProxyContext,
  swaps: readonly { indexes: readonly string[]; rename?: boolean }[],
): Promise<MiroirTaskRecord> {
  const request = { method: "POST", path: "/swap-indexes", json: swaps } as const;
  const touched = swaps.flatMap((swap) => swap.indexes);
  refuseOwnShardCounts(ctx, touched, "swapped");
  return runBroadcast(ctx, {
    queueKey: "\u0000swap-indexes",
    task: { indexUid: null, type: "indexSwap", details: { swaps } },
    steps: [request],
    undo: async (nodeIds) => {
      if (swaps.some((swap) => swap.rename === true)) return;
      await sendTo(ctx, nodeIds, "\u0000swap-indexes", request);
    },
    onSuccess: () => {
      for (const uid of touched) ctx.indexes.forget(uid);
    },
  });
}

/**
 * A resharded index keeps its shard count under its uid: swapping or renaming it would
 * leave its documents routed by another index's count, so it is refused.
 */
function refuseOwnShardCounts(
  ctx: ProxyContext,
  uids: readonly string[],
  what: "swapped" | "renamed",
): void {
  const own = uids.find((uid) => ctx.indexShards.of(uid) !== ctx.config.shards);
  if (own === undefined) return;
  throw meiliError(
    "miroir_invalid_request",
    `Index \`${own}\` has a shard count of its own (${ctx.indexShards.of(own)}, resharded) and cannot be ${what}; point an alias at it instead (/_miroir/aliases).`,
  );
}

/** Sends an undo to the nodes that applied a change, behind it on their FIFO. */
async function sendTo(
  ctx: ProxyContext,
  nodeIds: readonly string[],
  queueKey: string,
  request: NodeRequest,
): Promise<void> {
  logUndelivered(
    ctx.logger,
    await askNodes(ctx, nodeIds, request, { queueKey }),
    "undo failed",
    "error",
  );
}
