import { type ErrorCode, meiliError } from "@miroir/errors";
import type { SearchPin } from "../../../engine/index.js";
import { checkKnownFields, invalidType } from "../../request-body.js";

/** A dynamic search rule in Meilisearch 1.50's shape (`GET /dynamic-search-rules/{uid}`). */
export interface SearchRule {
  uid: string;
  description?: string;
  lastUpdatedAt: string;
  precedence?: number;
  active: boolean;
  conditions: Record<string, unknown>;
  actions: RuleAction[];
}

export interface RuleAction {
  selector: { indexUid?: string; id: string };
  action: { type: "pin"; position: number };
}

/** A rule change as a `PATCH` gives it: only the fields it names. */
export type RulePatch = Partial<Omit<SearchRule, "uid" | "lastUpdatedAt">>;

const CONDITIONS: ErrorCode = "invalid_dynamic_search_rule_conditions";
const ACTIONS: ErrorCode = "invalid_dynamic_search_rule_actions";

function record(value: unknown, path: string, code: ErrorCode): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidType(code, path, "an object", value);
  }
  return value as Record<string, unknown>;
}

function required(body: Record<string, unknown>, field: string, path: string, code: ErrorCode) {
  if (body[field] === undefined) {
    throw meiliError(code, `Missing field \`${field}\` inside \`${path}\``);
  }
}

function readConditions(value: unknown): Record<string, unknown> {
  const conditions = record(value, ".conditions", CONDITIONS);
  checkKnownFields(conditions, ["time", "query", "filter"], CONDITIONS, ".conditions");
  const read: Record<string, unknown> = {};
  if (conditions.time !== undefined) {
    const time = record(conditions.time, ".conditions.time", CONDITIONS);
    checkKnownFields(time, ["start", "end"], CONDITIONS, ".conditions.time");
    for (const bound of ["start", "end"]) {
      const at = time[bound];
      if (at !== undefined && (typeof at !== "string" || Number.isNaN(Date.parse(at)))) {
        throw invalidType(CONDITIONS, `.conditions.time.${bound}`, "a date-time", at);
      }
    }
    read.time = time;
  }
  if (conditions.query !== undefined) {
    const query = record(conditions.query, ".conditions.query", CONDITIONS);
    checkKnownFields(query, ["isEmpty", "words"], CONDITIONS, ".conditions.query");
    if (query.isEmpty !== undefined && typeof query.isEmpty !== "boolean") {
      throw invalidType(CONDITIONS, ".conditions.query.isEmpty", "a boolean", query.isEmpty);
    }
    if (query.words !== undefined && typeof query.words !== "string") {
      throw invalidType(CONDITIONS, ".conditions.query.words", "a string", query.words);
    }
    read.query = query;
  }
  if (conditions.filter !== undefined) {
    read.filter = { values: record(conditions.filter, ".conditions.filter", CONDITIONS) };
  }
  return read;
}

function readActions(value: unknown): RuleAction[] {
  if (!Array.isArray(value)) throw invalidType(ACTIONS, ".actions", "an array", value);
  return value.map((item, i) => {
    const path = `.actions[${i}]`;
    const entry = record(item, path, ACTIONS);
    checkKnownFields(entry, ["selector", "action"], ACTIONS, path);
    required(entry, "selector", path, ACTIONS);
    required(entry, "action", path, ACTIONS);
    const selector = record(entry.selector, `${path}.selector`, ACTIONS);
    checkKnownFields(selector, ["indexUid", "id"], ACTIONS, `${path}.selector`);
    required(selector, "id", `${path}.selector`, ACTIONS);
    const action = record(entry.action, `${path}.action`, ACTIONS);
    if (action.type !== "pin") {
      throw meiliError(ACTIONS, `Invalid value at \`${path}.action\`: Incorrect tag value`);
    }
    const position = action.position;
    if (typeof position !== "number" || !Number.isInteger(position) || position < 0) {
      throw invalidType(ACTIONS, `${path}.action.position`, "a positive integer", position);
    }
    return {
      selector: {
        ...(selector.indexUid === undefined ? {} : { indexUid: String(selector.indexUid) }),
        id: String(selector.id),
      },
      action: { type: "pin", position },
    };
  });
}

