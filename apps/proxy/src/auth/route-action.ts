import type { KeyAction } from "./key-actions.js";

/** What a request needs: the action its key must hold and the index it acts on, if any. */
export interface RouteRequirement {
  readonly action: KeyAction;
  readonly indexUid: string | null;
}

interface RouteRule {
  readonly pattern: RegExp;
  readonly actions: Readonly<Partial<Record<string, KeyAction>>>;
}

const UID = "([^/]+)";

/**
 * Meilisearch's routes and the action each method needs. The first capture group, when
 * present, is the index uid the key's `indexes` must allow.
 */
const RULES: readonly RouteRule[] = [
  { pattern: /^\/version$/, actions: { GET: "version" } },
  { pattern: /^\/stats$/, actions: { GET: "stats.get" } },
  { pattern: /^\/indexes$/, actions: { GET: "indexes.get", POST: "indexes.create" } },
  {
    pattern: new RegExp(`^/indexes/${UID}$`),
    actions: { GET: "indexes.get", PATCH: "indexes.update", DELETE: "indexes.delete" },
  },
  { pattern: new RegExp(`^/indexes/${UID}/stats$`), actions: { GET: "stats.get" } },
  { pattern: new RegExp(`^/indexes/${UID}/fields$`), actions: { POST: "fields.post" } },
  {
    pattern: new RegExp(`^/indexes/${UID}/(?:search|similar)$`),
    actions: { GET: "search", POST: "search" },
  },
  { pattern: new RegExp(`^/indexes/${UID}/facet-search$`), actions: { POST: "search" } },
  {
    pattern: new RegExp(`^/indexes/${UID}/documents$`),
    actions: {
      GET: "documents.get",
      POST: "documents.add",
      PUT: "documents.add",
      DELETE: "documents.delete",
    },
  },
  { pattern: new RegExp(`^/indexes/${UID}/documents/fetch$`), actions: { POST: "documents.get" } },
  {
    pattern: new RegExp(`^/indexes/${UID}/documents/(?:delete|delete-batch)$`),
    actions: { POST: "documents.delete" },
  },
  { pattern: new RegExp(`^/indexes/${UID}/documents/edit$`), actions: { POST: "documents.*" } },
  {
    pattern: new RegExp(`^/indexes/${UID}/documents/[^/]+$`),
    actions: { GET: "documents.get", DELETE: "documents.delete" },
  },
  {
    pattern: new RegExp(`^/indexes/${UID}/settings(?:/[^/]+)?$`),
    actions: {
      GET: "settings.get",
      PATCH: "settings.update",
      PUT: "settings.update",
      DELETE: "settings.update",
    },
  },
  { pattern: /^\/multi-search$/, actions: { POST: "search" } },
  { pattern: /^\/swap-indexes$/, actions: { POST: "indexes.swap" } },
  { pattern: /^\/tasks$/, actions: { GET: "tasks.get", DELETE: "tasks.delete" } },
  { pattern: /^\/tasks\/cancel$/, actions: { POST: "tasks.cancel" } },
  { pattern: /^\/tasks\/[^/]+(?:\/documents)?$/, actions: { GET: "tasks.get" } },
  { pattern: /^\/batches(?:\/[^/]+)?$/, actions: { GET: "tasks.get" } },
  { pattern: /^\/keys$/, actions: { GET: "keys.get", POST: "keys.create" } },
  {
    pattern: /^\/keys\/[^/]+$/,
    actions: { GET: "keys.get", PATCH: "keys.update", DELETE: "keys.delete" },
  },
  { pattern: /^\/dumps$/, actions: { POST: "dumps.create" } },
  { pattern: /^\/snapshots$/, actions: { POST: "snapshots.create" } },
  { pattern: /^\/metrics$/, actions: { GET: "metrics.get" } },
  {
    pattern: /^\/experimental-features$/,
    actions: { GET: "experimental.get", PATCH: "experimental.update" },
  },
  { pattern: /^\/render-template$/, actions: { POST: "settings.get" } },
  { pattern: /^\/network$/, actions: { GET: "network.get", PATCH: "network.update" } },
  { pattern: /^\/webhooks$/, actions: { GET: "webhooks.get", POST: "webhooks.create" } },
  {
    pattern: /^\/webhooks\/[^/]+$/,
    actions: { GET: "webhooks.get", PATCH: "webhooks.update", DELETE: "webhooks.delete" },
  },
];

/**
 * The action a Meilisearch route needs, or `*` for a route this table does not name: such
 * a route is left to the master key and keys holding every action.
 */
export function routeRequirement(method: string, path: string): RouteRequirement {
  for (const rule of RULES) {
    const match = rule.pattern.exec(path);
    if (match === null) continue;
    const action = rule.actions[method.toUpperCase()];
    if (action === undefined) break;
    const uid = match[1];
    return { action, indexUid: uid === undefined ? null : decodedSegment(uid) };
  }
  return { action: "*", indexUid: null };
}

function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
