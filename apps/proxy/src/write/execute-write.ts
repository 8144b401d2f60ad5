import { MeiliError, meiliError } from "@miroir/errors";
import { evaluateQuorum, healthOf } from "@miroir/router";
import type { MiroirTaskRecord, NewHint, NewTask } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import { hintedRequestOf } from "../convergence/hinted-handoff.js";
import {
  isSuccess,
  NodeCallError,
  type NodeRequest,
  type NodeResponse,
  nodeErrorOf,
} from "../node-client/index.js";
import type { EnqueuedNodeTask } from "../tasks/node-task.js";
import { partTaskKey } from "../tasks/node-task-key.js";
import { topologyOf } from "../topology/index-shards.js";
import { degradedHeader } from "./degraded-header.js";

/** One request to one node, part of a Miroir write. */
export interface NodeWrite {
  readonly nodeId: string;
  readonly request: NodeRequest;
  /**
   * The counting part (`counting-parts.ts`) the request belongs to, when the write is
   * sent in parts: its node task is recorded under `node#p<part>`, and the task's counts
   * are taken part by part from one replica each.
   */
  readonly part?: number;
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
  /** Ids of the documents the write deletes: kept as tombstones at the write's version. */
  readonly deletedIds?: readonly string[];
}

/**
 * Records a Miroir task, then — synchronously, right after its uid is allocated — takes
 * the write's version from the write clock, plans the node requests with it and enqueues
 * them all on the per-(node, index) FIFO, so writes reach every node in version order.
 * Decides the write by quorum over the plan's shards.
 *
 * A replica that did not confirm its part in time (down, timed out, a 5xx), or whose lane
 * already holds hints, gets a hint instead, stored before the answer goes out and
 * replayed in order when it answers again (`convergence/`). No quorum anywhere for some
 * shard: the task fails and `miroir_no_quorum` is thrown; what reached a replica is not
 * retracted, and the hints carry it to the others, so replicas converge either way. A
 * plan that throws fails the task with its error.
 */
