import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RequestTarget, requestJson } from "./http-request.js";

describe("one HTTP exchange with Miroir", () => {
  let server: Server;
  let baseUrl: string;
  const seen: { method?: string; url?: string; authorization?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        seen.push({
          method: request.method,
          url: request.url,
          authorization: request.headers.authorization,
          body,
        });
        if (request.url === "/hang") return; // never answers; the client's timeout ends it
        if (request.url === "/bad-gateway") {
          response.writeHead(502, { "content-type": "text/html" });
          response.end("<html>upstream down</html>\nmore");
          return;
        }
        if (request.url === "/not-json") {
          response.end("plain words");
          return;
        }
        if (request.url === "/empty") {
          response.writeHead(204).end();
          return;
        }
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ echoed: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const target = (overrides: Partial<RequestTarget> = {}): RequestTarget => ({
    baseUrl,
    key: { value: "secret", source: "environment" },
    keyName: "admin key",
    keyHint: "pass --admin-key",
    timeoutMs: 2_000,
    ...overrides,
  });

  it("sends the key as a bearer token and the body as JSON, and parses the answer", async () => {
    const answer = await requestJson(target(), "POST", "_miroir/nodes", { id: "n" });
    expect(answer).toEqual({ echoed: true });
    expect(seen.at(-1)).toEqual({
      method: "POST",
      url: "/_miroir/nodes",
      authorization: "Bearer secret",
      body: '{"id":"n"}',
    });
  });

  it("keeps a path prefix of the base URL (a proxy mounted under /search)", async () => {
    await requestJson(target({ baseUrl: `${baseUrl}/search` }), "GET", "tasks?limit=1");
    expect(seen.at(-1)?.url).toBe("/search/tasks?limit=1");
  });

  it("answers undefined for an empty success, and refuses a success that is not JSON", async () => {
    expect(await requestJson(target(), "DELETE", "empty")).toBeUndefined();
    await expect(requestJson(target(), "GET", "not-json")).rejects.toThrow(
      `Miroir at ${baseUrl} answered GET not-json with something that is not JSON.`,
    );
  });

  it("reports an error that is not Meilisearch's shape by its status and first line", async () => {
    await expect(requestJson(target(), "GET", "bad-gateway")).rejects.toMatchObject({
      message: "Miroir answered HTTP 502: <html>upstream down</html>",
      status: 502,
      exitCode: 1,
    });
  });

  it("gives up after the timeout with one line", async () => {
    await expect(requestJson(target({ timeoutMs: 100 }), "GET", "hang")).rejects.toThrow(
      `Miroir at ${baseUrl} did not answer within 0.1s.`,
    );
  });

  it("says when a host name does not resolve", async () => {
    const unknownHost = target({ baseUrl: "http://miroir.invalid:7700" });
    await expect(requestJson(unknownHost, "GET", "tasks")).rejects.toThrow(
      /^Cannot reach Miroir at http:\/\/miroir\.invalid:7700: the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)\. Check --url and that the proxy is running\.$/,
    );
  });
});
