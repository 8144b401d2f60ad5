import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Exposition, parseExposition } from "./exposition.js";
import { type LiveMiroir, startLiveMiroir } from "./live-miroir.js";
import { type ExpressionReferences, expressionReferences } from "./promql-references.js";
import {
  chartDir,
  lintChart,
  type RenderedChart,
  renderChart,
  renderFailure,
} from "./render-chart.js";

const BOTH = { "metrics.grafanaDashboard.enabled": true, "metrics.prometheusRule.enabled": true };

/** Labels Prometheus adds to every scraped series (the ServiceMonitor's target labels). */
const TARGET_LABELS = new Set([
  "namespace",
  "pod",
  "instance",
  "job",
  "service",
  "container",
  "endpoint",
]);

interface Panel {
  title: string;
  type: string;
  targets?: { expr: string; legendFormat?: string }[];
}

interface Dashboard {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; query?: string | { query: string } }[] };
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: Record<string, string>;
}

function dashboardOf(chart: RenderedChart): Dashboard {
  const map = chart.one("ConfigMap", "search-miroir-dashboard") as { data: Record<string, string> };
  return JSON.parse(map.data["miroir-overview.json"] ?? "") as Dashboard;
}

function rulesOf(chart: RenderedChart): Rule[] {
  const rule = chart.one("PrometheusRule") as unknown as { spec: { groups: { rules: Rule[] }[] } };
  return rule.spec.groups.flatMap((group) => group.rules);
}

/** Every expression the dashboard and the alerts evaluate, with the labels they print. */
function referencesOf(chart: RenderedChart): ExpressionReferences[] {
  const dashboard = dashboardOf(chart);
  const panels = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) =>
      expressionReferences(`panel "${panel.title}"`, target.expr, [target.legendFormat ?? ""]),
    ),
  );
  const variables = dashboard.templating.list.flatMap((variable) => {
    const query = typeof variable.query === "object" ? variable.query.query : variable.query;
    return query === undefined ? [] : [expressionReferences(`variable $${variable.name}`, query)];
  });
  const alerts = rulesOf(chart).map((rule) =>
    expressionReferences(`alert ${rule.alert}`, rule.expr, Object.values(rule.annotations)),
  );
  return [...panels, ...variables, ...alerts];
}

