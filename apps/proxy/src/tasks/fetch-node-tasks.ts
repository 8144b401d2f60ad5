import type { NodeClient } from "../node-client/index.js";
import { isSuccess } from "../node-client/index.js";
import { isFinished } from "./aggregate-status.js";
import type { NodeTask } from "./node-task.js";
import { nodeOfTaskKey } from "./node-task-key.js";

/**
 * Reads the current state of node tasks, one `GET /tasks?uids=…` per node. Keys whose
 * node did not answer are absent from the result.
 */
export async function fetchNodeTasks(
  nodes: NodeClient,
  nodeTasks: Readonly<Record<string, number>>,
): Promise<Map<string, NodeTask>> {
  const byNode = new Map<string, [key: string, uid: number][]>();
  for (const [key, uid] of Object.entries(nodeTasks)) {
    const nodeId = nodeOfTaskKey(key);
    const entries = byNode.get(nodeId) ?? [];
    entries.push([key, uid]);
    byNode.set(nodeId, entries);
  }
  const found = new Map<string, NodeTask>();
  await Promise.all(
    [...byNode].map(async ([nodeId, entries]) => {
      try {
        const answer = await nodes.call<{ results: NodeTask[] }>(nodeId, {
          method: "GET",
          path: "/tasks",
          query: { uids: entries.map(([, uid]) => uid).join(","), limit: String(entries.length) },
        });
        if (!isSuccess(answer)) return;
        const byUid = new Map(answer.body.results.map((task) => [task.uid, task]));
        for (const [key, uid] of entries) {
          const task = byUid.get(uid);
          if (task !== undefined) found.set(key, task);
        }
      } catch {
        // An unreachable node keeps its tasks' last known status until it answers again.
      }
    }),
  );
  return found;
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
    const found = await fetchNodeTasks(nodes, nodeTasks);
    const done = Object.keys(nodeTasks).every((key) => {
      const task = found.get(key);
      return task !== undefined && isFinished(task.status);
    });
    if (done || Date.now() >= deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(pause * 2, 100);
  }
}
