import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig, stringifyConfig } from "@miroir/config";
import type { Cluster } from "@miroir/testkit";
import { guardedAdmin } from "./test-config.js";

/** The built `miroir` bin (`pnpm --filter @miroir/proxy build` makes it). */
export const mainScript = fileURLToPath(new URL("../dist/main.js", import.meta.url));

/** A loopback port free at the time of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** A Node process a test started and waited for until it said it was ready. */
export interface LaunchedProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code once it exits (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /**
   * Sends `signal` (SIGKILL unless told, after a SIGCONT in case it is stopped) unless it
   * already exited, and waits for the exit.
   */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Runs `script` with Node and resolves once `ready(output)` holds; a process that exits
 * first, or is not ready within `timeoutMs`, is stopped and the launch fails with its output.
 */
export async function launch(
  script: string,
  args: readonly string[],
  ready: (output: string) => boolean,
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<LaunchedProcess> {
  const child = spawn(process.execPath, [script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const launched: LaunchedProcess = {
    child,
    output: () => output,
    exited,
    async stop(signal = "SIGKILL") {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGCONT");
        child.kill(signal);
      }
      await exited;
    },
  };
  const timeoutMs = options.timeoutMs ?? 20_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not ready in ${timeoutMs / 1000} s:\n${output}`)),
        timeoutMs,
      );
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (ready(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on("data", read);
      child.stderr?.on("data", read);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await launched.stop();
    throw error;
  }
  return launched;
}

/** Starts the `miroir` bin with `configPath`, until it logs that it listens. */
export function launchMiroir(configPath: string, timeoutMs?: number): Promise<LaunchedProcess> {
  return launch(
    mainScript,
    ["--config", configPath],
    (output) => output.includes("miroir listening"),
    timeoutMs === undefined ? {} : { timeoutMs },
  );
}

/**
 * Writes `dir/name`, a configuration for a launched Miroir over `cluster`: the test admin
 * key, loopback `port` (and a free metrics port), logs at `info` (`launchMiroir` waits for
 * one), tasks in a SQLite file of `dir` (so a process started after a kill finds them),
 * node tasks polled every 20 ms. `config` adds to or replaces any of it. Answers the path.
 */
export async function writeLaunchConfig(options: {
  readonly dir: string;
  readonly cluster: Cluster;
  readonly port: number;
  readonly config?: Record<string, unknown>;
  readonly name?: string;
}): Promise<string> {
  const path = join(options.dir, options.name ?? "miroir.yaml");
  const server = {
    host: "127.0.0.1",
    port: options.port,
    metrics_port: await freePort(),
    log_level: "info",
  };
  const config = guardedAdmin({
    ...options.cluster.config,
    server,
    task_store: { backend: "sqlite", path: join(options.dir, "state.db") },
    task_registry: { poll_interval_ms: 20 },
    ...options.config,
  });
  writeFileSync(path, stringifyConfig(parseConfig(config)));
  return path;
}
