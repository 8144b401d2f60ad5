import { describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";

const node = useNode();

const DEFAULTS = {
  displayedAttributes: ["*"],
  searchableAttributes: ["*"],
  filterableAttributes: [],
  sortableAttributes: [],
  rankingRules: [
    "words",
    "typo",
    "proximity",
    "attributeRank",
    "sort",
    "wordPosition",
    "exactness",
  ],
  stopWords: [],
  nonSeparatorTokens: [],
  separatorTokens: [],
  dictionary: [],
  synonyms: {},
  distinctAttribute: null,
  proximityPrecision: "byWord",
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    disableOnWords: [],
    disableOnAttributes: [],
    disableOnNumbers: false,
  },
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
  pagination: { maxTotalHits: 1000 },
  embedders: {},
  searchCutoffMs: null,
  localizedAttributes: null,
  facetSearch: true,
  prefixSearch: "indexingTime",
};

/** Each sub-route with a valid value, the method Meilisearch takes, and a bad value. */
const SUB_ROUTES: [string, string, "PUT" | "PATCH", unknown, unknown][] = [
  ["displayedAttributes", "displayed-attributes", "PUT", ["title"], "title"],
  ["searchableAttributes", "searchable-attributes", "PUT", ["title", "body"], [1]],
  ["filterableAttributes", "filterable-attributes", "PUT", ["genre"], "genre"],
  ["sortableAttributes", "sortable-attributes", "PUT", ["price", "date"], { a: 1 }],
  ["rankingRules", "ranking-rules", "PUT", ["words", "price:desc"], ["fastest"]],
  ["stopWords", "stop-words", "PUT", ["the", "a"], [true]],
  ["nonSeparatorTokens", "non-separator-tokens", "PUT", ["#"], "#"],
  ["separatorTokens", "separator-tokens", "PUT", ["|"], 1],
  ["dictionary", "dictionary", "PUT", ["J. R. R."], [null]],
  ["synonyms", "synonyms", "PUT", { car: ["auto"] }, { car: "auto" }],
  ["distinctAttribute", "distinct-attribute", "PUT", "sku", 3],
  ["proximityPrecision", "proximity-precision", "PUT", "byAttribute", "byLetter"],
  ["typoTolerance", "typo-tolerance", "PATCH", { enabled: false }, { enabled: "no" }],
  ["faceting", "faceting", "PATCH", { maxValuesPerFacet: 10 }, { maxValuesPerFacet: -1 }],
  ["pagination", "pagination", "PATCH", { maxTotalHits: 50 }, { maxTotalHits: "all" }],
  ["embedders", "embedders", "PATCH", {}, []],
  ["searchCutoffMs", "search-cutoff-ms", "PUT", 150, -5],
  [
    "localizedAttributes",
    "localized-attributes",
    "PUT",
    [{ attributePatterns: ["*_ja"], locales: ["jpn"] }],
    [{ attributePatterns: "x" }],
  ],
  ["facetSearch", "facet-search", "PUT", false, "off"],
  ["prefixSearch", "prefix-search", "PUT", "disabled", "sometimes"],
];

