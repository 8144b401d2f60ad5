import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareVersions,
  lowestVersion,
  type MeiliVersion,
  versionWarnings,
} from "./node-versions.js";

const version = (pkgVersion: string): MeiliVersion => ({
  commitSha: "sha",
  commitDate: "2026-07-01T00:00:00Z",
  pkgVersion,
});

describe("node versions", () => {
  it("orders versions as semver, numerically and with pre-releases below their release", () => {
    expect(compareVersions("1.9.0", "1.10.0")).toBe(-1);
    expect(compareVersions("1.50.0", "1.50.0")).toBe(0);
    expect(compareVersions("1.50.0-rc.1", "1.50.0")).toBe(-1);
    expect(compareVersions("2.0.0", "1.99.99")).toBe(1);
  });

  it("answers the lowest version whatever the order of the nodes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3), fc.nat(60), fc.nat(5)), { minLength: 1, maxLength: 8 }),
        (triples) => {
          const versions = triples.map(([a, b, c]) => version(`${a}.${b}.${c}`));
          const lowest = lowestVersion(versions);
          expect(
            versions.every((v) => compareVersions(lowest?.pkgVersion ?? "", v.pkgVersion) <= 0),
          ).toBe(true);
        },
      ),
    );
  });

  it("warns only when the nodes disagree", () => {
    expect(
      versionWarnings(
        new Map([
          ["a", version("1.50.0")],
          ["b", version("1.50.0")],
        ]),
      ),
    ).toEqual([]);
    const [warning] = versionWarnings(
      new Map([
        ["a", version("1.50.0")],
        ["b", version("1.49.2")],
      ]),
    );
    expect(warning).toContain("a=1.50.0, b=1.49.2");
    expect(warning).toContain("lowest, 1.49.2");
  });
});
