import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { endProcess } from "./child-service.js";
import { freePort } from "./free-port.js";
import { spawnNode } from "./node-child.js";

export interface UpstreamNode {
  readonly id: string;
  readonly url: string;
}

export interface MiroirProcessOptions {
  readonly nodes: readonly UpstreamNode[];
  readonly replicationFactor: number;
  readonly nodeMasterKey: string | null;
  readonly shards?: number;
  /** Writes a V8 CPU profile of the proxy into this directory when it stops. */
  readonly cpuProfileDir?: string;
  /** More configuration sections, merged over the bench's (`hedging`, `replica_selection`…). */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
  /** The admin key, for suites that call `/_miroir/*` (a random one otherwise). */
  readonly adminKey?: string;
}

export interface MiroirProcess {
  readonly url: string;
  /** Where its Prometheus metrics are served (`/metrics`). */
  readonly metricsUrl: string;
  /** The proxy's process id (its memory is read from /proc). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/** The proxy's bin (`apps/proxy/dist/main.js`), found next to the package's built entry. */
function proxyBin(): string {
  return fileURLToPath(new URL("./main.js", import.meta.resolve("@miroir/proxy")));
}

/** Miroir's configuration for a benchmark: one replica group, in-memory task store, quiet logs. */
export function benchConfig(options: MiroirProcessOptions, port: number, metricsPort: number) {
  return {
    shards: options.shards ?? 64,
    replication_factor: options.replicationFactor,
    replica_groups: 1,
    nodes: options.nodes.map((node) => ({ id: node.id, address: node.url, replica_group: 0 })),
    node_master_key: options.nodeMasterKey,
    master_key: null,
    // Miroir refuses to start with its admin API unguarded; benchmarks never call it.
    admin: { api_key: options.adminKey ?? randomBytes(24).toString("hex") },
    task_store: { backend: "sqlite", path: ":memory:" },
    server: { host: "127.0.0.1", port, metrics_port: metricsPort, log_level: "warn" },
    ...options.extraConfig,
  };
}

/** Starts the built proxy (`miroir --config FILE`) in its own process and waits for `/health`. */
export async function startMiroirProcess(options: MiroirProcessOptions): Promise<MiroirProcess> {
  const dir = await mkdtemp(join(tmpdir(), "miroir-bench-"));
  const port = await freePort();
  const metricsPort = await freePort();
  const configPath = join(dir, "miroir.json");
  await writeFile(configPath, JSON.stringify(benchConfig(options, port, metricsPort)));
  const { child, stderrTail } = spawnNode(
    proxyBin(),
    ["--config", configPath],
    options.cpuProfileDir,
  );
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await endProcess(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await untilAvailable(url, child, stderrTail);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, metricsUrl: `http://127.0.0.1:${metricsPort}`, pid: child.pid, stop };
}

async function untilAvailable(url: string, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`miroir exited with ${child.exitCode}:\n${stderr()}`);
    try {
      const answer = await fetch(`${url}/health`);
      if (answer.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`miroir did not answer ${url}/health within 30 s:\n${stderr()}`);
}
