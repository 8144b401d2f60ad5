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

describe("JSON bytes that are not UTF-8", () => {
  it("are refused where serde_json refuses them, as one real node words it", async () => {
    const { jsonText } = await import("./json-text.js");
    const bytes = Uint8Array.from([...Buffer.from('{"q":"'), 0xff, 0xfe, ...Buffer.from('"}')]);
    // One real Meilisearch node: `invalid unicode code point at line 1 column 9`.
    expect(jsonText(bytes)).toEqual({
      problem: "invalid unicode code point at line 1 column 9",
    });
    expect(jsonText(Buffer.from('{"q":"é東🎬"}'))).toEqual({ text: '{"q":"é東🎬"}' });
  });
});
