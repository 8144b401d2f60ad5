import { MeiliError } from "@miroir/errors";
import { shardOf } from "@miroir/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BatchRoutingInput, type RoutedBatch, routeBatch } from "./route-batch.js";

const SHARDS = 8;
/** Two nodes per shard: `a<shard mod 3>` and `b<shard mod 2>`. */
const targetsOf = (shard: number) => [`a${shard % 3}`, `b${shard % 2}`];

type Overrides = Partial<Omit<BatchRoutingInput, "text">> & { text?: string | string[] };

/** Routes a payload given whole or as pieces. */
function route(overrides: Overrides) {
  const { text = "", ...rest } = overrides;
  return routeBatch({
    text: typeof text === "string" ? [text] : text,
    format: "json",
    primaryKey: null,
    shards: SHARDS,
    targetsOf,
    csvDelimiter: ",",
    ...rest,
  });
}

const documentId = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
);
const documents = fc.uniqueArray(
  fc.record({ id: documentId, title: fc.string(), tags: fc.array(fc.string(), { maxLength: 3 }) }),
  { selector: (doc) => String(doc.id), minLength: 1, maxLength: 40 },
);

/** A shard's NDJSON records. */
function shardRecords(routed: RoutedBatch, shard: number): string[] {
  const body = routed.byShard.get(shard);
  return body === undefined ? [] : Buffer.concat(body).toString().split("\n");
}

function recordsOf(routed: RoutedBatch, nodeId: string): string[] {
  return (routed.byNode.get(nodeId) ?? []).flatMap((shard) => shardRecords(routed, shard));
}

