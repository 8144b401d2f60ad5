import { ConfigError, type ConfigIssue } from "./issues/config-error.js";
import { checkConfig } from "./parse-config.js";
import type { MiroirConfig } from "./schema/miroir-config.js";
import { applyOverrides, type EnvOverride, readEnvOverrides } from "./sources/env-overrides.js";
import { type ConfigFile, readYamlFile } from "./sources/yaml-source.js";

export type LoadConfigOptions = {
  /** The YAML file, read by the caller (this package does no I/O). */
  file?: ConfigFile | undefined;
  /** Usually `process.env`; only variables naming a schema key are read. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
};

/** Built-in defaults < YAML file < environment. Throws `ConfigError` listing every problem. */
export function loadConfig(options: LoadConfigOptions = {}): MiroirConfig {
  const fromFile = options.file ? readYamlFile(options.file) : { value: {}, issues: [] };
  const fromEnv = readEnvOverrides(options.env ?? {});
  const early = [...fromFile.issues, ...fromEnv.issues];
  if (early.length > 0) throw new ConfigError(early);
  const merged = applyOverrides(fromFile.value, fromEnv.overrides);
  const checked = checkConfig(merged);
  if (checked.config === undefined) {
    throw new ConfigError(checked.issues.map((issue) => namingVariable(issue, fromEnv.overrides)));
  }
  return checked.config;
}

/** A bad value that came from the environment says which variable set it. */
function namingVariable(issue: ConfigIssue, overrides: readonly EnvOverride[]): ConfigIssue {
  const source = overrides.find(
    (override) =>
      issue.path === override.path.join(".") ||
      issue.path.startsWith(`${override.path.join(".")}[`),
  );
  return source === undefined
    ? issue
    : { ...issue, message: `${issue.message} (set by ${source.variable})` };
}
