import type { Context } from "hono";
import { accessOf, type RequestAccess } from "../auth/index.js";
import { readJsonBody } from "../body/read-body.js";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import type { ReadAnswer } from "../scatter/read-pipeline.js";
import type { ReadTrace } from "../scatter/read-trace.js";
import { readResponse } from "./answers.js";
import { EXPLAIN_HEADER, explainRequested, startExplain, withExplain } from "./explain.js";

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
  const trace = traceOf(explainable, c.req.header(EXPLAIN_HEADER), accessOf(c));
  const started = performance.now();
  if (paramsToBody !== undefined) {
    const params = new URL(c.req.url).searchParams;
    const path = `${indexPath(indexUid)}/${nodeRoute}`;
    const original: NodeRequest = { method: "GET", path, query: Object.fromEntries(params) };
    const answer = await read(ctx, indexUid, paramsToBody(params), original, trace);
    return readResponse(explained(answer, trace, started));
  }
  const body = await readJsonBody(c, ctx.config.server.body_limit_bytes);
  return readResponse(await postedIndexRead(ctx, read, indexUid, nodeRoute, body, trace, started));
}

/**
 * The trace of an `explainable` read whose `X-Miroir-Explain` header asks for its plan
 * (`startExplain`: master key only); undefined when there is none to record.
 */
export function traceOf(
  explainable: boolean,
  explainHeader: string | undefined,
  access: RequestAccess,
): ReadTrace | undefined {
  return explainable && explainRequested(explainHeader) ? startExplain(access) : undefined;
}

/**
 * A POST read of `/indexes/{uid}/<nodeRoute>` once its JSON body is read: the read, with
 * its plan beside it when traced (`started`: when the request began, for the plan's time).
 */
export async function postedIndexRead(
  ctx: ProxyContext,
  read: IndexRead,
  indexUid: string,
  nodeRoute: string,
  body: unknown,
  trace: ReadTrace | undefined,
  started: number,
): Promise<ReadAnswer> {
  const path = `${indexPath(indexUid)}/${nodeRoute}`;
  const answer = await read(ctx, indexUid, body, { method: "POST", path, json: body }, trace);
  return explained(answer, trace, started);
}

function explained(answer: ReadAnswer, trace: ReadTrace | undefined, started: number) {
  return trace === undefined ? answer : withExplain(answer, trace, performance.now() - started);
}
