import type { Context } from "hono";
import { readJsonBody } from "../body/read-body.js";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import type { ReadAnswer } from "../scatter/read-pipeline.js";
import { readResponse } from "./answers.js";

/** A read of one index in `reads/`: the request's body and the client's own request. */
export type IndexRead = (
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: NodeRequest,
) => Promise<ReadAnswer>;

/**
 * Answers a read of `/indexes/{uid}/<route>`: a POST hands its JSON body to `read`; a GET
 * hands the equivalent body from its query string (`paramsToBody`, null when a parameter
 * does not parse). The client's request goes along unchanged, as a node would receive it
 * on `/indexes/{uid}/<nodeRoute>`, so that an error can be worded by a node.
 */
export async function answerIndexRead(
  c: Context,
  ctx: ProxyContext,
  read: IndexRead,
  nodeRoute: string,
  paramsToBody?: (params: URLSearchParams) => unknown,
): Promise<Response> {
  const indexUid = c.req.param("indexUid") ?? "";
  const path = `${indexPath(indexUid)}/${nodeRoute}`;
  if (paramsToBody !== undefined) {
    const params = new URL(c.req.url).searchParams;
    const original: NodeRequest = { method: "GET", path, query: Object.fromEntries(params) };
    return readResponse(await read(ctx, indexUid, paramsToBody(params), original));
  }
  const body = await readJsonBody(c, ctx.config.server.body_limit_bytes);
  return readResponse(await read(ctx, indexUid, body, { method: "POST", path, json: body }));
}
