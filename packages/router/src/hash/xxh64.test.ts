import fc from "fast-check";
import { describe, expect, it } from "vitest";
import xxhashWasm from "xxhash-wasm";
import { xxh64, xxh64Hex } from "./index.js";

const reference = await xxhashWasm();

describe("xxh64", () => {
  it("agrees with the xxhash-wasm XXH64 on random bytes of every length up to 300", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 300 }), (bytes) => {
        expect(xxh64(bytes)).toBe(reference.h64Raw(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it("hashes a string as its UTF-8 bytes, including non-ASCII and astral characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (text) => {
        expect(xxh64(text)).toBe(reference.h64Raw(new TextEncoder().encode(text)));
      }),
      { numRuns: 300 },
    );
  });

  it("hashes short ASCII keys in place exactly as their bytes", () => {
    const ascii = fc.string({
      unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    });
    fc.assert(
      fc.property(ascii, (text) => {
        const bytes = new TextEncoder().encode(text);
        expect(xxh64(text)).toBe(xxh64(bytes));
        expect(xxh64(text)).toBe(reference.h64Raw(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("falls back to UTF-8 bytes for a short key with a non-ASCII unit at any position", () => {
    for (const unit of ["é", "Ā", "名", "\u{1F600}"]) {
      for (let length = 1; length <= 31; length++) {
        for (let at = 0; at < length; at++) {
          const text = "k".repeat(at) + unit + "k".repeat(length - at - 1);
          expect(xxh64(text)).toBe(reference.h64Raw(new TextEncoder().encode(text)));
        }
      }
    }
  });

  it("hashes keys longer than its scratch buffer", () => {
    const long = "é".repeat(3000);
    expect(xxh64(long)).toBe(reference.h64(long));
  });

  it("pads hex digests to 16 digits", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const hex = xxh64Hex(text);
        expect(hex).toMatch(/^[0-9a-f]{16}$/);
        expect(BigInt(`0x${hex}`)).toBe(xxh64(text));
      }),
      { numRuns: 100 },
    );
  });
});
