import { valueAt } from "./attribute-path.js";
import type { Hit } from "./types.js";

/**
 * Keeps the first (best) hit of each distinct value across shards. A hit whose attribute
 * holds several values is dropped when any of them was already kept, and then claims all
 * of them; hits without the attribute are all kept, as in Meilisearch.
 */
export function distinctFilter(attribute: string): (hit: Hit) => boolean {
  const seen = new Set<string>();
  return (hit) => {
    const raw = valueAt(hit, attribute);
    if (raw === undefined || raw === null) return true;
    const values = (Array.isArray(raw) ? raw : [raw]).map((value) => JSON.stringify(value));
    if (values.some((value) => seen.has(value))) return false;
    for (const value of values) seen.add(value);
    return true;
  };
}
