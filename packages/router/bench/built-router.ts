import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * The router as the proxy runs it: the built `dist/` loaded by Node's own module loader.
 * Vitest's module runner turns every cross-module call into a property read on a module
 * object, which costs more than the hash itself and would favour the single-call wasm and
 * native libraries (which load natively from node_modules) in the comparison.
 */
const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
if (!existsSync(entry)) {
  throw new Error(`${entry} is missing: run \`pnpm --filter @miroir/router build\` first.`);
}

export const router = createRequire(import.meta.url)(entry) as typeof import("../src/index.js");
