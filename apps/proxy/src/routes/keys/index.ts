import { randomUUID } from "node:crypto";
import { meiliError } from "@miroir/errors";
import { Hono } from "hono";
import type { ApiKey } from "../../auth/index.js";
import { readJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { isSuccess, type NodeRequest, type NodeResponse } from "../../node-client/index.js";
import { nodeFailure, sendToEach } from "./key-broadcast.js";
import { keyHolders, referenceNode } from "./key-nodes.js";

function missingMasterKey() {
  return meiliError(
    "missing_master_key",
    "Meilisearch is running without a master key. To access this API endpoint, you must have set a master key at launch.",
  );
}

function answer(response: NodeResponse): Response {
  if (response.status === 204) return new Response(null, { status: 204 });
  return Response.json(response.body, { status: response.status });
}

/**
 * `/keys` as one Meilisearch server: reads answer from the reference node; creating,
 * updating and deleting a key reach every node with the same uid (so a key's value, and
 * every tenant token it signs, is valid on every node), all or nothing.
 */
export function keyRoutes(ctx: ProxyContext): Hono {
  const routes = new Hono();
  const limit = ctx.config.server.body_limit_bytes;
  routes.use("/keys", async (_c, next) => {
    if (ctx.config.master_key === null) throw missingMasterKey();
    await next();
  });
  routes.use("/keys/*", async (_c, next) => {
    if (ctx.config.master_key === null) throw missingMasterKey();
    await next();
  });

  routes.get("/keys", async (c) => {
    const query = Object.fromEntries(new URL(c.req.url).searchParams);
    return answer(
      await ctx.nodes.call(referenceNode(ctx), { method: "GET", path: "/keys", query }),
    );
  });

  routes.get("/keys/:key", async (c) => {
    const path = `/keys/${encodeURIComponent(c.req.param("key"))}`;
    return answer(await ctx.nodes.call(referenceNode(ctx), { method: "GET", path }));
  });

  routes.post("/keys", async (c) => {
    const body = await readJsonBody(c, limit);
    const json =
      typeof body === "object" && body !== null && !Array.isArray(body) && !("uid" in body)
        ? { ...body, uid: randomUUID() }
        : body;
    const created = await everywhere(ctx, { method: "POST", path: "/keys", json }, (done) =>
      undoCreate(ctx, done, json),
    );
    return answer(created);
  });

  routes.patch("/keys/:key", async (c) => {
    const body = await readJsonBody(c, limit);
    const previous = await knownKey(ctx, c.req.param("key"));
    const path = `/keys/${encodeURIComponent(previous?.uid ?? c.req.param("key"))}`;
    const updated = await everywhere(ctx, { method: "PATCH", path, json: body }, (done) =>
      previous === undefined
        ? Promise.resolve()
        : sendToEach(ctx, done, {
            method: "PATCH",
            path,
            json: { name: previous.name, description: previous.description },
          }).then(() => undefined),
    );
    return answer(updated);
  });

  routes.delete("/keys/:key", async (c) => {
    const previous = await knownKey(ctx, c.req.param("key"));
    const path = `/keys/${encodeURIComponent(previous?.uid ?? c.req.param("key"))}`;
    const deleted = await everywhere(ctx, { method: "DELETE", path }, (done) =>
      previous === undefined ? Promise.resolve() : undoDelete(ctx, done, previous),
    );
    return answer(deleted);
  });

  return routes;
}

async function knownKey(ctx: ProxyContext, uidOrKey: string): Promise<ApiKey | undefined> {
  return (await ctx.keys.byUid(uidOrKey)) ?? (await ctx.keys.byValue(uidOrKey));
}

/**
 * Sends a key change to the reference node first (its refusal is the client's answer and
 * nothing else is touched), then to every other holder; when one of them fails, `undo`
 * runs on the nodes that applied it and the failure is the answer.
 */
async function everywhere(
  ctx: ProxyContext,
  request: NodeRequest,
  undo: (applied: readonly string[]) => Promise<void>,
): Promise<NodeResponse> {
  const reference = referenceNode(ctx);
  const first = await ctx.nodes.call(reference, request);
  if (!isSuccess(first)) return first;
  const others = keyHolders(ctx).filter((id) => id !== reference);
  const results = await sendToEach(ctx, others, request);
  const applied = [reference, ...results.filter((r) => r.ok).map((r) => r.nodeId)];
  const failed = results.find((r) => !r.ok);
  try {
    if (failed !== undefined) {
      await undo(applied);
      throw nodeFailure(failed);
    }
    return first;
  } finally {
    await ctx.keys.refresh().catch((error: unknown) => {
      ctx.logger.warn({ err: error }, "reading the keys after a key change failed");
    });
  }
}

async function undoCreate(ctx: ProxyContext, applied: readonly string[], body: unknown) {
  const uid = (body as { uid?: unknown }).uid;
  if (typeof uid !== "string") return;
  // Nodes store uids in lower case, whatever case the client wrote.
  const path = `/keys/${encodeURIComponent(uid.toLowerCase())}`;
  await sendToEach(ctx, applied, { method: "DELETE", path });
}

async function undoDelete(ctx: ProxyContext, applied: readonly string[], key: ApiKey) {
  await sendToEach(ctx, applied, {
    method: "POST",
    path: "/keys",
    json: {
      uid: key.uid,
      name: key.name,
      description: key.description,
      actions: key.actions,
      indexes: key.indexes,
      expiresAt: key.expiresAt,
    },
  });
}
