import { askNodes, successfulAnswers } from "../broadcast/ask-nodes.js";
import type { NodeClient } from "../node-client/index.js";
import { isFinished } from "./aggregate-status.js";
import type { NodeTask } from "./node-task.js";
import { nodeOfTaskKey } from "./node-task-key.js";

/** Node tasks found on the nodes, by node id and node task uid. */
export interface NodeTaskLookup {
  get(nodeId: string, uid: number): NodeTask | undefined;
}

/**
 * Reads the current state of node tasks, one `GET /tasks?uids=…` per node (each within
 * `timeoutMs` when given). Tasks whose node did not answer are absent from the result.
 */
export async function fetchNodeTasks(
  nodes: NodeClient,
  nodeTasks: Iterable<readonly [key: string, uid: number]>,
  timeoutMs?: number,
): Promise<NodeTaskLookup> {
  const byNode = new Map<string, Set<number>>();
  for (const [key, uid] of nodeTasks) {
    const nodeId = nodeOfTaskKey(key);
    const uids = byNode.get(nodeId) ?? new Set();
    uids.add(uid);
    byNode.set(nodeId, uids);
  }
  // An unreachable node keeps its tasks' last known status until it answers again.
  const read = await askNodes<{ results: NodeTask[] }>(
    { nodes },
    [...byNode.keys()],
    (nodeId) => {
      const uids = byNode.get(nodeId) ?? new Set();
      return {
        method: "GET",
        path: "/tasks",
        query: { uids: [...uids].join(","), limit: String(uids.size) },
      };
    },
    timeoutMs === undefined ? {} : { timeoutMs },
  );
  const found = new Map<string, NodeTask>();
  for (const [nodeId, answer] of successfulAnswers(read)) {
    for (const task of Array.isArray(answer?.results) ? answer.results : []) {
      found.set(`${nodeId}/${task.uid}`, task);
    }
  }
  return { get: (nodeId, uid) => found.get(`${nodeId}/${uid}`) };
}

/**
 * Waits until every node task has finished, polling with a growing pause; gives up after
 * `timeoutMs` and returns what is known then (unfinished tasks included).
 */
export async function waitForNodeTasks(
  nodes: NodeClient,
  nodeTasks: Readonly<Record<string, number>>,
  timeoutMs: number,
): Promise<Map<string, NodeTask>> {
  const deadline = Date.now() + timeoutMs;
  let pause = 5;
  for (;;) {
    const lookup = await fetchNodeTasks(nodes, Object.entries(nodeTasks));
    const found = new Map<string, NodeTask>();
    for (const [key, uid] of Object.entries(nodeTasks)) {
      const task = lookup.get(nodeOfTaskKey(key), uid);
      if (task !== undefined) found.set(key, task);
    }
    const done = Object.keys(nodeTasks).every((key) => {
      const task = found.get(key);
      return task !== undefined && isFinished(task.status);
    });
    if (done || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 100);
  }
}
