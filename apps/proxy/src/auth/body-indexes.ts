import type { Context } from "hono";
import { readBodyBytes } from "../body/read-body.js";

/** The indexes a creation or swap body names, or an empty list when it names none. */
function namedIndexes(path: string, body: unknown): string[] {
  if (path === "/indexes") {
    const uid = (body as { uid?: unknown } | null)?.uid;
    return typeof uid === "string" ? [uid] : [];
  }
  if (!Array.isArray(body)) return [];
  return body.flatMap((swap: unknown) => {
    const indexes = (swap as { indexes?: unknown } | null)?.indexes;
    return Array.isArray(indexes) ? indexes.filter((uid) => typeof uid === "string") : [];
  });
}

/**
 * Index creation and swaps name their indexes in the body. As Meilisearch does, a key
 * whose `indexes` do not allow one of them is refused (through `refuse`). The body is put
 * back unchanged for the route. A body that does not parse is left for the route to
 * reject.
 */
export async function checkBodyIndexes(
  c: Context,
  allowsIndex: (indexUid: string) => boolean,
  limitBytes: number,
  refuse: () => Error,
): Promise<void> {
  const path = c.req.path;
  if (c.req.method !== "POST" || (path !== "/indexes" && path !== "/swap-indexes")) return;
  const bytes = await readBodyBytes(c, limitBytes);
  c.req.raw = new Request(c.req.url, {
    method: "POST",
    headers: c.req.raw.headers,
    body: bytes,
  });
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return;
  }
  if (!namedIndexes(path, body).every(allowsIndex)) throw refuse();
}
