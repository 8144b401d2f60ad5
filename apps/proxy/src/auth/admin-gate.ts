import { meiliError } from "@miroir/errors";
import type { MiddlewareHandler } from "hono";
import { secretsEqual } from "./secret-compare.js";

export interface AdminGateOptions {
  /** `admin.api_key`; when null the master key guards the admin API instead. */
  readonly adminKey: string | null;
  readonly masterKey: string | null;
}

/**
 * Guards `/_miroir/*`: the admin key as `Authorization: Bearer` or `X-Admin-Key`, compared
 * in constant time; missing or wrong answers `401 miroir_invalid_auth`. With neither an
 * admin key nor a master key configured the admin API is open, as Meilisearch is without
 * a master key.
 */
export function adminGate(options: AdminGateOptions): MiddlewareHandler {
  const expected = options.adminKey ?? options.masterKey;
  return async (c, next) => {
    if (expected !== null) {
      const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization")?.trim() ?? "");
      const given = c.req.header("x-admin-key")?.trim() ?? bearer?.[1]?.trim();
      if (given === undefined || !secretsEqual(given, expected)) {
        throw meiliError(
          "miroir_invalid_auth",
          "The admin API needs the admin key, as `Authorization: Bearer <key>` or `X-Admin-Key: <key>`.",
        );
      }
    }
    await next();
  };
}
