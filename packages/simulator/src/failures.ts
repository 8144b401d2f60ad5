import { coveringSet, fillHoles, type NodeHealth, type NodeId, shardRoute } from "@miroir/router";
import { hypergeometricPmf, logChoose } from "./distributions.js";
import type { Fleet } from "./fleet.js";
import type { Random } from "./random.js";

/** What losing a set of nodes does to the shards, counted over every shard. */
export interface FailureImpact {
  /** Shards no group can write with quorum: writes to them answer 503 `miroir_no_quorum`. */
  readonly withoutWriteQuorum: number;
  /** Shards below quorum in at least one group: writes succeed with `X-Miroir-Degraded`. */
  readonly degraded: number;
  /** Shards with no reachable replica in any group: reads are partial or 503. */
  readonly unreadable: number;
}

/** Acknowledgements a group needs for a write: ⌊RF/2⌋ + 1. */
export function writeQuorum(replicationFactor: number): number {
  return Math.floor(replicationFactor / 2) + 1;
}

/**
 * The impact of `failed` nodes being unreachable, before any rebalance: quorum per group
 * from each shard's placement, readability from the router's own covering set and hole
 * filling (the read path's choice of replicas).
 */
export function failureImpact(fleet: Fleet, failed: ReadonlySet<NodeId>): FailureImpact {
  const { topology } = fleet;
  const quorum = writeQuorum(topology.replicationFactor);
  let withoutWriteQuorum = 0;
  let degraded = 0;
  for (let shard = 0; shard < topology.shards; shard++) {
    let groupsWithQuorum = 0;
    const groups = shardRoute(topology, shard).serving;
    for (const replicas of groups) {
      const alive = replicas.filter((id) => !failed.has(id)).length;
      if (alive >= quorum) groupsWithQuorum += 1;
    }
    if (groupsWithQuorum === 0) withoutWriteQuorum += 1;
    if (groupsWithQuorum < groups.length) degraded += 1;
  }
  const health = new Map<NodeId, NodeHealth>([...failed].map((id) => [id, "unreachable"]));
  const inGroup = coveringSet(topology, 0, 0, health);
  const unreadable = fillHoles(topology, inGroup.holes, 0, 0, health).holes.length;
  return { withoutWriteQuorum, degraded, unreadable };
}

/** A simulated mean with its standard error and how often it was above zero. */
export interface TrialFigure {
  readonly mean: number;
  readonly standardError: number;
  /** Share of trials where at least one shard was affected. */
  readonly probabilityAny: number;
  /** The closed-form expectation. */
  readonly expected: number;
}

export interface RandomFailureReport {
  readonly failedNodes: number;
  readonly trials: number;
  readonly withoutWriteQuorum: TrialFigure;
  readonly degraded: TrialFigure;
  readonly unreadable: TrialFigure;
}

function figure(values: readonly number[], expected: number): TrialFigure {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance =
    n > 1 ? values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1) : 0;
  return {
    mean,
    standardError: Math.sqrt(variance / n),
    probabilityAny: values.filter((value) => value > 0).length / n,
    expected,
  };
}

/** `trials` times, `failedNodes` nodes chosen uniformly at random fail at once. */
export function simulateRandomFailures(
  fleet: Fleet,
  options: { readonly failedNodes: number; readonly trials: number; readonly random: Random },
): RandomFailureReport {
  const ids = fleet.topology.nodes.map((node) => node.id);
  const impacts: FailureImpact[] = [];
  for (let trial = 0; trial < options.trials; trial++) {
    const failed = new Set(
      options.random.sample(options.failedNodes, ids.length).map((i) => ids[i] as NodeId),
    );
    impacts.push(failureImpact(fleet, failed));
  }
  const expected = expectedRandomFailureImpact(
    ids.length,
    fleet.spec.replicaGroups,
    fleet.spec.replicationFactor,
    fleet.spec.shards,
    options.failedNodes,
  );
  return {
    failedNodes: options.failedNodes,
    trials: options.trials,
    withoutWriteQuorum: figure(
      impacts.map((i) => i.withoutWriteQuorum),
      expected.withoutWriteQuorum,
    ),
    degraded: figure(
      impacts.map((i) => i.degraded),
      expected.degraded,
    ),
    unreadable: figure(
      impacts.map((i) => i.unreadable),
      expected.unreadable,
    ),
  };
}

