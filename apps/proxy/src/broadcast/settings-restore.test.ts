import { describe, expect, it } from "vitest";
import { asNodeDetails, restorable } from "./settings-update.js";

describe("the settings a failed change is undone with", () => {
  it("removes the embedders the change added and puts back the ones it changed", () => {
    const before = {
      synonyms: { hulk: ["banner"] },
      filterableAttributes: ["year"],
      embedders: { kept: { source: "userProvided", dimensions: 3 } },
    };
    const change = {
      embedders: { kept: { source: "userProvided", dimensions: 4 }, added: { source: "rest" } },
    };
    expect(restorable(before, change)).toEqual({
      synonyms: { hulk: ["banner"] },
      filterableAttributes: ["year", "_miroir_shard"],
      embedders: { kept: { source: "userProvided", dimensions: 3 }, added: null },
    });
  });

  it("leaves the embedders alone when the change did not name them", () => {
    const before = { filterableAttributes: [], embedders: {} };
    expect(restorable(before, { synonyms: {} })).toEqual({
      filterableAttributes: ["_miroir_shard"],
      embedders: {},
    });
  });
});

describe("a settings change's details", () => {
  it("sort the settings a node keeps as sets, and keep the others as sent", () => {
    expect(
      asNodeDetails({
        sortableAttributes: ["year", "id", "year"],
        stopWords: ["the", "a"],
        filterableAttributes: ["genre", "year"],
        typoTolerance: { disableOnWords: ["b", "a"], enabled: true },
        rankingRules: ["words", "typo"],
      }),
    ).toEqual({
      sortableAttributes: ["id", "year"],
      stopWords: ["a", "the"],
      filterableAttributes: ["genre", "year"],
      typoTolerance: { disableOnWords: ["a", "b"], enabled: true },
      rankingRules: ["words", "typo"],
    });
    expect(asNodeDetails({ synonyms: {} })).toEqual({ synonyms: {} });
  });
});
