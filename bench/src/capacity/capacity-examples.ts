import { MAX_SHARDS } from "@miroir/router";
import {
  createFleet,
  expectedMaxOverMean,
  measureBalance,
  shardsForImbalance,
} from "@miroir/simulator";
import type { BenchmarkResults } from "../report/benchmark-results.js";
import { significant } from "../report/cost-curves-section.js";
import { type GrowthFit, predict } from "../report/growth-fit.js";
import { markdownTable } from "../report/markdown-table.js";
import { checksBlock, curveChecksBlock } from "./capacity-checks.js";
import { bytes, count, ms, ratio } from "./capacity-figures.js";
import {
  type FleetPlan,
  MAX_DOCUMENTS_PER_NODE_INDEX,
  PROXY_CONNECTIONS,
  PROXY_INDEXES,
  type ProxyCosts,
  planFleet,
  reachedAt,
} from "./capacity-model.js";
import { CAPACITY_SEED, EXAMPLE_NODE, EXAMPLE_WORKLOADS, GIB, KIB } from "./example-workloads.js";
import { measuredCosts } from "./measured-costs.js";

function fitText(fit: GrowthFit): string {
  if (fit.model === "constant") return `constant, ${significant(fit.intercept)}`;
  const x = fit.model === "logarithmic" ? "log2 x" : "x";
  return `${fit.model}: ${significant(fit.intercept)} + ${significant(fit.slope)} · ${x} (R² ${fit.r2.toFixed(3)})`;
}

function assumptionsBlock(): string {
  const node = EXAMPLE_NODE;
  return [
    `Node (every example): at most ${significant(node.indexBytes / GIB)} GiB of index per node, ${node.searchesPerSecond} searches/s per node over its share, planned at ${node.utilisation * 100} % of that (and of a proxy core).`,
    "",
    markdownTable(
      [
        "example",
        "documents",
        "index / document",
        "searches/s",
        "writes/s",
        "must survive",
        "growth of a group",
        "max/mean at that size",
      ],
      EXAMPLE_WORKLOADS.map((w) => [
        w.name,
        count(w.documents),
        `${w.indexBytesPerDocument / KIB} KiB`,
        count(w.searchesPerSecond),
        count(w.writesPerSecond),
        `${w.survive.nodeFailures} node(s)${w.survive.zone ? " and a zone" : ""}`,
        `${w.growth}×`,
        String(w.maxOverMean),
      ]),
    ),
  ].join("\n");
}

function measuredBlock(results: BenchmarkResults, costs: ProxyCosts): string {
  const run = results.costCurves;
  const rows: [string, string, string][] = [
    ["proxy CPU per search (ms)", "nodes searched", fitText(costs.cpuPerSearch)],
    ["proxy CPU per search (ms)", "shards", fitText(costs.cpuPerSearchOverShards)],
    ["proxy p50 latency (ms)", "nodes searched", fitText(costs.latency)],
    ["proxy p50 latency (ms)", "shards", fitText(costs.latencyOverShards)],
    ["merge, 20 hits per answer (µs)", "answers", fitText(costs.mergeOverAnswers)],
    ["merge per hit (µs)", "—", significant(costs.mergeMicrosPerHit)],
    ["Redis commands per write, waited for", "nodes", fitText(costs.redisPerWrite)],
    ["Redis commands per search", "nodes", fitText(costs.redisPerSearch)],
    ["Redis commands per second, idle proxy", "nodes", fitText(costs.redisIdlePerSecond)],
    [`routing-table build, ${costs.tableShards} shards (ms)`, "nodes", fitText(costs.tableBuild)],
    ["proxy RSS (MiB)", "open connections", fitText(costs.memoryOverConnections)],
    ["proxy RSS (MiB)", "nodes", fitText(costs.memoryOverNodes)],
    ["proxy RSS (MiB)", "indexes", fitText(costs.memoryOverIndexes)],
  ];
  return [
    `From the cost curves of docs/benchmarks.md, measured ${run?.generatedAt ?? "never"} (commit ${run?.revision ?? "–"}), fitted as the report states:`,
    "",
    markdownTable(["cost", "over", "fit"], rows),
  ].join("\n");
}

const NODE_COUNTS = [10, 30, 100, 300, 1_000];
const TARGETS = [1.1, 1.25, 1.5, 2];

