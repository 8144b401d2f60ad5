import { parseArgs } from "node:util";
import { topologyFromConfig, writeTargets } from "@miroir/router";
import { benchDocuments } from "../../data/bench-documents.js";

/**
 * Routing cost as the fleet grows, alone in this process: the proxy's batch router
 * (`routeBatch`: parse, validate, hash, splice `_miroir_shard`, group by node) on one
 * NDJSON batch, per document, over `--shards` (on `--shards-nodes` nodes) and over
 * `--nodes` (with `--nodes-shards` shards), routing tables built beforehand; and the time
 * to build a routing table (every shard's write targets) on a fresh topology over
 * `--table-nodes` (with `--nodes-shards` shards). The points take turns over
 * `--iterations` rounds and each keeps its fastest: on a shared machine other work only
 * ever adds time. Prints one JSON line.
 */
const { values } = parseArgs({
  options: {
    documents: { type: "string", default: "20000" },
    iterations: { type: "string", default: "5" },
    shards: { type: "string", default: "16,64,256,1024,4096" },
    "shards-nodes": { type: "string", default: "8" },
    nodes: { type: "string", default: "1,4,16,64,256,1024" },
    "nodes-shards": { type: "string", default: "1024" },
    "table-nodes": { type: "string", default: "16,64,256,1024" },
  },
});

interface RoutedBatch {
  readonly documentCount: number;
  readonly rejection: unknown;
}
type RouteBatch = (input: {
  body: Iterable<Uint8Array>;
  text: Iterable<string>;
  format: "ndjson";
  primaryKey: string;
  shards: number;
  targetsOf: (shard: number) => readonly string[];
  csvDelimiter: string;
  versionField: string | null;
}) => RoutedBatch | Promise<RoutedBatch>;

// The batch router is internal to the proxy: load it from the built app, next to its entry.
const routeBatchModule = new URL("./write/route-batch.js", import.meta.resolve("@miroir/proxy"));
const { routeBatch } = (await import(routeBatchModule.href)) as { routeBatch: RouteBatch };

const documents = Number(values.documents);
const payload = Buffer.from(
  `${benchDocuments(documents)
    .map((document) => JSON.stringify(document))
    .join("\n")}\n`,
);
const text = payload.toString();

function topology(nodes: number, shards: number) {
  return topologyFromConfig(
    Array.from({ length: nodes }, (_, i) => ({
      id: `node-${i}`,
      address: `http://node-${i}:7700`,
      replica_group: 0,
    })),
    { shards, replication_factor: 1, replica_groups: 1 },
  );
}

interface RoutingPoint {
  readonly nodes: number;
  readonly shards: number;
  readonly targetsOf: (shard: number) => readonly string[];
}

/** A topology with its routing table built, so that only routing is timed. */
function routingPoint(nodes: number, shards: number): RoutingPoint {
  const fleet = topology(nodes, shards);
  for (let shard = 0; shard < shards; shard++) writeTargets(shard, fleet);
  return { nodes, shards, targetsOf: (shard) => writeTargets(shard, fleet) };
}

/** Nanoseconds per document of one `routeBatch` run. */
async function nanosecondsPerDocument(point: RoutingPoint): Promise<number> {
  const started = performance.now();
  const routed = await routeBatch({
    body: [payload],
    text: [text],
    format: "ndjson",
    primaryKey: "id",
    shards: point.shards,
    targetsOf: point.targetsOf,
    csvDelimiter: ",",
    versionField: "_miroir_updated_at",
  });
  const elapsed = performance.now() - started;
  if (routed.documentCount !== documents || routed.rejection !== null) {
    throw new Error(`routed ${routed.documentCount} of ${documents} documents`);
  }
  return (elapsed * 1e6) / documents;
}

/** Milliseconds to build every shard's route on a fresh topology. */
function tableBuildMs(nodes: number, shards: number): number {
  const fresh = topology(nodes, shards);
  const started = performance.now();
  for (let shard = 0; shard < shards; shard++) writeTargets(shard, fresh);
  return performance.now() - started;
}

const list = (text: string) => text.split(",").map(Number);
const shardsNodes = Number(values["shards-nodes"]);
const nodesShards = Number(values["nodes-shards"]);
const overShards = list(values.shards).map((shards) => routingPoint(shardsNodes, shards));
const overNodes = list(values.nodes).map((nodes) => routingPoint(nodes, nodesShards));
const tableNodes = list(values["table-nodes"]);
// A first pass that is not kept, so that every point runs optimised code.
await nanosecondsPerDocument(routingPoint(8, 64));
tableBuildMs(16, nodesShards);
const fastest = (count: number) => new Array<number>(count).fill(Number.POSITIVE_INFINITY);
const bestShards = fastest(overShards.length);
const bestNodes = fastest(overNodes.length);
const bestTables = fastest(tableNodes.length);
for (let round = 0; round < Number(values.iterations); round++) {
  for (const [i, point] of overShards.entries()) {
    bestShards[i] = Math.min(bestShards[i] as number, await nanosecondsPerDocument(point));
  }
  for (const [i, point] of overNodes.entries()) {
    bestNodes[i] = Math.min(bestNodes[i] as number, await nanosecondsPerDocument(point));
  }
  for (const [i, nodes] of tableNodes.entries()) {
    bestTables[i] = Math.min(bestTables[i] as number, tableBuildMs(nodes, nodesShards));
  }
}
process.stdout.write(
  `${JSON.stringify({
    overShards: overShards.map((point, i) => ({ x: point.shards, y: bestShards[i] })),
    overNodes: overNodes.map((point, i) => ({ x: point.nodes, y: bestNodes[i] })),
    tableOverNodes: tableNodes.map((nodes, i) => ({ x: nodes, y: bestTables[i] })),
  })}\n`,
);
