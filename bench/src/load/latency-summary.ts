import type { LoadSample } from "./load-loop.js";

/** Latency percentiles (ms) and throughput of one measured load. */
export interface LatencySummary {
  readonly requests: number;
  readonly errors: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

/** The nearest-rank percentile `p` (0–100) of ascending `sorted` values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Several load samples of one path taken as one measurement. */
export function summariseSamples(samples: readonly LoadSample[]): LatencySummary {
  return summarise(
    samples.flatMap((sample) => sample.latenciesMs),
    samples.reduce((sum, sample) => sum + sample.errors, 0),
    samples.reduce((sum, sample) => sum + sample.seconds, 0),
  );
}

export function summarise(latenciesMs: readonly number[], errors: number, seconds: number) {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    requests: sorted.length,
    errors,
    seconds,
    requestsPerSecond: seconds > 0 ? sorted.length / seconds : 0,
    meanMs: sorted.length > 0 ? total / sorted.length : Number.NaN,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
  } satisfies LatencySummary;
}
