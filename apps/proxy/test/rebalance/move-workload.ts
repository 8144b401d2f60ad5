import { parseConfig } from "@miroir/config";
import { type Cluster, type ClusterNode, startCluster } from "@miroir/testkit";
import { createProxy, type RunningProxy } from "../../src/index.js";
import { guardedAdmin, withTestAdminKey } from "../test-config.js";

export const INDEX = "moves";
const IDS = 400;
// Emulated nodes share the test's busy event loop: slow probes must not pass for outages.
const HEALTH = { interval_ms: 500, timeout_ms: 450, unhealthy_threshold: 3, recovery_threshold: 1 };

/** A cluster of which only `configured` nodes are in Miroir's configuration; the rest wait to join. */
export interface MoveEnv {
  readonly cluster: Cluster;
  readonly proxy: RunningProxy;
  readonly url: string;
  /** The reference: one node fed every write Miroir acknowledged, in order. */
  readonly reference: ClusterNode;
  readonly spare: ClusterNode[];
  miroir(path: string, init?: RequestInit): Promise<Response>;
  node(node: ClusterNode, path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

/** What the workload and the checks need: Miroir, the nodes and the reference. */
export type MoveClient = Pick<MoveEnv, "cluster" | "reference" | "spare" | "miroir" | "node"> & {
  /** Miroir as it is now, kept for one write and its task (across a proxy rollout). */
  readonly pinned?: () => MoveEnv["miroir"];
};

export async function startMoveEnv(options: {
  configured: number;
  spare: number;
  rf?: number;
  groups?: number;
  shards?: number;
  config?: Record<string, unknown>;
}): Promise<MoveEnv> {
  const groups = options.groups ?? 1;
  const total = options.configured + options.spare + 1;
  const cluster = await startCluster({
    nodes: total,
    shards: options.shards ?? 16,
    rf: options.rf ?? 1,
    groups: 1,
  });
  const perGroup = options.configured / groups;
  const configuredNodes = cluster.nodes.slice(0, options.configured).map((node, at) => ({
    id: node.id,
    address: node.address,
    replica_group: Math.floor(at / perGroup),
  }));
  const proxy = await createProxy(
    parseConfig(
      guardedAdmin({
        ...cluster.config,
        nodes: configuredNodes,
        replica_groups: groups,
        server: { host: "127.0.0.1", log_level: "silent" },
        task_registry: { poll_interval_ms: 20 },
        health: HEALTH,
        // Slow enough that the load overlaps every phase of the move.
        rebalancer: {
          cleanup_grace_ms: 300,
          lease_ms: 1_000,
          max_docs_per_sec: 300,
          page_size: 20,
        },
        ...options.config,
      }),
    ),
  );
  const { url } = await proxy.listen(0);
  return {
    cluster,
    proxy,
    url,
    reference: cluster.nodes[total - 1] as ClusterNode,
    spare: cluster.nodes.slice(options.configured, options.configured + options.spare),
    ...clusterCalls(cluster, () => url),
    async stop() {
      await proxy.close();
      await cluster.stop();
    },
  };
}

/**
 * Calls to Miroir at the address `url()` answers now (admin routes with the test admin key)
 * and straight to a node of `cluster` with the nodes' master key.
 */
export function clusterCalls(
  cluster: Cluster,
  url: () => string,
): Pick<MoveClient, "miroir" | "node"> {
  const nodeKey = String(cluster.config.node_master_key);
  return {
    miroir: (path, init = {}) => fetch(`${url()}${path}`, withTestAdminKey(path, init)),
    node: (node, path, init = {}) =>
      fetch(`${node.address}${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${nodeKey}`,
          "content-type": "application/json",
          ...(init.headers ?? {}),
        },
      }),
  };
}

