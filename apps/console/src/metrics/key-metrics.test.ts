import { describe, expect, it } from "vitest";
import type { Sample } from "./exposition.js";
import { keyMetrics, type Scrape } from "./key-metrics.js";

const SEARCH = "/indexes/:indexUid/search";

function scrape(at: number, samples: readonly Sample[]): Scrape {
  return { at, samples };
}

function requests(template: string, value: number): Sample {
  return {
    name: "miroir_requests_total",
    labels: { path_template: template, status: "200" },
    value,
  };
}

function bucket(le: string, value: number): Sample {
  return {
    name: "miroir_request_duration_seconds_bucket",
    labels: { path_template: SEARCH, le },
    value,
  };
}

describe("the console's key metrics", () => {
  it("needs two scrapes for rates, and reads gauges from one", () => {
    const first = scrape(0, [
      requests(SEARCH, 5),
      { name: "miroir_task_registry_size", labels: { status: "enqueued" }, value: 2 },
      { name: "miroir_task_registry_size", labels: { status: "processing" }, value: 1 },
      { name: "miroir_task_registry_size", labels: { status: "succeeded" }, value: 9 },
    ]);
    expect(keyMetrics(null, first)).toEqual({
      requestsPerSecond: null,
      searchP95Ms: null,
      nodeErrorsPerSecond: null,
      unfinishedTasks: 3,
    });
  });

  it("counts client requests per second, leaving the admin API out, and survives a reset", () => {
    const before = scrape(0, [requests(SEARCH, 10), requests("/_miroir/metrics", 100)]);
    const after = scrape(2000, [requests(SEARCH, 30), requests("/_miroir/metrics", 500)]);
    expect(keyMetrics(before, after).requestsPerSecond).toBe(10);
    const restarted = scrape(4000, [requests(SEARCH, 4)]);
    expect(keyMetrics(after, restarted).requestsPerSecond).toBe(2);
  });

  it("takes the search p95 from the buckets observed between the scrapes", () => {
    const before = scrape(0, [bucket("0.01", 100), bucket("0.1", 100), bucket("+Inf", 100)]);
    const after = scrape(1000, [bucket("0.01", 100), bucket("0.1", 200), bucket("+Inf", 200)]);
    // The 100 new searches all took between 10 and 100 ms: p95 interpolates to 95.5 ms.
    expect(keyMetrics(before, after).searchP95Ms).toBeCloseTo(95.5);
    expect(keyMetrics(after, scrape(2000, after.samples)).searchP95Ms).toBeNull();
  });

  it("sums node errors of every node and kind", () => {
    const errors = (node: string, value: number): Sample => ({
      name: "miroir_node_errors_total",
      labels: { node_id: node, error_type: "unreachable" },
      value,
    });
    const before = scrape(0, [errors("node-0", 1)]);
    const after = scrape(4000, [errors("node-0", 3), errors("node-1", 2)]);
    expect(keyMetrics(before, after).nodeErrorsPerSecond).toBe(1);
  });
});
