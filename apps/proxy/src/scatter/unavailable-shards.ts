import type { ProxyMetrics } from "../observability/index.js";
import { type ReadScope, shardsUnavailable } from "./read-scope.js";

/**
 * Applies `scatter.unavailable_shard_policy` to the shards a read could not cover: none
 * lost gives no degraded value; `partial` answers with the value of `X-Miroir-Degraded`
 * (`shards=3,7`) and counts a partial response; `error` throws `miroir_shard_unavailable`
 * (503).
 */
export function degradedRead(
  metrics: ProxyMetrics,
  scope: ReadScope,
  lost: readonly number[],
): string | undefined {
  if (lost.length === 0) return undefined;
  const shards = [...new Set(lost)].sort((a, b) => a - b);
  if (scope.settings.unavailableShardPolicy === "error") {
    throw shardsUnavailable(`shard${shards.length === 1 ? "" : "s"} ${shards.join(", ")}`);
  }
  metrics.scatterPartialResponses.inc();
  return `shards=${shards.join(",")}`;
}
