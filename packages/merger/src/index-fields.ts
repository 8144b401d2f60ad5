/** One field of `POST /indexes/{uid}/fields` as a node answers it. */
export interface IndexField {
  readonly name: string;
  readonly [capability: string]: unknown;
}

/**
 * The index's fields over every node: each node knows the fields of the documents it
 * holds, so the cluster's fields are their union (settings are identical on every node,
 * so any node's description of a field is the cluster's). Miroir's `_miroir_*` fields are
 * never shown; fields are ordered by name, since nodes meet fields in different orders.
 */
export function mergeIndexFields(perNode: readonly (readonly IndexField[])[]): IndexField[] {
  const byName = new Map<string, IndexField>();
  for (const fields of perNode) {
    for (const field of fields) {
      if (field.name.startsWith("_miroir_") || byName.has(field.name)) continue;
      byName.set(field.name, field);
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
