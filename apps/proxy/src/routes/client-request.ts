import type { Context } from "hono";
import type { NodeRequest } from "../node-client/index.js";

/**
 * The client's read as a node would receive it unchanged: the same path, and the query
 * string of a GET or the JSON body of a POST. A read sends it to one node only to word an
 * error exactly as Meilisearch does.
 */
export function clientRequest(c: Context, path: string, body?: unknown): NodeRequest {
  if (body !== undefined) return { method: "POST", path, json: body };
  return { method: "GET", path, query: Object.fromEntries(new URL(c.req.url).searchParams) };
}