/** Validates a `PATCH /dynamic-search-rules/{uid}` body with Meilisearch's codes. */
export function readRulePatch(raw: Record<string, unknown>): RulePatch {
  checkKnownFields(raw, ["description", "precedence", "active", "conditions", "actions"]);
  const patch: RulePatch = {};
  if (raw.description !== undefined && raw.description !== null) {
    if (typeof raw.description !== "string") {
      throw invalidType(
        "invalid_dynamic_search_rule_description",
        ".description",
        "a string",
        raw.description,
      );
    }
    patch.description = raw.description;
  }
  if (raw.precedence !== undefined && raw.precedence !== null) {
    const precedence = raw.precedence;
    if (typeof precedence !== "number" || !Number.isInteger(precedence) || precedence < 0) {
      throw invalidType("bad_request", ".precedence", "a positive integer", precedence);
    }
    patch.precedence = precedence;
  }
  if (raw.active !== undefined && raw.active !== null) {
    if (typeof raw.active !== "boolean") {
      throw invalidType("invalid_dynamic_search_rule_active", ".active", "a boolean", raw.active);
    }
    patch.active = raw.active;
  }
  if (raw.conditions !== undefined && raw.conditions !== null) {
    patch.conditions = readConditions(raw.conditions);
  }
  if (raw.actions !== undefined && raw.actions !== null) patch.actions = readActions(raw.actions);
  return patch;
}

/** A rule after a patch, in Meilisearch's key order (absent optional fields left out). */
export function patchedRule(
  uid: string,
  current: SearchRule | undefined,
  patch: RulePatch,
  at: string,
): SearchRule {
  const merged = { active: true, conditions: {}, actions: [], ...current, ...patch };
  return {
    uid,
    ...(merged.description === undefined ? {} : { description: merged.description }),
    lastUpdatedAt: at,
    ...(merged.precedence === undefined ? {} : { precedence: merged.precedence }),
    active: merged.active,
    conditions: merged.conditions,
    actions: merged.actions,
  };
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "");
}

/**
 * Whether a rule applies to a search now: active, within its time window, and its query
 * condition met (`isEmpty`, or every word of `words` among the query's words). Rules with
 * a `filter` condition never apply on the emulated node.
 */
function applies(rule: SearchRule, q: string, now: number): boolean {
  if (!rule.active || rule.conditions.filter !== undefined) return false;
  const time = rule.conditions.time as { start?: string; end?: string } | undefined;
  if (time?.start !== undefined && now < Date.parse(time.start)) return false;
  if (time?.end !== undefined && now > Date.parse(time.end)) return false;
  const query = rule.conditions.query as { isEmpty?: boolean; words?: string } | undefined;
  if (query?.isEmpty !== undefined && query.isEmpty !== (q.trim() === "")) return false;
  if (query?.words !== undefined) {
    const asked = new Set(words(q));
    if (!words(query.words).every((word) => asked.has(word))) return false;
  }
  return true;
}

/**
 * The documents the applicable rules pin in a search of `indexUid`, rules taken by
 * precedence (lowest first, then in creation order), actions in their order.
 */
export function pinsFor(
  rules: Iterable<SearchRule>,
  indexUid: string,
  q: string,
  now = Date.now(),
): SearchPin[] {
  const applicable = [...rules]
    .map((rule, order) => ({ rule, order }))
    .filter(({ rule }) => applies(rule, q, now))
    .sort(
      (a, b) =>
        (a.rule.precedence ?? Number.MAX_SAFE_INTEGER) -
          (b.rule.precedence ?? Number.MAX_SAFE_INTEGER) || a.order - b.order,
    );
  return applicable.flatMap(({ rule }) =>
    rule.actions
      .filter((action) => (action.selector.indexUid ?? indexUid) === indexUid)
      .map((action) => ({ id: action.selector.id, position: action.action.position })),
  );
}
