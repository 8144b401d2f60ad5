import type { ReplicaLoad } from "@miroir/router";

/** Why the replica of a node call was chosen. */
export type ReplicaReason =
  /** Rotation by the read's sequence number (`replica_selection` off or `round_robin`). */
  | "rotation"
  /** A random replica (`strategy: random`). */
  | "random"
  /** The replica of least cost (adaptive). */
  | "least cost"
  /** An exploring read: the replicas in turn, whatever their costs (adaptive). */
  | "exploration"
  /** The only usable replica of its shards. */
  | "only replica"
  /** The shards of a failed node, placed again. */
  | "retry"
  /** A hedge of a slow call. */
  | "hedge";

/** One node call of a read, as explain shows it. */
export interface NodeCallTrace {
  readonly nodeId: string;
  readonly shards: readonly number[];
  readonly reason: ReplicaReason;
  /** The node's record when it was chosen (adaptive choice reads it); absent before any. */
  readonly load?: ReplicaLoad & { readonly cost: number };
  /** For a hedge: the node whose slow call it duplicated, and after how long. */
  readonly hedgeOf?: { readonly nodeId: string; readonly afterMs: number };
  outcome?: "answered" | "rejected" | "failed" | "canceled";
  ms?: number;
}

/** What one read did, recorded only when the client asked to explain it. */
export interface ReadTrace {
  readonly calls: NodeCallTrace[];
  mergeMs?: number;
}
