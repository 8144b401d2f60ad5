import { meiliError } from "@miroir/errors";
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

/**
 * Sends the node requests of one write through the per-(node, index) FIFO (all enqueued
 * synchronously, so concurrent writes keep one order on every node), records a Miroir
 * task with the node task uids, and decides the write by quorum over `shards`.
 * No quorum anywhere for some shard: the task fails and `miroir_no_quorum` is thrown;
 * nothing acknowledged is retracted.
 */
export async function executeWrite(
  ctx: ProxyContext,
  indexUid: string,
  task: NewTask,
  writes: readonly NodeWrite[],
  shards: Iterable<number>,
): Promise<WriteOutcome> {
  const sent = writes.map((write) =>
    ctx.writes.send(write.nodeId, indexUid, write.request).then(
      (response) => ({ write, response }),
      (error: unknown) => ({ write, error }),
    ),
  );
  const record = await ctx.taskStore.tasks.create(task);
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
  error: ReturnType<typeof meiliError>,
): Promise<MiroirTaskRecord> {
  const record = await ctx.taskStore.tasks.create({
    ...task,
    status: "failed",
    error: error.toBody(),
  });
  const now = Date.now();
  return (
    (await ctx.taskStore.tasks.update(record.uid, { startedAt: now, finishedAt: now })) ?? record
  );
}
