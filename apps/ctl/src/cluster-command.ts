import { Flags } from "@oclif/core";
import { MiroirCommand } from "./base-command.js";
import { CliFailure } from "./cli-failure.js";
import { type AdminClient, createAdminClient } from "./client/admin-client.js";
import type { RequestTarget } from "./client/http-request.js";
import { createMeiliClient, type MeiliClient } from "./client/meili-client.js";
import { resolveAdminKey, resolveApiKey } from "./connection/resolve-keys.js";
import { ExitCode } from "./exit-codes.js";

const REQUEST_TIMEOUT_MS = 10_000;

const ADMIN_KEY_HINT =
  "pass --admin-key, set MIROIR_ADMIN_API_KEY, or write admin_api_key under [default] in ~/.config/miroir/credentials";
const API_KEY_HINT =
  "pass --api-key, set MIROIR_MASTER_KEY, or write api_key under [default] in ~/.config/miroir/credentials";

export interface ConnectionFlags {
  readonly url: string;
  readonly "admin-key"?: string | undefined;
  readonly "api-key"?: string | undefined;
}

/** `--admin-key`, for commands that call the admin API. */
export const adminKeyFlags = {
  "admin-key": Flags.string({
    summary: "Admin API key for the /_miroir routes.",
    description:
      "Precedence: this flag, then MIROIR_ADMIN_API_KEY, then admin_api_key under [default] in ~/.config/miroir/credentials (refused unless its mode is 0600). Prefer the variable or the file: a flag shows in the process list.",
    helpGroup: "CONNECTION",
  }),
};

/** `--api-key`, for commands that call Meilisearch routes (tasks, keys). */
export const apiKeyFlags = {
  "api-key": Flags.string({
    summary: "Master key or API key for the tasks and keys routes.",
    description:
      "Precedence: this flag, then MIROIR_MASTER_KEY, then api_key under [default] in ~/.config/miroir/credentials (refused unless its mode is 0600).",
    helpGroup: "CONNECTION",
  }),
};

/**
 * A command that talks to a running proxy: `--url`, and the two clients. Each command adds
 * `adminKeyFlags` or `apiKeyFlags` for the key it needs.
 */
export abstract class ClusterCommand extends MiroirCommand {
  static override baseFlags = {
    ...MiroirCommand.baseFlags,
    url: Flags.string({
      summary: "Miroir's URL.",
      default: "http://127.0.0.1:7700",
      env: "MIROIR_URL",
      helpGroup: "CONNECTION",
      parse: async (input) => httpUrl(input),
    }),
  };

  /** The admin API client, with the admin key resolved from flag, environment or file. */
  protected async adminClient(flags: ConnectionFlags): Promise<AdminClient> {
    const key = await resolveAdminKey({ flag: flags["admin-key"], env: process.env });
    return createAdminClient(target(flags.url, key, "admin key", ADMIN_KEY_HINT));
  }

  /** The tasks-and-keys client, with the API key resolved from flag, environment or file. */
  protected async meiliClient(flags: ConnectionFlags): Promise<MeiliClient> {
    const key = await resolveApiKey({ flag: flags["api-key"], env: process.env });
    return createMeiliClient(target(flags.url, key, "API key", API_KEY_HINT));
  }
}

function target(
  baseUrl: string,
  key: RequestTarget["key"],
  keyName: string,
  keyHint: string,
): RequestTarget {
  return { baseUrl, key, keyName, keyHint, timeoutMs: REQUEST_TIMEOUT_MS };
}

/**
 * A malformed `--url` is a usage error (exit 2): oclif keeps the exit code carried by what a
 * flag parser throws, and a plain Error would end with 1.
 */
function httpUrl(input: string): string {
  let url: URL | undefined;
  try {
    url = new URL(input);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new CliFailure(
      `--url must be an http(s) URL such as http://127.0.0.1:7700, got "${input}".`,
      { exitCode: ExitCode.usage },
    );
  }
  return input.replace(/\/+$/, "");
}
