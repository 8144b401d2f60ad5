import { createHmac, timingSafeEqual } from "node:crypto";
import { indexPatternCovers } from "./key-actions.js";

/** A search filter in either of Meilisearch's forms: a string or nested arrays of strings. */
export type SearchFilter = string | readonly (string | readonly string[])[];

/** `searchRules` of a tenant token: index patterns, or patterns mapped to their rules. */
export type SearchRules =
  | readonly string[]
  | Readonly<Record<string, { readonly filter?: SearchFilter | null } | null>>;

export interface TenantClaims {
  readonly apiKeyUid: string;
  readonly searchRules: SearchRules;
  readonly exp?: number;
}

/** Whether a bearer value has the shape of a JWT (three base64url segments). */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

/** The claims of a token without checking its signature, or undefined when malformed. */
export function unverifiedClaims(token: string): TenantClaims | undefined {
  const [head, body] = token.split(".");
  if (head === undefined || body === undefined) return undefined;
  try {
    const header = JSON.parse(Buffer.from(head, "base64url").toString("utf8")) as {
      alg?: unknown;
    };
    const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Partial<
      Record<keyof TenantClaims, unknown>
    >;
    if (header.alg !== "HS256" || typeof claims.apiKeyUid !== "string") return undefined;
    if (typeof claims.searchRules !== "object" || claims.searchRules === null) return undefined;
    if (claims.exp !== undefined && typeof claims.exp !== "number") return undefined;
    return claims as TenantClaims;
  } catch {
    return undefined;
  }
}

/**
 * Whether `token` is signed (HS256) with the API key value `signingKey` and not expired at
 * `nowSeconds`. The signature is compared in constant time.
 */
export function tenantTokenValid(token: string, signingKey: string, nowSeconds: number): boolean {
  const [head, body, signature] = token.split(".");
  if (head === undefined || body === undefined || signature === undefined) return false;
  const expected = createHmac("sha256", signingKey).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const claims = unverifiedClaims(token);
  return claims !== undefined && (claims.exp === undefined || claims.exp > nowSeconds);
}

/**
 * The rule of a token for one index: undefined when the index is not allowed, else the
 * filter to AND with the query's (null for none). An exact index name wins over patterns.
 */
export function ruleFor(rules: SearchRules, indexUid: string): SearchFilter | null | undefined {
  if (Array.isArray(rules)) {
    return (rules as readonly string[]).some((pattern) => indexPatternCovers(pattern, indexUid))
      ? null
      : undefined;
  }
  const byPattern = rules as Readonly<Record<string, { filter?: SearchFilter | null } | null>>;
  const pattern = Object.hasOwn(byPattern, indexUid)
    ? indexUid
    : Object.keys(byPattern).find((candidate) => indexPatternCovers(candidate, indexUid));
  if (pattern === undefined) return undefined;
  return byPattern[pattern]?.filter ?? null;
}
