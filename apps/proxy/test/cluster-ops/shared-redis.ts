import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// The task store's own suites start their throw-away Redis this way; one implementation.
import {
  freePort,
  startRedis,
  stopRedis,
} from "../../../../packages/taskstore/test/redis-server.js";

/** A Redis for tests: `MIROIR_TEST_REDIS_URL` when set, else a throw-away local server. */
export interface TestRedis {
  /** Empty when no Redis could be had outside CI; `unavailable` then says why. */
  readonly url: string;
  readonly unavailable: string;
  stop(): Promise<void>;
}

export async function openTestRedis(): Promise<TestRedis> {
  const fromEnvironment = process.env.MIROIR_TEST_REDIS_URL;
  if (fromEnvironment !== undefined && fromEnvironment !== "") {
    return { url: fromEnvironment, unavailable: "", stop: async () => undefined };
  }
  const directory = mkdtempSync(join(tmpdir(), "miroir-proxy-redis-"));
  try {
    const port = await freePort();
    const server = await startRedis(port, directory);
    return {
      url: `redis://127.0.0.1:${port}`,
      unavailable: "",
      async stop() {
        await stopRedis(server);
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    const reason = `no redis-server: ${error instanceof Error ? error.message : String(error)}`;
    if (process.env.CI) throw new Error(`${reason} (CI must run the Redis suites)`);
    return { url: "", unavailable: reason, stop: async () => undefined };
  }
}
