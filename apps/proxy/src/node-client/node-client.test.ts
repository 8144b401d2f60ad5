import { startNode } from "@miroir/testkit";
import { describe, expect, it } from "vitest";
import { createNodeClient } from "./node-client.js";
import { NodeCallError } from "./node-response.js";

describe("the node client", () => {
  it("follows the fleet: a pool for a node that joins, none for one that leaves", async () => {
    const [first, second] = await Promise.all([startNode(), startNode()]);
    const client = createNodeClient({
      nodes: [{ id: "first", address: first.url, replica_group: 0 }],
      nodeMasterKey: null,
      connectionsPerNode: 2,
      keepAliveTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
    });
    try {
      const unknown = client.call("second", { method: "GET", path: "/health" });
      await expect(unknown).rejects.toBeInstanceOf(NodeCallError);
      await expect(unknown).rejects.toMatchObject({ nodeId: "second", reason: "unreachable" });

      client.follow([
        { id: "first", address: first.url },
        { id: "second", address: second.url },
      ]);
      expect(client.nodeIds).toEqual(["first", "second"]);
      expect((await client.call("second", { method: "GET", path: "/health" })).status).toBe(200);

      client.follow([{ id: "second", address: second.url }]);
      expect(client.nodeIds).toEqual(["second"]);
      await expect(client.call("first", { method: "GET", path: "/health" })).rejects.toMatchObject({
        reason: "unreachable",
      });
    } finally {
      await client.close();
      await Promise.all([first.stop(), second.stop()]);
    }
  });
});
