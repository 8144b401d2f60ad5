/**
 * XXH64 (seed 0) in plain TypeScript on pairs of u32.
 *
 * Chosen over xxhash-wasm and xxhash-addon by measurement (see the package bench and
 * README): for the short keys Miroir hashes, crossing into wasm or a native addon and
 * building a `bigint` costs more than the hash itself. The 64-bit state lives in module
 * scratch variables (`outHi`, `outLo`) so that hashing a key allocates nothing.
 */

// The five XXH64 primes, split into high and low 32-bit halves.
const P1_HI = 0x9e3779b1;
const P1_LO = 0x85ebca87;
const P2_HI = 0xc2b2ae3d;
const P2_LO = 0x27d4eb4f;
const P3_HI = 0x165667b1;
const P3_LO = 0x9e3779f9;
const P4_HI = 0x85ebca77;
const P4_LO = 0xc2b2ae63;
const P5_HI = 0x27d4eb2f;
const P5_LO = 0x165667c5;

const TWO_32 = 0x1_0000_0000;

// Result of the last 64-bit operation (and of `hashBytes`).
let outHi = 0;
let outLo = 0;

/** (aHi,aLo) × (bHi,bLo) mod 2^64 into outHi/outLo. */
function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  // Every partial product is below 2^32, so doubles hold them exactly.
  const mid = a0 * b1 + a1 * b0;
  const low = a0 * b0 + (mid % 0x10000) * 0x10000;
  const carry = Math.floor(low / TWO_32) + Math.floor(mid / 0x10000);
  outLo = low >>> 0;
  outHi = (a1 * b1 + carry + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
}

/** (aHi,aLo) + (bHi,bLo) mod 2^64 into outHi/outLo. */
function add64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const lo = aLo + bLo;
  outLo = lo >>> 0;
  outHi = (aHi + bHi + (lo >= TWO_32 ? 1 : 0)) >>> 0;
}

/** rotl64(x, r) into outHi/outLo, for 0 < r < 64. */
function rotl64(hi: number, lo: number, r: number): void {
  if (r < 32) {
    outHi = ((hi << r) | (lo >>> (32 - r))) >>> 0;
    outLo = ((lo << r) | (hi >>> (32 - r))) >>> 0;
  } else if (r === 32) {
    outHi = lo;
    outLo = hi;
  } else {
    const s = r - 32;
    outHi = ((lo << s) | (hi >>> (32 - s))) >>> 0;
    outLo = ((hi << s) | (lo >>> (32 - s))) >>> 0;
  }
}

/** XXH64's round: rotl(acc + lane·P2, 31)·P1, into outHi/outLo. */
function round(accHi: number, accLo: number, laneHi: number, laneLo: number): void {
  mul64(laneHi, laneLo, P2_HI, P2_LO);
  add64(accHi, accLo, outHi, outLo);
  rotl64(outHi, outLo, 31);
  mul64(outHi, outLo, P1_HI, P1_LO);
}

function u32At(bytes: Uint8Array, i: number): number {
  return (
    ((bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24)) >>>
    0
  );
}

/**
 * XXH64 (seed 0) of `bytes[0, length)`; the digest is left in outHi/outLo (read it with
 * `digestHi`/`digestLo`).
 */
