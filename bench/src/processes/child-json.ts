import { spawn } from "node:child_process";

export interface ChildJsonOptions {
  readonly script: string;
  readonly args?: readonly string[];
  /** Writes a V8 CPU profile of the child into this directory. */
  readonly cpuProfileDir?: string;
  readonly timeoutMs?: number;
}

/** Runs `node script args…` to its end and parses the last line it printed as JSON. */
export function runChildJson<T>(options: ChildJsonOptions): Promise<T> {
  const profiling =
    options.cpuProfileDir === undefined
      ? []
      : ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...profiling, options.script, ...(options.args ?? [])], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 180_000);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${options.script} ended with ${code ?? signal}:\n${stderr}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as T);
      } catch {
        reject(new Error(`${options.script} printed no JSON result:\n${stdout.slice(-500)}`));
      }
    });
  });
}
