import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type ClusterNode, isRealMode, startCluster, startMeiliProcess } from "../../src/index.js";
import { FAKE_BIN, probe } from "./process-binary.js";

describe("startCluster", () => {
  it("starts nodes named node-0… in replica groups, in order, with a Miroir config for them", async () => {
    const cluster = await startCluster({
      nodes: 4,
      groups: 2,
      rf: 2,
      shards: 8,
      masterKey: "client-key",
      nodeMasterKey: "shared-node-master-key",
    });
    try {
      expect(cluster.nodes.map(({ id, replica_group }) => [id, replica_group])).toEqual([
        ["node-0", 0],
        ["node-1", 0],
        ["node-2", 1],
        ["node-3", 1],
      ]);
      expect(cluster.config).toEqual({
        shards: 8,
        replication_factor: 2,
        replica_groups: 2,
        nodes: cluster.nodes.map(({ id, address, replica_group }) => ({
          id,
          address,
          replica_group,
        })),
        node_master_key: "shared-node-master-key",
        master_key: "client-key",
        task_store: { backend: "sqlite", path: ":memory:" },
      });
      for (const node of cluster.nodes) {
        expect(node.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect((await fetch(`${node.address}/health`)).status).toBe(200);
      }
    } finally {
      await cluster.stop();
    }
    await expect(fetch(`${cluster.nodes[0]?.address}/health`)).rejects.toThrow();
  });

  it("derives the same API key on every node, since they share the node master key", async () => {
    const cluster = await startCluster({ nodes: 2 });
    try {
      const uid = "8dcbe1bd-3b8b-4b82-a5b8-3e6c1a4a3f51";
      const keys = await Promise.all(
        cluster.nodes.map(async (node) => {
          const answer = await fetch(`${node.address}/keys`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${cluster.config.node_master_key}`,
              "content-type": "application/json",
            },
            body: JSON.stringify({ uid, actions: ["search"], indexes: ["*"], expiresAt: null }),
          });
          return ((await answer.json()) as { key: string }).key;
        }),
      );
      expect(new Set(keys).size).toBe(1);
    } finally {
      await cluster.stop();
    }
  });

  it("defaults to three emulated nodes in one group", async () => {
    const cluster = await startCluster({ real: false });
    try {
      expect(cluster.mode).toBe("emulated");
      expect(cluster.nodes).toHaveLength(3);
      expect(
        cluster.nodes.every((node) => node.control.kind === "emulated" && node.replica_group === 0),
      ).toBe(true);
      expect(cluster.nodes.every((node) => node.directAddress === node.address)).toBe(true);
      expect(cluster.config).toMatchObject({
        shards: 64,
        replication_factor: 1,
        replica_groups: 1,
        master_key: null,
      });
    } finally {
      await cluster.stop();
    }
  });

  it("refuses node counts that do not split evenly into groups", async () => {
    await expect(startCluster({ nodes: 3, groups: 2 })).rejects.toThrow(/evenly/);
    await expect(startCluster({ nodes: 0 })).rejects.toThrow(/at least one/);
  });
});

describe("startMeiliProcess (against a stand-in binary)", () => {
  const saved = process.env.MEILI_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.MEILI_BIN;
    else process.env.MEILI_BIN = saved;
    delete process.env.FAKE_MEILI_EXIT;
    delete process.env.FAKE_MEILI_ARGS;
  });

  it("passes Meilisearch's flags, waits for /health, and removes its files on stop", async () => {
    const argsFile = join(await mkdtemp(join(tmpdir(), "fake-meili-args-")), "args.json");
    process.env.FAKE_MEILI_ARGS = argsFile;
    const meili = await startMeiliProcess({ bin: FAKE_BIN, masterKey: "a-master-key-of-16+" });
    const health = await fetch(`${meili.url}/health`);
    expect(await health.json()).toEqual({ status: "available" });
    const args: string[] = JSON.parse(await readFile(argsFile, "utf8"));
    const port = new URL(meili.url).port;
    expect(args).toEqual(
      expect.arrayContaining([
        "--http-addr",
        `127.0.0.1:${port}`,
        "--no-analytics",
        "--master-key",
        "a-master-key-of-16+",
      ]),
    );
    const dbPath = args[args.indexOf("--db-path") + 1] as string;
    expect(existsSync(dirname(dbPath))).toBe(true);
    await meili.stop();
    await expect(fetch(`${meili.url}/health`)).rejects.toThrow();
    expect(existsSync(dirname(dbPath))).toBe(false);
    await rm(dirname(argsFile), { recursive: true, force: true });
  });

  it("reports a binary that exits before answering", async () => {
    process.env.FAKE_MEILI_EXIT = "1";
    await expect(startMeiliProcess({ bin: FAKE_BIN, masterKey: null })).rejects.toThrow(
      /exited with code 3/,
    );
  });

  it("needs MEILI_BIN or a bin option, and starts real clusters from MEILI_BIN", async () => {
    delete process.env.MEILI_BIN;
    expect(isRealMode()).toBe(false);
    await expect(startMeiliProcess()).rejects.toThrow(/MEILI_BIN/);
    process.env.MEILI_BIN = FAKE_BIN;
    expect(isRealMode()).toBe(true);
    const cluster = await startCluster({ nodes: 2 });
    try {
      expect(cluster.mode).toBe("real");
      expect(cluster.nodes.every((node) => node.control.kind === "real")).toBe(true);
      expect(cluster.nodes.every((node) => typeof node.meili?.pid === "number")).toBe(true);
    } finally {
      await cluster.stop();
    }
  });

  it("gives real nodes the emulator-only controls as errors naming their real twin", async () => {
    process.env.MEILI_BIN = FAKE_BIN;
    const cluster = await startCluster({ nodes: 1, real: true, relay: false });
    const control = (cluster.nodes[0] as ClusterNode).control;
    try {
      expect(() => control.failNext("/health")).toThrow(/relay\.refuse\(\)/);
      expect(() => control.failTasks(() => true)).toThrow(/for real/);
      expect(() => control.holdTasks(() => true)).toThrow(/holdQueue/);
      expect(() => control.delay(10)).toThrow(/relay: true/);
      control.failTasks(undefined);
      control.releaseTasks();
    } finally {
      await cluster.stop();
    }
  });
});

describe("startCluster({ relay: true })", () => {
  it("puts a relay in front of every node; a killed node refuses at the relay, and comes back", async () => {
    const cluster = await startCluster({ nodes: 2, relay: true });
    try {
      for (const node of cluster.nodes) {
        expect(node.relay?.url).toBe(node.address);
        expect(node.directAddress).not.toBe(node.address);
        expect((await fetch(`${node.address}/health`)).status).toBe(200);
      }
      const [first, second] = cluster.nodes as [ClusterNode, ClusterNode];
      expect(cluster.config.nodes).toEqual(
        cluster.nodes.map(({ id, address, replica_group }) => ({ id, address, replica_group })),
      );
      await first.relay?.refuse();
      expect(await probe(`${first.address}/health`)).toBe("ECONNREFUSED");
      expect((await fetch(`${first.directAddress}/health`)).status).toBe(200);
      await first.relay?.heal();

      second.control.delay(0);
      await second.control.kill();
      expect(await probe(`${second.address}/health`)).toBe("ECONNREFUSED");
      await second.control.restart();
      expect((await fetch(`${second.address}/health`)).status).toBe(200);
    } finally {
      await cluster.stop();
    }
    await expect(fetch(`${cluster.nodes[0]?.address}/health`)).rejects.toThrow();
  });
});
