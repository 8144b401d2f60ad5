import { expectedRandomFailureImpact, simulateFleet } from "@miroir/simulator";
import type { BenchmarkResults } from "../report/benchmark-results.js";
import { significant } from "../report/cost-curves-section.js";
import { fitGrowth, predict } from "../report/growth-fit.js";
import { markdownTable } from "../report/markdown-table.js";
import { count, ratio } from "./capacity-figures.js";
import type { FleetPlan } from "./capacity-model.js";
import { CAPACITY_SEED } from "./example-workloads.js";
import { seriesOf } from "./measured-costs.js";

/** Each example fleet simulated: what the formulas claim about it, seen by the simulator. */
export function checksBlock(plans: readonly FleetPlan[]): string {
  const rows = plans.map((plan) => {
    const f = plan.workload.survive.nodeFailures;
    const report = simulateFleet(
      {
        nodes: plan.nodes,
        replicaGroups: plan.replicaGroups,
        replicationFactor: plan.replicationFactor,
        shards: plan.shards,
        documents: plan.workload.documents,
        zones: plan.replicaGroups,
        zoneLayout: "group",
        seed: CAPACITY_SEED,
      },
      { trials: 40, failures: [f, f + 1], queries: 4, pinnedKeys: [1], withPlans: false },
    );
    const [atF, beyond] = report.randomFailures;
    const closedBeyond = expectedRandomFailureImpact(
      plan.nodes,
      plan.replicaGroups,
      plan.replicationFactor,
      plan.shards,
      f + 1,
    );
    const zoneLoss = Math.max(...report.zoneFailures.map((zone) => zone.impact.withoutWriteQuorum));
    return [
      plan.workload.name,
      `${ratio(report.balance.shards.maxOverMean)} (formula ${ratio(plan.maxOverMean)})`,
      `${ratio(report.addition.ratio)} × the fair share`,
      `${significant(atF?.withoutWriteQuorum.mean ?? Number.NaN)} / ${significant(atF?.unreadable.mean ?? Number.NaN)}`,
      `${significant(beyond?.withoutWriteQuorum.mean ?? Number.NaN)} (closed form ${significant(closedBeyond.withoutWriteQuorum)})`,
      plan.workload.survive.zone ? String(zoneLoss) : "–",
      `${report.fanOut.unpinned.mean} (n = ${plan.nodesPerGroup}); pinned ${report.fanOut.pinned[0]?.mean ?? "–"}`,
    ];
  });
  return markdownTable(
    [
      "example",
      "max/mean shards, simulated",
      "node added copies",
      "f failures: shards without write quorum / unreadable",
      "f + 1 failures: shards without write quorum",
      "worst zone: shards without write quorum",
      "nodes per search",
    ],
    rows,
  );
}

/**
 * How the fits the examples lean on match their own measured points, and how far the
 * examples reach beyond the largest measured x.
 */
export function curveChecksBlock(results: BenchmarkResults, plans: readonly FleetPlan[]): string {
  const largestGroup = Math.max(...plans.map((plan) => plan.nodesPerGroup));
  const largestFleet = Math.max(...plans.map((plan) => plan.nodes));
  const used: [string, string, string | undefined, number][] = [
    ["proxy CPU per search", "search-cpu-nodes", undefined, largestGroup],
    ["proxy p50 latency", "search-latency-nodes", "Miroir", largestGroup],
    ["merge over answers", "merge-answers", undefined, largestGroup],
    ["routing-table build", "routing-table-nodes", undefined, largestGroup],
    ["Redis commands per write", "store-ops-write-waited", "Redis commands", largestFleet],
    ["proxy RSS over nodes", "memory-nodes", "RSS", largestFleet],
  ];
  const rows = used.map(([what, id, label, reach]) => {
    const series = seriesOf(results, id, label);
    const fit = fitGrowth(series.points);
    const last = series.points.reduce((a, b) => (b.x > a.x ? b : a));
    const residuals = series.points.map(
      (point) => Math.abs(predict(fit, point.x) - point.y) / point.y,
    );
    return [
      what,
      fit.model === "constant" ? "constant (the mean)" : `${fit.model}, R² ${fit.r2.toFixed(3)}`,
      `${significant(last.y)} / ${significant(predict(fit, last.x))} at ${count(last.x)}`,
      `${Math.round(100 * Math.max(...residuals))} %`,
      `${count(reach)} (${significant(reach / last.x)}× the largest measured)`,
    ];
  });
  return markdownTable(
    ["cost", "fit", "largest point: measured / fitted", "largest gap at a point", "examples reach"],
    rows,
  );
}
