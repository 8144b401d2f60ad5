import type { NodeClient, NodeRequest, NodeResponse } from "../node-client/index.js";

/**
 * Writes to one (node, index) leave the process one after the other, in the order they
 * were handed to `send`, so two writes to one document reach every replica in the order
 * Miroir accepted them. `send` enqueues synchronously; callers that enqueue on several
 * nodes in one synchronous step get the same order on all of them.
 */
export interface NodeWriteQueue {
  send(nodeId: string, indexUid: string, request: NodeRequest): Promise<NodeResponse>;
}

export function createNodeWriteQueue(nodes: NodeClient): NodeWriteQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    send(nodeId, indexUid, request) {
      const key = `${nodeId}\u0000${indexUid}`;
      const previous = tails.get(key) ?? Promise.resolve();
      const sent = previous.then(() => nodes.call(nodeId, request));
      const tail = sent.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return sent;
    },
  };
}
