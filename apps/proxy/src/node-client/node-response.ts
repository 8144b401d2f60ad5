import { MeiliError, meiliError, parseErrorBody } from "@miroir/errors";

/** What one node answered: its status, headers and the JSON body (or `null` when empty). */
export interface NodeResponse<T = unknown> {
  readonly nodeId: string;
  readonly status: number;
  readonly body: T;
}

/** Why a node call has no answer. */
export type NodeCallFailure = "unreachable" | "timeout" | "canceled";

const FAILURE_TEXT: Record<NodeCallFailure, string> = {
  unreachable: "unreachable",
  timeout: "not answering in time",
  canceled: "no longer asked (the call was canceled)",
};

/**
 * A node could not be reached, did not answer in time, or was no longer needed (the
 * caller canceled the call); no answer exists.
 */
export class NodeCallError extends Error {
  readonly nodeId: string;
  readonly reason: NodeCallFailure;

  constructor(nodeId: string, reason: NodeCallFailure, cause: unknown) {
    super(`node ${nodeId} is ${FAILURE_TEXT[reason]}`, { cause });
    this.name = "NodeCallError";
    this.nodeId = nodeId;
    this.reason = reason;
  }

  toMeiliError(): MeiliError {
    return meiliError("miroir_node_unreachable", `${this.message}.`);
  }
}

export function isSuccess(response: NodeResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/**
 * The error a node answered with, passed through unchanged (status and body), or an
 * invalid-answer error when a failing node did not answer in Meilisearch's shape.
 */
export function nodeErrorOf(response: NodeResponse): MeiliError {
  const body = parseErrorBody(response.body);
  if (body !== undefined) return new MeiliError(body, response.status);
  return meiliError(
    "miroir_node_answer_invalid",
    `Node ${response.nodeId} answered ${response.status} without a Meilisearch error body.`,
  );
}

/** The body of a successful answer; a node's error is thrown as it was. */
export function expectSuccess<T>(response: NodeResponse): T {
  if (!isSuccess(response)) throw nodeErrorOf(response);
  return response.body as T;
}
