import type { MeiliError } from "@miroir/errors";
import { NodeAnswerError } from "@miroir/merger";
import {
  assignShards,
  isExploring,
  type ReplicaLoads,
  replicaCost,
  shardRoute,
  withShards,
} from "@miroir/router";
import type { ProxyContext } from "../context.js";
import {
  isSuccess,
  NodeCallError,
  type NodeRequest,
  type NodeResponse,
} from "../node-client/index.js";
import { clientErrorOf } from "./client-error.js";
import type { ReadScope } from "./read-scope.js";
import type { NodeCallTrace, ReplicaReason } from "./read-trace.js";
import type { HedgingSettings } from "./scatter-settings.js";

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

/** One read's running state across its rounds. */
interface ReadState {
  readonly failed: Set<string>;
  readonly asked: Set<string>;
  /** Hedged node requests this read sent. */
  hedges: number;
}

/**
 * Sends each covering node its part of the read in parallel, each with the scatter
 * timeout. A node that fails, times out or answers 5xx (or something unusable) has its
 * shards placed again — another replica of the group, then another group, in the current
 * topology — until every shard is answered or no replica is left. A 4xx is the query's own
 * error: it is thrown once, as Meilisearch words it, and nothing is merged. A node slow to
 * answer may be hedged (`hedgedCall`). Records the nodes asked and the shards retried
 * (`miroir_scatter_fan_out_size`, `miroir_scatter_retries_total`).
 */
export async function scatter<Checked>(
  ctx: ProxyContext,
  scope: ReadScope,
  read: ShardRead<Checked, unknown>,
): Promise<ScatterOutcome<Checked>> {
  const state: ReadState = { failed: new Set(), asked: new Set(), hedges: 0 };
  const checked: Checked[] = [];
  const lost: number[] = [];
  let pending: readonly number[] = read.shards;
  let firstRound = true;
  while (pending.length > 0) {
    const assignment = assignShards({
      ...scope,
      // A retry places shards in the fleet as it is now: a migration that cut over since
      // the read began has moved them to owners that are already complete.
      topology: firstRound
        ? scope.topology
        : withShards(ctx.cluster.topology, scope.topology.shards),
      seq: choiceSeq(scope),
      shards: pending,
      failed: state.failed,
      inGroup: firstRound || scope.settings.retryOtherReplica,
      otherGroups: scope.settings.fallbackOtherGroup,
      ...loadsOf(ctx, scope),
    });
    const retrying = !firstRound;
    if (retrying) {
      const retried = pending.length - assignment.uncovered.length;
      if (retried > 0) ctx.metrics.scatterRetries.inc(retried);
    }
    firstRound = false;
    lost.push(...assignment.uncovered);
    for (const nodeId of assignment.byNode.keys()) state.asked.add(nodeId);
    ctx.hedgeBudget.earn(assignment.byNode.size);
    const results = (
      await Promise.all(
        [...assignment.byNode].map(([nodeId, shards]) =>
          hedgedCall(ctx, scope, read, state, {
            nodeId,
            shards,
            reason: retrying ? "retry" : reasonOf(ctx, scope, shards),
          }),
        ),
      )
    ).flat();
    const rejected = results.find((result) => result.kind === "rejected");
    if (rejected !== undefined) throw await queryError(ctx, read, rejected.response);
    const retry: number[] = [];
    for (const result of results) {
      if (result.kind === "answer") {
        checked.push(result.checked);
      } else if (result.kind === "failed") {
        state.failed.add(result.nodeId);
        retry.push(...result.shards);
      }
    }
    pending = retry.sort((a, b) => a - b);
    if (pending.length > 0) {
      ctx.logger.warn(
        { failed: [...state.failed], shards: pending },
        "retrying shards of failed nodes",
      );
    }
  }
  if (state.asked.size > 0) ctx.metrics.scatterFanOut.observe(state.asked.size);
  return { checked, lost: lost.sort((a, b) => a - b) };
}

/** The sequence number replica choice rotates by: the read's, or a random one. */
function choiceSeq(scope: ReadScope): number {
  return scope.settings.replicaChoice === "random"
    ? Math.floor(Math.random() * 2 ** 31)
    : scope.seq;
}

