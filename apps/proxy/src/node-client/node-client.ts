import { Readable } from "node:stream";
import type { NodeEntry } from "@miroir/router";
import { type Dispatcher, Pool } from "undici";
import { NodeCallError, type NodeResponse } from "./node-response.js";

/** Raw bytes, or chunks streamed as they are produced (a large batch split by shard). */
export type NodeRequestBody = string | Uint8Array | Iterable<Uint8Array>;

export interface NodeRequest {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path from the node's root, e.g. `/indexes/movies/documents`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** A JSON value (serialised here) or raw bytes with their `contentType`. */
  readonly json?: unknown;
  readonly body?: NodeRequestBody;
  readonly contentType?: string;
  readonly timeoutMs?: number;
  /** Cancels the call (a hedged read whose other request answered first). */
  readonly signal?: AbortSignal;
}

/** Where a node listens; what the node client needs to keep a pool for it. */
export interface NodeAddress {
  readonly id: string;
  readonly address: string;
}

/** Calls the nodes of the fleet over one keep-alive pool per node. */
export interface NodeClient {
  /** Calls a node; a node the client has no pool for is `unreachable` (`NodeCallError`). */
  call<T = unknown>(nodeId: string, request: NodeRequest): Promise<NodeResponse<T>>;
  /**
   * The ids of every node the client has a pool for: the configured nodes in
   * configuration order, then the nodes added at run time in the order they joined.
   */
  readonly nodeIds: readonly string[];
  /**
   * Makes the pools match the fleet: opens one for each listed node that has none and
   * closes those of nodes no longer listed (letting their in-flight requests finish).
   */
  follow(nodes: readonly NodeAddress[]): void;
  close(): Promise<void>;
}

export interface NodeClientOptions {
  readonly nodes: readonly NodeEntry[];
  readonly nodeMasterKey: string | null;
  readonly connectionsPerNode: number;
  readonly keepAliveTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export function createNodeClient(options: NodeClientOptions): NodeClient {
  const pools = new Map<string, Pool>();
  const closing = new Set<Promise<void>>();
  let nodeIds: readonly string[] = [];
  function follow(nodes: readonly NodeAddress[]): void {
    const listed = new Set(nodes.map((node) => node.id));
    for (const [nodeId, pool] of pools) {
      if (listed.has(nodeId)) continue;
      pools.delete(nodeId);
      const closed = pool
        .close()
        .catch(() => undefined)
        .finally(() => closing.delete(closed));
      closing.add(closed);
    }
    for (const node of nodes) {
      if (pools.has(node.id)) continue;
      pools.set(
        node.id,
        new Pool(node.address, {
          connections: options.connectionsPerNode,
          keepAliveTimeout: options.keepAliveTimeoutMs,
          keepAliveMaxTimeout: Math.max(options.keepAliveTimeoutMs, 1_000),
        }),
      );
    }
    nodeIds = [...pools.keys()];
  }
  follow(options.nodes);
  // The same headers on every call (never changed once built): made once.
  const plainHeaders: Readonly<Record<string, string>> =
    options.nodeMasterKey === null
      ? { accept: "application/json" }
      : { accept: "application/json", authorization: `Bearer ${options.nodeMasterKey}` };
  const jsonHeaders = { ...plainHeaders, "content-type": "application/json" };

  async function call<T>(nodeId: string, request: NodeRequest): Promise<NodeResponse<T>> {
    const pool = pools.get(nodeId);
    if (pool === undefined) {
      throw new NodeCallError(nodeId, "unreachable", new Error(`no node ${nodeId} in the fleet`));
    }
    let headers = request.json !== undefined ? jsonHeaders : plainHeaders;
    let body: string | Uint8Array | Readable | undefined =
      request.body === undefined ||
      typeof request.body === "string" ||
      request.body instanceof Uint8Array
        ? request.body
        : sendable(request.body);
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
    } else if (request.contentType !== undefined) {
      headers = { ...plainHeaders, "content-type": request.contentType };
    }
    const timeout = request.timeoutMs ?? options.requestTimeoutMs;
    try {
      const answer = await dispatchText(
        pool,
        {
          method: request.method,
          path: pathWithQuery(request.path, request.query),
          headers,
          body: body ?? null,
          headersTimeout: timeout,
          bodyTimeout: timeout,
        },
        request.signal,
      );
      return { nodeId, status: answer.status, body: parseJson(answer.text) as T };
    } catch (error) {
      if (request.signal?.aborted === true) throw new NodeCallError(nodeId, "canceled", error);
      const code = (error as { code?: string }).code;
      const timedOut = code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT";
      throw new NodeCallError(nodeId, timedOut ? "timeout" : "unreachable", error);
    }
  }

