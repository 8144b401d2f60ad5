import { describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";

const node = useNode();

async function taskDocuments(uid: number | string): Promise<Response> {
  const { node: n, masterKey } = node();
  return fetch(`${n.address}/tasks/${uid}/documents`, {
    headers: { authorization: `Bearer ${masterKey}` },
  });
}

async function setFeature(enabled: boolean): Promise<void> {
  const { request } = node();
  const answer = await request("PATCH", "/experimental-features", {
    getTaskDocumentsRoute: enabled,
  });
  expect(answer.status).toBe(200);
}

describe("GET /tasks/{uid}/documents", () => {
  it("answers feature_not_enabled while getTaskDocumentsRoute is off", async () => {
    const { request, settle } = node();
    await setFeature(false);
    const task = await settle("POST", "/indexes/gated/documents", [{ id: 1 }]);
    expectError(await request("GET", `/tasks/${task.uid}/documents`), 400, "feature_not_enabled");
  });

  it("answers task_not_found for an unknown task and task_file_not_found once processed", async () => {
    const { request, settle } = node();
    await setFeature(true);
    expectError(await request("GET", "/tasks/987654/documents"), 404, "task_not_found");
    const write = await settle("POST", "/indexes/processed/documents", [{ id: 1 }]);
    expectError(await request("GET", `/tasks/${write.uid}/documents`), 404, "task_file_not_found");
    const creation = await settle("POST", "/indexes", { uid: "no-payload" });
    expectError(
      await request("GET", `/tasks/${creation.uid}/documents`),
      404,
      "task_file_not_found",
    );
    await setFeature(false);
  });

  it("answers an enqueued write's documents as JSON objects one after the other, until it is processed", async () => {
    const { node: n, request, waitForTask } = node();
    await setFeature(true);
    const hold = await n.control.holdQueue();
    const documents = [
      { id: 1, title: "Carol", tags: ["a", "b"] },
      { id: "two", nested: { x: 1.5 } },
    ];
    const write = await request("POST", "/indexes/waiting/documents", documents);
    const answer = await taskDocuments(write.body.taskUid);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    // no newline between the objects, although the content type says NDJSON
    expect(await answer.text()).toBe(documents.map((doc) => JSON.stringify(doc)).join(""));
    await hold.release();
    await waitForTask(write.body.taskUid);
    expect((await taskDocuments(write.body.taskUid)).status).toBe(404);
    await setFeature(false);
  });
});
