import { Hono } from "hono";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { webhookChanges, webhookUuid } from "../../webhooks/index.js";

/**
 * `/webhooks`: Miroir's own, kept in the task store and never sent to the nodes (a node
 * would notify of its own tasks, with its own uids, once per node). The notifier in
 * `webhooks/` sends finished Miroir tasks to them.
 */
export function webhookRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  const webhooks = webhookChanges(ctx.taskStore);

  routes.get("/webhooks", async (c) => c.json({ results: await webhooks.list() }));
  routes.post("/webhooks", async (c) =>
    c.json(await webhooks.create(await readJsonBody(c, limit)), 201),
  );
  routes.get("/webhooks/:uuid", async (c) =>
    c.json(await webhooks.get(webhookUuid(c.req.param("uuid")))),
  );
  routes.patch("/webhooks/:uuid", async (c) => {
    const uuid = webhookUuid(c.req.param("uuid"));
    return c.json(await webhooks.update(uuid, await readJsonBody(c, limit)));
  });
  routes.delete("/webhooks/:uuid", async (c) => {
    await webhooks.delete(webhookUuid(c.req.param("uuid")));
    return c.body(null, 204);
  });

  return routes;
}
