import { MeiliError } from "@miroir/errors";
import { SHARD_FIELD } from "@miroir/merger";
import { type NodeResponse, nodeErrorOf } from "../node-client/index.js";

const LISTED_SHARD_FIELD = new RegExp(`\`${SHARD_FIELD}\`, |, \`${SHARD_FIELD}\``, "g");

/**
 * A node's error as the client sees it: passed through unchanged, except that the lists
 * Meilisearch prints (filterable attributes) never show Miroir's `_miroir_shard`.
 */
export function clientErrorOf(response: NodeResponse): MeiliError {
  const error = nodeErrorOf(response);
  if (!error.message.includes(SHARD_FIELD)) return error;
  return new MeiliError(
    { ...error.toBody(), message: error.message.replace(LISTED_SHARD_FIELD, "") },
    error.status,
  );
}
