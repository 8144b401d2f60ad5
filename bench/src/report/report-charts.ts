import { type BarChart, barChartSvg } from "./bar-chart-svg.js";
import type { BenchmarkResults } from "./benchmark-results.js";

/** The charts of a run: file name (under docs/benchmarks/) → SVG text. */
export function reportCharts(results: BenchmarkResults): Map<string, string> {
  const charts = new Map<string, BarChart>();
  if (results.search.length > 0) {
    charts.set("search-latency.svg", {
      title: "Search latency, one connection (lower is better)",
      unit: "ms",
      groups: results.search.flatMap((scenario) =>
        scenario.measurements.map((measurement) => ({
          label: `${scenario.title} — ${measurement.label}`,
          bars: [
            { label: "p50", value: measurement.latency.p50Ms },
            { label: "p95", value: measurement.latency.p95Ms },
            { label: "p99", value: measurement.latency.p99Ms },
          ],
        })),
      ),
    });
    charts.set("search-throughput.svg", {
      title: "Search throughput (higher is better)",
      unit: "req/s",
      groups: results.search.map((scenario) => ({
        label: scenario.title,
        bars: scenario.measurements.map((measurement) => ({
          label: measurement.label,
          value: measurement.throughput.requestsPerSecond,
        })),
      })),
    });
  }
  if (results.writes !== null) {
    charts.set("write-throughput.svg", {
      title: "Write throughput until indexed (higher is better)",
      unit: "docs/s",
      groups: [
        {
          label: `${results.writes.direct.documents} documents, RF=${results.writes.replicationFactor}`,
          bars: [
            { label: "straight to the nodes", value: results.writes.direct.documentsPerSecond },
            { label: "through Miroir", value: results.writes.miroir.documentsPerSecond },
          ],
        },
      ],
    });
  }
  if (results.routing !== null) {
    charts.set("batch-routing.svg", {
      title: "Routing a 100 000-document NDJSON batch, one core (higher is better)",
      unit: "MB/s",
      reference: { label: "target 200 MB/s", value: 200 },
      groups: [
        {
          label: `${(results.routing.bytes / 1e6).toFixed(1)} MB payload`,
          bars: [
            { label: "route (parse, hash, splice)", value: results.routing.megabytesPerSecond },
            { label: "JSON.parse alone", value: results.routing.parseCeilingMegabytesPerSecond },
          ],
        },
      ],
    });
  }
  return new Map([...charts].map(([name, chart]) => [name, barChartSvg(chart)]));
}
