import { topologyFromConfig, writeTargets } from "@miroir/router";
import { bench, describe } from "vitest";
import { routeBatch } from "./route-batch.js";

const nodes = Array.from({ length: 6 }, (_, i) => ({
  id: `node-${i}`,
  address: `http://127.0.0.1:${7701 + i}`,
  replica_group: i < 3 ? 0 : 1,
}));
const topology = topologyFromConfig(nodes, {
  shards: 64,
  replication_factor: 1,
  replica_groups: 2,
});
const targetsOf = (shard: number) => writeTargets(shard, topology);

const lines = Array.from({ length: 100_000 }, (_, id) =>
  JSON.stringify({
    id: `product-${id}`,
    title: `A product title number ${id}`,
    description: "Some text that makes a document about the size of a small catalogue entry.",
    price: (id % 1000) / 10,
    tags: ["red", "blue", "green"].slice(0, id % 3),
  }),
);
const ndjson = lines.join("\n");
const json = `[${lines.join(",")}]`;
const bytes = Buffer.from(ndjson);
/** The NDJSON body as the proxy reads it: 64 KiB chunks of bytes. */
const chunks = Array.from({ length: Math.ceil(bytes.length / 65_536) }, (_, i) =>
  bytes.subarray(i * 65_536, (i + 1) * 65_536),
);
const megabytes = bytes.length / 1e6;

/** The batch given one way (body chunks, or text), routed as the proxy routes it. */
const route = (input: { body: Uint8Array[] } | { text: string[] }, format: "ndjson" | "json") =>
  routeBatch({
    ...input,
    format,
    primaryKey: "id",
    shards: 64,
    targetsOf,
    csvDelimiter: ",",
    versionField: "_miroir_updated_at",
  });

describe(`routing a 100 000-document batch (${megabytes.toFixed(1)} MB, S=64, RG=2)`, () => {
  bench(
    "NDJSON body chunks: scan, validate, hash, inject _miroir_shard, regroup",
    async () => {
      await route({ body: chunks }, "ndjson");
    },
    { iterations: 10, warmupIterations: 2 },
  );
  bench(
    "NDJSON given as decoded text (encoded first)",
    async () => {
      await route({ text: [ndjson] }, "ndjson");
    },
    { iterations: 5, warmupIterations: 1 },
  );
  bench(
    "JSON array: parse, validate, hash, re-serialise, regroup",
    async () => {
      await route({ text: [json] }, "json");
    },
    { iterations: 5, warmupIterations: 1 },
  );
  bench(
    "JSON.parse of every NDJSON line alone (the ceiling)",
    () => {
      for (const line of lines) JSON.parse(line);
    },
    { iterations: 10, warmupIterations: 2 },
  );
});
