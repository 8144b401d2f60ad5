import { describe, expect, it } from "vitest";
import { compareCodePoints, comparePrimaryKeys, compareSortValues } from "./ranking-order.js";

describe("string order", () => {
  it("compares by code point like Meilisearch's byte order, astral characters last", () => {
    expect(compareCodePoints("\uffff", "😀")).toBeLessThan(0);
    expect(compareCodePoints("😀", "\uffff")).toBeGreaterThan(0);
    expect(compareCodePoints("a😀", "a😁")).toBeLessThan(0);
    expect(compareCodePoints("😀", "😀x")).toBeLessThan(0);
    expect(compareCodePoints("B", "a")).toBeLessThan(0);
  });
});

describe("sort values", () => {
  it("treats values that are neither numbers nor strings as equal", () => {
    expect(compareSortValues(true, [1], { a: 1 })).toBe(0);
    expect(compareSortValues(false, true, false)).toBe(0);
  });

  it("orders strings descending when asked", () => {
    expect(compareSortValues(false, "a", "b")).toBeGreaterThan(0);
  });
});

describe("primary-key tie-break", () => {
  it("puts a hit without a primary key last and compares other values as equal", () => {
    expect(comparePrimaryKeys(undefined, "a")).toBeGreaterThan(0);
    expect(comparePrimaryKeys("a", undefined)).toBeLessThan(0);
    expect(comparePrimaryKeys(undefined, undefined)).toBe(0);
    expect(comparePrimaryKeys(true, false)).toBe(0);
  });
});