function loadsOf(ctx: ProxyContext, scope: ReadScope): { loads?: ReplicaLoads } {
  const loads = scope.settings.replicaChoice === "adaptive" ? ctx.replicas.loads : undefined;
  return loads === undefined ? {} : { loads };
}

/** Why the first round gave these shards to their node (for explain). */
function reasonOf(ctx: ProxyContext, scope: ReadScope, shards: readonly number[]): ReplicaReason {
  if (scope.trace === undefined) return "rotation";
  const owners = shards.map(
    (shard) => shardRoute(scope.topology, shard).serving[scope.group]?.length ?? 0,
  );
  if (owners.every((count) => count <= 1)) return "only replica";
  const loads = loadsOf(ctx, scope).loads;
  if (scope.settings.replicaChoice === "random") return "random";
  if (loads === undefined) return "rotation";
  return isExploring(scope.seq, loads) ? "exploration" : "least cost";
}

interface PlannedCall {
  readonly nodeId: string;
  readonly shards: readonly number[];
  readonly reason: ReplicaReason;
  readonly hedgeOf?: { readonly nodeId: string; readonly afterMs: number };
}

interface RunningCall<Checked> {
  readonly result: Promise<CallResult<Checked>>;
  cancel(): void;
}

/**
 * One node's part of a read, hedged: when the node has not answered after its delay (its
 * recent p95 × `p95_trigger_multiplier`, within `min_trigger_ms`…`max_trigger_ms`), and the
 * read's and the process's hedge budgets allow, the same shards are also asked of other
 * replicas (excluding the slow node). The first side to answer every shard (or to reject
 * the query) wins and the other side's calls are canceled. When both fail, the slow node's
 * shards are retried as any failed node's, and the hedge nodes count as failed too.
 */
async function hedgedCall<Checked>(
  ctx: ProxyContext,
  scope: ReadScope,
  read: ShardRead<Checked, unknown>,
  state: ReadState,
  planned: PlannedCall,
): Promise<CallResult<Checked>[]> {
  const hedging = scope.settings.hedging;
  if (!hedging.enabled || state.hedges >= hedging.maxPerRead || !hasOtherReplicas(scope)) {
    return [await callNode(ctx, scope, read, planned, false).result];
  }
  const primary = callNode(ctx, scope, read, planned, true);
  const delayMs = hedgeDelay(ctx, hedging, planned.nodeId);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), delayMs);
  });
  const early = await Promise.race([primary.result, late]);
  clearTimeout(timer);
  if (early !== null) return [early];
  const alternative = assignShards({
    ...scope,
    seq: choiceSeq(scope),
    shards: planned.shards,
    failed: new Set([...state.failed, planned.nodeId]),
    inGroup: true,
    otherGroups: hedging.crossGroup,
    ...loadsOf(ctx, scope),
  });
  const extra = alternative.byNode.size;
  if (
    extra === 0 ||
    alternative.uncovered.length > 0 ||
    state.hedges + extra > hedging.maxPerRead ||
    !ctx.hedgeBudget.spend(extra)
  ) {
    return [await primary.result];
  }
  state.hedges += extra;
  ctx.metrics.hedgesSent.inc(extra);
  const hedges = [...alternative.byNode].map(([nodeId, shards]) => {
    state.asked.add(nodeId);
    return callNode(
      ctx,
      scope,
      read,
      { nodeId, shards, reason: "hedge", hedgeOf: { nodeId: planned.nodeId, afterMs: delayMs } },
      true,
    );
  });
  const sides = [
    primary.result.then((result) => ({ hedge: false, results: [result] })),
    Promise.all(hedges.map((call) => call.result)).then((results) => ({ hedge: true, results })),
  ];
  const first = await Promise.race(sides);
  const winner = isConclusive(first.results)
    ? first
    : await (first.hedge
        ? (sides[0] as Promise<typeof first>)
        : (sides[1] as Promise<typeof first>));
  if (!isConclusive(winner.results)) {
    // Both sides failed: the slow node's shards go back to the retry, the hedge nodes are
    // only marked failed (their shards are the same).
    const [primaryResult] = (await sides[0])?.results ?? [];
    const hedgeFailures = (await sides[1])?.results.flatMap((result) =>
      result.kind === "failed" ? [{ ...result, shards: [] }] : [],
    );
    return [primaryResult as CallResult<Checked>, ...(hedgeFailures ?? [])];
  }
  if (winner.hedge) {
    ctx.metrics.hedgesWon.inc();
    primary.cancel();
  } else {
    for (const call of hedges) call.cancel();
  }
  return winner.results;
}

