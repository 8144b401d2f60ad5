import { describe, expect, it } from "vitest";
import { createNodeApp } from "../src/index.js";

async function settled(
  app: ReturnType<typeof createNodeApp>,
  uid: number,
  headers: Record<string, string>,
) {
  for (let i = 0; i < 200; i++) {
    const task = (await (await app.request(`/tasks/${uid}`, { headers })).json()) as {
      status: string;
    };
    if (task.status !== "enqueued" && task.status !== "processing") return task;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`task ${uid} did not finish`);
}

describe("createNodeApp", () => {
  it("serves the node's API in process, without a server or a port", async () => {
    const app = createNodeApp({ masterKey: "in-process-master-key" });
    const headers = {
      authorization: "Bearer in-process-master-key",
      "content-type": "application/json",
    };
    const added = await app.request("/indexes/films/documents", {
      method: "POST",
      headers,
      body: JSON.stringify([{ id: 1, title: "Heat" }]),
    });
    expect(added.status).toBe(202);
    const { taskUid } = (await added.json()) as { taskUid: number };
    expect(await settled(app, taskUid, headers)).toMatchObject({ status: "succeeded" });
    const doc = await app.request("/indexes/films/documents/1", { headers });
    expect(await doc.json()).toEqual({ id: 1, title: "Heat" });
    expect((await app.request("/indexes/films/documents/1")).status).toBe(401);
  });

  it("answers 413 past its payload limit and 404 with no body on unknown routes", async () => {
    const app = createNodeApp({ payloadLimit: 16 });
    const large = await app.request("/indexes/x/documents", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ id: 1, text: "more than sixteen bytes" }]),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({
      code: "payload_too_large",
      type: "invalid_request",
    });
    const unknown = await app.request("/no/such/route");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe("");
  });
});
