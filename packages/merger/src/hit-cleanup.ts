import { removeAt } from "./attribute-path.js";
import { isRecord } from "./node-answer.js";
import type { MergeUndo } from "./plan-shard-query.js";
import type { Hit } from "./types.js";

const RESERVED_PREFIX = "_miroir_";

function stripReserved(object: Record<string, unknown>): void {
  for (const key in object) if (key.startsWith(RESERVED_PREFIX)) delete object[key];
}

/**
 * The hit as the client must see it: no `_miroir_*` field anywhere (document, `_formatted`,
 * `_matchesPosition`), no attribute Miroir added, scores only when the client asked.
 * Works on a shallow copy so node answers stay untouched; key order is kept.
 */
export function clientHit(hit: Hit, undo: MergeUndo): Hit {
  const copy: Hit = { ...hit };
  stripReserved(copy);
  for (const nested of ["_formatted", "_matchesPosition"]) {
    const value = copy[nested];
    if (isRecord(value)) copy[nested] = { ...value };
  }
  const formatted = copy._formatted;
  if (isRecord(formatted)) stripReserved(formatted);
  const positions = copy._matchesPosition;
  if (isRecord(positions)) stripReserved(positions);
  for (const attribute of undo.addedAttributes) {
    removeAt(copy, attribute);
    if (isRecord(formatted)) removeAt(formatted, attribute);
  }
  if (!undo.keepRankingScore) delete copy._rankingScore;
  if (!undo.keepRankingScoreDetails) delete copy._rankingScoreDetails;
  return copy;
}
