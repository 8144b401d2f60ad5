import { parseConfig } from "@miroir/config";
import { isRealMode, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy } from "../../src/index.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const MASTER = "cluster-keys-master-key-0123456789";

interface KeyAnswer {
  uid: string;
  key: string;
  name: string | null;
  code?: string;
}

describe("keys through Miroir", () => {
  let miroir: ProxiedCluster;
  const asMaster = (init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { ...(init.headers ?? {}), authorization: `Bearer ${MASTER}` },
  });

  beforeAll(async () => {
    miroir = await startProxiedCluster({ nodes: 3 }, { master_key: MASTER });
  }, 30_000);
  afterAll(async () => {
    await miroir?.stop();
  });

  it("creates a key on every node with the same uid, so its value works on each node directly", async () => {
    const answer = await miroir.miroir(
      "/keys",
      asMaster(json({ name: "reader", actions: ["search"], indexes: ["*"], expiresAt: null })),
    );
    expect(answer.status).toBe(201);
    const created = (await answer.json()) as KeyAnswer;
    for (const node of miroir.cluster.nodes) {
      const direct = await fetch(`${node.address}/indexes`, {
        headers: { authorization: `Bearer ${created.key}` },
      });
      // The key may search but not list indexes: the node knows it and checks its actions.
      expect(direct.status, node.id).toBe(403);
      const own = (await (await miroir.node(node.id, `/keys/${created.uid}`)).json()) as KeyAnswer;
      expect(own.key, node.id).toBe(created.key);
    }
    const through = await miroir.miroir("/indexes", {
      headers: { authorization: `Bearer ${created.key}` },
    });
    expect(through.status).toBe(403);
  });

  it("lets a key created through Miroir act on Miroir and on every node", async () => {
    const created = (await (
      await miroir.miroir(
        "/keys",
        asMaster(json({ actions: ["indexes.get"], indexes: ["*"], expiresAt: null })),
      )
    ).json()) as KeyAnswer;
    const bearer = { headers: { authorization: `Bearer ${created.key}` } };
    expect((await miroir.miroir("/indexes", bearer)).status).toBe(200);
    for (const node of miroir.cluster.nodes) {
      expect((await fetch(`${node.address}/indexes`, bearer)).status, node.id).toBe(200);
    }
  });

  it("updates and deletes a key everywhere, by uid or by value", async () => {
    const created = (await (
      await miroir.miroir(
        "/keys",
        asMaster(json({ name: "before", actions: ["*"], indexes: ["*"], expiresAt: null })),
      )
    ).json()) as KeyAnswer;
    const patched = await miroir.miroir(
      `/keys/${created.key}`,
      asMaster(json({ name: "after" }, "PATCH")),
    );
    expect(patched.status).toBe(200);
    for (const node of miroir.cluster.nodes) {
      const own = (await (await miroir.node(node.id, `/keys/${created.uid}`)).json()) as KeyAnswer;
      expect(own.name, node.id).toBe("after");
    }
    const deleted = await miroir.miroir(`/keys/${created.uid}`, asMaster({ method: "DELETE" }));
    expect(deleted.status).toBe(204);
    for (const node of miroir.cluster.nodes) {
      expect((await miroir.node(node.id, `/keys/${created.uid}`)).status, node.id).toBe(404);
    }
    const stale = await miroir.miroir("/indexes", {
      headers: { authorization: `Bearer ${created.key}` },
    });
    expect(stale.status).toBe(403);
  });

  it("passes a node's refusal of a bad key through and creates nothing", async () => {
    const totals = async () =>
      Promise.all(
        miroir.cluster.nodes.map(
          async (node) =>
            ((await (await miroir.node(node.id, "/keys")).json()) as { total: number }).total,
        ),
      );
    const before = await totals();
    const answer = await miroir.miroir(
      "/keys",
      asMaster(json({ actions: ["fly"], indexes: ["*"], expiresAt: null })),
    );
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as KeyAnswer).code).toBe("invalid_api_key_actions");
    expect(await totals()).toEqual(before);
  });

  // Emulated only: a node answering a 500; its real twin is the test below it.
  it.skipIf(isRealMode())("creates a key nowhere when one node cannot take it", async () => {
    const down = miroir.cluster.nodes[2];
    if (down?.control === undefined) throw new Error("emulated nodes have a control");
    const uid = "0b6f2c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b";
    down.control.failNext("/keys", 500);
    const answer = await miroir.miroir(
      "/keys",
      asMaster(json({ uid, actions: ["search"], indexes: ["*"], expiresAt: null })),
    );
    expect(answer.status).toBe(500);
    for (const node of miroir.cluster.nodes) {
      expect((await miroir.node(node.id, `/keys/${uid}`)).status, node.id).toBe(404);
    }
  });

  it("creates a key on no other node when one node refuses it, and answers that node's error", async () => {
    // node-2 already holds a key with this uid (made there directly), so it refuses it.
    const uid = "5e0a3d7c-1b2f-4c6d-9e8f-7a6b5c4d3e2f";
    const body = { uid, actions: ["search"], indexes: ["*"], expiresAt: null };
    const own = await miroir.node("node-2", "/keys", json(body));
    expect(own.status).toBe(201);
    try {
      const answer = await miroir.miroir("/keys", asMaster(json(body)));
      expect(answer.status).toBe(409);
      expect(((await answer.json()) as KeyAnswer).code).toBe("api_key_already_exists");
      for (const nodeId of ["node-0", "node-1"]) {
        expect((await miroir.node(nodeId, `/keys/${uid}`)).status, nodeId).toBe(404);
      }
      expect((await miroir.node("node-2", `/keys/${uid}`)).status).toBe(200);
    } finally {
      await miroir.node("node-2", `/keys/${uid}`, { method: "DELETE" });
    }
  });
});

