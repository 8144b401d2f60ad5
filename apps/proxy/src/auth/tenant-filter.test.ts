import { describe, expect, it } from "vitest";
import { andFilters, filterText } from "./tenant-filter.js";

describe("combining a tenant rule with the client's filter", () => {
  it("keeps the rule alone when the client has no filter", () => {
    expect(andFilters("genre = drama", undefined)).toBe("genre = drama");
    expect(andFilters("genre = drama", null)).toBe("genre = drama");
    expect(andFilters(["a = 1"], "")).toEqual(["a = 1"]);
  });

  it("ANDs both as top-level array elements, whatever form each has", () => {
    expect(andFilters("genre = drama", "year > 2000")).toEqual(["genre = drama", "year > 2000"]);
    expect(andFilters(["a = 1", ["b = 2", "c = 3"]], "d = 4")).toEqual([
      "a = 1",
      ["b = 2", "c = 3"],
      "d = 4",
    ]);
    expect(andFilters("a = 1", [["b = 2", "c = 3"]])).toEqual(["a = 1", ["b = 2", "c = 3"]]);
  });

  it("writes the array form as the string GET routes take", () => {
    expect(filterText("a = 1")).toBe("a = 1");
    expect(filterText(["a = 1", ["b = 2", "c = 3"]])).toBe("(a = 1) AND ((b = 2) OR (c = 3))");
  });
});
