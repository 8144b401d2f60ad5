import type { NodeClient } from "../node-client/index.js";

/** What Miroir knows of an index across the fleet. */
export interface IndexState {
  readonly exists: boolean;
  /** Fixed once declared or inferred from the first batch. */
  readonly primaryKey: string | null;
}

/**
 * The per-process cache of index existence and primary keys, filled from the nodes on
 * first use and kept current by the writes that go through this process.
 */
export interface IndexCatalog {
  describe(indexUid: string): Promise<IndexState>;
  /** The cached state, if any; used in the synchronous part of a write. */
  peek(indexUid: string): IndexState | undefined;
  set(indexUid: string, state: IndexState): void;
  forget(indexUid: string): void;
}

interface NodeIndex {
  readonly primaryKey?: string | null;
}

export function createIndexCatalog(nodes: NodeClient): IndexCatalog {
  const states = new Map<string, IndexState>();
  const lookups = new Map<string, Promise<IndexState>>();

  async function lookUp(indexUid: string): Promise<IndexState> {
    const answers = await Promise.allSettled(
      nodes.nodeIds.map((nodeId) =>
        nodes.call<NodeIndex>(nodeId, {
          method: "GET",
          path: `/indexes/${encodeURIComponent(indexUid)}`,
        }),
      ),
    );
    let exists = false;
    let primaryKey: string | null = null;
    for (const answer of answers) {
      if (answer.status !== "fulfilled" || answer.value.status !== 200) continue;
      exists = true;
      primaryKey ??= answer.value.body.primaryKey ?? null;
    }
    return { exists, primaryKey };
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
    },
    forget: (indexUid) => {
      states.delete(indexUid);
    },
  };
}
