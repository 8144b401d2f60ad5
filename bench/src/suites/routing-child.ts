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
 *
 * Each iteration is timed on the wall clock and in CPU time (user and system time of the
 * process), which other work on a shared machine does not inflate: MB per CPU-second is
 * the router's speed per core. `--warmup W` iterations run first, unmeasured, as a proxy
 * that has been routing for a while runs optimised code.
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
    warmup: { type: "string", default: "0" },
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

const route = () =>
  routeBatch({
    body: pieces,
    text: decodedPieces,
    format: "ndjson",
    primaryKey: "id",
    shards: SHARDS,
    targetsOf,
    csvDelimiter: ",",
    versionField: "_miroir_updated_at",
  });

/** CPU seconds the process has used (all its threads). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

for (let i = 0; i < Number(values.warmup); i++) await route();

const seconds: number[] = [];
const cpu: number[] = [];
const fromUs = monotonicMicroseconds();
for (let i = 0; i < Number(values.iterations); i++) {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  const routed = await route();
  cpu.push(cpuSeconds() - cpuStarted);
  seconds.push((performance.now() - started) / 1000);
  if (routed.documentCount !== documents || routed.rejection !== null) {
    throw new Error(`routed ${routed.documentCount} of ${documents} documents`);
  }
}
const window = { fromUs, toUs: monotonicMicroseconds() };
const peakRss = process.resourceUsage().maxRSS * 1024;

// The ceiling: V8's JSON.parse over the same lines, nothing else (lines split beforehand),
// warmed up as the router is, then the median of its passes.
const lines = Buffer.concat(pieces)
  .toString()
  .split("\n")
  .filter((line) => line !== "");
const PARSE_WARMUP = 2;
const PARSE_PASSES = 5;
const parseSeconds: number[] = [];
const parseCpu: number[] = [];
for (let pass = 0; pass < PARSE_WARMUP + PARSE_PASSES; pass++) {
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  for (const line of lines) JSON.parse(line);
  if (pass < PARSE_WARMUP) continue;
  parseCpu.push(cpuSeconds() - cpuStarted);
  parseSeconds.push((performance.now() - started) / 1000);
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const megabytes = bytes / 1e6;
process.stdout.write(
  `${JSON.stringify({
    documents,
    bytes,
    iterations: seconds.length,
    warmupIterations: Number(values.warmup),
    medianSeconds: median(seconds),
    megabytesPerSecond: megabytes / median(seconds),
    megabytesPerCpuSecond: megabytes / median(cpu),
    megabytesPerCpuSecondMean:
      megabytes / (cpu.reduce((sum, value) => sum + value, 0) / cpu.length),
    megabytesPerCpuSecondSlowest: megabytes / Math.max(...cpu),
    parseCeilingMegabytesPerSecond: megabytes / median(parseSeconds),
    parseCeilingMegabytesPerCpuSecond: megabytes / median(parseCpu),
    emptyRssBytes: emptyRss,
    peakRssBytes: peakRss,
    window,
  })}\n`,
);
