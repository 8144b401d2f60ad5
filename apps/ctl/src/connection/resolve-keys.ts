import { defaultCredentialsPath, readCredentialsFile } from "./credentials-file.js";

/** Where a key came from, so that a 401 can say which source to fix. */
export type KeySource = "flag" | "environment" | "credentials file";

export interface ResolvedKey {
  readonly value: string;
  readonly source: KeySource;
}

export interface KeyInputs {
  /** The `--admin-key` / `--api-key` flag, when given on the command line. */
  readonly flag: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home?: string;
}

/**
 * The admin key, by precedence: `--admin-key` (an explicit flag wins), then
 * `MIROIR_ADMIN_API_KEY`, then `admin_api_key` in the credentials file. The file is only
 * opened (and its mode only checked) when neither of the others gives a key.
 */
export function resolveAdminKey(inputs: KeyInputs): Promise<ResolvedKey | undefined> {
  return resolveKey(inputs, "MIROIR_ADMIN_API_KEY", (stored) => stored.adminApiKey);
}

/**
 * The key for Meilisearch routes (tasks, keys): `--api-key`, then `MIROIR_MASTER_KEY`, then
 * `api_key` in the credentials file.
 */
export function resolveApiKey(inputs: KeyInputs): Promise<ResolvedKey | undefined> {
  return resolveKey(inputs, "MIROIR_MASTER_KEY", (stored) => stored.apiKey);
}

async function resolveKey(
  inputs: KeyInputs,
  variable: string,
  fromFile: (stored: {
    adminApiKey: string | undefined;
    apiKey: string | undefined;
  }) => string | undefined,
): Promise<ResolvedKey | undefined> {
  if (inputs.flag !== undefined && inputs.flag !== "") {
    return { value: inputs.flag, source: "flag" };
  }
  const fromEnv = inputs.env[variable];
  if (fromEnv !== undefined && fromEnv !== "") return { value: fromEnv, source: "environment" };
  const stored = await readCredentialsFile(defaultCredentialsPath(inputs.home));
  const value = stored === undefined ? undefined : fromFile(stored);
  return value === undefined || value === "" ? undefined : { value, source: "credentials file" };
}
