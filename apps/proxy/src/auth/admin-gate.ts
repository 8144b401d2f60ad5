import type { MiroirConfig } from "@miroir/config";
import { meiliError } from "@miroir/errors";
import type { MiddlewareHandler } from "hono";
import { secretsEqual } from "./secret-compare.js";

export interface AdminGateOptions {
  /** `admin.api_key`; when null the master key guards the admin API instead. */
  readonly adminKey: string | null;
  readonly masterKey: string | null;
  /** Told of every refused request (for the failure metric and log); never given the key. */
  readonly onRefused?: (reason: "missing" | "wrong", path: string) => void;
}

/**
 * Guards `/_miroir/*`: the admin key (or, without one, the master key) as
 * `Authorization: Bearer` or `X-Admin-Key`, compared in constant time; a missing or wrong
 * key answers `401 miroir_invalid_auth`. Without either key nothing passes: Miroir refuses
 * to start that way (`assertAdminGuarded`), and the gate never opens by default.
 */
export function adminGate(options: AdminGateOptions): MiddlewareHandler {
  const expected = options.adminKey ?? options.masterKey;
  return async (c, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization")?.trim() ?? "");
    const given = c.req.header("x-admin-key")?.trim() ?? bearer?.[1]?.trim();
    if (
      given === undefined ||
      given === "" ||
      expected === null ||
      !secretsEqual(given, expected)
    ) {
      options.onRefused?.(given === undefined || given === "" ? "missing" : "wrong", c.req.path);
      throw meiliError(
        "miroir_invalid_auth",
        "The admin API needs the admin key, as `Authorization: Bearer <key>` or `X-Admin-Key: <key>`.",
      );
    }
    await next();
  };
}

/** Why Miroir will not start: a configuration that would leave a door open. */
export class UnsafeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeConfigError";
  }
}

/**
 * Refuses a configuration whose admin API is enabled with neither an admin key nor a
 * master key to guard it: the admin API can add nodes, which then receive the node master
 * key, every API key and every index definition.
 */
export function assertAdminGuarded(config: MiroirConfig): void {
  if (config.admin.enabled && config.admin.api_key === null && config.master_key === null) {
    throw new UnsafeConfigError(
      "miroir: the admin API is enabled but unguarded: set MIROIR_ADMIN_API_KEY (admin.api_key) or MIROIR_MASTER_KEY (master_key), or set admin.enabled: false",
    );
  }
}
