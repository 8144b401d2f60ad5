/** Every action an API key may hold, as Meilisearch names them. */
export const ACTIONS = [
  "*",
  "search",
  "documents.*",
  "documents.add",
  "documents.get",
  "documents.delete",
  "indexes.*",
  "indexes.create",
  "indexes.get",
  "indexes.update",
  "indexes.delete",
  "indexes.swap",
  "tasks.*",
  "tasks.cancel",
  "tasks.delete",
  "tasks.get",
  "settings.*",
  "settings.get",
  "settings.update",
  "stats.*",
  "stats.get",
  "metrics.*",
  "metrics.get",
  "dumps.*",
  "dumps.create",
  "snapshots.*",
  "snapshots.create",
  "version",
  "keys.create",
  "keys.get",
  "keys.update",
  "keys.delete",
  "experimental.get",
  "experimental.update",
  "network.get",
  "network.update",
  "fields.*",
  "fields.post",
  "webhooks.*",
  "webhooks.get",
  "webhooks.create",
  "webhooks.update",
  "webhooks.delete",
  "chatCompletions",
  "chats.*",
  "chats.get",
  "chats.delete",
  "chatsSettings.*",
  "chatsSettings.get",
  "chatsSettings.update",
  "*.get",
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * Whether a key holding `granted` may perform `required` (`*`, `family.*` and `*.get`
 * cover). Key management is never covered by a wildcard: it takes the `keys.*` action
 * itself, which is why the default admin key cannot manage keys and the read-only admin
 * key lists `keys.get` beside `*.get`.
 */
export function actionCovers(granted: string, required: Action): boolean {
  if (granted === required) return true;
  if (required.startsWith("keys.")) return false;
  if (granted === "*") return true;
  if (granted === "*.get") return required.endsWith(".get") || required === "version";
  if (granted.endsWith(".*")) return required.startsWith(granted.slice(0, -1));
  return false;
}

/** Whether an index pattern of a key (`*`, `movies`, `movies*`) names the index. */
export function indexPatternCovers(pattern: string, indexUid: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return indexUid.startsWith(pattern.slice(0, -1));
  return pattern === indexUid;
}