describe("settings", () => {
  it("answers Meilisearch's defaults on a new index, in Meilisearch's key order", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes", { uid: "defaults" });
    const answer = await request("GET", "/indexes/defaults/settings");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(DEFAULTS);
    expect(Object.keys(answer.body)).toEqual(Object.keys(DEFAULTS));
  });

  it("applies a PATCH through a settingsUpdate task and returns the values as stored", async () => {
    const { request, settle } = node();
    const task = await settle("PATCH", "/indexes/patched/settings", {
      filterableAttributes: ["genre", "year"],
      sortableAttributes: ["year", "title"],
      typoTolerance: { minWordSizeForTypos: { oneTypo: 4 } },
      faceting: { sortFacetValuesBy: { genre: "count" } },
    });
    expect(task).toMatchObject({
      type: "settingsUpdate",
      status: "succeeded",
      indexUid: "patched",
      details: { filterableAttributes: ["genre", "year"] },
    });
    const settings = (await request("GET", "/indexes/patched/settings")).body;
    expect(settings.filterableAttributes).toEqual(["genre", "year"]);
    expect(settings.sortableAttributes).toEqual(["title", "year"]);
    expect(settings.typoTolerance.minWordSizeForTypos).toEqual({ oneTypo: 4, twoTypos: 9 });
    expect(settings.faceting).toEqual({
      maxValuesPerFacet: 100,
      sortFacetValuesBy: { "*": "alpha", genre: "count" },
    });

    await settle("PATCH", "/indexes/patched/settings", { filterableAttributes: null });
    expect((await request("GET", "/indexes/patched/settings")).body.filterableAttributes).toEqual(
      [],
    );
    await settle("DELETE", "/indexes/patched/settings");
    expect((await request("GET", "/indexes/patched/settings")).body).toEqual(DEFAULTS);
  });

  it.each(SUB_ROUTES)(
    "stores, returns and resets %s through its own route",
    async (name, route, method, value, bad) => {
      const { request, settle } = node();
      const path = `/indexes/sub-routes/settings/${route}`;
      const task = await settle(method, path, value);
      expect(task).toMatchObject({ status: "succeeded", type: "settingsUpdate" });
      const stored = await request("GET", path);
      expect(stored.status).toBe(200);
      const expected =
        name === "sortableAttributes" || name === "stopWords"
          ? [...(value as string[])].sort()
          : method === "PATCH" && name !== "embedders"
            ? { ...((DEFAULTS as Record<string, unknown>)[name] as object), ...(value as object) }
            : value;
      expect(stored.body).toEqual(expected);

      const code = `invalid_settings_${route.replaceAll("-", "_")}`;
      expectError(await request(method, path, bad), 400, code);
      expectError(
        await request("PATCH", "/indexes/sub-routes/settings", { [name]: bad }),
        400,
        code,
      );

      await settle("DELETE", path);
      expect((await request("GET", path)).body).toEqual(
        (DEFAULTS as Record<string, unknown>)[name],
      );
    },
  );

  it("rejects unknown settings, wrong ranking rules and inconsistent typo sizes", async () => {
    const { request } = node();
    expectError(
      await request("PATCH", "/indexes/x/settings", { colour: "red" }),
      400,
      "bad_request",
    );
    expectError(
      await request("PATCH", "/indexes/x/settings", { typoTolerance: { sometimes: true } }),
      400,
      "invalid_settings_typo_tolerance",
    );
    expectError(await request("GET", "/indexes/nothing-here/settings"), 404, "index_not_found");
    expectError(
      await request("GET", "/indexes/nothing-here/settings/ranking-rules"),
      404,
      "index_not_found",
    );
  });

  it("refuses oneTypo above twoTypos in one request, and fails the task when updates cross them", async () => {
    const { request, settle } = node();
    await settle("POST", "/indexes", { uid: "typo-sizes" });
    const direct = await request("PATCH", "/indexes/typo-sizes/settings", {
      typoTolerance: { minWordSizeForTypos: { oneTypo: 9, twoTypos: 5 } },
    });
    expectError(direct, 400, "invalid_settings_typo_tolerance");
    expect(direct.body.message).toBe(
      "Invalid value at `.typoTolerance.minWordSizeForTypos`: `minWordSizeForTypos` setting is invalid. `oneTypo` and `twoTypos` fields should be between `0` and `255`, and `twoTypos` should be greater or equals to `oneTypo` but found `oneTypo: 9` and twoTypos: 5`.",
    );
    const tooLarge = await request("PATCH", "/indexes/typo-sizes/settings/typo-tolerance", {
      minWordSizeForTypos: { oneTypo: 300 },
    });
    expectError(tooLarge, 400, "invalid_settings_typo_tolerance");
    expect(tooLarge.body.message).toBe(
      "Invalid value at `.minWordSizeForTypos.oneTypo`: value: `300` is too large to be deserialized, maximum value authorized is `255`",
    );
    const across = await settle("PATCH", "/indexes/typo-sizes/settings/typo-tolerance", {
      minWordSizeForTypos: { oneTypo: 10 },
    });
    expect(across.error).toMatchObject({
      code: "invalid_settings_typo_tolerance",
      message:
        "Index `typo-sizes`: `minWordSizeForTypos` setting is invalid. `oneTypo` and `twoTypos` fields should be between `0` and `255`, and `twoTypos` should be greater or equals to `oneTypo` but found `oneTypo: 10` and twoTypos: 9`.",
    });
    const settings = (await request("GET", "/indexes/typo-sizes/settings/typo-tolerance")).body;
    expect(settings.minWordSizeForTypos).toEqual({ oneTypo: 5, twoTypos: 9 });
  });

  it("collapses attribute lists holding the wildcard and accepts granular filterable rules", async () => {
    const { request, settle } = node();
    await settle("PATCH", "/indexes/granular/settings", {
      displayedAttributes: ["title", "*"],
      filterableAttributes: [
        {
          attributePatterns: ["genre*"],
          features: { facetSearch: true, filter: { equality: true, comparison: false } },
        },
        "year",
      ],
    });
    const settings = (await request("GET", "/indexes/granular/settings")).body;
    expect(settings.displayedAttributes).toEqual(["*"]);
    expect(settings.filterableAttributes).toEqual([
      {
        attributePatterns: ["genre*"],
        features: { facetSearch: true, filter: { equality: true, comparison: false } },
      },
      "year",
    ]);
  });

  it("adds and removes embedders by name", async () => {
    const { request, settle } = node();
    await settle("PATCH", "/indexes/embedded/settings/embedders", {
      manual: { source: "userProvided", dimensions: 3 },
    });
    expect((await request("GET", "/indexes/embedded/settings/embedders")).body).toEqual({
      manual: { source: "userProvided", dimensions: 3 },
    });
    await settle("PATCH", "/indexes/embedded/settings/embedders", { manual: null });
    expect((await request("GET", "/indexes/embedded/settings/embedders")).body).toEqual({});
  });
});
