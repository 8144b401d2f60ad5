import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig } from "@miroir/config";
import {
  type Cluster,
  isRealMode,
  startCluster,
  startMeiliProcess,
  startNode,
} from "@miroir/testkit";
import { type Browser, chromium, type Page } from "playwright-core";
import { inject } from "vitest";
import { createProxy, type RunningProxy } from "../../src/index.js";

export const ADMIN_KEY = "console-test-admin-key-0123456789";
export const MASTER_KEY = "console-test-master-key-0123456789";
/** Fast health checks, so a stopped node turns unreachable within a second or two. */
export const HEALTH = {
  interval_ms: 250,
  timeout_ms: 200,
  unhealthy_threshold: 2,
  recovery_threshold: 2,
};

/** Screenshots of every page land here; the folder is ignored by git. */
export const SCREENSHOTS = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "test-output",
  "console",
);

/** A node this test can stop on its own (the cluster harness stops its nodes together). */
interface StoppableNode {
  readonly id: string;
  readonly url: string;
  stop(): Promise<void>;
}

export interface ConsoleCluster {
  readonly url: string;
  readonly cluster: Cluster;
  readonly proxy: RunningProxy;
  readonly browser: Browser;
  /** The node the tests stop to see it turn unreachable. */
  readonly victim: StoppableNode;
  /** Calls Miroir with the master key. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Calls the admin API with the admin key. */
  admin(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * Two nodes from the harness plus one started alone (real Meilisearch processes with
 * `MEILI_BIN`), a Miroir proxy with a master key and an admin key in front of them, and a
 * headless Chromium. Whatever fails half-way, `stop()` ends everything that started.
 */
export async function startConsoleCluster(): Promise<ConsoleCluster> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const cluster = await startCluster({ nodes: 2, shards: 8 });
    stops.push(() => cluster.stop());
    const nodeMasterKey = String(cluster.config.node_master_key);
    const started = isRealMode()
      ? await startMeiliProcess({ id: "node-2", masterKey: nodeMasterKey })
      : await startNode({ id: "node-2", masterKey: nodeMasterKey });
    let victimStopped = false;
    const victim: StoppableNode = {
      id: "node-2",
      url: "url" in started ? started.url : "",
      async stop() {
        if (victimStopped) return;
        victimStopped = true;
        await started.stop();
      },
    };
    stops.push(() => victim.stop());
    const nodes = [
      ...(cluster.config.nodes as { id: string; address: string; replica_group: number }[]),
      { id: victim.id, address: victim.url, replica_group: 0 },
    ];
    const proxy = await createProxy(
      parseConfig({
        ...cluster.config,
        nodes,
        master_key: MASTER_KEY,
        admin: { api_key: ADMIN_KEY },
        health: HEALTH,
        server: { host: "127.0.0.1", log_level: "silent" },
        task_registry: { poll_interval_ms: 50 },
      }),
    );
    stops.push(() => proxy.close());
    const { url } = await proxy.listen(0);
    const browser = await chromium.launch({
      executablePath: inject("chromiumPath"),
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
      timeout: 60_000,
    });
    stops.push(() => browser.close());
    const call =
      (headers: Record<string, string>) =>
      (path: string, init: RequestInit = {}) =>
        fetch(`${url}${path}`, {
          ...init,
          headers: { "content-type": "application/json", ...headers, ...(init.headers ?? {}) },
        });
    return {
      url,
      cluster,
      proxy,
      browser,
      victim,
      api: call({ authorization: `Bearer ${MASTER_KEY}` }),
      admin: call({ "x-admin-key": ADMIN_KEY }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Waits for a Miroir task to finish, bounded in rounds. */
export async function waitTask(
  consoleCluster: ConsoleCluster,
  taskUid: number,
): Promise<Record<string, unknown>> {
  for (let round = 0; round < 600; round++) {
    const task = (await (await consoleCluster.api(`/tasks/${taskUid}`)).json()) as Record<
      string,
      unknown
    >;
    if (["succeeded", "failed", "canceled"].includes(String(task.status))) return task;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`task ${taskUid} did not finish`);
}

/** Messages the page logged about its Content-Security-Policy (there must be none). */
export function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}
