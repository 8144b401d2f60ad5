import { request } from "node:http";
import { Writable } from "node:stream";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { sample } from "./metric-samples.js";

const FAMILIES = [
  "miroir_request_duration_seconds",
  "miroir_requests_total",
  "miroir_requests_in_flight",
  "miroir_node_request_duration_seconds",
  "miroir_node_errors_total",
  "miroir_node_healthy",
  "miroir_node_health_changes_total",
  "miroir_shard_coverage",
  "miroir_degraded_shards_total",
  "miroir_shard_distribution",
  "miroir_scatter_fan_out_size",
  "miroir_scatter_partial_responses_total",
  "miroir_scatter_retries_total",
  // Asserted by value in src/scatter/scatter.test.ts and test/read/hedged-reads.test.ts.
  "miroir_hedged_requests_total",
  "miroir_hedged_requests_won_total",
  "miroir_task_registry_size",
  "miroir_tasks_total",
  "miroir_task_oldest_age_seconds",
  "miroir_duty_runs_total",
  "miroir_duty_failures_total",
  "miroir_duty_duration_seconds",
  // Asserted by value in test/convergence/convergence-metrics.test.ts.
  "miroir_hints_recorded_total",
  "miroir_hints_replayed_total",
  "miroir_hints_pending",
  "miroir_replica_recovering",
  // Asserted by value in test/convergence/hint-bound.test.ts.
  "miroir_replica_awaiting_full_repair",
  "miroir_anti_entropy_divergent_documents_total",
  "miroir_anti_entropy_repaired_documents_total",
  "miroir_anti_entropy_settings_repairs_total",
  "miroir_anti_entropy_progress_ratio",
  "miroir_anti_entropy_seconds_since_verification",
  "miroir_rebalance_running",
  "miroir_rebalance_shards_total",
  "miroir_rebalance_shards_done",
  "miroir_rebalance_documents_copied_total",
  "miroir_admin_auth_failures_total",
];

