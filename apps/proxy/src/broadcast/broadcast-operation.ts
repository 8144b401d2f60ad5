import { type ErrorCode, MeiliError, meiliError, parseErrorBody, specOf } from "@miroir/errors";
import type { MiroirTaskRecord, NewTask, TaskError, TaskStatus } from "@miroir/taskstore";
import { forgetSettingsChangedBy } from "../catalog/settings-changes.js";
import type { ProxyContext } from "../context.js";
import type { NodeRequest } from "../node-client/index.js";
import { aggregateStatus, isFinished } from "../tasks/aggregate-status.js";
import { waitForNodeTasks } from "../tasks/fetch-node-tasks.js";
import type { EnqueuedNodeTask, NodeTask } from "../tasks/node-task.js";
import { nodeTaskKey } from "../tasks/node-task-key.js";
import { withNodeDetails } from "../tasks/task-details.js";
import { askNodes, failureOf, succeeded } from "./ask-nodes.js";

/** How long an operation waits for its node tasks before leaving them to the poller. */
const NODE_TASK_WAIT_MS = 300_000;

/**
 * Work every node must do, as one Miroir task: `steps` go to every node in order through
 * the per-(node, index) FIFO, and the task finishes when every node task has.
 */
export interface BroadcastOperation {
  /** FIFO key: the index the operation changes, or a cluster-wide key. */
  readonly queueKey: string;
  readonly task: NewTask;
  readonly steps: readonly NodeRequest[];
  /**
   * `all-or-nothing` (the default): a change the nodes must agree on (index lifecycle,
   * settings); any node task that does not succeed fails the task, and `undo` puts back
   * the nodes where it succeeded. `each-node`: work each node does on its own data with
   * nothing to undo (a dump, a snapshot, a compaction); the task's status aggregates the
   * node tasks' (a canceled one cancels it), and a node's error fails it.
   */
  readonly outcome?: "all-or-nothing" | "each-node";
  /** Runs before anything is sent (e.g. a settings snapshot for the rollback). */
  readonly prepare?: () => Promise<void>;
  /** Puts back the nodes where the steps succeeded, when another node failed. */
  readonly undo?: (nodeIds: readonly string[]) => Promise<void>;
  /** Checks the nodes agree once every step succeeded; an error rolls everything back. */
  readonly verify?: () => Promise<MeiliError | undefined>;
  /**
   * Called with the task and the nodes the steps never reached (unreachable, timed out,
   * a 5xx), before the task is answered: e.g. to keep the change as a hint for them.
   */
  readonly missed?: (nodeIds: readonly string[], task: MiroirTaskRecord) => Promise<void>;
  /** Updates the process's view once the operation succeeded. */
  readonly onSuccess?: () => void;
  /**
   * The finished task's details from every node's finished task (by task key), or
   * undefined to keep those recorded. By default a success takes the first node task's
   * details under the task's own.
   */
  readonly finishedDetails?: (
    recorded: Readonly<Record<string, unknown>>,
    nodeTasks: ReadonlyMap<string, NodeTask>,
  ) => Record<string, unknown>;
  /** How long to wait for the node tasks before leaving them to the poller. */
  readonly waitMs?: number;
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
  const answers = await Promise.all(
    operation.steps.map((request) =>
      askNodes(ctx, nodeIds, request, { queueKey: operation.queueKey }),
    ),
  );
  const nodeTasks: Record<string, number> = {};
  const missed = new Set<string>();
  let failure: MeiliError | undefined;
  answers.forEach((outcomes, step) => {
    for (const outcome of outcomes) {
      if (outcome.response === undefined || outcome.response.status >= 500) {
        missed.add(outcome.nodeId);
      }
      if (succeeded(outcome)) {
        nodeTasks[nodeTaskKey(outcome.nodeId, step)] = (
          outcome.response.body as EnqueuedNodeTask
        ).taskUid;
      } else {
        failure ??= failureOf(outcome);
      }
    }
  });
  if (failure !== undefined && Object.keys(nodeTasks).length === 0) throw failure;

  const record = await ctx.taskStore.tasks.create({ ...operation.task, nodeTasks });
  if (missed.size > 0) await operation.missed?.([...missed], record);
  ctx.coordinatedTasks.add(record.uid);
  void settle(ctx, operation, record, failure)
    .catch((error: unknown) => ctx.logger.error({ err: error }, "broadcast operation failed"))
    .finally(() => ctx.coordinatedTasks.delete(record.uid));
  return record;
}

