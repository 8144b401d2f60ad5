import type { ProxyContext } from "../context.js";
import type { NodeRequest } from "../node-client/index.js";
import { rejectionOf } from "./original-request.js";
import { openRead, type ReadScope, shardsUnavailable } from "./read-scope.js";
import type { ReadTrace } from "./read-trace.js";
import { type ShardRead, scatter } from "./scatter.js";
import { degradedRead } from "./unavailable-shards.js";

/** A merged read: the body the client receives, and what it lacks. */
export interface ReadAnswer<Body = unknown> {
  readonly body: Body;
  /** The `X-Miroir-Degraded` value when some shard is missing from the answer. */
  readonly degraded?: string | undefined;
}

/**
 * The read pipeline every scatter-gather read runs: the shard plan's requests go to one
 * covering set (with failover), each answer is checked once, the checked answers are
 * merged, and the shards no replica answered for go through the unavailable-shard policy
 * (`X-Miroir-Degraded`, or 503).
 * `earlierLost` are shards an earlier step of the same read already lost (the counts that
 * placed a listing's window).
 */
export async function gather<Checked, Body>(
  ctx: ProxyContext,
  scope: ReadScope,
  read: ShardRead<Checked, Body>,
  earlierLost: readonly number[] = [],
): Promise<ReadAnswer<Body>> {
  const outcome = await scatter(ctx, scope, read);
  // Merged first: a read that cannot answer without its lost shard (one document) fails
  // there, and is then no partial answer.
  const mergeStarted = performance.now();
  const body = read.merge(outcome.checked);
  if (scope.trace !== undefined) scope.trace.mergeMs = performance.now() - mergeStarted;
  const degraded = degradedRead(ctx.metrics, scope, [...earlierLost, ...outcome.lost]);
  return { body, degraded };
}

/** A new read of a request whose parameters Miroir can spread over the shards. */
export interface PlannedRead<Query> {
  readonly scope: ReadScope;
  readonly query: Query;
}

/**
 * Opens a read (its query group and sequence) and reads the client's request as a query
 * Miroir can plan; a request it cannot plan (a parameter of the wrong type, an unknown
 * one) is answered with the error a node gives for the `original` request.
 */
export async function openPlannedRead<Query>(
  ctx: ProxyContext,
  body: unknown,
  parse: (body: unknown) => Query | null,
  original: NodeRequest,
  trace?: ReadTrace,
  indexUid?: string,
): Promise<PlannedRead<Query>> {
  const scope = openRead(ctx, trace, indexUid);
  const query = parse(body);
  if (query === null) throw await rejectionOf(ctx, scope, original);
  return { scope, query };
}

/**
 * The merge of a read of one shard: its one answer. With no replica left it is 503,
 * whatever the policy: an empty answer would claim the shard holds nothing.
 */
export function onlyAnswerOf<Checked>(shard: number): (checked: Checked[]) => Checked {
  return ([answer]) => {
    if (answer === undefined) throw shardsUnavailable(`shard ${shard}`);
    return answer;
  };
}
