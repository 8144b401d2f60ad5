import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { inject } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import type { Manifest, ManifestOf } from "./manifests.js";

const run = promisify(execFile);

export const chartDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const RELEASE = "search";
export const NAMESPACE = "prod";

export interface RenderOptions {
  /** Value files, relative to the chart directory. */
  valuesFiles?: string[];
  /** `--set` pairs. */
  set?: Record<string, string | number | boolean>;
  /** Further helm flags, e.g. `--skip-schema-validation`. */
  extraArgs?: string[];
}

/** `helm template` of the chart as release RELEASE in namespace NAMESPACE. */
function templateArgs(options: RenderOptions): string[] {
  return ["template", RELEASE, chartDir, "--namespace", NAMESPACE, ...valueArgs(options)];
}

function valueArgs(options: RenderOptions): string[] {
  const args: string[] = [];
  for (const file of options.valuesFiles ?? []) args.push("-f", join(chartDir, file));
  for (const [key, value] of Object.entries(options.set ?? {})) {
    args.push("--set", `${key}=${String(value)}`);
  }
  args.push(...(options.extraArgs ?? []));
  return args;
}

function helm(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(inject("helmBin"), args, { cwd: chartDir, maxBuffer: 16 * 1024 * 1024 });
}

/** The rendered chart, one parsed object per manifest. */
export class RenderedChart {
  constructor(readonly manifests: Manifest[]) {}

  /** Every manifest of a kind. */
  all<K extends string>(kind: K): ManifestOf<K>[] {
    return this.manifests.filter((m) => m.kind === kind) as ManifestOf<K>[];
  }

  /** The one manifest of a kind (and name), failing loudly when it is absent. */
  one<K extends string>(kind: K, name?: string): ManifestOf<K> {
    const found = this.all(kind).filter((m) => name === undefined || m.metadata.name === name);
    if (found.length !== 1) {
      const names = this.manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(", ");
      throw new Error(
        `expected one ${kind}${name ? `/${name}` : ""}, found ${found.length} in: ${names}`,
      );
    }
    return found[0] as ManifestOf<K>;
  }

  /** Miroir's config file, parsed from the ConfigMap. */
  miroirConfig(): Record<string, unknown> {
    const text = this.one("ConfigMap").data["miroir.yaml"];
    if (text === undefined) throw new Error("the ConfigMap has no miroir.yaml");
    return parse(text) as Record<string, unknown>;
  }
}

export async function renderChart(options: RenderOptions = {}): Promise<RenderedChart> {
  const { stdout } = await helm(templateArgs(options));
  const manifests = parseAllDocuments(stdout)
    .map((doc) => {
      if (doc.errors.length > 0)
        throw new Error(`invalid YAML rendered: ${doc.errors[0]?.message}`);
      return doc.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
  return new RenderedChart(manifests);
}

/** What helm prints when it refuses to render: the error message, for assertions. */
export async function renderFailure(options: RenderOptions): Promise<string> {
  try {
    await helm(templateArgs(options));
  } catch (error) {
    return (error as { stderr?: string }).stderr ?? String(error);
  }
  throw new Error("helm template rendered values that should have been rejected");
}

/** `helm lint --strict` with the given values; resolves with its output, rejects on failure. */
export async function lintChart(options: RenderOptions = {}): Promise<string> {
  const { stdout } = await helm(["lint", "--strict", chartDir, ...valueArgs(options)]);
  return stdout;
}