export function hashBytes(bytes: Uint8Array, length: number): void {
  let i = 0;
  let hHi: number;
  let hLo: number;
  if (length >= 32) {
    // v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1 (all mod 2^64)
    add64(P1_HI, P1_LO, P2_HI, P2_LO);
    let v1Hi = outHi;
    let v1Lo = outLo;
    let v2Hi = P2_HI;
    let v2Lo = P2_LO;
    let v3Hi = 0;
    let v3Lo = 0;
    let v4Lo = (TWO_32 - P1_LO) >>> 0;
    // P1_LO is non-zero, so negating borrows nothing from the high half.
    let v4Hi = ~P1_HI >>> 0;
    const limit = length - 32;
    while (i <= limit) {
      round(v1Hi, v1Lo, u32At(bytes, i + 4), u32At(bytes, i));
      v1Hi = outHi;
      v1Lo = outLo;
      round(v2Hi, v2Lo, u32At(bytes, i + 12), u32At(bytes, i + 8));
      v2Hi = outHi;
      v2Lo = outLo;
      round(v3Hi, v3Lo, u32At(bytes, i + 20), u32At(bytes, i + 16));
      v3Hi = outHi;
      v3Lo = outLo;
      round(v4Hi, v4Lo, u32At(bytes, i + 28), u32At(bytes, i + 24));
      v4Hi = outHi;
      v4Lo = outLo;
      i += 32;
    }
    rotl64(v1Hi, v1Lo, 1);
    hHi = outHi;
    hLo = outLo;
    rotl64(v2Hi, v2Lo, 7);
    add64(hHi, hLo, outHi, outLo);
    hHi = outHi;
    hLo = outLo;
    rotl64(v3Hi, v3Lo, 12);
    add64(hHi, hLo, outHi, outLo);
    hHi = outHi;
    hLo = outLo;
    rotl64(v4Hi, v4Lo, 18);
    add64(hHi, hLo, outHi, outLo);
    hHi = outHi;
    hLo = outLo;
    for (const [vHi, vLo] of [
      [v1Hi, v1Lo],
      [v2Hi, v2Lo],
      [v3Hi, v3Lo],
      [v4Hi, v4Lo],
    ] as const) {
      round(0, 0, vHi, vLo);
      hHi = (hHi ^ outHi) >>> 0;
      hLo = (hLo ^ outLo) >>> 0;
      mul64(hHi, hLo, P1_HI, P1_LO);
      add64(outHi, outLo, P4_HI, P4_LO);
      hHi = outHi;
      hLo = outLo;
    }
    add64(hHi, hLo, Math.floor(length / TWO_32), length >>> 0);
  } else {
    add64(P5_HI, P5_LO, 0, length);
  }
  hHi = outHi;
  hLo = outLo;

  while (i + 8 <= length) {
    round(0, 0, u32At(bytes, i + 4), u32At(bytes, i));
    rotl64((hHi ^ outHi) >>> 0, (hLo ^ outLo) >>> 0, 27);
    mul64(outHi, outLo, P1_HI, P1_LO);
    add64(outHi, outLo, P4_HI, P4_LO);
    hHi = outHi;
    hLo = outLo;
    i += 8;
  }
  if (i + 4 <= length) {
    mul64(0, u32At(bytes, i), P1_HI, P1_LO);
    rotl64((hHi ^ outHi) >>> 0, (hLo ^ outLo) >>> 0, 23);
    mul64(outHi, outLo, P2_HI, P2_LO);
    add64(outHi, outLo, P3_HI, P3_LO);
    hHi = outHi;
    hLo = outLo;
    i += 4;
  }
  while (i < length) {
    mul64(0, bytes[i] as number, P5_HI, P5_LO);
    rotl64((hHi ^ outHi) >>> 0, (hLo ^ outLo) >>> 0, 11);
    mul64(outHi, outLo, P1_HI, P1_LO);
    hHi = outHi;
    hLo = outLo;
    i += 1;
  }

  // Avalanche: h ^= h >>> 33; h *= P2; h ^= h >>> 29; h *= P3; h ^= h >>> 32.
  mul64(hHi, (hLo ^ (hHi >>> 1)) >>> 0, P2_HI, P2_LO);
  hHi = (outHi ^ (outHi >>> 29)) >>> 0;
  hLo = (outLo ^ ((outLo >>> 29) | (outHi << 3))) >>> 0;
  mul64(hHi, hLo, P3_HI, P3_LO);
  outLo = (outLo ^ outHi) >>> 0;
}

/** High 32 bits of the last digest computed by `hashBytes`. */
export function digestHi(): number {
  return outHi;
}

/** Low 32 bits of the last digest computed by `hashBytes`. */
export function digestLo(): number {
  return outLo;
}
