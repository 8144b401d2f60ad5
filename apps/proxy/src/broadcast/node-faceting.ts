/**
 * Facets are exact only when every node lists every value it holds: the merge sums them and
 * then cuts to the client's `maxValuesPerFacet` in Meilisearch's own order. So nodes keep
 * `NODE_MAX_VALUES_PER_FACET`, and the client's value travels with the index's settings on
 * every node, as a `sortFacetValuesBy` entry no attribute can match (nodes ignore it; it is
 * dumped, swapped, renamed and copied to joining nodes with the index). These functions
 * are the only place that knows the encoding; clients never see it.
 */

/** What every node is configured with; a node holding more values per facet is cut. */
export const NODE_MAX_VALUES_PER_FACET = 10_000;

/** Meilisearch's default `maxValuesPerFacet`. */
const DEFAULT_MAX_VALUES_PER_FACET = 100;

const MARKER = "_miroir_maxValuesPerFacet=";

type Orders = Record<string, unknown>;

export interface Faceting {
  maxValuesPerFacet?: number | null;
  sortFacetValuesBy?: Orders | null;
  [field: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The client's `maxValuesPerFacet` for faceting settings as a node stores them. */
export function clientMaxValuesPerFacet(nodeFaceting: unknown): number {
  const orders = isRecord(nodeFaceting) ? nodeFaceting.sortFacetValuesBy : undefined;
  if (isRecord(orders)) {
    for (const key of Object.keys(orders)) {
      if (key.startsWith(MARKER)) return Number(key.slice(MARKER.length));
    }
  }
  const stored = isRecord(nodeFaceting) ? nodeFaceting.maxValuesPerFacet : undefined;
  // An index no Miroir write configured yet shows what its nodes hold.
  if (typeof stored === "number" && stored !== NODE_MAX_VALUES_PER_FACET) return stored;
  return DEFAULT_MAX_VALUES_PER_FACET;
}

function withoutMarker(orders: unknown): Orders {
  const copy: Orders = {};
  if (!isRecord(orders)) return copy;
  for (const [key, value] of Object.entries(orders)) {
    if (!key.startsWith(MARKER)) copy[key] = value;
  }
  return copy;
}

/** Faceting settings as a client may see them. */
export function visibleFaceting(nodeFaceting: unknown): unknown {
  if (!isRecord(nodeFaceting)) return nodeFaceting;
  const visible: Record<string, unknown> = { ...nodeFaceting };
  visible.maxValuesPerFacet = clientMaxValuesPerFacet(nodeFaceting);
  if ("sortFacetValuesBy" in nodeFaceting) {
    visible.sortFacetValuesBy = withoutMarker(nodeFaceting.sortFacetValuesBy);
  }
  return visible;
}

/** The faceting part of the settings nodes keep when a client has not changed faceting. */
export const NODE_FACETING: Faceting = { maxValuesPerFacet: NODE_MAX_VALUES_PER_FACET };

/**
 * Sets the nodes' large maximum on an index: at its creation and after a reset of its
 * faceting settings.
 */
export function nodeFacetingStep(indexPath: string): {
  method: "PATCH";
  path: string;
  json: Faceting;
} {
  return { method: "PATCH", path: `${indexPath}/settings/faceting`, json: NODE_FACETING };
}

/**
 * The faceting a node receives for a client's faceting change, given what the nodes hold
 * now (`current`, as a node shows it): the nodes' large maximum, and the client's maximum
 * and orders (the changed ones, else the current ones) with the marker.
 */
export function nodeFacetingFor(change: unknown, current: unknown): unknown {
  if (!isRecord(change)) return change;
  const max = change.maxValuesPerFacet;
  const orders = change.sortFacetValuesBy;
  // A value a node refuses goes to the nodes as it is, for their error.
  if (max !== undefined && max !== null && !(Number.isInteger(max) && (max as number) >= 0)) {
    return change;
  }
  if (orders !== undefined && orders !== null && !isRecord(orders)) return change;
  const changesMax = "maxValuesPerFacet" in change;
  const changesOrders = "sortFacetValuesBy" in change;
  if (!changesMax && !changesOrders) return { ...change, ...NODE_FACETING };
  const clientMax = changesMax
    ? typeof max === "number"
      ? max
      : DEFAULT_MAX_VALUES_PER_FACET
    : clientMaxValuesPerFacet(current);
  // A null order map resets to the default, `*` alphabetical.
  const clientOrders = changesOrders
    ? isRecord(orders)
      ? { ...orders }
      : { "*": "alpha" }
    : withoutMarker(isRecord(current) ? current.sortFacetValuesBy : undefined);
  return {
    ...change,
    maxValuesPerFacet: NODE_MAX_VALUES_PER_FACET,
    sortFacetValuesBy: { ...clientOrders, [`${MARKER}${clientMax}`]: "alpha" },
  };
}
