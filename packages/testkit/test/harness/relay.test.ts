import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Relay, startRelay } from "../../src/index.js";
import { eventually, probe } from "./process-binary.js";

/** An upstream that answers `/ok` at once and keeps `/slow` open until told. */
let upstream: Server;
const slow: ServerResponse[] = [];
let relay: Relay;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    if (request.url === "/slow") slow.push(response);
    else response.end(`answer to ${request.method} ${request.url}`);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  relay = await startRelay({
    target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
  });
});
afterEach(async () => {
  await relay.heal();
  for (const response of slow.splice(0)) response.end();
});
afterAll(async () => {
  await relay?.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

const get = (path: string) => fetch(`${relay.url}${path}`).then((answer) => answer.text());

describe("the loopback relay", () => {
  it("passes requests and answers through unchanged", async () => {
    expect(relay.url).toBe(`http://127.0.0.1:${relay.port}`);
    expect(await get("/ok")).toBe("answer to GET /ok");
    const posted = await fetch(`${relay.url}/echo`, { method: "POST", body: "x".repeat(100_000) });
    expect(await posted.text()).toBe("answer to POST /echo");
  });

  it("holds answers for the delay, keeping their order", async () => {
    relay.delay(150);
    const started = performance.now();
    const answers = await Promise.all([get("/one"), get("/two")]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(answers).toEqual(["answer to GET /one", "answer to GET /two"]);
    relay.delay(0);
    expect(await get("/ok")).toBe("answer to GET /ok");
  });

  it("resets open connections on cut, and lets new ones through", async () => {
    const pending = probe(`${relay.url}/slow`);
    expect(await eventually(() => slow.length === 1)).toBe(true);
    relay.cut();
    expect(await pending).toBe("ECONNRESET");
    expect(await get("/ok")).toBe("answer to GET /ok");
  });

  it("refuses connections until healed", async () => {
    await relay.refuse();
    expect(await probe(`${relay.url}/ok`)).toBe("ECONNREFUSED");
    await relay.heal();
    expect(await get("/ok")).toBe("answer to GET /ok");
  });

  it("hangs connections, old and new, until healed, then delivers what was held", async () => {
    expect(await get("/warm")).toBe("answer to GET /warm"); // leaves a kept-alive connection
    relay.hang();
    let answered = 0;
    const pending = Promise.all(
      ["/held-1", "/held-2"].map((path) =>
        get(path).then((text) => {
          answered++;
          return text;
        }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toBe(0);
    await relay.heal();
    expect(await pending).toEqual(["answer to GET /held-1", "answer to GET /held-2"]);
  });

  it("looks like a node that resets the connection when its target is down", async () => {
    const dead = await startRelay({ target: 1 });
    try {
      expect(await probe(`${dead.url}/ok`)).toBe("ECONNRESET");
    } finally {
      await dead.close();
    }
  });
});