async function settle(
  ctx: ProxyContext,
  operation: BroadcastOperation,
  record: MiroirTaskRecord,
  refused: MeiliError | undefined,
): Promise<void> {
  const { uid, nodeTasks } = record;
  await ctx.taskStore.tasks.update(uid, { status: "processing", startedAt: Date.now() });
  const finished = await waitForNodeTasks(
    ctx.nodes,
    nodeTasks,
    operation.waitMs ?? NODE_TASK_WAIT_MS,
  );
  const nodeStatuses = Object.fromEntries(
    Object.keys(nodeTasks).map((key) => [key, finished.get(key)?.status ?? "processing"]),
  );
  if (Object.values(nodeStatuses).some((status) => !isFinished(status))) {
    // Too slow to wait for here: the poller takes over and aggregates the node tasks.
    await ctx.taskStore.tasks.update(uid, { nodeStatuses });
    return;
  }
  const { status, error } =
    operation.outcome === "each-node"
      ? eachNodeOutcome(Object.values(nodeStatuses), finished, refused)
      : await allOrNothingOutcome(operation, finished, refused);
  const recorded = record.details ?? {};
  if (status === "succeeded") {
    operation.onSuccess?.();
    forgetSettingsChangedBy(ctx.indexes, operation.task);
    const nodeDetails = [...finished.values()].find((task) => task.details)?.details;
    await ctx.taskStore.tasks.update(uid, {
      status,
      nodeStatuses,
      details:
        operation.finishedDetails?.(recorded, finished) ?? withNodeDetails(recorded, nodeDetails),
      finishedAt: Date.now(),
    });
    return;
  }
  const applied = ctx.nodes.nodeIds.filter((nodeId) =>
    operation.steps.every(
      (_, step) => finished.get(nodeTaskKey(nodeId, step))?.status === "succeeded",
    ),
  );
  if (operation.undo !== undefined && applied.length > 0) await operation.undo(applied);
  forgetSettingsChangedBy(ctx.indexes, operation.task);
  const details = operation.finishedDetails?.(recorded, finished);
  await ctx.taskStore.tasks.update(uid, {
    status,
    nodeStatuses,
    error,
    ...(details === undefined ? {} : { details }),
    finishedAt: Date.now(),
  });
}

interface Outcome {
  readonly status: TaskStatus;
  readonly error: TaskError | null;
}

/** Any node task that did not succeed, a refusal or a failed check fails the change. */
async function allOrNothingOutcome(
  operation: BroadcastOperation,
  finished: ReadonlyMap<string, NodeTask>,
  refused: MeiliError | undefined,
): Promise<Outcome> {
  const failedTask = [...finished.values()].find((task) => task.status !== "succeeded");
  const error =
    refused ??
    (failedTask === undefined ? undefined : taskErrorOf(failedTask)) ??
    (await operation.verify?.());
  return error === undefined
    ? { status: "succeeded", error: null }
    : { status: "failed", error: error.toBody() };
}

/** The node tasks' aggregate status; a refusal or a node's error fails it. */
function eachNodeOutcome(
  statuses: readonly TaskStatus[],
  finished: ReadonlyMap<string, NodeTask>,
  refused: MeiliError | undefined,
): Outcome {
  const nodeError = [...finished.values()].find((task) => task.error)?.error ?? null;
  const error = refused?.toBody() ?? nodeError;
  const status = aggregateStatus(statuses);
  return { status: error !== null && status === "succeeded" ? "failed" : status, error };
}

/** A failed (or canceled) node task's own error, passed on as the Miroir task's error. */
function taskErrorOf(task: NodeTask): MeiliError {
  const body = parseErrorBody(task.error);
  if (body !== undefined)
    return new MeiliError(body, specOf(body.code as ErrorCode)?.status ?? 400);
  return meiliError("internal", `Node task ${task.uid} ended ${task.status} without an error.`);
}

/**
 * The per-node part of a finished task's details: node id → that node's task uid and
 * status, plus what `extra` reads from its task when it succeeded.
 */
export function perNodeDetails(
  nodeTasks: ReadonlyMap<string, NodeTask>,
  extra: (task: NodeTask) => Record<string, unknown>,
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    [...nodeTasks]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([nodeId, task]) => [
        nodeId,
        {
          taskUid: task.uid,
          status: task.status,
          ...(task.status === "succeeded" ? extra(task) : {}),
        },
      ]),
  );
}
