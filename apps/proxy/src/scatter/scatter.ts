import type { MeiliError } from "@miroir/errors";
import { NodeAnswerError } from "@miroir/merger";
import type { ProxyContext } from "../context.js";
import { isSuccess, NodeCallError, type NodeResponse } from "../node-client/index.js";
import { clientErrorOf } from "./client-error.js";
import type { ReadScope } from "./read-scope.js";
import { assignShards } from "./shard-assignment.js";

/** What one node answered for the shards it covered. */
export interface NodeReply {
  readonly nodeId: string;
  readonly shards: readonly number[];
  readonly body: unknown;
}

/** A node's reply that passed the plan's check, with what the check made of it. */
export interface NodeAnswer<Checked> extends NodeReply {
  readonly checked: Checked;
}

export interface ScatterPlan<Checked> {
  /** The shards the read must cover, ascending. */
  readonly shards: readonly number[];
  /** Asks `nodeId` for its part of the read: the answer for `shards` only. */
  call(nodeId: string, shards: readonly number[], timeoutMs: number): Promise<NodeResponse>;
  /**
   * The typed answer the merge reads, checked once here. Throws `NodeAnswerError` when a
   * successful reply cannot be used: the node then counts as failed.
   */
  check(reply: NodeReply): Checked;
  /**
   * The client's own request, unchanged, sent to one node when a node rejected the
   * planned one: its error is the one Meilisearch would give (the planned query carries
   * Miroir's shard filter and window, which must not show in messages).
   */
  original?(nodeId: string): Promise<NodeResponse>;
}

export interface ScatterOutcome<Checked> {
  readonly answers: NodeAnswer<Checked>[];
  /** Shards no replica could answer for, ascending. */
  readonly lost: number[];
}

type CallResult<Checked> =
  | { kind: "answer"; answer: NodeAnswer<Checked> }
  | { kind: "rejected"; response: NodeResponse }
  | { kind: "failed"; nodeId: string; shards: readonly number[] };

/**
 * Sends each covering node its part of the read in parallel, each with the scatter
 * timeout. A node that fails, times out or answers 5xx (or something unusable) has its
 * shards placed again — another replica of the group, then another group — until every
 * shard is answered or no replica is left. A 4xx is the query's own error: it is thrown
 * once, as Meilisearch words it, and nothing is merged.
 */
export async function scatter<Checked>(
  ctx: ProxyContext,
  scope: ReadScope,
  plan: ScatterPlan<Checked>,
): Promise<ScatterOutcome<Checked>> {
  const failed = new Set<string>();
  const answers: NodeAnswer<Checked>[] = [];
  const lost: number[] = [];
  let pending: readonly number[] = plan.shards;
  let firstRound = true;
  while (pending.length > 0) {
    const assignment = assignShards({
      ...scope,
      shards: pending,
      failed,
      inGroup: firstRound || scope.settings.retryOtherReplica,
      otherGroups: scope.settings.fallbackOtherGroup,
    });
    firstRound = false;
    lost.push(...assignment.uncovered);
    const results = await Promise.all(
      [...assignment.byNode].map(([nodeId, shards]) => callNode(plan, scope, nodeId, shards)),
    );
    const rejected = results.find((result) => result.kind === "rejected");
    if (rejected !== undefined) throw await queryError(plan, rejected.response);
    const retry: number[] = [];
    for (const result of results) {
      if (result.kind === "answer") {
        answers.push(result.answer);
      } else if (result.kind === "failed") {
        failed.add(result.nodeId);
        retry.push(...result.shards);
      }
    }
    pending = retry.sort((a, b) => a - b);
    if (pending.length > 0) {
      ctx.logger.warn({ failed: [...failed], shards: pending }, "retrying shards of failed nodes");
    }
  }
  return { answers, lost: lost.sort((a, b) => a - b) };
}

async function callNode<Checked>(
  plan: ScatterPlan<Checked>,
  scope: ReadScope,
  nodeId: string,
  shards: readonly number[],
): Promise<CallResult<Checked>> {
  let response: NodeResponse;
  try {
    response = await plan.call(nodeId, shards, scope.settings.nodeTimeoutMs);
  } catch (error) {
    if (error instanceof NodeCallError) return { kind: "failed", nodeId, shards };
    throw error;
  }
  if (response.status >= 400 && response.status < 500) return { kind: "rejected", response };
  if (!isSuccess(response)) return { kind: "failed", nodeId, shards };
  const reply: NodeReply = { nodeId, shards, body: response.body };
  try {
    return { kind: "answer", answer: { ...reply, checked: plan.check(reply) } };
  } catch (error) {
    if (error instanceof NodeAnswerError) return { kind: "failed", nodeId, shards };
    throw error;
  }
}

async function queryError<Checked>(
  plan: ScatterPlan<Checked>,
  rejected: NodeResponse,
): Promise<MeiliError> {
  if (plan.original === undefined) return clientErrorOf(rejected);
  try {
    const again = await plan.original(rejected.nodeId);
    if (again.status >= 400 && again.status < 500) return clientErrorOf(again);
  } catch (error) {
    if (!(error instanceof NodeCallError)) throw error;
  }
  return clientErrorOf(rejected);
}
