import type { MergeSettings } from "@miroir/merger";

/** Settings of one index as last read from a node, and whether they can be trusted as they are. */
export interface CachedSettings {
  readonly settings: MergeSettings;
  /** False once older than the cache's time to live: read them again alongside the query. */
  readonly fresh: boolean;
}

/**
 * The settings each index's merges depend on (primary key, ranking rules, distinct,
 * faceting, pagination), read from a node on first use and kept until something that can
 * change them commits: a settings task, an index creation, update, deletion or swap, or a
 * document write that created the index or fixed its primary key. Without the cache every
 * search would cost two more node requests than its covering set.
 */
export interface MergeSettingsCache {
  get(indexUid: string): CachedSettings | undefined;
  /**
   * The cached settings, or `load()`'s once it settles; concurrent misses share one load.
   * A load that started before an invalidation is answered but not kept.
   */
  read(indexUid: string, load: () => Promise<MergeSettings>): Promise<MergeSettings>;
  /** Forgets an index's settings (`null`: every index's, as after a swap). */
  invalidate(indexUid: string | null): void;
}

export interface MergeSettingsCacheOptions {
  /**
   * How long settings stay fresh; `null` keeps them until invalidated. Only proxies that
   * share a task store need it: another proxy's settings change is not invalidated here.
   */
  readonly ttlMs: number | null;
  readonly now?: () => number;
}

interface Entry {
  readonly settings: MergeSettings;
  readonly readAt: number;
}

export function createMergeSettingsCache(options: MergeSettingsCacheOptions): MergeSettingsCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const loads = new Map<string, Promise<MergeSettings>>();
  // Bumped by every invalidation, so a load that straddles one never stores what it read.
  let generation = 0;

  return {
    get(indexUid) {
      const entry = entries.get(indexUid);
      if (entry === undefined) return undefined;
      const fresh = options.ttlMs === null || now() - entry.readAt < options.ttlMs;
      return { settings: entry.settings, fresh };
    },
    read(indexUid, load) {
      const entry = entries.get(indexUid);
      if (entry !== undefined && (options.ttlMs === null || now() - entry.readAt < options.ttlMs))
        return Promise.resolve(entry.settings);
      const pending = loads.get(indexUid);
      if (pending !== undefined) return pending;
      const startedAt = now();
      const startedIn = generation;
      const loading = load()
        .then((settings) => {
          if (generation === startedIn) entries.set(indexUid, { settings, readAt: startedAt });
          return settings;
        })
        .finally(() => {
          if (loads.get(indexUid) === loading) loads.delete(indexUid);
        });
      loads.set(indexUid, loading);
      return loading;
    },
    invalidate(indexUid) {
      generation += 1;
      if (indexUid === null) {
        entries.clear();
        loads.clear();
        return;
      }
      entries.delete(indexUid);
      loads.delete(indexUid);
    },
  };
}
