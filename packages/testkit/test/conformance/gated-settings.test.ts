import { afterEach, describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";

const node = useNode();

const DEFAULT_CHAT = {
  description: "",
  documentTemplate:
    "{% for field in fields %}{% if field.is_searchable and field.value != nil %}{{ field.name }}: {{ field.value }}\n{% endif %}{% endfor %}",
  documentTemplateMaxBytes: 400,
  searchParameters: {},
};

async function features(switches: Record<string, boolean>) {
  const answer = await node().request("PATCH", "/experimental-features", switches);
  expect(answer.status).toBe(200);
}

afterEach(async () => {
  await features({ foreignKeys: false, chatCompletions: false });
});

describe("settings behind an experimental feature (foreignKeys, chat)", () => {
  it("shows them in GET /settings only while their feature is on; their own routes read them anyway", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes", { uid: "gated" });
    const keys = async () =>
      Object.keys((await request("GET", "/indexes/gated/settings")).body) as string[];
    const plain = await keys();
    expect(plain).not.toContain("foreignKeys");
    expect(plain).not.toContain("chat");
    expect((await request("GET", "/indexes/gated/settings/foreign-keys")).body).toEqual([]);
    expect((await request("GET", "/indexes/gated/settings/chat")).body).toEqual(DEFAULT_CHAT);
    await features({ foreignKeys: true });
    const withKeys = await keys();
    expect(withKeys.indexOf("foreignKeys")).toBe(withKeys.indexOf("sortableAttributes") + 1);
    await features({ foreignKeys: false, chatCompletions: true });
    const withChat = await keys();
    expect(withChat.at(-1)).toBe("chat");
    expect(withChat).not.toContain("foreignKeys");
  });

  it("refuses to write them while the feature is off, but lets them be reset", async () => {
    const { request, settle } = node();
    const foreign = await request("PATCH", "/indexes/gated/settings", { foreignKeys: [] });
    expectError(foreign, 400, "feature_not_enabled");
    expect(foreign.body.message).toBe(
      "setting `foreignKeys` in the index settings requires enabling the `foreign_keys` experimental feature. See https://github.com/orgs/meilisearch/discussions/873",
    );
    expectError(
      await request("PUT", "/indexes/gated/settings/foreign-keys", []),
      400,
      "feature_not_enabled",
    );
    const chat = await request("PATCH", "/indexes/gated/settings/chat", { description: "x" });
    expectError(chat, 400, "feature_not_enabled");
    expect(chat.body.message).toBe(
      "setting `chat` in the index settings requires enabling the `chat completions` experimental feature. See https://github.com/orgs/meilisearch/discussions/835",
    );
    expect((await settle("DELETE", "/indexes/gated/settings/chat")).status).toBe("succeeded");
    expect((await settle("DELETE", "/indexes/gated/settings/foreign-keys")).status).toBe(
      "succeeded",
    );
    const reset = await settle("DELETE", "/indexes/gated/settings");
    expect(reset.details).toMatchObject({
      displayedAttributes: ["*"],
      searchableAttributes: ["*"],
      filterableAttributes: null,
      foreignKeys: null,
      chat: null,
    });
    expect(Object.keys(reset.details).indexOf("foreignKeys")).toBe(4);
    expect(Object.keys(reset.details).at(-1)).toBe("chat");
  });

  it("stores foreign keys, each entry an object with both fields", async () => {
    const { request, settle } = node();
    await features({ foreignKeys: true });
    const keys = [{ foreignIndexUid: "authors", fieldName: "author" }];
    const task = await settle("PUT", "/indexes/gated/settings/foreign-keys", keys);
    expect(task.details).toEqual({ foreignKeys: keys });
    expect((await request("GET", "/indexes/gated/settings/foreign-keys")).body).toEqual(keys);
    expect((await request("GET", "/indexes/gated/settings")).body.foreignKeys).toEqual(keys);
    const notObject = await request("PUT", "/indexes/gated/settings/foreign-keys", ["x"]);
    expectError(notObject, 400, "invalid_settings_foreign_keys");
    expect(notObject.body.message).toBe(
      'Invalid value type at `[0]`: expected an object, but found a string: `"x"`',
    );
    const missing = await request("PUT", "/indexes/gated/settings/foreign-keys", [{}]);
    expectError(missing, 400, "invalid_settings_foreign_keys");
    expect(missing.body.message).toBe("Missing field `foreignIndexUid` inside `[0]`");
  });

  it("merges chat settings field by field, search parameters in Meilisearch's order", async () => {
    const { request, settle } = node();
    await features({ chatCompletions: true });
    const path = "/indexes/gated/settings/chat";
    await settle("PATCH", path, { description: "books", searchParameters: { limit: 5 } });
    const hybrid = await settle("PATCH", path, {
      searchParameters: { sort: ["year:desc"], hybrid: { embedder: "default" } },
    });
    expect(hybrid.details).toEqual({
      chat: {
        searchParameters: {
          hybrid: { semanticRatio: 0.5, embedder: "default" },
          sort: ["year:desc"],
        },
      },
    });
    expect((await request("GET", path)).body).toEqual({
      ...DEFAULT_CHAT,
      description: "books",
      searchParameters: {
        hybrid: { semanticRatio: 0.5, embedder: "default" },
        limit: 5,
        sort: ["year:desc"],
      },
    });
    await settle("PATCH", path, { searchParameters: { limit: null } });
    expect(Object.keys((await request("GET", path)).body.searchParameters)).toEqual([
      "hybrid",
      "sort",
    ]);
    await settle("PATCH", path, { searchParameters: null });
    expect((await request("GET", path)).body.searchParameters).toEqual({});
    await settle("DELETE", path);
    expect((await request("GET", path)).body).toEqual(DEFAULT_CHAT);
  });

  it("refuses malformed chat settings in the request, and a template that does not parse in the task", async () => {
    const { request, settle } = node();
    await features({ chatCompletions: true });
    const path = "/indexes/gated/settings/chat";
    for (const [body, message] of [
      [
        { nope: 1 },
        "Unknown field `nope`: expected one of `description`, `documentTemplate`, `documentTemplateMaxBytes`, `searchParameters`",
      ],
      [
        { searchParameters: { nope: 1 } },
        "Unknown field `nope` inside `.searchParameters`: expected one of `hybrid`, `limit`, `sort`, `distinct`, `matchingStrategy`, `attributesToSearchOn`, `rankingScoreThreshold`",
      ],
      [
        { searchParameters: { matchingStrategy: "x" } },
        "Unknown value `x` at `.searchParameters.matchingStrategy`: expected one of `last`, `all`, `frequency`",
      ],
      [
        { searchParameters: { hybrid: {} } },
        "Missing field `embedder` inside `.searchParameters.hybrid`",
      ],
      [
        { documentTemplateMaxBytes: -1 },
        "Invalid value type at `.documentTemplateMaxBytes`: expected a positive integer, but found a negative integer: `-1`",
      ],
    ] as const) {
      const answer = await request("PATCH", path, body);
      expectError(answer, 400, "invalid_settings_index_chat");
      expect(answer.body.message).toBe(message);
    }
    const unparsable = await settle("PATCH", path, { documentTemplate: "{{ doc.title" });
    expect(unparsable.error).toMatchObject({
      code: "invalid_chat_setting_document_template",
      message: expect.stringMatching(
        /^Index `gated`: `\.chat\.documentTemplate`: Invalid document template: user error: cannot parse template: /,
      ),
    });
    expect((await request("GET", path)).body.documentTemplate).toBe(DEFAULT_CHAT.documentTemplate);
  });
});
