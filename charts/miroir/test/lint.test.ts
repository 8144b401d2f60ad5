import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartDir, lintChart } from "./render-chart.js";

const ciValueFiles = readdirSync(join(chartDir, "ci"))
  .filter((file) => file.endsWith("-values.yaml"))
  .map((file) => `ci/${file}`);

describe("helm lint --strict", () => {
  it("keeps the four deployment shapes under ci/", () => {
    expect(ciValueFiles).toEqual([
      "ci/bundled-meilisearch-rg2-values.yaml",
      "ci/existing-secret-values.yaml",
      "ci/ha-redis-hpa-values.yaml",
      "ci/single-replica-sqlite-values.yaml",
    ]);
  });

  it("passes with the default values", async () => {
    expect(await lintChart()).toContain("0 chart(s) failed");
  });

  it.each(ciValueFiles)("passes with %s", async (file) => {
    expect(await lintChart({ valuesFiles: [file] })).toContain("0 chart(s) failed");
  });
});
