import { describe, expect, it } from "vitest";
import { jsonDepthProblem, MAX_JSON_DEPTH } from "./json-depth.js";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("JSON nesting depth", () => {
  it("accepts up to Meilisearch's limit and words the first level past it as serde_json does", () => {
    expect(jsonDepthProblem(`{"q":"a","x":${nested(MAX_JSON_DEPTH - 1)}}`)).toBeNull();
    // One real Meilisearch node answers this body with `... at line 1 column 140`.
    expect(jsonDepthProblem(`{"q":"a","x":${nested(200)}}`)).toBe(
      "recursion limit exceeded at line 1 column 140",
    );
    expect(jsonDepthProblem(`{\n"x":${nested(200)}}`)).toBe(
      "recursion limit exceeded at line 2 column 131",
    );
  });

  it("does not count brackets inside strings", () => {
    expect(
      jsonDepthProblem(JSON.stringify({ q: "[".repeat(500), e: '\\"{'.repeat(300) })),
    ).toBeNull();
  });
});
