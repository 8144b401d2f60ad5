import { type BarChart, barChartSvg } from "./bar-chart-svg.js";
import type { BenchmarkResults, SearchScenario } from "./benchmark-results.js";
import { curveChartName, curveFits } from "./cost-curves-section.js";
import { lineChartSvg } from "./line-chart-svg.js";
import { routingSpeedPerCore } from "./spec-targets.js";

export function searchLatencyChartName(scenario: SearchScenario): string {
  return `search-latency-${scenario.id}.svg`;
}

/** The charts of a run: file name (under docs/benchmarks/) → SVG text. */
export function reportCharts(results: BenchmarkResults): Map<string, string> {
  const charts = new Map<string, BarChart>();
  for (const scenario of results.search) {
    charts.set(searchLatencyChartName(scenario), {
      title: `Search latency, one connection: ${scenario.title} (lower is better)`,
      unit: "ms",
      groups: scenario.measurements.map((measurement) => ({
        label: measurement.label,
        bars: [
          { label: "p50", value: measurement.latency.p50Ms },
          { label: "p95", value: measurement.latency.p95Ms },
          { label: "p99", value: measurement.latency.p99Ms },
        ],
      })),
    });
  }
  if (results.search.length > 0) {
    charts.set("search-throughput.svg", {
      title: "Search throughput relative to the direct path (higher is better)",
      unit: "× direct",
      reference: { label: "direct", value: 1 },
      groups: results.search.map((scenario) => {
        const direct = scenario.measurements.find((measurement) => measurement.role === "direct");
        return {
          label: scenario.title,
          bars: scenario.measurements.map((measurement) => ({
            label: measurement.label,
            series: measurement.role,
            value:
              measurement.throughput.requestsPerSecond /
              (direct?.throughput.requestsPerSecond ?? Number.NaN),
          })),
        };
      }),
    });
  }
  const writes = [results.writes, results.writesReplicated ?? null].filter(
    (comparison): comparison is NonNullable<typeof comparison> => comparison !== null,
  );
  if (writes.length > 0) {
    charts.set("write-throughput.svg", {
      title: "Write throughput until indexed, median round (higher is better)",
      unit: "docs/s",
      groups: writes.map((comparison) => ({
        label: `${comparison.direct.documents} documents, RF=${comparison.replicationFactor}`,
        bars: [
          { label: "straight to the nodes", value: comparison.direct.documentsPerSecond },
          { label: "through Miroir", value: comparison.miroir.documentsPerSecond },
        ],
      })),
    });
  }
  if (results.routing !== null) {
    charts.set("batch-routing.svg", {
      title: "Routing a 100 000-document NDJSON batch, MB per CPU-second (higher is better)",
      unit: "MB/s",
      reference: { label: "target 200 MB/s", value: 200 },
      groups: [
        {
          label: `${(results.routing.bytes / 1e6).toFixed(1)} MB payload`,
          bars: [
            {
              label: "route (scan, hash, copy)",
              value: routingSpeedPerCore(results.routing).median,
            },
            {
              label: "JSON.parse alone",
              value: routingSpeedPerCore(results.routing).parseCeiling,
            },
          ],
        },
      ],
    });
  }
  const svgs = new Map([...charts].map(([name, chart]) => [name, barChartSvg(chart)]));
  for (const curve of results.costCurves?.curves ?? []) {
    const fits = curveFits(curve);
    svgs.set(
      curveChartName(curve),
      lineChartSvg({
        title: curve.title,
        xLabel: curve.x.label,
        yLabel: `${curve.y.label} (${curve.y.unit})`,
        xScale: curve.x.scale,
        series: curve.series.map((series) => {
          const fit = fits.get(series.label);
          return fit === undefined
            ? { label: series.label, points: series.points }
            : { label: series.label, points: series.points, fit };
        }),
      }),
    );
  }
  return svgs;
}
