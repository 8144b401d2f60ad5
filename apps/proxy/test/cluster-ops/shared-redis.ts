import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

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
    const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--dir", directory];
    const server = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let ready = false;
    const timer = setTimeout(() => {
      server.kill();
      fail(new Error("redis-server did not start within 10 s"));
    }, 10_000);
    function fail(error: Error) {
      clearTimeout(timer);
      if (!ready) reject(error);
    }
    server.once("error", fail);
    server.once("exit", (code) => fail(new Error(`redis-server exited with ${String(code)}`)));
    const collect = (chunk: Buffer) => {
      if (ready) return;
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        ready = true;
        clearTimeout(timer);
        resolve(server);
      }
    };
    server.stdout?.on("data", collect);
    server.stderr?.on("data", collect);
  });
}

function stopRedis(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    server.once("exit", () => resolve());
    server.kill("SIGTERM");
  });
}
