import * as v from "valibot";
import { ConfigError, type ConfigIssue } from "./issues/config-error.js";
import { translateIssues } from "./issues/translate-issues.js";
import { deploymentIssues } from "./rules/deployment-rules.js";
import { topologyIssues } from "./rules/topology-rules.js";
import {
  type MiroirConfig,
  type MiroirConfigInput,
  miroirConfigSchema,
} from "./schema/miroir-config.js";

export type CheckedConfig =
  | { config: MiroirConfig; issues: [] }
  | { config: undefined; issues: ConfigIssue[] };

/** Every problem of a configuration object: schema first, then the cross-field rules. Never throws. */
export function validate(input: unknown): ConfigIssue[] {
  return checkConfig(input).issues;
}

/** Defaults + schema + cross-field rules for a configuration built in code. */
export function parseConfig(input: unknown): MiroirConfig {
  const checked = checkConfig(input);
  if (checked.config === undefined) throw new ConfigError(checked.issues);
  return checked.config;
}

/** Every default, around the given nodes. */
export function defaultConfig(nodes: MiroirConfigInput["nodes"]): MiroirConfig {
  return parseConfig({ nodes });
}

export function checkConfig(input: unknown): CheckedConfig {
  const result = v.safeParse(miroirConfigSchema, input, { abortEarly: false });
  if (!result.success) return { config: undefined, issues: translateIssues(result.issues) };
  const issues = [...topologyIssues(result.output), ...deploymentIssues(result.output)];
  return issues.length === 0
    ? { config: result.output, issues: [] }
    : { config: undefined, issues };
}
