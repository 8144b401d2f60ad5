import type { NodeId } from "./node-score.js";

/** What a proxy has seen of one replica lately. */
export interface ReplicaLoad {
  /** Smoothed recent answer time, ms. */
  readonly latencyMs: number;
  /** Requests sent to it and not answered yet. */
  readonly outstanding: number;
  /** Smoothed share of recent requests that failed (0–1). */
  readonly errorRate: number;
}

/** How much each input weighs in a replica's cost, in multiples of its latency. */
export interface ReplicaWeights {
  readonly latency: number;
  /** Per request in flight. */
  readonly inflight: number;
  /** At an error rate of 1. */
  readonly error: number;
}

/**
 * Adaptive replica choice: the load of each replica by node id. A node missing from the
 * view has no record yet and costs nothing, so a new or recovered node is tried at once.
 */
export interface ReplicaLoads {
  readonly loads: ReadonlyMap<NodeId, ReplicaLoad>;
  readonly weights: ReplicaWeights;
  /**
   * Share of reads (0–1) that ignore the costs and take the replicas in turn, so a replica
   * whose record says it is slow is still sampled and can prove it recovered.
   */
  readonly explorationShare: number;
}

/**
 * A replica's cost: its latency times `latency + inflight × outstanding + error × errorRate`
 * (the defaults 1, 2 and 10 make each request in flight cost two answer times). A replica
 * with no record costs 0.
 */
export function replicaCost(load: ReplicaLoad | undefined, weights: ReplicaWeights): number {
  if (load === undefined) return 0;
  return (
    load.latencyMs *
    (weights.latency + weights.inflight * load.outstanding + weights.error * load.errorRate)
  );
}

/**
 * The replica of `candidates` (the usable replicas of one shard, in placement order) that
 * answers read `seq`: without loads `seq mod k` rotates among them; an exploring read takes
 * them in turn; otherwise the cheapest by {@link replicaCost}, ties broken by the rotation
 * so that equally loaded replicas still share the reads.
 */
export function chooseReplica(
  candidates: readonly NodeId[],
  seq: number,
  loads?: ReplicaLoads,
): NodeId | undefined {
  const k = candidates.length;
  if (k === 0) return undefined;
  const read = Math.abs(Math.trunc(seq));
  const turn = read % k;
  if (loads === undefined || k === 1) return candidates[turn];
  // Exploring reads take the replicas in turn among themselves (`seq mod k` alone could
  // land on the same replica every time).
  const every = explorationPeriod(loads);
  if (every !== null && read % every === 0) return candidates[Math.floor(read / every) % k];
  let best: NodeId | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  for (let i = 0; i < k; i++) {
    const id = candidates[(turn + i) % k] as NodeId;
    const cost = replicaCost(loads.loads.get(id), loads.weights);
    if (cost < bestCost) {
      best = id;
      bestCost = cost;
    }
  }
  return best;
}

/** Whether read `seq` explores (takes the replicas in turn) instead of following the costs. */
export function isExploring(seq: number, loads: ReplicaLoads): boolean {
  const every = explorationPeriod(loads);
  return every !== null && Math.abs(Math.trunc(seq)) % every === 0;
}

/** One read in this many explores; null when none does. */
function explorationPeriod(loads: ReplicaLoads): number | null {
  if (!(loads.explorationShare > 0)) return null;
  return Math.max(1, Math.round(1 / Math.min(1, loads.explorationShare)));
}
