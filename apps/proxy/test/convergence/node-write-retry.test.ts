import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../cluster-ops/eventually.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const HEALTH = { interval_ms: 300, timeout_ms: 250, unhealthy_threshold: 2, recovery_threshold: 1 };

interface NodeTask {
  readonly uid: number;
  readonly status: string;
  readonly customMetadata?: string | null;
}

describe("a node write whose connection is cut after the node received it", () => {
  let proxied: ProxiedCluster;

  beforeAll(async () => {
    proxied = await startProxiedCluster(
      { nodes: 3, rf: 3, shards: 2, relay: true },
      { health: HEALTH, anti_entropy: { schedule: "every 1h" } },
    );
  }, 60_000);
  afterAll(async () => {
    await proxied?.stop();
  });

  /** The node's document-write tasks of `notes`, oldest first, read around any relay. */
  const nodeTasks = async (index: number): Promise<NodeTask[]> => {
    const node = proxied.cluster.nodes[index];
    const answer = await fetch(
      `${node?.directAddress}/tasks?indexUids=notes&types=documentAdditionOrUpdate&limit=1000`,
      { headers: { authorization: `Bearer ${String(proxied.cluster.config.node_master_key)}` } },
    );
    const { results } = (await answer.json()) as { results: NodeTask[] };
    return [...results].sort((a, b) => a.uid - b.uid);
  };
  const nodeDocument = async (index: number, id: number) => {
    const node = proxied.cluster.nodes[index];
    const answer = await fetch(`${node?.directAddress}/indexes/notes/documents/${id}`, {
      headers: { authorization: `Bearer ${String(proxied.cluster.config.node_master_key)}` },
    });
    return answer.ok ? ((await answer.json()) as { text: string }) : null;
  };

  it("is retried from its hint, applied once and in its place", async () => {
    const created = await proxied.miroir("/indexes", json({ uid: "notes", primaryKey: "id" }));
    await proxied.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    const cutNode = proxied.cluster.nodes[2];
    const relay = cutNode?.relay;
    if (relay === undefined) throw new Error("the cluster has no relay");

    // The node receives and enqueues the write; its answer is held, then the link is reset.
    relay.delay(5_000);
    const first = proxied.miroir("/indexes/notes/documents", json([{ id: 1, text: "first" }]));
    await eventually(
      async () => (await nodeTasks(2)).length,
      (count) => count === 1,
      20_000,
    );
    relay.cut();
    await relay.heal();
    const firstAnswer = await first;
    expect(firstAnswer.status).toBe(202);
    await proxied.waitTask(((await firstAnswer.json()) as { taskUid: number }).taskUid);

    // A newer write of the same document: on the cut node's lane it waits behind the hint.
    const second = await proxied.miroir(
      "/indexes/notes/documents",
      json([{ id: 1, text: "second" }]),
    );
    await proxied.waitTask(((await second.json()) as { taskUid: number }).taskUid);

    // The hint is replayed once the node answers again; the node already had the write.
    await eventually(
      async () => (await nodeDocument(2, 1))?.text,
      (text) => text === "second",
      30_000,
    );
    await eventually(
      async () => (await nodeTasks(2)).filter((task) => task.status !== "succeeded").length,
      (unfinished) => unfinished === 0,
      20_000,
    );
    const reference = (await nodeTasks(0)).map((task) => task.customMetadata);
    const cut = (await nodeTasks(2)).map((task) => task.customMetadata);
    // Every write once, in the order the other replicas applied them.
    expect(reference).toHaveLength(2);
    expect(
      reference.every((tag) => typeof tag === "string" && tag.startsWith("miroir-write:")),
    ).toBe(true);
    expect(cut).toEqual(reference);
    expect(await nodeDocument(2, 1)).toEqual(await nodeDocument(0, 1));
  }, 90_000);
});
