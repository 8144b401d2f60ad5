/**
 * The actions an API key may hold, named as Meilisearch names them, and how a granted
 * action covers a required one.
 */
export type KeyAction = string;

/**
 * Whether a key holding `granted` may perform `required`, as Meilisearch 1.50 decides:
 * `*` covers everything, key management included (so the default admin key manages
 * keys); `family.*` covers the family; `*.get` covers every read and `version`. The other
 * wildcards never cover key management: listing keys takes `keys.get` itself, which is
 * why the default read-only admin key lists it beside `*.get`.
 */
export function actionCovers(granted: KeyAction, required: KeyAction): boolean {
  if (granted === required || granted === "*") return true;
  if (required.startsWith("keys.")) return false;
  if (granted === "*.get") return required.endsWith(".get") || required === "version";
  if (granted.endsWith(".*")) return required.startsWith(granted.slice(0, -1));
  return false;
}

/** Whether an index pattern of a key or a tenant token (`*`, `movies`, `movies*`) names the index. */
export function indexPatternCovers(pattern: string, indexUid: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return indexUid.startsWith(pattern.slice(0, -1));
  return pattern === indexUid;
}