export async function executeWrite(
  ctx: ProxyContext,
  indexUid: string,
  task: NewTask,
  plan: (version: number) => WritePlan,
): Promise<WriteOutcome> {
  const record = await ctx.taskStore.tasks.create(task);
  const { clock, handoff } = ctx.convergence;
  const version = clock.next();
  ctx.convergence.countWrite(indexUid);
  let planned: WritePlan;
  try {
    planned = plan(version);
  } catch (error) {
    if (!(error instanceof MeiliError)) throw error;
    return { task: await failTask(ctx, record.uid, error, record), degraded: undefined };
  }
  const { shards } = planned;
  // A node the health checker knows to be unreachable is not called: its miss counts at
  // once, so quorum and the degraded header do not wait for a request timeout. A lane
  // with hints is not called either: its writes wait their turn behind the hints.
  const health = ctx.cluster.health;
  const sent = planned.writes.map((write): Promise<NodeAnswer> => {
    if (handoff.isHinted(write.nodeId, indexUid)) {
      return Promise.resolve({ write, error: new HintedLane(write.nodeId) });
    }
    if (healthOf(health, write.nodeId) === "unreachable") {
      return Promise.resolve({
        write,
        error: new NodeCallError(write.nodeId, "unreachable", null),
      });
    }
    return ctx.writes.send(write.nodeId, indexUid, write.request).then(
      (response) => ({ write, response }),
      (error: unknown) => ({ write, error }),
    );
  });
  const decided = await untilDecided(
    sent,
    (acknowledged) => evaluateQuorum(topologyOf(ctx, indexUid), shards, acknowledged).reached,
  );
  const answers = decided.answered;
  // Decided synchronously with the answers in time: a lane is marked hinted before any
  // later answer of it can be seen.
  const missed = missedWrites(planned.writes, answers, indexUid, version, record.uid, handoff);
  const hints = handoff.hold(missed);
  void decided.late.then((rest) => recordLateAcknowledgements(ctx, record.uid, rest));
  await handoff.store(hints);
  if (planned.deletedIds !== undefined && planned.deletedIds.length > 0) {
    await ctx.taskStore.tombstones.record(indexUid, planned.deletedIds, version);
  }
  for (const hint of hints) ctx.metrics.hintsRecorded.inc({ node_id: hint.nodeId });
  const nodeTasks: Record<string, number> = {};
  const acknowledged = new Set<string>();
  const missing = new Set<string>();
  const refusals: NodeResponse[] = [];
  for (const answer of answers) {
    if (!("response" in answer) || !isSuccess(answer.response)) missing.add(answer.write.nodeId);
    if (!("response" in answer)) {
      if (answer.error instanceof HintedLane) continue;
      // A node already known to be down would log one line per write; its health change
      // was logged once.
      const known = healthOf(health, answer.write.nodeId) === "unreachable";
      (known ? ctx.logger.debug : ctx.logger.warn).call(
        ctx.logger,
        { node: answer.write.nodeId, err: answer.error },
        "write not delivered",
      );
      continue;
    }
    if (!isSuccess(answer.response)) {
      refusals.push(answer.response);
      continue;
    }
    nodeTasks[taskKeyOf(answer.write)] = (answer.response.body as EnqueuedNodeTask).taskUid;
    acknowledged.add(answer.write.nodeId);
  }
  // A node acknowledges a write sent in parts when it acknowledged every part in time.
  for (const write of planned.writes) {
    if (!answers.some((answer) => answer.write === write)) missing.add(write.nodeId);
  }
  for (const nodeId of missing) acknowledged.delete(nodeId);
  const quorum = evaluateQuorum(topologyOf(ctx, indexUid), shards, acknowledged);
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

function taskKeyOf(write: NodeWrite): string {
  return write.part === undefined ? write.nodeId : partTaskKey(write.nodeId, write.part);
}

/** A write not sent because its lane holds hints: it became a hint itself. */
class HintedLane extends Error {
  constructor(nodeId: string) {
    super(`Node ${nodeId} has writes to replay first.`);
  }
}

/**
 * The node writes that become hints: every one not acknowledged among the answers in time
 * (not sent, failed, a 5xx, still pending), and every one of a lane that holds hints. A
 * 4xx is the node refusing the write's content, which a replay would not change.
 */
function missedWrites(
  writes: readonly NodeWrite[],
  answers: readonly NodeAnswer[],
  indexUid: string,
  version: number,
  taskUid: number,
  handoff: ProxyContext["convergence"]["handoff"],
): NewHint[] {
  const answerOf = new Map(answers.map((answer) => [answer.write, answer]));
  const hints: NewHint[] = [];
  for (const write of writes) {
    const answer = answerOf.get(write);
    const refused =
      answer !== undefined &&
      "response" in answer &&
      answer.response.status >= 400 &&
      answer.response.status < 500;
    const acknowledged = answer !== undefined && "response" in answer && isSuccess(answer.response);
    if (refused || (acknowledged && !handoff.isHinted(write.nodeId, indexUid))) continue;
    hints.push({
      nodeId: write.nodeId,
      indexUid,
      version,
      taskUid,
      request: hintedRequestOf(write.request),
    });
  }
  return hints;
}

/**
 * How long a write that already has its quorum waits for the slower nodes before
 * answering: enough for a healthy node, short enough that a hung replica does not hold
 * every write of its index for a whole request timeout.
 */
const LATE_ACKNOWLEDGEMENT_GRACE_MS = 1_000;

type NodeAnswer =
  | { readonly write: NodeWrite; readonly response: NodeResponse }
  | { readonly write: NodeWrite; readonly error: unknown };

/**
 * Every answer, or — once `decided` holds for the acknowledgements so far — the answers
 * in by the end of a short grace period; the rest arrive through `late`.
 */
async function untilDecided(
  sent: readonly Promise<NodeAnswer>[],
  decided: (acknowledged: ReadonlySet<string>) => boolean,
): Promise<{ answered: NodeAnswer[]; late: Promise<NodeAnswer[]> }> {
  const answered: NodeAnswer[] = [];
  const acknowledged = new Set<string>();
  let release: () => void = () => undefined;
  const graceOver = new Promise<void>((resolve) => {
    release = resolve;
  });
  let timer: NodeJS.Timeout | undefined;
  const all = Promise.all(
    sent.map((answer) =>
      answer.then((settled) => {
        answered.push(settled);
        if ("response" in settled && isSuccess(settled.response)) {
          acknowledged.add(settled.write.nodeId);
          if (timer === undefined && decided(acknowledged)) {
            timer = setTimeout(release, LATE_ACKNOWLEDGEMENT_GRACE_MS);
          }
        }
        return settled;
      }),
    ),
  );
  await Promise.race([all, graceOver]);
  if (timer !== undefined) clearTimeout(timer);
  const inTime = [...answered];
  const late = all.then((every) => every.filter((settled) => !inTime.includes(settled)));
  return { answered: inTime, late };
}

/** Node tasks acknowledged after the answer went out are still followed by the poller. */
async function recordLateAcknowledgements(
  ctx: ProxyContext,
  uid: number,
  late: readonly NodeAnswer[],
): Promise<void> {
  const nodeTasks: Record<string, number> = {};
  for (const settled of late) {
    if ("response" in settled && isSuccess(settled.response)) {
      nodeTasks[taskKeyOf(settled.write)] = (settled.response.body as EnqueuedNodeTask).taskUid;
    }
  }
  if (Object.keys(nodeTasks).length > 0) await ctx.taskStore.tasks.update(uid, { nodeTasks });
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
