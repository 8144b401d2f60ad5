import { encodeScoreInput, keyBuffer } from "./key-bytes.js";
import { digestHi, digestLo, hashBytes, hashText } from "./xxh64.js";

export { digestHi, digestLo, digestMod, hashText } from "./xxh64.js";

/** XXH64 with seed 0 of a string's UTF-8 bytes, or of raw bytes, as an unsigned 64-bit bigint. */
export function xxh64(input: string | Uint8Array): bigint {
  if (typeof input === "string") {
    hashText(input);
  } else {
    hashBytes(input, input.length);
  }
  return (BigInt(digestHi()) << 32n) | BigInt(digestLo());
}

/** The same digest as `xxh64`, as 16 lower-case hex digits. */
export function xxh64Hex(input: string | Uint8Array): string {
  return xxh64(input).toString(16).padStart(16, "0");
}

/** Hashes the node-score tuple of `nodeId` and `shard`; read the digest with `digestHi`/`digestLo`. */
export function hashScoreInput(nodeId: string, shard: number): void {
  const length = encodeScoreInput(nodeId, shard); // may grow the key buffer, so read it afterwards
  hashBytes(keyBuffer(), length);
}
