import { parseConfig } from "@miroir/config";
import { type Cluster, type ClusterNode, type ClusterOptions, startCluster } from "@miroir/testkit";
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
  /** Expects a `202` answer and waits for the task it enqueued. */
  accepted(answer: Response): Promise<Record<string, unknown>>;
  /** A node's process control (kill, restart, pause, …). */
  control(nodeId: string): ClusterNode["control"];
  /**
   * Closes the proxy, runs `meanwhile` (e.g. restart a node while no proxy runs), and starts
   * a new proxy on the same config, at a new `url`: what survives is what its task store
   * keeps, so give the cluster a durable one to test that.
   */
  restartProxy(meanwhile?: () => Promise<void>): Promise<void>;
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
  let proxy = await createProxy(parseConfig(input), proxyOptions);
  let { url } = await proxy.listen(0);
  const nodeKey = String(cluster.config.node_master_key);
  const addressOf = new Map(cluster.nodes.map((node) => [node.id, node.address]));
  // A cluster whose test chose no keys: its admin key goes along to /_miroir/*.
  const testKey = proxy.context.config.admin.api_key === TEST_ADMIN_KEY;
  const miroir = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, testKey ? withTestAdminKey(path, init) : init);
  async function waitTask(taskUid: number): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const task = (await (await miroir(`/tasks/${taskUid}`)).json()) as Record<string, unknown>;
      if (["succeeded", "failed", "canceled"].includes(String(task.status))) return task;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`task ${taskUid} did not finish`);
  }
  return {
    cluster,
    get proxy() {
      return proxy;
    },
    get url() {
      return url;
    },
    miroir,
    node(nodeId, path, init = {}) {
      return fetch(`${addressOf.get(nodeId)}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${nodeKey}`, ...(init.headers ?? {}) },
      });
    },
    waitTask,
    async accepted(answer) {
      if (answer.status !== 202) {
        throw new Error(`expected 202, got ${answer.status}: ${await answer.text()}`);
      }
      return waitTask(((await answer.json()) as { taskUid: number }).taskUid);
    },
    control(nodeId) {
      const found = cluster.nodes.find((node) => node.id === nodeId);
      if (found === undefined) throw new Error(`no node ${nodeId}`);
      return found.control;
    },
    async restartProxy(meanwhile) {
      await proxy.close();
      await meanwhile?.();
      proxy = await createProxy(parseConfig(input), proxyOptions);
      ({ url } = await proxy.listen(0));
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
