import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Readable } from "node:stream";

/**
 * The launcher every real node is started through. `sh` starts the program with stdin
 * closed and reports its pid on fd 3; a background watcher then blocks reading the
 * launcher's stdin — a pipe whose only writer is the Node process that spawned it. When
 * that process dies, however it dies (SIGKILL included), the kernel closes the pipe,
 * `read` sees end of file and the program is SIGKILLed. (A background job's stdin is
 * /dev/null unless redirected, hence the copy on fd 4.) The launcher waits for the
 * program, so the program's pid is never reaped (and reused) while the watcher can still
 * signal it, and exits with the program's status.
 */
const LAUNCHER = [
  '"$@" </dev/null 3>&- &',
  "child=$!",
  'echo "$child" >&3',
  "exec 3>&- 4<&0",
  '{ while read -r _; do :; done; kill -KILL "$child" 2>/dev/null; } <&4 &',
  "watcher=$!",
  "exec 4<&-",
  'wait "$child"',
  "status=$?",
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join("\n");

export interface WatchedProcess {
  /** the launcher; it exits when the program does, with the program's status */
  launcher: ChildProcess;
  /** the program's own pid (the one to signal) */
  pid: number;
}

function readPid(stream: Readable, launcher: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split("\n")[0];
      if (text.includes("\n") && line !== undefined && /^\d+$/.test(line)) {
        cleanup();
        resolve(Number(line));
      }
    };
    const onExit = () => {
      cleanup();
      reject(new Error("the launcher exited before reporting the program's pid"));
    };
    const cleanup = () => {
      stream.off("data", onData);
      launcher.off("exit", onExit);
    };
    stream.on("data", onData);
    launcher.once("exit", onExit);
  });
}

/**
 * Starts `bin args…` through the launcher above, so the program never outlives this
 * process. Its stdout and stderr are the launcher's.
 */
export async function spawnWatched(
  bin: string,
  args: readonly string[],
  options: { cwd?: string } = {},
): Promise<WatchedProcess> {
  const launcher = spawn("/bin/sh", ["-c", LAUNCHER, "miroir-watchdog", bin, ...args], {
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe", "pipe"],
  });
  const pidStream = launcher.stdio[3] as Readable;
  const pid = await readPid(pidStream, launcher);
  pidStream.destroy();
  return { launcher, pid };
}

/** Whether a process still exists and is not a zombie waiting to be reaped. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; a zombie has already died.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    return state !== "Z";
  } catch {
    return true;
  }
}
