import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REFUSED_ROUTES } from "../../src/routes/refused/index.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const MASTER_KEY = "surface-suite-master-key";
const auth = { authorization: `Bearer ${MASTER_KEY}` };

describe("system routes and routes without a cluster meaning", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 3, groups: 1, rf: 2, shards: 8 },
      {
        master_key: MASTER_KEY,
      },
    );
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("answers GET / without a key, like Meilisearch", async () => {
    const answer = await env.miroir("/");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: "Meilisearch is running" });
  });

  it("answers GET /version with the nodes' version, and needs a key", async () => {
    const nodeVersion = await (await env.node("node-0", "/version")).json();
    const answer = await env.miroir("/version", { headers: auth });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual(nodeVersion);
    expect(answer.headers.get("x-miroir-version-mismatch")).toBeNull();
    expect((await env.miroir("/version")).status).toBe(401);
  });

  it("counts every document once in GET /stats although each lives on two nodes", async () => {
    const added = await env.miroir("/indexes/counted/documents?primaryKey=id", {
      ...json(Array.from({ length: 40 }, (_, id) => ({ id }))),
      headers: { ...auth, "content-type": "application/json" },
    });
    const { taskUid } = (await added.json()) as { taskUid: number };
    for (let i = 0; i < 500; i++) {
      const task = (await (await env.miroir(`/tasks/${taskUid}`, { headers: auth })).json()) as {
        status: string;
      };
      if (task.status === "succeeded") break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const stats = (await (await env.miroir("/stats", { headers: auth })).json()) as {
      indexes: Record<string, { numberOfDocuments: number }>;
    };
    expect(stats.indexes.counted?.numberOfDocuments).toBe(40);
  });

  it.each(REFUSED_ROUTES.map((route) => route.path.replace("*", "anything").replace(/:\w+/, "0")))(
    "answers %s with feature_not_enabled on every method",
    async (path) => {
      for (const method of ["GET", "POST", "PATCH", "DELETE"]) {
        const answer = await env.miroir(path, { method, headers: auth });
        expect(answer.status).toBe(400);
        const body = (await answer.json()) as { code: string; type: string; message: string };
        expect(body).toMatchObject({ code: "feature_not_enabled", type: "invalid_request" });
        expect(body.message).toContain("Miroir");
      }
    },
  );
});
