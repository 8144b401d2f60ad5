import { meiliError } from "@miroir/errors";
import {
  assignShards,
  type GroupId,
  type HealthView,
  NoReadableGroupError,
  queryGroup,
  type Topology,
} from "@miroir/router";
import type { ProxyContext } from "../context.js";
import { topologyOf, widestTopology } from "../topology/index-shards.js";
import { readExclusions } from "./read-exclusions.js";
import type { ReadTrace } from "./read-trace.js";
import { type ScatterSettings, scatterSettingsOf } from "./scatter-settings.js";

/** One read's view of the fleet: the topology it started with, its group and sequence. */
export interface ReadScope {
  readonly topology: Topology;
  readonly group: GroupId;
  readonly seq: number;
  readonly health: HealthView;
  readonly settings: ScatterSettings;
  /** Set when the client asked to explain the read: every node call is recorded there. */
  readonly trace?: ReadTrace;
}

/**
 * Picks the query group of a new read (round robin over the readable groups); `trace`
 * records what the read does, for explain. A read of one index is routed with that
 * index's shard count; a read of several (or of none) with the largest count, which covers
 * every shard of every index (a shard an index does not have holds none of its documents).
 */
export function openRead(ctx: ProxyContext, trace?: ReadTrace, indexUid?: string): ReadScope {
  const topology = indexUid === undefined ? widestTopology(ctx) : topologyOf(ctx, indexUid);
  const seq = ctx.seq.next();
  try {
    return {
      topology,
      group: queryGroup(seq, topology),
      seq,
      health: readHealth(ctx.cluster.health, avoidedNodes(ctx)),
      settings: scatterSettingsOf(ctx.config),
      ...(trace === undefined ? {} : { trace }),
    };
  } catch (error) {
    if (error instanceof NoReadableGroupError) throw shardsUnavailable("every shard");
    throw error;
  }
}

/** Recovering replicas, and those the read's caller excluded (`withReadExclusions`). */
function avoidedNodes(ctx: ProxyContext): ReadonlySet<string> {
  const recovering = ctx.convergence.handoff.recovering();
  const excluded = readExclusions();
  if (excluded === undefined || excluded.size === 0) return recovering;
  return new Set([...recovering, ...excluded]);
}

/**
 * Health as reads see it: a recovering replica (hints to replay, or not yet verified)
 * counts as unreachable, so no read returns a version older than an acknowledged write.
 */
export function readHealth(health: HealthView, recovering: ReadonlySet<string>): HealthView {
  if (recovering.size === 0) return health;
  const view = new Map(health);
  for (const nodeId of recovering) view.set(nodeId, "unreachable");
  return view;
}

/** Every shard of the read's index (of every index, for a read of several), ascending. */
export function allShards(scope: ReadScope): readonly number[] {
  const count = scope.topology.shards;
  let shards = everyShard.get(count);
  if (shards === undefined) {
    shards = Object.freeze(Array.from({ length: count }, (_, shard) => shard));
    if (everyShard.size >= 64) everyShard.clear();
    everyShard.set(count, shards);
  }
  return shards;
}

/** `allShards`' lists, one per shard count (read for every read, never changed). */
const everyShard = new Map<number, readonly number[]>();

/**
 * The nodes to ask for something every node knows alike (settings, the index object):
 * the query group's covering nodes first, then every other node.
 */
export function preferredNodes(scope: ReadScope, nodeIds: readonly string[]): string[] {
  const covering = assignShards({
    ...scope,
    shards: allShards(scope),
    failed: new Set(),
    inGroup: true,
    otherGroups: true,
  });
  const first = [...covering.byNode.keys()];
  return [...first, ...nodeIds.filter((nodeId) => !first.includes(nodeId))];
}

export function shardsUnavailable(shards: string) {
  return meiliError(
    "miroir_shard_unavailable",
    `No replica of ${shards} could answer, so the result would be incomplete.`,
  );
}
