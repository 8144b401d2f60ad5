/**
 * UTF-8 encoding of hash inputs into one reused buffer, so routing a key allocates
 * nothing. ASCII (the only alphabet Meilisearch allows in document ids) is copied code
 * unit by code unit, which is cheaper than a TextEncoder call for short keys.
 */

const encoder = new TextEncoder();
let scratch = new Uint8Array(1024);

/** The buffer that `encodeKey` and `encodeScoreInput` fill. */
export function keyBuffer(): Uint8Array {
  return scratch;
}

function ensureCapacity(bytes: number): void {
  if (scratch.length < bytes) {
    scratch = new Uint8Array(Math.max(bytes, scratch.length * 2));
  }
}

/** Writes UTF-8(text) at `offset`; returns the end offset. */
function writeUtf8(text: string, offset: number): number {
  const n = text.length;
  ensureCapacity(offset + n * 3);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      return offset + i + encoder.encodeInto(text.slice(i), scratch.subarray(offset + i)).written;
    }
    scratch[offset + i] = c;
  }
  return offset + n;
}

/** Encodes `text` as UTF-8 at the start of the key buffer; returns its byte length. */
export function encodeKey(text: string): number {
  return writeUtf8(text, 0);
}

/**
 * Encodes the node-score tuple `UTF8(nodeId) ‖ 0xFF ‖ UTF8(decimal(shard)) ‖ 0xFF`
 * (0xFF never occurs in UTF-8, so the tuple is self-delimiting); returns its length.
 */
export function encodeScoreInput(nodeId: string, shard: number): number {
  let end = writeUtf8(nodeId, 0);
  ensureCapacity(end + 24);
  scratch[end++] = 0xff;
  end = writeUtf8(String(shard), end);
  scratch[end++] = 0xff;
  return end;
}
