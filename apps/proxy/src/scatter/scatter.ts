import type { MeiliError } from "@miroir/errors";
import { NodeAnswerError } from "@miroir/merger";
import { assignShards } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import {
  isSuccess,
  NodeCallError,
  type NodeRequest,
  type NodeResponse,
} from "../node-client/index.js";
import { clientErrorOf } from "./client-error.js";
import type { ReadScope } from "./read-scope.js";

/** What one node answered for the shards it covered. */
export interface NodeReply {
  readonly nodeId: string;
  readonly shards: readonly number[];
  /** The answer's body; the list of bodies when the node was asked several requests. */
  readonly body: unknown;
}

/**
 * One scatter-gather read: the shards it covers, what the node covering some of them is
 * asked, how its answer is checked and how the checked answers merge into the client's.
 */
export interface ShardRead<Checked, Body> {
  /** The shards the read must cover, ascending. */
  readonly shards: readonly number[];
  /**
   * What the node covering `shards` is asked: one request, or one per part of a listing
   * (its reply is then the list of their bodies, and fails as a whole). Pure in `shards`:
   * a node may be asked twice in one read, for other shards, when another node fails.
   */
  request(shards: readonly number[]): NodeRequest | readonly NodeRequest[];
  /**
   * The typed answer the merge reads, checked once, as it arrives. Throws
   * `NodeAnswerError` when a successful reply cannot be used: the node then counts as
   * failed and its shards are asked elsewhere.
   */
  check(reply: NodeReply): Checked;
  /** The client's answer from every checked answer (nothing unchecked reaches it). */
  merge(checked: Checked[]): Body;
  /**
   * The client's own request, unchanged, sent to one node when a node rejected the
   * planned one: its error is the one Meilisearch would give (the planned request carries
   * Miroir's shard filter and window, which must not show in messages).
   */
  readonly original?: NodeRequest;
}

export interface ScatterOutcome<Checked> {
  /** Each answer's checked value, in no particular order. */
  readonly checked: Checked[];
  /** Shards no replica could answer for, ascending. */
  readonly lost: number[];
}

type CallResult<Checked> =
  | { kind: "answer"; checked: Checked }
  | { kind: "rejected"; response: NodeResponse }
  | { kind: "failed"; nodeId: string; shards: readonly number[] };

/**
 * Sends each covering node its part of the read in parallel, each with the scatter
 * timeout. A node that fails, times out or answers 5xx (or something unusable) has its
 * shards placed again — another replica of the group, then another group, in the current
 * topology — until every shard is answered or no replica is left. A 4xx is the query's own error: it is thrown
 * once, as Meilisearch words it, and nothing is merged. Records the nodes asked and the
 * shards retried (`miroir_scatter_fan_out_size`, `miroir_scatter_retries_total`).
 */
export async function scatter<Checked>(
  ctx: ProxyContext,
  scope: ReadScope,
  read: ShardRead<Checked, unknown>,
): Promise<ScatterOutcome<Checked>> {
  const failed = new Set<string>();
  const asked = new Set<string>();
  const checked: Checked[] = [];
  const lost: number[] = [];
  let pending: readonly number[] = read.shards;
  let firstRound = true;
  while (pending.length > 0) {
    const assignment = assignShards({
      ...scope,
      // A retry places shards in the fleet as it is now: a migration that cut over since
      // the read began has moved them to owners that are already complete.
      topology: firstRound ? scope.topology : ctx.cluster.topology,
      shards: pending,
      failed,
      inGroup: firstRound || scope.settings.retryOtherReplica,
      otherGroups: scope.settings.fallbackOtherGroup,
    });
    if (!firstRound) {
      const retried = pending.length - assignment.uncovered.length;
      if (retried > 0) ctx.metrics.scatterRetries.inc(retried);
    }
    firstRound = false;
    lost.push(...assignment.uncovered);
    for (const nodeId of assignment.byNode.keys()) asked.add(nodeId);
    const results = await Promise.all(
      [...assignment.byNode].map(([nodeId, shards]) => callNode(ctx, scope, read, nodeId, shards)),
    );
    const rejected = results.find((result) => result.kind === "rejected");
    if (rejected !== undefined) throw await queryError(ctx, read, rejected.response);
    const retry: number[] = [];
    for (const result of results) {
      if (result.kind === "answer") {
        checked.push(result.checked);
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
  if (asked.size > 0) ctx.metrics.scatterFanOut.observe(asked.size);
  return { checked, lost: lost.sort((a, b) => a - b) };
}

async function callNode<Checked>(
  ctx: ProxyContext,
  scope: ReadScope,
  read: ShardRead<Checked, unknown>,
  nodeId: string,
  shards: readonly number[],
): Promise<CallResult<Checked>> {
  const planned = read.request(shards);
  const requests: readonly NodeRequest[] = Array.isArray(planned) ? planned : [planned];
  let responses: NodeResponse[];
  try {
    responses = await Promise.all(
      requests.map((request) =>
        ctx.nodes.call(nodeId, { ...request, timeoutMs: scope.settings.nodeTimeoutMs }),
      ),
    );
  } catch (error) {
    if (error instanceof NodeCallError) return { kind: "failed", nodeId, shards };
    throw error;
  }
  const rejected = responses.find((response) => response.status >= 400 && response.status < 500);
  if (rejected !== undefined) return { kind: "rejected", response: rejected };
  if (!responses.every(isSuccess)) return { kind: "failed", nodeId, shards };
  const bodies = responses.map((response) => response.body);
  const reply: NodeReply = { nodeId, shards, body: Array.isArray(planned) ? bodies : bodies[0] };
  try {
    return { kind: "answer", checked: read.check(reply) };
  } catch (error) {
    if (error instanceof NodeAnswerError) return { kind: "failed", nodeId, shards };
    throw error;
  }
}

async function queryError(
  ctx: ProxyContext,
  read: ShardRead<unknown, unknown>,
  rejected: NodeResponse,
): Promise<MeiliError> {
  if (read.original === undefined) return clientErrorOf(rejected);
  try {
    const again = await ctx.nodes.call(rejected.nodeId, read.original);
    if (again.status >= 400 && again.status < 500) return clientErrorOf(again);
  } catch (error) {
    if (!(error instanceof NodeCallError)) throw error;
  }
  return clientErrorOf(rejected);
}
