import { describe, expect, it } from "vitest";
import { restorable } from "./settings-update.js";

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
