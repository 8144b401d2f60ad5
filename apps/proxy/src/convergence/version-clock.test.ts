import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createVersionClock, VERSION_DIGITS, versionDigits } from "./version-clock.js";

describe("the write clock", () => {
  it("never goes backwards and always has 16 digits, whatever the wall clock does", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ wall: fc.integer({ min: 978_307_200_000, max: 4_102_444_800_000 }) }),
            fc.record({ seen: fc.integer({ min: 10 ** 15, max: 4_102_444_800_000_999 }) }),
          ),
          { minLength: 1, maxLength: 200 },
        ),
        (steps) => {
          let wall = 0;
          const clock = createVersionClock(() => wall);
          let previous = 0;
          for (const step of steps) {
            if ("seen" in step) {
              clock.observe(step.seen);
              expect(clock.next()).toBeGreaterThan(step.seen);
            } else wall = step.wall;
            const version = clock.next();
            expect(version).toBeGreaterThan(previous);
            expect(versionDigits(version)).toHaveLength(VERSION_DIGITS);
            previous = version;
          }
        },
      ),
    );
  });

  it("follows the wall clock in milliseconds, counting writes within one millisecond", () => {
    const clock = createVersionClock(() => 1_750_000_000_123);
    expect(clock.next()).toBe(1_750_000_000_123_000);
    expect(clock.next()).toBe(1_750_000_000_123_001);
  });

  it("orders the writes of two processes by the later one's observation of the other", () => {
    const ahead = createVersionClock(() => 1_750_000_009_000);
    const behind = createVersionClock(() => 1_750_000_000_000);
    const first = ahead.next();
    behind.observe(first);
    expect(behind.next()).toBeGreaterThan(first);
  });
});
