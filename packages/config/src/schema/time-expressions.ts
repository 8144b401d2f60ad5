const UNIT_MS = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
} as const;

const DURATION = /^(\d+)\s*(ms|s|m|h|d)$/;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const RATE = /^(\d+)\s*\/\s*(second|minute|hour)$/;

/** A daily window in minutes after midnight; `end < start` wraps past midnight. */
export type TimeWindow = { startMinute: number; endMinute: number };

export type Schedule = { kind: "every"; intervalMs: number } | ({ kind: "window" } & TimeWindow);

export type Rate = { count: number; perMs: number };

/** `"30s"` → 30000. Undefined when the text is not a positive duration. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] as keyof typeof UNIT_MS;
  return amount > 0 ? amount * UNIT_MS[unit] : undefined;
}

/** `"02:00-04:00"` → minutes after midnight. A window must not be empty. */
export function parseTimeWindow(text: string): TimeWindow | undefined {
  const [from, to, ...rest] = text.split("-").map((part) => part.trim());
  if (from === undefined || to === undefined || rest.length > 0) return undefined;
  const startMinute = minuteOfDay(from);
  const endMinute = minuteOfDay(to);
  if (startMinute === undefined || endMinute === undefined || startMinute === endMinute) {
    return undefined;
  }
  return { startMinute, endMinute };
}

/** `"every 6h"` or a daily window. */
export function parseSchedule(text: string): Schedule | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith("every ")) {
    const intervalMs = parseDurationMs(trimmed.slice("every ".length));
    return intervalMs === undefined ? undefined : { kind: "every", intervalMs };
  }
  const window = parseTimeWindow(trimmed);
  return window === undefined ? undefined : { kind: "window", ...window };
}

/** `"60/minute"` → 60 per 60000 ms. */
export function parseRate(text: string): Rate | undefined {
  const match = RATE.exec(text.trim());
  if (!match) return undefined;
  const count = Number(match[1]);
  const per = { second: 1_000, minute: 60_000, hour: 3_600_000 }[match[2] as string];
  return count > 0 && per !== undefined ? { count, perMs: per } : undefined;
}

function minuteOfDay(clock: string): number | undefined {
  const match = CLOCK.exec(clock);
  if (!match) return undefined;
  return Number(match[1]) * 60 + Number(match[2]);
}
