#!/usr/bin/env node
// Entry point of the README's two commands (`npm run dev`, `npm test`): it does every
// set-up step a fresh machine with only Node.js and npm needs, then hands over to pnpm.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PNPM_VERSION = "12.21.0";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const toolsDir = join(root, ".cache", "tools");
const env = { ...process.env };

// Native addons compile against the local Node headers when the machine has them, so
// no header download is attempted; elsewhere node-gyp's own behaviour applies.
if (existsSync("/usr/include/node/node.h") && !env.npm_config_nodedir) {
  env.npm_config_nodedir = "/usr";
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpmCommand() {
  const probe = spawnSync("pnpm", ["--version"], { env, encoding: "utf8" });
  if (probe.status === 0 && probe.stdout.trim() === PNPM_VERSION) return "pnpm";
  const local = join(toolsDir, "node_modules", ".bin", "pnpm");
  if (!existsSync(local)) {
    console.error(`miroir: installing pnpm ${PNPM_VERSION} into .cache/tools`);
    const status = run("npm", [
      "install",
      "--no-save",
      "--no-audit",
      "--no-fund",
      "--prefix",
      toolsDir,
      `pnpm@${PNPM_VERSION}`,
    ]);
    if (status !== 0) process.exit(status);
  }
  // turbo looks for the package manager on the PATH, so the local copy must be there.
  env.PATH = `${dirname(local)}${delimiter}${env.PATH ?? ""}`;
  return local;
}

const [target = "test", ...rest] = process.argv.slice(2);
const pnpm = pnpmCommand();
const installStatus = run(pnpm, ["install", "--frozen-lockfile"]);
if (installStatus !== 0) process.exit(installStatus);

const plans = {
  test: [
    ["exec", "biome", "check", "."],
    ["turbo", "run", "typecheck", "test", "--concurrency=1", ...rest],
  ],
  dev: [
    ["turbo", "run", "build", "--filter=@miroir/proxy..."],
    ["--filter", "@miroir/proxy", "run", "dev", ...rest],
  ],
};
const plan = plans[target];
if (!plan) {
  console.error(`miroir: unknown target "${target}" (expected: ${Object.keys(plans).join(", ")})`);
  process.exit(2);
}
for (const args of plan) {
  const status = run(pnpm, args);
  if (status !== 0) process.exit(status);
}
