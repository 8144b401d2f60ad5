import { ENV_PREFIX, envVariableFor, SECRET_VARIABLES } from "../sources/env-overrides.js";
import { configurationOutline, type SettingOutline } from "./schema-outline.js";

const INTRODUCTION = `# Configuration reference

<!-- Generated from packages/config/src/schema by \`pnpm --filter @miroir/config run docs\`; a test fails when this file and the schema disagree. Do not edit by hand. -->

Miroir reads its configuration once at start, in this order, each layer overriding the one before:

1. built-in defaults (the **Default** column below);
2. the YAML file (every key optional except \`nodes\`);
3. environment variables (the **Environment** column).

**Environment variables.** A key's variable is \`${ENV_PREFIX}\` followed by its path in upper case, with
\`__\` between nested keys: \`server.port\` is \`MIROIR_SERVER__PORT\`, \`scatter.unavailable_shard_policy\` is
\`MIROIR_SCATTER__UNAVAILABLE_SHARD_POLICY\`. Text keys take the value verbatim (so a key \`12345\` stays
text); other keys read the value as YAML, so \`8080\`, \`true\`, \`[0, 1]\` and \`{a: 1}\` work; an empty value
sets a key that accepts null to null. Secrets have their conventional names:
${Object.entries(SECRET_VARIABLES)
  .map(([variable, path]) => `\`${variable}\` → \`${path.join(".")}\``)
  .join(", ")}.

Only variables that name a key are read: another tool's \`MIROIR_DEV_PORT\` or \`MIROIR_CONFIG\` is
ignored. A variable whose first \`__\`-separated part names a key but whose rest does not fit is an
error that stops the start: a typo (\`MIROIR_SERVER__PROT\`, answered with "did you mean"), one entry
of a list (\`MIROIR_NODES__0__ADDRESS\`; set \`MIROIR_NODES\` to a YAML list instead) or a whole section.

**Errors.** Every problem is reported at once, each with the key path (\`nodes[2].replica_group\`) and
what the key accepts. Unknown keys are errors everywhere, with a suggestion when one is close.
`;

/** The markdown reference of every key, generated from the schema. */
export function renderConfigurationReference(): string {
  const outline = configurationOutline();
  const topLevel = outline.filter((entry) => entry.kind !== "section");
  const parts = [INTRODUCTION, table("Cluster and keys", topLevel)];
  const nodes = outline.find((entry) => entry.path[0] === "nodes");
  if (nodes) parts.push(table("Each entry of `nodes`", nodes.children));
  for (const section of sections(outline)) {
    parts.push(table(`\`${section.path.join(".")}\``, leaves(section), section.description));
    for (const list of section.children.filter((entry) => entry.kind === "list")) {
      if (list.children.length > 0) {
        parts.push(table(`Each entry of \`${list.path.join(".")}\``, list.children));
      }
      for (const shape of list.shapes) {
        const title = `Each entry of \`${list.path.join(".")}\` with \`type: ${shape.tag}\``;
        parts.push(table(title, shape.children));
      }
    }
  }
  return `${parts.join("\n")}`;
}

function sections(entries: readonly SettingOutline[]): SettingOutline[] {
  return entries
    .filter((entry) => entry.kind === "section")
    .flatMap((entry) => [entry, ...sections(entry.children)]);
}

function leaves(section: SettingOutline): SettingOutline[] {
  return section.children.filter((entry) => entry.kind !== "section");
}

function table(title: string, entries: readonly SettingOutline[], description = ""): string {
  const intro = description === "" ? "" : `${description}\n\n`;
  const rows = entries.map(
    (entry) =>
      `| \`${entry.path[entry.path.length - 1]}\` | ${cell(typeOf(entry))} | ${cell(defaultOf(entry))} | ${cell(envOf(entry))} | ${cell(entry.description)} |`,
  );
  return `## ${title}\n\n${intro}| Key | Type | Default | Environment | Description |\n|---|---|---|---|---|\n${rows.join("\n")}\n`;
}

function typeOf(entry: SettingOutline): string {
  const range =
    entry.min !== undefined && entry.max !== undefined && entry.max < Number.MAX_SAFE_INTEGER
      ? ` ${entry.min}..${entry.max}`
      : entry.min !== undefined
        ? ` ≥ ${entry.min}`
        : "";
  const base: Record<SettingOutline["kind"], string> = {
    string: "string",
    integer: `integer${range}`,
    number: `number${range}`,
    boolean: "boolean",
    enum: `one of ${entry.allowed.map((option) => `\`${option}\``).join(", ")}`,
    list:
      entry.allowed.length > 0
        ? `list of ${entry.allowed.map((option) => `\`${option}\``).join(", ")}`
        : "list",
    map: "map",
    section: "section",
  };
  return entry.nullable ? `${base[entry.kind]} or null` : base[entry.kind];
}

function defaultOf(entry: SettingOutline): string {
  if (entry.required) return "required";
  return `\`${JSON.stringify(entry.fallback)}\``;
}

function envOf(entry: SettingOutline): string {
  if (entry.path.includes("[]")) return "—";
  const aliases = Object.entries(SECRET_VARIABLES)
    .filter(([, path]) => path.join(".") === entry.path.join("."))
    .map(([variable]) => variable);
  const variables = [...new Set([...aliases, envVariableFor(entry.path)])];
  return variables.map((variable) => `\`${variable}\``).join(", ");
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}