describe("metrics, logs and traces", () => {
  let miroir: ProxiedCluster;
  let metricsUrl: string;
  const lines: Record<string, unknown>[] = [];
  const spans = new InMemorySpanExporter();

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    miroir = await startProxiedCluster(
      { nodes: 2 },
      { health: { interval_ms: 200, timeout_ms: 150 }, tracing: { sample_rate: 1 } },
      { logger: pino({ level: "info" }, sink), spanExporter: spans },
    );
    ({ url: metricsUrl } = await miroir.proxy.listenMetrics(0));
  }, 30_000);
  afterAll(async () => {
    await miroir?.stop();
  });

  const scrape = async () => {
    const answer = await fetch(`${metricsUrl}/metrics`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toContain("text/plain");
    return answer.text();
  };

  it("serves every plan family on the metrics port, without credentials", async () => {
    const text = await scrape();
    for (const family of FAMILIES) expect(text, family).toContain(`# TYPE ${family} `);
  });

  it("lists every declared family here, so none goes without a test", () => {
    const declared = miroir.proxy.context.metrics.registry.getMetricsAsArray().map((m) => m.name);
    expect([...declared].sort()).toEqual([...FAMILIES].sort());
  });

  it("moves the request, node-call and task values as requests are made", async () => {
    const labels = { method: "POST", path_template: "/indexes", status: "202" };
    const before = await scrape();
    const created = await miroir.miroir("/indexes", json({ uid: "metered", primaryKey: "id" }));
    expect(created.status).toBe(202);
    await miroir.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    const after = await scrape();
    expect(sample(after, "miroir_requests_total", labels)).toBe(
      sample(before, "miroir_requests_total", labels) + 1,
    );
    expect(sample(after, "miroir_request_duration_seconds_count", labels)).toBe(
      sample(before, "miroir_request_duration_seconds_count", labels) + 1,
    );
    const nodeCalls = (text: string) =>
      sample(text, "miroir_node_request_duration_seconds_count", {
        node_id: "node-0",
        operation: "POST indexes",
      });
    expect(nodeCalls(after)).toBe(nodeCalls(before) + 1);
    const tasks = (text: string, name: string, status: string) => sample(text, name, { status });
    expect(tasks(after, "miroir_task_registry_size", "succeeded")).toBe(
      tasks(before, "miroir_task_registry_size", "succeeded") + 1,
    );
    expect(tasks(after, "miroir_tasks_total", "enqueued")).toBe(
      tasks(before, "miroir_tasks_total", "enqueued") + 1,
    );
    expect(tasks(after, "miroir_tasks_total", "succeeded")).toBe(
      tasks(before, "miroir_tasks_total", "succeeded") + 1,
    );
  });

  it("counts a request in flight while its body is still arriving", async () => {
    const url = new URL(`${miroir.url}/indexes/metered/documents`);
    const upload = request(url, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
    });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      upload.on("response", (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      });
      upload.on("error", reject);
    });
    upload.write('{"id": 1, "title": "held"}\n');
    let inFlight = 0;
    for (let attempt = 0; attempt < 100 && inFlight !== 1; attempt++) {
      inFlight = sample(await scrape(), "miroir_requests_in_flight");
      if (inFlight !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(inFlight).toBe(1);
    upload.end('{"id": 2, "title": "sent"}\n');
    const { status, body } = await answered;
    expect(status).toBe(202);
    expect(sample(await scrape(), "miroir_requests_in_flight")).toBe(0);
    await miroir.waitTask((JSON.parse(body) as { taskUid: number }).taskUid);
  }, 30_000);

  it("reports how long the oldest unfinished task has waited, per status", async () => {
    const store = miroir.proxy.context.taskStore;
    // A task whose node task no node knows stays unfinished: the age can only grow.
    const stuck = await store.tasks.create({
      indexUid: "metered",
      type: "documentAdditionOrUpdate",
      nodeTasks: { "node-0": 999_999 },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waiting = await scrape();
    expect(
      sample(waiting, "miroir_task_oldest_age_seconds", { status: "enqueued" }),
    ).toBeGreaterThanOrEqual(0.3);
    expect(sample(waiting, "miroir_task_oldest_age_seconds", { status: "processing" })).toBe(0);
    await store.tasks.update(stuck.uid, { status: "processing", startedAt: Date.now() });
    const processing = await scrape();
    expect(
      sample(processing, "miroir_task_oldest_age_seconds", { status: "processing" }),
    ).toBeGreaterThanOrEqual(0.3);
    expect(sample(processing, "miroir_task_oldest_age_seconds", { status: "enqueued" })).toBe(0);
    await store.tasks.delete({ uids: [stuck.uid] });
    const none = await scrape();
    expect(sample(none, "miroir_task_oldest_age_seconds", { status: "processing" })).toBe(0);
  });

  it("reports node health and shard coverage from the health checker", async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const text = await scrape();
      if (sample(text, "miroir_shard_coverage") === 1) {
        expect(sample(text, "miroir_node_healthy", { node_id: "node-1" })).toBe(1);
        expect(sample(text, "miroir_degraded_shards_total")).toBe(0);
        const owned =
          sample(text, "miroir_shard_distribution", { node_id: "node-0" }) +
          sample(text, "miroir_shard_distribution", { node_id: "node-1" });
        expect(owned).toBe(64);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("shard coverage never reached 1");
  });

  it("mirrors the metrics at /_miroir/metrics for the admin", async () => {
    const answer = await miroir.miroir("/_miroir/metrics");
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain("# TYPE miroir_requests_total counter");
  });

  it("logs one JSON line per request with its id, route template, status and duration", async () => {
    const requestId = "request-id-of-this-test";
    const answer = await miroir.miroir("/indexes/metered/documents/nope", {
      method: "DELETE",
      headers: { "x-request-id": requestId },
    });
    const line = lines.find((entry) => entry.requestId === requestId && entry.msg === "request");
    expect(line).toMatchObject({ method: "DELETE", status: answer.status });
    expect(line?.route).toMatch(/^\/indexes\/:\w+\/documents\/:\w+$/);
    expect(typeof line?.durationMs).toBe("number");
  });

  it("traces each request with a span per node call beneath it", async () => {
    await miroir.miroir("/indexes/metered");
    const finished = async () => {
      for (let attempt = 0; attempt < 40; attempt++) {
        const found = spans
          .getFinishedSpans()
          .find((span) => /^GET \/indexes\/:\w+$/.test(span.name));
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error("no request span exported");
    };
    const request = await finished();
    const children = spans
      .getFinishedSpans()
      .filter((span) => span.parentSpanContext?.spanId === request.spanContext().spanId);
    expect(children.length).toBeGreaterThan(0);
    expect(children[0]?.attributes["miroir.node_id"]).toMatch(/^node-/);
  });

  it("never writes a secret into the logs", async () => {
    await miroir.miroir("/indexes", { headers: { authorization: "Bearer a-secret-value" } });
    expect(JSON.stringify(lines)).not.toContain("a-secret-value");
  });
});
