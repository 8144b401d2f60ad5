import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runChildJson } from "../processes/child-json.js";
import {
  type ClockWindow,
  type ProfileSummary,
  summariseProfileDir,
} from "../profile/cpu-profile-summary.js";
import { measureRouting } from "./routing-suite.js";

async function inProfileDir(
  subject: string,
  run: (dir: string) => Promise<ClockWindow>,
): Promise<ProfileSummary> {
  const dir = await mkdtemp(join(tmpdir(), "miroir-profile-"));
  try {
    const window = await run(dir);
    return await summariseProfileDir(subject, dir, window);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A CPU profile of the batch router on 100 000 documents (not counted in the figures). */
export function profileRouting(): Promise<ProfileSummary> {
  return inProfileDir("routing", async (dir) => {
    const run = await measureRouting({
      documents: 100_000,
      iterations: 3,
      warmup: 2,
      cpuProfileDir: dir,
    });
    return run.window;
  });
}

/** A CPU profile of 3 × 1 000-hit merges with facets, in a loop of its own. */
export function profileMerge(): Promise<ProfileSummary> {
  return inProfileDir("merge", async (dir) => {
    const run = await runChildJson<{ window: ClockWindow }>({
      script: fileURLToPath(new URL("./merge-profile-child.js", import.meta.url)),
      args: ["--milliseconds", "2000"],
      cpuProfileDir: dir,
    });
    return run.window;
  });
}
