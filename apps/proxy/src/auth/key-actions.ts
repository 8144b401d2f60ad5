/**
 * The actions an API key may hold, named as Meilisearch names them, and how a granted
 * action covers a required one.
 */
export type KeyAction = string;

/**
 * Whether a key holding `granted` may perform `required`: `*` covers everything but key
 * management, `family.*` covers the family, `*.get` covers every read and `version`.
 * Managing keys always takes the `keys.*` action itself, which is why Meilisearch's
 * default admin key cannot manage keys.
 */
export function actionCovers(granted: KeyAction, required: KeyAction): boolean {
  if (granted === required) return true;
  if (required.startsWith("keys.")) return false;
  if (granted === "*") return true;
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
