import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { meiliBinary } from "./real-mode.js";

export interface MeiliProcessOptions {
  /** defaults to `MEILI_BIN` */
  bin?: string;
  /** Meilisearch requires at least 16 bytes; null starts it without a key. */
  masterKey?: string | null;
  id?: string;
  /** Meilisearch's `--http-payload-size-limit`, in bytes. */
  payloadLimit?: number;
  /** How long to wait for `/health` (ms). */
  startTimeoutMs?: number;
}

export interface MeiliProcess {
  id: string;
  url: string;
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

let spawned = 0;

/**
 * Starts a real Meilisearch process on a free loopback port with a temporary database,
 * waits until it answers `/health`, and on `stop()` ends it and removes its files.
 */
export async function startMeiliProcess(options: MeiliProcessOptions = {}): Promise<MeiliProcess> {
  const bin = options.bin ?? meiliBinary();
  if (bin === undefined) throw new Error("startMeiliProcess needs MEILI_BIN or a `bin` option");
  const dir = await mkdtemp(join(tmpdir(), "miroir-meili-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
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
  const child = spawn(bin, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited(child);
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, options.startTimeoutMs ?? 30_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { id: options.id ?? `meili-${spawned++}`, url, stop };
}
