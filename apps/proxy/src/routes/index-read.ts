import type { Context } from "hono";
import { readJsonBody } from "../body/read-body.js";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import type { ReadAnswer } from "../scatter/read-pipeline.js";
import type { ReadTrace } from "../scatter/read-trace.js";
import { readResponse } from "./answers.js";
import { explainRequested, startExplain, withExplain } from "./explain.js";

/** A read of one index in `reads/`: the request's body and the client's own request. */
export type IndexRead = (
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: NodeRequest,
  trace?: ReadTrace,
) => Promise<ReadAnswer>;

/**
 * Answers a read of `/indexes/{uid}/<route>`: a POST hands its JSON body to `read`; a GET
 * hands the equivalent body from its query string (`paramsToBody`, null when a parameter
 * does not parse). The client's request goes along unchanged, as a node would receive it
 * on `/indexes/{uid}/<nodeRoute>`, so that an error can be worded by a node. An
 * `explainable` read (search) sent with `X-Miroir-Explain: true` (master key only) answers
 * its plan beside its own fields (`routes/explain.ts`).
 */
export async function answerIndexRead(
  c: Context,
  ctx: ProxyContext,
  read: IndexRead,
  nodeRoute: string,
  paramsToBody?: (params: URLSearchParams) => unknown,
  explainable = false,
): Promise<Response> {
  const indexUid = c.req.param("indexUid") ?? "";
  const path = `${indexPath(indexUid)}/${nodeRoute}`;
  const trace = explainable && explainRequested(c) ? startExplain(c) : undefined;
  const started = performance.now();
  let answer: ReadAnswer;
  if (paramsToBody !== undefined) {
    const params = new URL(c.req.url).searchParams;
    const original: NodeRequest = { method: "GET", path, query: Object.fromEntries(params) };
    answer = await read(ctx, indexUid, paramsToBody(params), original, trace);
  } else {
    const body = await readJsonBody(c, ctx.config.server.body_limit_bytes);
    answer = await read(ctx, indexUid, body, { method: "POST", path, json: body }, trace);
  }
  return readResponse(
    trace === undefined ? answer : withExplain(answer, trace, performance.now() - started),
  );
}
