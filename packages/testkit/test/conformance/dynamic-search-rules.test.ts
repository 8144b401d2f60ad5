import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, type Json, useNode } from "./node-under-test.js";

const node = useNode();

async function rulesFeature(enabled: boolean) {
  const answer = await node().request("PATCH", "/experimental-features", {
    dynamicSearchRules: enabled,
  });
  expect(answer.status).toBe(200);
}

const ids = (answer: Json): number[] => answer.body.hits.map((hit: { id: number }) => hit.id);

describe("dynamic search rules", () => {
  beforeAll(async () => {
    await node().settle("POST", "/indexes/shop/documents", [
      { id: 1, title: "alpha" },
      { id: 2, title: "beta" },
      { id: 3, title: "gamma" },
      { id: 4, title: "delta" },
    ]);
  });
  afterAll(async () => {
    await rulesFeature(true);
    await node().settle("DELETE", "/dynamic-search-rules");
    await rulesFeature(false);
  });

  it("refuses every route while dynamicSearchRules is off", async () => {
    const { request } = node();
    await rulesFeature(false);
    const list = await request("POST", "/dynamic-search-rules", {});
    expectError(list, 400, "feature_not_enabled");
    expect(list.body.message).toBe(
      "Calling the `POST /dynamic-search-rules` route requires enabling the `dynamic search rules` experimental feature. See https://github.com/orgs/meilisearch/discussions/884",
    );
    const one = await request("GET", "/dynamic-search-rules/promo");
    expect(one.body.message).toMatch(
      /^Calling the `GET \/dynamic-search-rules\/\{:ruleUid\}` route/,
    );
    for (const method of ["PATCH", "DELETE"]) {
      const answer = await request(method, "/dynamic-search-rules/promo", {});
      expectError(answer, 400, "feature_not_enabled");
      expect(answer.body.message).toMatch(/^Using the `\/dynamic-search-rules` routes requires/);
    }
  });

  it("writes a rule through a dsrUpdate task on .meili_dsr, and merges later changes", async () => {
    const { request, settle, waitForTask } = node();
    await rulesFeature(true);
    const enqueued = await request("PATCH", "/dynamic-search-rules/promo", {});
    expect(enqueued.body).toMatchObject({
      indexUid: ".meili_dsr",
      status: "enqueued",
      type: "dsrUpdate",
    });
    const task = await waitForTask(enqueued.body.taskUid);
    expect(task.details).toEqual({ rule: {}, updatedRules: 1 });
    expect((await request("GET", "/dynamic-search-rules/promo")).body).toEqual({
      uid: "promo",
      lastUpdatedAt: task.enqueuedAt,
      active: true,
      conditions: {},
      actions: [],
    });
    const action = {
      selector: { indexUid: "shop", id: "3" },
      action: { type: "pin", position: 0 },
    };
    const full = await settle("PATCH", "/dynamic-search-rules/promo", {
      description: "Promoted",
      precedence: 2,
      conditions: { query: { isEmpty: true } },
      actions: [action],
    });
    expect(full.details.rule).toEqual({
      description: "Promoted",
      precedence: 2,
      conditions: { query: { isEmpty: true } },
      actions: [action],
    });
    const paused = await settle("PATCH", "/dynamic-search-rules/promo", { active: false });
    const rule = (await request("GET", "/dynamic-search-rules/promo")).body;
    expect(Object.keys(rule)).toEqual([
      "uid",
      "description",
      "lastUpdatedAt",
      "precedence",
      "active",
      "conditions",
      "actions",
    ]);
    expect(rule).toMatchObject({
      lastUpdatedAt: paused.enqueuedAt,
      active: false,
      actions: [action],
    });
    expectError(
      await request("GET", "/dynamic-search-rules/nothing"),
      404,
      "dynamic_search_rule_not_found",
    );
    // an invalid uid is refused like a bad path: 404 and the message as plain text
    const { node: n, masterKey } = node();
    const badUid = await fetch(`${n.address}/dynamic-search-rules/a%20b`, {
      headers: { authorization: `Bearer ${masterKey}` },
    });
    expect(badUid.status).toBe(404);
    expect(await badUid.text()).toMatch(/^`a b` is not a valid index uid/);
  });

  it("validates rules with Meilisearch's codes", async () => {
    const { request } = node();
    await rulesFeature(true);
    const cases: [unknown, string, string][] = [
      [
        { nope: 1 },
        "bad_request",
        "Unknown field `nope`: expected one of `description`, `precedence`, `active`, `conditions`, `actions`",
      ],
      [
        { conditions: { nope: 1 } },
        "invalid_dynamic_search_rule_conditions",
        "Unknown field `nope` inside `.conditions`: expected one of `time`, `query`, `filter`",
      ],
      [
        { conditions: { query: { nope: 1 } } },
        "invalid_dynamic_search_rule_conditions",
        "Unknown field `nope` inside `.conditions.query`: expected one of `isEmpty`, `words`",
      ],
      [
        { conditions: { query: { words: ["deal"] } } },
        "invalid_dynamic_search_rule_conditions",
        'Invalid value type at `.conditions.query.words`: expected a string, but found an array: `["deal"]`',
      ],
      [
        { actions: [{}] },
        "invalid_dynamic_search_rule_actions",
        "Missing field `selector` inside `.actions[0]`",
      ],
      [
        { actions: [{ selector: {}, action: {} }] },
        "invalid_dynamic_search_rule_actions",
        "Missing field `id` inside `.actions[0].selector`",
      ],
      [
        { actions: [{ selector: { id: "1" }, action: { type: "boost" } }] },
        "invalid_dynamic_search_rule_actions",
        "Invalid value at `.actions[0].action`: Incorrect tag value",
      ],
    ];
    for (const [body, code, message] of cases) {
      const answer = await request("PATCH", "/dynamic-search-rules/promo", body);
      expectError(answer, 400, code);
      expect(answer.body.message).toBe(message);
    }
    expectError(
      await request("POST", "/dynamic-search-rules", { limit: -1 }),
      400,
      "invalid_dynamic_search_rule_limit",
    );
    expectError(
      await request("POST", "/dynamic-search-rules", { filter: { nope: 1 } }),
      400,
      "invalid_dynamic_search_rule_filter",
    );
  });

  it("lists rules most recently written first, filtered by the uid or description and by state", async () => {
    const { request, settle } = node();
    await rulesFeature(true);
    await settle("PATCH", "/dynamic-search-rules/black-friday", {
      description: "Black Friday deals",
    });
    const all = await request("POST", "/dynamic-search-rules", {});
    expect(all.body.results.map((rule: { uid: string }) => rule.uid)).toEqual([
      "black-friday",
      "promo",
    ]);
    expect(all.body).toMatchObject({ offset: 0, limit: 20, total: 2 });
    const second = await request("POST", "/dynamic-search-rules", { offset: 1, limit: 1 });
    expect(second.body.results.map((rule: { uid: string }) => rule.uid)).toEqual(["promo"]);
    for (const query of ["friday", "DEALS", "black-fri"]) {
      const found = await request("POST", "/dynamic-search-rules", { filter: { query } });
      expect(found.body.total).toBe(1);
    }
    const inactive = await request("POST", "/dynamic-search-rules", { filter: { active: false } });
    expect(inactive.body.results.map((rule: { uid: string }) => rule.uid)).toEqual(["promo"]);
  });

  it("pins documents in the searches whose query meets a rule's conditions", async () => {
    const { request, settle } = node();
    await rulesFeature(true);
    await settle("PATCH", "/dynamic-search-rules/promo", { active: true });
    const placeholder = await request("POST", "/indexes/shop/search", {});
    expect(ids(placeholder)).toEqual([3, 1, 2, 4]);
    await settle("PATCH", "/dynamic-search-rules/black-friday", {
      conditions: { query: { words: "deal" } },
      actions: [{ selector: { indexUid: "shop", id: "4" }, action: { type: "pin", position: 1 } }],
    });
    const deal = await request("POST", "/indexes/shop/search", {
      q: "alpha deal",
      showRankingScore: true,
      showRankingScoreDetails: true,
    });
    expect(ids(deal)).toEqual([1, 4]);
    expect(deal.body.estimatedTotalHits).toBe(2);
    expect(deal.body.hits[1]).toMatchObject({
      _rankingScore: 1,
      _rankingScoreDetails: { pin: { order: 0, position: 1 } },
    });
    expect(ids(await request("POST", "/indexes/shop/search", { q: "alpha deals" }))).toEqual([1]);
    await settle("PATCH", "/dynamic-search-rules/black-friday", {
      conditions: { query: { words: "deal" }, time: { end: "2001-01-01T00:00:00Z" } },
    });
    expect(ids(await request("POST", "/indexes/shop/search", { q: "alpha deal" }))).toEqual([1]);
  });

  it("deletes one rule with a dsrUpdate task and all of them with dsrClear", async () => {
    const { request, settle } = node();
    await rulesFeature(true);
    const one = await settle("DELETE", "/dynamic-search-rules/promo");
    expect(one).toMatchObject({ type: "dsrUpdate", details: { updatedRules: 1 } });
    expectError(
      await request("GET", "/dynamic-search-rules/promo"),
      404,
      "dynamic_search_rule_not_found",
    );
    const all = await settle("DELETE", "/dynamic-search-rules");
    expect(all).toMatchObject({
      indexUid: ".meili_dsr",
      type: "dsrClear",
      details: { deletedDocuments: 1 },
    });
    expect((await request("POST", "/dynamic-search-rules", {})).body.total).toBe(0);
    expect(ids(await request("POST", "/indexes/shop/search", {}))).toEqual([1, 2, 3, 4]);
  });
});
