import { removeAt } from "./attribute-path.js";
import { isRecord } from "./node-answer.js";
import type { MergeUndo } from "./plan-shard-query.js";
import type { Hit } from "./types.js";

const RESERVED_PREFIX = "_miroir_";

/** A copy without `_miroir_*` keys (built key by key: deleting would slow the object down). */
function withoutReserved(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in object) {
    if (key.startsWith(RESERVED_PREFIX)) continue;
    copy[key] = object[key];
  }
  return copy;
}

/**
 * The hit as the client must see it: no `_miroir_*` field anywhere (document, `_formatted`,
 * `_matchesPosition`), no attribute Miroir added, scores only when the client asked.
 * Builds a copy, so node answers stay untouched; key order is kept.
 */
export function clientHit(hit: Hit, undo: MergeUndo): Hit {
  const copy: Hit = {};
  for (const key in hit) {
    const value = hit[key];
    if (key.charCodeAt(0) === 95 /* "_" */) {
      // Identity checks first: every hit has these two, and they cost less than startsWith.
      if (key === "_rankingScore") {
        if (undo.keepRankingScore) copy[key] = value;
        continue;
      }
      if (key === "_rankingScoreDetails") {
        if (undo.keepRankingScoreDetails) copy[key] = value;
        continue;
      }
      if (key.startsWith(RESERVED_PREFIX)) continue;
      if ((key === "_formatted" || key === "_matchesPosition") && isRecord(value)) {
        copy[key] = withoutReserved(value);
        continue;
      }
    }
    copy[key] = value;
  }
  if (undo.addedAttributes.length > 0) {
    const formatted = copy._formatted;
    for (const attribute of undo.addedAttributes) {
      removeAt(copy, attribute);
      if (isRecord(formatted)) removeAt(formatted, attribute);
    }
  }
  return copy;
}
