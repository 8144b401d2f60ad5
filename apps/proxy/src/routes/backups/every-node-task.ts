import type { MeiliError } from "@miroir/errors";
import type { MiroirTaskRecord, NewTask, TaskError } from "@miroir/taskstore";
import type { ProxyContext } from "../../context.js";
import { toMeiliError } from "../../errors/index.js";
import { isSuccess, type NodeRequest, nodeErrorOf } from "../../node-client/index.js";
import { aggregateStatus } from "../../tasks/aggregate-status.js";
import { waitForNodeTasks } from "../../tasks/fetch-node-tasks.js";
import type { EnqueuedNodeTask, NodeTask } from "../../tasks/node-task.js";

/** Dumps and snapshots of a big node take long; after this the poller takes the task over. */
const NODE_TASK_WAIT_MS = 3_600_000;

/**
 * Work every node does on its own data, with nothing to undo (a dump, a snapshot, a
 * compaction): one Miroir task, one task per node, succeeded when every node's succeeded.
 */
export interface EveryNodeTask {
  /** FIFO key: the index the work concerns, or a cluster-wide key. */
  readonly queueKey: string;
  readonly task: NewTask;
  readonly request: NodeRequest;
  /** The finished Miroir task's details, from every node's finished task by node id. */
  readonly finishedDetails: (
    recorded: Readonly<Record<string, unknown>>,
    nodeTasks: ReadonlyMap<string, NodeTask>,
  ) => Record<string, unknown>;
}

/**
 * Sends the work to every node and answers with its Miroir task; the outcome is decided in
 * the background. A node that refuses makes the task fail with its error once the others
 * finish; when every node refuses, the error is the answer and no task exists.
 */
export async function runOnEveryNode(
  ctx: ProxyContext,
  work: EveryNodeTask,
): Promise<MiroirTaskRecord> {
  const answers = await Promise.all(
    ctx.nodes.nodeIds.map((nodeId) =>
      ctx.writes.send(nodeId, work.queueKey, work.request).then(
        (response) => ({ nodeId, response, error: undefined }),
        (error: unknown) => ({ nodeId, response: undefined, error }),
      ),
    ),
  );
  const nodeTasks: Record<string, number> = {};
  let refused: MeiliError | undefined;
  for (const answer of answers) {
    if (answer.response !== undefined && isSuccess(answer.response)) {
      nodeTasks[answer.nodeId] = (answer.response.body as EnqueuedNodeTask).taskUid;
    } else {
      refused ??=
        answer.response !== undefined ? nodeErrorOf(answer.response) : toMeiliError(answer.error);
    }
  }
  if (refused !== undefined && Object.keys(nodeTasks).length === 0) throw refused;
  const record = await ctx.taskStore.tasks.create({ ...work.task, nodeTasks });
  ctx.coordinatedTasks.add(record.uid);
  void settle(ctx, work, record, refused)
    .catch((error: unknown) => ctx.logger.error({ err: error }, "node-wide task failed"))
    .finally(() => ctx.coordinatedTasks.delete(record.uid));
  return record;
}

async function settle(
  ctx: ProxyContext,
  work: EveryNodeTask,
  record: MiroirTaskRecord,
  refused: MeiliError | undefined,
): Promise<void> {
  await ctx.taskStore.tasks.update(record.uid, { status: "processing", startedAt: Date.now() });
  const finished = await waitForNodeTasks(ctx.nodes, record.nodeTasks, NODE_TASK_WAIT_MS);
  const nodeStatuses = Object.fromEntries(
    Object.keys(record.nodeTasks).map((nodeId) => [
      nodeId,
      finished.get(nodeId)?.status ?? "processing",
    ]),
  );
  const status = aggregateStatus(Object.values(nodeStatuses));
  if (status === "processing" || status === "enqueued") {
    await ctx.taskStore.tasks.update(record.uid, { nodeStatuses });
    return;
  }
  const nodeError = [...finished.values()].find((task) => task.error)?.error ?? null;
  const error: TaskError | null = refused?.toBody() ?? nodeError;
  await ctx.taskStore.tasks.update(record.uid, {
    status: error !== null && status === "succeeded" ? "failed" : status,
    nodeStatuses,
    error,
    details: work.finishedDetails(record.details ?? {}, finished),
    finishedAt: Date.now(),
  });
}

/** Node id → that node's task uid and status, plus what `extra` reads from its task. */
export function perNode(
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
