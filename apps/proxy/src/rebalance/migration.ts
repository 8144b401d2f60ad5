import { pendingMoves, type ShardMove, type Topology } from "@miroir/router";

/** Where one shard move stands; each phase is persisted before the next begins. */
export type MovePhase = "pending" | "copying" | "verifying" | "verified";

/**
 * Where a migration stands: shards move (setup, dual write, copy, verify), then one
 * cut-over switches reads and writes to the new owners, then the old owners drop the moved
 * shards after the grace period. A cancel before the cut-over rolls back to the old owners.
 */
export type MigrationPhase = "moving" | "cutover" | "cleanup" | "done" | "canceled";

export interface MoveProgress extends ShardMove {
  phase: MovePhase;
  /** Documents written to the gaining nodes (by the copy and by verification repairs). */
  copied: number;
  /** The shard's documents on the source when the copy read it, over every index. */
  total: number;
  /** The replica the shard is read from, once chosen. */
  source: string | null;
  /** Per `target/index`: the last primary key handed to the target. */
  cursors: Record<string, string>;
  /** Per `target/index`: the last verification's digests. */
  digests: Record<string, Record<string, string>>;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface Migration {
  readonly id: string;
  readonly startedAt: number;
  /** The write version when the migration began: writes from then on reach old and new owners. */
  dualWriteSince: number | null;
  phase: MigrationPhase;
  /** Nodes that become `active` at the cut-over (they were `joining`). */
  readonly activate: readonly string[];
  /** Nodes that become `removed` at the cut-over (they were `draining`). */
  readonly remove: readonly string[];
  readonly moves: MoveProgress[];
  cutoverAt: number | null;
  finishedAt: number | null;
  /** The last error a run of the migration met (it is retried). */
  error: string | null;
}

/**
 * The migration that settles `topology`: exactly its pending moves (from where each shard
 * is held now to where it must end up, per group), with the joining nodes to activate and
 * the draining nodes to remove at the cut-over. Null when there is nothing to do.
 */
export function planMigration(topology: Topology, id: string, now: number): Migration | null {
  const moves = pendingMoves(topology);
  const activate = topology.nodes.filter((n) => n.state === "joining").map((n) => n.id);
  const remove = topology.nodes.filter((n) => n.state === "draining").map((n) => n.id);
  if (moves.length === 0 && activate.length === 0 && remove.length === 0) return null;
  return {
    id,
    startedAt: now,
    dualWriteSince: null,
    phase: "moving",
    activate,
    remove,
    moves: moves.map((move) => ({
      ...move,
      phase: "pending",
      copied: 0,
      total: 0,
      source: null,
      cursors: {},
      digests: {},
      startedAt: null,
      finishedAt: null,
    })),
    cutoverAt: null,
    finishedAt: null,
    error: null,
  };
}

/** Moves whose data is in place (verified) out of all moves. */
export function movesDone(migration: Migration): number {
  return migration.moves.filter((move) => move.phase === "verified").length;
}
