import { expectedMaxOverMean, writeQuorum } from "@miroir/simulator";
import { type GrowthFit, predict } from "../report/growth-fit.js";

/** What a fleet must carry. */
export interface Workload {
  readonly name: string;
  readonly documents: number;
  /** Index bytes per document on one node (measure: a node's database size / its documents). */
  readonly indexBytesPerDocument: number;
  /** Peak client searches per second. */
  readonly searchesPerSecond: number;
  /** Peak client write requests (document batches) per second. */
  readonly writesPerSecond: number;
  /** Simultaneous node failures that must cost no read and no write; and a whole zone. */
  readonly survive: { readonly nodeFailures: number; readonly zone: boolean };
  /** How much each group may grow without changing S (2 = to twice its nodes). */
  readonly growth: number;
  /** Largest acceptable fullest-node / average-node load, at the grown size. */
  readonly maxOverMean: number;
}

/** What one Meilisearch node can take (assumptions to replace with your own measurements). */
export interface NodeBudget {
  /** Index bytes a node may hold and still search fast (e.g. what fits its page cache). */
  readonly indexBytes: number;
  /** Searches per second a node answers over its share of the documents. */
  readonly searchesPerSecond: number;
  /** Share of a node's or a proxy core's capacity to plan for (headroom for peaks). */
  readonly utilisation: number;
}

/** Miroir's own costs, as fitted on the cost curves of `pnpm bench`. */
export interface ProxyCosts {
  /** Proxy CPU ms per search, over nodes searched, with `nodesCurveShards` shards. */
  readonly cpuPerSearch: GrowthFit;
  /** The same over shards (S), on a fixed number of nodes. */
  readonly cpuPerSearchOverShards: GrowthFit;
  /** The proxy's own p50 latency (ms) in front of nodes that answer at once, over nodes searched. */
  readonly latency: GrowthFit;
  readonly latencyOverShards: GrowthFit;
  /** S of the curves over nodes searched. */
  readonly nodesCurveShards: number;
  /** Merge µs per search, over shard answers of 20 hits. */
  readonly mergeOverAnswers: GrowthFit;
  /** Merge µs per hit, from the page-size curve (slope over page size ÷ answers). */
  readonly mergeMicrosPerHit: number;
  /** Redis commands per client write waited for until it succeeded, over nodes. */
  readonly redisPerWrite: GrowthFit;
  /** Redis commands per search, over nodes. */
  readonly redisPerSearch: GrowthFit;
  /** Redis commands per second of one idle proxy process, over nodes. */
  readonly redisIdlePerSecond: GrowthFit;
  /** Routing-table build ms over nodes, for `tableShards` shards. */
  readonly tableBuild: GrowthFit;
  readonly tableShards: number;
  /** Proxy RSS (MiB) over open client connections, configured nodes, indexes used. */
  readonly memoryOverConnections: GrowthFit;
  readonly memoryOverNodes: GrowthFit;
  readonly memoryOverIndexes: GrowthFit;
}

/** Meilisearch numbers documents of an index with a u32 (`DocumentId` in milli). */
export const MAX_DOCUMENTS_PER_NODE_INDEX = 2 ** 32;

/**
 * Whether RF and G survive `failures` simultaneous node failures for every shard, whichever
 * nodes fail: a read needs one live replica of the shard among its RF × G; a write needs
 * one group keeping ⌊RF/2⌋ + 1 live replicas, and a group loses that after RF − ⌊RF/2⌋
 * failures among the shard's replicas there, so the failures must stay below
 * G × (RF − ⌊RF/2⌋). A zone holding one whole group survives with two groups or more.
 */
export function survives(
  replicationFactor: number,
  replicaGroups: number,
  survive: Workload["survive"],
): boolean {
  const lossPerGroup = replicationFactor - writeQuorum(replicationFactor) + 1;
  return (
    replicationFactor * replicaGroups >= survive.nodeFailures + 1 &&
    replicaGroups * lossPerGroup >= survive.nodeFailures + 1 &&
    (!survive.zone || replicaGroups >= 2)
  );
}

/** Groups the search rate needs: every node of a group sees every search sent to it. */
export function groupsForThroughput(searchesPerSecond: number, node: NodeBudget): number {
  return Math.max(1, Math.ceil(searchesPerSecond / (node.searchesPerSecond * node.utilisation)));
}

