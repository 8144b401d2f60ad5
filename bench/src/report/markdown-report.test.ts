import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { markdownReport } from "./markdown-report.js";
import { reportCharts } from "./report-charts.js";
import { fixtureResults } from "./report-fixture.js";
import { checkTargets } from "./spec-targets.js";
import { writeReport } from "./write-report.js";

describe("the benchmark report", () => {
  it("judges every SPEC §11 target from the run's own figures", () => {
    const checks = checkTargets(fixtureResults());
    expect(checks.map((check) => [check.target, check.status])).toEqual([
      ["Search over 3 shards: latency Miroir adds, and its throughput", "missed"],
      ["Routing a 100 000-document NDJSON batch", "met"],
      ["Routing memory for a ~100 MiB payload", "met"],
      ["Merge of 3 × 1 000 hits with facets", "met"],
      ["Merge of 8 × 20 hits", "missed"],
      ["Write throughput through Miroir", "met"],
      ["Listing the newest 20 tasks among 1 000 000", "missed"],
      ["Search p99 with one slow replica (RF 2)", "not measured"],
    ]);
    expect(checks[6]?.measured).toContain("redis 12.000 ms (p99 30.000 ms) among 1,000,000");
    expect(checks[0]?.measured).toContain("p50 +0.600 ms (floor +0.400 ms)");
    expect(checks[5]?.measured).toContain("RF=1: 94 % at the median");
    expect(checks[5]?.measured).toContain("RF=2: 95 % at the median");
    expect(checks[5]?.measured).toContain("slowest round 67 %");
    expect(checks[3]?.measured).toContain("median 0.400 ms, p99 0.900 ms (mean 0.600 ms");
  });

  it("says a target was not measured when its suite did not run", () => {
    const checks = checkTargets(
      fixtureResults({
        search: [],
        writes: null,
        writesReplicated: null,
        routing: null,
        routingLarge: null,
        micro: [],
        taskListing: null,
      }),
    );
    expect(checks.every((check) => check.status === "not measured")).toBe(true);
  });

  it("states the machine, the upstream kind, the noise and the ratios to the direct path", () => {
    const report = markdownReport(fixtureResults());
    expect(report).toContain("2 CPUs (Test CPU)");
    expect(report).toContain("Node v20.0.0");
    expect(report).toContain("of commit abc1234");
    expect(report).toContain("emulated Meilisearch nodes");
    expect(report).toContain("noisy");
    expect(report).toMatch(/\| Miroir \| 1\.100 \| 2\.200 \| 3\.300 \| 2\.20× \| 0\.600 \|/);
    expect(report).toContain("| through Miroir | 20000 | 10 | 0.100 |");
    expect(report).toContain("### RF=2");
    expect(report).toContain("| Miroir / direct | 0.95× |");
    expect(report).toContain(
      "Node requests behind one client search: fan-out 3.0 (3.0 search); Miroir 5.0 (3.0 search, 1.0 index, 1.0 settings).",
    );
    expect(markdownReport(fixtureResults({ upstream: "real" }))).toContain("real Meilisearch");
    const alone = markdownReport(
      fixtureResults({
        measuredAlone: {
          search: {
            generatedAt: "2026-01-02T03:04:05.000Z",
            durationSeconds: 135,
            revision: "def5678",
            upstream: "real",
            loadAverageAtStart: 3,
            loadAverageAtEnd: 4,
          },
        },
      }),
    );
    expect(alone).toContain(
      "  - `search`: 2026-01-02T03:04:05.000Z, 135 s, commit def5678, real Meilisearch nodes, load average 3.00 / 4.00",
    );
  });

  it("explains a missed target with the top functions of its CPU profile", () => {
    const report = markdownReport(fixtureResults());
    const where = report.slice(report.indexOf("## Where the time goes"));
    expect(where).toContain("### Search over 3 shards");
    expect(where).toContain("By area: Node.js internals 60 %, packages/merger 12 %.");
    expect(where).toContain(
      "| `mergeSearch` | `packages/merger/dist/merge.js:10` | 120.0 | 12.0 |",
    );
  });

  it("backs a missed target with the run's own figures: node calls per search, accept and index times", () => {
    const results = fixtureResults();
    const slowWrites = results.writes && {
      ...results.writes,
      miroir: {
        ...results.writes.miroir,
        acceptedSeconds: 0.3,
        seconds: 0.8,
        documentsPerSecond: 25_000,
      },
    };
    const profiles = [
      ...results.profiles,
      { ...results.profiles[0], subject: "writes" } as (typeof results.profiles)[number],
    ];
    const where = markdownReport({ ...results, writes: slowWrites, profiles });
    expect(where).toContain("Node requests per client search: 3.0 (fan-out) against 5.0 (Miroir).");
    expect(where).toContain(
      "All batches were accepted after 0.300 s through Miroir against 0.100 s straight to the nodes, and indexed after 0.800 s against 0.400 s",
    );
  });

  it("lists the suites that did not run, with the first line of the error", () => {
    const report = markdownReport(
      fixtureResults({
        failures: [{ suite: "batch routing", error: "child ended with 1\nstack" }],
      }),
    );
    expect(report).toContain("## Suites that did not run\n\n- batch routing: `child ended with 1`");
  });

  it("keeps a function name with a pipe inside its table cell", () => {
    const results = fixtureResults();
    const [search] = results.profiles;
    const profiles =
      search === undefined
        ? []
        : [
            {
              ...search,
              top: [{ functionName: "RegExp: a|b", location: "", selfMs: 1, percent: 1 }],
            },
          ];
    expect(markdownReport({ ...results, profiles })).toContain(
      "| `RegExp: a\\|b` | (native) | 1.0 | 1.0 |",
    );
  });

  it("draws one bar per figure, with the values written out", () => {
    const charts = reportCharts(fixtureResults());
    expect([...charts.keys()].sort()).toEqual([
      "batch-routing.svg",
      "search-latency-trivial.svg",
      "search-throughput.svg",
      "write-throughput.svg",
    ]);
    const latency = charts.get("search-latency-trivial.svg") ?? "";
    expect(latency.startsWith("<svg")).toBe(true);
    expect(latency.match(/<rect x=/g)).toHaveLength(9);
    expect(latency).toContain("3.3 ms");
    expect(charts.get("batch-routing.svg")).toContain("target 200 MB/s");
  });

  it("colours each kind of path alike across scenarios, whatever its label", () => {
    const results = fixtureResults();
    const [scenario] = results.search;
    if (scenario === undefined) throw new Error("the fixture has a search scenario");
    const relabelled = {
      ...scenario,
      id: "cluster-rf1" as const,
      measurements: scenario.measurements.map((m) => ({ ...m, label: `${m.label} (cluster)` })),
    };
    const svg = reportCharts({ ...results, search: [scenario, relabelled] }).get(
      "search-throughput.svg",
    );
    const fills = [...(svg ?? "").matchAll(/<rect x="230"[^>]*fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills).toHaveLength(6);
    expect(new Set(fills).size).toBe(3);
  });

  it("writes the report, the charts and the raw results, and drops charts no longer drawn", async () => {
    const dir = await mkdtemp(join(tmpdir(), "miroir-report-"));
    try {
      const paths = {
        report: join(dir, "benchmarks.md"),
        chartsDir: join(dir, "charts/"),
        results: join(dir, "results/latest.json"),
      };
      await mkdir(paths.chartsDir);
      await writeFile(join(paths.chartsDir, "chart-of-an-older-run.svg"), "<svg/>");
      await writeReport(fixtureResults(), paths);
      expect(await readFile(paths.report, "utf8")).toContain("# Benchmarks");
      expect((await readdir(paths.chartsDir)).sort()).toEqual(
        [...reportCharts(fixtureResults()).keys()].sort(),
      );
      expect(JSON.parse(await readFile(paths.results, "utf8")).upstream).toBe("emulated");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
