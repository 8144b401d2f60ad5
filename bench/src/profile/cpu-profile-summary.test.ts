import { describe, expect, it } from "vitest";
import { areaOf, shortLocation, summariseProfile } from "./cpu-profile-summary.js";

const frame = (functionName: string, url = "", lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});
const profile = {
  nodes: [
    { id: 1, callFrame: frame("(root)") },
    { id: 2, callFrame: frame("(idle)") },
    { id: 3, callFrame: frame("parse", "file:///repo/apps/proxy/dist/write/route-batch.js", 9) },
    {
      id: 4,
      callFrame: frame("", "file:///repo/node_modules/.pnpm/x/node_modules/hono/dist/hono.js", 0),
    },
  ],
  startTime: 1_000,
  // samples at 1 100, 1 200, 1 300, 1 400, 1 500 µs
  samples: [3, 2, 4, 3, 3],
  timeDeltas: [100, 100, 100, 100, 100],
};

describe("CPU profile summary", () => {
  it("ranks functions by self time and leaves idle time out of the busy share", () => {
    const summary = summariseProfile("routing", profile);
    expect(summary.busyMs).toBeCloseTo(0.4);
    expect(summary.windowed).toBe(false);
    expect(summary.top.map((entry) => [entry.functionName, entry.percent])).toEqual([
      ["parse", 75],
      ["(anonymous)", 25],
    ]);
    expect(summary.top[0]?.location).toBe("apps/proxy/dist/write/route-batch.js:10");
    expect(summary.areas).toEqual([
      { area: "apps/proxy", percent: 75 },
      { area: "hono", percent: 25 },
    ]);
  });

  it("counts only the samples inside the measured window", () => {
    const summary = summariseProfile("routing", profile, { fromUs: 1_350, toUs: 1_550 });
    expect(summary.windowed).toBe(true);
    expect(summary.top.map((entry) => entry.functionName)).toEqual(["parse"]);
    expect(summary.busyMs).toBeCloseTo(0.2);
    expect(summary.spanMs).toBeCloseTo(0.2);
  });

  it("falls back to the whole profile when no sample is in the window", () => {
    expect(summariseProfile("x", profile, { fromUs: 0, toUs: 10 }).windowed).toBe(false);
  });

  it("sorts code into areas: dependencies, Miroir folders, Node, GC, native", () => {
    expect(areaOf("(garbage collector)", "")).toBe("garbage collection");
    expect(areaOf("writev", "")).toBe("native code");
    expect(areaOf("emit", "node:events")).toBe("Node.js internals");
    expect(areaOf("f", "file:///r/node_modules/.pnpm/a/node_modules/@hono/node-server/x.js")).toBe(
      "@hono/node-server",
    );
    expect(areaOf("f", "file:///r/packages/merger/dist/merge.js")).toBe("packages/merger");
  });

  it("names dependencies by package and Miroir's files by repository path", () => {
    expect(shortLocation("file:///a/node_modules/.pnpm/h@1/node_modules/hono/dist/x.js", 4)).toBe(
      "hono/dist/x.js:5",
    );
    expect(shortLocation("node:internal/streams/readable", 0)).toBe(
      "node:internal/streams/readable:1",
    );
    expect(shortLocation("", 0)).toBe("");
  });
});
