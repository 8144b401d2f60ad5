import { createHash, randomUUID } from "node:crypto";
import { meiliError } from "@miroir/errors";
import type { IdempotencyKeys, StoredAnswer } from "@miroir/taskstore";
import type { MiddlewareHandler } from "hono";
import { aliasUseOf } from "../aliases/alias-table.js";
import { readBodyBytes } from "../body/read-body.js";
import { isWriteRequest } from "./write-request.js";

export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";
/** Set on an answer that repeats the one a key's first request got. */
export const IDEMPOTENT_REPLAY_HEADER = "x-miroir-idempotent-replay";

/** The answer headers kept with a key (the rest are per response: request id, dates). */
const KEPT_HEADERS = ["content-type", "x-miroir-degraded", "retry-after"];
const MAX_KEY_LENGTH = 255;

export interface IdempotencyOptions {
  readonly keys: IdempotencyKeys;
  readonly ttlMs: number;
  readonly bodyLimitBytes: number;
  /** How long a claim holds without renewal (its holder renews it while the write runs). */
  readonly leaseMs?: number;
  /** The longest a repeat waits for the first request to finish before giving up. */
  readonly maxWaitMs?: number;
}

/**
 * `Idempotency-Key` on every write route: the first request under a key is performed and
 * its answer kept in the task store (before it goes out), every repeat with the same
 * request (method, path, query, content type and body) gets that answer without writing,
 * and a different request under the key is refused with `miroir_idempotency_key_reused`.
 * A repeat arriving while the first is still running waits for its answer. A 5xx answer
 * (no quorum, a node down) is not kept: the write did not happen for the client, and its
 * retry performs it. Keys are scoped by the caller's credential.
 */
export function idempotentWrites(options: IdempotencyOptions): MiddlewareHandler {
  const leaseMs = options.leaseMs ?? 10_000;
  const maxWaitMs = options.maxWaitMs ?? 120_000;
  const process = randomUUID();
  let requests = 0;
  return async (c, next) => {
    const given = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (given === undefined || !isWriteRequest(c.req.method, c.req.path)) return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(given)) {
      throw meiliError(
        "miroir_invalid_request",
        `The \`Idempotency-Key\` header must be 1 to ${MAX_KEY_LENGTH} visible ASCII characters.`,
      );
    }
    const body = await readBodyBytes(c, options.bodyLimitBytes);
    c.req.raw = new Request(c.req.url, {
      method: c.req.method,
      headers: c.req.raw.headers,
      body: body.byteLength > 0 ? body : null,
    });
    const key = sha256(c.req.header("authorization") ?? "", given);
    // A retry names the alias the client wrote to, wherever the alias points by then.
    const url = new URL(aliasUseOf(c.env)?.clientUrl ?? c.req.url);
    url.searchParams.sort();
    const fingerprint = sha256(
      c.req.method,
      url.pathname,
      url.search,
      c.req.header("content-type") ?? "",
      body,
    );
    requests = (requests + 1) % Number.MAX_SAFE_INTEGER;
    const holder = `${process}:${requests}`;
    const deadline = Date.now() + maxWaitMs;
    for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
      const claim = await options.keys.claim(key, fingerprint, holder, {
        ttlMs: options.ttlMs,
        leaseMs,
      });
      if (claim.kind === "conflict") throw keyReused();
      if (claim.kind === "completed") return replay(claim.answer);
      if (claim.kind === "claimed") break;
      if (Date.now() >= deadline) throw stillRunning(maxWaitMs);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const renewal = setInterval(
      () => void options.keys.renew(key, holder, leaseMs).catch(() => undefined),
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    try {
      await next();
    } finally {
      clearInterval(renewal);
    }
    const response = c.res;
    if (response.status >= 500) {
      await options.keys.release(key, holder);
      return;
    }
    const text = await response.text();
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    await options.keys.complete(
      key,
      holder,
      { status: response.status, headers, body: text },
      options.ttlMs,
    );
    c.res = undefined;
    c.res = new Response(text, { status: response.status, headers: response.headers });
  };
}

function replay(answer: StoredAnswer): Response {
  return new Response(answer.body === "" ? null : answer.body, {
    status: answer.status,
    headers: { ...answer.headers, [IDEMPOTENT_REPLAY_HEADER]: "true" },
  });
}

function sha256(...parts: (string | Uint8Array)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    const bytes = typeof part === "string" ? Buffer.from(part) : part;
    hash.update(`${bytes.byteLength}:`);
    hash.update(bytes);
  }
  return hash.digest("hex");
}

function keyReused() {
  return meiliError(
    "miroir_idempotency_key_reused",
    "This `Idempotency-Key` was already used for a different request (another method, path, query or body). Use a new key for a new request.",
  );
}

function stillRunning(waitedMs: number) {
  return meiliError(
    "miroir_idempotency_key_in_flight",
    `The first request sent with this \`Idempotency-Key\` was still running after ${waitedMs} ms. Retry later with the same key to get its answer.`,
  );
}
