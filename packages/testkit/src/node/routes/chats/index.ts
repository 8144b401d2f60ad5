import { meiliError } from "@miroir/errors";
import { type Context, Hono } from "hono";
import { type AccessEnv, authorize } from "../../auth/access.js";
import { requireFeature } from "../../feature-gate.js";
import type { NodeState } from "../../node-state.js";
import { checkKnownParams, integerParam, page } from "../../query-params.js";
import {
  checkContentType,
  expectObject,
  parseJsonText,
  readBody,
  readJson,
} from "../../request-body.js";
import {
  defaultWorkspaceSettings,
  patchWorkspaceSettings,
  workspaceView,
} from "./chat-workspace.js";

function chatNotFound(uid: string) {
  return meiliError("chat_not_found", `Chat \`${uid}\` not found`);
}

/** What `GET` and `DELETE /chats/{uid}` say of an unknown workspace (worded differently). */
function workspaceNotFound(uid: string) {
  return meiliError("chat_not_found", `chat ${uid} not found`);
}

/**
 * The chat body Meilisearch deserialises before anything else: `model` and `messages` are
 * required (serde's wording, with the column where it gave up).
 */
function readCompletionRequest(text: unknown, raw: string): { stream: boolean } {
  const body = expectObject(text);
  for (const field of ["model", "messages"]) {
    if (body[field] === undefined) {
      throw meiliError(
        "bad_request",
        `Json deserialize error: missing field \`${field}\` at line 1 column ${raw.length}`,
      );
    }
  }
  if (!Array.isArray(body.messages)) {
    throw meiliError(
      "bad_request",
      `Json deserialize error: invalid type: ${typeof body.messages === "string" ? `string ${JSON.stringify(body.messages)}` : typeof body.messages}, expected a sequence`,
    );
  }
  return { stream: body.stream === true };
}

/**
 * `/chats`: workspaces and their settings (behind `chatCompletions`). The emulated node
 * never calls an LLM provider: a streamed completion answers the `transport_error` event
 * a real node streams when its provider cannot be reached.
 */
export function chatRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { keys, chats, features } = state;
  const settingsRoute = "using the /chats/settings route";

  app.get("/chats", authorize(keys, "chats.get"), (c) => {
    requireFeature(features, "chatCompletions", "listing the chats");
    checkKnownParams(c, ["offset", "limit"]);
    const offset = integerParam(c, "offset", "invalid_index_offset", 0);
    const limit = integerParam(c, "limit", "invalid_index_limit", 20);
    return c.json(
      page(
        [...chats.keys()].sort().map((uid) => ({ uid })),
        offset,
        limit,
      ),
    );
  });

  app.get("/chats/:workspace", authorize(keys, "chats.get"), (c) => {
    requireFeature(features, "chatCompletions", "displaying a chat");
    const uid = c.req.param("workspace");
    if (!chats.has(uid)) throw workspaceNotFound(uid);
    return c.json({ uid });
  });

  app.delete("/chats/:workspace", authorize(keys, "chats.delete"), (c) => {
    requireFeature(features, "chatCompletions", "deleting a chat");
    const uid = c.req.param("workspace");
    if (!chats.delete(uid)) throw workspaceNotFound(uid);
    return c.body(null, 204);
  });

  const settingsOf = (c: Context<AccessEnv>) => {
    const uid = c.req.param("workspace") as string;
    const settings = chats.get(uid);
    if (settings === undefined) throw chatNotFound(uid);
    return { uid, settings };
  };

  app.get("/chats/:workspace/settings", authorize(keys, "chatsSettings.get"), (c) => {
    requireFeature(features, "chatCompletions", settingsRoute);
    return c.json(workspaceView(settingsOf(c).settings));
  });

  // a PATCH creates the workspace it names
  app.patch("/chats/:workspace/settings", authorize(keys, "chatsSettings.update"), async (c) => {
    const uid = c.req.param("workspace");
    const body = await readJson(c, state.payloadLimit);
    const next = patchWorkspaceSettings(chats.get(uid) ?? defaultWorkspaceSettings(), body);
    requireFeature(features, "chatCompletions", settingsRoute);
    chats.set(uid, next);
    return c.json(workspaceView(next));
  });

  app.delete("/chats/:workspace/settings", authorize(keys, "chatsSettings.update"), (c) => {
    requireFeature(features, "chatCompletions", settingsRoute);
    const { uid } = settingsOf(c);
    const reset = defaultWorkspaceSettings();
    chats.set(uid, reset);
    return c.json(workspaceView(reset));
  });

  app.post("/chats/:workspace/chat/completions", authorize(keys, "chatCompletions"), async (c) => {
    checkContentType(c, ["application/json"]);
    const raw = await readBody(c, state.payloadLimit);
    const request = readCompletionRequest(parseJsonText(raw), raw);
    requireFeature(features, "chatCompletions", "using the /chats chat completions route");
    if (!request.stream) {
      throw meiliError(
        "unimplemented_non_streaming_chat_completions",
        "Non-streamed chat completions is not implemented",
      );
    }
    const { settings } = settingsOf(c);
    const url = `${settings.baseUrl ?? "https://api.openai.com/v1"}/chat/completions`;
    const event = {
      event_id: crypto.randomUUID(),
      type: "error",
      error: {
        type: "transport_error",
        code: null,
        message: `error sending request for url (${url})`,
        param: null,
        event_id: null,
      },
    };
    return c.body(`retry: 10000\n\ndata: ${JSON.stringify(event)}\n\ndata: [DONE]\n\n`, 200, {
      "Content-Type": "text/event-stream",
    });
  });

  return app;
}
