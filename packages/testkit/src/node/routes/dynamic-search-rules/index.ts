import { meiliError } from "@miroir/errors";
import { type Context, Hono } from "hono";
import { type AccessEnv, authorize } from "../../auth/access.js";
import { requireFeature } from "../../feature-gate.js";
import { checkIndexUid } from "../../index-registry.js";
import type { NodeState } from "../../node-state.js";
import { page } from "../../query-params.js";
import { checkKnownFields, expectObject, invalidType, readJson } from "../../request-body.js";
import { patchedRule, readRulePatch } from "./search-rules.js";

/** The internal index Meilisearch files rule tasks under. */
const RULES_INDEX = ".meili_dsr";

function count(body: Record<string, unknown>, field: "offset" | "limit", fallback: number) {
  const value = body[field] ?? fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw invalidType(
      `invalid_dynamic_search_rule_${field}`,
      `.${field}`,
      "a positive integer",
      value,
    );
  }
  return value;
}

/** The list filter: `query` (in the uid or description, any case) and `active`. */
function readListFilter(raw: unknown) {
  if (raw === undefined || raw === null) return () => true;
  const code = "invalid_dynamic_search_rule_filter";
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw invalidType(code, ".filter", "an object", raw);
  }
  const filter = raw as Record<string, unknown>;
  checkKnownFields(filter, ["query", "active"], code, ".filter");
  if (filter.query !== undefined && typeof filter.query !== "string") {
    throw invalidType(
      "invalid_dynamic_search_rule_filter_query",
      ".filter.query",
      "a string",
      filter.query,
    );
  }
  if (filter.active !== undefined && typeof filter.active !== "boolean") {
    throw invalidType(
      "invalid_dynamic_search_rule_filter_active",
      ".filter.active",
      "a boolean",
      filter.active,
    );
  }
  const query = (filter.query as string | undefined)?.toLowerCase();
  return (rule: { uid: string; description?: string; active: boolean }) =>
    (query === undefined ||
      rule.uid.toLowerCase().includes(query) ||
      (rule.description ?? "").toLowerCase().includes(query)) &&
    (filter.active === undefined || rule.active === filter.active);
}

/**
 * `/dynamic-search-rules` (behind `dynamicSearchRules`): rules written through `dsrUpdate`
 * and `dsrClear` tasks filed under the `.meili_dsr` index, listed with `POST` (the most
 * recently written first), read one by
 * one. Searches apply their `pin` actions (see search-rules.ts for what the node evaluates).
 */
export function dynamicSearchRuleRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { keys, tasks, features, searchRules } = state;
  const gate = "Using the `/dynamic-search-rules` routes";

  // an invalid rule uid is refused as a path is: 404 with the message as plain text
  const ruleUid = (c: Context<AccessEnv>) => {
    const uid = c.req.param("rule") as string;
    try {
      return checkIndexUid(uid);
    } catch (error) {
      return c.text((error as Error).message, 404);
    }
  };

  app.post("/dynamic-search-rules", authorize(keys, "dynamicSearchRules.get"), async (c) => {
    requireFeature(
      features,
      "dynamicSearchRules",
      "Calling the `POST /dynamic-search-rules` route",
    );
    const body = expectObject(await readJson(c, state.payloadLimit));
    checkKnownFields(body, ["offset", "limit", "filter"]);
    const matches = readListFilter(body.filter);
    // the most recently written first
    const listed = [...searchRules.values()]
      .filter(matches)
      .sort((a, b) => (a.lastUpdatedAt < b.lastUpdatedAt ? 1 : -1));
    return c.json(page(listed, count(body, "offset", 0), count(body, "limit", 20)));
  });

  app.delete("/dynamic-search-rules", authorize(keys, "dynamicSearchRules.delete"), (c) => {
    requireFeature(features, "dynamicSearchRules", gate);
    const summary = tasks.enqueue("dsrClear", RULES_INDEX, { deletedDocuments: null }, () => {
      const deleted = searchRules.size;
      searchRules.clear();
      return { deletedDocuments: deleted };
    });
    return c.json(summary, 202);
  });

  app.get("/dynamic-search-rules/:rule", authorize(keys, "dynamicSearchRules.get"), (c) => {
    requireFeature(
      features,
      "dynamicSearchRules",
      "Calling the `GET /dynamic-search-rules/{:ruleUid}` route",
    );
    const uid = ruleUid(c);
    if (typeof uid !== "string") return uid;
    const rule = searchRules.get(uid);
    if (rule === undefined) {
      throw meiliError(
        "dynamic_search_rule_not_found",
        `Dynamic search rule \`${uid}\` not found.`,
      );
    }
    return c.json(rule);
  });

  app.patch(
    "/dynamic-search-rules/:rule",
    authorize(keys, "dynamicSearchRules.update"),
    async (c) => {
      requireFeature(features, "dynamicSearchRules", gate);
      const uid = ruleUid(c);
      if (typeof uid !== "string") return uid;
      const patch = readRulePatch(expectObject(await readJson(c, state.payloadLimit)));
      const summary = tasks.enqueue(
        "dsrUpdate",
        RULES_INDEX,
        { rule: patch, updatedRules: 1 },
        (task) => {
          searchRules.set(uid, patchedRule(uid, searchRules.get(uid), patch, task.enqueuedAt));
          return undefined;
        },
      );
      return c.json(summary, 202);
    },
  );

  app.delete("/dynamic-search-rules/:rule", authorize(keys, "dynamicSearchRules.delete"), (c) => {
    requireFeature(features, "dynamicSearchRules", gate);
    const uid = ruleUid(c);
    if (typeof uid !== "string") return uid;
    const summary = tasks.enqueue("dsrUpdate", RULES_INDEX, { updatedRules: 1 }, () => {
      searchRules.delete(uid);
      return undefined;
    });
    return c.json(summary, 202);
  });

  return app;
}
