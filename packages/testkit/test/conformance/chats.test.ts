import { afterAll, describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";

const node = useNode();

const DOCS = "https://github.com/orgs/meilisearch/discussions/835";

async function chatCompletions(enabled: boolean) {
  const answer = await node().request("PATCH", "/experimental-features", {
    chatCompletions: enabled,
  });
  expect(answer.status).toBe(200);
}

afterAll(async () => {
  await chatCompletions(false);
});

describe("chat workspaces (/chats), without an LLM provider", () => {
  it("refuses every /chats route while chatCompletions is off, after checking the body", async () => {
    const { request } = node();
    await chatCompletions(false);
    for (const [method, path, what] of [
      ["GET", "/chats", "listing the chats"],
      ["GET", "/chats/ws", "displaying a chat"],
      ["DELETE", "/chats/ws", "deleting a chat"],
      ["GET", "/chats/ws/settings", "using the /chats/settings route"],
      ["DELETE", "/chats/ws/settings", "using the /chats/settings route"],
    ] as const) {
      const answer = await request(method, path);
      expectError(answer, 400, "feature_not_enabled");
      expect(answer.body.message).toBe(
        `${what} requires enabling the \`chat completions\` experimental feature. See ${DOCS}`,
      );
    }
    expectError(
      await request("PATCH", "/chats/ws/settings", { source: "openAi" }),
      400,
      "feature_not_enabled",
    );
    expectError(
      await request("PATCH", "/chats/ws/settings", { orgId: 3 }),
      400,
      "invalid_chat_completion_org_id",
    );
  });

  it("creates a workspace on its first settings PATCH, lists it, and hides the API key", async () => {
    const { request } = node();
    await chatCompletions(true);
    expect((await request("GET", "/chats")).body).toEqual({
      results: [],
      offset: 0,
      limit: 20,
      total: 0,
    });
    const created = await request("PATCH", "/chats/support/settings", {
      source: "mistral",
      apiKey: "sk-0123456789abcdef",
      baseUrl: "http://127.0.0.1:9/v1",
      prompts: { system: "Answer briefly." },
    });
    expect(created.status).toBe(200);
    expect(Object.keys(created.body)).toEqual([
      "source",
      "orgId",
      "projectId",
      "apiVersion",
      "deploymentId",
      "baseUrl",
      "apiKey",
      "prompts",
    ]);
    expect(created.body).toMatchObject({
      source: "mistral",
      orgId: null,
      baseUrl: "http://127.0.0.1:9/v1",
      apiKey: "skXXXX...",
      prompts: { system: "Answer briefly." },
    });
    expect(Object.keys(created.body.prompts)).toEqual([
      "system",
      "searchDescription",
      "searchQParam",
      "searchFilterParam",
      "searchIndexUidParam",
    ]);
    const short = await request("PATCH", "/chats/support/settings", { apiKey: "short" });
    expect(short.body.apiKey).toBe("XXX...");
    await request("PATCH", "/chats/another/settings", {});
    expect((await request("GET", "/chats")).body).toEqual({
      results: [{ uid: "another" }, { uid: "support" }],
      offset: 0,
      limit: 20,
      total: 2,
    });
    expect((await request("GET", "/chats?offset=1&limit=1")).body.results).toEqual([
      { uid: "support" },
    ]);
    expect((await request("GET", "/chats/support")).body).toEqual({ uid: "support" });
    expect((await request("GET", "/chats/support/settings")).body).toEqual(short.body);
  });

  it("resets settings to Meilisearch's defaults, deletes workspaces, and answers chat_not_found", async () => {
    const { request } = node();
    await chatCompletions(true);
    const reset = await request("DELETE", "/chats/support/settings");
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ source: "openAi", apiKey: null, baseUrl: null });
    expect(reset.body.prompts.system).toMatch(/^You are a highly capable research assistant/);
    expect((await request("DELETE", "/chats/another")).status).toBe(204);
    const gone = await request("GET", "/chats/another");
    expectError(gone, 404, "chat_not_found");
    expect(gone.body.message).toBe("chat another not found");
    const settings = await request("GET", "/chats/another/settings");
    expectError(settings, 404, "chat_not_found");
    expect(settings.body.message).toBe("Chat `another` not found");
  });

  it("validates settings with Meilisearch's codes", async () => {
    const { request } = node();
    await chatCompletions(true);
    for (const [body, code] of [
      [{ nope: 1 }, "bad_request"],
      [{ source: "nope" }, "bad_request"],
      [{ baseUrl: 3 }, "invalid_chat_completion_base_api"],
      [{ apiKey: 3 }, "invalid_chat_completion_api_key"],
      [{ prompts: 3 }, "bad_request"],
      [{ prompts: { nope: "x" } }, "bad_request"],
      [{ prompts: { searchQParam: 3 } }, "invalid_chat_completion_search_query_param_prompt"],
    ] as const) {
      expectError(await request("PATCH", "/chats/support/settings", body), 400, code);
    }
    const source = await request("PATCH", "/chats/support/settings", { source: "nope" });
    expect(source.body.message).toBe(
      "Unknown value `nope` at `.source`: expected one of `openAi`, `mistral`, `azureOpenAi`, `vLlm`",
    );
  });

  it("answers completions as far as no provider is involved", async () => {
    const { request, node: n, masterKey } = node();
    await chatCompletions(true);
    await request("PATCH", "/chats/support/settings", { baseUrl: "http://127.0.0.1:9/v1" });
    const path = "/chats/support/chat/completions";
    const missing = await request("POST", path, { messages: [] });
    expectError(missing, 400, "bad_request");
    expect(missing.body.message).toBe(
      "Json deserialize error: missing field `model` at line 1 column 15",
    );
    const unstreamed = await request("POST", path, { model: "m", messages: [] });
    expectError(unstreamed, 501, "unimplemented_non_streaming_chat_completions");
    // refused as unstreamed before the workspace is looked up
    expectError(
      await request("POST", "/chats/nowhere/chat/completions", { model: "m", messages: [] }),
      501,
      "unimplemented_non_streaming_chat_completions",
    );
    expectError(
      await request("POST", "/chats/nowhere/chat/completions", {
        model: "m",
        messages: [],
        stream: true,
      }),
      404,
      "chat_not_found",
    );
    // the provider cannot be reached: the stream carries Meilisearch's transport error
    const streamed = await fetch(`${n.address}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${masterKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "m",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      }),
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = (await streamed.text())
      .split("\n")
      .filter((line) => line.startsWith("data: "))
      .map((line) => line.slice("data: ".length));
    expect(events.at(-1)).toBe("[DONE]");
    expect(JSON.parse(events[0] as string)).toMatchObject({
      type: "error",
      error: {
        type: "transport_error",
        message: "error sending request for url (http://127.0.0.1:9/v1/chat/completions)",
      },
    });
  });
});
