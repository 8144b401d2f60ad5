import type { Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

export interface TracingConfig {
  readonly enabled: boolean;
  readonly otlp_endpoint: string | null;
  readonly service_name: string;
  readonly sample_rate: number;
}

export interface Tracing {
  /** Null when tracing is off: no span is ever created. */
  readonly tracer: Tracer | null;
  /** Exports the spans still buffered and stops. */
  shutdown(): Promise<void>;
}

const OFF: Tracing = { tracer: null, shutdown: async () => undefined };

/** The collector's traces URL: `/v1/traces` unless the configured URL names a path. */
export function tracesUrl(endpoint: string): string {
  const url = new URL(endpoint);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/v1/traces";
  return url.toString();
}

/**
 * OpenTelemetry traces, off unless `tracing.enabled` with an `otlp_endpoint` (or an
 * exporter passed in, as tests do, which gets each span as it ends). Spans go through a
 * batch processor to OTLP/HTTP,
 * sampled at `sample_rate` (a parent's decision is kept). The async-context manager is
 * installed globally so that node-call spans find the request span they belong to.
 */
export function startTracing(config: TracingConfig, exporter?: SpanExporter): Tracing {
  if (exporter === undefined && (!config.enabled || config.otlp_endpoint === null)) return OFF;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ "service.name": config.service_name }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sample_rate) }),
    spanProcessors: [
      exporter === undefined
        ? new BatchSpanProcessor(
            new OTLPTraceExporter({ url: tracesUrl(config.otlp_endpoint as string) }),
          )
        : new SimpleSpanProcessor(exporter),
    ],
  });
  provider.register();
  return {
    tracer: provider.getTracer("miroir"),
    shutdown: () => provider.shutdown(),
  };
}
