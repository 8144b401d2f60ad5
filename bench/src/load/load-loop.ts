import { Pool } from "undici";

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

/** The raw outcome of one load: every latency (ms), the failures and the measured time. */
export interface LoadSample {
  readonly latenciesMs: number[];
  readonly errors: number;
  readonly seconds: number;
}

/**
 * A closed-loop load: `connections` workers each send a request, read the whole answer,
 * and send the next, until the duration or the request count runs out. Every latency is
 * kept (bounded by `maxRequests`), so the percentiles are exact.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSample> {
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
    await workers(options.connections, options.warmupMs, () => true, send);
    const latenciesMs: number[] = [];
    let errors = 0;
    const started = performance.now();
    const more = () => latenciesMs.length + errors < options.maxRequests;
    await workers(options.connections, options.durationMs, more, async () => {
      const before = performance.now();
      const ok = await send().catch(() => false);
      if (ok) latenciesMs.push(performance.now() - before);
      else errors += 1;
      return ok;
    });
    return { latenciesMs, errors, seconds: (performance.now() - started) / 1000 };
  } finally {
    await pool.close();
  }
}

async function workers(
  count: number,
  durationMs: number,
  more: () => boolean,
  request: () => Promise<boolean>,
): Promise<void> {
  const deadline = performance.now() + durationMs;
  const worker = async () => {
    while (performance.now() < deadline && more()) {
      await request().catch(() => false);
    }
  };
  await Promise.all(Array.from({ length: count }, worker));
}
