import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { CliFailure } from "../cli-failure.js";
import { ExitCode } from "../exit-codes.js";

/** The keys a credentials file may hold under `[default]`. */
export interface StoredCredentials {
  readonly adminApiKey: string | undefined;
  readonly apiKey: string | undefined;
}

/** `~/.config/miroir/credentials` for the user running the command. */
export function defaultCredentialsPath(home: string = homedir()): string {
  return join(home, ".config", "miroir", "credentials");
}

/**
 * Reads the credentials file, or answers `undefined` when there is none. A file that others
 * can read or write (mode looser than 0600) is refused: it holds an admin secret.
 */
export async function readCredentialsFile(path: string): Promise<StoredCredentials | undefined> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new CliFailure(`Cannot read the credentials file ${path}: ${(error as Error).message}`);
  }
  if ((mode & 0o077) !== 0) {
    const shown = (mode & 0o777).toString(8).padStart(4, "0");
    throw new CliFailure(
      `Refusing to read ${path}: its mode is ${shown}, which lets other users read it. Run \`chmod 600 ${path}\`.`,
      { exitCode: ExitCode.failed },
    );
  }
  return parseCredentials(await readFile(path, "utf8"), path);
}

/**
 * The file is a small TOML document:
 *
 *     [default]
 *     admin_api_key = "…"
 *     api_key = "…"
 *
 * Only string values in `[default]` are read; other sections are left for later profiles.
 */
export function parseCredentials(text: string, path: string): StoredCredentials {
  const values = new Map<string, string>();
  let section: string | undefined;
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const header = /^\[\s*([A-Za-z0-9_.-]+)\s*\]$/.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const entry = /^([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(?:#.*)?$/.exec(
      line,
    );
    if (!entry) {
      throw new CliFailure(
        `${path}:${index + 1}: expected \`[default]\` or \`name = "value"\`, found \`${line}\`.`,
      );
    }
    const [, key = "", doubleQuoted, singleQuoted] = entry;
    if (section !== "default") continue;
    values.set(key, singleQuoted ?? unescapeBasicString(doubleQuoted ?? ""));
  }
  return { adminApiKey: values.get("admin_api_key"), apiKey: values.get("api_key") };
}

function unescapeBasicString(value: string): string {
  return value.replace(/\\(["\\nt])/g, (_match, escaped: string) => {
    if (escaped === "n") return "\n";
    if (escaped === "t") return "\t";
    return escaped;
  });
}
