import { parseArgs } from "node:util";
import { topologyFromConfig, writeTargets } from "@miroir/router";
import { benchDocuments } from "../data/bench-documents.js";
import { monotonicMicroseconds } from "../profile/cpu-profile-summary.js";

/**
 * Routes one NDJSON batch with the proxy's own batch router, alone in this process so that
 * its peak RSS is the router's: `--documents N` or `--megabytes M`, `--iterations K`.
 * Prints one JSON line with the timings and the memory it needed.
 *
 * The payload is held as UTF-8 byte pieces, as a request body arrives. The router is given
 * them as `body`, and as `text` decoded piece by piece on demand for a router that reads
 * decoded text: either way only the bytes stay in memory.
 */
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

const { values } = parseArgs({
  options: {
    documents: { type: "string" },
    megabytes: { type: "string" },
    iterations: { type: "string", default: "5" },
  },
});

// The batch router is internal to the proxy: load it from the built app, next to its entry.
const routeBatchModule = new URL("./write/route-batch.js", import.meta.resolve("@miroir/proxy"));
const { routeBatch } = (await import(routeBatchModule.href)) as { routeBatch: RouteBatch };

const SHARDS = 64;
const topology = topologyFromConfig(
  ["node-0", "node-1", "node-2"].map((id) => ({
    id,
    address: `http://${id}:7700`,
    replica_group: 0,
  })),
  { shards: SHARDS, replication_factor: 1, replica_groups: 1 },
);
const targetsOf = (shard: number) => writeTargets(shard, topology);

const emptyRss = process.memoryUsage().rss;
const byteGoal = values.megabytes === undefined ? Infinity : Number(values.megabytes) * 1024 * 1024;
const documentGoal = values.documents === undefined ? Infinity : Number(values.documents);
/** The payload as it arrives: pieces of about 1 000 NDJSON lines each. */
const pieces: Uint8Array[] = [];
let bytes = 0;
let documents = 0;
while (bytes < byteGoal && documents < documentGoal) {
  const count = Math.min(1_000, documentGoal - documents);
  const piece = `${benchDocuments(count, documents)
    .map((document) => JSON.stringify(document))
    .join("\n")}\n`;
  const encoded = Buffer.from(piece);
  pieces.push(encoded);
  bytes += encoded.byteLength;
  documents += count;
}

const decodedPieces: Iterable<string> = {
  *[Symbol.iterator]() {
    const decoder = new TextDecoder();
    for (const piece of pieces) yield decoder.decode(piece, { stream: true });
  },
};

const seconds: number[] = [];
const fromUs = monotonicMicroseconds();
for (let i = 0; i < Number(values.iterations); i++) {
  const started = performance.now();
  const routed = await routeBatch({
    body: pieces,
    text: decodedPieces,
    format: "ndjson",
    primaryKey: "id",
    shards: SHARDS,
    targetsOf,
    csvDelimiter: ",",
    versionField: "_miroir_updated_at",
  });
  seconds.push((performance.now() - started) / 1000);
  if (routed.documentCount !== documents || routed.rejection !== null) {
    throw new Error(`routed ${routed.documentCount} of ${documents} documents`);
  }
}
const window = { fromUs, toUs: monotonicMicroseconds() };
const peakRss = process.resourceUsage().maxRSS * 1024;

// The ceiling: V8's JSON.parse over the same lines, nothing else (lines split beforehand).
const lines = Buffer.concat(pieces)
  .toString()
  .split("\n")
  .filter((line) => line !== "");
const parseStarted = performance.now();
for (const line of lines) JSON.parse(line);
const parseSeconds = (performance.now() - parseStarted) / 1000;

const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)] as number;
process.stdout.write(
  `${JSON.stringify({
    documents,
    bytes,
    iterations: seconds.length,
    medianSeconds: median,
    megabytesPerSecond: bytes / 1e6 / median,
    parseCeilingMegabytesPerSecond: bytes / 1e6 / parseSeconds,
    emptyRssBytes: emptyRss,
    peakRssBytes: peakRss,
    window,
  })}\n`,
);
