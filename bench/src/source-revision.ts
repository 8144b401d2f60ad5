import { execFileSync } from "node:child_process";
import { REPO_ROOT } from "./repo-paths.js";

/** The commit the run measured, and whether the working tree differed from it. */
export function sourceRevision(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
    const commit = git("rev-parse", "--short", "HEAD");
    const changed = git("status", "--porcelain", "--untracked-files=no") !== "";
    return changed ? `${commit} with uncommitted changes` : commit;
  } catch {
    return "unknown (not a git checkout)";
  }
}
