/**
 * A node answered something that is not the response it was asked for. The merge refuses
 * it rather than merging it silently, so the caller can retry that node's shards elsewhere.
 */
export class NodeAnswerError extends Error {
  readonly code = "miroir_invalid_node_answer";
  readonly node: string;
  readonly reason: string;

  constructor(node: string, reason: string) {
    super(`Node \`${node}\` gave an answer that cannot be merged: ${reason}.`);
    this.name = "NodeAnswerError";
    this.node = node;
    this.reason = reason;
  }
}
