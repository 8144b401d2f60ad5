import type { MiroirTaskRecord, TaskListQuery } from "@miroir/taskstore";
import { askNodes, logUndelivered, succeeded } from "../broadcast/ask-nodes.js";
import type { ProxyContext } from "../context.js";
import { isFinished } from "./aggregate-status.js";
import type { EnqueuedNodeTask } from "./node-task.js";
import { nodeOfTaskKey } from "./node-task-key.js";

const PAGE = 1000;

/** Every Miroir task matching a filter, newest first. */
export async function matchingTasks(
  ctx: ProxyContext,
  query: TaskListQuery,
): Promise<MiroirTaskRecord[]> {
  const found: MiroirTaskRecord[] = [];
  let from: number | undefined = query.from;
  for (;;) {
    const page = await ctx.taskStore.tasks.list({ ...query, from, limit: PAGE });
    found.push(...page.results);
    if (page.next === null) return found;
    from = page.next;
  }
}

/**
 * `POST /tasks/cancel`: cancels the node tasks behind every matching unfinished Miroir
 * task the caller may see, as one `taskCancelation` Miroir task whose node tasks the poller follows.
 */
export async function cancelTasks(
  ctx: ProxyContext,
  query: TaskListQuery,
  originalFilter: string,
  visible: (task: MiroirTaskRecord) => boolean = () => true,
): Promise<MiroirTaskRecord> {
  // As on a node, `matchedTasks` counts every task the filter matches, finished or not;
  // only the unfinished ones can be canceled.
  const all = await visibleMatches(ctx, query, visible);
  const matched = all.filter((task) => !isFinished(task.status));
  const byNode = nodeTaskUidsByNode(matched);
  const record = await ctx.taskStore.tasks.create({
    indexUid: null,
    type: "taskCancelation",
    details: { matchedTasks: all.length, canceledTasks: null, originalFilter },
  });
  const sent = await askNodes<EnqueuedNodeTask>(ctx, [...byNode.keys()], (nodeId) => ({
    method: "POST",
    path: "/tasks/cancel",
    query: { uids: (byNode.get(nodeId) ?? []).join(",") },
  }));
  logUndelivered(ctx.logger, sent, "task cancelation not delivered");
  const nodeTasks: Record<string, number> = {};
  for (const outcome of sent.filter(succeeded)) {
    nodeTasks[outcome.nodeId] = outcome.response.body.taskUid;
  }
  for (const task of matched) {
    await ctx.taskStore.tasks.update(task.uid, { canceledBy: record.uid });
  }
  const now = Date.now();
  if (Object.keys(nodeTasks).length === 0) {
    return (
      (await ctx.taskStore.tasks.update(record.uid, {
        status: "succeeded",
        details: { matchedTasks: all.length, canceledTasks: 0, originalFilter },
        startedAt: now,
        finishedAt: now,
      })) ?? record
    );
  }
  return (await ctx.taskStore.tasks.update(record.uid, { nodeTasks })) ?? record;
}

/**
 * `DELETE /tasks`: forgets every matching finished Miroir task the caller may see (and asks the nodes to
 * forget the node tasks behind them), as one `taskDeletion` task.
 */
export async function deleteTasks(
  ctx: ProxyContext,
  query: TaskListQuery,
  originalFilter: string,
  visible: (task: MiroirTaskRecord) => boolean = () => true,
): Promise<MiroirTaskRecord> {
  // As on a node, `matchedTasks` counts every task the filter matches; only the finished
  // ones are deleted.
  const all = await visibleMatches(ctx, query, visible);
  const matched = all.filter((task) => isFinished(task.status));
  const record = await ctx.taskStore.tasks.create({
    indexUid: null,
    type: "taskDeletion",
    details: { matchedTasks: all.length, deletedTasks: null, originalFilter },
  });
  const deleted =
    matched.length === 0
      ? 0
      : await ctx.taskStore.tasks.delete({ uids: matched.map((task) => task.uid) });
  const byNode = nodeTaskUidsByNode(matched);
  const forgotten = await askNodes(ctx, [...byNode.keys()], (nodeId) => ({
    method: "DELETE",
    path: "/tasks",
    query: { uids: (byNode.get(nodeId) ?? []).join(",") },
  }));
  logUndelivered(ctx.logger, forgotten, "node task deletion not delivered");
  const now = Date.now();
  return (
    (await ctx.taskStore.tasks.update(record.uid, {
      status: "succeeded",
      details: { matchedTasks: all.length, deletedTasks: deleted, originalFilter },
      startedAt: now,
      finishedAt: now,
    })) ?? record
  );
}

/** The tasks a filter matches that the caller may see, finished or not. */
async function visibleMatches(
  ctx: ProxyContext,
  query: TaskListQuery,
  visible: (task: MiroirTaskRecord) => boolean,
): Promise<MiroirTaskRecord[]> {
  return (await matchingTasks(ctx, query)).filter(visible);
}

function nodeTaskUidsByNode(tasks: readonly MiroirTaskRecord[]): Map<string, number[]> {
  const byNode = new Map<string, number[]>();
  for (const task of tasks) {
    for (const [key, uid] of Object.entries(task.nodeTasks)) {
      const nodeId = nodeOfTaskKey(key);
      const uids = byNode.get(nodeId) ?? [];
      uids.push(uid);
      byNode.set(nodeId, uids);
    }
  }
  return byNode;
}
