import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { startTracing, tracesUrl } from "./tracing.js";

const OFF = { enabled: false, otlp_endpoint: null, service_name: "miroir", sample_rate: 1 };

describe("tracing", () => {
  it("is off unless enabled with an endpoint", async () => {
    expect(startTracing(OFF).tracer).toBeNull();
    expect(startTracing({ ...OFF, enabled: true }).tracer).toBeNull();
    expect(startTracing({ ...OFF, otlp_endpoint: "http://127.0.0.1:4318" }).tracer).toBeNull();
    const on = startTracing({ ...OFF, enabled: true, otlp_endpoint: "http://127.0.0.1:4318" });
    expect(on.tracer).not.toBeNull();
    await on.shutdown();
  });

  it("sends the collector's traces path unless the endpoint names one", () => {
    expect(tracesUrl("http://collector:4318")).toBe("http://collector:4318/v1/traces");
    expect(tracesUrl("http://collector:4318/custom/traces")).toBe(
      "http://collector:4318/custom/traces",
    );
  });

  it("samples at the configured rate", async () => {
    const spans = new InMemorySpanExporter();
    const never = startTracing({ ...OFF, sample_rate: 0 }, spans);
    for (let i = 0; i < 20; i++) never.tracer?.startSpan("dropped").end();
    expect(spans.getFinishedSpans()).toHaveLength(0);
    await never.shutdown();
  });
});