  return {
    call,
    get nodeIds() {
      return nodeIds;
    },
    follow,
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
      await Promise.all(closing);
    },
  };
}

/** A body given in pieces up to this size is sent as one buffer, with its length. */
const GATHERED_BODY_BYTES = 8 * 1024 * 1024;
/** A larger one streams in pieces of at least this size. */
const STREAMED_PIECE_BYTES = 1024 * 1024;

/**
 * A body given in pieces (a batch's shard blocks) as few socket writes: gathered into one
 * buffer when small enough (one write, no chunked framing), else streamed with its small
 * pieces joined, so a large body costs a bounded extra copy, never a second whole one.
 */
function sendable(body: Iterable<Uint8Array>): Uint8Array | Readable {
  const pieces = body[Symbol.iterator]();
  const gathered: Uint8Array[] = [];
  let length = 0;
  for (let next = pieces.next(); next.done !== true; next = pieces.next()) {
    gathered.push(next.value);
    length += next.value.byteLength;
    if (length > GATHERED_BODY_BYTES) {
      return Readable.from(joined(gathered, pieces), { objectMode: false });
    }
  }
  return gathered.length === 1 ? (gathered[0] as Uint8Array) : Buffer.concat(gathered, length);
}

/** The pieces already read, then the rest, small ones joined up to `STREAMED_PIECE_BYTES`. */
function* joined(first: readonly Uint8Array[], rest: Iterator<Uint8Array>): Generator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = () => {
    const out = pending.length === 1 ? (pending[0] as Uint8Array) : Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    return out;
  };
  const take = function* (piece: Uint8Array) {
    pending.push(piece);
    pendingBytes += piece.byteLength;
    if (pendingBytes >= STREAMED_PIECE_BYTES) yield flush();
  };
  for (const piece of first) yield* take(piece);
  for (let next = rest.next(); next.done !== true; next = rest.next()) yield* take(next.value);
  if (pendingBytes > 0) yield flush();
}

/**
 * One request and its whole answer as text, handed to the pool's dispatcher directly: the
 * answer's chunks are gathered as they come, with no response stream per call (what
 * `pool.request` builds). Aborting `signal` aborts the call, queued or running.
 */
function dispatchText(
  pool: Pool,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal | undefined,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let status = 0;
    const chunks: Buffer[] = [];
    let length = 0;
    let abortCall: ((reason: Error) => void) | null = null;
    let settled = false;
    const abortReason = () =>
      signal?.reason instanceof Error ? signal.reason : new Error("The node call was aborted.");
    const onAbort = () => {
      const reason = abortReason();
      abortCall?.(reason);
      fail(reason);
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    if (signal !== undefined) {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
    }
    pool.dispatch(options, {
      onConnect(abort) {
        abortCall = abort;
        if (settled) abort(abortReason());
      },
      onHeaders(statusCode) {
        status = statusCode;
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        length += chunk.length;
        return true;
      },
      onComplete() {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        resolve({ status, text: utf8Text(chunks, length) });
      },
      onError: fail,
    });
  });
}

/** The answer's bytes as text, a leading byte order mark skipped (as undici's `text()`). */
function utf8Text(chunks: readonly Buffer[], length: number): string {
  if (length === 0) return "";
  const buffer = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
  const bom = length > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString("utf8", bom ? 3 : 0, length);
}

function pathWithQuery(
  path: string,
  query: Readonly<Record<string, string | undefined>> | undefined,
): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, value);
  }
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}

function parseJson(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
