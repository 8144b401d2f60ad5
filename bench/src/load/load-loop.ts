import { Pool } from "undici";
import { type LatencySummary, summarise } from "./latency-summary.js";

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Request bodies, sent in turn (one JSON query each). */
  readonly bodies: readonly string[];
  /** Requests in flight at once, one per keep-alive connection. */
  readonly connections: number;
  readonly durationMs: number;
  /** Stops early after this many measured requests. */
  readonly maxRequests: number;
  /** Load sent first and not measured (connections open, code paths warm). */
  readonly warmupMs: number;
}

/**
 * A closed-loop load: `connections` workers each send a request, read the whole answer,
 * and send the next, until the duration or the request count runs out. Every latency is
 * kept (bounded by `maxRequests`), so the percentiles are exact.
 */
export async function runLoad(options: LoadOptions): Promise<LatencySummary> {
  const pool = new Pool(options.url, {
    connections: options.connections,
    keepAliveTimeout: 60_000,
    pipelining: 1,
  });
  const headers = { "content-type": "application/json", ...options.headers };
  let sent = 0;
  const send = async (): Promise<boolean> => {
    const body = options.bodies[sent++ % options.bodies.length];
    const answer = await pool.request({ method: "POST", path: options.path, headers, body });
    await answer.body.text();
    return answer.statusCode === 200;
  };
  try {
    await workers(options.connections, options.warmupMs, Number.MAX_SAFE_INTEGER, send);
    const latencies: number[] = [];
    let errors = 0;
    const started = performance.now();
    await workers(
      options.connections,
      options.durationMs,
      options.maxRequests,
      async () => {
        const before = performance.now();
        const ok = await send().catch(() => false);
        if (ok) latencies.push(performance.now() - before);
        else errors += 1;
        return ok;
      },
      () => latencies.length + errors,
    );
    return summarise(latencies, errors, (performance.now() - started) / 1000);
  } finally {
    await pool.close();
  }
}

async function workers(
  count: number,
  durationMs: number,
  maxRequests: number,
  request: () => Promise<boolean>,
  done: () => number = () => 0,
): Promise<void> {
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && done() < maxRequests) {
      await request().catch(() => false);
    }
  };
  await Promise.all(Array.from({ length: count }, worker));
}
