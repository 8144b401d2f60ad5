import type { ProxyContext } from "../context.js";
import { waitForNodeTask } from "../convergence/node-task-wait.js";
import { indexPath } from "../node-client/index.js";
import { MoveNodeError } from "./move-node-error.js";

/**
 * Waits until one node has applied every write Miroir handed it for one index so far: a
 * request sent through the (node, index) write lane leaves after every earlier write, and
 * the newest task of the index it reports is finished only once the earlier ones are (a
 * node works through one index's tasks in order).
 */
export async function settleNodeIndex(
  ctx: ProxyContext,
  nodeId: string,
  indexUid: string,
): Promise<void> {
  const answer = await ctx.writes
    .send(nodeId, indexUid, {
      method: "GET",
      path: "/tasks",
      query: { indexUids: indexUid, limit: "1" },
    })
    .catch((error: unknown) => {
      throw new MoveNodeError(nodeId, `cannot list its tasks of ${indexUid}`, error);
    });
  if (answer.status !== 200 || answer.body === null) {
    throw new MoveNodeError(nodeId, `answered ${answer.status} to a task listing`);
  }
  const newest = (answer.body as { results?: { uid: number }[] }).results?.[0]?.uid;
  if (newest === undefined) return;
  if (!(await waitForNodeTask(ctx, nodeId, newest))) {
    throw new MoveNodeError(nodeId, `did not finish task ${newest} of ${indexUid}`);
  }
}

/** `path` of one index, for the calls of a move. */
export const documentsPath = (indexUid: string) => `${indexPath(indexUid)}/documents`;
