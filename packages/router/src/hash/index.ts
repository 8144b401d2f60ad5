import { digestBigInt } from "./digest.js";
import { encodeKey, encodeScoreInput, keyBuffer } from "./key-bytes.js";
import { hashBytes } from "./xxh64.js";
import { hashShortAscii, hashShortBytes } from "./xxh64-ascii.js";

export { digestBigInt, digestHi, digestLo, digestMod } from "./digest.js";

/**
 * XXH64 (seed 0) of UTF-8(text) into the shared digest; returns the UTF-8 byte length.
 * Short ASCII keys, the usual primary keys, are read in place; others are encoded first.
 */
export function hashText(text: string): number {
  if (hashShortAscii(text)) {
    return text.length;
  }
  const length = encodeKey(text); // may grow the key buffer, so read it afterwards
  hashBytes(keyBuffer(), length);
  return length;
}

/**
 * XXH64 (seed 0) of the UTF-8 bytes `bytes[start, end)` into the shared digest, read where
 * they lie when short.
 */
export function hashUtf8(bytes: Uint8Array, start: number, end: number): void {
  if (hashShortBytes(bytes, start, end)) {
    return;
  }
  hashBytes(bytes.subarray(start, end), end - start);
}

/** Hashes the node-score tuple of `nodeId` and `shard` into the shared digest. */
export function hashScoreInput(nodeId: string, shard: number): void {
  const length = encodeScoreInput(nodeId, shard); // may grow the key buffer, so read it afterwards
  hashBytes(keyBuffer(), length);
}

/** XXH64 with seed 0 of a string's UTF-8 bytes, or of raw bytes, as an unsigned 64-bit bigint. */
export function xxh64(input: string | Uint8Array): bigint {
  if (typeof input === "string") {
    hashText(input);
  } else {
    hashBytes(input, input.length);
  }
  return digestBigInt();
}

/** The same digest as `xxh64`, as 16 lower-case hex digits. */
export function xxh64Hex(input: string | Uint8Array): string {
  return xxh64(input).toString(16).padStart(16, "0");
}
