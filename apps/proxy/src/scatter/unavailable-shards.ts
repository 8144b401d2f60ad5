import { DEGRADED_HEADER } from "../routes/accepted.js";
import { type ReadScope, shardsUnavailable } from "./read-scope.js";

/**
 * Applies `scatter.unavailable_shard_policy` to the shards a read could not cover: none
 * lost gives no header; `partial` answers with `X-Miroir-Degraded: shards=…`; `error`
 * throws `miroir_shard_unavailable` (503).
 */
export function degradedHeaders(scope: ReadScope, lost: readonly number[]): Record<string, string> {
  if (lost.length === 0) return {};
  if (scope.settings.unavailableShardPolicy === "error") {
    throw shardsUnavailable(`shard${lost.length === 1 ? "" : "s"} ${lost.join(", ")}`);
  }
  return { [DEGRADED_HEADER]: `shards=${lost.join(",")}` };
}
