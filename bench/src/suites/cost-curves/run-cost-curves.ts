import type { CostCurve, CostCurvesRun } from "../../report/cost-curve.js";
import { sourceRevision } from "../../source-revision.js";
import type { CurveShape } from "./curve-load.js";
import { engineNodeCurves } from "./engine-node-curves.js";
import { memoryCurves } from "./memory-curves.js";
import { mergeCurves } from "./merge-curves.js";
import { routingCurves } from "./routing-curves.js";
import { searchCurves } from "./search-curves.js";
import { storeOpsCurves } from "./store-ops-curves.js";

export interface CostCurveOptions {
  readonly quick: boolean;
  /** Real Meilisearch nodes (`MEILI_BIN`) for the curve that needs indexing nodes. */
  readonly real: boolean;
  readonly bodies: readonly string[];
  readonly log: (line: string) => void;
  /** `performance.now()` past which the remaining suites are skipped (the run's time budget). */
  readonly skipAfter?: number;
}

/**
 * Every cost curve, suite after suite; a suite that fails is listed with its error and
 * the others still run. About 8 minutes on 2 busy cores (under 3 with `quick`).
 */
export async function runCostCurves(options: CostCurveOptions): Promise<CostCurvesRun> {
  const started = performance.now();
  const quick = options.quick;
  const shape: CurveShape = quick
    ? { latencyMs: 600, cpuMs: 500, warmupMs: 200, rounds: 2 }
    : { latencyMs: 1_600, cpuMs: 1_200, warmupMs: 300, rounds: 4 };
  const suites: [string, () => Promise<CostCurve[]>][] = [
    [
      "search cost over nodes and shards",
      () =>
        searchCurves(
          {
            nodeCounts: quick ? [1, 4, 16] : [1, 2, 4, 8, 16, 32],
            shardsForNodes: 256,
            shardCounts: quick ? [16, 256, 4_096] : [16, 64, 256, 1_024, 4_096],
            nodesForShards: 8,
            shape,
          },
          options.bodies,
        ),
    ],
    [
      "merge time over answers and page size",
      () =>
        mergeCurves({
          answers: [1, 2, 4, 8, 16, 32, 64],
          limit: 20,
          pages: [10, 20, 50, 100, 200, 500, 1_000],
          pageAnswers: 8,
          msPerPoint: quick ? 150 : 400,
          rounds: quick ? 2 : 4,
        }),
    ],
    [
      "routing cost over shards and nodes",
      () =>
        routingCurves({
          documents: 20_000,
          iterations: quick ? 3 : 5,
          shards: [16, 64, 256, 1_024, 4_096],
          shardsNodes: 8,
          nodes: quick ? [1, 16, 256] : [1, 4, 16, 64, 256, 1_024],
          nodesShards: 1_024,
          tableNodes: quick ? [16, 256] : [16, 64, 256, 1_024],
        }),
    ],
    [
      "task store operations on SQLite and Redis",
      () =>
        storeOpsCurves({
          nodeCounts: quick ? [1, 4] : [1, 2, 4, 8],
          searches: quick ? 20 : 60,
          writes: quick ? 4 : 12,
          idleMs: quick ? 1_000 : 2_000,
        }),
    ],
    [
      "proxy memory over connections, nodes and indexes",
      () =>
        memoryCurves({
          connections: quick ? [0, 500] : [0, 250, 500, 1_000, 2_000],
          nodeCounts: quick ? [1, 32] : [1, 8, 32, 128, 256],
          indexCounts: quick ? [1, 200] : [1, 250, 500, 750, 1_000],
        }),
    ],
    [
      `search over nodes that index (${options.real ? "real" : "emulated"})`,
      () =>
        engineNodeCurves(
          {
            real: options.real,
            nodeCounts: quick ? [1, 4] : [1, 2, 4, 8],
            documents: quick ? 1_000 : 2_000,
            shape,
          },
          options.bodies,
        ),
    ],
  ];
  const curves: CostCurve[] = [];
  const failures: { suite: string; error: string }[] = [];
  for (const [suite, run] of suites) {
    if (performance.now() > (options.skipAfter ?? Number.POSITIVE_INFINITY)) {
      failures.push({ suite, error: "skipped: the run used up its time budget" });
      continue;
    }
    options.log(`cost curves: ${suite}…`);
    const suiteStarted = performance.now();
    try {
      curves.push(...(await run()));
      options.log(
        `cost curves: ${suite} took ${((performance.now() - suiteStarted) / 1000).toFixed(0)} s`,
      );
    } catch (error) {
      const text = (error as Error).stack ?? String(error);
      options.log(`cost curves: ${suite} failed: ${text}`);
      failures.push({ suite, error: text });
    }
  }
  return {
    generatedAt: new Date().toISOString(),
    revision: sourceRevision(),
    upstream: options.real ? "real" : "emulated",
    durationSeconds: (performance.now() - started) / 1000,
    curves,
    failures,
  };
}