function imbalanceBlock(): string {
  const rows = NODE_COUNTS.map((nodes) => [
    String(nodes),
    ...TARGETS.map((target) => {
      const needed = shardsForImbalance(nodes, 1, target);
      return needed === null ? "> 2^20 shards" : significant(needed.shardsPerNode);
    }),
    ratio(expectedMaxOverMean(8 * nodes, 1, [nodes])),
  ]);
  // The simulator's own check of one column: fleets placed by the router, max/mean averaged.
  const checks = [10, 100].map((nodes) => {
    const needed = shardsForImbalance(nodes, 1, 1.25);
    const shards = needed?.shards ?? 0;
    let sum = 0;
    const fleets = 4;
    for (let seed = 0; seed < fleets; seed++) {
      const fleet = createFleet({
        nodes,
        replicaGroups: 1,
        replicationFactor: 1,
        shards,
        documents: 0,
        seed: CAPACITY_SEED + seed,
      });
      sum += measureBalance(fleet).shards.maxOverMean;
    }
    return `${nodes} nodes with S = ${count(shards)}: ${ratio(sum / fleets)} over ${fleets} fleets of random ids`;
  });
  return [
    markdownTable(
      [
        "nodes per group",
        ...TARGETS.map((target) => `max/mean ≤ ${target}`),
        "max/mean with S = 8 × nodes",
      ],
      rows,
    ),
    "",
    `Shards per node (S × RF / nodes per group) for RF 1; a replica counts as a shard, so for RF > 1 divide S by RF. Simulated with the router's placement, the max/mean ≤ 1.25 column gives ${checks.join("; ")}.`,
  ].join("\n");
}

function exampleBlock(plan: FleetPlan): string {
  const w = plan.workload;
  const rows: [string, string, string][] = [
    [
      "replica groups G, for throughput",
      String(plan.groupsForThroughput),
      `⌈${count(w.searchesPerSecond)} / (${EXAMPLE_NODE.searchesPerSecond} × ${EXAMPLE_NODE.utilisation})⌉`,
    ],
    [
      "RF × G, for availability",
      `RF ${plan.replicationFactor} × G ${plan.replicaGroups}`,
      "fewest copies with RF·G ≥ f+1, G·(RF − ⌊RF/2⌋) ≥ f+1, G ≥ 2 for a zone",
    ],
    ["nodes per group n", String(plan.nodesPerGroup), "⌈D · b · RF · max/mean / node budget⌉"],
    ["nodes N", count(plan.nodes), "n × G"],
    [
      "shards S",
      count(plan.shards),
      `power of two for max/mean ≤ ${w.maxOverMean} over G groups of ⌈${w.growth} n⌉ nodes`,
    ],
    ["shards per node", significant(plan.shardsPerNode), "S · RF / n"],
    ["expected max/mean today", ratio(plan.maxOverMean), "balls into bins, G groups of n"],
    [
      "documents per node, mean / fullest",
      `${count(plan.documentsPerNode.mean)} / ${count(plan.documentsPerNode.max)}`,
      `D · RF / n, × max/mean (limit ${count(MAX_DOCUMENTS_PER_NODE_INDEX)})`,
    ],
    [
      "index per node, mean / fullest",
      `${bytes(plan.indexBytesPerNode.mean)} / ${bytes(plan.indexBytesPerNode.max)}`,
      "× b",
    ],
    [
      "searches per node per second",
      count(plan.searchesPerNodePerSecond),
      "Q / G (every node of a group sees its searches)",
    ],
    [
      "proxy CPU per search",
      ms(plan.proxyCpuMsPerSearch),
      "CPU fit at n, plus the S fit from its S to this S",
    ],
    [
      "proxy cores / processes",
      `${significant(plan.proxyCores)} / ${plan.proxyProcesses}`,
      "Q × CPU; one core per process at the planned utilisation, 2 at least for HA",
    ],
    [
      "proxy's own p50 latency",
      ms(plan.proxyLatencyMs),
      "latency fit at n and S (nodes answering at once)",
    ],
    [
      "merge, first page (n × 20 hits)",
      `${significant(plan.mergeFirstPageMicros)} µs`,
      "merge fit at n answers",
    ],
    [
      "merge, deepest page (n × 1 000 hits)",
      `${significant(plan.mergeDeepPageMicros / 1000)} ms`,
      "per-hit merge cost × n × 1 000",
    ],
    [
      "Redis commands per second",
      count(plan.redisCommandsPerSecond),
      "W × per write + Q × per search + processes × idle",
    ],
    [
      "one node added to a group copies",
      `${count(plan.addNodeDocuments)} documents (${bytes(plan.addNodeBytes)})`,
      "D · RF / (n + 1)",
    ],
    [
      "routing tables after a topology change",
      ms(plan.tableBuildMs),
      "build fit at n, × S / its S, per proxy",
    ],
    [
      "proxy memory per process",
      `${count(plan.proxyMemoryMiB)} MiB`,
      `RSS fits: ${count(PROXY_CONNECTIONS)} connections, N nodes, ${PROXY_INDEXES} indexes`,
    ],
  ];
  return markdownTable(["quantity", "value", "formula"], rows);
}

