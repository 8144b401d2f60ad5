import { parse as parseYaml } from "yaml";
import type { ConfigIssue } from "../issues/config-error.js";
import { closestKey } from "../issues/did-you-mean.js";
import { configurationOutline, type SettingOutline } from "../reference/schema-outline.js";

export const ENV_PREFIX = "MIROIR_";

/** Secrets keep their conventional names; each maps to a key of the schema. */
export const SECRET_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  MIROIR_MASTER_KEY: ["master_key"],
  MIROIR_NODE_MASTER_KEY: ["node_master_key"],
  MIROIR_ADMIN_API_KEY: ["admin", "api_key"],
};

export type EnvOverride = { variable: string; path: readonly string[]; value: unknown };

export type EnvReading = { overrides: EnvOverride[]; issues: ConfigIssue[] };

/** `["server", "port"]` → `MIROIR_SERVER__PORT`. */
export function envVariableFor(path: readonly string[]): string {
  return ENV_PREFIX + path.join("__").toUpperCase();
}

/**
 * Reads the variables that name a key of the schema. Others under MIROIR_ (another tool's
 * MIROIR_DEV_PORT) are ignored, except when their first `__`-separated part names a key:
 * then the rest is a typo or reaches into a list, and that is an error.
 */
export function readEnvOverrides(env: Readonly<Record<string, string | undefined>>): EnvReading {
  const settings = settingsByVariable();
  const overrides: EnvOverride[] = [];
  const issues: ConfigIssue[] = [];
  for (const [variable, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    if (raw === undefined || !variable.startsWith(ENV_PREFIX)) continue;
    const setting = settings.get(variable);
    if (setting !== undefined) {
      const parsed = parseValue(setting, raw);
      if (parsed.ok) overrides.push({ variable, path: setting.path, value: parsed.value });
      else issues.push({ path: setting.path.join("."), message: `${variable}: ${parsed.message}` });
      continue;
    }
    const misnamed = misnamedVariable(variable);
    if (misnamed !== undefined) issues.push(misnamed);
  }
  return { overrides, issues };
}

/** Writes each override into a copy of the document, creating sections as needed. */
export function applyOverrides(
  document: Record<string, unknown>,
  overrides: readonly EnvOverride[],
): Record<string, unknown> {
  const result = structuredClone(document);
  for (const { path, value } of overrides) {
    let target: Record<string, unknown> = result;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      const section = typeof next === "object" && next !== null && !Array.isArray(next) ? next : {};
      target[key] = section;
      target = section as Record<string, unknown>;
    }
    target[path[path.length - 1] as string] = value;
  }
  return result;
}

function settingsByVariable(): Map<string, SettingOutline> {
  const byVariable = new Map<string, SettingOutline>();
  const visit = (entries: readonly SettingOutline[]) => {
    for (const entry of entries) {
      if (entry.kind === "section") visit(entry.children);
      else byVariable.set(envVariableFor(entry.path), entry);
    }
  };
  const outline = configurationOutline();
  visit(outline);
  const all = new Map(flatten(outline).map((entry) => [entry.path.join("."), entry]));
  for (const [variable, path] of Object.entries(SECRET_VARIABLES)) {
    const entry = all.get(path.join("."));
    if (entry !== undefined) byVariable.set(variable, entry);
  }
  return byVariable;
}

function flatten(entries: readonly SettingOutline[]): SettingOutline[] {
  return entries.flatMap((entry) =>
    entry.kind === "section" ? [entry, ...flatten(entry.children)] : [entry],
  );
}

/**
 * A variable with `__` whose first part names a key but whose rest does not fit the schema:
 * a typo, or an attempt to set one entry of a list.
 */
function misnamedVariable(variable: string): ConfigIssue | undefined {
  const segments = variable.slice(ENV_PREFIX.length).toLowerCase().split("__");
  if (segments.length < 2) return undefined;
  let entries: readonly SettingOutline[] = configurationOutline();
  const path: string[] = [];
  for (const segment of segments) {
    const entry = entries.find(
      (candidate) => candidate.path[candidate.path.length - 1] === segment,
    );
    if (entry === undefined) {
      if (path.length === 0) return undefined;
      const names = entries.map((candidate) => candidate.path[candidate.path.length - 1] as string);
      const suggestion = closestKey(segment, names);
      const hint =
        suggestion === undefined
          ? `keys of ${path.join(".")} are: ${names.join(", ")}`
          : `did you mean ${envVariableFor([...path, suggestion])}?`;
      return {
        path: [...path, segment].join("."),
        message: `${variable} names no key of ${path.join(".")}; ${hint}`,
      };
    }
    path.push(segment);
    if (entry.kind !== "section") {
      return {
        path: path.join("."),
        message: `${variable} reaches inside ${path.join(".")}, which is set as a whole: use ${envVariableFor(path)} with a YAML value`,
      };
    }
    entries = entry.children;
  }
  return {
    path: path.join("."),
    message: `${variable} names the section ${path.join(".")}; set its keys one by one, e.g. ${envVariableFor([...path, entries[0]?.path.at(-1) ?? ""])}`,
  };
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Text keys take the value verbatim (a key "12345" stays a string); other keys are read
 * as YAML, so numbers, booleans, lists and mappings work. An empty value clears a key
 * that may be null.
 */
function parseValue(setting: SettingOutline, raw: string): Parsed {
  if (raw === "" && setting.nullable) return { ok: true, value: null };
  if (setting.kind === "string" || setting.kind === "enum") return { ok: true, value: raw };
  try {
    return { ok: true, value: parseYaml(raw) };
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
    return { ok: false, message: `not a valid YAML value: ${reason}` };
  }
}
