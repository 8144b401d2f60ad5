import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../../src/index.js";
import { testConfig } from "../test-config.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

interface Row {
  readonly methods: readonly string[];
  readonly path: string;
  readonly classes: readonly string[];
}

/** The rows of the route table in docs/compatibility.md. */
function documentedRoutes(): Row[] {
  const markdown = readFileSync(
    new URL("../../../../docs/compatibility.md", import.meta.url),
    "utf8",
  );
  const section = markdown.slice(markdown.indexOf("## Routes"));
  const table = section.slice(0, section.indexOf("\n## ", 1));
  return table
    .split("\n")
    .filter((line) => line.startsWith("| ") && line.includes("`/"))
    .map((line) => {
      const [method = "", path = "", kind = ""] = line
        .split("|")
        .slice(1)
        .map((cell) => cell.trim());
      return {
        methods: method === "any" ? ["ALL"] : method.split(",").map((m) => m.trim()),
        path: path.replaceAll("`", ""),
        classes: kind.split(",").map((k) => k.trim()),
      };
    });
}

/**
 * Path segments match when equal or when either side is a parameter (`{x}`, `:x`, `*`);
 * a documented path ending in `/…` covers every path below it.
 */
function samePath(documented: string, mounted: string): boolean {
  if (documented.endsWith("/…")) return mounted.startsWith(documented.slice(0, -1));
  const a = documented.split("/");
  const b = mounted.split("/");
  if (a.length !== b.length) return false;
  return a.every((segment, i) => {
    const other = b[i] as string;
    const isParam = (s: string) => s.startsWith("{") || s.startsWith(":") || s === "*";
    return segment === other || isParam(segment) || isParam(other);
  });
}

/** A concrete path for a documented route: parameters replaced by plausible values. */
function concrete(path: string): string {
  return path
    .replace("{uid}", "movies")
    .replace("{id}", "0")
    .replace("{uuid}", "1b4e28ba-2fa1-41d2-883f-0016d3cca427")
    .replace(/\{[^}]+\}/g, "default")
    .replace("…", "topology");
}

describe("docs/compatibility.md matches the routes the proxy mounts", () => {
  let proxy: RunningProxy;
  const rows = documentedRoutes();
  beforeAll(async () => {
    // One node at a closed port: a route that needs the nodes cannot answer from here.
    proxy = await createProxy(testConfig());
  });
  afterAll(async () => {
    await proxy?.close();
  });

  const mounted = () =>
    proxy.app.routes.map((route) => ({ method: route.method, path: route.path }));

  it("lists enough routes to be the whole surface", () => {
    expect(rows.length).toBeGreaterThan(40);
  });

  it("mounts every listed route with every listed method (absent routes excepted)", () => {
    for (const row of rows.filter((r) => !r.classes.includes("absent"))) {
      for (const method of row.methods) {
        const found = mounted().some(
          (route) =>
            (route.method === method || route.method === "ALL") && samePath(row.path, route.path),
        );
        expect(found, `${method} ${row.path}`).toBe(true);
      }
    }
  });

  it("lists every mounted route", () => {
    for (const route of mounted()) {
      const listed = rows.some(
        (row) =>
          samePath(row.path, route.path) &&
          (route.method === "ALL" ||
            row.methods.includes(route.method) ||
            row.methods.includes("ALL")),
      );
      expect(listed, `${route.method} ${route.path}`).toBe(true);
    }
  });

  it("answers local GET routes without any node", async () => {
    for (const row of rows.filter(
      (r) => r.classes.includes("local") && r.methods.includes("GET"),
    )) {
      const answer = await proxy.app.request(concrete(row.path));
      expect(answer.status, row.path).toBeLessThan(500);
    }
  });

  it("answers refused routes with feature_not_enabled on every method", async () => {
    for (const row of rows.filter((r) => r.classes.includes("refused"))) {
      for (const method of METHODS) {
        const answer = await proxy.app.request(concrete(row.path), { method });
        expect(answer.status, `${method} ${row.path}`).toBe(400);
        expect(((await answer.json()) as { code: string }).code).toBe("feature_not_enabled");
      }
    }
  });

  it("answers absent routes 404, as any unknown route", async () => {
    for (const row of rows.filter((r) => r.classes.includes("absent"))) {
      for (const method of row.methods) {
        const answer = await proxy.app.request(concrete(row.path), { method });
        expect(answer.status, `${method} ${row.path}`).toBe(404);
      }
    }
  });
});
