import { MeiliError, meiliError } from "@miroir/errors";
import type { MiroirTaskRecord, NewTask } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import {
  isSuccess,
  type NodeRequest,
  type NodeResponse,
  nodeErrorOf,
} from "../node-client/index.js";
import type { EnqueuedNodeTask } from "../tasks/node-task.js";
import { degradedHeader, evaluateQuorum } from "./quorum.js";

/** One request to one node, part of a Miroir write. */
export interface NodeWrite {
  readonly nodeId: string;
  readonly request: NodeRequest;
}

export interface WriteOutcome {
  readonly task: MiroirTaskRecord;
  /** `X-Miroir-Degraded` value when some group missed quorum. */
  readonly degraded: string | undefined;
}

/** The node requests of a write and the shards whose quorum decides it. */
export interface WritePlan {
  readonly writes: readonly NodeWrite[];
  readonly shards: Iterable<number>;
}

/**
 * Records a Miroir task, then — synchronously, right after its uid is allocated — plans
 * the node requests and enqueues them all on the per-(node, index) FIFO, so writes reach
 * every node in task-uid order. Decides the write by quorum over the plan's shards.
 * No quorum anywhere for some shard: the task fails and `miroir_no_quorum` is thrown;
 * nothing acknowledged is retracted. A plan that throws fails the task with its error.
 */
export async function executeWrite(
  ctx: ProxyContext,
  indexUid: string,
  task: NewTask,
  plan: () => WritePlan,
): Promise<WriteOutcome> {
  const record = await ctx.taskStore.tasks.create(task);
  let planned: WritePlan;
  try {
    planned = plan();
  } catch (error) {
    if (!(error instanceof MeiliError)) throw error;
    return { task: await failTask(ctx, record.uid, error, record), degraded: undefined };
  }
  const { shards } = planned;
  const sent = planned.writes.map((write) =>
    ctx.writes.send(write.nodeId, indexUid, write.request).then(
      (response) => ({ write, response }),
      (error: unknown) => ({ write, error }),
    ),
  );
  const answers = await Promise.all(sent);
  const nodeTasks: Record<string, number> = {};
  const acknowledged = new Set<string>();
  const refusals: NodeResponse[] = [];
  for (const answer of answers) {
    if (!("response" in answer)) {
      ctx.logger.warn({ node: answer.write.nodeId, err: answer.error }, "write not delivered");
      continue;
    }
    if (!isSuccess(answer.response)) {
      refusals.push(answer.response);
      continue;
    }
    nodeTasks[answer.write.nodeId] = (answer.response.body as EnqueuedNodeTask).taskUid;
    acknowledged.add(answer.write.nodeId);
  }
  const quorum = evaluateQuorum(ctx.cluster.topology, shards, acknowledged);
  if (quorum.reached) {
    const now = Date.now();
    const updated = await ctx.taskStore.tasks.update(
      record.uid,
      Object.keys(nodeTasks).length > 0
        ? { nodeTasks }
        : { status: "succeeded", startedAt: now, finishedAt: now },
    );
    return { task: updated ?? record, degraded: degradedHeader(quorum) };
  }
  const refusal = refusals[0];
  const error =
    acknowledged.size === 0 && refusal !== undefined
      ? nodeErrorOf(refusal)
      : meiliError(
          "miroir_no_quorum",
          `The write reached a quorum of replicas in no replica group for shards ${quorum.lostShards.join(", ")}; it was not accepted.`,
        );
  const now = Date.now();
  await ctx.taskStore.tasks.update(record.uid, {
    nodeTasks,
    status: "failed",
    error: error.toBody(),
    startedAt: now,
    finishedAt: now,
  });
  throw error;
}

/** A write rejected before any node was called: recorded as an already-failed task. */
export async function failedWrite(
  ctx: ProxyContext,
  task: NewTask,
  error: MeiliError,
): Promise<MiroirTaskRecord> {
  const record = await ctx.taskStore.tasks.create(task);
  return failTask(ctx, record.uid, error, record);
}

async function failTask(
  ctx: ProxyContext,
  uid: number,
  error: MeiliError,
  fallback: MiroirTaskRecord,
): Promise<MiroirTaskRecord> {
  const now = Date.now();
  const failed = await ctx.taskStore.tasks.update(uid, {
    status: "failed",
    error: error.toBody(),
    startedAt: now,
    finishedAt: now,
  });
  return failed ?? fallback;
}