describe("the Grafana dashboard and the alert rules, as helm renders them", () => {
  it("renders neither by default", async () => {
    const chart = await renderChart();
    expect(chart.all("PrometheusRule")).toEqual([]);
    expect(chart.all("ConfigMap").map((map) => map.metadata.name)).not.toContain(
      "search-miroir-dashboard",
    );
  });

  it("puts the dashboard of dashboards/ in a ConfigMap that Grafana's sidecar picks up", async () => {
    const chart = await renderChart({
      set: { ...BOTH, "metrics.grafanaDashboard.annotations.grafana_folder": "Search" },
    });
    const map = chart.one("ConfigMap", "search-miroir-dashboard");
    expect(map.metadata.labels?.grafana_dashboard).toBe("1");
    expect(map.metadata.annotations?.grafana_folder).toBe("Search");
    const file = JSON.parse(
      readFileSync(join(chartDir, "dashboards", "miroir-overview.json"), "utf8"),
    );
    expect(dashboardOf(chart)).toEqual(file);
    const targets = dashboardOf(chart).panels.flatMap((panel) => panel.targets ?? []);
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) expect(target.expr).toMatch(/miroir_/);
  });

  it("renders each alert with a severity, a summary and a description, thresholds from values", async () => {
    const chart = await renderChart({
      set: {
        ...BOTH,
        "metrics.prometheusRule.nodeUnreachableFor": "7m",
        "metrics.prometheusRule.labels.release": "kube-prometheus-stack",
      },
      // `--set` reads 0.75 as a string; a values file or --set-json gives a number.
      extraArgs: ["--set-json", "metrics.prometheusRule.searchP99Seconds=0.75"],
    });
    expect(chart.one("PrometheusRule").metadata.labels?.release).toBe("kube-prometheus-stack");
    const rules = rulesOf(chart);
    expect(rules.map((rule) => rule.alert).sort()).toEqual([
      "MiroirNodeUnreachable",
      "MiroirSearchLatencyHigh",
      "MiroirShardUnavailable",
      "MiroirShardsBelowFullReplication",
      "MiroirTaskFailures",
      "MiroirWritesWithoutQuorum",
    ]);
    for (const rule of rules) {
      expect(["warning", "critical"]).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.description).toBeTruthy();
      expect(rule.annotations.runbook_url).toBeUndefined();
      expect(rule.expr).toContain('namespace="prod"');
    }
    const byName = new Map(rules.map((rule) => [rule.alert, rule]));
    expect(byName.get("MiroirSearchLatencyHigh")?.expr).toMatch(/> 0\.75$/);
    expect(byName.get("MiroirNodeUnreachable")?.for).toBe("7m");
    // Prometheus's own templating survives helm's.
    expect(byName.get("MiroirNodeUnreachable")?.annotations.summary).toContain(
      "{{ $labels.node_id }}",
    );
  });

  it("links each alert to its runbook once the operations guide has an address", async () => {
    const chart = await renderChart({
      set: {
        ...BOTH,
        "metrics.prometheusRule.runbookBaseUrl": "https://docs.example.com/operations",
      },
    });
    for (const rule of rulesOf(chart)) {
      expect(rule.annotations.runbook_url).toBe(
        `https://docs.example.com/operations#${rule.alert.toLowerCase()}`,
      );
    }
  });

  it("has a runbook line in docs/operations.md for every alert", async () => {
    const guide = readFileSync(join(chartDir, "..", "..", "docs", "operations.md"), "utf8");
    for (const rule of rulesOf(await renderChart({ set: BOTH }))) {
      expect(guide, rule.alert).toContain(`#### ${rule.alert}`);
    }
  });

  it("passes helm lint --strict with both on", async () => {
    expect(await lintChart({ set: BOTH })).toContain("0 chart(s) failed");
  });

  it("refuses a duration Prometheus would not read", async () => {
    const failure = await renderFailure({
      set: { ...BOTH, "metrics.prometheusRule.nodeUnreachableFor": "two minutes" },
    });
    expect(failure).toContain("nodeUnreachableFor");
  });
});

describe("every metric the dashboard and the alerts use, against a live Miroir", () => {
  let miroir: LiveMiroir;
  let exposition: Exposition;
  let references: ExpressionReferences[];

  beforeAll(async () => {
    references = referencesOf(await renderChart({ set: BOTH }));
    miroir = await startLiveMiroir();
    await someTraffic(miroir);
    exposition = parseExposition(await (await fetch(miroir.metricsUrl)).text());
  }, 180_000);

  afterAll(async () => {
    await miroir?.stop();
  }, 60_000);

  it("exports every selected metric, with every label a selector matches on", () => {
    expect(selectorProblems(references, exposition)).toEqual([]);
  });

  it("exports the values selectors match, route templates included", () => {
    expect(valueProblems(references, exposition)).toEqual([]);
  });

  it("exports every label a panel or an alert groups by or prints", () => {
    expect(labelProblems(references, exposition)).toEqual([]);
  });

  it("would notice a metric, a label, a route or a printed label Miroir does not export", () => {
    const wrong = [
      expressionReferences("wrong", "rate(miroir_not_exported_total[5m])"),
      expressionReferences("wrong", 'miroir_node_healthy{shard_id="1"}'),
      expressionReferences("wrong", 'miroir_requests_total{path_template="/indexes/:uid/serch"}'),
      expressionReferences("wrong", "sum by (index_uid) (miroir_requests_total)", ["{{node_id}}"]),
    ];
    expect(selectorProblems(wrong, exposition)).toHaveLength(2);
    expect(valueProblems(wrong, exposition)).toHaveLength(2);
    expect(labelProblems(wrong, exposition)).toHaveLength(2);
  });
});

function selectorProblems(references: ExpressionReferences[], exposition: Exposition): string[] {
  const problems: string[] = [];
  for (const { where, series } of references) {
    for (const { metric, matchers } of series) {
      const exported = exposition.get(metric);
      if (exported === undefined) {
        problems.push(`${where}: ${metric} is not exported`);
        continue;
      }
      for (const matcher of matchers) {
        if (TARGET_LABELS.has(matcher.label)) continue;
        if (!exported.some((labels) => matcher.label in labels)) {
          problems.push(`${where}: ${metric} has no label ${matcher.label}`);
        }
      }
    }
  }
  return problems;
}

