/**
 * The write clock: a hybrid logical clock whose values are `wallMs × 1000 + counter`.
 * Every document write carries one (in `_miroir_updated_at`), so two writes of a document
 * are ordered even when they went through different Miroir processes, and replicas can
 * be compared: the newest version wins. A value never goes backwards in a process, and
 * `observe` moves the clock past any version read from a node, so a process whose wall
 * clock lags still stamps later writes with larger versions.
 *
 * Every value has exactly 16 decimal digits (wall times from 2001 to 2286), which lets the
 * write path reserve the field's bytes before the value is known.
 */
export interface VersionClock {
  /** A version larger than every one this clock handed out or observed. */
  next(): number;
  /** Moves the clock past a version seen elsewhere (a node's document, another proxy's). */
  observe(version: number): void;
  /** The last version handed out or observed. */
  readonly last: number;
}

const COUNTER_RANGE = 1000;
export const VERSION_DIGITS = 16;
const SMALLEST = 10 ** (VERSION_DIGITS - 1);
const LARGEST = 10 ** VERSION_DIGITS - 1;

export function createVersionClock(now: () => number = Date.now): VersionClock {
  let last = 0;
  return {
    next() {
      const wall = Math.trunc(now()) * COUNTER_RANGE;
      last = Math.min(LARGEST, Math.max(SMALLEST, wall, last + 1));
      return last;
    },
    observe(version) {
      if (Number.isSafeInteger(version) && version > last && version <= LARGEST) last = version;
    },
    get last() {
      return last;
    },
  };
}

/** A version as the 16 ASCII digits written into a document. */
export function versionDigits(version: number): Buffer {
  const digits = Buffer.from(String(version), "latin1");
  if (digits.length !== VERSION_DIGITS) {
    throw new RangeError(`A write version has ${VERSION_DIGITS} digits; got ${version}.`);
  }
  return digits;
}

/** The bytes reserved for a version until the write is ordered. */
export const VERSION_PLACEHOLDER = String(SMALLEST);
