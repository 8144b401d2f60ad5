import { MeiliError } from "@miroir/errors";
import { shardOf } from "@miroir/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type BatchRoutingInput, type RoutedBatch, routeBatch } from "./route-batch.js";
import { withShard } from "./shard-records.js";

const SHARDS = 8;
const VERSION_FIELD = "_miroir_updated_at";
/** The version every routed batch of these tests is stamped with. */
const V = 1_750_000_000_000_042;
/** Two nodes per shard: `a<shard mod 3>` and `b<shard mod 2>`. */
const targetsOf = (shard: number) => [`a${shard % 3}`, `b${shard % 2}`];

type Overrides = Partial<Omit<BatchRoutingInput, "text" | "body">> & { text?: string | string[] };

/** Routes a payload given whole or as pieces, then stamps it with version `V`. */
async function route(overrides: Overrides) {
  const { text = "", ...rest } = overrides;
  return stamped(
    await routeBatch({
      text: typeof text === "string" ? [text] : text,
      format: "json",
      primaryKey: null,
      shards: SHARDS,
      targetsOf,
      csvDelimiter: ",",
      versionField: VERSION_FIELD,
      ...rest,
    }),
  );
}

function stamped(routed: RoutedBatch): RoutedBatch {
  routed.stamp(V);
  return routed;
}

/** `withShard`'s record with the placeholder replaced by `V`. */
function expectedRecord(line: string, shard: number): string {
  const { record, versionAt } = withShard(line, shard, VERSION_FIELD);
  if (versionAt === null) throw new Error("a version field was given");
  return `${record.slice(0, versionAt)}${V}${record.slice(versionAt + 16)}`;
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
  it("sends every document, with _miroir_shard and its version spliced in, to exactly the targets of its shard", async () => {
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
            const parsed = JSON.parse(record) as {
              id: string | number;
              _miroir_shard: number;
              _miroir_updated_at: number;
            };
            const { _miroir_shard: shard, _miroir_updated_at: version, ...original } = parsed;
            expect(shard).toBe(shardOf(parsed.id, SHARDS));
            expect(version).toBe(V);
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

  it("writes no version at all when anti-entropy is off, JSON or CSV", async () => {
    const json = await route({ text: '[{"id":1},{"id":"b"}]', versionField: null });
    expect(
      new Set([...json.byShard.values()].map((body) => Buffer.concat(body).toString())),
    ).toEqual(
      new Set([
        `{"_miroir_shard":${shardOf(1, SHARDS)},"id":1}`,
        `{"_miroir_shard":${shardOf("b", SHARDS)},"id":"b"}`,
      ]),
    );
    const csv = await route({ text: "id\n7\n", format: "csv", versionField: null });
    expect(csv.csvHeader).toBe("id,_miroir_shard:number");
    expect(Buffer.concat(csv.byShard.get(shardOf("7", SHARDS)) ?? []).toString()).toBe(
      `7,${shardOf("7", SHARDS)}`,
    );
  });

  it("keeps CSV as CSV, with a typed shard column and quoted cells untouched", async () => {
    const text =
      'id;title;price:number\r\n1;"semi; colon";3.5\r\n"b-2";"multi\nline ""quoted""";\r\n';
    const routed = await route({ text, format: "csv", csvDelimiter: ";" });
    expect(routed.rejection).toBeNull();
    expect(routed.nodeFormat).toBe("csv");
    expect(routed.csvHeader).toBe(
      "id;title;price:number;_miroir_shard:number;_miroir_updated_at:number",
    );
    const bodies = new Map(
      [...routed.byShard].map(([shard, body]) => [shard, Buffer.concat(body).toString()]),
    );
    const first = `1;"semi; colon";3.5;${shardOf("1", SHARDS)};${V}`;
    const second = `"b-2";"multi\nline ""quoted""";;${shardOf("b-2", SHARDS)};${V}`;
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

/** Random cut points of something `length` long, as `[start, end)` piece bounds. */
const pieceBounds = (length: number) =>
  fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: 12 }).map((cuts) => {
    const bounds = [0, ...cuts.sort((a, b) => a - b), length];
    return bounds.slice(1).map((end, i) => [bounds[i] as number, end] as const);
  });

describe("routeBatch over a streamed NDJSON body", () => {
  it("routes the same whatever the boundaries of the pieces, even inside a line or a surrogate pair", async () => {
    const lines = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ id: `e-${i}`, text: `ünïcødé 😀 ${i}` }),
    );
    const text = `${lines.join("\r\n")}\n\n`;
    const whole = await route({ text, format: "ndjson" });
    await fc.assert(
      fc.asyncProperty(pieceBounds(text.length), async (bounds) => {
        const pieces = bounds.map(([start, end]) => text.slice(start, end));
        const streamed = await route({ text: pieces, format: "ndjson" });
        expect(streamed.byShard).toEqual(whole.byShard);
        expect(streamed.byNode).toEqual(whole.byNode);
      }),
      { numRuns: 40 },
    );
  });
});

