import type { QuorumOutcome } from "@miroir/router";

/** `X-Miroir-Degraded` for a write: `groups=0;shards=3,7`, or `undefined` when none. */
export function degradedHeader(outcome: QuorumOutcome): string | undefined {
  if (outcome.degradedShards.length === 0) return undefined;
  return `groups=${outcome.degradedGroups.join(",")};shards=${outcome.degradedShards.join(",")}`;
}
