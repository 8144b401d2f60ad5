import type { IncomingMessage, ServerResponse } from "node:http";
import type { Tracer } from "@opentelemetry/api";
import {
  checkAccess,
  FULL_ACCESS,
  type RequestAccess,
  tenantSearchBytes,
} from "../../auth/index.js";
import { mediaTypeOf, parseJsonBody } from "../../body/read-body.js";
import type { ProxyContext } from "../../context.js";
import { answeredError } from "../../errors/index.js";
import { observeRequest, requestIdOf } from "../../observability/index.js";
import { searchIndex } from "../../reads/search.js";
import { DEGRADED_HEADER } from "../answers.js";
import { EXPLAIN_HEADER } from "../explain.js";
import { postedIndexRead, traceOf } from "../index-read.js";

/** A Node request listener: the server's, or the one a request falls through to. */
export type RequestListener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/** `POST /indexes/{uid}/search` with a uid Meilisearch accepts as it is (no escapes, no query). */
const SEARCH_PATH = /^\/indexes\/([A-Za-z0-9_-]{1,400})\/search$/;

/** The route template the Hono route has, for the request metrics and log lines. */
const SEARCH_TEMPLATE = "/indexes/:indexUid/search";

/**
 * The search route answered straight from Node's request, in front of the Hono app: a
 * plain `POST /indexes/{uid}/search` is what clients send most, and the app's layers
 * (routing, the middleware chain, web `Request`/`Response` objects) cost as much CPU as the
 * search's own work. It does what the app does for that request, through the same
 * functions — the request id, observation (metrics, log line, span), Meilisearch's key
 * and tenant-token checks with the token's search rules, explain, the JSON body as the
 * route reads it, the search (coalescing, hedging, replica choice), errors in
 * Meilisearch's shape — and writes the answer as one buffer with its length. Anything
 * else goes to `fallback` (the app) untouched: another route or method, a query string,
 * an alias or a reshard in the way, a session header, a body without a declared length
 * within the limit, a Content-Type other than JSON, a repeated header, an unusual Host.
 */
export function withSearchFastPath(
  ctx: ProxyContext,
  tracer: Tracer | null,
  fallback: RequestListener,
): RequestListener {
  const observer = { logger: ctx.logger, metrics: ctx.metrics, tracer };
  const limitBytes = ctx.config.server.body_limit_bytes;
  const auth = {
    masterKey: ctx.config.master_key,
    keys: ctx.keys,
    bodyLimitBytes: limitBytes,
  };
  const sessions = ctx.config.session_pinning.enabled;
  const hosts = new Map<string, boolean>();

  /** The index of a request the fast path takes, null for one the app answers. */
  function fastIndexOf(incoming: IncomingMessage): string | null {
    if (incoming.method !== "POST") return null;
    const match = SEARCH_PATH.exec(incoming.url ?? "");
    if (match === null) return null;
    const headers = incoming.headers;
    const declared = headers["content-length"];
    const contentType = headers["content-type"];
    if (
      declared === undefined ||
      !/^\d{1,15}$/.test(declared) ||
      Number(declared) > limitBytes ||
      headers["transfer-encoding"] !== undefined ||
      contentType === undefined ||
      mediaTypeOf(contentType) !== "application/json" ||
      (sessions && headers["x-miroir-session"] !== undefined) ||
      // Node keeps the first of some repeated headers where the app would join them all.
      incoming.rawHeaders.length !== 2 * Object.keys(headers).length ||
      !plainHost(headers.host)
    ) {
      return null;
    }
    const indexUid = match[1] as string;
    if (!ctx.reshards.empty) return null;
    if (ctx.config.aliases.enabled && !ctx.aliases.empty && ctx.aliases.resolve(indexUid)) {
      return null;
    }
    return indexUid;
  }

  /** A Host the app reads as it is (as `@hono/node-server` checks it: unchanged by URL parsing). */
  function plainHost(host: string | undefined): boolean {
    if (host === undefined || host === "") return false;
    let plain = hosts.get(host);
    if (plain === undefined) {
      try {
        const { hostname } = new URL(`http://${host}/`);
        plain = hostname.length === host.length || hostname === host.replace(/:\d+$/, "");
      } catch {
        plain = false;
      }
      if (hosts.size >= 256) hosts.clear();
      hosts.set(host, plain);
    }
    return plain;
  }

  async function answer(
    incoming: IncomingMessage,
    outgoing: ServerResponse,
    indexUid: string,
    body: Promise<Uint8Array>,
    requestId: string,
  ): Promise<number> {
    const headers = incoming.headers;
    try {
      const access: RequestAccess =
        auth.masterKey === null
          ? FULL_ACCESS
          : ((await checkAccess(auth, "POST", incoming.url as string, headers.authorization, []))
              ?.access ?? FULL_ACCESS);
      let bytes = await body;
      // A tenant token's search rule becomes part of the body, as the app's key checks do.
      const rule = access === FULL_ACCESS ? null : access.searchFilter(indexUid);
      if (rule !== null) bytes = tenantSearchBytes(rule, bytes);
      const trace = traceOf(true, headers[EXPLAIN_HEADER] as string | undefined, access);
      const started = performance.now();
      const query = parseJsonBody(bytes);
      const read = await postedIndexRead(
        ctx,
        searchIndex,
        indexUid,
        "search",
        query,
        trace,
        started,
      );
      const text = JSON.stringify(read.body);
      const answerHeaders: Record<string, string | number> = {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
      };
      if (read.degraded !== undefined) answerHeaders[DEGRADED_HEADER] = read.degraded;
      outgoing.writeHead(200, answerHeaders);
      outgoing.end(text);
      return 200;
    } catch (error) {
      const meili = answeredError(error, ctx.logger.child({ requestId }));
      const text = JSON.stringify(meili.toBody());
      outgoing.writeHead(meili.status, {
        "content-type": "application/json",
        ...meili.headers(),
        "content-length": Buffer.byteLength(text),
      });
      outgoing.end(text);
      return meili.status;
    }
  }

  return (incoming, outgoing) => {
    const indexUid = fastIndexOf(incoming);
    if (indexUid === null) {
      fallback(incoming, outgoing);
      return;
    }
    const body = bodyOf(incoming);
    const requestId = requestIdOf(incoming.headers["x-request-id"] as string | undefined);
    const observation = observeRequest(observer, "POST", incoming.url as string);
    observation
      .run(() => answer(incoming, outgoing, indexUid, body, requestId))
      .then(
        (status) => observation.end(SEARCH_TEMPLATE, status, requestId),
        (error: unknown) => {
          // Only writing the error answer itself can fail here: the connection is gone.
          ctx.logger.warn({ err: error, requestId }, "answering a search failed");
          outgoing.destroy();
          observation.end(SEARCH_TEMPLATE, 500, requestId);
        },
      );
  };
}

/**
 * The request's body, read as it arrives (its length is declared and within the limit,
 * which Node's parser holds it to); a request cut off before its end fails.
 */
function bodyOf(incoming: IncomingMessage): Promise<Uint8Array> {
  const body = new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let ended = false;
    incoming.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
    });
    incoming.once("end", () => {
      ended = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length));
    });
    incoming.once("error", reject);
    incoming.once("close", () => {
      if (!ended) reject(new Error("The request was cut off before its end."));
    });
  });
  // Awaited once the caller is authenticated: a failure before then is not unhandled.
  body.catch(() => undefined);
  return body;
}
