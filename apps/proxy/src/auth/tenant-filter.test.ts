import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fuseFilters } from "./tenant-filter.js";

describe("fusing a tenant rule with the client's filter", () => {
  it("keeps the rule alone when the client sent no filter", () => {
    expect(fuseFilters("genre = drama", undefined)).toEqual(["genre = drama"]);
    expect(fuseFilters(["a = 1", ["b = 2"]], undefined)).toEqual(["a = 1", ["b = 2"]]);
  });

  it("puts a client string in an element of its own, never into the rule's text", () => {
    expect(fuseFilters("tenant = a", "genre = x) OR (tenant = b")).toEqual([
      "tenant = a",
      "genre = x) OR (tenant = b",
    ]);
  });

  it("appends a client array element by element, keeping its inner OR groups", () => {
    expect(fuseFilters(["a = 1", ["b = 2", "c = 3"]], "d = 4")).toEqual([
      "a = 1",
      ["b = 2", "c = 3"],
      "d = 4",
    ]);
    expect(fuseFilters("a = 1", [["b = 2", "c = 3"], "e = 5"])).toEqual([
      "a = 1",
      ["b = 2", "c = 3"],
      "e = 5",
    ]);
  });

  it("keeps a value that is no filter as an element, for the node to refuse", () => {
    expect(fuseFilters("a = 1", null)).toEqual(["a = 1", null]);
    expect(fuseFilters("a = 1", 3)).toEqual(["a = 1", 3]);
    expect(fuseFilters("a = 1", { x: 1 })).toEqual(["a = 1", { x: 1 }]);
  });

  it("always starts with every element of the rule, whatever the client sends", () => {
    const filter = fc.oneof(
      fc.string(),
      fc.array(fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 })), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(filter, fc.option(fc.jsonValue(), { nil: undefined }), (rule, client) => {
        const fused = fuseFilters(rule, client);
        const ruleTerms = Array.isArray(rule) ? rule : [rule];
        expect(fused.slice(0, ruleTerms.length)).toEqual(ruleTerms);
        expect(Array.isArray(fused)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
