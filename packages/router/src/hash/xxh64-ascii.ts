import { digest } from "./digest.js";

/**
 * XXH64 (seed 0) of short keys — the usual primary keys — from a short ASCII string (whose
 * code units are its UTF-8 bytes) or from bytes where they lie. Same algorithm as `hashBytes`, written
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

/**
 * The input of the hash being computed, as little-endian words of its bytes (32 bytes:
 * one more word than the longest short input needs, so a full last word is followed by 0).
 */
const words = new Int32Array(8);

/**
 * XXH64 of `text` into `digest` when it has at most 31 code units, all ASCII; returns
 * false (and leaves `digest` alone) otherwise. The code units of ASCII text are its UTF-8
 * bytes.
 */
export function hashShortAscii(text: string): boolean {
  const length = text.length;
  if (length > SHORT_KEY_LENGTH) {
    return false;
  }
  let bits = 0;
  let word = 0;
  for (let i = 0; i < length; i++) {
    const unit = text.charCodeAt(i);
    bits |= unit;
    word |= unit << ((i & 3) << 3);
    if ((i & 3) === 3) {
      words[i >> 2] = word;
      word = 0;
    }
  }
  if (bits >= 0x80) {
    return false;
  }
  words[length >> 2] = word;
  hashShortWords(length);
  return true;
}

/**
 * XXH64 of the bytes `bytes[start, end)` into `digest` when there are at most 31 of
 * them; returns false (and leaves `digest` alone) otherwise. Lets a key be hashed where
 * it lies in a payload, without a string of it.
 */
export function hashShortBytes(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length > SHORT_KEY_LENGTH) {
    return false;
  }
  let word = 0;
  for (let i = 0; i < length; i++) {
    word |= (bytes[start + i] as number) << ((i & 3) << 3);
    if ((i & 3) === 3) {
      words[i >> 2] = word;
      word = 0;
    }
  }
  words[length >> 2] = word;
  hashShortWords(length);
  return true;
}

/** XXH64 of the first `length` (at most 31) bytes that `words` holds, into `digest`. */
function hashShortWords(length: number): void {
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
    xLo = words[i >> 2] as number;
    xHi = words[(i >> 2) + 1] as number;
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
    xLo = words[i >> 2] as number;
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
    xLo = ((words[i >> 2] as number) >>> ((i & 3) << 3)) & 0xff;
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
}