describe("routeBatch over NDJSON bytes", () => {
  const ndjson = async (body: string | Buffer, primaryKey: string | null = "id") =>
    stamped(
      await routeBatch({
        body: [typeof body === "string" ? Buffer.from(body) : body],
        format: "ndjson",
        primaryKey,
        shards: SHARDS,
        targetsOf,
        csvDelimiter: ",",
        versionField: VERSION_FIELD,
      }),
    );
  const bodiesOf = (routed: RoutedBatch) =>
    new Map([...routed.byShard].map(([shard, body]) => [shard, Buffer.concat(body).toString()]));
  const failure = async (body: string | Buffer) => {
    try {
      await ndjson(body);
    } catch (error) {
      return (error as MeiliError).message;
    }
    return undefined;
  };

  it("routes the same whatever the boundaries of the body's chunks, even inside a character", async () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ id: `e-${i}`, text: `ünïcødé € 😀 ${i}` }),
    );
    const bytes = Buffer.from(`\ufeff${lines.join("\r\n")}\n\n`);
    const whole = await ndjson(bytes);
    await fc.assert(
      fc.asyncProperty(pieceBounds(bytes.length), async (bounds) => {
        const chunks = bounds.map(([start, end]) => bytes.subarray(start, end));
        const streamed = stamped(
          await routeBatch({
            body: chunks,
            format: "ndjson",
            primaryKey: "id",
            shards: SHARDS,
            targetsOf,
            csvDelimiter: ",",
            versionField: VERSION_FIELD,
          }),
        );
        expect(bodiesOf(streamed)).toEqual(bodiesOf(whole));
        expect(streamed.byNode).toEqual(whole.byNode);
      }),
      { numRuns: 40 },
    );
    expect(bodiesOf(whole).size).toBeGreaterThan(1);
  });

  const spacing = fc.constantFrom("", " ", "\t");
  const oddDocument = fc
    .tuple(
      documentId,
      fc.jsonValue({ maxDepth: 2 }),
      fc.boolean(),
      spacing,
      spacing,
      fc.constantFrom("", "\r"),
    )
    .map(([id, extra, idFirst, inside, outside, end]) => {
      const idMember = `"id"${inside}:${inside}${JSON.stringify(id)}`;
      const extraMember = `"extra":${JSON.stringify(extra)}`;
      const members = idFirst ? [idMember, extraMember] : [extraMember, idMember];
      return { id, line: `${outside}{${inside}${members.join(`,${inside}`)}}${outside}${end}` };
    });

  it("sends each line as it was written, behind _miroir_shard and the version, whatever its spacing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(oddDocument, { selector: (doc) => doc.id }), async (docs) => {
        fc.pre(docs.length > 0);
        const routed = await ndjson(docs.map((doc) => doc.line).join("\n"));
        const expected = new Map<number, string[]>();
        for (const { id, line } of docs) {
          const shard = shardOf(id, SHARDS);
          const sent = line.endsWith("\r") ? line.slice(0, -1) : line;
          expected.set(shard, [...(expected.get(shard) ?? []), expectedRecord(sent, shard)]);
        }
        expect(routed.rejection).toBeNull();
        expect(bodiesOf(routed)).toEqual(
          new Map([...expected].map(([shard, records]) => [shard, records.join("\n")])),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("reads escaped names and values, a leading byte-order mark and numeric ids as JSON.parse does", async () => {
    const routed = await ndjson('\ufeff{"id":"a\\u0062"}\n{"\\u0069d":1e1}\n{"id":-0}');
    expect(routed.rejection).toBeNull();
    expect(bodiesOf(routed)).toEqual(
      new Map(
        [
          [shardOf("ab", SHARDS), '{"_miroir_shard":S,"_miroir_updated_at":V,"id":"a\\u0062"}'],
          [shardOf(10, SHARDS), '{"_miroir_shard":S,"_miroir_updated_at":V,"\\u0069d":1e1}'],
          [shardOf(0, SHARDS), '{"_miroir_shard":S,"_miroir_updated_at":V,"id":-0}'],
        ].reduce((bodies, [shard, record]) => {
          const text = (record as string).replace("S", String(shard)).replace("V", String(V));
          const before = bodies.get(shard as number);
          return bodies.set(shard as number, before === undefined ? text : `${before}\n${text}`);
        }, new Map<number, string>()),
      ),
    );
  });

  it("rejects reserved, missing and invalid ids with Meilisearch's messages, even when escaped", async () => {
    const reasons = async (body: string, primaryKey: string | null = "id") => {
      const routed = await ndjson(body, primaryKey);
      return [routed.rejection?.code, routed.rejection?.message, routed.byNode.size];
    };
    expect(await reasons('{"id":1}\n{"\\u005fmiroir_shard":3,"id":2}')).toEqual([
      "miroir_reserved_field",
      "The document attribute `_miroir_shard` is reserved: attributes starting with `_miroir_` are managed by Miroir.",
      0,
    ]);
    expect(await reasons('{"id":1}\n{ "title" : "x" }')).toEqual([
      "missing_document_id",
      'Document doesn\'t have a `id` attribute: `{"title":"x"}`.',
      0,
    ]);
    expect((await reasons('{"id":"été"}'))[0]).toBe("invalid_document_id");
    expect((await reasons('{"id":1.5}'))[1]).toContain("Document identifier `1.5` is invalid");
    expect((await reasons('{"id":"x"}', "constructor"))[0]).toBe("invalid_document_id");
    expect((await reasons(`{"id":"${"a".repeat(512)}"}`))[1]).toContain(
      "can not be more than 511 bytes",
    );
    expect((await reasons(`{"id":"${"a".repeat(511)}"}`))[0]).toBeUndefined();
    expect((await reasons('{"id":"a b"}'))[0]).toBe("invalid_document_id");
    const nested = await ndjson('{"a":{"b":"k-1"}}', "a.b");
    expect(nested.shards).toEqual(new Set([shardOf("k-1", SHARDS)]));
  });

  it("keeps JSON.parse's message and the line number for a malformed line", async () => {
    const expected = (() => {
      try {
        JSON.parse('{"id":01}');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(await failure('{"id":1}\r\n\n{"id":01}')).toBe(
      `The \`ndjson\` payload provided is malformed. \`${expected} at line 3\`.`,
    );
    expect(await failure('{"id":1}\n\ufeff{"id":2}')).toContain("at line 2");
    expect(await failure('{"id":1}\n"text"')).toBe(
      "The `ndjson` payload provided is malformed. `expected a JSON object at line 2`.",
    );
  });

  it("sends a string that is not UTF-8 as its decoding reads it, as when parsing the text", async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"id":1,"t":"a'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    const routed = await ndjson(bytes);
    expect(bodiesOf(routed).get(shardOf(1, SHARDS))).toBe(
      `{"_miroir_shard":${shardOf(1, SHARDS)},"_miroir_updated_at":${V},"id":1,"t":"a\ufffd"}`,
    );
  });

  /**
   * Any primary-key value a client might send, written any way JSON allows: mostly valid
   * ones (an invalid one rejects the whole batch), edge numbers often.
   */
  const anyId = fc.oneof(
    { arbitrary: fc.integer({ min: -1_000_000, max: 1_000_000 }), weight: 8 },
    { arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/), weight: 8 },
    {
      arbitrary: fc.constantFrom(
        0,
        -0,
        999_999_999_999_999,
        -999_999_999_999_999,
        1_000_000_000_000_000,
        1_234_567_890_123_456,
        2 ** 53 - 1,
        -(2 ** 53) + 1,
      ),
      weight: 4,
    },
    {
      arbitrary: fc.oneof(
        fc.constantFrom(1.5, 1e21, 2 ** 53, 2 ** 53 + 2, "", null, true, undefined),
        fc.string({ unit: "binary", maxLength: 12 }),
      ),
      weight: 1,
    },
  );
  /** How a number is written: as JSON.stringify writes it, or with a fraction or exponent. */
  const numberText = (value: number, style: number) => {
    const text = Object.is(value, -0) ? "-0" : JSON.stringify(value);
    if (style === 1 && /^-?[0-9]+$/.test(text)) return `${text}.0`;
    return style === 2 ? value.toExponential() : text;
  };
  /** JSON text with some of its non-ASCII characters (all inside strings) as `\\uXXXX`. */
  const escaped = (json: string, every: number) =>
    every === 0
      ? json
      : json.replace(/[\u{80}-\u{10ffff}]/gu, (character, at: number) =>
          at % every === 0
            ? [...Array(character.length).keys()]
                .map((unit) => `\\u${character.charCodeAt(unit).toString(16).padStart(4, "0")}`)
                .join("")
            : character,
        );
  const anyLine = fc
    .tuple(
      anyId,
      fc.integer({ min: 0, max: 2 }),
      fc.dictionary(fc.string({ unit: "binary", maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }),
      fc.boolean(),
      fc.integer({ min: 0, max: 3 }),
    )
    .map(([id, style, extra, idFirst, every]) => {
      const members = Object.entries(extra)
        .filter(([name]) => name !== "id" && name !== "__proto__")
        .map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`);
      if (id !== undefined) {
        const text = typeof id === "number" ? numberText(id, style) : JSON.stringify(id);
        members[idFirst ? "unshift" : "push"](`"id":${text}`);
      }
      return escaped(`{${members.join(",")}}`, every);
    });

  it("routes each line on its bytes exactly as JSON.parse of the line would: shards, documents, rejection", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyLine, { minLength: 1, maxLength: 30 }),
        fc.constantFrom("id", null),
        async (lines, primaryKey) => {
          const bytePath = await ndjson(lines.join("\n"), primaryKey);
          // The parse path: the same documents parsed whole, as a JSON array.
          const parsePath = await route({ text: `[${lines.join(",")}]`, primaryKey });
          expect(bytePath.rejection).toEqual(parsePath.rejection);
          expect(bytePath.documentCount).toBe(parsePath.documentCount);
          expect(bytePath.primaryKey).toBe(parsePath.primaryKey);
          expect(bytePath.byNode).toEqual(parsePath.byNode);
          // Each record as JSON.stringify writes its document (the byte path keeps a
          // line's own spelling, such as `-0` or `1.0`, where the parse path rewrites it).
          const documentsOf = (routed: RoutedBatch) =>
            new Map(
              [...routed.byShard.keys()].map((shard) => [
                shard,
                shardRecords(routed, shard).map((record) => JSON.stringify(JSON.parse(record))),
              ]),
            );
          expect(documentsOf(bytePath)).toEqual(documentsOf(parsePath));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stamps every record of a large batch, across the many blocks and slabs of each shard", async () => {
    const filler = "x".repeat(300);
    const lines = Array.from({ length: 6_000 }, (_, i) => JSON.stringify({ id: i, filler }));
    const routed = await ndjson(lines.join("\n"));
    expect(routed.rejection).toBeNull();
    const records = [...routed.byShard.keys()].flatMap((shard) => shardRecords(routed, shard));
    expect(
      Math.max(...[...routed.byShard.values()].map((blocks) => blocks.length)),
    ).toBeGreaterThan(4);
    expect(records).toHaveLength(lines.length);
    for (const record of records) {
      const document = JSON.parse(record) as Record<string, unknown>;
      expect(document[VERSION_FIELD]).toBe(V);
      expect(document._miroir_shard).toBe(shardOf(document.id as number, SHARDS));
    }
  });
});
