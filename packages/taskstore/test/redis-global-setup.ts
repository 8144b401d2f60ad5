import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startRedis, stopRedis } from "./redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the Redis the suites run against; empty when none could be started. */
    redisUrl: string;
    /** Why there is no Redis, when `redisUrl` is empty. */
    redisUnavailable: string;
  }
}

/**
 * Uses `MIROIR_TEST_REDIS_URL` when set (CI starts its own server); otherwise starts a
 * throw-away `redis-server` on a free loopback port and stops it after the run. In CI a
 * missing Redis fails the run instead of skipping the Redis suites.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fromEnvironment = process.env.MIROIR_TEST_REDIS_URL;
  if (fromEnvironment !== undefined && fromEnvironment !== "") {
    provide(project, fromEnvironment, "");
    return async () => {};
  }
  const directory = mkdtempSync(join(tmpdir(), "miroir-taskstore-redis-"));
  try {
    const port = await freePort();
    const server = await startRedis(port, directory);
    provide(project, `redis://127.0.0.1:${port}`, "");
    return async () => {
      await stopRedis(server);
      rmSync(directory, { recursive: true, force: true });
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    const reason = `no Redis for the taskstore suites: ${error instanceof Error ? error.message : String(error)}`;
    if (process.env.CI) throw new Error(`${reason} (CI must run the Redis suites)`);
    const skipped = `${reason}; the Redis suites are skipped (set MIROIR_TEST_REDIS_URL or install redis-server)`;
    console.warn(skipped);
    provide(project, "", skipped);
    return async () => {};
  }
}

function provide(project: TestProject, url: string, unavailable: string): void {
  project.provide("redisUrl", url);
  project.provide("redisUnavailable", unavailable);
}
