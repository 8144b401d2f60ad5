import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

let env: ProxiedCluster;

beforeAll(async () => {
  env = await startProxiedCluster(
    { nodes: 1, shards: 4 },
    {
      server: {
        host: "127.0.0.1",
        log_level: "silent",
        header_timeout_ms: 1_000,
        request_timeout_ms: 2_000,
      },
    },
  );
}, 60_000);

afterAll(async () => {
  await env?.stop();
});

const nodeUrl = () => env.cluster.nodes[0]?.address as string;

/** The status line a server answers on a raw connection, and whether it closed it. */
interface RawOutcome {
  status: number | null;
  closed: boolean;
}

/**
 * Opens a raw connection to `url`, sends `head`, then one more `trickle` every 200 ms
 * (a slow-loris client), until the server answers or closes, or `limitMs` passes.
 */
function slowClient(url: string, head: string, trickle: string, limitMs: number) {
  const { hostname, port } = new URL(url);
  return new Promise<RawOutcome>((resolve) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    let settled = false;
    const finish = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearInterval(ticker);
      clearTimeout(deadline);
      socket.destroy();
      resolve(outcome);
    };
    const statusOf = () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      return match === null ? null : Number(match[1]);
    };
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
    });
    socket.on("close", () => finish({ status: statusOf(), closed: true }));
    socket.on("error", () => finish({ status: statusOf(), closed: true }));
    socket.write(head);
    const ticker = setInterval(() => {
      if (!socket.destroyed) socket.write(trickle);
    }, 200);
    const deadline = setTimeout(() => finish({ status: statusOf(), closed: false }), limitMs);
  });
}

describe("slow clients", () => {
  it("cuts off a client that never finishes its headers with 408, as a node does, serving others meanwhile", async () => {
    const head = "GET /health HTTP/1.1\r\nHost: x\r\n";
    const cutOff = slowClient(env.url, head, "X-Slow: y\r\n", 10_000);
    const others = await env.miroir("/health");
    expect(others.status).toBe(200);
    expect(await cutOff).toEqual({ status: 408, closed: true });
    // One Meilisearch node gives a slow client 5 s, then the same answer.
    expect(await slowClient(nodeUrl(), head, "X-Slow: y\r\n", 15_000)).toEqual({
      status: 408,
      closed: true,
    });
  }, 30_000);

  it("cuts off a client that never finishes its body with 408", async () => {
    const head =
      "POST /indexes/slow/search HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";
    expect(await slowClient(env.url, head, " ", 10_000)).toEqual({ status: 408, closed: true });
  }, 15_000);
});

/** Sends `head` whole on a raw connection; the status the server answers. */
async function rawStatus(url: string, head: string): Promise<number | null> {
  return (await slowClient(url, head, "", 10_000)).status;
}

describe("oversized request heads", () => {
  it("answers 431 to headers past the limit and serves a long URL below it, as a node does", async () => {
    const huge = `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(200_000)}\r\nConnection: close\r\n\r\n`;
    const longUrl = `GET /health?pad=${"a".repeat(40_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
    for (const url of [env.url, nodeUrl()]) {
      expect(await rawStatus(url, huge), url).toBe(431);
      expect(await rawStatus(url, longUrl), url).toBe(200);
    }
  }, 30_000);
});

describe("JSON bodies", () => {
  it("refuses a body nested past Meilisearch's depth with the node's error", async () => {
    const body = `{"q":"a","x":${"[".repeat(200)}${"]".repeat(200)}}`;
    const init = { method: "POST", headers: { "content-type": "application/json" }, body };
    const created = await env.miroir("/indexes", json({ uid: "deep", primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    const [through, direct] = await Promise.all([
      env.miroir("/indexes/deep/search", init),
      env.node("node-0", "/indexes/deep/search", init),
    ]);
    expect(through.status).toBe(400);
    expect(await through.json()).toEqual(await direct.json());
  });
});

describe("request ids", () => {
  it("keeps a well-formed client id for logs and replaces any other with its own", async () => {
    const kept = await env.miroir("/health", { headers: { "x-request-id": "client-id-1" } });
    expect(kept.headers.get("x-request-id")).toBe("client-id-1");
    for (const hostile of ["a".repeat(300), "id with spaces", 'quote"id', "semi;colon"]) {
      const answer = await env.miroir("/health", { headers: { "x-request-id": hostile } });
      const id = answer.headers.get("x-request-id") ?? "";
      expect(id).not.toBe(hostile);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await answer.text()).not.toContain(hostile);
    }
  });
});
