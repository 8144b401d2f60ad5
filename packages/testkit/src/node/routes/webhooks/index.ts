import { gzipSync } from "node:zlib";
import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import { type AccessEnv, authorize } from "../../auth/access.js";
import type { NodeState } from "../../node-state.js";
import { readJson } from "../../request-body.js";
import type { Task } from "../../task-queue.js";
import {
  applyWebhookSettings,
  MAX_WEBHOOKS,
  newWebhookUuid,
  type Webhook,
  webhookUuid,
  webhookView,
} from "./webhook-settings.js";

/**
 * `/webhooks` CRUD, and the notifications: every finished task (its own batch here) is
 * POSTed to every webhook as gzipped NDJSON, one task object per line, as Meilisearch
 * sends them.
 */
export function webhookRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { keys, webhooks } = state;

  app.get("/webhooks", authorize(keys, "webhooks.get"), (c) =>
    c.json({ results: [...webhooks].map(([uuid, webhook]) => webhookView(uuid, webhook)) }),
  );

  app.post("/webhooks", authorize(keys, "webhooks.create"), async (c) => {
    const body = await readJson(c, state.payloadLimit);
    const uuid = newWebhookUuid();
    if (webhooks.size >= MAX_WEBHOOKS) {
      throw meiliError(
        "invalid_webhooks",
        `Defining too many webhooks would crush the server. Please limit the number of webhooks to ${MAX_WEBHOOKS}. You may use a third-party proxy server to dispatch events to more than ${MAX_WEBHOOKS} endpoints.`,
      );
    }
    const webhook = applyWebhookSettings(uuid, undefined, body);
    webhooks.set(uuid, webhook);
    return c.json(webhookView(uuid, webhook), 201);
  });

  app.get("/webhooks/:uuid", authorize(keys, "webhooks.get"), (c) => {
    const uuid = webhookUuid(c.req.param("uuid"));
    return c.json(webhookView(uuid, found(webhooks, uuid)));
  });

  app.patch("/webhooks/:uuid", authorize(keys, "webhooks.update"), async (c) => {
    const uuid = webhookUuid(c.req.param("uuid"));
    const body = await readJson(c, state.payloadLimit);
    const webhook = applyWebhookSettings(uuid, found(webhooks, uuid), body);
    webhooks.set(uuid, webhook);
    return c.json(webhookView(uuid, webhook));
  });

  app.delete("/webhooks/:uuid", authorize(keys, "webhooks.delete"), (c) => {
    const uuid = webhookUuid(c.req.param("uuid"));
    found(webhooks, uuid);
    webhooks.delete(uuid);
    return c.body(null, 204);
  });

  return app;
}

function found(webhooks: ReadonlyMap<string, Webhook>, uuid: string): Webhook {
  const webhook = webhooks.get(uuid);
  if (webhook === undefined)
    throw meiliError("webhook_not_found", `Webhook \`${uuid}\` not found.`);
  return webhook;
}

/** Sends a finished task to every webhook; a receiver that fails is not retried. */
export function notifyWebhooks(webhooks: ReadonlyMap<string, Webhook>, task: Task): void {
  if (webhooks.size === 0) return;
  const body = gzipSync(`${JSON.stringify(task)}\n`);
  for (const webhook of webhooks.values()) {
    fetch(webhook.url, {
      method: "POST",
      headers: {
        ...webhook.headers,
        "content-type": "application/x-ndjson",
        "content-encoding": "gzip",
      },
      body,
    }).then(
      (response) => response.body?.cancel(),
      () => undefined,
    );
  }
}
