import { digest } from "./digest.js";

/**
 * XXH64 (seed 0) of short ASCII strings — the usual primary key — read straight from the
 * string's code units, which are then its UTF-8 bytes. Same algorithm as `hashBytes`, written
 * as one function with every 64-bit step spelled out inline: V8 inlines only a budget of
 * small functions into a caller, and a call per 64-bit multiply doubles the cost of a key.
 *
 * 64-bit values are int32 pairs (hi, lo). A product x·P splits x's low half into 16-bit
 * limbs so that each partial product fits in 32 bits:
 *   lo = imul(xLo, pLo)
 *   hi = high32(xLo · pLo) + imul(xHi, pLo) + imul(xLo, pHi)        (mod 2^32)
 */

/** The longest string `hashShortAscii` takes: inputs below 32 bytes skip XXH64's stripes. */
export const SHORT_KEY_LENGTH = 31;

// The primes are repeated from xxh64.ts on purpose: V8 folds a module's own constants
// into the code, while imported bindings are loaded and checked on every use, which
// measured about a third slower for this function.
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

// OR of every code unit read by the current `hashShortAscii` call: ASCII iff below 0x80.
let unitBits = 0;

/** Four code units as a little-endian word of bytes (exact when they are ASCII). */
function wordAt(text: string, i: number): number {
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  const c = text.charCodeAt(i + 2);
  const d = text.charCodeAt(i + 3);
  unitBits |= a | b | c | d;
  return a | (b << 8) | (c << 16) | (d << 24);
}

/**
 * XXH64 of `text` into `digest` when it has at most 31 code units, all ASCII; returns
 * false (and leaves `digest` alone) otherwise. ASCII is checked on the code units the
 * hash reads anyway, so the common key is read once.
 */