describe("routeBatch", () => {
  it("sends every document, with _miroir_shard spliced in, to exactly the targets of its shard", async () => {
    await fc.assert(
      fc.asyncProperty(documents, fc.boolean(), async (batch, ndjson) => {
        const text = ndjson
          ? batch.map((doc) => JSON.stringify(doc)).join("\n")
          : JSON.stringify(batch);
        const routed = await route({ text, format: ndjson ? "ndjson" : "json" });
        expect(routed.rejection).toBeNull();
        expect(routed.primaryKey).toBe("id");
        expect(routed.documentCount).toBe(batch.length);
        const received = new Map<string, string[]>();
        for (const [nodeId, shards] of routed.byNode) {
          for (const record of recordsOf(routed, nodeId)) {
            const parsed = JSON.parse(record) as { id: string | number; _miroir_shard: number };
            const { _miroir_shard: shard, ...original } = parsed;
            expect(shard).toBe(shardOf(parsed.id, SHARDS));
            expect(shards).toContain(shard);
            expect(batch).toContainEqual(original);
            received.set(String(parsed.id), [...(received.get(String(parsed.id)) ?? []), nodeId]);
          }
        }
        for (const doc of batch) {
          expect(received.get(String(doc.id))?.sort()).toEqual(
            targetsOf(shardOf(doc.id, SHARDS)).sort(),
          );
        }
      }),
      { numRuns: 60 },
    );
  });

  it("keeps the acceptance order of the documents of each shard", async () => {
    const batch = Array.from({ length: 30 }, (_, i) => ({ id: i % 5, version: i }));
    const routed = await route({ text: JSON.stringify(batch) });
    for (const shard of routed.byShard.keys()) {
      const versions = shardRecords(routed, shard).map(
        (record) => (JSON.parse(record) as { version: number }).version,
      );
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
  });

  it("rejects the whole batch, routing nothing, when one document is bad", async () => {
    const cases: [unknown[], string][] = [
      [[{ id: 1 }, { id: "a b" }], "invalid_document_id"],
      [[{ id: 1 }, { title: "none" }], "missing_document_id"],
      [[{ id: 1 }, { id: null }], "missing_document_id"],
      [[{ id: 1 }, { id: 2, _miroir_shard: 0 }], "miroir_reserved_field"],
      [[{ id: 1.5 }], "invalid_document_id"],
      [[{ title: "no candidate" }], "index_primary_key_no_candidate_found"],
      [[{ id: 1, user_id: 2 }], "index_primary_key_multiple_candidates_found"],
    ];
    for (const [batch, code] of cases) {
      const routed = await route({ text: JSON.stringify(batch) });
      expect(routed.rejection?.code).toBe(code);
      expect(routed.byNode.size).toBe(0);
    }
  });

  it("uses a declared primary key instead of inferring one", async () => {
    const routed = await route({
      text: JSON.stringify([{ id: 1, sku: "x-1" }]),
      primaryKey: "sku",
    });
    expect(routed.rejection).toBeNull();
    expect(routed.shards).toEqual(new Set([shardOf("x-1", SHARDS)]));
  });

  it("throws malformed_payload and missing_payload for payload problems", async () => {
    const thrown = async (input: Overrides) => {
      try {
        await route(input);
      } catch (error) {
        return (error as MeiliError).code;
      }
      return undefined;
    };
    expect(await thrown({ text: "[{" })).toBe("malformed_payload");
    expect(await thrown({ text: "[1, 2]" })).toBe("malformed_payload");
    expect(await thrown({ text: '{"id":1}\n{"id":', format: "ndjson" })).toBe("malformed_payload");
    expect(await thrown({ text: '{"id":1}\n[1]', format: "ndjson" })).toBe("malformed_payload");
    expect(await thrown({ text: "" })).toBe("missing_payload");
    expect(await thrown({ text: "\n\n", format: "ndjson" })).toBe("missing_payload");
    expect(await thrown({ text: "", format: "csv" })).toBe("missing_payload");
    expect(await thrown({ text: 'id,title\n1,"open', format: "csv" })).toBe("malformed_payload");
    expect(await thrown({ text: "id,title\n1", format: "csv" })).toBe("malformed_payload");
    expect(await thrown({ text: "id:number\nabc", format: "csv" })).toBe("malformed_payload");
    expect(new MeiliError("malformed_payload", "x").status).toBe(400);
  });

  it("keeps CSV as CSV, with a typed shard column and quoted cells untouched", async () => {
    const text =
      'id;title;price:number\r\n1;"semi; colon";3.5\r\n"b-2";"multi\nline ""quoted""";\r\n';
    const routed = await route({ text, format: "csv", csvDelimiter: ";" });
    expect(routed.rejection).toBeNull();
    expect(routed.nodeFormat).toBe("csv");
    expect(routed.csvHeader).toBe("id;title;price:number;_miroir_shard:number");
    const bodies = new Map(
      [...routed.byShard].map(([shard, body]) => [shard, Buffer.concat(body).toString()]),
    );
    const first = `1;"semi; colon";3.5;${shardOf("1", SHARDS)}`;
    const second = `"b-2";"multi\nline ""quoted""";;${shardOf("b-2", SHARDS)}`;
    expect(bodies).toEqual(
      shardOf("1", SHARDS) === shardOf("b-2", SHARDS)
        ? new Map([[shardOf("1", SHARDS), `${first}\n${second}`]])
        : new Map([
            [shardOf("1", SHARDS), first],
            [shardOf("b-2", SHARDS), second],
          ]),
    );
  });

  it("validates CSV ids with Meilisearch's rule", async () => {
    const routed = await route({ text: "id,title\nok,1\nnot ok,2", format: "csv" });
    expect(routed.rejection?.code).toBe("invalid_document_id");
  });
});

describe("routeBatch over a streamed NDJSON body", () => {
  it("routes the same whatever the boundaries of the pieces, even inside a line", async () => {
    const lines = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ id: `e-${i}`, text: `ünïcødé ${i}` }),
    );
    const text = `${lines.join("\r\n")}\n\n`;
    const whole = await route({ text, format: "ndjson" });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 12 }),
        async (cuts) => {
          const bounds = [0, ...cuts.sort((a, b) => a - b), text.length];
          const pieces = bounds.slice(1).map((end, i) => text.slice(bounds[i], end));
          const streamed = await route({ text: pieces, format: "ndjson" });
          expect(streamed.byShard).toEqual(whole.byShard);
          expect(streamed.byNode).toEqual(whole.byNode);
        },
      ),
      { numRuns: 40 },
    );
  });
});
