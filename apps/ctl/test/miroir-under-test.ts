import { parseConfig } from "@miroir/config";
import { createProxy, type RunningProxy } from "@miroir/proxy";
import { type Cluster, type ClusterOptions, startCluster } from "@miroir/testkit";

export const MASTER_KEY = "ctl-test-master-key-0123456789";
export const ADMIN_KEY = "ctl-test-admin-key-0123456789";

/** A Miroir proxy over a testkit cluster, with a master key and an admin key. */
export interface MiroirUnderTest {
  readonly url: string;
  readonly cluster: Cluster;
  readonly proxy: RunningProxy;
  /** Calls Miroir with the master key. */
  call(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  /** Waits until Miroir reports the task finished. */
  waitTask(uid: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startMiroir(
  options: ClusterOptions = {},
  /** Configuration keys to set, or a function of the cluster answering them. */
  overrides: Record<string, unknown> | ((cluster: Cluster) => Record<string, unknown>) = {},
): Promise<MiroirUnderTest> {
  const cluster = await startCluster({ nodes: 3, shards: 8, masterKey: MASTER_KEY, ...options });
  let proxy: RunningProxy;
  try {
    proxy = await createProxy(
      parseConfig({
        ...cluster.config,
        admin: { api_key: ADMIN_KEY },
        server: { host: "127.0.0.1", log_level: "silent" },
        task_registry: { poll_interval_ms: 20 },
        // Probes generous enough that a loaded machine never fails a live node, quick enough
        // that a killed node is reported within a few seconds.
        health: {
          interval_ms: 1000,
          timeout_ms: 900,
          unhealthy_threshold: 2,
          recovery_threshold: 1,
        },
        ...(typeof overrides === "function" ? overrides(cluster) : overrides),
      }),
    );
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const { url } = await proxy.listen(0);
  const call = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${url}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: {
        authorization: `Bearer ${MASTER_KEY}`,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  return {
    url,
    cluster,
    proxy,
    call,
    async waitTask(uid) {
      for (let attempt = 0; attempt < 500; attempt++) {
        const task = (await (await call(`/tasks/${uid}`)).json()) as Record<string, unknown>;
        if (["succeeded", "failed", "canceled"].includes(String(task.status))) return task;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`task ${uid} did not finish`);
    },
    async stop() {
      await proxy.close();
      await cluster.stop();
    },
  };
}
