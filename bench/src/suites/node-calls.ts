import type { UpstreamNode } from "../processes/miroir-process.js";
import type { SearchTarget } from "./search-suite.js";

/** The node requests behind one client search through a path, by kind (health left out). */
export interface NodeCallCount {
  readonly label: string;
  readonly total: number;
  readonly byKind: Readonly<Record<string, number>>;
}

async function takeCounts(upstreams: readonly UpstreamNode[]): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const upstream of upstreams) {
    const answer = await fetch(`${upstream.url}/_bench/requests`);
    const counts = (await answer.json()) as Record<string, number>;
    for (const [kind, count] of Object.entries(counts)) sums[kind] = (sums[kind] ?? 0) + count;
  }
  return sums;
}

/**
 * Sends `searches` searches one after another through `target` and reads, from the
 * trivial upstreams' counters, how many node requests of each kind they caused.
 */
export async function countNodeCalls(
  target: SearchTarget,
  upstreams: readonly UpstreamNode[],
  body: string,
  searches = 50,
): Promise<NodeCallCount> {
  await takeCounts(upstreams);
  for (let i = 0; i < searches; i++) {
    const answer = await fetch(`${target.url}${target.path}`, {
      method: "POST",
      headers: { ...target.headers, "content-type": "application/json" },
      body,
    });
    await answer.arrayBuffer();
  }
  const counts = await takeCounts(upstreams);
  delete counts.health;
  const byKind = Object.fromEntries(
    Object.entries(counts).map(([kind, count]) => [kind, count / searches]),
  );
  const total = Object.values(byKind).reduce((sum, count) => sum + count, 0);
  return { label: target.label, total, byKind };
}