/**
 * The fewest copies (RF × G) that survive the failures with at least `minGroups` groups;
 * on a tie, more groups (each adds search throughput, RF does not). RF up to 5.
 */
export function chooseReplication(
  survive: Workload["survive"],
  minGroups: number,
): { replicationFactor: number; replicaGroups: number } {
  for (let copies = 1; ; copies++) {
    for (let groups = copies; groups >= 1; groups--) {
      const rf = copies / groups;
      if (!Number.isInteger(rf) || rf > 5 || groups < minGroups) continue;
      if (survives(rf, groups, survive)) return { replicationFactor: rf, replicaGroups: groups };
    }
  }
}

/**
 * The smallest power of two S ≥ 64 whose expected max/mean over `groups` groups of
 * `nodes` nodes meets the target.
 */
export function shardsFor(
  nodes: number,
  groups: number,
  replicationFactor: number,
  maxOverMean: number,
): number {
  const sizes = new Array<number>(groups).fill(nodes);
  for (let shards = 64; shards < 2 ** 20; shards *= 2) {
    if (expectedMaxOverMean(shards, replicationFactor, sizes) <= maxOverMean) return shards;
  }
  return 2 ** 20;
}

/**
 * Nodes per group and shards: each group holds the index RF times, and the fullest node
 * of the fleet — the average times the expected max/mean of balls into bins over all G
 * groups — must fit a node's budget. S is sized for the grown groups, so growing to
 * `growth` × the nodes keeps the imbalance target; today's groups, with more shards per
 * node, are better balanced than that.
 */
export function sizeGroup(
  workload: Workload,
  node: NodeBudget,
  replicationFactor: number,
  groups: number,
): { nodesPerGroup: number; shards: number; maxOverMean: number } {
  const groupBytes = workload.documents * workload.indexBytesPerDocument * replicationFactor;
  let nodes = Math.max(replicationFactor, Math.ceil(groupBytes / node.indexBytes));
  for (;;) {
    const grown = Math.ceil(nodes * workload.growth);
    const shards = shardsFor(grown, groups, replicationFactor, workload.maxOverMean);
    const maxOverMean = expectedMaxOverMean(
      shards,
      replicationFactor,
      new Array<number>(groups).fill(nodes),
    );
    const needed = Math.max(
      replicationFactor,
      Math.ceil((groupBytes * maxOverMean) / node.indexBytes),
    );
    if (needed <= nodes) return { nodesPerGroup: nodes, shards, maxOverMean };
    nodes = needed;
  }
}

/** Everything the sizing decides for one workload. */
export interface FleetPlan {
  readonly workload: Workload;
  readonly replicationFactor: number;
  readonly replicaGroups: number;
  readonly groupsForThroughput: number;
  readonly nodesPerGroup: number;
  readonly nodes: number;
  readonly shards: number;
  readonly shardsPerNode: number;
  readonly maxOverMean: number;
  readonly documentsPerNode: { readonly mean: number; readonly max: number };
  readonly indexBytesPerNode: { readonly mean: number; readonly max: number };
  readonly searchesPerNodePerSecond: number;
  readonly proxyCpuMsPerSearch: number;
  readonly proxyCores: number;
  readonly proxyProcesses: number;
  readonly proxyLatencyMs: number;
  readonly mergeFirstPageMicros: number;
  readonly mergeDeepPageMicros: number;
  readonly redisCommandsPerSecond: number;
  readonly addNodeDocuments: number;
  readonly addNodeBytes: number;
  readonly tableBuildMs: number;
  readonly proxyMemoryMiB: number;
}

/** Client connections and indexes one proxy process is sized for in the memory figure. */
export const PROXY_CONNECTIONS = 1_000;
export const PROXY_INDEXES = 10;

/**
 * A per-search cost at n nodes searched and S shards: the curve over nodes (measured at
 * the curve's S), plus what the curve over S adds from that S to this one. The two
 * curves were measured apart; adding them takes the two effects as independent. More
 * shards never make a search cheaper, so a fitted decrease is taken as noise: no change.
 */
