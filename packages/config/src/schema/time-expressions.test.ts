import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseDurationMs, parseRate, parseSchedule, parseTimeWindow } from "./time-expressions.js";

describe("durations", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["15m", 900_000],
    ["6h", 21_600_000],
    ["7d", 604_800_000],
  ])("reads %s as %i ms", (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(["", "30", "0s", "-5s", "1.5h", "5 weeks", "s"])("rejects %j", (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });

  it("reads back any positive amount in any unit", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom("ms", "s", "m", "h", "d"),
        (n, unit) => {
          const scale = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[unit];
          expect(parseDurationMs(`${n}${unit}`)).toBe(n * scale);
        },
      ),
    );
  });
});

describe("daily windows", () => {
  it("reads a window within the day", () => {
    expect(parseTimeWindow("02:00-04:30")).toEqual({ startMinute: 120, endMinute: 270 });
  });

  it("reads a window across midnight", () => {
    expect(parseTimeWindow("23:00-01:00")).toEqual({ startMinute: 1380, endMinute: 60 });
  });

  it.each([
    "24:00-01:00",
    "2:00-04:00",
    "02:00",
    "02:00-02:00",
    "02:00-03:00-04:00",
    "aa:bb-cc:dd",
  ])("rejects %j", (text) => {
    expect(parseTimeWindow(text)).toBeUndefined();
  });
});

describe("schedules", () => {
  it("reads an interval", () => {
    expect(parseSchedule("every 6h")).toEqual({ kind: "every", intervalMs: 21_600_000 });
  });

  it("reads a daily window", () => {
    expect(parseSchedule("02:00-04:00")).toEqual({
      kind: "window",
      startMinute: 120,
      endMinute: 240,
    });
  });

  it.each(["every", "every never", "daily"])("rejects %j", (text) => {
    expect(parseSchedule(text)).toBeUndefined();
  });
});

describe("rates", () => {
  it("reads a count per unit", () => {
    expect(parseRate("60/minute")).toEqual({ count: 60, perMs: 60_000 });
    expect(parseRate("5 / second")).toEqual({ count: 5, perMs: 1_000 });
  });

  it.each(["0/minute", "60/day", "sixty/minute", "60"])("rejects %j", (text) => {
    expect(parseRate(text)).toBeUndefined();
  });
});
