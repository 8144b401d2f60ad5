import { type MeiliError, meiliError } from "@miroir/errors";
import type { AliasUse, ResolvedAlias } from "../aliases/alias-table.js";
import type { ProxyContext } from "../context.js";
import { searchQueryOfParams } from "./search/search-query-params.js";

type Fetch<X> = (request: Request, env?: unknown, executionCtx?: X) => Response | Promise<Response>;

/** A request rewritten to concrete indexes, and how to put the client's names back in the answer. */
interface Resolution {
  readonly request: Request;
  readonly use: Omit<AliasUse, "clientUrl">;
  /** Rewrites the answer's index uids back to the names the client used. */
  readonly answer: (response: Response) => Promise<Response>;
}

const INDEX_PATH = /^\/indexes\/([^/]+)(\/.*)?$/;
const TASK_LISTINGS = new Set(["/tasks", "/tasks/cancel", "/batches"]);

/**
 * Resolves aliases once per request, before any route runs: the request is rewritten to
 * name the concrete index (or, for a search through an alias of several indexes, turned
 * into one federated multi-search over them), so that every route, the write path, the
 * task records and the sessions only ever see real indexes; the answer then shows the
 * alias where it would show the index uid. A request sees one version of each alias from
 * start to end, so a switch under load never mixes two targets in one answer.
 */
export function resolvingAliases<X>(ctx: ProxyContext, dispatch: Fetch<X>): Fetch<X> {
  async function throughAliases(request: Request, env: unknown, executionCtx?: X) {
    const resolution = await resolve(ctx, request);
    if (resolution === null) return dispatch(request, env, executionCtx);
    const use: AliasUse = { ...resolution.use, clientUrl: request.url };
    const withAliases = { ...(env as object | undefined), miroirAliases: use };
    return resolution.answer(await dispatch(resolution.request, withAliases, executionCtx));
  }
  // Without aliases a request goes straight through: no promise, no URL parsed.
  const route: Fetch<X> = (request, env, executionCtx) =>
    !ctx.config.aliases.enabled || ctx.aliases.empty
      ? dispatch(request, env, executionCtx)
      : throughAliases(request, env, executionCtx);
  return (request, env, executionCtx) => {
    if (ctx.reshards.empty) return route(request, env, executionCtx);
    const gate = ctx.reshards.gate(request.method, new URL(request.url).pathname);
    if (gate === null) return route(request, env, executionCtx);
    if ("refuse" in gate) return refusedByReshard(request, env, executionCtx, gate.refuse);
    // A write to an index switching to its resharded copy waits for the switch, then is
    // resolved again: it goes to the new index.
    return gate.hold.then(
      () => route(request, env, executionCtx),
      (error: MeiliError) => refusedByReshard(request, env, executionCtx, error),
    );
  };

  /** The refusal is answered once the caller is authenticated, like an alias's. */
  function refusedByReshard(
    request: Request,
    env: unknown,
    executionCtx: X | undefined,
    error: MeiliError,
  ) {
    const use: AliasUse = { aliases: [], refusal: error, clientUrl: request.url };
    return dispatch(request, { ...(env as object | undefined), miroirAliases: use }, executionCtx);
  }
}

async function resolve(ctx: ProxyContext, request: Request): Promise<Resolution | null> {
  const url = new URL(request.url);
  const path = url.pathname;
  const indexPath = INDEX_PATH.exec(path);
  if (indexPath !== null) {
    const alias = ctx.aliases.resolve(decodeURIComponent(indexPath[1] as string));
    if (alias === undefined) return null;
    const rest = indexPath[2] ?? "";
    if (alias.indexes.length === 1) return throughSingleAlias(request, url, alias, rest);
    if (rest === "/search" && (request.method === "GET" || request.method === "POST")) {
      return federatedSearch(ctx, request, url, alias);
    }
    return refused(request, [alias], readOnly(alias));
  }
  if (path === "/multi-search" && request.method === "POST") {
    return multiSearchThroughAliases(ctx, request);
  }
  if (path === "/indexes" && request.method === "POST") return indexCreation(ctx, request);
  if (TASK_LISTINGS.has(path) && url.searchParams.has("indexUids")) {
    return taskListing(ctx, request, url);
  }
  return null;
}

