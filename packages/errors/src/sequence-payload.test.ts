import { describe, expect, it } from "vitest";
import { notASequence } from "./sequence-payload.js";

describe("a body that must be an array", () => {
  it("is refused at its first value, as a node's JSON reader words it", () => {
    const refused = (found: string, column: number, line = 1) =>
      `Json deserialize error: invalid type: ${found}, expected a sequence at line ${line} column ${column}`;
    expect(notASequence("null")).toBe(refused("null", 4));
    expect(notASequence("true")).toBe(refused("boolean `true`", 4));
    expect(notASequence("12")).toBe(refused("integer `12`", 2));
    expect(notASequence("1.50")).toBe(refused("floating point `1.5`", 4));
    expect(notASequence('"ab"')).toBe(refused('string "ab"', 4));
    expect(notASequence('{"a":')).toBe(refused("map", 0));
    expect(notASequence("\n  null")).toBe(refused("null", 6, 2));
  });

  it("leaves arrays, and bodies that start no value, to the JSON parser", () => {
    expect(notASequence("[1,")).toBeNull();
    expect(notASequence("  [")).toBeNull();
    expect(notASequence("x")).toBeNull();
    expect(notASequence("")).toBeNull();
  });
});