export function hashShortAscii(text: string): boolean {
  const length = text.length;
  if (length > SHORT_KEY_LENGTH) {
    return false;
  }
  unitBits = 0;
  // h = P5 + length
  let sum = (P5_LO >>> 0) + length;
  let hHi = (P5_HI + (sum >= TWO_32 ? 1 : 0)) | 0;
  let hLo = sum | 0;
  let xHi: number;
  let xLo: number;
  let pHi: number;
  let pLo: number;
  let cross1: number;
  let cross2: number;
  let middle: number;
  let i = 0;

  while (i + 8 <= length) {
    // k = rotl(lane · P2, 31) · P1
    xLo = wordAt(text, i);
    xHi = wordAt(text, i + 4);
    cross1 = Math.imul(xLo & 0xffff, P2_LO >>> 16);
    cross2 = Math.imul(xLo >>> 16, P2_LO & 0xffff);
    middle =
      (Math.imul(xLo & 0xffff, P2_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    pHi =
      (Math.imul(xLo >>> 16, P2_LO >>> 16) +
        (cross1 >>> 16) +
        (cross2 >>> 16) +
        (middle >>> 16) +
        Math.imul(xHi, P2_LO) +
        Math.imul(xLo, P2_HI)) |
      0;
    pLo = Math.imul(xLo, P2_LO);
    xHi = (pHi << 31) | (pLo >>> 1);
    xLo = (pLo << 31) | (pHi >>> 1);
    cross1 = Math.imul(xLo & 0xffff, P1_LO >>> 16);
    cross2 = Math.imul(xLo >>> 16, P1_LO & 0xffff);
    middle =
      (Math.imul(xLo & 0xffff, P1_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    pHi =
      (Math.imul(xLo >>> 16, P1_LO >>> 16) +
        (cross1 >>> 16) +
        (cross2 >>> 16) +
        (middle >>> 16) +
        Math.imul(xHi, P1_LO) +
        Math.imul(xLo, P1_HI)) |
      0;
    pLo = Math.imul(xLo, P1_LO);
    // h = rotl(h ^ k, 27) · P1 + P4
    xHi = hHi ^ pHi;
    xLo = hLo ^ pLo;
    pHi = (xHi << 27) | (xLo >>> 5);
    pLo = (xLo << 27) | (xHi >>> 5);
    xHi = pHi;
    xLo = pLo;
    cross1 = Math.imul(xLo & 0xffff, P1_LO >>> 16);
    cross2 = Math.imul(xLo >>> 16, P1_LO & 0xffff);
    middle =
      (Math.imul(xLo & 0xffff, P1_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    pHi =
      (Math.imul(xLo >>> 16, P1_LO >>> 16) +
        (cross1 >>> 16) +
        (cross2 >>> 16) +
        (middle >>> 16) +
        Math.imul(xHi, P1_LO) +
        Math.imul(xLo, P1_HI)) |
      0;
    pLo = Math.imul(xLo, P1_LO);
    sum = (pLo >>> 0) + (P4_LO >>> 0);
    hHi = (pHi + P4_HI + (sum >= TWO_32 ? 1 : 0)) | 0;
    hLo = sum | 0;
    i += 8;
  }

  if (i + 4 <= length) {
    // h = rotl(h ^ (word · P1), 23) · P2 + P3; the word's high half is 0
    xLo = wordAt(text, i);
    cross1 = Math.imul(xLo & 0xffff, P1_LO >>> 16);
    cross2 = Math.imul(xLo >>> 16, P1_LO & 0xffff);
    middle =
      (Math.imul(xLo & 0xffff, P1_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    pHi =
      (Math.imul(xLo >>> 16, P1_LO >>> 16) +
        (cross1 >>> 16) +
        (cross2 >>> 16) +
        (middle >>> 16) +
        Math.imul(xLo, P1_HI)) |
      0;
    pLo = Math.imul(xLo, P1_LO);
    xHi = hHi ^ pHi;
    xLo = hLo ^ pLo;
    pHi = (xHi << 23) | (xLo >>> 9);
    pLo = (xLo << 23) | (xHi >>> 9);
    xHi = pHi;
    xLo = pLo;
    cross1 = Math.imul(xLo & 0xffff, P2_LO >>> 16);
    cross2 = Math.imul(xLo >>> 16, P2_LO & 0xffff);
    middle =
      (Math.imul(xLo & 0xffff, P2_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    pHi =
      (Math.imul(xLo >>> 16, P2_LO >>> 16) +
        (cross1 >>> 16) +
        (cross2 >>> 16) +
        (middle >>> 16) +
        Math.imul(xHi, P2_LO) +
        Math.imul(xLo, P2_HI)) |
      0;
    pLo = Math.imul(xLo, P2_LO);
    sum = (pLo >>> 0) + (P3_LO >>> 0);
    hHi = (pHi + P3_HI + (sum >= TWO_32 ? 1 : 0)) | 0;
    hLo = sum | 0;
    i += 4;
  }

  while (i < length) {
    // h = rotl(h ^ (byte · P5), 11) · P1; the byte's high half is 0
    xLo = text.charCodeAt(i);
    unitBits |= xLo;
    cross1 = Math.imul(xLo & 0xffff, P5_LO >>> 16);
    cross2 = Math.imul(xLo >>> 16, P5_LO & 0xffff);
    middle =
      (Math.imul(xLo & 0xffff, P5_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    pHi =
      (Math.imul(xLo >>> 16, P5_LO >>> 16) +
        (cross1 >>> 16) +
        (cross2 >>> 16) +
        (middle >>> 16) +
        Math.imul(xLo, P5_HI)) |
      0;
    pLo = Math.imul(xLo, P5_LO);
    xHi = hHi ^ pHi;
    xLo = hLo ^ pLo;
    pHi = (xHi << 11) | (xLo >>> 21);
    pLo = (xLo << 11) | (xHi >>> 21);
    xHi = pHi;
    xLo = pLo;
    cross1 = Math.imul(xLo & 0xffff, P1_LO >>> 16);
    cross2 = Math.imul(xLo >>> 16, P1_LO & 0xffff);
    middle =
      (Math.imul(xLo & 0xffff, P1_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    hHi =
      (Math.imul(xLo >>> 16, P1_LO >>> 16) +
        (cross1 >>> 16) +
        (cross2 >>> 16) +
        (middle >>> 16) +
        Math.imul(xHi, P1_LO) +
        Math.imul(xLo, P1_HI)) |
      0;
    hLo = Math.imul(xLo, P1_LO);
    i += 1;
  }

  if (unitBits >= 0x80) {
    return false;
  }

  // Avalanche: h ^= h >>> 33; h *= P2; h ^= h >>> 29; h *= P3; h ^= h >>> 32
  xHi = hHi;
  xLo = hLo ^ (hHi >>> 1);
  cross1 = Math.imul(xLo & 0xffff, P2_LO >>> 16);
  cross2 = Math.imul(xLo >>> 16, P2_LO & 0xffff);
  middle = (Math.imul(xLo & 0xffff, P2_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
  pHi =
    (Math.imul(xLo >>> 16, P2_LO >>> 16) +
      (cross1 >>> 16) +
      (cross2 >>> 16) +
      (middle >>> 16) +
      Math.imul(xHi, P2_LO) +
      Math.imul(xLo, P2_HI)) |
    0;
  pLo = Math.imul(xLo, P2_LO);
  xHi = pHi ^ (pHi >>> 29);
  xLo = pLo ^ ((pLo >>> 29) | (pHi << 3));
  cross1 = Math.imul(xLo & 0xffff, P3_LO >>> 16);
  cross2 = Math.imul(xLo >>> 16, P3_LO & 0xffff);
  middle = (Math.imul(xLo & 0xffff, P3_LO & 0xffff) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
  pHi =
    (Math.imul(xLo >>> 16, P3_LO >>> 16) +
      (cross1 >>> 16) +
      (cross2 >>> 16) +
      (middle >>> 16) +
      Math.imul(xHi, P3_LO) +
      Math.imul(xLo, P3_HI)) |
    0;
  pLo = Math.imul(xLo, P3_LO);
  digest[0] = pHi;
  digest[1] = pLo ^ pHi;
  return true;
}
