/**
 * The digest of the last hash computed, as two int32 halves [high, low]. A typed array
 * holds them without boxing, and sharing one result slot lets routing hash a key without
 * allocating a `bigint` or an object.
 */
export const digest = new Int32Array(2);

const TWO_32 = 0x1_0000_0000;

/** High 32 bits of the last digest, unsigned. */
export function digestHi(): number {
  return (digest[0] as number) >>> 0;
}

/** Low 32 bits of the last digest, unsigned. */
export function digestLo(): number {
  return (digest[1] as number) >>> 0;
}

/** The last digest as an unsigned 64-bit `bigint`. */
export function digestBigInt(): bigint {
  return (BigInt(digestHi()) << 32n) | BigInt(digestLo());
}

/** x mod n for integers 0 ≤ x < 2^53, without the slow floating-point `%`. */
function modulo(x: number, n: number): number {
  const r = x - Math.floor(x / n) * n;
  // x / n may round up to the next integer when x is just below a multiple of n.
  return r < 0 ? r + n : r;
}

/**
 * The last digest mod n, for 1 ≤ n ≤ 2^20: `hi mod n · 2^32 mod n + lo` then stays exact
 * in a double, so no `bigint` is needed.
 */
export function digestMod(n: number): number {
  if ((n & (n - 1)) === 0) {
    // 2^32 is a multiple of a power of two, so only the low half matters.
    return (digest[1] as number) & (n - 1);
  }
  return modulo(modulo(digestHi(), n) * modulo(TWO_32, n) + digestLo(), n);
}
