import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConsoleAssets } from "./console-assets.js";

describe("loading the built console", () => {
  const dir = mkdtempSync(join(tmpdir(), "miroir-console-assets-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("holds the page and every asset of a known type, by path under assets/", () => {
    mkdirSync(join(dir, "assets", "fonts"), { recursive: true });
    writeFileSync(join(dir, "index.html"), "<!doctype html>");
    writeFileSync(join(dir, "assets", "index-1a2b.js"), "export {}");
    writeFileSync(join(dir, "assets", "index-3c4d.css"), "body{}");
    writeFileSync(join(dir, "assets", "fonts", "a-5e6f.woff2"), "x");
    writeFileSync(join(dir, "assets", "notes.txt"), "not served");
    const loaded = loadConsoleAssets(dir);
    expect(loaded?.page.contentType).toBe("text/html; charset=utf-8");
    expect([...(loaded?.assets.keys() ?? [])].sort()).toEqual([
      "fonts/a-5e6f.woff2",
      "index-1a2b.js",
      "index-3c4d.css",
    ]);
    expect(loaded?.assets.get("index-3c4d.css")?.contentType).toBe("text/css; charset=utf-8");
  });

  it("is null when there is no built page", () => {
    expect(loadConsoleAssets(join(dir, "missing"))).toBeNull();
    expect(loadConsoleAssets(null)).toBeNull();
  });

  it("finds the console that @miroir/console built", () => {
    const built = loadConsoleAssets();
    expect(built).not.toBeNull();
    const page = new TextDecoder().decode(built?.page.body);
    const referenced = [...page.matchAll(/\/_miroir\/ui\/assets\/([^"]+)"/g)].map((m) => m[1]);
    expect(referenced.length).toBeGreaterThan(0);
    for (const name of referenced) expect(built?.assets.has(name as string), name).toBe(true);
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/<style|style="/);
  });
});
