import { spawnNode } from "./node-child.js";

export interface ChildJsonOptions {
  readonly script: string;
  readonly args?: readonly string[];
  /** Writes a V8 CPU profile of the child into this directory. */
  readonly cpuProfileDir?: string;
  readonly timeoutMs?: number;
}

/** Runs `node script args…` to its end and parses the last line it printed as JSON. */
export function runChildJson<T>(options: ChildJsonOptions): Promise<T> {
  return new Promise((resolve, reject) => {
    const { child, stderrTail } = spawnNode(
      options.script,
      options.args ?? [],
      options.cpuProfileDir,
    );
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 180_000);
    // "close", not "exit": stdout is complete only once its pipe has closed.
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${options.script} ended with ${code ?? signal}:\n${stderrTail()}`));
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
