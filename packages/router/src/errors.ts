/**
 * The router's typed errors. Each carries the Meilisearch or Miroir error `code` the
 * proxy answers with, so callers map them to a response without parsing messages.
 */
export abstract class RouterError extends Error {
  abstract readonly code: string;
}

/** A primary-key value that no Meilisearch node would accept as a document id. */
export class InvalidPrimaryKeyError extends RouterError {
  readonly code = "invalid_document_id";
  constructor(
    readonly value: unknown,
    message: string,
  ) {
    super(message);
    this.name = "InvalidPrimaryKeyError";
  }
}

/** A lifecycle change that the node state machine does not allow. */
export class IllegalTransitionError extends RouterError {
  readonly code = "miroir_illegal_transition";
  constructor(
    readonly nodeId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`Node \`${nodeId}\` cannot go from \`${from}\` to \`${to}\`.`);
    this.name = "IllegalTransitionError";
  }
}

/** A topology description that breaks a structural rule (ids, groups, S, RF). */
export class InvalidTopologyError extends RouterError {
  readonly code = "miroir_invalid_request";
  constructor(message: string) {
    super(message);
    this.name = "InvalidTopologyError";
  }
}

/** A node id that the topology does not know. */
export class UnknownNodeError extends RouterError {
  readonly code = "miroir_node_not_found";
  constructor(readonly nodeId: string) {
    super(`Node \`${nodeId}\` is not part of the topology.`);
    this.name = "UnknownNodeError";
  }
}

/** No replica group can serve reads, so no search can be answered. */
export class NoReadableGroupError extends RouterError {
  readonly code = "miroir_shard_unavailable";
  constructor() {
    super("No replica group has a node that serves reads.");
    this.name = "NoReadableGroupError";
  }
}
