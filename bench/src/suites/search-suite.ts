import type { LatencySummary } from "../load/latency-summary.js";
import { runLoad } from "../load/load-loop.js";

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
  readonly latencyMs: number;
  readonly throughputMs: number;
  readonly throughputConnections: number;
  readonly warmupMs: number;
  readonly maxRequests: number;
}

export async function measureSearch(
  target: SearchTarget,
  bodies: readonly string[],
  shape: LoadShape,
): Promise<SearchMeasurement> {
  const common = {
    url: target.url,
    path: target.path,
    headers: target.headers,
    bodies,
    warmupMs: shape.warmupMs,
    maxRequests: shape.maxRequests,
  };
  const latency = await runLoad({ ...common, connections: 1, durationMs: shape.latencyMs });
  const throughput = await runLoad({
    ...common,
    connections: shape.throughputConnections,
    durationMs: shape.throughputMs,
  });
  return { label: target.label, role: target.role, latency, throughput };
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
