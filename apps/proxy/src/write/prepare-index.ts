import { SHARD_FIELD } from "@miroir/merger";
import { askNodes, logUndelivered } from "../broadcast/ask-nodes.js";
import { nodeFacetingStep } from "../broadcast/node-faceting.js";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";

/**
 * Makes sure every node has the index with its primary key fixed before a document write
 * goes out: a missing index is created on every node with `_miroir_shard` filterable (and
 * the nodes' large `maxValuesPerFacet`, see node-faceting.ts); an
 * index without a primary key gets the one just declared or inferred. Requests are
 * enqueued synchronously on the per-(node, index) FIFO, ahead of the write itself; their
 * outcome is the nodes' business (a node that misses them still creates the index from
 * the write, with the primary key it carries).
 */
export function prepareIndex(ctx: ProxyContext, indexUid: string, primaryKey: string): void {
  const state = ctx.indexes.peek(indexUid);
  if (state?.exists === true && state.primaryKey !== null) return;
  const path = indexPath(indexUid);
  const steps: NodeRequest[] =
    state?.exists === true
      ? [{ method: "PATCH", path, json: { primaryKey } }]
      : [
          { method: "POST", path: "/indexes", json: { uid: indexUid, primaryKey } },
          { method: "PUT", path: `${path}/settings/filterable-attributes`, json: [SHARD_FIELD] },
          nodeFacetingStep(path),
        ];
  // Each step is enqueued on every node now, in order; nobody waits for the answers.
  for (const step of steps) {
    void askNodes(ctx, ctx.nodes.nodeIds, step, { queueKey: indexUid }).then((outcomes) =>
      logUndelivered(ctx.logger, outcomes, `index preparation failed (${indexUid})`),
    );
  }
  ctx.indexes.set(indexUid, { exists: true, primaryKey });
}
