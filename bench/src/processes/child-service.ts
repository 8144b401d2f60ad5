import type { ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { spawnNode } from "./node-child.js";

/** A benchmark participant running in its own Node process. */
export interface ChildService {
  readonly url: string;
  /** Everything the child announced on its first JSON line (`url` and any other fields). */
  readonly announced: Readonly<Record<string, unknown>>;
  /** Ends the process (SIGTERM, SIGKILL after `graceMs`) and waits for its exit. */
  stop(graceMs?: number): Promise<void>;
}

export interface ChildServiceOptions {
  readonly script: string;
  readonly args?: readonly string[];
  readonly startTimeoutMs?: number;
}

/**
 * The line a child prints on stdout once it listens: `{"url":"http://127.0.0.1:PORT"}`,
 * with any more fields the parent needs.
 */
export function announceUrl(url: string, more: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ url, ...more })}\n`);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

/** Ends a child process: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function endProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited(child);
  clearTimeout(timer);
}

/** Starts `node script args…` and waits for the URL it announces on its first stdout line. */
export async function startChildService(options: ChildServiceOptions): Promise<ChildService> {
  const { child, stderrTail } = spawnNode(options.script, options.args ?? []);
  const stop = (graceMs?: number) => endProcess(child, graceMs);
  try {
    const announced = await firstAnnouncement(child, options.startTimeoutMs ?? 60_000, stderrTail);
    return { url: announced.url as string, announced, stop };
  } catch (error) {
    await stop(1_000);
    throw error;
  }
}

function firstAnnouncement(
  child: ChildProcess,
  timeoutMs: number,
  stderr: () => string,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const fail = (reason: string) => {
      clearTimeout(timer);
      lines.close();
      reject(new Error(`${reason}\n${stderr()}`));
    };
    const timer = setTimeout(() => fail(`no URL announced within ${timeoutMs} ms`), timeoutMs);
    child.once("exit", (code) => fail(`exited with code ${code} before announcing a URL`));
    lines.on("line", (line) => {
      try {
        const announced = JSON.parse(line) as Record<string, unknown>;
        if (typeof announced.url !== "string") return;
        clearTimeout(timer);
        child.removeAllListeners("exit");
        child.stdout?.resume();
        resolve(announced);
      } catch {
        // Not the announcement; children may log other lines first.
      }
    });
  });
}
