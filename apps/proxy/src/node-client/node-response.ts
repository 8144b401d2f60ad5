import { MeiliError, meiliError, parseErrorBody } from "@miroir/errors";

/** What one node answered: its status, headers and the JSON body (or `null` when empty). */
export interface NodeResponse<T = unknown> {
  readonly nodeId: string;
  readonly status: number;
  readonly body: T;
}

/** A node could not be reached or did not answer in time; no answer exists. */
export class NodeCallError extends Error {
  readonly nodeId: string;
  readonly reason: "unreachable" | "timeout";

  constructor(nodeId: string, reason: "unreachable" | "timeout", cause: unknown) {
    super(`node ${nodeId} is ${reason === "timeout" ? "not answering in time" : "unreachable"}`, {
      cause,
    });
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
