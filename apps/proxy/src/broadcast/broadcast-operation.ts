import { type ErrorCode, MeiliError, meiliError, parseErrorBody, specOf } from "@miroir/errors";
import type { MiroirTaskRecord, NewTask } from "@miroir/taskstore";
import { forgetSettingsChangedBy } from "../catalog/settings-changes.js";
import type { ProxyContext } from "../context.js";
import { toMeiliError } from "../errors/index.js";
import { isSuccess, type NodeRequest, nodeErrorOf } from "../node-client/index.js";
import { waitForNodeTasks } from "../tasks/fetch-node-tasks.js";
import type { EnqueuedNodeTask, NodeTask } from "../tasks/node-task.js";
import { nodeTaskKey } from "../tasks/node-task-key.js";

/** How long an operation waits for its node tasks before leaving them to the poller. */
const NODE_TASK_WAIT_MS = 300_000;

/**
 * A change every node must apply, all or nothing: index creation, update, deletion,
 * swap, settings. `steps` go to every node in order through the per-(node, index) FIFO.
 */
export interface BroadcastOperation {
  /** FIFO key: the index the operation changes. */
  readonly queueKey: string;
  readonly task: NewTask;
  readonly steps: readonly NodeRequest[];
  /** Runs before anything is sent (e.g. a settings snapshot for the rollback). */
  readonly prepare?: () => Promise<void>;
  /** Puts back the nodes where the steps succeeded, when another node failed. */
  readonly undo?: (nodeIds: readonly string[]) => Promise<void>;
  /** Checks the nodes agree once every step succeeded; an error rolls everything back. */
  readonly verify?: () => Promise<MeiliError | undefined>;
  /** Updates the process's view once the operation succeeded. */
  readonly onSuccess?: () => void;
}

/**
 * Sends the operation to every node and answers with its Miroir task; the outcome is
 * decided in the background: every node task awaited, verified, undone everywhere on
 * any failure (the task then fails with the node's error). When every node refuses the
 * request outright, the node's error is thrown and no task exists, as with one node.
 */
export async function runBroadcast(
  ctx: ProxyContext,
  operation: BroadcastOperation,
): Promise<MiroirTaskRecord> {
  await operation.prepare?.();
  const nodeIds = ctx.nodes.nodeIds;
  const sent = nodeIds.flatMap((nodeId) =>
    operation.steps.map((request, step) =>
      ctx.writes.send(nodeId, operation.queueKey, request).then(
        (response) => ({ nodeId, step, response, error: undefined }),
        (error: unknown) => ({ nodeId, step, response: undefined, error }),
      ),
    ),
  );
  const answers = await Promise.all(sent);
  const nodeTasks: Record<string, number> = {};
  let failure: MeiliError | undefined;
  for (const answer of answers) {
    if (answer.response !== undefined && isSuccess(answer.response)) {
      nodeTasks[nodeTaskKey(answer.nodeId, answer.step)] = (
        answer.response.body as EnqueuedNodeTask
      ).taskUid;
    } else {
      failure ??=
        answer.response !== undefined ? nodeErrorOf(answer.response) : toMeiliError(answer.error);
    }
  }
  if (failure !== undefined && Object.keys(nodeTasks).length === 0) throw failure;

  const record = await ctx.taskStore.tasks.create({ ...operation.task, nodeTasks });
  ctx.coordinatedTasks.add(record.uid);
  void settle(ctx, operation, record.uid, nodeTasks, failure)
    .catch((error: unknown) => ctx.logger.error({ err: error }, "broadcast operation failed"))
    .finally(() => ctx.coordinatedTasks.delete(record.uid));
  return record;
}

async function settle(
  ctx: ProxyContext,
  operation: BroadcastOperation,
  uid: number,
  nodeTasks: Record<string, number>,
  refused: MeiliError | undefined,
): Promise<void> {
  await ctx.taskStore.tasks.update(uid, { status: "processing", startedAt: Date.now() });
  const finished = await waitForNodeTasks(ctx.nodes, nodeTasks, NODE_TASK_WAIT_MS);
  const nodeStatuses = Object.fromEntries(
    Object.keys(nodeTasks).map((key) => [key, finished.get(key)?.status ?? "processing"]),
  );
  if (
    Object.values(nodeStatuses).some((status) => status === "processing" || status === "enqueued")
  ) {
    // Too slow to wait for here: the poller takes over and aggregates the node tasks.
    await ctx.taskStore.tasks.update(uid, { nodeStatuses });
    return;
  }
  const failedTask = [...finished.values()].find((task) => task.status !== "succeeded");
  let error: MeiliError | undefined = refused;
  if (error === undefined && failedTask !== undefined) {
    error = taskErrorOf(failedTask);
  }
  error ??= await operation.verify?.();
  const details = [...finished.values()].find((task) => task.details)?.details;
  if (error === undefined) {
    operation.onSuccess?.();
    forgetSettingsChangedBy(ctx.indexes, operation.task);
    await ctx.taskStore.tasks.update(uid, {
      status: "succeeded",
      nodeStatuses,
      details: { ...(details ?? {}), ...(operation.task.details ?? {}) },
      finishedAt: Date.now(),
    });
    return;
  }
  const succeeded = new Set<string>();
  for (const nodeId of ctx.nodes.nodeIds) {
    const all = operation.steps.every(
      (_, step) => finished.get(nodeTaskKey(nodeId, step))?.status === "succeeded",
    );
    if (all) succeeded.add(nodeId);
  }
  if (operation.undo !== undefined && succeeded.size > 0) await operation.undo([...succeeded]);
  forgetSettingsChangedBy(ctx.indexes, operation.task);
  await ctx.taskStore.tasks.update(uid, {
    status: "failed",
    nodeStatuses,
    error: error.toBody(),
    finishedAt: Date.now(),
  });
}

/** A failed (or canceled) node task's own error, passed on as the Miroir task's error. */
function taskErrorOf(task: NodeTask): MeiliError {
  const body = parseErrorBody(task.error);
  if (body !== undefined)
    return new MeiliError(body, specOf(body.code as ErrorCode)?.status ?? 400);
  return meiliError("internal", `Node task ${task.uid} ended ${task.status} without an error.`);
}
