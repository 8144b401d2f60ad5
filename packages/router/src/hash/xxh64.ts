/**
 * XXH64 (seed 0) of any bytes, in plain TypeScript on pairs of 32-bit halves, one small
 * function per step of the algorithm. Node scores and keys that are not short ASCII take
 * this path; short ASCII keys take the hand-inlined `hashShortAscii`.
 *
 * Halves are signed int32 bit patterns (`| 0`): V8 passes those between functions
 * unboxed, while a u32 above 2^31 would become a heap number. Each step leaves its result
 * in module scratch variables (`outHi`, `outLo`) instead of returning an object.
 */

import { digest } from "./digest.js";

// The five XXH64 primes, split into high and low 32-bit halves.
const P1_HI = 0x9e3779b1 | 0;
const P1_LO = 0x85ebca87 | 0;
const P2_HI = 0xc2b2ae3d | 0;
const P2_LO = 0x27d4eb4f | 0;
const P3_HI = 0x165667b1 | 0;
const P3_LO = 0x9e3779f9 | 0;
const P4_HI = 0x85ebca77 | 0;
const P4_LO = 0xc2b2ae63 | 0;
const P5_HI = 0x27d4eb2f | 0;
const P5_LO = 0x165667c5 | 0;

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
  // 16-bit partial products fit in 32 bits; Math.imul keeps them (and everything after)
  // in int32 arithmetic, where a floating-point product, % or floor would cost more.
  const p01 = Math.imul(a0, b1);
  const p10 = Math.imul(a1, b0);
  const mid = (Math.imul(a0, b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const highOfLow = Math.imul(a1, b1) + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  outLo = Math.imul(aLo, bLo);
  outHi = (highOfLow + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) | 0;
}

/** (aHi,aLo) + (bHi,bLo) mod 2^64 into outHi/outLo. */
function add64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const lo = (aLo >>> 0) + (bLo >>> 0);
  outLo = lo | 0;
  outHi = (aHi + bHi + (lo >= TWO_32 ? 1 : 0)) | 0;
}

/** rotl64(x, r) into outHi/outLo, for 0 < r < 64. */
function rotl64(hi: number, lo: number, r: number): void {
  if (r < 32) {
    outHi = (hi << r) | (lo >>> (32 - r)) | 0;
    outLo = (lo << r) | (hi >>> (32 - r)) | 0;
  } else if (r === 32) {
    outHi = lo;
    outLo = hi;
  } else {
    const s = r - 32;
    outHi = (lo << s) | (hi >>> (32 - s)) | 0;
    outLo = (hi << s) | (lo >>> (32 - s)) | 0;
  }
}

/** XXH64's round: rotl(acc + lane·P2, 31)·P1, into outHi/outLo. */
function round(accHi: number, accLo: number, laneHi: number, laneLo: number): void {
  mul64(laneHi, laneLo, P2_HI, P2_LO);
  add64(accHi, accLo, outHi, outLo);
  rotl64(outHi, outLo, 31);
  mul64(outHi, outLo, P1_HI, P1_LO);
}

/** XXH64's merge of one accumulator into h: (h ^ round(0, v))·P1 + P4, into outHi/outLo. */
function mergeRound(hHi: number, hLo: number, vHi: number, vLo: number): void {
  round(0, 0, vHi, vLo);
  mul64(hHi ^ outHi, hLo ^ outLo, P1_HI, P1_LO);
  add64(outHi, outLo, P4_HI, P4_LO);
}

function u32At(bytes: Uint8Array, i: number): number {
  return (
    (bytes[i] as number) |
    ((bytes[i + 1] as number) << 8) |
    ((bytes[i + 2] as number) << 16) |
    ((bytes[i + 3] as number) << 24) |
    0
  );
}

/** XXH64 (seed 0) of `bytes[0, length)`; the result goes to `digest`. */
export function hashBytes(bytes: Uint8Array, length: number): void {
  let i = 0;
  if (length >= 32) {
    // v1 = P1 + P2, v2 = P2, v3 = 0, v4 = -P1 (all mod 2^64)
    add64(P1_HI, P1_LO, P2_HI, P2_LO);
    let v1Hi = outHi;
    let v1Lo = outLo;
    let v2Hi = P2_HI;
    let v2Lo = P2_LO;
    let v3Hi = 0;
    let v3Lo = 0;
    let v4Lo = -P1_LO | 0;
    // P1_LO is non-zero, so negating borrows nothing from the high half.
    let v4Hi = ~P1_HI | 0;
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
    let hHi = outHi;
    let hLo = outLo;
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
    mergeRound(hHi, hLo, v1Hi, v1Lo);
    mergeRound(outHi, outLo, v2Hi, v2Lo);
    mergeRound(outHi, outLo, v3Hi, v3Lo);
    mergeRound(outHi, outLo, v4Hi, v4Lo);
    add64(outHi, outLo, Math.floor(length / TWO_32), length | 0);
  } else {
    add64(P5_HI, P5_LO, 0, length);
  }

  while (i + 8 <= length) {
    absorbLane(u32At(bytes, i + 4), u32At(bytes, i));
    i += 8;
  }
  if (i + 4 <= length) {
    absorbWord(u32At(bytes, i));
    i += 4;
  }
  while (i < length) {
    absorbByte(bytes[i] as number);
    i += 1;
  }
  avalanche();
}

// The tail steps below each read h from outHi/outLo and leave the new h there. They are
// separate functions so that V8 inlines the arithmetic into each of them; one function
// holding every step exceeds its inlining budget and pays a call per 64-bit operation.

/** h ^= round(0, lane); h = rotl(h, 27)·P1 + P4. */
function absorbLane(laneHi: number, laneLo: number): void {
  const hHi = outHi;
  const hLo = outLo;
  round(0, 0, laneHi, laneLo);
  rotl64(hHi ^ outHi, hLo ^ outLo, 27);
  mul64(outHi, outLo, P1_HI, P1_LO);
  add64(outHi, outLo, P4_HI, P4_LO);
}

/** h ^= word·P1; h = rotl(h, 23)·P2 + P3. */
function absorbWord(word: number): void {
  const hHi = outHi;
  const hLo = outLo;
  mul64(0, word, P1_HI, P1_LO);
  rotl64(hHi ^ outHi, hLo ^ outLo, 23);
  mul64(outHi, outLo, P2_HI, P2_LO);
  add64(outHi, outLo, P3_HI, P3_LO);
}

/** h ^= byte·P5; h = rotl(h, 11)·P1. */
function absorbByte(byte: number): void {
  const hHi = outHi;
  const hLo = outLo;
  mul64(0, byte, P5_HI, P5_LO);
  rotl64(hHi ^ outHi, hLo ^ outLo, 11);
  mul64(outHi, outLo, P1_HI, P1_LO);
}

/** h ^= h >>> 33; h *= P2; h ^= h >>> 29; h *= P3; h ^= h >>> 32. */
function avalanche(): void {
  mul64(outHi, outLo ^ (outHi >>> 1), P2_HI, P2_LO);
  const hHi = outHi ^ (outHi >>> 29);
  const hLo = outLo ^ ((outLo >>> 29) | (outHi << 3));
  mul64(hHi, hLo, P3_HI, P3_LO);
  digest[0] = outHi;
  digest[1] = outLo ^ outHi;
}