export function perSearch(
  overNodes: GrowthFit,
  overShards: GrowthFit,
  curveShards: number,
  nodes: number,
  shards: number,
): number {
  const fromShards = Math.max(0, predict(overShards, shards) - predict(overShards, curveShards));
  return Math.max(0, predict(overNodes, nodes) + fromShards);
}

/** Sizes a fleet for `workload`: the formulas of docs/capacity.md, in order. */
export function planFleet(workload: Workload, node: NodeBudget, costs: ProxyCosts): FleetPlan {
  const forThroughput = groupsForThroughput(workload.searchesPerSecond, node);
  const { replicationFactor, replicaGroups } = chooseReplication(workload.survive, forThroughput);
  const { nodesPerGroup, shards, maxOverMean } = sizeGroup(
    workload,
    node,
    replicationFactor,
    replicaGroups,
  );
  const nodes = nodesPerGroup * replicaGroups;
  const meanDocuments = (workload.documents * replicationFactor) / nodesPerGroup;
  const cpu = perSearch(
    costs.cpuPerSearch,
    costs.cpuPerSearchOverShards,
    costs.nodesCurveShards,
    nodesPerGroup,
    shards,
  );
  const cores = (workload.searchesPerSecond * cpu) / 1000;
  // One Node.js process runs on one core; a fleet that must survive failures runs two at least.
  const processes = Math.max(
    workload.survive.nodeFailures > 0 ? 2 : 1,
    Math.ceil(cores / node.utilisation),
  );
  const redis =
    workload.writesPerSecond * Math.max(0, predict(costs.redisPerWrite, nodes)) +
    workload.searchesPerSecond * Math.max(0, predict(costs.redisPerSearch, nodesPerGroup)) +
    processes * Math.max(0, predict(costs.redisIdlePerSecond, nodes));
  // What more nodes or more indexes add; a fitted decrease is noise, taken as nothing.
  const added = (fit: GrowthFit, x: number) => Math.max(0, predict(fit, x) - predict(fit, 1));
  const memory =
    predict(costs.memoryOverConnections, PROXY_CONNECTIONS) +
    added(costs.memoryOverNodes, nodes) +
    added(costs.memoryOverIndexes, PROXY_INDEXES);
  const addNodeDocuments = (workload.documents * replicationFactor) / (nodesPerGroup + 1);
  return {
    workload,
    replicationFactor,
    replicaGroups,
    groupsForThroughput: forThroughput,
    nodesPerGroup,
    nodes,
    shards,
    shardsPerNode: (shards * replicationFactor) / nodesPerGroup,
    maxOverMean,
    documentsPerNode: { mean: meanDocuments, max: meanDocuments * maxOverMean },
    indexBytesPerNode: {
      mean: meanDocuments * workload.indexBytesPerDocument,
      max: meanDocuments * maxOverMean * workload.indexBytesPerDocument,
    },
    searchesPerNodePerSecond: workload.searchesPerSecond / replicaGroups,
    proxyCpuMsPerSearch: cpu,
    proxyCores: cores,
    proxyProcesses: processes,
    proxyLatencyMs: perSearch(
      costs.latency,
      costs.latencyOverShards,
      costs.nodesCurveShards,
      nodesPerGroup,
      shards,
    ),
    mergeFirstPageMicros: Math.max(0, predict(costs.mergeOverAnswers, nodesPerGroup)),
    mergeDeepPageMicros: costs.mergeMicrosPerHit * nodesPerGroup * 1_000,
    redisCommandsPerSecond: redis,
    addNodeDocuments,
    addNodeBytes: addNodeDocuments * workload.indexBytesPerDocument,
    tableBuildMs:
      Math.max(0, predict(costs.tableBuild, nodesPerGroup)) * (shards / costs.tableShards),
    proxyMemoryMiB: memory,
  };
}

/**
 * The x at which a fitted cost reaches `y` (extrapolating the fit), or null when the fit
 * does not grow (constant, or a slope ≤ 0) and never gets there.
 */
export function reachedAt(fit: GrowthFit, y: number): number | null {
  if (fit.model === "constant" || !(fit.slope > 0)) return null;
  const t = (y - fit.intercept) / fit.slope;
  return fit.model === "logarithmic" ? 2 ** t : t;
}
