import type { ProfileSummary } from "../profile/cpu-profile-summary.js";
import type { CoalescingRun } from "../suites/coalescing-suite.js";
import type { ConvergenceRun } from "../suites/convergence-suite.js";
import type { DumpImportRun } from "../suites/dump-import-suite.js";
import type { MicroBenchmark } from "../suites/micro-benchmarks.js";
import type { MultiProcessRun } from "../suites/multi-process-suite.js";
import type { NodeCallCount } from "../suites/node-calls.js";
import type { RebalanceRun } from "../suites/rebalance-suite.js";
import type { ReshardRun } from "../suites/reshard-suite.js";
import type { RoutingMeasurement } from "../suites/routing-suite.js";
import type { SearchMeasurement } from "../suites/search-suite.js";
import type { SlowReplicaRun } from "../suites/slow-replica-suite.js";
import type { TaskListingRun } from "../suites/task-listing-suite.js";
import type { WriteRun } from "../suites/write-suite.js";
import type { CostCurvesRun } from "./cost-curve.js";

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly nodeVersion: string;
  readonly platform: string;
  /** 1-minute load average when the run started and when it ended. */
  readonly loadAverageAtStart: number;
  readonly loadAverageAtEnd: number;
}

/** One side-by-side comparison of search paths over the same documents. */
export interface SearchScenario {
  readonly id: "trivial" | "cluster-rf1" | "cluster-rf2";
  readonly title: string;
  readonly documents: number;
  readonly measurements: readonly SearchMeasurement[];
  /** Node requests behind one client search, per proxy (counted on trivial upstreams). */
  readonly nodeCalls?: readonly NodeCallCount[];
}

export interface WriteComparison {
  readonly replicationFactor: number;
  /** Each path's round at the median of its documents/s (older results: the best round). */
  readonly direct: WriteRun;
  readonly miroir: WriteRun;
  readonly rounds: number;
  /** Every round of each path, in the order run (absent in results written before). */
  readonly directRuns?: readonly WriteRun[];
  readonly miroirRuns?: readonly WriteRun[];
}

/** When and where a suite run alone (`--only`) measured the figures it replaced. */
export interface AloneRun {
  readonly generatedAt: string;
  readonly durationSeconds: number;
  readonly revision: string;
  readonly upstream: "emulated" | "real";
  /** 1-minute load average when the suite started and when it ended. */
  readonly loadAverageAtStart: number;
  readonly loadAverageAtEnd: number;
}

/** Everything one `pnpm bench` run measured; the report and the charts are made from it. */
export interface BenchmarkResults {
  readonly generatedAt: string;
  readonly durationSeconds: number;
  /** The commit measured (`git rev-parse --short HEAD`), noting uncommitted changes. */
  readonly revision: string;
  readonly machine: MachineInfo;
  /** The upstream nodes: the testkit's emulated nodes or real Meilisearch (`MEILI_BIN`). */
  readonly upstream: "emulated" | "real";
  readonly micro: readonly MicroBenchmark[];
  readonly search: readonly SearchScenario[];
  /** Writes at RF=1. */
  readonly writes: WriteComparison | null;
  /** The same at RF=2 (`--only writes` measures both); absent in results written before. */
  readonly writesReplicated?: WriteComparison | null;
  readonly routing: RoutingMeasurement | null;
  /** The same router over a payload of about 100 MiB, for its memory bound. */
  readonly routingLarge: RoutingMeasurement | null;
  readonly profiles: readonly ProfileSummary[];
  /**
   * How costs grow with the fleet (`--only cost-curves` measures these alone and keeps the
   * rest of the previous run); absent in results written before the curves existed.
   */
  readonly costCurves?: CostCurvesRun | null;
  /**
   * Anti-entropy's costs: fingerprint time, repair rate, the write cost of versions
   * (`--only convergence` measures these alone); absent in results written before.
   */
  readonly convergence?: ConvergenceRun | null;
  /**
   * Listing pages among a million tasks on each task store backend (`--only task-listing`
   * measures these alone); absent in results written before.
   */
  readonly taskListing?: TaskListingRun | null;
  /**
   * Search tail latency with one slow replica, with and without adaptive choice and hedging
   * (`--only slow-replica`); absent in results written before.
   */
  readonly slowReplica?: SlowReplicaRun | null;
  /**
   * Searches with and without coalescing under repeated and distinct queries (`--only
   * coalescing` measures these alone); absent in results written before.
   */
  readonly coalescing?: CoalescingRun | null;
  /**
   * Several Miroir processes on one Redis: throughput with 1–3 processes and the failover
   * time (`--only multi-process` measures these alone); absent in results written before.
   */
  readonly multiProcess?: MultiProcessRun | null;
  /**
   * One shard moved by the rebalancer beside a raw copy of it (`--only rebalance` measures
   * these alone); absent in results written before.
   */
  readonly rebalance?: RebalanceRun | null;
  /**
   * One index resharded online beside a raw copy of it (`--only reshard` measures these
   * alone); absent in results written before.
   */
  readonly reshard?: ReshardRun | null;
  /**
   * The suites measured alone (`--only`) since the whole run, by suite: their figures are
   * from then, the rest from the whole run; absent when every figure is the whole run's.
   */
  readonly measuredAlone?: Readonly<Record<string, AloneRun>>;
  /**
   * A generated dump imported through Miroir beside one real node importing it (`--only
   * dump-import` measures these alone); absent in results written before.
   */
  readonly dumpImport?: DumpImportRun | null;
  /** Suites that could not run, with the reason (the report says so instead of a figure). */
  readonly failures: readonly { readonly suite: string; readonly error: string }[];
}
