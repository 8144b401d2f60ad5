import { parseConfig } from "@miroir/config";
import { type Cluster, type ClusterOptions, startCluster } from "@miroir/testkit";
import { createProxy, type ProxyOptions, type RunningProxy } from "../src/index.js";
import { guardedAdmin, TEST_ADMIN_KEY, withTestAdminKey } from "./test-config.js";

/** A testkit cluster with a Miroir proxy in front of it, listening on a free port. */
export interface ProxiedCluster {
  readonly cluster: Cluster;
  readonly proxy: RunningProxy;
  readonly url: string;
  /** Calls one node directly, with the node master key. */
  node(nodeId: string, path: string, init?: RequestInit): Promise<Response>;
  /** Calls Miroir; `/_miroir/*` with `TEST_ADMIN_KEY` when the test set no key itself. */
  miroir(path: string, init?: RequestInit): Promise<Response>;
  /** Waits until a Miroir task is finished and returns it. */
  waitTask(taskUid: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startProxiedCluster(
  options: ClusterOptions,
  config: Record<string, unknown> = {},
  proxyOptions: ProxyOptions = {},
): Promise<ProxiedCluster> {
  const cluster = await startCluster(options);
  const input = guardedAdmin({
    ...cluster.config,
    server: { host: "127.0.0.1", log_level: "silent" },
    task_registry: { poll_interval_ms: 20 },
    ...config,
  });
  const proxy = await createProxy(parseConfig(input), proxyOptions);
  const { url } = await proxy.listen(0);
  const nodeKey = String(cluster.config.node_master_key);
  const addressOf = new Map(cluster.nodes.map((node) => [node.id, node.address]));
  // A cluster whose test chose no keys: its admin key goes along to /_miroir/*.
  const testKey = proxy.context.config.admin.api_key === TEST_ADMIN_KEY;
  const miroir = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, testKey ? withTestAdminKey(path, init) : init);
  return {
    cluster,
    proxy,
    url,
    miroir,
    node(nodeId, path, init = {}) {
      return fetch(`${addressOf.get(nodeId)}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${nodeKey}`, ...(init.headers ?? {}) },
      });
    },
    async waitTask(taskUid) {
      for (let attempt = 0; attempt < 500; attempt++) {
        const task = (await (await miroir(`/tasks/${taskUid}`)).json()) as Record<string, unknown>;
        if (["succeeded", "failed", "canceled"].includes(String(task.status))) return task;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`task ${taskUid} did not finish`);
    },
    async stop() {
      await proxy.close();
      await cluster.stop();
    },
  };
}

export function json(body: unknown, method = "POST"): RequestInit {
  return { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
