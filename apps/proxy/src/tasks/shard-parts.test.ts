import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatenatedValues, shardPartsOf, wholePayload } from "./shard-parts.js";

/** An update file as a node answers it: JSON objects one after the other. */
function updateFile(documents: readonly object[]): string {
  return documents.map((document) => JSON.stringify(document)).join("");
}

function ndjson(documents: readonly object[]): string {
  return documents.map((document) => `${JSON.stringify(document)}\n`).join("");
}

const parsed = (payload: string) => concatenatedValues(payload).map((text) => JSON.parse(text));

describe("a task's documents assembled from the nodes' parts", () => {
  it("holds every document exactly once, whichever replicas answered, shards ascending", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 7 }), fc.string()), { maxLength: 40 }),
        fc.array(fc.subarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.boolean(),
        (shards, nodesShards, newlines) => {
          const documents = shards.map(([shard, text], id) => ({ _miroir_shard: shard, id, text }));
          const held = new Set(nodesShards.flat());
          const parts = nodesShards.map((owned, at) => {
            const mine = documents.filter((document) => owned.includes(document._miroir_shard));
            const body = newlines ? ndjson(mine) : updateFile(mine);
            return shardPartsOf(`node-${at}`, mine.length === 1 ? mine[0] : body);
          });
          const expected = documents
            .filter((document) => held.has(document._miroir_shard))
            .sort((a, b) => a._miroir_shard - b._miroir_shard || a.id - b.id)
            .map(({ id, text }) => ({ id, text }));
          const payload = wholePayload(parts);
          expect(payload).toBe(expected.map((document) => JSON.stringify(document)).join(""));
          expect(parsed(payload)).toEqual(expected);
        },
      ),
    );
  });

  it("reads values written one after the other, whatever their strings hold", () => {
    const objects = fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 8 });
    fc.assert(
      fc.property(objects, (values) => {
        const text = values.map((value) => JSON.stringify(value)).join("");
        expect(concatenatedValues(text).map((part) => JSON.parse(part))).toEqual(
          values.map((value) => JSON.parse(JSON.stringify(value))),
        );
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { maxLength: 8 }), (values) => {
        const text = values.map((value) => JSON.stringify(value)).join(" \n");
        expect(concatenatedValues(text).map((part) => JSON.parse(part))).toEqual(
          values.map((value) => JSON.parse(JSON.stringify(value))),
        );
      }),
    );
    expect(concatenatedValues('{"t":"x\\n}{\\"{"}{"id":2}')).toEqual([
      '{"t":"x\\n}{\\"{"}',
      '{"id":2}',
    ]);
  });

  it("drops every _miroir_ field and keeps the others in their order", () => {
    const parts = shardPartsOf(
      "node-0",
      updateFile([
        { _miroir_shard: 2, b: 1, _miroir_extra: true, a: { _miroir_shard: "kept" } },
        { _miroir_shard: 2, c: "}{" },
      ]),
    );
    expect(wholePayload([parts])).toBe('{"b":1,"a":{"_miroir_shard":"kept"}}{"c":"}{"}');
  });

  it("answers nothing for an empty update file", () => {
    expect(wholePayload([shardPartsOf("node-0", null), shardPartsOf("node-1", "")])).toBe("");
  });

  it("refuses a node answer that is not documents of Miroir's shards", () => {
    for (const body of ["{not json}{}", updateFile([{ id: 1 }]), 42, [{ _miroir_shard: 1 }]]) {
      expect(() => shardPartsOf("node-3", body)).toThrow(
        expect.objectContaining({ code: "miroir_node_answer_invalid" }),
      );
    }
  });
});
