import { documentIdText, MAX_DOCUMENT_ID_BYTES, type PrimaryKeyValue } from "./document-id.js";
import { InvalidPrimaryKeyError, InvalidTopologyError } from "./errors.js";
import { digestMod, hashText, hashUtf8 } from "./hash/index.js";

/**
 * The largest shard count. It keeps `hi mod S · 2^32 mod S + lo` exact in a double,
 * so the 64-bit digest is reduced without a bigint.
 */
export const MAX_SHARDS = 1 << 20;

/** Throws unless `shards` is an integer in [1, MAX_SHARDS]. */
export function assertShardCount(shards: number): void {
  if (!(Number.isInteger(shards) && shards >= 1 && shards <= MAX_SHARDS)) {
    throw new InvalidTopologyError(
      `The shard count must be an integer between 1 and ${MAX_SHARDS}, got \`${shards}\`.`,
    );
  }
}

/**
 * The shard of a document: `XXH64(UTF8(pkString)) mod shards`, where `pkString` is the
 * id as Meilisearch stores it (`42` and `"42"` share a shard). Rejects an empty key, a
 * key over 511 UTF-8 bytes and a number that is not a safe integer with
 * `InvalidPrimaryKeyError` instead of answering a shard. The `[A-Za-z0-9_-]` alphabet is
 * `validateDocumentId`'s job, which the proxy runs on every batch before routing it.
 */
export function shardOf(primaryKey: PrimaryKeyValue, shards: number): number {
  assertShardCount(shards);
  const text = documentIdText(primaryKey);
  // UTF-8 never has fewer bytes than UTF-16 code units, so an over-long text is
  // rejected before it is encoded.
  if (text.length > MAX_DOCUMENT_ID_BYTES) {
    throw lengthRejection(primaryKey);
  }
  const length = hashText(text);
  if (length === 0 || length > MAX_DOCUMENT_ID_BYTES) {
    throw lengthRejection(primaryKey);
  }
  return digestMod(shards);
}

function lengthRejection(primaryKey: PrimaryKeyValue): InvalidPrimaryKeyError {
  return new InvalidPrimaryKeyError(
    primaryKey,
    `Document identifier \`${JSON.stringify(primaryKey)}\` is invalid: it must be between 1 and ${MAX_DOCUMENT_ID_BYTES} bytes long.`,
  );
}

/**
 * The shard of a document whose id, as Meilisearch stores it, is the UTF-8 text
 * `bytes[start, end)`: the same shard as `shardOf` of that text, hashed where it lies
 * (in a payload being routed) without making a string of it. The caller has checked the
 * id (1 to 511 bytes, Meilisearch's id rule); `shards` is checked here.
 */
export function shardOfUtf8(bytes: Uint8Array, start: number, end: number, shards: number): number {
  assertShardCount(shards);
  hashUtf8(bytes, start, end);
  return digestMod(shards);
}
