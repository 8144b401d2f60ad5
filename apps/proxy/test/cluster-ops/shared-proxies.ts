import { randomUUID } from "node:crypto";
import { parseConfig } from "@miroir/config";
import { createProxy, type RunningProxy } from "../../src/index.js";

/** Miroir processes' stand-ins: in-process proxies sharing one Redis task store. */
export interface SharedProxies {
  readonly proxies: readonly RunningProxy[];
  /** Calls proxy `at` with the suite's headers, then `init`'s own (which win). */
  on(at: number, path: string, init?: RequestInit): Promise<Response>;
  /** Closes every proxy (each waits for its background duties' current run). */
  close(): Promise<void>;
}

/**
 * Starts `count` proxies (2 by default) from `config`, each on a loopback port, all on the
 * Redis at `redisUrl` under a key prefix of their own run, with node tasks polled every
 * 20 ms and no logs; `config` may replace any of that but the store.
 */
export async function startSharedProxies(options: {
  readonly redisUrl: string;
  readonly config: Record<string, unknown>;
  readonly headers?: Record<string, string>;
  readonly count?: number;
}): Promise<SharedProxies> {
  const input = {
    server: { host: "127.0.0.1", log_level: "silent" },
    task_registry: { poll_interval_ms: 20 },
    ...options.config,
    task_store: {
      backend: "redis",
      url: options.redisUrl,
      key_prefix: `miroir-test-${randomUUID()}:`,
    },
  };
  const proxies: RunningProxy[] = [];
  const urls: string[] = [];
  const close = async () => {
    for (const proxy of proxies) await proxy.close();
  };
  try {
    for (let at = 0; at < (options.count ?? 2); at++) {
      const proxy = await createProxy(parseConfig(input));
      proxies.push(proxy);
      urls.push((await proxy.listen(0)).url);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    proxies,
    on: (at, path, init = {}) =>
      fetch(`${urls[at]}${path}`, {
        ...init,
        headers: { ...options.headers, ...(init.headers as Record<string, string> | undefined) },
      }),
    close,
  };
}