function throughSingleAlias(
  request: Request,
  url: URL,
  alias: ResolvedAlias,
  rest: string,
): Resolution {
  const index = alias.indexes[0] as string;
  url.pathname = `/indexes/${encodeURIComponent(index)}${rest}`;
  const names = new Map([[index, alias.name]]);
  const indexObject = rest === "" && request.method === "GET";
  return {
    request: movedRequest(request, url),
    use: { aliases: [alias], refusal: null },
    answer: (response) =>
      rewriteAnswer(response, (body, status) => {
        if (status >= 400) return renamedInError(body, names);
        if (indexObject && isObject(body) && body.uid === index)
          return { ...body, uid: alias.name };
        if (isObject(body) && body.indexUid === index) return { ...body, indexUid: alias.name };
        return undefined;
      }),
  };
}

/** A search through an alias of several indexes: one federated search over all of them. */
async function federatedSearch(
  ctx: ProxyContext,
  request: Request,
  url: URL,
  alias: ResolvedAlias,
): Promise<Resolution | null> {
  let query: Record<string, unknown> | null;
  if (request.method === "GET") {
    query = searchQueryOfParams(url.searchParams) as Record<string, unknown> | null;
  } else {
    const body = await jsonBodyOf(ctx, request);
    query = isObject(body) ? body : null;
  }
  if (query === null) return refused(request, [alias], badSearch(alias));
  const { offset, limit, page, hitsPerPage, facets, ...perIndex } = query;
  const federation: Record<string, unknown> = { offset, limit, page, hitsPerPage };
  for (const key of Object.keys(federation)) {
    if (federation[key] === undefined) delete federation[key];
  }
  if (Array.isArray(facets)) {
    federation.facetsByIndex = Object.fromEntries(alias.indexes.map((uid) => [uid, facets]));
    federation.mergeFacets = {};
  }
  const body = {
    federation,
    queries: alias.indexes.map((indexUid) => ({ ...perIndex, indexUid })),
  };
  url.pathname = "/multi-search";
  url.search = "";
  const headers = new Headers(request.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  return {
    request: new Request(url, { method: "POST", headers, body: JSON.stringify(body) }),
    use: { aliases: [alias], refusal: null },
    answer: async (response) => response,
  };
}

/** A multi-search whose queries name aliases of one index each. */
async function multiSearchThroughAliases(
  ctx: ProxyContext,
  request: Request,
): Promise<Resolution | null> {
  const body = await jsonBodyOf(ctx, request);
  if (!isObject(body) || !Array.isArray(body.queries)) return null;
  const used = new Map<string, ResolvedAlias>();
  const named: (string | undefined)[] = [];
  const queries = body.queries.map((query: unknown) => {
    const uid = isObject(query) ? query.indexUid : undefined;
    named.push(typeof uid === "string" ? uid : undefined);
    const alias = typeof uid === "string" ? ctx.aliases.resolve(uid) : undefined;
    if (alias === undefined || !isObject(query)) return query;
    used.set(alias.name, alias);
    return { ...query, indexUid: alias.indexes[0] };
  });
  if (used.size === 0) return null;
  const rebuilt = rebuiltRequest(request, { ...body, queries });
  const several = [...used.values()].find((alias) => alias.indexes.length > 1);
  if (several !== undefined) {
    return refused(
      rebuilt,
      [...used.values()],
      meiliError(
        "miroir_multi_alias_not_writable",
        `\`${several.name}\` is an alias of several indexes (${listed(several.indexes)}): it answers searches of its own (\`/indexes/${several.name}/search\`), not queries of a multi-search; name its indexes instead.`,
      ),
    );
  }
  // A concrete index shows as the alias only when the body reached it through that alias alone.
  const names = new Map<string, string>();
  for (const alias of used.values()) names.set(alias.indexes[0] as string, alias.name);
  for (const uid of named) if (uid !== undefined && names.has(uid)) names.delete(uid);
  return {
    request: rebuilt,
    use: { aliases: [...used.values()], refusal: null },
    answer: (response) =>
      rewriteAnswer(response, (answer, status) => {
        if (status >= 400)
          return renamedInError(
            answer,
            new Map([...used.values()].map((a) => [a.indexes[0] as string, a.name])),
          );
        if (!isObject(answer)) return undefined;
        if (Array.isArray(answer.results)) {
          return {
            ...answer,
            results: answer.results.map((result: unknown, at: number) =>
              isObject(result) && named[at] !== undefined
                ? { ...result, indexUid: named[at] }
                : result,
            ),
          };
        }
        if (Array.isArray(answer.hits)) {
          return {
            ...answer,
            hits: answer.hits.map((hit: unknown) => {
              if (!isObject(hit) || !isObject(hit._federation)) return hit;
              const shown = names.get(String(hit._federation.indexUid));
              return shown === undefined
                ? hit
                : { ...hit, _federation: { ...hit._federation, indexUid: shown } };
            }),
          };
        }
        return undefined;
      }),
  };
}

/** An index created under an alias's name would never be reached: refused. */
async function indexCreation(ctx: ProxyContext, request: Request): Promise<Resolution | null> {
  const body = await jsonBodyOf(ctx, request);
  const uid = isObject(body) ? body.uid : undefined;
  const alias = typeof uid === "string" ? ctx.aliases.resolve(uid) : undefined;
  if (alias === undefined) return null;
  const rebuilt = rebuiltRequest(request, body);
  return refused(
    rebuilt,
    [],
    meiliError(
      "miroir_alias_conflict",
      `\`${alias.name}\` is an alias (of ${listed(alias.indexes)}); an index cannot take its name.`,
    ),
  );
}

/** `indexUids=` of task and batch listings: an alias stands for the indexes it names. */
function taskListing(ctx: ProxyContext, request: Request, url: URL): Resolution | null {
  const listed = (url.searchParams.get("indexUids") ?? "").split(",");
  const used: ResolvedAlias[] = [];
  const resolved = listed.flatMap((name) => {
    const alias = ctx.aliases.resolve(name.trim());
    if (alias === undefined) return [name];
    used.push(alias);
    return [...alias.indexes];
  });
  if (used.length === 0) return null;
  url.searchParams.set("indexUids", resolved.join(","));
  return {
    request: movedRequest(request, url),
    use: { aliases: used, refusal: null },
    answer: async (response) => response,
  };
}

function refused(
  request: Request,
  aliases: readonly ResolvedAlias[],
  refusal: MeiliError,
): Resolution {
  return { request, use: { aliases, refusal }, answer: async (response) => response };
}

function readOnly(alias: ResolvedAlias): MeiliError {
  return meiliError(
    "miroir_multi_alias_not_writable",
    `\`${alias.name}\` is an alias of several indexes (${listed(alias.indexes)}): it answers searches only. Send writes and other reads to one of its indexes.`,
  );
}

function badSearch(alias: ResolvedAlias): MeiliError {
  return meiliError(
    "bad_request",
    `The search through the alias \`${alias.name}\` could not be read: send a JSON object (POST) or known search parameters (GET).`,
  );
}

function listed(indexes: readonly string[]): string {
  return indexes.map((uid) => `\`${uid}\``).join(", ");
}

/**
 * The request's JSON body, or undefined when it has none, declares more than the body
 * limit, or does not parse: the route then reads it itself and answers the error.
 */
async function jsonBodyOf(ctx: ProxyContext, request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > ctx.config.server.body_limit_bytes || request.body === null) return undefined;
  const text = await request.clone().text();
  if (text.length > ctx.config.server.body_limit_bytes) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The same request at another URL, its body streamed on unread. */
function movedRequest(request: Request, url: URL): Request {
  const init: RequestInit & { duplex?: "half" } = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
  };
  if (request.body !== null) init.duplex = "half";
  return new Request(url, init);
}

function rebuiltRequest(request: Request, body: unknown): Request {
  if (body === undefined) return request;
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return new Request(request.url, { method: request.method, headers, body: JSON.stringify(body) });
}

/**
 * Rewrites a JSON answer with `change` (undefined: keep it as it is); other answers pass
 * through untouched.
 */
async function rewriteAnswer(
  response: Response,
  change: (body: unknown, status: number) => unknown,
): Promise<Response> {
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("application/json")) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response);
  }
  const changed = change(body, response.status);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(changed === undefined ? text : JSON.stringify(changed), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** An error naming a concrete index names the alias the client used instead. */
function renamedInError(body: unknown, names: ReadonlyMap<string, string>): unknown {
  if (!isObject(body) || typeof body.message !== "string") return undefined;
  let message = body.message;
  for (const [index, name] of names) message = message.split(`\`${index}\``).join(`\`${name}\``);
  return message === body.message ? undefined : { ...body, message };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
