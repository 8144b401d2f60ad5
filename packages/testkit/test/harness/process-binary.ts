import { get } from "node:http";
import { fileURLToPath } from "node:url";
import { isRealMode } from "../../src/index.js";

/** The stand-in binary, a small Node server that speaks just enough of Meilisearch. */
export const FAKE_BIN = fileURLToPath(new URL("./fake-meilisearch.mjs", import.meta.url));

/**
 * The process the harness tests start: real Meilisearch from MEILI_BIN in the real run,
 * the stand-in otherwise. Either way a real OS process that signals act on.
 */
export const PROCESS_BIN = isRealMode() ? (process.env.MEILI_BIN as string) : FAKE_BIN;

export const processKind = isRealMode() ? "a real Meilisearch process" : "a stand-in process";

/** Polls `probe` every 20 ms until it returns true, for at most `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/**
 * GETs `url` over a new connection (never a pooled one a fault may have reset) and
 * returns the status, or the code of the connection error (ECONNREFUSED, ECONNRESET, …).
 */
export function probe(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = get(url, { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
