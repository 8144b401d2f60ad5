import { routeRequirement } from "../auth/index.js";

/** Actions of routes that take a body but only read (searches, fetches, template renders). */
const READ_ACTIONS = new Set(["search", "documents.get", "fields.post", "settings.get"]);

/**
 * Whether a request is a Meilisearch write (documents, settings, indexes, keys, tasks,
 * webhooks, dumps…): any method but GET on a route whose action changes something. The
 * admin API and routes Meilisearch does not have are not.
 */
export function isWriteRequest(method: string, path: string): boolean {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return false;
  const { action } = routeRequirement(method, path);
  return action !== "*" && !READ_ACTIONS.has(action) && !action.endsWith(".get");
}

/** The index a Meilisearch route acts on (`/indexes/{uid}/…`), null for the others. */
export function indexOfRequest(method: string, path: string): string | null {
  return routeRequirement(method, path).indexUid;
}
