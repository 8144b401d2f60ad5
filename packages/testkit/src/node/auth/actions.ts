/** Every action an API key may hold, as Meilisearch 1.50 names and lists them. */
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
  "export",
  "network.get",
  "network.update",
  "chatCompletions",
  "chats.*",
  "chats.get",
  "chats.delete",
  "chatsSettings.*",
  "chatsSettings.get",
  "chatsSettings.update",
  "*.get",
  "webhooks.get",
  "webhooks.update",
  "webhooks.delete",
  "webhooks.create",
  "webhooks.*",
  "indexes.compact",
  "fields.post",
  "tasks.compact",
  "dynamicSearchRules.get",
  "dynamicSearchRules.create",
  "dynamicSearchRules.update",
  "dynamicSearchRules.delete",
  "dynamicSearchRules.*",
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * Whether a key holding `granted` may perform `required`: `*` covers everything, key
 * management included; `family.*` covers its family; `*.get` covers every read but the
 * keys (which is why the default read-only admin key also lists `keys.get`).
 */
export function actionCovers(granted: string, required: Action): boolean {
  if (granted === required || granted === "*") return true;
  if (required.startsWith("keys.")) return false;
  if (granted === "*.get") return required.endsWith(".get") || required === "version";
  if (granted.endsWith(".*")) return required.startsWith(granted.slice(0, -1));
  return false;
}

/** Actions that reach beyond indexes, which a key limited to some indexes may not hold. */
const GLOBAL_ACTION =
  /^(metrics|dumps|snapshots|keys|experimental|network|chats|chatsSettings|webhooks|dynamicSearchRules)\.|^(version|export|tasks\.compact)$/;

export function isGlobalAction(action: string): boolean {
  return GLOBAL_ACTION.test(action);
}

/** Whether an index pattern of a key (`*`, `movies`, `movies*`) names the index. */
export function indexPatternCovers(pattern: string, indexUid: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return indexUid.startsWith(pattern.slice(0, -1));
  return pattern === indexUid;
}
