import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const MASTER = "explain-master-key-0123456789";

interface ExplainedCall {
  nodeId: string;
  shards: number[];
  reason: string;
  outcome: string;
  ms: number;
}

interface Explained {
  hits: unknown[];
  _miroirExplain?: {
    shards: number[];
    calls: ExplainedCall[];
    hedgesSent: number;
    hedgesWon: number;
    mergeMs: number;
    totalMs: number;
  };
}

describe("X-Miroir-Explain on a search", () => {
  let env: ProxiedCluster;
  const bearer = (key: string, headers: Record<string, string> = {}) => ({
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
    ...headers,
  });
  const search = (key: string, headers: Record<string, string> = {}) =>
    fetch(`${env.url}/indexes/books/search`, {
      method: "POST",
      headers: bearer(key, headers),
      body: JSON.stringify({ q: "" }),
    });

  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, rf: 2, shards: 6, masterKey: MASTER });
    const created = await fetch(`${env.url}/indexes`, {
      method: "POST",
      headers: bearer(MASTER),
      body: JSON.stringify({ uid: "books", primaryKey: "id" }),
    });
    const { taskUid } = (await created.json()) as { taskUid: number };
    for (let attempt = 0; attempt < 500; attempt++) {
      const task = (await (
        await fetch(`${env.url}/tasks/${taskUid}`, { headers: bearer(MASTER) })
      ).json()) as { status: string };
      if (task.status === "succeeded") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }, 120_000);
  afterAll(() => env?.stop());

  it("answers the plan beside the hits for the master key: every shard once, each node call's choice, time and outcome", async () => {
    const answer = await search(MASTER, { "X-Miroir-Explain": "true" });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as Explained;
    expect(body.hits).toEqual([]);
    const plan = body._miroirExplain;
    expect(plan?.shards).toEqual([0, 1, 2, 3, 4, 5]);
    const answered = plan?.calls.filter((call) => call.outcome === "answered") ?? [];
    expect(answered.flatMap((call) => call.shards).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    for (const call of plan?.calls ?? []) {
      expect(["node-0", "node-1", "node-2"]).toContain(call.nodeId);
      expect(["least cost", "exploration", "rotation", "only replica", "hedge", "retry"]).toContain(
        call.reason,
      );
      expect(call.ms).toBeGreaterThanOrEqual(0);
    }
    expect(plan?.hedgesSent).toBe(0);
    expect(plan?.mergeMs).toBeGreaterThanOrEqual(0);
    expect(plan?.totalMs).toBeGreaterThanOrEqual(plan?.mergeMs ?? 0);
  });

  it("answers the normal search without the header", async () => {
    const body = (await (await search(MASTER)).json()) as Explained;
    expect(body._miroirExplain).toBeUndefined();
    expect(Object.keys(body)).not.toContain("_miroirExplain");
  });

  it("refuses the header from any other key with miroir_explain_forbidden, in Meilisearch's error shape", async () => {
    const { results } = (await (
      await fetch(`${env.url}/keys`, { headers: bearer(MASTER) })
    ).json()) as { results: { name: string | null; key: string }[] };
    const searchKey = results.find((key) => key.name === "Default Search API Key")?.key ?? "";
    expect((await search(searchKey)).status).toBe(200);
    const refused = await search(searchKey, { "X-Miroir-Explain": "true" });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      message: expect.stringContaining("master key"),
      code: "miroir_explain_forbidden",
      type: "auth",
      link: expect.stringContaining("miroir_explain_forbidden"),
    });
  });
});
