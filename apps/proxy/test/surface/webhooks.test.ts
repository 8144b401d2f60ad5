import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.js";

interface WebhookAnswer {
  uuid: string;
  isEditable: boolean;
  url: string;
  headers: Record<string, string>;
}

describe("webhooks, owned by Miroir and fired once per Miroir task", () => {
  let env: ProxiedCluster;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, groups: 1, rf: 2, shards: 8 });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await env?.stop();
    await receiver?.close();
  });

  async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 300 && !condition(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it("creates, reads, updates and deletes webhooks in Meilisearch's shapes, never on the nodes", async () => {
    const created = await env.miroir(
      "/webhooks",
      json({
        url: "https://example.com/on-task",
        headers: { Authorization: "Bearer a-long-secret-token", referer: "https://example.com" },
      }),
    );
    expect(created.status).toBe(201);
    const webhook = (await created.json()) as WebhookAnswer;
    expect(webhook).toEqual({
      uuid: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      ),
      isEditable: true,
      url: "https://example.com/on-task",
      headers: { Authorization: "BearXXX...", referer: "https://example.com" },
    });
    const patched = await env.miroir(
      `/webhooks/${webhook.uuid}`,
      json({ url: "https://example.com/moved", headers: { referer: null } }, "PATCH"),
    );
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({
      ...webhook,
      url: "https://example.com/moved",
      headers: { Authorization: "BearXXX..." },
    });
    const listed = (await (await env.miroir("/webhooks")).json()) as { results: WebhookAnswer[] };
    expect(listed.results.map((hook) => hook.uuid)).toEqual([webhook.uuid]);
    for (const node of env.cluster.nodes) {
      const onNode = (await (await env.node(node.id, "/webhooks")).json()) as {
        results: unknown[];
      };
      expect(onNode.results).toEqual([]);
    }
    expect((await env.miroir(`/webhooks/${webhook.uuid}`, { method: "DELETE" })).status).toBe(204);
    const gone = await env.miroir(`/webhooks/${webhook.uuid}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { code: string }).code).toBe("webhook_not_found");
  });

  it("refuses bad webhooks with Meilisearch's codes and stores nothing", async () => {
    const cases: [unknown, string][] = [
      [{}, "invalid_webhook_url"],
      [{ url: "not a url" }, "invalid_webhook_url"],
      [{ url: "https://example.com", headers: { "bad header": "x" } }, "invalid_webhook_headers"],
      [{ url: "https://example.com", uuid: "mine" }, "immutable_webhook_uuid"],
      [{ url: "https://example.com", color: "red" }, "bad_request"],
    ];
    for (const [body, code] of cases) {
      const answer = await env.miroir("/webhooks", json(body));
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { code: string }).code).toBe(code);
    }
    const invalidUuid = await env.miroir("/webhooks/not-a-uuid");
    expect(((await invalidUuid.json()) as { code: string }).code).toBe("invalid_webhook_uuid");
    expect(await (await env.miroir("/webhooks")).json()).toEqual({ results: [] });
  });

  it("allows at most 20 webhooks, as Meilisearch does", async () => {
    const uuids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const answer = await env.miroir("/webhooks", json({ url: `https://example.com/${i}` }));
      uuids.push(((await answer.json()) as WebhookAnswer).uuid);
    }
    const refused = await env.miroir("/webhooks", json({ url: "https://example.com/21" }));
    expect(((await refused.json()) as { code: string }).code).toBe("invalid_webhooks");
    for (const uuid of uuids) await env.miroir(`/webhooks/${uuid}`, { method: "DELETE" });
  });

  it("notifies once per Miroir task, with Miroir's uid, as gzipped NDJSON with the webhook's headers", async () => {
    const created = (await (
      await env.miroir("/webhooks", json({ url: receiver.url, headers: { "x-secret": "s3" } }))
    ).json()) as WebhookAnswer;
    const uids: number[] = [];
    const index = await env.miroir("/indexes", json({ uid: "notified", primaryKey: "id" }));
    uids.push(((await index.json()) as { taskUid: number }).taskUid);
    const added = await env.miroir(
      "/indexes/notified/documents",
      json(Array.from({ length: 30 }, (_, id) => ({ id }))),
    );
    uids.push(((await added.json()) as { taskUid: number }).taskUid);
    for (const uid of uids) await env.waitTask(uid);
    const notified = () => receiver.notifications.flatMap((n) => n.tasks.map((task) => task.uid));
    await until(() => uids.every((uid) => notified().includes(uid)));
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(
      notified()
        .filter((uid) => uids.includes(uid as number))
        .sort(),
    ).toEqual(uids);
    const addition = receiver.notifications.find((n) => n.tasks[0]?.uid === uids[1]);
    expect(addition?.headers["x-secret"]).toBe("s3");
    expect(addition?.headers["content-type"]).toBe("application/x-ndjson");
    expect(addition?.tasks).toEqual([await env.waitTask(uids[1] as number)]);
    await env.miroir(`/webhooks/${created.uuid}`, { method: "DELETE" });
  });

  it("tells a new webhook only of tasks that finish after it exists", async () => {
    const before = await env.miroir("/indexes", json({ uid: "earlier" }));
    const earlier = ((await before.json()) as { taskUid: number }).taskUid;
    await env.waitTask(earlier);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const created = (await (
      await env.miroir("/webhooks", json({ url: receiver.url }))
    ).json()) as WebhookAnswer;
    const after = await env.miroir("/indexes", json({ uid: "later" }));
    const later = ((await after.json()) as { taskUid: number }).taskUid;
    await env.waitTask(later);
    const notified = () => receiver.notifications.flatMap((n) => n.tasks.map((task) => task.uid));
    await until(() => notified().includes(later));
    expect(notified()).toContain(later);
    expect(notified()).not.toContain(earlier);
    await env.miroir(`/webhooks/${created.uuid}`, { method: "DELETE" });
  });
});
