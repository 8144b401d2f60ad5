import { createHmac, timingSafeEqual } from "node:crypto";
import type { FilterArray } from "../../engine/index.js";
import { indexPatternCovers } from "./actions.js";
import type { ApiKey } from "./key-store.js";

export type SearchFilter = string | FilterArray;

/** `searchRules` of a tenant token: index patterns, or patterns mapped to their rules. */
export type SearchRules = string[] | Record<string, { filter?: SearchFilter | null } | null>;

export interface TenantToken {
  apiKeyUid: string;
  searchRules: SearchRules;
  exp?: number;
}

function base64url(text: string): Buffer {
  return Buffer.from(text, "base64url");
}

/** Whether a bearer value has the shape of a JWT. */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

/** The claims of a token signed (HS256) by one of the keys, or undefined when invalid. */
export function verifyTenantToken(
  token: string,
  keyOf: (uid: string) => ApiKey | undefined,
  nowSeconds: number,
): { claims: TenantToken; key: ApiKey } | undefined {
  const [head, body, signature] = token.split(".") as [string, string, string];
  let header: { alg?: unknown };
  let claims: Partial<TenantToken>;
  try {
    header = JSON.parse(base64url(head).toString("utf8"));
    claims = JSON.parse(base64url(body).toString("utf8"));
  } catch {
    return undefined;
  }
  if (header.alg !== "HS256" || typeof claims.apiKeyUid !== "string") return undefined;
  if (claims.searchRules === undefined || claims.searchRules === null) return undefined;
  const key = keyOf(claims.apiKeyUid);
  if (key === undefined) return undefined;
  const expected = createHmac("sha256", key.key).update(`${head}.${body}`).digest();
  const given = base64url(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (claims.exp !== undefined && (typeof claims.exp !== "number" || claims.exp <= nowSeconds)) {
    return undefined;
  }
  return { claims: claims as TenantToken, key };
}

/**
 * The rule of a token for one index: `undefined` when the index is not allowed, else the
 * filter to AND with the query's (null for none). An exact index name wins over patterns.
 */
export function ruleFor(rules: SearchRules, indexUid: string): SearchFilter | null | undefined {
  if (Array.isArray(rules)) {
    return rules.some((pattern) => indexPatternCovers(pattern, indexUid)) ? null : undefined;
  }
  const pattern = Object.hasOwn(rules, indexUid)
    ? indexUid
    : Object.keys(rules).find((candidate) => indexPatternCovers(candidate, indexUid));
  if (pattern === undefined) return undefined;
  return rules[pattern]?.filter ?? null;
}

/** Signs a tenant token (HS256) with an API key's value; for tests and tools. */
export function signTenantToken(claims: TenantToken, apiKey: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const unsigned = `${encode({ alg: "HS256", typ: "JWT" })}.${encode(claims)}`;
  return `${unsigned}.${createHmac("sha256", apiKey).update(unsigned).digest("base64url")}`;
}