export function json(body: unknown, method = "POST"): RequestInit {
  return { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/**
 * Polls a task until it finishes, for at most `timeoutMs`; answers its final status, or
 * `unfinished` — what a client's own wait sees when a node holding one of the write's node
 * tasks was SIGKILLed before processing it (the task stays processing until that node
 * comes back, which in these tests it may never do).
 */
async function waitFor(
  call: () => Promise<Response>,
  timeoutMs = 20_000,
): Promise<"succeeded" | "failed" | "canceled" | "unfinished"> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Miroir may be restarting: a refused connection is asked again.
    const answer = await call().catch(() => null);
    const task =
      answer?.status === 200
        ? ((await answer.json()) as { status: "succeeded" | "failed" | "canceled" | string })
        : null;
    if (task?.status === "succeeded" || task?.status === "failed" || task?.status === "canceled") {
      return task.status;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return "unfinished";
}

/** Waits for a set-up task, which must succeed. */
async function succeeded(call: () => Promise<Response>, taskUid: number): Promise<void> {
  const status = await waitFor(call, 60_000);
  if (status !== "succeeded") throw new Error(`set-up task ${taskUid} ended ${status}`);
}

function over(until: number | (() => boolean)): boolean {
  return typeof until === "number" ? Date.now() >= until : until();
}

type Doc = { id: number; text: string; tag: string };

/**
 * A client writing batches (adds, updates, deletes) through Miroir, each waited for, and
 * feeding every acknowledged batch to the reference node; and a client searching, which
 * checks every answer against the writes acknowledged before the search began.
 */
export class MoveWorkload {
  /** What Miroir acknowledged, by id: the document, or null once deleted. */
  private readonly acknowledged = new Map<number, Doc | null>();
  /** Ids written by a batch not yet acknowledged (either state may show). */
  private readonly inFlight = new Map<number, number>();
  /**
   * Ids whose last write was refused: it may still have reached some replica (a write
   * without quorum is not undone), so any of their states may show until a later write.
   */
  private readonly uncertain = new Set<number>();
  readonly problems: string[] = [];
  /** Ids whose state is not decided by acknowledged writes alone (see `uncertain`). */
  get undecided(): ReadonlySet<number> {
    return this.uncertain;
  }
  searches = 0;
  writes = 0;
  refused = 0;
  private seed = 7;
  private seq = 0;

  constructor(private readonly env: MoveClient) {}

  private random(): number {
    this.seed = (this.seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  async setUp(documents = 200): Promise<void> {
    const created = await this.env.miroir("/indexes", json({ uid: INDEX, primaryKey: "id" }));
    const { taskUid } = (await created.json()) as { taskUid: number };
    await succeeded(() => this.env.miroir(`/tasks/${taskUid}`), taskUid);
    const ref = await this.env.node(
      this.env.reference,
      "/indexes",
      json({ uid: INDEX, primaryKey: "id" }),
    );
    const refTask = ((await ref.json()) as { taskUid: number }).taskUid;
    await succeeded(() => this.env.node(this.env.reference, `/tasks/${refTask}`), refTask);
    const settings = json({ filterableAttributes: ["tag"] }, "PATCH");
    const patched = await this.env.miroir(`/indexes/${INDEX}/settings`, settings);
    const patchTask = ((await patched.json()) as { taskUid: number }).taskUid;
    await succeeded(() => this.env.miroir(`/tasks/${patchTask}`), patchTask);
    const refPatched = await this.env.node(
      this.env.reference,
      `/indexes/${INDEX}/settings`,
      settings,
    );
    const refPatch = ((await refPatched.json()) as { taskUid: number }).taskUid;
    await succeeded(() => this.env.node(this.env.reference, `/tasks/${refPatch}`), refPatch);
    for (let start = 0; start < documents; start += 100) {
      const batch = Array.from({ length: Math.min(100, documents - start) }, (_, i) =>
        this.doc(start + i),
      );
      await this.send("upsert", batch);
    }
  }

  private doc(id: number): Doc {
    this.seq += 1;
    return { id, text: `doc ${id} version ${this.seq}`, tag: id % 2 === 0 ? "even" : "odd" };
  }

  /** Writes batches until `until` (a time, or a test that answers true when it is time). */
  async writeUntil(until: number | (() => boolean)): Promise<void> {
    while (!over(until)) {
      const ids = new Set(Array.from({ length: 5 }, () => Math.floor(this.random() * IDS)));
      if (this.random() < 0.25)
        await this.send(
          "delete",
          [...ids].map((id) => ({ id }) as Doc),
        );
      else
        await this.send(
          "upsert",
          [...ids].map((id) => this.doc(id)),
        );
    }
  }

  private async send(kind: "upsert" | "delete", docs: Doc[]): Promise<void> {
    const path =
      kind === "upsert"
        ? `/indexes/${INDEX}/documents`
        : `/indexes/${INDEX}/documents/delete-batch`;
    const body = kind === "upsert" ? docs : docs.map((doc) => doc.id);
    for (const doc of docs) this.inFlight.set(doc.id, (this.inFlight.get(doc.id) ?? 0) + 1);
    const miroir = this.env.pinned?.() ?? this.env.miroir;
    try {
      const answer = await miroir(path, json(body)).catch(() => null);
      if (answer?.status !== 202) {
        this.refused += 1;
        for (const doc of docs) this.uncertain.add(doc.id);
        return;
      }
      const { taskUid } = (await answer.json()) as { taskUid: number };
      // A task left unfinished counts as refused: the client never saw it succeed.
      const status = await waitFor(() => miroir(`/tasks/${taskUid}`));
      if (status !== "succeeded") {
        this.refused += 1;
        for (const doc of docs) this.uncertain.add(doc.id);
        return;
      }
      for (const doc of docs) {
        this.acknowledged.set(doc.id, kind === "upsert" ? doc : null);
        this.uncertain.delete(doc.id);
      }
      this.writes += 1;
      const ref = await this.env.node(this.env.reference, path, json(body));
      const refTask = ((await ref.json()) as { taskUid: number }).taskUid;
      await succeeded(() => this.env.node(this.env.reference, `/tasks/${refTask}`), refTask);
    } finally {
      for (const doc of docs) {
        const left = (this.inFlight.get(doc.id) ?? 1) - 1;
        if (left === 0) this.inFlight.delete(doc.id);
        else this.inFlight.set(doc.id, left);
      }
    }
  }

  /** Searches (all documents, and one filter) until `until`, checking each answer. */
  async searchUntil(until: number | (() => boolean)): Promise<void> {
    while (!over(until)) {
      const tag = this.random() < 0.5 ? "even" : "odd";
      const filtered = this.random() < 0.5;
      const before = new Map(this.acknowledged);
      const pending = new Set([...this.inFlight.keys(), ...this.uncertain]);
      const answer = await this.env
        .miroir(
          `/indexes/${INDEX}/search`,
          json({ q: "", limit: 1000, ...(filtered ? { filter: `tag = ${tag}` } : {}) }),
        )
        .catch(() => null);
      if (answer === null) continue;
      this.searches += 1;
      if (answer.status !== 200 || answer.headers.get("x-miroir-degraded") !== null) {
        this.problems.push(
          `search answered ${answer.status} ${answer.headers.get("x-miroir-degraded")}`,
        );
        continue;
      }
      const { hits } = (await answer.json()) as { hits: Doc[] };
      const seen = new Set<number>();
      for (const hit of hits) {
        if (seen.has(hit.id)) this.problems.push(`document ${hit.id} returned twice`);
        seen.add(hit.id);
      }
      for (const [id, doc] of before) {
        if (doc === null || pending.has(id) || this.inFlight.has(id) || this.uncertain.has(id)) {
          continue;
        }
        if (filtered && doc.tag !== tag) continue;
        if (!seen.has(id)) this.problems.push(`document ${id} missing from a search`);
      }
      for (const id of seen) {
        const settledId = !pending.has(id) && !this.inFlight.has(id) && !this.uncertain.has(id);
        if (before.get(id) === null && settledId) {
          this.problems.push(`deleted document ${id} returned by a search`);
        }
      }
    }
  }

  /** Every document Miroir holds equals the reference node's, and the model's. */
  async finalProblems(): Promise<string[]> {
    const problems: string[] = [];
    const read = async (fetcher: (path: string, init: RequestInit) => Promise<Response>) => {
      const answer = await fetcher(
        `/indexes/${INDEX}/documents/fetch`,
        json({ limit: 10_000, fields: ["id", "text", "tag"] }),
      );
      const { results } = (await answer.json()) as { results: Doc[] };
      return new Map(results.map((doc) => [doc.id, JSON.stringify(doc)]));
    };
    const through = await read((path, init) => this.env.miroir(path, init));
    const reference = await read((path, init) => this.env.node(this.env.reference, path, init));
    for (const [id, doc] of reference) {
      if (this.uncertain.has(id)) continue;
      if (through.get(id) !== doc)
        problems.push(`document ${id}: miroir ${through.get(id)}, reference ${doc}`);
    }
    for (const id of through.keys()) {
      if (!reference.has(id) && !this.uncertain.has(id))
        problems.push(`document ${id} is in miroir, not in the reference`);
    }
    for (const [id, doc] of this.acknowledged) {
      const expected =
        doc === null ? undefined : JSON.stringify({ id: doc.id, text: doc.text, tag: doc.tag });
      if (reference.get(id) !== expected)
        problems.push(`reference document ${id} differs from the model`);
    }
    return problems;
  }
}

export interface StatusAnswer {
  status: string;
  pendingMoves: unknown[];
  migration: {
    phase: string;
    shardsDone: number;
    shardsTotal: number;
    documentsCopied: number;
    error: string | null;
    moves: {
      shard: number;
      group: number;
      source: string | null;
      gains: string[];
      losses: string[];
      copied: number;
      total: number;
      phase: string;
    }[];
  } | null;
}

/**
 * Runs the workload while `change` happens, until the fleet is settled again (plus a
 * little load against the new placement); answers the last rebalance status.
 */
export async function underLoad(
  env: MoveClient,
  workload: MoveWorkload,
  change: () => Promise<void>,
  timeoutMs = 90_000,
): Promise<StatusAnswer> {
  let settled = false;
  const load = Promise.all([
    workload.writeUntil(() => settled),
    workload.searchUntil(() => settled),
  ]);
  try {
    await change();
    return await waitForIdle(env, timeoutMs);
  } finally {
    await new Promise((resolve) => setTimeout(resolve, 500));
    settled = true;
    await load;
  }
}

/** Polls the rebalance status until idle with the last migration finished (bounded). */
export async function waitForIdle(env: MoveClient, timeoutMs = 60_000): Promise<StatusAnswer> {
  const deadline = Date.now() + timeoutMs;
  let last: StatusAnswer | undefined;
  while (Date.now() < deadline) {
    const answer = await env.miroir("/_miroir/rebalance/status").catch(() => null);
    if (answer?.status === 200) {
      last = (await answer.json()) as StatusAnswer;
      if (last.status === "idle" && last.pendingMoves.length === 0) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the rebalance did not finish: ${JSON.stringify(last)}`);
}

/**
 * Every node holds exactly the documents of the shards it serves (per `/_miroir/shards`):
 * the moved shards arrived whole and left their old owners, and nothing else moved.
 */
export async function placementProblems(
  env: MoveClient,
  shards: number,
  skip: readonly string[] = [],
  undecided: ReadonlySet<number> = new Set(),
): Promise<string[]> {
  const { shardOf } = await import("@miroir/router");
  const answer = (await (await env.miroir("/_miroir/shards")).json()) as {
    shards: { shard: number; groups: { nodes: string[] }[] }[];
  };
  const served = new Map<string, Set<number>>();
  for (const row of answer.shards) {
    for (const group of row.groups) {
      for (const nodeId of group.nodes) {
        const set = served.get(nodeId) ?? new Set<number>();
        set.add(row.shard);
        served.set(nodeId, set);
      }
    }
  }
  const topology = (await (await env.miroir("/_miroir/topology")).json()) as {
    nodes: { id: string; state: string }[];
  };
  // A removed node left the fleet with whatever it held; its volume goes with it.
  const left = new Set(topology.nodes.filter((n) => n.state === "removed").map((n) => n.id));
  const problems: string[] = [];
  const reference = await env.node(
    env.reference,
    `/indexes/${INDEX}/documents/fetch`,
    json({ limit: 10_000, fields: ["id"] }),
  );
  const all = ((await reference.json()) as { results: { id: number }[] }).results.map((d) => d.id);
  for (const node of env.cluster.nodes) {
    if (node === env.reference || skip.includes(node.id) || left.has(node.id)) continue;
    if (!topology.nodes.some((n) => n.id === node.id)) continue;
    const mine = served.get(node.id) ?? new Set<number>();
    const answer = await env.node(
      node,
      `/indexes/${INDEX}/documents/fetch`,
      json({ limit: 10_000, fields: ["id"] }),
    );
    const held =
      answer.status === 200
        ? ((await answer.json()) as { results: { id: number }[] }).results.map((d) => d.id)
        : [];
    const heldSet = new Set(held);
    for (const id of held) {
      if (undecided.has(id)) continue;
      if (!mine.has(shardOf(String(id), shards)))
        problems.push(`${node.id} holds ${id} of a shard it does not serve`);
    }
    for (const id of all) {
      if (undecided.has(id)) continue;
      if (mine.has(shardOf(String(id), shards)) && !heldSet.has(id))
        problems.push(`${node.id} lacks ${id}`);
    }
  }
  return problems;
}
