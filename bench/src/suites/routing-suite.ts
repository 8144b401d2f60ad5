import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ClockWindow } from "../profile/cpu-profile-summary.js";

/** What routing one NDJSON batch through the proxy's batch router costs. */
export interface RoutingMeasurement {
  readonly documents: number;
  readonly bytes: number;
  readonly iterations: number;
  readonly medianSeconds: number;
  readonly megabytesPerSecond: number;
  /** `JSON.parse` of the same lines alone, in the same process. */
  readonly parseCeilingMegabytesPerSecond: number;
  /** RSS of the process before the payload existed. */
  readonly emptyRssBytes: number;
  /** Highest RSS of the process: payload, routed records and the runtime. */
  readonly peakRssBytes: number;
  /** When the routing iterations ran (for the CPU profile). */
  readonly window: ClockWindow;
}

export interface RoutingRunOptions {
  readonly documents?: number;
  readonly megabytes?: number;
  readonly iterations: number;
  readonly cpuProfileDir?: string;
}

/** Runs the routing measurement in a fresh child process (so its peak RSS is its own). */
export function measureRouting(options: RoutingRunOptions): Promise<RoutingMeasurement> {
  const script = fileURLToPath(new URL("./routing-child.js", import.meta.url));
  const args = ["--iterations", String(options.iterations)];
  if (options.documents !== undefined) args.push("--documents", String(options.documents));
  if (options.megabytes !== undefined) args.push("--megabytes", String(options.megabytes));
  const profiling =
    options.cpuProfileDir === undefined
      ? []
      : ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...profiling, script, ...args], {
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
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`routing child exited with ${code}:\n${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as RoutingMeasurement);
    });
  });
}