/**
 * Σ over per-group failure counts (f_1 … f_G) allowed by `allowed`, of
 * Π C(RF, f_g) · C(N − G·RF, k − Σf) / C(N, k): the probability that k failures drawn
 * uniformly from N nodes hit one shard's replicas (RF in each of G groups) that way.
 * A shard's replicas are fixed nodes and the failures are uniform, so this holds for any
 * placement; linearity of expectation turns it into a shard count.
 */
function replicaHitProbability(
  nodes: number,
  groups: number,
  rf: number,
  failures: number,
  allowed: (failedInGroup: number) => boolean,
): number {
  let ways = [1];
  for (let g = 0; g < groups; g++) {
    const next = new Array<number>(ways.length + rf).fill(0);
    ways.forEach((count, total) => {
      for (let f = 0; f <= rf; f++) {
        if (!allowed(f)) continue;
        next[total + f] = (next[total + f] as number) + count * Math.exp(logChoose(rf, f));
      }
    });
    ways = next;
  }
  const replicas = groups * rf;
  let probability = 0;
  ways.forEach((count, hit) => {
    if (count === 0) return;
    const rest = logChoose(nodes - replicas, failures - hit) - logChoose(nodes, failures);
    probability += count * Math.exp(rest);
  });
  return probability;
}

/**
 * The expected impact of `failures` nodes failing uniformly at random among `nodes`
 * (every group holding at least RF nodes), in closed form: a shard lacks write quorum
 * when every group lost at least RF − ⌊RF/2⌋ of its replicas, is unreadable when every
 * replica is lost, and is degraded unless every group kept its quorum.
 */
export function expectedRandomFailureImpact(
  nodes: number,
  groups: number,
  rf: number,
  shards: number,
  failures: number,
): FailureImpact {
  const lost = rf - writeQuorum(rf) + 1;
  const p = (allowed: (f: number) => boolean) =>
    replicaHitProbability(nodes, groups, rf, failures, allowed);
  return {
    withoutWriteQuorum: shards * p((f) => f >= lost),
    degraded: shards * (1 - p((f) => f < lost)),
    unreadable: shards * p((f) => f === rf),
  };
}

export interface ZoneFailureReport {
  readonly zone: number;
  readonly failedNodes: number;
  readonly impact: FailureImpact;
  /** Closed form over random node ids (each shard's replicas a random RF-subset per group). */
  readonly expected: FailureImpact;
}

/** Every zone failing on its own, one at a time. */
export function simulateZoneFailures(fleet: Fleet): ZoneFailureReport[] {
  const reports: ZoneFailureReport[] = [];
  for (let zone = 0; zone < fleet.spec.zones; zone++) {
    const failed = new Set([...fleet.zoneOf].filter(([, z]) => z === zone).map(([id]) => id));
    reports.push({
      zone,
      failedNodes: failed.size,
      impact: failureImpact(fleet, failed),
      expected: expectedZoneFailureImpact(fleet, zone),
    });
  }
  return reports;
}

/**
 * The expected impact of `zone` failing: in a group of n nodes with m in the zone, a
 * shard's RF replicas are a random RF-subset of the group, so the replicas lost are
 * Hypergeometric(n, m, RF); groups are independent.
 */
export function expectedZoneFailureImpact(fleet: Fleet, zone: number): FailureImpact {
  const rf = fleet.spec.replicationFactor;
  const lost = rf - writeQuorum(rf) + 1;
  let allBelowQuorum = 1;
  let allKeepQuorum = 1;
  let allLost = 1;
  for (const ids of fleet.groups) {
    const inZone = ids.filter((id) => fleet.zoneOf.get(id) === zone).length;
    let belowQuorum = 0;
    for (let f = lost; f <= rf; f++) belowQuorum += hypergeometricPmf(f, ids.length, inZone, rf);
    allBelowQuorum *= belowQuorum;
    allKeepQuorum *= 1 - belowQuorum;
    allLost *= hypergeometricPmf(rf, ids.length, inZone, rf);
  }
  const shards = fleet.spec.shards;
  return {
    withoutWriteQuorum: shards * allBelowQuorum,
    degraded: shards * (1 - allKeepQuorum),
    unreadable: shards * allLost,
  };
}
