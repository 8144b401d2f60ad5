import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startNode } from "@miroir/testkit";
import fc from "fast-check";
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

  it("sends a body given in pieces byte for byte: small ones with their length, large ones streamed", async () => {
    // Echoes how the body came (its declared length or chunked) and its bytes' digest.
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks);
        response.setHeader("content-type", "application/json");
        response.end(
          JSON.stringify({
            length: request.headers["content-length"] ?? null,
            chunked: request.headers["transfer-encoding"] === "chunked",
            bytes: body.length,
            sum: body.reduce((sum, byte, i) => (sum + byte * ((i % 251) + 1)) % 1_000_000_007, 0),
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const client = createNodeClient({
      nodes: [{ id: "echo", address: `http://127.0.0.1:${port}`, replica_group: 0 }],
      nodeMasterKey: null,
      connectionsPerNode: 1,
      keepAliveTimeoutMs: 1_000,
      requestTimeoutMs: 10_000,
    });
    const digest = (pieces: readonly Uint8Array[]) => {
      const body = Buffer.concat(pieces);
      return body.reduce((sum, byte, i) => (sum + byte * ((i % 251) + 1)) % 1_000_000_007, 0);
    };
    const send = async (pieces: readonly Uint8Array[]) => {
      const answer = await client.call<{
        length: string | null;
        chunked: boolean;
        bytes: number;
        sum: number;
      }>("echo", {
        method: "POST",
        path: "/",
        body: { [Symbol.iterator]: () => pieces[Symbol.iterator]() },
      });
      return answer.body;
    };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 40 }),
          async (pieces) => {
            const bytes = pieces.reduce((sum, piece) => sum + piece.length, 0);
            expect(await send(pieces)).toEqual({
              length: String(bytes),
              chunked: false,
              bytes,
              sum: digest(pieces),
            });
          },
        ),
        { numRuns: 40 },
      );
      // Past 8 MiB: streamed, small pieces joined; every byte arrives, in order.
      const large = Array.from({ length: 700 }, (_, i) => Buffer.alloc(13_000 + i, i % 256));
      const bytes = large.reduce((sum, piece) => sum + piece.length, 0);
      expect(bytes).toBeGreaterThan(8 * 1024 * 1024);
      expect(await send(large)).toEqual({ length: null, chunked: true, bytes, sum: digest(large) });
    } finally {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
