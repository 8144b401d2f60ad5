/** One settings sub-route of Meilisearch: `/indexes/{uid}/settings/<route>`. */
export interface SettingRoute {
  /** The key in the settings object, e.g. `filterableAttributes`. */
  readonly name: string;
  /** The path segment, e.g. `filterable-attributes`. */
  readonly route: string;
  /** How Meilisearch updates it: lists and scalars are replaced, objects are merged. */
  readonly method: "PUT" | "PATCH";
}

const PUT = [
  "displayedAttributes",
  "searchableAttributes",
  "filterableAttributes",
  "sortableAttributes",
  "rankingRules",
  "stopWords",
  "nonSeparatorTokens",
  "separatorTokens",
  "dictionary",
  "synonyms",
  "distinctAttribute",
  "proximityPrecision",
  "searchCutoffMs",
  "localizedAttributes",
  "facetSearch",
  "prefixSearch",
  // Written only while the nodes' `foreignKeys` feature is on (their error otherwise).
  "foreignKeys",
];
// `chat`: the index's chat settings, written only while `chatCompletions` is on.
const PATCH = ["typoTolerance", "faceting", "pagination", "embedders", "chat"];

export const SETTING_ROUTES: readonly SettingRoute[] = [
  ...PUT.map((name) => ({ name, route: kebabCase(name), method: "PUT" as const })),
  ...PATCH.map((name) => ({ name, route: kebabCase(name), method: "PATCH" as const })),
];

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
