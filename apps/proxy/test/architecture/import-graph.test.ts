import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  directNodeCalls,
  layeringViolations,
  libraryViolations,
  readSources,
  type SourceFile,
} from "./import-rules.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const proxy = readSources(ROOT, "apps/proxy/src");
const libraries = readdirSync(`${ROOT}/packages`).flatMap((name) =>
  readSources(ROOT, `packages/${name}/src`),
);

const file = (path: string, text: string): SourceFile => ({ path, text });

describe("the import graph", () => {
  it("reads the sources it judges", () => {
    expect(proxy.some((source) => source.path === "apps/proxy/src/routes/search/index.ts")).toBe(
      true,
    );
    expect(libraries.some((source) => source.path === "packages/router/src/shard-of.ts")).toBe(
      true,
    );
  });

  it("keeps the proxy's layers downward: composition root → routes → services → node client", () => {
    expect(layeringViolations(proxy)).toEqual([]);
  });

  it("lets no route call a node itself", () => {
    expect(directNodeCalls(proxy)).toEqual([]);
  });

  it("keeps libraries free of the apps, and router, merger and config free of I/O", () => {
    expect(libraryViolations(libraries)).toEqual([]);
  });
});

describe("the import rules", () => {
  it("refuse a service or the node client importing upward, whatever the import's form", () => {
    expect(
      layeringViolations([
        file("apps/proxy/src/scatter/x.ts", 'import { indexPath } from "../routes/index-uid.js";'),
        file("apps/proxy/src/tasks/y.ts", 'export type { A } from "../proxy.js";'),
        file("apps/proxy/src/node-client/z.ts", 'import type { C } from "../context.js";'),
        file("apps/proxy/src/routes/w.ts", 'const m = await import("../app.js");'),
        file("apps/proxy/src/routes/ok.ts", 'import { scatter } from "../scatter/scatter.js";'),
      ]),
    ).toEqual([
      "apps/proxy/src/scatter/x.ts (a service) imports apps/proxy/src/routes/index-uid.ts (routes/)",
      "apps/proxy/src/tasks/y.ts (a service) imports apps/proxy/src/proxy.ts (the composition root)",
      "apps/proxy/src/node-client/z.ts (node-client/) imports apps/proxy/src/context.ts (a service)",
      "apps/proxy/src/routes/w.ts (routes/) imports apps/proxy/src/app.ts (the composition root)",
    ]);
  });

  it("refuse a route that calls a node", () => {
    expect(
      directNodeCalls([
        file("apps/proxy/src/routes/a/index.ts", "await ctx.nodes.call(id, request);"),
        file("apps/proxy/src/routes/b/index.ts", "await askNodes(ctx, ids, request);"),
        file("apps/proxy/src/reads/c.ts", "await ctx.nodes.call(id, request);"),
      ]),
    ).toEqual([
      "apps/proxy/src/routes/a/index.ts calls a node itself",
      "apps/proxy/src/routes/b/index.ts calls a node itself",
    ]);
  });

  it("refuse a library importing an app, and I/O in router, merger and config", () => {
    expect(
      libraryViolations([
        file("packages/taskstore/src/a.ts", 'import { createProxy } from "@miroir/proxy";'),
        file("packages/merger/src/b.ts", 'import { readFileSync } from "node:fs";'),
        file("packages/router/src/c.ts", 'import { Pool } from "undici";'),
        file("packages/config/src/d.ts", "const answer = await fetch(url);"),
        file("packages/taskstore/src/e.ts", 'import Database from "better-sqlite3";'),
      ]),
    ).toEqual([
      "packages/taskstore/src/a.ts (a library) imports the app @miroir/proxy",
      "packages/merger/src/b.ts (@miroir/merger does no I/O) imports node:fs",
      "packages/router/src/c.ts (@miroir/router does no I/O) imports undici",
      "packages/config/src/d.ts (@miroir/config does no I/O) calls fetch",
    ]);
  });
});
