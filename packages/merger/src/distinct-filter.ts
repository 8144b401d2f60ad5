import { distinctValuesOf } from "./distinct-totals.js";
import type { Hit } from "./types.js";

/**
 * Keeps the first (best) hit of each distinct value across shards, values grouped as
 * Meilisearch groups facet values (strings by their normalised form). A hit whose attribute
 * holds several values is dropped when any of them was already kept, and then claims all
 * of them; hits without the attribute are all kept, as in Meilisearch.
 */
export function distinctFilter(attribute: string): (hit: Hit) => boolean {
  const seen = new Set<string>();
  return (hit) => {
    const values = distinctValuesOf(hit, attribute);
    if (values.some((value) => seen.has(value))) return false;
    for (const value of values) seen.add(value);
    return true;
  };
}
