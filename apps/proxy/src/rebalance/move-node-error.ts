/**
 * A node that failed a shard move: the migration tries another source replica when it is
 * the source, and retries the move later when it is the target.
 */
export class MoveNodeError extends Error {
  constructor(
    readonly nodeId: string,
    reason: string,
    cause?: unknown,
  ) {
    super(`node ${nodeId} ${reason}`, cause === undefined ? undefined : { cause });
    this.name = "MoveNodeError";
  }
}

/** Runs one node call of a move, naming the node in whatever it throws. */
export async function onNode<T>(nodeId: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof MoveNodeError) throw error;
    throw new MoveNodeError(nodeId, `failed to ${what}`, error);
  }
}
