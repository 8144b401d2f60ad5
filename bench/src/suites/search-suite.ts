import { type LatencySummary, summariseSamples } from "../load/latency-summary.js";
import { type LoadSample, runLoad } from "../load/load-loop.js";

/** Where a search goes: straight to a node, through Miroir, or through the fan-out floor. */
export type SearchRole = "direct" | "miroir" | "fan-out";

export interface SearchTarget {
  readonly label: string;
  readonly role: SearchRole;
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

export interface SearchMeasurement {
  readonly label: string;
  readonly role: SearchRole;
  /** One connection: what one client waits. */
  readonly latency: LatencySummary;
  /** `throughputConnections` connections: what the path sustains. */
  readonly throughput: LatencySummary;
}

export interface LoadShape {
  /** Measured time per path with one connection, split over the rounds. */
  readonly latencyMs: number;
  /** Measured time per path with `throughputConnections`, split over the rounds. */
  readonly throughputMs: number;
  readonly throughputConnections: number;
  readonly warmupMs: number;
  /** Paths take turns in this many short slices, so a change in the machine's load hits all. */
  readonly rounds: number;
  /** Upper bound of measured requests per path and slice. */
  readonly maxRequests: number;
}

/**
 * Measures every path under the same conditions: after a warm-up each, the paths take
 * turns in short slices (in a rotating order), first with one connection, then with
 * several, and each path's slices are pooled into one measurement.
 */
export async function measureSearches(
  targets: readonly SearchTarget[],
  bodies: readonly string[],
  shape: LoadShape,
): Promise<SearchMeasurement[]> {
  const load = (target: SearchTarget, connections: number, durationMs: number, warmupMs = 0) =>
    runLoad({
      url: target.url,
      path: target.path,
      headers: target.headers,
      bodies,
      connections,
      durationMs,
      warmupMs,
      maxRequests: shape.maxRequests,
    });
  for (const target of targets) {
    await checkSearch(target, bodies[0] as string);
    await load(target, shape.throughputConnections, 0, shape.warmupMs);
  }
  const inTurns = async (connections: number, totalMs: number) => {
    const samples: LoadSample[][] = targets.map(() => []);
    for (let round = 0; round < shape.rounds; round++) {
      for (let turn = 0; turn < targets.length; turn++) {
        const at = (round + turn) % targets.length;
        samples[at]?.push(
          await load(targets[at] as SearchTarget, connections, totalMs / shape.rounds),
        );
      }
    }
    return samples.map(summariseSamples);
  };
  const latency = await inTurns(1, shape.latencyMs);
  const throughput = await inTurns(shape.throughputConnections, shape.throughputMs);
  return targets.map((target, i) => ({
    label: target.label,
    role: target.role,
    latency: latency[i] as LatencySummary,
    throughput: throughput[i] as LatencySummary,
  }));
}

/** Sends one search and fails loudly unless it answers 200 with hits, before any timing. */
export async function checkSearch(target: SearchTarget, body: string): Promise<void> {
  const answer = await fetch(`${target.url}${target.path}`, {
    method: "POST",
    headers: { ...target.headers, "content-type": "application/json" },
    body,
  });
  const text = await answer.text();
  if (answer.status !== 200 || !text.includes('"hits"')) {
    throw new Error(`${target.label} answered ${answer.status}: ${text.slice(0, 300)}`);
  }
}
