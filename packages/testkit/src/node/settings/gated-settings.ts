import { meiliError } from "@miroir/errors";
import { checkKnownFields, invalidType } from "../request-body.js";
import {
  childPath,
  count,
  fields,
  object,
  oneOf,
  type SettingReader,
  string,
  stringList,
} from "./setting-values.js";

/**
 * The settings Meilisearch 1.50 keeps behind an experimental feature: `foreignKeys`
 * (`foreignKeys`) and `chat` (`chatCompletions`). Their routes read them whatever the
 * switch, writes need it on, and `GET /settings` shows them only while it is on.
 */

function required(body: Record<string, unknown>, field: string, path: string, code: string) {
  if (body[field] === undefined) {
    const inside = path === "" ? "" : ` inside \`${path}\``;
    throw meiliError(code as "bad_request", `Missing field \`${field}\`${inside}`);
  }
}

/** `foreignKeys`: `[{ foreignIndexUid, fieldName }]`, both required. */
export const foreignKeys: SettingReader = (value, path, code) => {
  if (!Array.isArray(value)) throw invalidType(code, path, "an array", value);
  return value.map((item, i) => {
    const at = childPath(path, i);
    const entry = object(at, item, code);
    checkKnownFields(entry, ["foreignIndexUid", "fieldName"], code, at);
    required(entry, "foreignIndexUid", at, code);
    required(entry, "fieldName", at, code);
    return {
      foreignIndexUid: string(entry.foreignIndexUid, childPath(at, "foreignIndexUid"), code),
      fieldName: string(entry.fieldName, childPath(at, "fieldName"), code),
    };
  });
};

/** The search parameters of a chat, always listed in this order. */
const SEARCH_PARAMETERS = [
  "hybrid",
  "limit",
  "sort",
  "distinct",
  "matchingStrategy",
  "attributesToSearchOn",
  "rankingScoreThreshold",
];

const hybrid: SettingReader = (value, path, code) => {
  const body = object(path, value, code);
  checkKnownFields(body, ["semanticRatio", "embedder"], code, path);
  required(body, "embedder", path, code);
  const ratio = body.semanticRatio ?? 0.5;
  if (typeof ratio !== "number")
    throw invalidType(code, `${path}.semanticRatio`, "a number", ratio);
  return { semanticRatio: ratio, embedder: string(body.embedder, `${path}.embedder`, code) };
};

const threshold: SettingReader = (value, path, code) => {
  if (typeof value !== "number") throw invalidType(code, path, "a number", value);
  return value;
};

const searchParameterReaders = fields({
  hybrid,
  limit: count(),
  sort: stringList,
  distinct: string,
  matchingStrategy: oneOf(["last", "all", "frequency"]),
  attributesToSearchOn: stringList,
  rankingScoreThreshold: threshold,
});

/** Search parameters in Meilisearch's order; `null` ones reset (are dropped) on merge. */
export function orderedSearchParameters(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    SEARCH_PARAMETERS.filter((name) => value[name] !== undefined).map((name) => [
      name,
      value[name],
    ]),
  );
}

/** `chat`: how a chat workspace describes and searches the index. */
export const chat: SettingReader = (value, path, code) => {
  const read = fields({
    description: string,
    documentTemplate: string,
    documentTemplateMaxBytes: count(),
    searchParameters: (params, at, c) =>
      orderedSearchParameters(searchParameterReaders(params, at, c) as Record<string, unknown>),
  })(value, path, code);
  return read;
};

/**
 * The check Meilisearch's Liquid parser makes of a chat document template, as far as the
 * emulated node goes: every `{{` and `{%` must be closed. (The node does not render
 * Liquid, so a template that parses but fails to render is not caught here.)
 */
export function unclosedTag(template: string): boolean {
  const opening = /\{\{|\{%/g;
  for (let match = opening.exec(template); match !== null; match = opening.exec(template)) {
    const closing = match[0] === "{{" ? "}}" : "%}";
    const end = template.indexOf(closing, match.index + 2);
    if (end === -1) return true;
    opening.lastIndex = end + 2;
  }
  return false;
}
