import type { NodeClient } from "../node-client/index.js";
import { createMergeSettingsCache, type MergeSettingsCache } from "./merge-settings-cache.js";

/** What Miroir knows of an index across the fleet. */
export interface IndexState {
  readonly exists: boolean;
  /** Fixed once declared or inferred from the first batch. */
  readonly primaryKey: string | null;
}

/**
 * The per-process cache of index existence, primary keys and merge settings, filled from
 * the nodes on first use and kept current by the writes that go through this process.
 * Setting or forgetting an index's state also forgets its merge settings.
 */
export interface IndexCatalog {
  describe(indexUid: string): Promise<IndexState>;
  /** The cached state, if any; used in the synchronous part of a write. */
  peek(indexUid: string): IndexState | undefined;
  set(indexUid: string, state: IndexState): void;
  forget(indexUid: string): void;
  readonly settings: MergeSettingsCache;
}

export interface IndexCatalogOptions {
  /** Time to live of cached merge settings; `null` (the default) keeps them until invalidated. */
  readonly settingsTtlMs?: number | null;
}

const LOOKUP_TIMEOUT_MS = 2_000;

interface NodeIndex {
  readonly primaryKey?: string | null;
}

export function createIndexCatalog(
  nodes: NodeClient,
  options: IndexCatalogOptions = {},
): IndexCatalog {
  const states = new Map<string, IndexState>();
  const settings = createMergeSettingsCache({ ttlMs: options.settingsTtlMs ?? null });
  const lookups = new Map<string, Promise<IndexState>>();

  /**
   * Asks every node; settles as soon as one node knows the primary key, else when every
   * node answered or gave up after a short timeout (a hung node must not hold writes).
   */
  function lookUp(indexUid: string): Promise<IndexState> {
    return new Promise((resolve) => {
      let pending = nodes.nodeIds.length;
      let exists = false;
      const settle = (primaryKey: string | null) => resolve({ exists, primaryKey });
      if (pending === 0) settle(null);
      for (const nodeId of nodes.nodeIds) {
        nodes
          .call<NodeIndex>(nodeId, {
            method: "GET",
            path: `/indexes/${encodeURIComponent(indexUid)}`,
            timeoutMs: LOOKUP_TIMEOUT_MS,
          })
          .then(
            (answer) => {
              if (answer.status !== 200) return;
              exists = true;
              const primaryKey = answer.body.primaryKey ?? null;
              if (primaryKey !== null) settle(primaryKey);
            },
            () => undefined,
          )
          .finally(() => {
            pending -= 1;
            if (pending === 0) settle(null);
          });
      }
    });
  }

  return {
    describe(indexUid) {
      const known = states.get(indexUid);
      if (known !== undefined) return Promise.resolve(known);
      let pending = lookups.get(indexUid);
      if (pending === undefined) {
        pending = lookUp(indexUid)
          .then((state) => {
            if (!states.has(indexUid)) states.set(indexUid, state);
            return states.get(indexUid) as IndexState;
          })
          .finally(() => lookups.delete(indexUid));
        lookups.set(indexUid, pending);
      }
      return pending;
    },
    peek: (indexUid) => states.get(indexUid),
    set: (indexUid, state) => {
      states.set(indexUid, state);
      settings.invalidate(indexUid);
    },
    forget: (indexUid) => {
      states.delete(indexUid);
      settings.invalidate(indexUid);
    },
    settings,
  };
}
