import { Hono } from "hono";
import { anyPatternCovers } from "../../../engine/index.js";
import { type AccessEnv, authorize, invalidApiKey } from "../../auth/access.js";
import { checkIndexUid } from "../../index-registry.js";
import type { NodeState } from "../../node-state.js";
import { checkKnownFields, expectObject, invalidType, readJson } from "../../request-body.js";
import { fieldNames, type IndexField, indexField } from "./index-fields.js";

const FILTER_FIELDS = [
  "attributePatterns",
  "displayed",
  "searchable",
  "sortable",
  "distinct",
  "rankingRule",
  "filterable",
] as const;

type FieldsFilter = Partial<
  Record<Exclude<(typeof FILTER_FIELDS)[number], "attributePatterns">, boolean>
> & {
  attributePatterns?: string[];
};

/** `POST /indexes/{uid}/fields`: the index's fields with what the settings make of them. */
export function fieldRoutes(state: NodeState): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const { indexes, keys } = state;

  app.post("/indexes/:indexUid/fields", authorize(keys, "fields.post"), async (c) => {
    const indexUid = checkIndexUid(c.req.param("indexUid"));
    if (!c.var.access.allows(indexUid)) throw invalidApiKey();
    const body = expectObject(await readJson(c, state.payloadLimit));
    checkKnownFields(body, ["offset", "limit", "filter"]);
    const offset = count(body.offset, 0, "invalid_index_offset", "offset");
    const limit = count(body.limit, 20, "invalid_index_limit", "limit");
    const filter = readFilter(body.filter);
    const index = indexes.get(indexUid);
    const fields = fieldNames(index.documents.values())
      .map((name) => indexField(name, index.settings))
      .filter((field) => matches(field, filter));
    return c.json({
      results: fields.slice(offset, offset + limit),
      offset,
      limit,
      total: fields.length,
    });
  });

  return app;
}

function count(
  value: unknown,
  fallback: number,
  code: "invalid_index_offset" | "invalid_index_limit",
  name: string,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw invalidType(code, `.${name}`, "a positive integer", value);
  }
  return value;
}

function readFilter(raw: unknown): FieldsFilter {
  if (raw === undefined || raw === null) return {};
  const filter = expectObject(raw, "invalid_index_fields_filter");
  checkKnownFields(filter, FILTER_FIELDS, "invalid_index_fields_filter");
  const read: FieldsFilter = {};
  for (const name of FILTER_FIELDS) {
    const value = filter[name];
    if (value === undefined || value === null) continue;
    if (name === "attributePatterns") {
      if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
        throw invalidType(
          "invalid_index_fields_filter_attribute_patterns",
          ".filter.attributePatterns",
          "an array of strings",
          value,
        );
      }
      read.attributePatterns = value;
    } else if (typeof value !== "boolean") {
      throw invalidType(
        `invalid_index_fields_filter_${snakeCase(name)}` as "invalid_index_fields_filter",
        `.filter.${name}`,
        "a boolean",
        value,
      );
    } else {
      read[name] = value;
    }
  }
  return read;
}

function matches(field: IndexField, filter: FieldsFilter): boolean {
  if (
    filter.attributePatterns !== undefined &&
    !anyPatternCovers(filter.attributePatterns, field.name)
  ) {
    return false;
  }
  const wanted: [boolean | undefined, boolean][] = [
    [filter.displayed, field.displayed.enabled],
    [filter.searchable, field.searchable.enabled],
    [filter.sortable, field.sortable.enabled],
    [filter.distinct, field.distinct.enabled],
    [filter.rankingRule, field.rankingRule.enabled],
    [filter.filterable, field.filterable.enabled],
  ];
  return wanted.every(([want, actual]) => want === undefined || want === actual);
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
