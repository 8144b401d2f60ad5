import { healthOf } from "@miroir/router";
import type { HintRecord } from "@miroir/taskstore";
import type { ProxyContext } from "../context.js";
import { type DutyRunner, type RunningDuty, startDuty } from "../duties/background-duty.js";
import { isSuccess, type NodeResponse } from "../node-client/index.js";
import { alreadyDelivered } from "./delivered-writes.js";
import { nodeRequestOf } from "./hinted-handoff.js";
import { waitForNodeTask } from "./node-task-wait.js";

/** Hints sent to a node in one go before waiting for it to apply them. */
const REPLAY_BATCH = 100;

export interface HintReplayOptions {
  readonly duties: DutyRunner;
  readonly intervalMs: number;
  /** Runs once a node's hints are all applied, before it serves reads again. */
  readonly verify: (nodeId: string) => Promise<void>;
  /** Repairs every shard of a node marked for it; true once verified equal to the others. */
  readonly repairFully: (nodeId: string) => Promise<boolean>;
}

/**
 * The `hint-replay` duty: every node that answers again and has hints gets them back in
 * version order, sent on its write lanes (so no later write overtakes them), and each
 * batch is removed only once the node has applied it. Then the node is verified against
 * the other replicas of its shards, and only then serves reads again. A node that fails
 * mid-batch keeps the whole batch: replaying an ordered run of writes again from its
 * start gives the same end state. A node marked for a full repair (its hints passed the
 * bound) gets no replay: once it answers, its shards are repaired from their other
 * replicas, and it serves reads again only when a check after the repair found them equal.
 *
 * `partitioned` over the Miroir processes sharing the store: each run first syncs this
 * process's view of the shared hints and marks (so every process hints the lanes any
 * process hinted, and reads a node again once its hints are gone from the store), then
 * replays and repairs only the nodes whose item `hints:<node>` it owns, each batch sent
 * under that item's lease: a node's hints go out once, from one process at a time.
 */
export function startHintReplay(ctx: ProxyContext, options: HintReplayOptions): RunningDuty {
  const { handoff } = ctx.convergence;
  return startDuty(options.duties, {
    name: "hint-replay",
    intervalMs: options.intervalMs,
    mode: "partitioned",
    async run(run) {
      await handoff.sync();
      for (const nodeId of ctx.nodes.nodeIds) {
        const item = `hints:${nodeId}`;
        if (!run.owns(item)) continue;
        if (!handoff.recovering().has(nodeId)) continue;
        if (healthOf(ctx.cluster.health, nodeId) === "unreachable") continue;
        if (handoff.awaitingFullRepair().has(nodeId)) {
          ctx.logger.info({ node: nodeId }, "repairing every shard of a node past its hint bound");
          if (!(await run.fenced(() => options.repairFully(nodeId), item))) continue;
          await handoff.fullyRepaired(nodeId);
          handoff.verified(nodeId);
          continue;
        }
        if (!(await replayNode(ctx, nodeId, (act) => run.fenced(act, item)))) continue;
        ctx.logger.info({ node: nodeId }, "hints replayed; verifying the node's shards");
        await options.verify(nodeId);
        handoff.verified(nodeId);
      }
    },
  });
}

/** Replays every hint of a node; true once none is left. */
async function replayNode(
  ctx: ProxyContext,
  nodeId: string,
  fenced: <T>(act: () => Promise<T>) => Promise<T>,
): Promise<boolean> {
  const { handoff } = ctx.convergence;
  handoff.holdForVerification(nodeId);
  // Bounded: hints recorded while replaying are picked up by the next rounds or runs.
  for (let round = 0; round < 100; round++) {
    const listed = await ctx.taskStore.hints.list(nodeId, REPLAY_BATCH);
    if (listed.length === 0) return (handoff.pendingByNode().get(nodeId) ?? 0) === 0;
    // Hints of an index deleted since (read just before the deletion removed them) go
    // unsent: they would re-create it.
    const live = listed.filter((hint) => !handoff.isDropped(hint));
    // A write the node already enqueued (its answer was lost) is not applied a second time.
    const delivered = await alreadyDelivered(ctx, nodeId, live);
    const hints = delivered === null ? live : live.filter((hint) => !delivered.has(hint.seq));
    if (delivered !== null && delivered.size > 0) {
      ctx.logger.info(
        { node: nodeId, writes: delivered.size },
        "hinted writes the node had already received are not sent again",
      );
    }
    if (!(await fenced(() => replayBatch(ctx, nodeId, hints)))) return false;
    await handoff.replayed(listed);
    ctx.metrics.hintsReplayed.inc({ node_id: nodeId }, hints.length);
  }
  return false;
}

async function replayBatch(
  ctx: ProxyContext,
  nodeId: string,
  hints: readonly HintRecord[],
): Promise<boolean> {
  // Enqueued in one synchronous step, so the lanes keep the hints' order.
  const sent = hints.map((hint) =>
    ctx.writes.send(nodeId, hint.indexUid, nodeRequestOf(hint.request)).then(
      (response): NodeResponse | null => response,
      () => null,
    ),
  );
  const answers = await Promise.all(sent);
  const lastTask = new Map<string, number>();
  for (const [i, answer] of answers.entries()) {
    const hint = hints[i] as HintRecord;
    if (answer === null || answer.status >= 500) return false;
    if (!isSuccess(answer)) {
      // The node refuses the content: replaying it again would not change that.
      ctx.logger.warn(
        { node: nodeId, index: hint.indexUid, status: answer.status, body: answer.body },
        "a hinted write was refused by its node and dropped",
      );
      continue;
    }
    lastTask.set(hint.indexUid, (answer.body as { taskUid: number }).taskUid);
  }
  for (const taskUid of lastTask.values()) {
    if (!(await waitForNodeTask(ctx, nodeId, taskUid))) return false;
  }
  return true;
}