/** Whether a shard can have a replica other than the one asked (no timer is armed otherwise). */
function hasOtherReplicas(scope: ReadScope): boolean {
  const { topology, settings } = scope;
  return (
    topology.replicationFactor > 1 || (settings.hedging.crossGroup && topology.replicaGroups > 1)
  );
}

/** Every shard answered, or the query rejected (a 4xx is final whichever node gave it). */
function isConclusive<Checked>(results: readonly CallResult<Checked>[]): boolean {
  return (
    results.every((result) => result.kind === "answer") ||
    results.some((result) => result.kind === "rejected")
  );
}

function hedgeDelay(ctx: ProxyContext, hedging: HedgingSettings, nodeId: string): number {
  const p95 = ctx.replicas.p95(nodeId);
  if (p95 === null) return hedging.maxMs;
  return Math.min(hedging.maxMs, Math.max(hedging.minMs, p95 * hedging.p95Multiplier));
}

function callNode<Checked>(
  ctx: ProxyContext,
  scope: ReadScope,
  read: ShardRead<Checked, unknown>,
  planned: PlannedCall,
  cancellable: boolean,
): RunningCall<Checked> {
  const { nodeId, shards } = planned;
  const trace = traceCall(ctx, scope, planned);
  // Only a call that a hedge may race can be canceled: the others need no signal.
  const controller = cancellable ? new AbortController() : undefined;
  const ended = ctx.replicas.begin(nodeId);
  const started = performance.now();
  const result = askNode(ctx, scope, read, nodeId, shards, controller?.signal).then((outcome) => {
    const canceled = controller?.signal.aborted === true;
    ended(canceled ? "canceled" : outcome.kind === "failed" ? "failed" : "answered");
    if (trace !== undefined) {
      trace.ms = performance.now() - started;
      trace.outcome = canceled ? "canceled" : outcome.kind === "answer" ? "answered" : outcome.kind;
    }
    return outcome;
  });
  return { result, cancel: () => controller?.abort() };
}

function traceCall(
  ctx: ProxyContext,
  scope: ReadScope,
  planned: PlannedCall,
): NodeCallTrace | undefined {
  if (scope.trace === undefined) return undefined;
  const load = ctx.replicas.load(planned.nodeId);
  const weights = ctx.replicas.loads?.weights;
  const entry: NodeCallTrace = {
    nodeId: planned.nodeId,
    shards: planned.shards,
    reason: planned.reason,
    ...(load === undefined || weights === undefined
      ? {}
      : {
          load: {
            latencyMs: load.latencyMs,
            outstanding: load.outstanding,
            errorRate: load.errorRate,
            cost: replicaCost(load, weights),
          },
        }),
    ...(planned.hedgeOf === undefined ? {} : { hedgeOf: planned.hedgeOf }),
  };
  scope.trace.calls.push(entry);
  return entry;
}

async function askNode<Checked>(
  ctx: ProxyContext,
  scope: ReadScope,
  read: ShardRead<Checked, unknown>,
  nodeId: string,
  shards: readonly number[],
  signal: AbortSignal | undefined,
): Promise<CallResult<Checked>> {
  const planned = read.request(shards);
  let responses: NodeResponse[];
  try {
    const timeoutMs = scope.settings.nodeTimeoutMs;
    const ask = (request: NodeRequest) =>
      ctx.nodes.call(
        nodeId,
        signal === undefined ? { ...request, timeoutMs } : { ...request, timeoutMs, signal },
      );
    responses = Array.isArray(planned)
      ? await Promise.all((planned as readonly NodeRequest[]).map(ask))
      : [await ask(planned as NodeRequest)];
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
