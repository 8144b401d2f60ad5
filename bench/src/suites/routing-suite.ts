import { fileURLToPath } from "node:url";
import { runChildJson } from "../processes/child-json.js";
import type { ClockWindow } from "../profile/cpu-profile-summary.js";

/** What routing one NDJSON batch through the proxy's batch router costs. */
export interface RoutingMeasurement {
  readonly documents: number;
  readonly bytes: number;
  readonly iterations: number;
  /** Iterations run first, unmeasured, so that the measured ones run optimised code. */
  readonly warmupIterations?: number;
  readonly medianSeconds: number;
  /** Wall clock: MB routed per second, median of the iterations. */
  readonly megabytesPerSecond: number;
  /**
   * Per core: MB routed per CPU-second of the process (user and system time of all its
   * threads, garbage collection included), so that other work on the machine does not
   * count. Median, mean and slowest iteration (the p99 of so few).
   */
  readonly megabytesPerCpuSecond?: number;
  readonly megabytesPerCpuSecondMean?: number;
  readonly megabytesPerCpuSecondSlowest?: number;
  /** `JSON.parse` of the same lines alone, in the same process (wall clock, median). */
  readonly parseCeilingMegabytesPerSecond: number;
  /** The same per CPU-second, median of its passes after warm-up passes. */
  readonly parseCeilingMegabytesPerCpuSecond?: number;
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
  /** Unmeasured iterations first (0 when unset). */
  readonly warmup?: number;
  readonly cpuProfileDir?: string;
}

/** Runs the routing measurement in a fresh child process (so its peak RSS is its own). */
export function measureRouting(options: RoutingRunOptions): Promise<RoutingMeasurement> {
  const args = [
    "--iterations",
    String(options.iterations),
    "--warmup",
    String(options.warmup ?? 0),
  ];
  if (options.documents !== undefined) args.push("--documents", String(options.documents));
  if (options.megabytes !== undefined) args.push("--megabytes", String(options.megabytes));
  return runChildJson<RoutingMeasurement>({
    script: fileURLToPath(new URL("./routing-child.js", import.meta.url)),
    args,
    ...(options.cpuProfileDir === undefined ? {} : { cpuProfileDir: options.cpuProfileDir }),
  });
}
