import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

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
      await stop(server);
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function startRedis(port: number, directory: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const server = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        directory,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    const timer = setTimeout(() => {
      server.kill();
      reject(new Error(`redis-server did not start within 10 s: ${output.slice(-500)}`));
    }, 10_000);
    server.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with code ${String(code)}: ${output.slice(-500)}`));
    });
    server.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        server.removeAllListeners("exit");
        resolve(server);
      }
    });
    server.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
  });
}

function stop(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}
