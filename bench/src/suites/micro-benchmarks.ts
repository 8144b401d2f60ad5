import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../repo-paths.js";

/** One vitest bench result of a package's micro-benchmarks (times in ms). */
export interface MicroBenchmark {
  readonly packageName: string;
  readonly group: string;
  readonly name: string;
  readonly meanMs: number;
  readonly medianMs: number;
  readonly minMs: number;
  /** The 99th percentile of the samples (absent in results written before). */
  readonly p99Ms?: number;
  readonly hz: number;
  readonly samples: number;
}

interface VitestBenchJson {
  files: {
    groups: {
      fullName: string;
      benchmarks: {
        name: string;
        mean: number;
        median: number;
        min: number;
        p99?: number;
        hz: number;
        sampleCount: number;
      }[];
    }[];
  }[];
}

/** The package micro-benchmarks the report shows, run by their own `bench` scripts. */
export const MICRO_BENCHMARK_PACKAGES = ["@miroir/router", "@miroir/merger", "@miroir/taskstore"];

/**
 * Runs a package's `bench` script with vitest's `--outputJson` and reads the results;
 * the package's console table is passed through.
 */
export async function runMicroBenchmarks(packageName: string): Promise<MicroBenchmark[]> {
  const dir = await mkdtemp(join(tmpdir(), "miroir-micro-"));
  const output = join(dir, "bench.json");
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        "pnpm",
        ["--filter", packageName, "run", "bench", "--outputJson", output],
        {
          cwd: REPO_ROOT,
          stdio: ["ignore", "inherit", "inherit"],
        },
      );
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`${packageName} bench exited with ${code}`)),
      );
    });
    return microBenchmarksOf(packageName, JSON.parse(await readFile(output, "utf8")));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function microBenchmarksOf(packageName: string, report: VitestBenchJson): MicroBenchmark[] {
  return report.files.flatMap((file) =>
    file.groups.flatMap((group) =>
      group.benchmarks.map((benchmark) => ({
        packageName,
        group: group.fullName,
        name: benchmark.name,
        meanMs: benchmark.mean,
        medianMs: benchmark.median,
        minMs: benchmark.min,
        ...(benchmark.p99 === undefined ? {} : { p99Ms: benchmark.p99 }),
        hz: benchmark.hz,
        samples: benchmark.sampleCount,
      })),
    ),
  );
}