function valueProblems(references: ExpressionReferences[], exposition: Exposition): string[] {
  const problems: string[] = [];
  for (const { where, series } of references) {
    for (const { metric, matchers } of series) {
      for (const matcher of matchers) {
        if (TARGET_LABELS.has(matcher.label) || matcher.op.startsWith("!")) continue;
        // A request status such as 503 shows only after such an answer; its name is checked.
        if (matcher.label === "status" && metric.startsWith("miroir_request")) continue;
        const pattern = new RegExp(`^(?:${matcher.value})$`);
        const matches = (value: string | undefined) =>
          value !== undefined &&
          (matcher.op === "=" ? value === matcher.value : pattern.test(value));
        if (!(exposition.get(metric) ?? []).some((labels) => matches(labels[matcher.label]))) {
          problems.push(
            `${where}: no ${metric} series has ${matcher.label}${matcher.op}"${matcher.value}"`,
          );
        }
      }
    }
  }
  return problems;
}

function labelProblems(references: ExpressionReferences[], exposition: Exposition): string[] {
  const problems: string[] = [];
  for (const { where, series, usedLabels } of references) {
    for (const label of usedLabels) {
      if (TARGET_LABELS.has(label)) continue;
      const carried = series.some(({ metric }) =>
        (exposition.get(metric) ?? []).some((labels) => label in labels),
      );
      if (!carried) problems.push(`${where}: no selected metric carries ${label}`);
    }
  }
  return problems;
}

/** What a day of use looks like, in miniature: writes, reads, a failed task, a node lost. */
async function someTraffic(miroir: LiveMiroir): Promise<void> {
  const enqueue = async (path: string, body: unknown, method = "POST") => {
    const answer = await miroir.api(path, { method, body: JSON.stringify(body) });
    expect(answer.status).toBe(202);
    const { taskUid } = (await answer.json()) as { taskUid: number };
    for (let round = 0; round < 400; round++) {
      const task = (await (await miroir.api(`/tasks/${taskUid}`)).json()) as { status: string };
      if (["succeeded", "failed", "canceled"].includes(task.status)) return task.status;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`task ${taskUid} did not finish`);
  };
  expect(await enqueue("/indexes", { uid: "movies", primaryKey: "id" })).toBe("succeeded");
  expect(
    await enqueue("/indexes/movies/settings", { filterableAttributes: ["genre"] }, "PATCH"),
  ).toBe("succeeded");
  const movies = Array.from({ length: 40 }, (_, i) => ({
    id: i,
    title: `Film ${i}`,
    genre: `g${i % 4}`,
  }));
  expect(await enqueue("/indexes/movies/documents", movies)).toBe("succeeded");
  expect(await enqueue("/indexes/movies/documents", [{ title: "no id" }])).toBe("failed");
  const reads: [string, RequestInit][] = [
    [
      "/indexes/movies/search",
      { method: "POST", body: JSON.stringify({ q: "film", facets: ["genre"] }) },
    ],
    ["/indexes/movies/search?q=film", {}],
    [
      "/multi-search",
      { method: "POST", body: JSON.stringify({ queries: [{ indexUid: "movies", q: "1" }] }) },
    ],
    [
      "/indexes/movies/facet-search",
      { method: "POST", body: JSON.stringify({ facetName: "genre" }) },
    ],
    ["/indexes/movies/stats", {}],
    ["/tasks", {}],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [path, init] of reads) expect((await miroir.api(path, init)).status, path).toBe(200);
  }
  await miroir.stopNode();
  await miroir.api("/version");
  for (let round = 0; round < 200; round++) {
    const topology = (await (await miroir.admin("/_miroir/topology")).json()) as {
      nodes: { id: string; health: string }[];
    };
    if (topology.nodes.find((node) => node.id === "node-2")?.health === "unreachable") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await miroir.api("/indexes/movies/search", {
    method: "POST",
    body: JSON.stringify({ q: "film" }),
  });
}
