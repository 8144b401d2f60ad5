import { randomUUID } from "node:crypto";
import type { ApiKey } from "../auth/index.js";
import { askNodes, failureOf, succeeded } from "../broadcast/ask-nodes.js";
import type { ProxyContext } from "../context.js";
import { isSuccess, type NodeRequest, type NodeResponse } from "../node-client/index.js";
import { keyHolders, referenceNode } from "./key-nodes.js";

/** `GET /keys` (with the client's query) or `GET /keys/{uidOrKey}`: the reference node's answer. */
export function readKeys(
  ctx: ProxyContext,
  uidOrKey: string | null,
  query: Readonly<Record<string, string>>,
): Promise<NodeResponse> {
  const request: NodeRequest =
    uidOrKey === null
      ? { method: "GET", path: "/keys", query }
      : { method: "GET", path: `/keys/${encodeURIComponent(uidOrKey)}` };
  return ctx.nodes.call(referenceNode(ctx), request);
}

/**
 * `POST /keys` on every holder with the same uid (one is chosen when the client names
 * none), so the key's value, and every tenant token it signs, is valid on every node.
 */
export function createKey(ctx: ProxyContext, body: unknown): Promise<NodeResponse> {
  const json =
    typeof body === "object" && body !== null && !Array.isArray(body) && !("uid" in body)
      ? { ...body, uid: randomUUID() }
      : body;
  return everywhere(ctx, { method: "POST", path: "/keys", json }, async (applied) => {
    const uid = (json as { uid?: unknown }).uid;
    if (typeof uid !== "string") return;
    // Nodes store uids in lower case, whatever case the client wrote.
    await askNodes(ctx, applied, {
      method: "DELETE",
      path: `/keys/${encodeURIComponent(uid.toLowerCase())}`,
    });
  });
}

/** `PATCH /keys/{uidOrKey}` on every holder; undone with the key's previous name and description. */
export async function updateKey(
  ctx: ProxyContext,
  uidOrKey: string,
  body: unknown,
): Promise<NodeResponse> {
  const previous = await knownKey(ctx, uidOrKey);
  const path = `/keys/${encodeURIComponent(previous?.uid ?? uidOrKey)}`;
  return everywhere(ctx, { method: "PATCH", path, json: body }, async (applied) => {
    if (previous === undefined) return;
    await askNodes(ctx, applied, {
      method: "PATCH",
      path,
      json: { name: previous.name, description: previous.description },
    });
  });
}

/** `DELETE /keys/{uidOrKey}` on every holder; undone by creating the key again where it went. */
export async function deleteKey(ctx: ProxyContext, uidOrKey: string): Promise<NodeResponse> {
  const previous = await knownKey(ctx, uidOrKey);
  const path = `/keys/${encodeURIComponent(previous?.uid ?? uidOrKey)}`;
  return everywhere(ctx, { method: "DELETE", path }, async (applied) => {
    if (previous === undefined) return;
    await askNodes(ctx, applied, { method: "POST", path: "/keys", json: keyCopyOf(previous) });
  });
}

/** What `POST /keys` needs to create `key` again, with the same uid (hence the same value). */
export function keyCopyOf(key: ApiKey): Record<string, unknown> {
  return {
    uid: key.uid,
    name: key.name,
    description: key.description,
    actions: key.actions,
    indexes: key.indexes,
    expiresAt: key.expiresAt,
  };
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
  const results = await askNodes(ctx, others, request);
  const applied = [reference, ...results.filter(succeeded).map((result) => result.nodeId)];
  const failed = results.find((result) => !succeeded(result));
  try {
    if (failed !== undefined) {
      await undo(applied);
      throw failureOf(failed);
    }
    return first;
  } finally {
    await ctx.keys.refresh().catch((error: unknown) => {
      ctx.logger.warn({ err: error }, "reading the keys after a key change failed");
    });
  }
}
