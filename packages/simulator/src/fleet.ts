import {
  type GroupId,
  MAX_SHARDS,
  type NodeId,
  type Topology,
  topologyFromConfig,
} from "@miroir/router";
import { type Random, seededRandom } from "./random.js";
import { shardDocuments } from "./shard-documents.js";

/** Where the failure domains (zones, racks, availability zones) cut through the fleet. */
export type ZoneLayout = "group" | "spread";

/** The fleet to simulate. */
export interface FleetSpec {
  /** Meilisearch nodes in all, split as evenly as possible over the replica groups. */
  readonly nodes: number;
  readonly replicaGroups: number;
  readonly replicationFactor: number;
  readonly shards: number;
  /** Documents in the index (each stored RF times in every group). */
  readonly documents: number;
  /** Failure domains; default: one per replica group. */
  readonly zones?: number;
  /**
   * `group` (default): all of group g's nodes sit in zone g mod zones, so a zone holds
   * whole groups. `spread`: each group's nodes go round-robin over the zones.
   */
  readonly zoneLayout?: ZoneLayout;
  /** Node ids, document counts and every trial are drawn from this seed. */
  readonly seed: number;
}

/** A simulated fleet: the router's topology plus what the router does not model. */
export interface Fleet {
  readonly spec: Required<FleetSpec>;
  readonly topology: Topology;
  /** Zone of every node. */
  readonly zoneOf: ReadonlyMap<NodeId, number>;
  /** Documents in each shard, as `shardOf` spreads them. */
  readonly shardDocuments: readonly number[];
  /** Node ids per group, in the order they were drawn. */
  readonly groups: readonly (readonly NodeId[])[];
}

/** A fleet spec the simulator cannot run; the message names the field. */
export class FleetSpecError extends Error {
  override readonly name = "FleetSpecError";
}

/** Upper bound on simulated nodes: placement costs S × N hashes per topology. */
export const MAX_SIMULATED_NODES = 10_000;

function assertInteger(name: string, value: number, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new FleetSpecError(
      `\`${name}\` must be an integer from ${min} to ${max.toLocaleString("en-US")}, got ${value}.`,
    );
  }
}

/** The spec with its defaults filled in, or a {@link FleetSpecError}. */
export function checkFleetSpec(spec: FleetSpec): Required<FleetSpec> {
  assertInteger("replicaGroups", spec.replicaGroups, 1, 64);
  assertInteger("replicationFactor", spec.replicationFactor, 1, 16);
  assertInteger("nodes", spec.nodes, 1, MAX_SIMULATED_NODES);
  assertInteger("shards", spec.shards, 1, MAX_SHARDS);
  assertInteger("documents", spec.documents, 0, Number.MAX_SAFE_INTEGER);
  assertInteger("seed", spec.seed, -(2 ** 31), 2 ** 32 - 1);
  const smallest = Math.floor(spec.nodes / spec.replicaGroups);
  if (smallest < spec.replicationFactor) {
    throw new FleetSpecError(
      `${spec.nodes} nodes in ${spec.replicaGroups} replica groups leave ${smallest} in the smallest group, fewer than the replication factor ${spec.replicationFactor}: give at least ${spec.replicaGroups * spec.replicationFactor} nodes.`,
    );
  }
  const zones = spec.zones ?? spec.replicaGroups;
  assertInteger("zones", zones, 1, 64);
  const zoneLayout = spec.zoneLayout ?? "group";
  if (zoneLayout !== "group" && zoneLayout !== "spread") {
    throw new FleetSpecError(`\`zoneLayout\` must be "group" or "spread", got "${zoneLayout}".`);
  }
  return { ...spec, zones, zoneLayout };
}

/** A node id that looks like a real one and was never handed out before. */
export function freshNodeId(random: Random, taken: ReadonlySet<NodeId>): NodeId {
  for (;;) {
    const id = `meili-${random.hex8()}`;
    if (!taken.has(id)) return id;
  }
}

/**
 * Builds the fleet of `spec`: random node ids (balance depends on the ids through the
 * hash, so a lucky list of names must not flatter the figures), groups of ⌊N/G⌋ or
 * ⌈N/G⌉ nodes, zones per the layout, and per-shard document counts.
 */
export function createFleet(input: FleetSpec): Fleet {
  const spec = checkFleetSpec(input);
  const random = seededRandom(spec.seed);
  const taken = new Set<NodeId>();
  const groups: NodeId[][] = [];
  const zoneOf = new Map<NodeId, number>();
  const entries: { id: string; address: string; replica_group: GroupId }[] = [];
  for (let group = 0; group < spec.replicaGroups; group++) {
    const size =
      Math.floor(spec.nodes / spec.replicaGroups) +
      (group < spec.nodes % spec.replicaGroups ? 1 : 0);
    const ids: NodeId[] = [];
    for (let i = 0; i < size; i++) {
      const id = freshNodeId(random, taken);
      taken.add(id);
      ids.push(id);
      zoneOf.set(id, spec.zoneLayout === "group" ? group % spec.zones : i % spec.zones);
      entries.push({ id, address: `http://${id}:7700`, replica_group: group });
    }
    groups.push(ids);
  }
  const topology = topologyFromConfig(entries, {
    shards: spec.shards,
    replication_factor: spec.replicationFactor,
    replica_groups: spec.replicaGroups,
  });
  return {
    spec,
    topology,
    zoneOf,
    groups,
    shardDocuments: shardDocuments(spec.documents, spec.shards, random),
  };
}
