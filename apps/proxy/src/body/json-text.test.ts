import { describe, expect, it } from "vitest";
import { jsonText } from "./json-text.js";

describe("JSON bytes that are not UTF-8", () => {
  it("are refused where serde_json refuses them, as one real node words it", () => {
    const bytes = Uint8Array.from([...Buffer.from('{"q":"'), 0xff, 0xfe, ...Buffer.from('"}')]);
    // One real Meilisearch node: `invalid unicode code point at line 1 column 9`.
    expect(jsonText(bytes)).toEqual({
      problem: "invalid unicode code point at line 1 column 9",
    });
    expect(jsonText(Buffer.from('{"q":"é東🎬"}'))).toEqual({ text: '{"q":"é東🎬"}' });
  });
});
