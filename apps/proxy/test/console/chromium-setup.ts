import { execFileSync } from "node:child_process";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

/** Where Debian's `chromium` package puts the browser, if it is installed. */
function installedChromium(): string | null {
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim() || null;
  } catch {
    return null;
  }
}

/**
 * The console's browser tests drive Debian's `chromium` (no browser download works here):
 * installed with apt-get on the first run on a machine without it (as root, as CI runs).
 */
export default function setup(project: TestProject): void {
  let path = installedChromium();
  if (path === null) {
    console.info("console browser tests: installing Debian's chromium package (one time)");
    const apt = {
      stdio: "inherit" as const,
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    };
    try {
      execFileSync("apt-get", ["update", "-qq"], apt);
      execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], apt);
    } catch (error) {
      throw new Error(
        `the console's browser tests need Debian's chromium; \`apt-get install -y chromium\` failed (${String(error)})`,
      );
    }
    path = installedChromium();
    if (path === null) throw new Error("chromium is still missing after apt-get install");
  }
  project.provide("chromiumPath", path);
}
