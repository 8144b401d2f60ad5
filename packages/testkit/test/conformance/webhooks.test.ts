import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, type Json, useNode } from "./node-under-test.js";

const node = useNode();

interface Delivery {
  headers: IncomingHttpHeaders;
  tasks: Json[];
}

const deliveries: Delivery[] = [];
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const raw = Buffer.concat(chunks);
    const text = (
      request.headers["content-encoding"] === "gzip" ? gunzipSync(raw) : raw
    ).toString();
    const tasks = text
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line));
    deliveries.push({ headers: request.headers, tasks });
    response.end();
  });
});
let receiverUrl = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

describe("webhooks", () => {
  it("creates, reads, updates and deletes a webhook, hiding authorization values", async () => {
    const { request } = node();
    const created = await request("POST", "/webhooks", {
      url: "https://example.com/hook",
      headers: { Authorization: "Bearer a-long-secret", referer: "https://example.com" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ isEditable: true, url: "https://example.com/hook" });
    expect(created.body.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.headers.referer).toBe("https://example.com");
    expect(created.body.headers.Authorization).not.toBe("Bearer a-long-secret");
    const uuid = created.body.uuid;

    const patched = await request("PATCH", `/webhooks/${uuid}`, { headers: { referer: null } });
    expect(patched.status).toBe(200);
    expect(Object.keys(patched.body.headers)).toEqual(["Authorization"]);
    expect((await request("GET", `/webhooks/${uuid}`)).body).toEqual(patched.body);
    const listed = await request("GET", "/webhooks");
    expect(listed.body.results.map((hook: { uuid: string }) => hook.uuid)).toContain(uuid);

    expect((await request("DELETE", `/webhooks/${uuid}`)).status).toBe(204);
    expectError(await request("GET", `/webhooks/${uuid}`), 404, "webhook_not_found");
  });

  it("refuses a missing or invalid url, a bad uuid and immutable fields", async () => {
    const { request } = node();
    expectError(await request("POST", "/webhooks", {}), 400, "invalid_webhook_url");
    expectError(
      await request("POST", "/webhooks", { url: "not a url" }),
      400,
      "invalid_webhook_url",
    );
    expectError(await request("GET", "/webhooks/not-a-uuid"), 400, "invalid_webhook_uuid");
    expectError(
      await request("POST", "/webhooks", { url: "https://example.com", uuid: "x" }),
      400,
      "immutable_webhook_uuid",
    );
  });

  it("posts each finished task to the webhook as NDJSON with its headers", async () => {
    const { request, settle } = node();
    const created = await request("POST", "/webhooks", {
      url: receiverUrl,
      headers: { "x-hook-secret": "s3cret" },
    });
    const task = await settle("POST", "/indexes/notified/documents", [{ id: 1 }]);
    for (let i = 0; i < 200 && !delivered(task.uid); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const delivery = deliveries.find((candidate) =>
      candidate.tasks.some((sent) => sent.uid === task.uid),
    );
    expect(delivery?.headers["x-hook-secret"]).toBe("s3cret");
    expect(delivery?.tasks.find((sent) => sent.uid === task.uid)).toMatchObject({
      uid: task.uid,
      indexUid: "notified",
      status: "succeeded",
      type: "documentAdditionOrUpdate",
    });
    await request("DELETE", `/webhooks/${created.body.uuid}`);
  });
});

function delivered(uid: number): boolean {
  return deliveries.some((delivery) => delivery.tasks.some((task) => task.uid === uid));
}
