import type { ProxyContext } from "../context.js";
import { SHARD_FIELD } from "./reserved-field.js";

/**
 * Makes sure every node has the index with its primary key fixed before a document write
 * goes out: a missing index is created on every node with `_miroir_shard` filterable; an
 * index without a primary key gets the one just declared or inferred. Requests are
 * enqueued synchronously on the per-(node, index) FIFO, ahead of the write itself; their
 * outcome is the nodes' business (a node that misses them still creates the index from
 * the write, with the primary key it carries).
 */
export function prepareIndex(ctx: ProxyContext, indexUid: string, primaryKey: string): void {
  const state = ctx.indexes.peek(indexUid);
  if (state?.exists === true && state.primaryKey !== null) return;
  const path = `/indexes/${encodeURIComponent(indexUid)}`;
  for (const nodeId of ctx.nodes.nodeIds) {
    const sends =
      state?.exists === true
        ? [ctx.writes.send(nodeId, indexUid, { method: "PATCH", path, json: { primaryKey } })]
        : [
            ctx.writes.send(nodeId, indexUid, {
              method: "POST",
              path: "/indexes",
              json: { uid: indexUid, primaryKey },
            }),
            ctx.writes.send(nodeId, indexUid, {
              method: "PUT",
              path: `${path}/settings/filterable-attributes`,
              json: [SHARD_FIELD],
            }),
          ];
    for (const sent of sends) {
      sent.catch((error: unknown) =>
        ctx.logger.warn({ node: nodeId, index: indexUid, err: error }, "index preparation failed"),
      );
    }
  }
  ctx.indexes.set(indexUid, { exists: true, primaryKey });
}
