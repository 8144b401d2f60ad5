import { type ChildProcess, spawn } from "node:child_process";

export interface NodeChild {
  readonly child: ChildProcess;
  /** The last few KB the child wrote to stderr, for error messages. */
  stderrTail(): string;
}

/** `node [--cpu-prof --cpu-prof-dir DIR] script args…` with stdout piped and stderr kept. */
export function spawnNode(
  script: string,
  args: readonly string[],
  cpuProfileDir?: string,
): NodeChild {
  const profiling =
    cpuProfileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", cpuProfileDir];
  const child = spawn(process.execPath, [...profiling, script, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  });
  return { child, stderrTail: () => tail };
}
