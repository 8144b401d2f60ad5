import { SHARD_FIELD } from "@miroir/merger";

/**
 * `_miroir_shard` must stay filterable on every node (searches filter shards with it) and
 * must never show to clients. These two functions are the only place that knows how.
 */
export function withShardFilterable(filterable: unknown): unknown[] {
  const list = Array.isArray(filterable) ? [...filterable] : [];
  if (!list.includes(SHARD_FIELD)) list.push(SHARD_FIELD);
  return list;
}

export function withoutShardFilterable(filterable: unknown): unknown {
  if (!Array.isArray(filterable)) return filterable;
  return filterable.filter((entry) => {
    if (entry === SHARD_FIELD) return false;
    const patterns = (entry as { attributePatterns?: unknown } | null)?.attributePatterns;
    return !(Array.isArray(patterns) && patterns.length === 1 && patterns[0] === SHARD_FIELD);
  });
}

/** A whole settings object as a client may see it. */
export function visibleSettings(settings: unknown): unknown {
  if (typeof settings !== "object" || settings === null) return settings;
  const copy = { ...(settings as Record<string, unknown>) };
  if ("filterableAttributes" in copy) {
    copy.filterableAttributes = withoutShardFilterable(copy.filterableAttributes);
  }
  return copy;
}
