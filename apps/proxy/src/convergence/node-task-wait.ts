import type { ProxyContext } from "../context.js";

const POLL_MS = 25;
const LIMIT_MS = 120_000;

/**
 * Waits until a node has finished one of its tasks (a node works through an index's tasks
 * in order, so everything enqueued before it is applied too); false when the node stops
 * answering or the task takes more than two minutes.
 */
export async function waitForNodeTask(
  ctx: ProxyContext,
  nodeId: string,
  taskUid: number,
): Promise<boolean> {
  const deadline = Date.now() + LIMIT_MS;
  while (Date.now() < deadline) {
    const answer = await ctx.nodes
      .call<{ status?: string }>(nodeId, { method: "GET", path: `/tasks/${taskUid}` })
      .catch(() => null);
    if (answer === null || answer.status >= 500) return false;
    const status = answer.body?.status;
    if (status === "succeeded" || status === "failed" || status === "canceled") return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}
