import { type MeiliError, meiliError } from "@miroir/errors";
import type { ProxyContext } from "../context.js";
import { NodeCallError, type NodeRequest } from "../node-client/index.js";
import { clientErrorOf } from "./client-error.js";
import { preferredNodes, type ReadScope } from "./read-scope.js";

/**
 * The error Meilisearch gives for a request Miroir cannot plan (a parameter of the wrong
 * type, an unknown one): the client's request is sent as it is to one node, whose error is
 * passed through. Should the node accept what Miroir cannot plan, the answer is a
 * `bad_request` naming the request rather than a one-node (incomplete) result.
 */
export async function rejectionOf(
  ctx: ProxyContext,
  scope: ReadScope,
  original: NodeRequest,
): Promise<MeiliError> {
  let last: unknown;
  for (const nodeId of preferredNodes(scope, ctx.nodes.nodeIds)) {
    try {
      const response = await ctx.nodes.call(nodeId, original);
      if (response.status >= 400 && response.status < 500) return clientErrorOf(response);
      if (response.status < 400) break;
    } catch (error) {
      if (!(error instanceof NodeCallError)) throw error;
      last = error;
    }
  }
  if (last instanceof NodeCallError) return last.toMeiliError();
  return meiliError("bad_request", "Miroir cannot spread this request over its shards.");
}
