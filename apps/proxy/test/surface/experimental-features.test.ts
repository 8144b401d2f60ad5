import { isRealMode } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

describe("experimental features across the cluster", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, shards: 8, relay: true });
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function nodeFeatures(nodeId: string) {
    return (await (await env.node(nodeId, "/experimental-features")).json()) as Record<
      string,
      boolean
    >;
  }

  it("switches a feature on every node and answers with every feature", async () => {
    const answer = await env.miroir(
      "/experimental-features",
      json({ containsFilter: true }, "PATCH"),
    );
    expect(answer.status).toBe(200);
    const features = (await answer.json()) as Record<string, boolean>;
    expect(features).toMatchObject({ containsFilter: true, metrics: false });
    for (const node of env.cluster.nodes) {
      expect(await nodeFeatures(node.id)).toEqual(features);
    }
    const read = await env.miroir("/experimental-features");
    expect(await read.json()).toEqual(features);
    expect(read.headers.get("x-miroir-feature-disagreement")).toBeNull();
  });

  it("answers a feature on only some nodes as off and names it in a header", async () => {
    await env.node("node-2", "/experimental-features", json({ logsRoute: true }, "PATCH"));
    const read = await env.miroir("/experimental-features");
    expect(((await read.json()) as Record<string, boolean>).logsRoute).toBe(false);
    expect(read.headers.get("x-miroir-feature-disagreement")).toBe("logsRoute");
    await env.node("node-2", "/experimental-features", json({ logsRoute: false }, "PATCH"));
  });

  // Emulated only: a node answering an error; its real twin is the test below it.
  it.skipIf(isRealMode())(
    "switches nothing when one node refuses, and answers that node's error",
    async () => {
      env.cluster.nodes[1]?.control?.failNext("PATCH /experimental-features", 500);
      const answer = await env.miroir("/experimental-features", json({ metrics: true }, "PATCH"));
      expect(answer.status).toBe(500);
      expect(((await answer.json()) as { code: string }).code).toBe("internal");
      for (const node of env.cluster.nodes) {
        expect((await nodeFeatures(node.id)).metrics).toBe(false);
      }
    },
  );

  it("switches nothing when one node cannot be reached, and says which", async () => {
    const relay = env.cluster.nodes[1]?.relay;
    if (relay === undefined) throw new Error("node-1 has no relay");
    await relay.refuse();
    let answer: Response;
    try {
      answer = await env.miroir("/experimental-features", json({ metrics: true }, "PATCH"));
    } finally {
      await relay.heal();
    }
    expect(answer.status).toBe(502);
    const body = (await answer.json()) as { code: string; message: string };
    expect(body.code).toBe("miroir_node_unreachable");
    expect(body.message).toContain("node-1");
    for (const node of env.cluster.nodes) {
      expect((await nodeFeatures(node.id)).metrics).toBe(false);
    }
  });

  it("refuses an unknown feature with the node's bad_request and changes nothing", async () => {
    const answer = await env.miroir("/experimental-features", json({ warpDrive: true }, "PATCH"));
    expect(answer.status).toBe(400);
    expect(((await answer.json()) as { code: string }).code).toBe("bad_request");
  });
});
