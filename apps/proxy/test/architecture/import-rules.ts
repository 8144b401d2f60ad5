import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";

/** A source file, its path relative to the repository root (`apps/proxy/src/app.ts`). */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** Every `.ts` file under `dir` (relative to `root`) except tests and benches. */
export function readSources(root: string, dir: string): SourceFile[] {
  const found: SourceFile[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(join(root, current), { withFileTypes: true })) {
      const path = posix.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "dist") walk(path);
      } else if (/\.ts$/.test(entry.name) && !/\.(test|bench)\.ts$/.test(entry.name)) {
        found.push({ path, text: readFileSync(join(root, path), "utf8") });
      }
    }
  };
  walk(dir);
  return found;
}

/** What a file imports (static, type-only, re-exports, dynamic): specifier and, if relative, the file. */
export function importsOf(file: SourceFile): { specifier: string; target: string | null }[] {
  const { importedFiles } = ts.preProcessFile(file.text, true, true);
  return importedFiles.map(({ fileName: specifier }) => ({
    specifier,
    target: specifier.startsWith(".")
      ? posix.normalize(posix.join(posix.dirname(file.path), specifier)).replace(/\.js$/, ".ts")
      : null,
  }));
}

const PROXY_SRC = "apps/proxy/src/";

/**
 * The proxy's layers, top to bottom. A file may import its own layer and those below it:
 * the composition root (the files that build the app) → `routes/` → services (every other
 * folder) → `node-client/` → libraries.
 */
function proxyLayer(path: string): number | null {
  if (!path.startsWith(PROXY_SRC)) return null;
  const inSrc = path.slice(PROXY_SRC.length);
  if (["main.ts", "dev.ts", "index.ts", "proxy.ts", "app.ts"].includes(inSrc)) return 3;
  if (inSrc.startsWith("routes/")) return 2;
  if (inSrc.startsWith("node-client/")) return 0;
  return 1;
}

const LAYER_NAMES = ["node-client/", "a service", "routes/", "the composition root"];

/** Imports from a lower layer into a higher one, as `from → to` lines. */
export function layeringViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const layer = proxyLayer(file.path);
    if (layer === null) continue;
    for (const { target } of importsOf(file)) {
      const targetLayer = target === null ? null : proxyLayer(target);
      if (targetLayer !== null && targetLayer > layer) {
        violations.push(
          `${file.path} (${LAYER_NAMES[layer]}) imports ${target} (${LAYER_NAMES[targetLayer]})`,
        );
      }
    }
  }
  return violations;
}

/** Node modules and packages that do I/O: network, files, processes, stores, servers. */
const IO_MODULES = [
  "fs",
  "fs/promises",
  "net",
  "tls",
  "http",
  "https",
  "http2",
  "dgram",
  "dns",
  "child_process",
  "cluster",
  "worker_threads",
  "undici",
  "redis",
  "better-sqlite3",
  "kysely",
  "@hono/node-server",
];

function isIoModule(specifier: string): boolean {
  const bare = specifier.replace(/^node:/, "");
  return IO_MODULES.some((name) => bare === name || bare.startsWith(`${name}/`));
}

/**
 * SPEC §2: libraries never import apps, and `router`, `merger` and `config` do no I/O
 * (no I/O module, no `fetch`).
 */
export function libraryViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const library = /^packages\/([^/]+)\/src\//.exec(file.path)?.[1];
    if (library === undefined) continue;
    const pure = ["router", "merger", "config"].includes(library);
    for (const { specifier, target } of importsOf(file)) {
      if (/^@miroir\/(proxy|ctl)(\/|$)/.test(specifier) || target?.startsWith("apps/")) {
        violations.push(`${file.path} (a library) imports the app ${specifier}`);
      }
      if (pure && isIoModule(specifier)) {
        violations.push(`${file.path} (@miroir/${library} does no I/O) imports ${specifier}`);
      }
    }
    if (pure && /(^|[^.\w])fetch\s*\(/m.test(file.text)) {
      violations.push(`${file.path} (@miroir/${library} does no I/O) calls fetch`);
    }
  }
  return violations;
}

const NODE_CALL = /\.nodes\.call\s*[<(]|\.writes\.send\s*\(|\baskNodes\s*[<(]|\baskAnyNode\s*[<(]/;

/**
 * Routes translate HTTP to a service call and back: no route calls a node (the node
 * client, the write FIFO, or the fan-out), whatever it imports.
 */
export function directNodeCalls(files: readonly SourceFile[]): string[] {
  return files
    .filter((file) => file.path.startsWith(`${PROXY_SRC}routes/`))
    .filter((file) => NODE_CALL.test(file.text))
    .map((file) => `${file.path} calls a node itself`);
}
