import { fileURLToPath } from "node:url";
import { runChildJson } from "../processes/child-json.js";
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
  const args = ["--iterations", String(options.iterations)];
  if (options.documents !== undefined) args.push("--documents", String(options.documents));
  if (options.megabytes !== undefined) args.push("--megabytes", String(options.megabytes));
  return runChildJson<RoutingMeasurement>({
    script: fileURLToPath(new URL("./routing-child.js", import.meta.url)),
    args,
    ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
  });
}
