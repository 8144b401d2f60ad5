import { describe, expect, it } from "vitest";
import { NodeCallError, type NodeClient } from "../node-client/index.js";
import { observedNodeClient, operationOf } from "./observed-node-client.js";
import { createProxyMetrics } from "./proxy-metrics.js";

describe("observed node calls", () => {
  it("names operations without index names or ids", () => {
    expect(operationOf("/indexes/movies/search")).toBe("search");
    expect(operationOf("/indexes/movies/documents/42")).toBe("documents");
    expect(operationOf("/indexes/movies")).toBe("indexes");
    expect(operationOf("/tasks/12?x=1")).toBe("tasks");
    expect(operationOf("/")).toBe("root");
  });

  it("times every call and counts failures by kind", async () => {
    const metrics = createProxyMetrics();
    const inner: NodeClient = {
      nodeIds: ["n"],
      follow: () => undefined,
      close: async () => undefined,
      async call(nodeId, request) {
        if (request.path === "/down") throw new NodeCallError(nodeId, "unreachable", undefined);
        return { nodeId, status: request.path === "/boom" ? 500 : 200, body: null as never };
      },
    };
    const client = observedNodeClient(inner, metrics, null);
    await client.call("n", { method: "GET", path: "/health" });
    await client.call("n", { method: "GET", path: "/boom" });
    await expect(client.call("n", { method: "GET", path: "/down" })).rejects.toThrow(NodeCallError);
    const text = await metrics.exposition();
    expect(text).toContain(
      'miroir_node_request_duration_seconds_count{node_id="n",operation="GET health"} 1',
    );
    expect(text).toContain('miroir_node_errors_total{node_id="n",error_type="server_error"} 1');
    expect(text).toContain('miroir_node_errors_total{node_id="n",error_type="unreachable"} 1');
  });
});
