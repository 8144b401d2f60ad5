import type { MeiliError } from "@miroir/errors";
import type { ProxyContext } from "../../context.js";
import { toMeiliError } from "../../errors/index.js";
import { isSuccess, type NodeRequest, nodeErrorOf } from "../../node-client/index.js";

export interface KeyChangeResult {
  readonly nodeId: string;
  readonly ok: boolean;
  readonly error?: MeiliError;
}

/** Sends one request to each node in parallel; a node error or failure is a result. */
export function sendToEach(
  ctx: ProxyContext,
  nodeIds: readonly string[],
  request: NodeRequest,
): Promise<KeyChangeResult[]> {
  return Promise.all(
    nodeIds.map((nodeId) =>
      ctx.nodes.call(nodeId, request).then(
        (response) =>
          isSuccess(response)
            ? { nodeId, ok: true }
            : { nodeId, ok: false, error: nodeErrorOf(response) },
        (error: unknown) => ({ nodeId, ok: false, error: toMeiliError(error) }),
      ),
    ),
  );
}

export function nodeFailure(result: KeyChangeResult): MeiliError {
  return result.error ?? toMeiliError(undefined);
}
