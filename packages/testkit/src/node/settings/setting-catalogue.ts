import type { ErrorCode } from "@miroir/errors";
import { meiliError } from "@miroir/errors";
import { readEmbedder } from "../../engine/index.js";
import { chat, foreignKeys } from "./gated-settings.js";
import {
  attributeList,
  boolean,
  childPath,
  count,
  fields,
  nullable,
  object,
  oneOf,
  type SettingReader,
  string,
  stringList,
  stringSet,
} from "./setting-values.js";

const RULE_NAMES = [
  "words",
  "typo",
  "proximity",
  "attribute",
  "attributeRank",
  "wordPosition",
  "sort",
  "exactness",
];

const rankingRules: SettingReader = (value, path, code) => {
  const rules = stringList(value, path, code) as string[];
  rules.forEach((rule, i) => {
    if (!RULE_NAMES.includes(rule) && !/^[^:\s]+:(asc|desc)$/.test(rule)) {
      throw meiliError(
        code,
        `Invalid value at \`${childPath(path, i)}\`: \`${rule}\` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.`,
      );
    }
  });
  return rules;
};

const filterableAttributes: SettingReader = (value, path, code) => {
  if (!Array.isArray(value)) return stringList(value, path, code);
  return value.map((rule, i) => {
    if (typeof rule === "string") return rule;
    return fields({
      attributePatterns: stringList,
      features: fields({
        facetSearch: boolean,
        filter: fields({ equality: boolean, comparison: boolean }),
      }),
    })(rule, childPath(path, i), code);
  });
};

const synonyms: SettingReader = (value, path, code) => {
  const body = object(path, value, code);
  const sorted: Record<string, string[]> = {};
  for (const word of Object.keys(body).sort()) {
    sorted[word] = stringList(body[word], childPath(path, word), code) as string[];
  }
  return sorted;
};

const sortFacetValuesBy: SettingReader = (value, path, code) => {
  const body = object(path, value, code);
  const order = oneOf(["alpha", "count"]);
  const out: Record<string, unknown> = {};
  for (const [facet, how] of Object.entries(body))
    out[facet] = order(how, childPath(path, facet), code);
  return out;
};

const minWordSizeForTypos: SettingReader = (value, path, code) => {
  const sizes = fields({ oneTypo: count(255), twoTypos: count(255) })(value, path, code) as {
    oneTypo?: number | null;
    twoTypos?: number | null;
  };
  // a pair given together is checked at once; one size alone is checked by the task
  if (typeof sizes.oneTypo === "number" && typeof sizes.twoTypos === "number") {
    const invalid = typoSizesError(sizes.oneTypo, sizes.twoTypos);
    if (invalid !== undefined) {
      throw meiliError(code, `Invalid value at \`${path}\`: ${invalid}`);
    }
  }
  return sizes;
};

/** Meilisearch's complaint about two typo sizes, or undefined when they are in order. */
export function typoSizesError(oneTypo: number, twoTypos: number): string | undefined {
  if (oneTypo <= twoTypos) return undefined;
  return `\`minWordSizeForTypos\` setting is invalid. \`oneTypo\` and \`twoTypos\` fields should be between \`0\` and \`255\`, and \`twoTypos\` should be greater or equals to \`oneTypo\` but found \`oneTypo: ${oneTypo}\` and twoTypos: ${twoTypos}\`.`;
}

const typoTolerance = fields({
  enabled: boolean,
  minWordSizeForTypos,
  disableOnWords: stringSet,
  disableOnAttributes: stringSet,
  disableOnNumbers: boolean,
});

const localizedAttributes: SettingReader = (value, path, code) => {
  if (!Array.isArray(value)) return stringList(value, path, code);
  return value.map((rule, i) =>
    fields({ attributePatterns: stringList, locales: stringList })(rule, childPath(path, i), code),
  );
};

const embedders: SettingReader = (value, path, code) => {
  const body = object(path, value, code);
  const read: Record<string, unknown> = {};
  for (const [name, embedder] of Object.entries(body)) read[name] = readEmbedder(name, embedder);
  return read;
};

/** The experimental feature a setting needs to be written, and how Meilisearch names it. */
export interface SettingFeature {
  name: "foreignKeys" | "chatCompletions";
  label: string;
  discussion: string;
}

/** One index setting: its JSON name, route, update method and how its value is read. */
export interface SettingSpec {
  name: string;
  route: string;
  method: "put" | "patch";
  code: ErrorCode;
  read: SettingReader;
  feature?: SettingFeature;
}

function spec(
  name: string,
  method: "put" | "patch",
  read: SettingReader,
  extra: { code?: ErrorCode; feature?: SettingFeature } = {},
): SettingSpec {
  const route = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const code = extra.code ?? (`invalid_settings_${route.replaceAll("-", "_")}` as ErrorCode);
  return { name, route, method, code, read, ...(extra.feature ? { feature: extra.feature } : {}) };
}

/** Every setting in the order `GET /settings` answers them. */
export const SETTINGS: readonly SettingSpec[] = [
  spec("displayedAttributes", "put", attributeList),
  spec("searchableAttributes", "put", attributeList),
  spec("filterableAttributes", "put", filterableAttributes),
  spec("sortableAttributes", "put", stringSet),
  spec("foreignKeys", "put", foreignKeys, {
    feature: {
      name: "foreignKeys",
      label: "foreign_keys",
      discussion: "https://github.com/orgs/meilisearch/discussions/873",
    },
  }),
  spec("rankingRules", "put", rankingRules),
  spec("stopWords", "put", stringSet),
  spec("nonSeparatorTokens", "put", stringSet),
  spec("separatorTokens", "put", stringSet),
  spec("dictionary", "put", stringSet),
  spec("synonyms", "put", synonyms),
  spec("distinctAttribute", "put", nullable(string)),
  spec("proximityPrecision", "put", oneOf(["byWord", "byAttribute"])),
  spec("typoTolerance", "patch", typoTolerance),
  spec(
    "faceting",
    "patch",
    fields({ maxValuesPerFacet: count(), sortFacetValuesBy: sortFacetValuesBy }),
  ),
  spec("pagination", "patch", fields({ maxTotalHits: count() })),
  spec("embedders", "patch", embedders),
  spec("searchCutoffMs", "put", count()),
  spec("localizedAttributes", "put", localizedAttributes),
  spec("facetSearch", "put", boolean),
  spec("prefixSearch", "put", oneOf(["indexingTime", "disabled"])),
  spec("chat", "patch", chat, {
    code: "invalid_settings_index_chat",
    feature: {
      name: "chatCompletions",
      label: "chat completions",
      discussion: "https://github.com/orgs/meilisearch/discussions/835",
    },
  }),
];
