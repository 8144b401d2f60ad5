import { type Cluster, startCluster } from "@miroir/testkit";

/** One Meilisearch node holding every document: the answer Miroir must give. */
export interface SingleNode {
  readonly url: string;
  /** The node's authorization header. */
  readonly headers: Record<string, string>;
  call(path: string, body?: unknown): Promise<Record<string, unknown>>;
  /** Creates `uid` with the documents and settings, and waits until they are indexed. */
  load(uid: string, documents: readonly unknown[], settings: unknown): Promise<void>;
  stop(): Promise<void>;
}

export async function startSingleNode(): Promise<SingleNode> {
  const cluster: Cluster = await startCluster({ nodes: 1 });
  const [node] = cluster.nodes;
  if (node === undefined) throw new Error("no node started");
  const authorization = `Bearer ${String(cluster.config.node_master_key)}`;
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${node.address}${path}`, {
      method,
      headers: { authorization, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const waitTask = async (uid: unknown) => {
    for (let attempt = 0; attempt < 3_000; attempt++) {
      const task = await send("GET", `/tasks/${uid}`);
      if (task.status === "succeeded") return;
      if (task.status === "failed") throw new Error(`task ${uid} failed: ${JSON.stringify(task)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`task ${uid} did not finish`);
  };
  return {
    url: node.address,
    headers: { authorization },
    call: (path, body) => send(body === undefined ? "GET" : "POST", path, body),
    async load(uid, documents, settings) {
      await waitTask((await send("POST", "/indexes", { uid, primaryKey: "id" })).taskUid);
      await waitTask((await send("PATCH", `/indexes/${uid}/settings`, settings)).taskUid);
      await waitTask((await send("POST", `/indexes/${uid}/documents`, documents)).taskUid);
    },
    stop: () => cluster.stop(),
  };
}
