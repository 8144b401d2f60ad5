import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

describe("customMetadata on writes", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 2, shards: 8 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("shows a document write's customMetadata on its Miroir task, and only on that task", async () => {
    const tagged = await env.miroir(
      "/indexes/tagged/documents?primaryKey=id&customMetadata=import-42",
      json([{ id: 1 }, { id: 2 }]),
    );
    const { taskUid } = (await tagged.json()) as { taskUid: number };
    expect(await env.waitTask(taskUid)).toMatchObject({
      status: "succeeded",
      customMetadata: "import-42",
    });
    const plain = await env.miroir("/indexes/tagged/documents", json([{ id: 3 }]));
    const untagged = await env.waitTask(((await plain.json()) as { taskUid: number }).taskUid);
    expect(untagged).not.toHaveProperty("customMetadata");
  });

  it("keeps customMetadata on a write whose batch is refused", async () => {
    const refused = await env.miroir(
      "/indexes/tagged/documents?customMetadata=bad-batch",
      json([{ title: "no id" }]),
    );
    const task = await env.waitTask(((await refused.json()) as { taskUid: number }).taskUid);
    expect(task).toMatchObject({ status: "failed", customMetadata: "bad-batch" });
  });
});
