import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, sep } from "node:path";

/** One built file of the console, held in memory (the whole console is a few tens of KB). */
export interface ConsoleAsset {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/** The built console: its page and its hashed assets by path under `assets/`. */
export interface ConsoleAssets {
  readonly page: ConsoleAsset;
  readonly assets: ReadonlyMap<string, ConsoleAsset>;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/**
 * Reads the console that `@miroir/console` built into its `dist/` (`index.html` and
 * `assets/`), or `null` when it was not built, so a proxy without it still starts.
 */
export function loadConsoleAssets(distDir: string | null = consoleDistDir()): ConsoleAssets | null {
  if (distDir === null) return null;
  let page: Uint8Array;
  try {
    page = readFileSync(join(distDir, "index.html"));
  } catch {
    return null;
  }
  const assets = new Map<string, ConsoleAsset>();
  const assetDir = join(distDir, "assets");
  for (const file of filesUnder(assetDir)) {
    const type = CONTENT_TYPES[extname(file)];
    if (type === undefined) continue;
    assets.set(relative(assetDir, file).split(sep).join("/"), {
      body: readFileSync(file),
      contentType: type,
    });
  }
  return { page: { body: page, contentType: CONTENT_TYPES[".html"] as string }, assets };
}

function consoleDistDir(): string | null {
  try {
    const manifest = createRequire(import.meta.url).resolve("@miroir/console/package.json");
    return join(dirname(manifest), "dist");
  } catch {
    return null;
  }
}

function filesUnder(dir: string): string[] {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}
