import { signTenantToken } from "@miroir/testkit";
import { describe, expect, it } from "vitest";
import { looksLikeJwt, ruleFor, tenantTokenValid, unverifiedClaims } from "./tenant-token.js";

const KEY = "a-parent-api-key-value";
const NOW = 1_800_000_000;

describe("tenant tokens", () => {
  it("accepts a token signed by the key before its exp, and reads its claims", () => {
    const token = signTenantToken({ apiKeyUid: "u", searchRules: ["*"], exp: NOW + 60 }, KEY);
    expect(looksLikeJwt(token)).toBe(true);
    expect(tenantTokenValid(token, KEY, NOW)).toBe(true);
    expect(unverifiedClaims(token)).toMatchObject({ apiKeyUid: "u", searchRules: ["*"] });
  });

  it("refuses an expired token, another key's signature and a changed payload", () => {
    const expired = signTenantToken({ apiKeyUid: "u", searchRules: ["*"], exp: NOW - 1 }, KEY);
    expect(tenantTokenValid(expired, KEY, NOW)).toBe(false);
    const other = signTenantToken({ apiKeyUid: "u", searchRules: ["*"] }, "another-key");
    expect(tenantTokenValid(other, KEY, NOW)).toBe(false);
    const [head, , signature] = signTenantToken({ apiKeyUid: "u", searchRules: ["a"] }, KEY).split(
      ".",
    );
    const body = Buffer.from(JSON.stringify({ apiKeyUid: "u", searchRules: ["*"] })).toString(
      "base64url",
    );
    expect(tenantTokenValid(`${head}.${body}.${signature}`, KEY, NOW)).toBe(false);
  });

  it("refuses malformed tokens: not HS256, no apiKeyUid, no searchRules, bad JSON", () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    expect(
      unverifiedClaims(
        `${encode({ alg: "none" })}.${encode({ apiKeyUid: "u", searchRules: [] })}.x`,
      ),
    ).toBeUndefined();
    expect(
      unverifiedClaims(`${encode({ alg: "HS256" })}.${encode({ searchRules: [] })}.x`),
    ).toBeUndefined();
    expect(
      unverifiedClaims(`${encode({ alg: "HS256" })}.${encode({ apiKeyUid: "u" })}.x`),
    ).toBeUndefined();
    expect(unverifiedClaims("e30.bm90LWpzb24.x")).toBeUndefined();
    expect(looksLikeJwt("not a token")).toBe(false);
  });

  it("gives each index its rule: exact name before patterns, null for no filter, undefined when not allowed", () => {
    const rules = {
      "mov*": { filter: "genre = drama" },
      movies: { filter: "year > 2000" },
      books: null,
    };
    expect(ruleFor(rules, "movies")).toBe("year > 2000");
    expect(ruleFor(rules, "movies2")).toBe("genre = drama");
    expect(ruleFor(rules, "books")).toBeNull();
    expect(ruleFor(rules, "songs")).toBeUndefined();
    expect(ruleFor(["mov*"], "movies")).toBeNull();
    expect(ruleFor(["mov*"], "books")).toBeUndefined();
  });
});
