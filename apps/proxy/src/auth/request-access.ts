import { meiliError } from "@miroir/errors";
import type { Context, MiddlewareHandler } from "hono";
import { aliasUseOf, type ResolvedAlias } from "../aliases/alias-table.js";
import { keyExpired } from "./api-key.js";
import { checkBodyIndexes } from "./body-indexes.js";
import { actionCovers, indexPatternCovers } from "./key-actions.js";
import type { KeyCache } from "./key-cache.js";
import { routeRequirement } from "./route-action.js";
import { secretsEqual } from "./secret-compare.js";
import { applyTenantRules } from "./tenant-filter.js";
import {
  looksLikeJwt,
  ruleFor,
  type SearchFilter,
  tenantTokenValid,
  unverifiedClaims,
} from "./tenant-token.js";

/** What the caller of a request may do, once its key or tenant token has been checked. */
export interface RequestAccess {
  /** Whether the caller may act on the index (its key's `indexes`, its token's rules). */
  allowsIndex(indexUid: string): boolean;
  /**
   * Whether the caller may act on every index (the master key, or a key whose `indexes`
   * hold `*`): only then does it see the tasks that name no index.
   */
  readonly allIndexes: boolean;
  /**
   * The tenant token's filter for a search on the index; null when there is none. It is
   * already ANDed into the search request by the time a route reads it.
   */
  searchFilter(indexUid: string): SearchFilter | null;
}

export const FULL_ACCESS: RequestAccess = {
  allowsIndex: () => true,
  allIndexes: true,
  searchFilter: () => null,
};

export type AuthEnv = { Variables: { access: RequestAccess } };

/** The access `authenticate` granted this request (full access when auth is off). */
export function accessOf(c: Context): RequestAccess {
  return (c.get("access") as RequestAccess | undefined) ?? FULL_ACCESS;
}

/**
 * Throws `invalid_api_key` unless the caller may act on the index. Routes whose indexes
 * are in the body (multi-search, swap-indexes) call this for each of them.
 */
export function assertIndexAllowed(c: Context, indexUid: string): void {
  if (!accessOf(c).allowsIndex(indexUid)) throw invalidApiKey();
}

export function invalidApiKey() {
  return meiliError("invalid_api_key", "The provided API key is invalid.");
}

export interface AuthenticateOptions {
  /** The client-facing master key; null turns authentication off, as in Meilisearch. */
  readonly masterKey: string | null;
  readonly keys: KeyCache;
  /** Largest body read when a tenant token's filter is written into a search. */
  readonly bodyLimitBytes: number;
  readonly now?: () => number;
}

/** Paths outside Meilisearch's key checks: the root, liveness, and the admin API (admin-key gated). */
function exempt(path: string): boolean {
  return path === "/" || path === "/health" || path === "/_miroir" || path.startsWith("/_miroir/");
}

/**
 * Checks `Authorization: Bearer` as Meilisearch does, before any route runs: the master
 * key may do anything; an API key needs the route's action, an index its `indexes` allow
 * and no past `expiresAt`; a tenant token reaches search routes only, signed by a key
 * that may search, with `searchRules` naming the index, and its rule's filter is written
 * into the search itself (see `applyTenantRules`), so every read route enforces it. The
 * verdict is left on the context for `accessOf`.
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler {
  return async (c, next) => {
    const checked = await checkAccess(
      options,
      c.req.method,
      c.req.path,
      c.req.header("authorization"),
      aliasUseOf(c.env)?.aliases ?? [],
    );
    if (checked !== null) {
      const { access, action } = checked;
      c.set("access", access);
      if (access !== FULL_ACCESS && action === "search") {
        await applyTenantRules(c, access, options.bodyLimitBytes, invalidApiKey);
      } else if (access !== FULL_ACCESS) {
        await checkBodyIndexes(c, access.allowsIndex, options.bodyLimitBytes, invalidApiKey);
      }
    }
    await next();
  };
}

/**
 * The key checks of `authenticate` on a request's method, path and `Authorization` header
 * (before any body is read): the caller's access and the route's action, or null when the
 * request is outside the checks (no master key, or an exempt path). Throws Meilisearch's
 * auth errors.
 */
export async function checkAccess(
  options: AuthenticateOptions,
  method: string,
  path: string,
  authorization: string | undefined,
  aliases: readonly ResolvedAlias[],
): Promise<{ access: RequestAccess; action: string } | null> {
  const masterKey = options.masterKey;
  if (masterKey === null || exempt(path)) return null;
  const requirement = routeRequirement(method, path);
  const now = options.now ?? Date.now;
  const access = throughAliases(
    await check(options.keys, masterKey, requirement.action, authorization, now()),
    aliases,
  );
  if (requirement.indexUid !== null && !access.allowsIndex(requirement.indexUid)) {
    throw invalidApiKey();
  }
  return { access, action: requirement.action };
}

/**
 * A key or token allowed on an alias's name reaches the indexes the alias names, for this
 * request only (the request was rewritten to those indexes); its search rule for the alias
 * applies to them.
 */
function throughAliases(access: RequestAccess, aliases: readonly ResolvedAlias[]): RequestAccess {
  if (access === FULL_ACCESS || aliases.length === 0) return access;
  const aliasOf = (uid: string) =>
    aliases.find((alias) => alias.indexes.includes(uid) && access.allowsIndex(alias.name));
  return {
    allowsIndex: (uid) => access.allowsIndex(uid) || aliasOf(uid) !== undefined,
    allIndexes: access.allIndexes,
    searchFilter(uid) {
      if (access.allowsIndex(uid)) return access.searchFilter(uid);
      const alias = aliasOf(uid);
      return alias === undefined ? null : access.searchFilter(alias.name);
    },
  };
}

async function check(
  keys: KeyCache,
  masterKey: string,
  action: string,
  header: string | undefined,
  nowMs: number,
): Promise<RequestAccess> {
  if (header === undefined) {
    throw meiliError(
      "missing_authorization_header",
      "The Authorization header is missing. It must use the bearer authorization method.",
    );
  }
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (match === null) throw invalidApiKey();
  const token = (match[1] as string).trim();
  if (secretsEqual(token, masterKey)) return FULL_ACCESS;
  const key = await keys.byValue(token);
  if (key !== undefined) {
    if (keyExpired(key, nowMs) || !key.actions.some((granted) => actionCovers(granted, action))) {
      throw invalidApiKey();
    }
    return {
      allowsIndex: (uid) => key.indexes.some((pattern) => indexPatternCovers(pattern, uid)),
      allIndexes: key.indexes.includes("*"),
      searchFilter: () => null,
    };
  }
  if (action !== "search" || !looksLikeJwt(token)) throw invalidApiKey();
  const claims = unverifiedClaims(token);
  if (claims === undefined) throw invalidApiKey();
  const parent = await keys.byUid(claims.apiKeyUid);
  const valid =
    parent !== undefined &&
    tenantTokenValid(token, parent.key, nowMs / 1000) &&
    !keyExpired(parent, nowMs) &&
    parent.actions.some((granted) => actionCovers(granted, "search"));
  if (!valid) throw invalidApiKey();
  return {
    allowsIndex: (uid) =>
      parent.indexes.some((pattern) => indexPatternCovers(pattern, uid)) &&
      ruleFor(claims.searchRules, uid) !== undefined,
    allIndexes: false,
    searchFilter: (uid) => ruleFor(claims.searchRules, uid) ?? null,
  };
}
