import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { isRealMode, startCluster, startMeiliProcess, startNode } from "@miroir/testkit";
import { stringify } from "yaml";

export const MASTER_KEY = "chart-metrics-master-key-0123456789";
export const ADMIN_KEY = "chart-metrics-admin-key-0123456789";

export interface LiveMiroir {
  readonly url: string;
  readonly metricsUrl: string;
  /** Stops the third node, so that node errors and health changes show in the metrics. */
  stopNode(): Promise<void>;
  /** Calls Miroir with the master key. */
  api(path: string, init?: RequestInit): Promise<Response>;
  admin(path: string): Promise<Response>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * A real Miroir process (the built `miroir` bin of @miroir/proxy, started with
 * `--config`) in front of three nodes (real Meilisearch with `MEILI_BIN`): what the
 * chart deploys, in miniature. `stop()` ends everything, even after a failed start.
 */
export async function startLiveMiroir(): Promise<LiveMiroir> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const dir = mkdtempSync(join(tmpdir(), "miroir-chart-metrics-"));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    const cluster = await startCluster({ nodes: 2, shards: 8 });
    stops.push(() => cluster.stop());
    const nodeMasterKey = String(cluster.config.node_master_key);
    const third = isRealMode()
      ? await startMeiliProcess({ id: "node-2", masterKey: nodeMasterKey })
      : await startNode({ id: "node-2", masterKey: nodeMasterKey });
    let thirdStopped = false;
    const stopNode = async () => {
      if (thirdStopped) return;
      thirdStopped = true;
      await third.stop();
    };
    stops.push(stopNode);
    const [port, metricsPort] = [await freePort(), await freePort()];
    const config = join(dir, "miroir.yaml");
    writeFileSync(
      config,
      stringify({
        shards: 8,
        replication_factor: 1,
        replica_groups: 1,
        nodes: [
          ...(cluster.config.nodes as object[]),
          { id: "node-2", address: third.url, replica_group: 0 },
        ],
        task_store: { backend: "sqlite", path: join(dir, "state.db") },
        task_registry: { poll_interval_ms: 50 },
        health: {
          interval_ms: 250,
          timeout_ms: 200,
          unhealthy_threshold: 2,
          recovery_threshold: 2,
        },
        server: { host: "127.0.0.1", port, metrics_port: metricsPort, log_level: "warn" },
      }),
    );
    // The package's entry is in src/ or dist/ depending on the resolve conditions; the bin
    // is always the built one.
    const proxyDir = dirname(dirname(createRequire(import.meta.url).resolve("@miroir/proxy")));
    const child: ChildProcess = spawn(
      process.execPath,
      [join(proxyDir, "dist", "main.js"), "--config", config],
      {
        env: {
          ...process.env,
          MIROIR_MASTER_KEY: MASTER_KEY,
          MIROIR_NODE_MASTER_KEY: nodeMasterKey,
          MIROIR_ADMIN_API_KEY: ADMIN_KEY,
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    stops.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    });
    const url = `http://127.0.0.1:${port}`;
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`miroir exited (${child.exitCode}): ${stderr}`);
      if (attempt > 300) throw new Error(`miroir did not answer /health: ${stderr}`);
      const ok = await fetch(`${url}/health`).then(
        (answer) => answer.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
      url,
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      stopNode,
      api: (path, init = {}) =>
        fetch(`${url}${path}`, {
          ...init,
          headers: {
            authorization: `Bearer ${MASTER_KEY}`,
            "content-type": "application/json",
            ...(init.headers ?? {}),
          },
        }),
      admin: (path) => fetch(`${url}${path}`, { headers: { "x-admin-key": ADMIN_KEY } }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
