import { meiliError } from "@miroir/errors";
import type { MiddlewareHandler } from "hono";
import { type Action, actionCovers, indexPatternCovers } from "./actions.js";
import type { KeyStore } from "./key-store.js";
import { looksLikeJwt, ruleFor, type SearchFilter, verifyTenantToken } from "./tenant-token.js";

/** What the caller of a request may do, once its key or token has been checked. */
export interface Access {
  /** Whether the caller may act on the index. */
  allows(indexUid: string): boolean;
  /**
   * Whether the caller may act on every index (the master key, or a key whose `indexes`
   * hold `*`): only then does it see the tasks that name no index.
   */
  readonly allIndexes: boolean;
  /** The tenant-token filter to AND with a search on the index (null: none). */
  searchFilter(indexUid: string): SearchFilter | null;
}

export const FULL_ACCESS: Access = {
  allows: () => true,
  allIndexes: true,
  searchFilter: () => null,
};

export type AccessEnv = { Variables: { access: Access } };

export function invalidApiKey() {
  return meiliError("invalid_api_key", "The provided API key is invalid.");
}

/**
 * Checks `Authorization: Bearer` for one action as Meilisearch does: no master key, no
 * checks; the master key may do anything; an API key needs the action, an allowed index
 * (the route's `:uid`) and no past `expiresAt`; tenant tokens only reach search routes.
 */
export function authorize(keys: KeyStore | null, action: Action): MiddlewareHandler<AccessEnv> {
  return async (c, next) => {
    c.set(
      "access",
      keys === null ? FULL_ACCESS : check(keys, action, c.req.header("authorization")),
    );
    const uid = c.req.param("uid");
    if (uid !== undefined && !c.var.access.allows(uid)) throw invalidApiKey();
    await next();
  };
}

function check(keys: KeyStore, action: Action, header: string | undefined): Access {
  if (header === undefined) {
    throw meiliError(
      "missing_authorization_header",
      "The Authorization header is missing. It must use the bearer authorization method.",
    );
  }
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (match === null) throw invalidApiKey();
  const token = (match[1] as string).trim();
  if (token === keys.masterKey) return FULL_ACCESS;
  const key = keys.find(token);
  if (key !== undefined && key.key === token) {
    const expired = key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now();
    if (expired || !key.actions.some((granted) => actionCovers(granted, action))) {
      throw invalidApiKey();
    }
    const allows = (uid: string) => key.indexes.some((p) => indexPatternCovers(p, uid));
    return { allows, allIndexes: key.indexes.includes("*"), searchFilter: () => null };
  }
  if (action !== "search" || !looksLikeJwt(token)) throw invalidApiKey();
  const verified = verifyTenantToken(token, (uid) => keys.find(uid), Date.now() / 1000);
  if (verified === undefined) throw invalidApiKey();
  const { claims, key: parent } = verified;
  const parentValid =
    (parent.expiresAt === null || Date.parse(parent.expiresAt) > Date.now()) &&
    parent.actions.some((granted) => actionCovers(granted, "search"));
  if (!parentValid) throw invalidApiKey();
  return {
    allows: (uid) =>
      parent.indexes.some((p) => indexPatternCovers(p, uid)) &&
      ruleFor(claims.searchRules, uid) !== undefined,
    allIndexes: false,
    searchFilter: (uid) => ruleFor(claims.searchRules, uid) ?? null,
  };
}