function limitsBlock(costs: ProxyCosts): string {
  const at = (fit: GrowthFit, y: number, beyond = Number.POSITIVE_INFINITY) => {
    const x = reachedAt(fit, y);
    if (x === null) return "not reached (does not grow)";
    if (x > beyond) return `beyond ${count(beyond)} (the largest)`;
    return x < 1 ? "already at 1" : count(x);
  };
  const deepPageNodes =
    costs.mergeMicrosPerHit > 0 ? 10_000 / (costs.mergeMicrosPerHit * 1_000) : null;
  const rows: [string, string, string][] = [
    [
      "proxy CPU per search reaches 10 ms (100 searches/s per core)",
      `${at(costs.cpuPerSearch, 10)} nodes searched`,
      "CPU fit over nodes",
    ],
    [
      "proxy CPU per search reaches 10 ms from S alone",
      `${at(costs.cpuPerSearchOverShards, 10, MAX_SHARDS)} shards`,
      "CPU fit over S",
    ],
    [
      "proxy's own p50 reaches 10 ms",
      `${at(costs.latency, 10)} nodes searched`,
      "latency fit over nodes",
    ],
    [
      "merging the deepest page (offset 980) takes 10 ms",
      `${deepPageNodes === null ? "not reached" : count(deepPageNodes)} nodes searched`,
      "per-hit merge cost × n × 1 000 hits",
    ],
    [
      `routing tables take 1 s to rebuild after a topology change (${costs.tableShards} shards)`,
      `${at(costs.tableBuild, 1_000)} nodes in a group`,
      "build fit over nodes",
    ],
    [
      "proxy RSS reaches 1 GiB from nodes alone",
      `${at(costs.memoryOverNodes, 1_024)} nodes`,
      "RSS fit over nodes",
    ],
    [
      "Redis at 100 000 commands/s (one Redis core, an assumption)",
      `${count(100_000 / Math.max(1e-9, predict(costs.redisPerWrite, 1)))} writes/s`,
      "Redis commands per write, 1 node",
    ],
    [
      "one index on one node runs out of Meilisearch's document ids",
      `${count(MAX_DOCUMENTS_PER_NODE_INDEX)} documents on one node`,
      "milli's DocumentId is a u32",
    ],
  ];
  const growing: [string, number | null][] = [
    ["the proxy's CPU per search", reachedAt(costs.cpuPerSearch, 10)],
    ["the proxy's own latency", reachedAt(costs.latency, 10)],
    ["the merge of deep pages", deepPageNodes],
    ["the routing-table rebuild", reachedAt(costs.tableBuild, 1_000)],
  ];
  const first = growing
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .sort((a, b) => a[1] - b[1])[0];
  return [
    markdownTable(["limit", "reached at", "from"], rows),
    "",
    first === undefined
      ? "None of the measured per-search costs grows with the nodes of a group in this run."
      : `First to break as one group grows, in this run: ${first[0]}, at about ${count(first[1])} nodes per group.`,
  ].join("\n");
}

/** Every generated block of docs/capacity.md, by name, for one `pnpm bench` run. */
export function capacityBlocks(results: BenchmarkResults): Map<string, string> {
  const costs = measuredCosts(results);
  const plans = EXAMPLE_WORKLOADS.map((workload) => planFleet(workload, EXAMPLE_NODE, costs));
  const blocks = new Map<string, string>([
    ["assumptions", assumptionsBlock()],
    ["measured", measuredBlock(results, costs)],
    ["imbalance", imbalanceBlock()],
  ]);
  for (const plan of plans)
    blocks.set(`example-${plan.workload.name.toLowerCase()}`, exampleBlock(plan));
  blocks.set("checks", checksBlock(plans));
  blocks.set("curve-checks", curveChecksBlock(results, plans));
  blocks.set("limits", limitsBlock(costs));
  return blocks;
}
