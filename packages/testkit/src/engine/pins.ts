import type { EngineIndex } from "./engine-index.js";
import type { RankedDocument } from "./ranked-search.js";

/** A document a dynamic search rule puts at a position of a search's results. */
export interface SearchPin {
  id: string;
  position: number;
}

/** A ranked entry placed by a pin rather than by the ranking rules. */
export interface PinnedDocument extends RankedDocument {
  pinnedAt: number;
}

export function isPinned(hit: RankedDocument): hit is PinnedDocument {
  return "pinnedAt" in hit;
}

/**
 * The ranking with each pinned document moved (or added, matching or not) to its
 * position, past the end meaning last; pins are applied in order. A pinned hit scores 1.
 */
export function applyPins(
  ranked: readonly RankedDocument[],
  pins: readonly SearchPin[],
  index: EngineIndex,
): RankedDocument[] {
  const result = [...ranked];
  for (const pin of pins) {
    const doc = index.documents.get(pin.id);
    if (doc === undefined) continue;
    const existing = result.findIndex((hit) => hit.key === pin.id);
    const order = existing === -1 ? -1 : (result[existing] as RankedDocument).order;
    if (existing !== -1) result.splice(existing, 1);
    const pinned: PinnedDocument = {
      doc,
      key: pin.id,
      order,
      relevance: undefined,
      sortKeys: [],
      score: 1,
      pinnedAt: pin.position,
    };
    result.splice(Math.min(pin.position, result.length), 0, pinned);
  }
  return result;
}
