import { type ChildProcess, spawn } from "node:child_process";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isAlive } from "../../src/harness/watchdog.js";
import { eventually, PROCESS_BIN, processKind } from "./process-binary.js";

const children = fileURLToPath(new URL("./children/", import.meta.url));

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    let errors = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`the child exited (${code}):\n${errors}`)));
  });
}

describe(`a cluster of ${processKind} started by a process that is SIGKILLed`, () => {
  let child: ChildProcess | undefined;
  let pids: number[] = [];
  let dirs: string[] = [];
  afterAll(async () => {
    if (child?.exitCode === null) child.kill("SIGKILL");
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
    // a starter that dies cannot remove its nodes' folders: the test does
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("does not outlive it: every node process is gone soon after", async () => {
    child = spawn(
      process.execPath,
      [
        "--conditions=@miroir/source",
        "--import",
        `${children}typescript.mjs`,
        `${children}start-cluster.ts`,
        PROCESS_BIN,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const started = JSON.parse(await firstLine(child)) as {
      pids: number[];
      addresses: string[];
      dirs: string[];
    };
    pids = started.pids;
    dirs = started.dirs;
    expect(pids).toHaveLength(2);
    for (const address of started.addresses) {
      expect((await fetch(`${address}/health`)).status).toBe(200);
    }
    expect(pids.every(isAlive)).toBe(true);

    child.kill("SIGKILL");
    expect(await eventually(() => pids.every((pid) => !isAlive(pid)), 15_000)).toBe(true);
  }, 60_000);
});
