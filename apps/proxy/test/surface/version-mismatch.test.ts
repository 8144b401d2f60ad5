import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../../src/index.js";
import { TEST_ADMIN_KEY, testConfig } from "../test-config.js";

/** A stand-in node that answers only `/version` and `/health`. */
async function versionNode(pkgVersion: string): Promise<{ server: Server; address: string }> {
  const server = createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(
      JSON.stringify(
        request.url === "/version"
          ? { commitSha: `sha-${pkgVersion}`, commitDate: "2026-07-01T00:00:00Z", pkgVersion }
          : { status: "available" },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, address: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("nodes running different Meilisearch versions", () => {
  let proxy: RunningProxy;
  const servers: Server[] = [];
  beforeAll(async () => {
    const nodes = await Promise.all(["1.50.0", "1.49.2", "1.50.1"].map(versionNode));
    servers.push(...nodes.map((node) => node.server));
    proxy = await createProxy(
      testConfig({
        nodes: nodes.map((node, i) => ({
          id: `node-${i}`,
          address: node.address,
          replica_group: 0,
        })),
      }),
    );
  });
  afterAll(async () => {
    await proxy?.close();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("answers GET /version with the lowest and names each node's version in a header", async () => {
    const answer = await proxy.app.request("/version");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      commitSha: "sha-1.49.2",
      commitDate: "2026-07-01T00:00:00Z",
      pkgVersion: "1.49.2",
    });
    expect(answer.headers.get("x-miroir-version-mismatch")).toBe(
      "node-0=1.50.0,node-1=1.49.2,node-2=1.50.1",
    );
  });

  it("warns about it in /_miroir/topology", async () => {
    const topology = (await (
      await proxy.app.request("/_miroir/topology", {
        headers: { "x-admin-key": TEST_ADMIN_KEY },
      })
    ).json()) as {
      warnings: string[];
    };
    expect(topology.warnings).toHaveLength(1);
    expect(topology.warnings[0]).toContain("node-1=1.49.2");
  });
});
