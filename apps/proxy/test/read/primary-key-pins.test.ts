import { shardOf } from "@miroir/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pinnedShards } from "../../src/scatter/primary-key-pins.js";

const S = 64;
const pins = (filter: Parameters<typeof pinnedShards>[0]) => pinnedShards(filter, "id", S, 128);
const shardsOf = (...ids: (string | number)[]) =>
  [...new Set(ids.map((id) => shardOf(id, S)))].sort((a, b) => a - b);

describe("a search filtered on the primary key", () => {
  it.each([
    ["id = 42", shardsOf(42)],
    ['id = "42"', shardsOf(42)],
    ["id IN [1, 2, 300]", shardsOf(1, 2, 300)],
    ["genre = horror AND id = 7", shardsOf(7)],
    ["(id IN [5, 6]) AND year > 2000", shardsOf(5, 6)],
    ["id = 9 AND (genre = a OR genre = b)", shardsOf(9)],
    ["id in [8, 9]", shardsOf(8, 9)],
    ["id = -5", shardsOf(-5)],
    ["id = 12_34", shardsOf("12_34")],
  ])("%s goes only to the owning shards", (filter, expected) => {
    expect(pins(filter)).toEqual(expected);
  });

  it.each([
    ["id = 1 OR id = 2"],
    ["genre = a OR id = 2"],
    ["NOT id = 3"],
    ["id != 3"],
    ["id > 3"],
    ["id 1 TO 5"],
    ["id = abc"],
    ['id IN ["a_1", "b-2"] AND x = 1'],
    ["id = 007"],
    ["id = 1.5"],
    ["id EXISTS"],
    ["other = 4"],
    ["id = "],
    ['id = "unterminated'],
    ["id IN []"],
    ["id IN [1 2]"],
  ])("%s is sent to every shard", (filter) => {
    expect(pins(filter)).toBeNull();
  });

  it("reads the array form: AND of elements, a one-element OR group, never a wider OR", () => {
    expect(pins(["genre = a", "id = 4"])).toEqual(shardsOf(4));
    expect(pins([["id = 4"], "genre = a"])).toEqual(shardsOf(4));
    expect(pins([["id = 4", "id = 5"]])).toBeNull();
    expect(pins(null)).toBeNull();
  });

  it("is not narrowed past the configured number of literals", () => {
    expect(pinnedShards("id IN [1, 2, 3]", "id", S, 2)).toBeNull();
  });

  it("names the shards of exactly the listed integer ids, whatever the rest of the AND", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -1_000_000, max: 1_000_000 }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.constantFrom("", "genre = a AND ", "(year > 3 OR year < 1) AND "),
        (ids, prefix) => {
          expect(pins(`${prefix}id IN [${ids.join(", ")}]`)).toEqual(shardsOf(...ids));
        },
      ),
    );
  });
});
