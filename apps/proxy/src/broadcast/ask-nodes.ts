import type { MeiliError } from "@miroir/errors";
import type { Logger } from "pino";
import { toMeiliError } from "../errors/index.js";
import {
  isSuccess,
  NodeCallError,
  type NodeClient,
  type NodeRequest,
  type NodeResponse,
  nodeErrorOf,
} from "../node-client/index.js";
import type { NodeWriteQueue } from "../write/node-write-queue.js";

/** The node client, and the write FIFO for requests that change a node. */
export interface NodeAccess {
  readonly nodes: NodeClient;
  readonly writes?: NodeWriteQueue;
}

/** What one node made of a request sent to several: its response, or why none came. */
export type NodeOutcome<T = unknown> =
  | { readonly nodeId: string; readonly response: NodeResponse<T>; readonly error?: undefined }
  | { readonly nodeId: string; readonly response?: undefined; readonly error: unknown };

export interface AskOptions {
  /**
   * Sends through the per-(node, index) FIFO under this key, behind the writes already
   * queued there: for every request that changes a node.
   */
  readonly queueKey?: string;
  readonly timeoutMs?: number;
}

/**
 * The one way Miroir sends a request to several nodes: in parallel, each node's outcome
 * kept (a node that cannot be reached is an outcome, never a thrown error), in the order
 * of `nodeIds`. `request` may depend on the node.
 */
export function askNodes<T = unknown>(
  ctx: NodeAccess,
  nodeIds: readonly string[],
  request: NodeRequest | ((nodeId: string) => NodeRequest),
  options: AskOptions = {},
): Promise<NodeOutcome<T>[]> {
  const { writes } = ctx;
  const { queueKey } = options;
  if (queueKey !== undefined && writes === undefined) {
    throw new Error("A request sent in write order needs the write queue.");
  }
  return Promise.all(
    nodeIds.map((nodeId) => {
      const planned = typeof request === "function" ? request(nodeId) : request;
      const sent =
        options.timeoutMs === undefined ? planned : { ...planned, timeoutMs: options.timeoutMs };
      const answer =
        queueKey === undefined || writes === undefined
          ? ctx.nodes.call<T>(nodeId, sent)
          : (writes.send(nodeId, queueKey, sent) as Promise<NodeResponse<T>>);
      return answer.then(
        (response): NodeOutcome<T> => ({ nodeId, response }),
        (error: unknown): NodeOutcome<T> => ({ nodeId, error }),
      );
    }),
  );
}

/** Whether the node answered 2xx. */
export function succeeded<T>(
  outcome: NodeOutcome<T>,
): outcome is NodeOutcome<T> & { response: NodeResponse<T> } {
  return outcome.response !== undefined && isSuccess(outcome.response);
}

/** Why an outcome is not a success, as the client would see it: the node's error passed through. */
export function failureOf(outcome: NodeOutcome): MeiliError {
  return outcome.response !== undefined
    ? nodeErrorOf(outcome.response)
    : toMeiliError(outcome.error);
}

/** The bodies of the nodes that answered 2xx, by node id; the others are left out. */
export function successfulAnswers<T>(outcomes: readonly NodeOutcome<T>[]): Map<string, T> {
  return new Map(
    outcomes.filter(succeeded).map((outcome) => [outcome.nodeId, outcome.response.body]),
  );
}

/**
 * Every node's body, by node id, when every node answered 2xx; otherwise the first
 * failure, as the client sees it (the answer needs every node, so none is left out).
 */
export function everyAnswer<T>(outcomes: readonly NodeOutcome<T>[]): Map<string, T> {
  const failed = outcomes.find((outcome) => !succeeded(outcome));
  if (failed !== undefined) throw failureOf(failed);
  return successfulAnswers(outcomes);
}

/**
 * Asks for something every node answers alike, trying `nodeIds` in order until one
 * answers (2xx or 4xx): a node that is unreachable, too slow or failing (5xx) is skipped.
 * Undefined when none answers.
 */
export async function askAnyNode<T = unknown>(
  ctx: NodeAccess,
  nodeIds: readonly string[],
  request: NodeRequest,
): Promise<NodeResponse<T> | undefined> {
  for (const nodeId of nodeIds) {
    try {
      const response = await ctx.nodes.call<T>(nodeId, request);
      if (response.status < 500) return response;
    } catch (error) {
      if (!(error instanceof NodeCallError)) throw error;
    }
  }
  return undefined;
}

/** Logs each node a request never reached (sent in the background, nobody waits for it). */
export function logUndelivered(
  logger: Logger,
  outcomes: readonly NodeOutcome[],
  message: string,
  level: "warn" | "error" = "warn",
): void {
  for (const outcome of outcomes) {
    if (outcome.error !== undefined) {
      logger[level]({ node: outcome.nodeId, err: outcome.error }, message);
    }
  }
}
