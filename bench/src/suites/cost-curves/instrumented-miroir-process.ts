import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startChildService } from "../../processes/child-service.js";
import { freePort } from "../../processes/free-port.js";
import { benchConfig, type MiroirProcessOptions } from "../../processes/miroir-process.js";

/** What the task store was asked and what its backend did, since the process started. */
export interface StoreCounts {
  /** Task store calls by method path (`tasks.create`, …). */
  readonly calls: Readonly<Record<string, number>>;
  /** SQL statements run by better-sqlite3 (0 on Redis). */
  readonly sqlStatements: number;
}

export interface InstrumentedMiroir {
  readonly url: string;
  /** CPU time of the proxy process so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  /** `process.memoryUsage()` of the proxy after two full garbage collections. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Task store counts; only with `countStore`. */
  store(): Promise<StoreCounts>;
  stop(): Promise<void>;
}

export interface InstrumentedMiroirOptions extends MiroirProcessOptions {
  /** Count task store calls and SQL statements (off by default: the count has a cost). */
  readonly countStore?: boolean;
  /** A Redis task store at this URL instead of the in-memory SQLite one. */
  readonly redisUrl?: string;
}

async function untilHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`miroir did not answer ${url}/health within 30 s`);
}

/** Starts Miroir in the instrumented child (`instrumented-miroir.ts`) and waits for `/health`. */
export async function startInstrumentedMiroir(
  options: InstrumentedMiroirOptions,
): Promise<InstrumentedMiroir> {
  const dir = await mkdtemp(join(tmpdir(), "miroir-curve-"));
  const port = await freePort();
  const config = {
    ...benchConfig(options, port, await freePort()),
    ...(options.redisUrl === undefined
      ? {}
      : { task_store: { backend: "redis", url: options.redisUrl, key_prefix: `curve-${port}:` } }),
  };
  const configPath = join(dir, "miroir.json");
  await writeFile(configPath, JSON.stringify(config));
  const args = ["--config", configPath];
  if (options.countStore === true) args.push("--count-store");
  const child = await startChildService({
    script: fileURLToPath(new URL("./instrumented-miroir.js", import.meta.url)),
    args,
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const stop = async () => {
    await child.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilHealthy(url);
  } catch (error) {
    await stop();
    throw error;
  }
  const probe = async <T>(path: string) => (await (await fetch(`${child.url}${path}`)).json()) as T;
  return {
    url,
    async cpuMs() {
      const usage = await probe<NodeJS.CpuUsage>("/cpu");
      return (usage.user + usage.system) / 1000;
    },
    memory: () => probe<NodeJS.MemoryUsage>("/memory"),
    store: () => probe<StoreCounts>("/store"),
    stop,
  };
}