describe("keys without a master key", () => {
  let miroir: ProxiedCluster;
  beforeAll(async () => {
    miroir = await startProxiedCluster({ nodes: 1 });
  }, 30_000);
  afterAll(async () => {
    await miroir?.stop();
  });

  it("answers /keys with missing_master_key, as Meilisearch without a master key does", async () => {
    for (const [path, init] of [
      ["/keys", {}],
      ["/keys/anything", { method: "DELETE" }],
    ] as const) {
      const answer = await miroir.miroir(path, init);
      expect(answer.status).toBe(401);
      expect(((await answer.json()) as KeyAnswer).code).toBe("missing_master_key");
    }
    expect((await miroir.miroir("/indexes")).status).toBe(200);
  });
});

describe("keys made on one node before Miroir started", () => {
  it("are copied to every node under the same uid, so the reference node's keys work everywhere", async () => {
    const cluster = await startCluster({ nodes: 3 });
    const nodeKey = String(cluster.config.node_master_key);
    const [first, ...others] = cluster.nodes;
    const onFirst = (path: string, init: RequestInit = {}) =>
      fetch(`${first?.address}${path}`, {
        ...init,
        headers: { ...(init.headers ?? {}), authorization: `Bearer ${nodeKey}` },
      });
    const made = (await (
      await onFirst("/keys", json({ actions: ["indexes.get"], indexes: ["*"], expiresAt: null }))
    ).json()) as KeyAnswer;
    const { results } = (await (await onFirst("/keys")).json()) as { results: KeyAnswer[] };
    const defaultSearch = results.find((key) => key.name === "Default Search API Key");
    const proxy = await createProxy(
      parseConfig({ ...cluster.config, master_key: MASTER, server: { log_level: "silent" } }),
    );
    try {
      // Keys are copied one after the other, in no promised order: wait for both.
      for (const node of others) {
        for (let attempt = 0; ; attempt++) {
          const seen = await fetch(`${node.address}/indexes`, {
            headers: { authorization: `Bearer ${made.key}` },
          });
          const search = await fetch(`${node.address}/keys/${defaultSearch?.uid}`, {
            headers: { authorization: `Bearer ${nodeKey}` },
          });
          if (seen.status === 200 && search.status === 200) {
            expect(((await search.json()) as KeyAnswer).key, node.id).toBe(defaultSearch?.key);
            break;
          }
          if (attempt > 300) throw new Error(`${node.id} never got the keys`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    } finally {
      await proxy.close();
      await cluster.stop();
    }
  });
});
