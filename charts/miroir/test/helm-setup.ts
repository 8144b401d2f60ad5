import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";

/** The helm release the chart is tested with, installed with `go install` when missing. */
export const HELM_VERSION = "v3.22.0";

const run = promisify(execFile);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const toolsBin = join(repoRoot, ".cache", "tools", "bin");

declare module "vitest" {
  export interface ProvidedContext {
    helmBin: string;
  }
}

/**
 * Whether a helm binary is the pinned release. A helm built by `go install` reports only
 * "major.minor" (its exact version is stamped by the release build), so that is accepted too.
 */
async function isPinnedHelm(helmBin: string): Promise<boolean> {
  const version = await versionOf(helmBin);
  return version === HELM_VERSION || version === HELM_VERSION.split(".").slice(0, 2).join(".");
}

async function versionOf(helmBin: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(helmBin, ["version", "--short"]);
    return stdout.trim().split("+")[0];
  } catch {
    return undefined;
  }
}

/** Finds the pinned helm (HELM_BIN, then the repo's tool cache), installing it if needed. */
async function ensureHelm(): Promise<string> {
  const fromEnv = process.env.HELM_BIN;
  if (fromEnv) return fromEnv;
  const cached = join(toolsBin, "helm");
  if (existsSync(cached) && (await isPinnedHelm(cached))) return cached;
  console.info(`chart tests: installing helm ${HELM_VERSION} into ${toolsBin} (one time)`);
  try {
    await run("go", ["install", `helm.sh/helm/v3/cmd/helm@${HELM_VERSION}`], {
      env: { ...process.env, GOBIN: toolsBin },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    throw new Error(
      `chart tests need helm ${HELM_VERSION}: set HELM_BIN, or install Go so that ` +
        `\`go install helm.sh/helm/v3/cmd/helm@${HELM_VERSION}\` can build it (${String(error)})`,
    );
  }
  return cached;
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide("helmBin", await ensureHelm());
}
