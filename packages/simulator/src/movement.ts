import {
  compareUtf8,
  type GroupId,
  type NodeId,
  nodeScore,
  planMove,
  type ShardMove,
  shardRoute,
  type Topology,
  withJoiningNode,
  withNodeState,
} from "@miroir/router";
import { type Fleet, freshNodeId } from "./fleet.js";
import type { Random } from "./random.js";

/** Documents a topology change copies, against the least any placement could copy. */
export interface MovementReport {
  readonly group: GroupId;
  /** Nodes in the group before the change. */
  readonly nodesBefore: number;
  /** How many changes were simulated (random new ids, or every node of the group). */
  readonly trials: number;
  readonly documentsMoved: { readonly mean: number; readonly max: number };
  /** The mean over every possible change of the kind (see each function). */
  readonly expectedDocuments: number;
  /** The least a change of this kind must copy (see each function). */
  readonly minimumDocuments: number;
  /** Moved over minimum: 1 is optimal (see each function for what is compared). */
  readonly ratio: number;
  readonly shardCopiesMoved: { readonly mean: number; readonly max: number };
  /** One change of the kind, planned with the router's own `planMove`. */
  readonly example: MoveExample | null;
}

export interface MoveExample {
  readonly node: NodeId;
  readonly shardCopiesMoved: number;
  readonly documentsMoved: number;
}

/** Shard copies and documents a move plan copies: one copy per node gaining a shard. */
export function movedByPlan(
  moves: readonly ShardMove[],
  shardDocuments: readonly number[],
): { shardCopies: number; documents: number } {
  let shardCopies = 0;
  let documents = 0;
  for (const move of moves) {
    shardCopies += move.gains.length;
    documents += move.gains.length * (shardDocuments[move.shard] as number);
  }
  return { shardCopies, documents };
}

