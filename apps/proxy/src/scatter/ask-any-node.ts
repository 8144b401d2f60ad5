import type { ProxyContext } from "../context.js";
import { NodeCallError, type NodeRequest, type NodeResponse } from "../node-client/index.js";
import { shardsUnavailable } from "./read-scope.js";

/**
 * Asks for something every node answers alike, trying `nodeIds` in order until one
 * answers (2xx or 4xx): a node that is unreachable, too slow or failing (5xx) is skipped.
 * When none answers, no shard can be read: `miroir_shard_unavailable`.
 */
export async function askAnyNode(
  ctx: ProxyContext,
  nodeIds: readonly string[],
  request: NodeRequest,
): Promise<NodeResponse> {
  for (const nodeId of nodeIds) {
    try {
      const response = await ctx.nodes.call(nodeId, request);
      if (response.status < 500) return response;
    } catch (error) {
      if (!(error instanceof NodeCallError)) throw error;
    }
  }
  throw shardsUnavailable("every shard");
}
