import { randomUUID } from "node:crypto";
import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import {
  applyWebhookSettings,
  MAX_WEBHOOKS,
  notifyFromNow,
  type Webhook,
  webhookStore,
  webhookUuid,
  webhookView,
} from "../../webhooks/index.js";

/**
 * `/webhooks`: Miroir's own, kept in the task store and never sent to the nodes (a node
 * would notify of its own tasks, with its own uids, once per node). The notifier in
 * `webhooks/` sends finished Miroir tasks to them.
 */
export function webhookRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  const store = webhookStore(ctx.taskStore);
  let writing: Promise<unknown> = Promise.resolve();
  /** Changes run one after the other in this process: each reads, changes and writes the set. */
  const change = <T>(apply: (webhooks: Map<string, Webhook>) => Promise<T>): Promise<T> => {
    const next = writing.then(async () => {
      const webhooks = await store.list();
      return apply(webhooks);
    });
    writing = next.catch(() => undefined);
    return next;
  };

  routes.get("/webhooks", async (c) => {
    const webhooks = await store.list();
    return c.json({ results: [...webhooks].map(([uuid, hook]) => webhookView(uuid, hook)) });
  });

  routes.post("/webhooks", async (c) => {
    const body = await readJsonBody(c, limit);
    const uuid = randomUUID();
    const created = await change(async (webhooks) => {
      if (webhooks.size >= MAX_WEBHOOKS) {
        throw meiliError(
          "invalid_webhooks",
          `Defining too many webhooks would crush the server. Please limit the number of webhooks to ${MAX_WEBHOOKS}. You may use a third-party proxy server to dispatch events to more than ${MAX_WEBHOOKS} endpoints.`,
        );
      }
      const webhook = applyWebhookSettings(uuid, undefined, body);
      if (webhooks.size === 0) await notifyFromNow(ctx.taskStore);
      webhooks.set(uuid, webhook);
      await store.save(webhooks);
      return webhook;
    });
    return c.json(webhookView(uuid, created), 201);
  });

  routes.get("/webhooks/:uuid", async (c) => {
    const uuid = webhookUuid(c.req.param("uuid"));
    return c.json(webhookView(uuid, found(await store.list(), uuid)));
  });

  routes.patch("/webhooks/:uuid", async (c) => {
    const uuid = webhookUuid(c.req.param("uuid"));
    const body = await readJsonBody(c, limit);
    const updated = await change(async (webhooks) => {
      const webhook = applyWebhookSettings(uuid, found(webhooks, uuid), body);
      webhooks.set(uuid, webhook);
      await store.save(webhooks);
      return webhook;
    });
    return c.json(webhookView(uuid, updated));
  });

  routes.delete("/webhooks/:uuid", async (c) => {
    const uuid = webhookUuid(c.req.param("uuid"));
    await change(async (webhooks) => {
      found(webhooks, uuid);
      webhooks.delete(uuid);
      await store.save(webhooks);
    });
    return c.body(null, 204);
  });

  return routes;
}

function found(webhooks: ReadonlyMap<string, Webhook>, uuid: string): Webhook {
  const webhook = webhooks.get(uuid);
  if (webhook === undefined)
    throw meiliError("webhook_not_found", `Webhook \`${uuid}\` not found.`);
  return webhook;
}
