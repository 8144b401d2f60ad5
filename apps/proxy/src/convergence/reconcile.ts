/**
 * What each replica of one shard must change so that all of them hold the newest version
 * of every document, decided from the (id → version) fingerprints alone.
 *
 * For each document id seen on some replica:
 * - a tombstone at least as new as every stored version means the document was deleted:
 *   every replica that still holds it deletes it;
 * - otherwise the newest version wins and is copied to every replica that lacks it or
 *   holds an older one — unless that version is 0 (the document never went through
 *   Miroir, so nothing vouches for it) and some replica lacks it: then it is an extra,
 *   and the replicas holding it delete it;
 * - a document that only an untrusted replica holds (one that missed writes no hint
 *   kept, see `anti_entropy.max_hints_per_node`) is deleted there too: it may be one
 *   whose deletion left no tombstone.
 */
export interface ShardRepair {
  /** Per replica to fix: the ids to copy there, each from a replica holding the winner. */
  readonly copies: Map<string, Map<string, string>>;
  /** Per replica: the ids to delete there. */
  readonly deletions: Map<string, string[]>;
  /** Ids on which the replicas disagreed. */
  readonly divergent: string[];
}

/** Version of a document stored without Miroir's version field. */
export const UNVERSIONED = 0;

export function reconcileShard(
  replicas: ReadonlyMap<string, ReadonlyMap<string, number>>,
  tombstones: ReadonlyMap<string, number>,
  /** A replica whose documents nobody else vouches for are extras. */
  untrusted?: string,
): ShardRepair {
  const copies = new Map<string, Map<string, string>>();
  const deletions = new Map<string, string[]>();
  const divergent: string[] = [];
  const ids = new Set<string>();
  for (const versions of replicas.values()) for (const id of versions.keys()) ids.add(id);
  const nodeIds = [...replicas.keys()].sort();
  for (const id of [...ids].sort()) {
    let newest = -1;
    let holder = "";
    let agreed = true;
    let first: number | undefined;
    for (const nodeId of nodeIds) {
      const version = replicas.get(nodeId)?.get(id);
      if (version === undefined) {
        agreed = false;
        continue;
      }
      if (first === undefined) first = version;
      else if (first !== version) agreed = false;
      if (version > newest) {
        newest = version;
        holder = nodeId;
      }
    }
    const tombstone = tombstones.get(id);
    const deleted = tombstone !== undefined && tombstone >= newest;
    if (agreed && !deleted) continue;
    divergent.push(id);
    const missingSomewhere = nodeIds.some((nodeId) => !replicas.get(nodeId)?.has(id));
    const unvouched =
      untrusted !== undefined &&
      nodeIds.length > 1 &&
      nodeIds.every(
        (nodeId) => (nodeId === untrusted) === (replicas.get(nodeId)?.has(id) === true),
      );
    if (deleted || unvouched || (newest === UNVERSIONED && missingSomewhere)) {
      for (const nodeId of nodeIds) {
        if (replicas.get(nodeId)?.has(id) !== true) continue;
        const list = deletions.get(nodeId) ?? [];
        list.push(id);
        deletions.set(nodeId, list);
      }
      continue;
    }
    for (const nodeId of nodeIds) {
      const version = replicas.get(nodeId)?.get(id);
      if (version !== undefined && version >= newest) continue;
      const list = copies.get(nodeId) ?? new Map<string, string>();
      list.set(id, holder);
      copies.set(nodeId, list);
    }
  }
  return { copies, deletions, divergent };
}
