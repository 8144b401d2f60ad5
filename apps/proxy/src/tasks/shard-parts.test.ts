import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shardPartsOf, wholePayload } from "./shard-parts.js";

function ndjson(documents: readonly object[]): string {
  return documents.map((document) => `${JSON.stringify(document)}\n`).join("");
}

describe("a task's documents assembled from the nodes' parts", () => {
  it("holds every document exactly once, whichever replicas answered, shards ascending", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 7 }), { maxLength: 40 }),
        fc.array(fc.subarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 1 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (shards, nodesShards) => {
          const documents = shards.map((shard, id) => ({ _miroir_shard: shard, id }));
          const held = new Set(nodesShards.flat());
          const parts = nodesShards.map((owned, at) => {
            const mine = documents.filter((document) => owned.includes(document._miroir_shard));
            return shardPartsOf(`node-${at}`, mine.length === 1 ? mine[0] : ndjson(mine));
          });
          const expected = documents
            .filter((document) => held.has(document._miroir_shard))
            .sort((a, b) => a._miroir_shard - b._miroir_shard || a.id - b.id)
            .map(({ id }) => ({ id }));
          const payload = wholePayload(parts);
          const lines = payload.split("\n").filter((line) => line !== "");
          expect(lines.map((line) => JSON.parse(line))).toEqual(expected);
        },
      ),
    );
  });

  it("drops every _miroir_ field and keeps the others in their order", () => {
    const parts = shardPartsOf(
      "node-0",
      ndjson([{ _miroir_shard: 2, b: 1, _miroir_extra: true, a: { _miroir_shard: "kept" } }]),
    );
    expect(wholePayload([parts])).toBe('{"b":1,"a":{"_miroir_shard":"kept"}}\n');
  });

  it("answers nothing for an empty update file", () => {
    expect(wholePayload([shardPartsOf("node-0", null), shardPartsOf("node-1", "")])).toBe("");
  });

  it("refuses a node answer that is not documents of Miroir's shards", () => {
    for (const body of ["{not json}\n{}", ndjson([{ id: 1 }]), 42, [{ _miroir_shard: 1 }]]) {
      expect(() => shardPartsOf("node-3", body)).toThrow(
        expect.objectContaining({ code: "miroir_node_answer_invalid" }),
      );
    }
  });
});
