import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadConfig } from "../load-config.js";
import { stringifyConfig } from "../stringify-config.js";
import { renderConfigurationReference } from "./configuration-reference.js";
import { renderFullExample } from "./full-example.js";
import { configurationOutline, flattenOutline } from "./schema-outline.js";

const repoFile = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../../../${path}`, import.meta.url)), "utf8");

const REGENERATE = "run `pnpm --filter @miroir/config run docs` and commit the result";

describe("docs/configuration.md", () => {
  it("is exactly what the schema generates", () => {
    expect(repoFile("docs/configuration.md"), REGENERATE).toBe(renderConfigurationReference());
  });

  it("documents every key with its environment variable", () => {
    const reference = renderConfigurationReference();
    for (const entry of flattenOutline(configurationOutline())) {
      if (entry.kind === "section") continue;
      const name = entry.path[entry.path.length - 1] as string;
      expect(reference).toContain(`| \`${name}\` |`);
      if (!entry.path.includes("[]")) {
        expect(reference).toContain(`MIROIR_${entry.path.join("__").toUpperCase()}`);
      }
    }
  });
});

describe("docs/configuration.md for lists of several shapes", () => {
  it("has a table for each shape of a change-capture sink", () => {
    const reference = renderConfigurationReference();
    for (const type of ["webhook", "nats", "kafka", "internal"]) {
      expect(reference).toContain(`## Each entry of \`cdc.sinks\` with \`type: ${type}\``);
    }
    expect(reference).toContain(
      "| `brokers` | list | required | — | Bootstrap brokers as host:port. |",
    );
  });
});

describe("examples/miroir.full.yaml", () => {
  const text = repoFile("examples/miroir.full.yaml");

  it("is exactly what the schema generates", () => {
    expect(text, REGENERATE).toBe(renderFullExample());
  });

  it("writes out every key of the schema", () => {
    const document = parse(text) as Record<string, unknown>;
    const missing = flattenOutline(configurationOutline())
      .filter((entry) => !hasPath(document, entry.path))
      .map((entry) => entry.path.join("."));
    expect(missing).toEqual([]);
  });
});

describe("the examples round-trip", () => {
  it.each(["examples/miroir.full.yaml", "examples/miroir.minimal.yaml"])(
    "%s loads, serialises and loads back to an equal configuration",
    (path) => {
      const config = loadConfig({ file: { path, text: repoFile(path) } });
      const again = loadConfig({ file: { path: "again.yaml", text: stringifyConfig(config) } });
      expect(again).toEqual(config);
    },
  );

  it("the minimal example holds only nodes", () => {
    const document = parse(repoFile("examples/miroir.minimal.yaml")) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(["nodes"]);
  });
});

/** A path through mappings, where `[]` means "in the first item of the list". */
function hasPath(value: unknown, path: readonly string[]): boolean {
  let current: unknown = value;
  for (const segment of path) {
    if (segment === "[]") {
      if (!Array.isArray(current) || current.length === 0) return false;
      current = current[0];
      continue;
    }
    if (typeof current !== "object" || current === null || !(segment in current)) return false;
    current = (current as Record<string, unknown>)[segment];
  }
  return true;
}
