import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { agreedFeatures } from "./feature-agreement.js";

describe("the cluster's view of experimental features", () => {
  it("turns a feature on only when every node has it on, and names every mixed feature", () => {
    const switches = fc.dictionary(
      fc.constantFrom("metrics", "network", "logsRoute"),
      fc.boolean(),
    );
    fc.assert(
      fc.property(fc.array(switches, { minLength: 1, maxLength: 6 }), (perNode) => {
        const { features, disagreements } = agreedFeatures(perNode);
        for (const [name, on] of Object.entries(features)) {
          const values = perNode.map((node) => node[name] === true);
          expect(on).toBe(values.every(Boolean));
          expect(disagreements.includes(name)).toBe(values.some(Boolean) && !on);
        }
      }),
    );
  });

  it("answers a feature every node leaves unset (null) as unset, as one node does", () => {
    const perNode = [
      { legacySearch: null, metrics: true },
      { legacySearch: null, metrics: true },
    ];
    expect(agreedFeatures(perNode)).toEqual({
      features: { legacySearch: null, metrics: true },
      disagreements: [],
    });
    expect(agreedFeatures([{ legacySearch: null }, { legacySearch: true }]).features).toEqual({
      legacySearch: false,
    });
  });
});