/** Per shard, the weakest node of its placement in `group`: the one a newcomer must beat. */
function weakestPlaced(topology: Topology, group: GroupId) {
  const weakest: { id: NodeId; score: bigint }[] = [];
  for (let shard = 0; shard < topology.shards; shard++) {
    const placed = shardRoute(topology, shard).target[group] ?? [];
    const id = placed[placed.length - 1] as NodeId;
    weakest.push({ id, score: nodeScore(id, shard) });
  }
  return weakest;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function report(
  fleet: Fleet,
  group: GroupId,
  moved: readonly { shardCopies: number; documents: number }[],
  minimumDocuments: number,
  ratio: number,
  example: MoveExample | null,
): Omit<MovementReport, "expectedDocuments"> {
  const documents = moved.map((m) => m.documents);
  const copies = moved.map((m) => m.shardCopies);
  return {
    group,
    nodesBefore: fleet.groups[group]?.length ?? 0,
    trials: moved.length,
    documentsMoved: { mean: mean(documents), max: Math.max(...documents) },
    minimumDocuments,
    ratio,
    shardCopiesMoved: { mean: mean(copies), max: Math.max(...copies) },
    example,
  };
}

export interface AdditionOptions {
  readonly group: GroupId;
  readonly trials: number;
  readonly random: Random;
  /** Also plan the first trial's addition with `planMove` (costs one routing table). */
  readonly withPlan: boolean;
}

/** 2^64: node scores are unsigned 64-bit values. */
const SCORE_RANGE = 2 ** 64;

/**
 * Adding one node to `group`. The minimum any placement must copy is the newcomer's fair
 * share, D × RF / (n + 1): a balanced group of n + 1 nodes holds that much on each node,
 * and all of it arrives by copy. Rendezvous placement copies exactly the shards the
 * newcomer wins, one copy each: those where it outranks the weakest node of the shard's
 * placement (score, then id in byte order: the router's rule).
 *
 * `expectedDocuments` is the mean over every possible newcomer id: with a uniform 64-bit
 * score, the newcomer beats a rival scoring r with probability 1 − r / 2^64, so it is
 * Σ over shards of documents × (1 − r_s / 2^64); `ratio` compares it with the minimum.
 * `documentsMoved` is what `trials` newcomers with random ids actually win, checking
 * that expectation against the real hash; `withPlan` checks the first trial against the
 * router's `planMove`, which needs a whole new routing table.
 */
export function simulateNodeAddition(fleet: Fleet, options: AdditionOptions): MovementReport {
  const { topology, shardDocuments } = fleet;
  const weakest = weakestPlaced(topology, options.group);
  let expectedDocuments = 0;
  weakest.forEach((rival, shard) => {
    const beaten = Number(2n ** 64n - rival.score) / SCORE_RANGE;
    expectedDocuments += (shardDocuments[shard] as number) * beaten;
  });
  const taken = new Set(topology.nodes.map((node) => node.id));
  const moved: { shardCopies: number; documents: number }[] = [];
  let example: MoveExample | null = null;
  for (let trial = 0; trial < options.trials; trial++) {
    const id = freshNodeId(options.random, taken);
    let shardCopies = 0;
    let documents = 0;
    for (let shard = 0; shard < topology.shards; shard++) {
      const rival = weakest[shard] as { id: NodeId; score: bigint };
      const score = nodeScore(id, shard);
      if (score > rival.score || (score === rival.score && compareUtf8(id, rival.id) < 0)) {
        shardCopies += 1;
        documents += shardDocuments[shard] as number;
      }
    }
    moved.push({ shardCopies, documents });
    if (trial === 0 && options.withPlan) {
      const after = withJoiningNode(topology, {
        id,
        address: `http://${id}:7700`,
        group: options.group,
      });
      example = {
        node: id,
        ...renameCopies(movedByPlan(planMove(topology, after), shardDocuments)),
      };
    }
  }
  const n = fleet.groups[options.group]?.length ?? 0;
  const totalDocuments = shardDocuments.reduce((sum, count) => sum + count, 0);
  const minimum = (totalDocuments * fleet.spec.replicationFactor) / (n + 1);
  const ratio = minimum === 0 ? 1 : expectedDocuments / minimum;
  return { ...report(fleet, options.group, moved, minimum, ratio, example), expectedDocuments };
}

function renameCopies(moved: { shardCopies: number; documents: number }) {
  return { shardCopiesMoved: moved.shardCopies, documentsMoved: moved.documents };
}

export interface RemovalOptions {
  readonly group: GroupId;
  /** Also plan one removal (the group's first node draining) with `planMove`. */
  readonly withPlan: boolean;
}

/**
 * Removing (draining) a node of `group`. Whatever a leaving node holds must be copied
 * elsewhere, so the minimum is its own load: `documentsMoved` spreads that over the
 * group's nodes (which one leaves decides the cost), `expectedDocuments` is its mean. The ratio compares what `planMove`
 * plans for one drain with that node's load (1 when only its shards move); without a plan
 * it is 1 by the router's tested invariant that a drain moves only the drained node's
 * shards.
 */
export function simulateNodeRemoval(fleet: Fleet, options: RemovalOptions): MovementReport {
  const { topology, shardDocuments } = fleet;
  const ids = fleet.groups[options.group] ?? [];
  const held = new Map<NodeId, { shardCopies: number; documents: number }>(
    ids.map((id) => [id, { shardCopies: 0, documents: 0 }]),
  );
  for (let shard = 0; shard < topology.shards; shard++) {
    for (const id of shardRoute(topology, shard).target[options.group] ?? []) {
      const load = held.get(id) as { shardCopies: number; documents: number };
      load.shardCopies += 1;
      load.documents += shardDocuments[shard] as number;
    }
  }
  let example: MoveExample | null = null;
  let ratio = 1;
  const first = ids[0];
  if (options.withPlan && first !== undefined && ids.length > fleet.spec.replicationFactor) {
    const after = withNodeState(topology, first, "draining");
    const planned = movedByPlan(planMove(topology, after), shardDocuments);
    example = { node: first, ...renameCopies(planned) };
    const own = (held.get(first) as { documents: number }).documents;
    ratio = own === 0 ? 1 : planned.documents / own;
  }
  const moved = [...held.values()];
  const average = mean(moved.map((m) => m.documents));
  return {
    ...report(fleet, options.group, moved, average, ratio, example),
    expectedDocuments: average,
  };
}
