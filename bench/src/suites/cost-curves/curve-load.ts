import { summariseSamples } from "../../load/latency-summary.js";
import { runLoad } from "../../load/load-loop.js";
import type { InstrumentedMiroir } from "./instrumented-miroir-process.js";

/** How long each point of a curve is measured. */
export interface CurveShape {
  /** One-connection latency per path, split over `rounds` turns (each path keeps its best). */
  readonly latencyMs: number;
  /** Saturating load (several connections) over which the proxy's CPU time is read. */
  readonly cpuMs: number;
  readonly warmupMs: number;
  readonly rounds: number;
}

export interface LatencyTarget {
  readonly url: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
}

/**
 * p50 latency (ms) of each target over one keep-alive connection. The targets take turns
 * in `rounds` short slices, so that a change in the machine's load falls on all of them
 * alike, and each keeps the p50 of its least disturbed slice: on a shared machine other
 * work only ever adds latency.
 */
export async function p50InTurns(
  targets: readonly LatencyTarget[],
  bodies: readonly string[],
  shape: CurveShape,
): Promise<number[]> {
  const load = (target: LatencyTarget, durationMs: number, warmupMs: number) =>
    runLoad({ ...target, bodies, connections: 1, durationMs, warmupMs, maxRequests: 20_000 });
  for (const target of targets) await load(target, 0, shape.warmupMs);
  const best = targets.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < shape.rounds; round++) {
    for (let turn = 0; turn < targets.length; turn++) {
      const at = (round + turn) % targets.length;
      const summary = summariseSamples([
        await load(targets[at] as LatencyTarget, shape.latencyMs / shape.rounds, 0),
      ]);
      if (summary.errors > 0) throw new Error(`${summary.errors} searches failed`);
      best[at] = Math.min(best[at] as number, summary.p50Ms);
    }
  }
  return best;
}

/** CPU time (ms) the proxy spends per search under a saturating load of 4 connections. */
export async function cpuPerSearch(
  miroir: InstrumentedMiroir,
  target: LatencyTarget,
  bodies: readonly string[],
  shape: CurveShape,
): Promise<number> {
  const before = await miroir.cpuMs();
  const sample = await runLoad({
    ...target,
    bodies,
    connections: 4,
    durationMs: shape.cpuMs,
    warmupMs: 0,
    maxRequests: 50_000,
  });
  const after = await miroir.cpuMs();
  if (sample.errors > 0) throw new Error(`${sample.errors} searches failed`);
  return (after - before) / sample.latenciesMs.length;
}
