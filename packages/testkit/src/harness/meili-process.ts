import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { meiliBinary } from "./real-mode.js";
import { isAlive, spawnWatched } from "./watchdog.js";

export interface MeiliProcessOptions {
  /** defaults to `MEILI_BIN` */
  bin?: string;
  /** Meilisearch requires at least 16 bytes; null starts it without a key. */
  masterKey?: string | null;
  id?: string;
  /** Meilisearch's `--http-payload-size-limit`, in bytes. */
  payloadLimit?: number;
  /**
   * Meilisearch's `--max-indexing-memory` (e.g. `"64MiB"`). Meilisearch sizes its
   * indexing buffers from it (two thirds of the RAM by default), which costs most of a
   * second per write on a small test machine.
   */
  maxIndexingMemory?: string;
  /**
   * Meilisearch's `--experimental-allowed-ip-networks` (e.g. `"127.0.0.0/8"`): the
   * internal networks that webhooks and REST embedders may call (none by default).
   */
  allowedIpNetworks?: string;
  /** How long to wait for `/health` (ms). */
  startTimeoutMs?: number;
  /**
   * Meilisearch's `--import-dump`: the process starts from this dump (and, restarted, from
   * its own data, `--ignore-dump-if-db-exists`). `/health` answers once the import is done.
   */
  importDump?: string;
}

/** A real Meilisearch process, with the faults a real process can have. */
export interface MeiliProcess {
  id: string;
  url: string;
  /** the running process's pid; undefined after `kill()` until `restart()` */
  readonly pid: number | undefined;
  /** the temporary folder holding the database, dumps and snapshots */
  dir: string;
  /** SIGSTOP: the process is frozen, connections are queued by the kernel, nothing answers. */
  pause(): void;
  /** SIGCONT after `pause()`. */
  resume(): void;
  /** SIGKILL, and waits until the process is gone; the data folder stays. */
  kill(): Promise<void>;
  /** Starts the process again on the same port over the same data, and waits for `/health`. */
  restart(): Promise<void>;
  /** Ends the process (SIGTERM, SIGKILL after 5 s) and removes its files. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

async function waitForHealth(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  log: () => string,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`meilisearch exited with code ${child.exitCode} before answering:\n${log()}`);
    }
    try {
      const answer = await fetch(`${url}/health`);
      if (answer.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`meilisearch did not answer ${url}/health within ${timeoutMs} ms:\n${log()}`);
}

function commandLine(options: MeiliProcessOptions, dir: string, port: number): string[] {
  const args = [
    "--db-path",
    join(dir, "data.ms"),
    "--dump-dir",
    join(dir, "dumps"),
    "--snapshot-dir",
    join(dir, "snapshots"),
    "--http-addr",
    `127.0.0.1:${port}`,
    "--no-analytics",
    "--env",
    "development",
  ];
  if (options.masterKey != null) args.push("--master-key", options.masterKey);
  if (options.payloadLimit !== undefined) {
    args.push("--http-payload-size-limit", String(options.payloadLimit));
  }
  if (options.maxIndexingMemory !== undefined) {
    args.push("--max-indexing-memory", options.maxIndexingMemory);
  }
  if (options.allowedIpNetworks !== undefined) {
    args.push("--experimental-allowed-ip-networks", options.allowedIpNetworks);
  }
  if (options.importDump !== undefined) {
    args.push("--import-dump", options.importDump, "--ignore-dump-if-db-exists");
  }
  return args;
}

let spawned = 0;

/**
 * Starts a real Meilisearch process on a free loopback port with a temporary database,
 * waits until it answers `/health`, and on `stop()` ends it and removes its files. The
 * process is started through a watchdog, so it dies with the process that started it.
 */
export async function startMeiliProcess(options: MeiliProcessOptions = {}): Promise<MeiliProcess> {
  const bin = options.bin ?? meiliBinary();
  if (bin === undefined) throw new Error("startMeiliProcess needs MEILI_BIN or a `bin` option");
  const dir = await mkdtemp(join(tmpdir(), "miroir-meili-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = commandLine(options, dir, port);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  let running: { launcher: ChildProcess; pid: number } | undefined;

  const launch = async () => {
    const watched = await spawnWatched(bin, args, { cwd: dir });
    watched.launcher.stdout?.on("data", keep);
    watched.launcher.stderr?.on("data", keep);
    running = watched;
    try {
      await waitForHealth(url, watched.launcher, timeoutMs, () => output);
    } catch (error) {
      await end("SIGKILL");
      throw error;
    }
  };
  const signal = (name: NodeJS.Signals) => {
    if (running !== undefined && isAlive(running.pid)) process.kill(running.pid, name);
  };
  const end = async (first: NodeJS.Signals) => {
    const current = running;
    if (current === undefined) return;
    running = undefined;
    const { launcher, pid } = current;
    if (launcher.exitCode === null && launcher.signalCode === null) {
      if (isAlive(pid)) {
        // a frozen process handles nothing, SIGTERM included
        process.kill(pid, "SIGCONT");
        process.kill(pid, first);
      }
      const timer = setTimeout(() => {
        if (isAlive(pid)) process.kill(pid, "SIGKILL");
      }, 5000);
      await exited(launcher);
      clearTimeout(timer);
    }
    launcher.stdin?.destroy();
    launcher.stdout?.destroy();
    launcher.stderr?.destroy();
  };

  try {
    await launch();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    id: options.id ?? `meili-${spawned++}`,
    url,
    dir,
    get pid() {
      return running?.pid;
    },
    pause: () => signal("SIGSTOP"),
    resume: () => signal("SIGCONT"),
    kill: () => end("SIGKILL"),
    restart: async () => {
      if (running === undefined) await launch();
    },
    stop: async () => {
      await end("SIGTERM");
      await rm(dir, { recursive: true, force: true });
    },
  };
}
