import { CliFailure } from "../cli-failure.js";
import type { ResolvedKey } from "../connection/resolve-keys.js";

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** A body sent as it is (a file streamed), instead of `body` as JSON. */
export interface RawBody {
  readonly stream: ReadableStream<Uint8Array>;
  readonly contentType: string;
  /** Replaces the target's timeout (an upload takes as long as it takes). */
  readonly timeoutMs: number;
}

export interface RequestTarget {
  /** The proxy's base URL, e.g. `http://127.0.0.1:7700`. */
  readonly baseUrl: string;
  /** The key sent as `Authorization: Bearer`, when there is one. */
  readonly key: ResolvedKey | undefined;
  /** What the key is called in hints: `admin key` or `API key`. */
  readonly keyName: string;
  /** How to supply that key, said when the server asks for one that was not sent. */
  readonly keyHint: string;
  readonly timeoutMs: number;
}

/** One HTTP exchange with Miroir; every failure becomes a one-line `CliFailure`. */
export async function requestJson<T>(
  target: RequestTarget,
  method: HttpMethod,
  path: string,
  body?: unknown,
  raw?: RawBody,
): Promise<T> {
  const url = new URL(path, withTrailingSlash(target.baseUrl));
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.key !== undefined) headers.authorization = `Bearer ${target.key.value}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (raw !== undefined) headers["content-type"] = raw.contentType;
  let answer: Response;
  try {
    answer = await fetch(url, {
      method,
      headers,
      body: raw !== undefined ? raw.stream : body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(raw?.timeoutMs ?? target.timeoutMs),
      ...(raw !== undefined ? { duplex: "half" } : {}),
    } as RequestInit);
  } catch (error) {
    throw unreachable(target, error);
  }
  const text = await answer.text();
  const parsed = parseBody(text);
  if (!answer.ok) throw serverFailure(target, answer, parsed, text);
  if (text !== "" && parsed === undefined) {
    throw new CliFailure(
      `Miroir at ${target.baseUrl} answered ${method} ${path} with something that is not JSON.`,
    );
  }
  return parsed as T;
}

function withTrailingSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function serverFailure(
  target: RequestTarget,
  answer: Response,
  body: unknown,
  text: string,
): CliFailure {
  const meili = asMeiliError(body);
  const status = answer.status;
  if (meili === undefined) {
    const detail = text.trim() === "" ? answer.statusText : text.trim().split("\n")[0];
    return new CliFailure(`Miroir answered HTTP ${status}: ${detail}`, { status });
  }
  let message = `${meili.message} (${meili.code}, HTTP ${status})`;
  if (status === 401 || status === 403) {
    message +=
      target.key === undefined
        ? `. No ${target.keyName} was sent: ${target.keyHint}.`
        : `. The ${target.keyName} came from the ${target.key.source}.`;
  }
  return new CliFailure(message, { code: meili.code, status });
}

function asMeiliError(body: unknown): { message: string; code: string } | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { message, code } = body as Record<string, unknown>;
  return typeof message === "string" && typeof code === "string" ? { message, code } : undefined;
}

function unreachable(target: RequestTarget, error: unknown): CliFailure {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new CliFailure(
      `Miroir at ${target.baseUrl} did not answer within ${target.timeoutMs / 1000}s.`,
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = describeNetworkError(cause?.code, cause?.message ?? (error as Error).message);
  return new CliFailure(
    `Cannot reach Miroir at ${target.baseUrl}: ${reason}. Check --url and that the proxy is running.`,
  );
}

function describeNetworkError(code: string | undefined, message: string): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (ECONNREFUSED)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `the host name does not resolve (${code})`;
    case "ECONNRESET":
      return "the connection was reset (ECONNRESET)";
    case "ETIMEDOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return `the connection timed out (${code})`;
    default:
      return code === undefined ? message : `${message} (${code})`;
  }
}
