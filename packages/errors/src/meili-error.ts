import type { ErrorSpec, ErrorType } from "./error-spec.js";
import { meiliCodes } from "./meili-codes.js";
import { miroirCodes } from "./miroir-codes.js";

export type MeiliCode = keyof typeof meiliCodes;
export type MiroirCode = keyof typeof miroirCodes;
export type ErrorCode = MeiliCode | MiroirCode;

/** The JSON body of every error answer, in Meilisearch's shape. */
export interface ErrorBody {
  message: string;
  code: string;
  type: ErrorType;
  link: string;
}

const MEILI_LINK = "https://docs.meilisearch.com/errors#";
const MIROIR_LINK = "docs/errors.md#";

export function specOf(code: ErrorCode): ErrorSpec {
  return (miroirCodes as Record<string, ErrorSpec>)[code] ?? meiliCodes[code as MeiliCode];
}

export function linkOf(code: string): string {
  return (code in miroirCodes ? MIROIR_LINK : MEILI_LINK) + code;
}

export function isErrorCode(code: string): code is ErrorCode {
  return code in meiliCodes || code in miroirCodes;
}

/**
 * An error as Meilisearch would report it. Thrown by libraries and turned into a response
 * in one place; a node's own error passes through with its status and body unchanged.
 */
export class MeiliError extends Error {
  readonly code: string;
  readonly type: ErrorType;
  readonly status: number;
  readonly link: string;

  constructor(code: ErrorCode, message: string);
  constructor(body: ErrorBody, status: number);
  constructor(codeOrBody: ErrorCode | ErrorBody, messageOrStatus: string | number) {
    if (typeof codeOrBody === "string") {
      const spec = specOf(codeOrBody);
      super(messageOrStatus as string);
      this.code = codeOrBody;
      this.type = spec.type;
      this.status = spec.status;
      this.link = linkOf(codeOrBody);
    } else {
      super(codeOrBody.message);
      this.code = codeOrBody.code;
      this.type = codeOrBody.type;
      this.status = messageOrStatus as number;
      this.link = codeOrBody.link;
    }
    this.name = "MeiliError";
  }

  toBody(): ErrorBody {
    return { message: this.message, code: this.code, type: this.type, link: this.link };
  }

  /** Headers Meilisearch sends with this error (503 answers carry `Retry-After: 10`). */
  headers(): Record<string, string> {
    return this.status === 503 ? { "retry-after": "10" } : {};
  }

  toResponse(extraHeaders: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(this.toBody()), {
      status: this.status,
      headers: { "content-type": "application/json", ...this.headers(), ...extraHeaders },
    });
  }
}

/** Builds the error for a code with its catalogue status and type. */
export function meiliError(code: ErrorCode, message: string): MeiliError {
  return new MeiliError(code, message);
}

/** Reads an error body a node answered with, or `undefined` when it is not one. */
export function parseErrorBody(value: unknown): ErrorBody | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { message, code, type, link } = value as Record<string, unknown>;
  if (typeof message !== "string" || typeof code !== "string" || typeof type !== "string") {
    return undefined;
  }
  if (!["invalid_request", "auth", "internal", "system"].includes(type)) return undefined;
  return {
    message,
    code,
    type: type as ErrorType,
    link: typeof link === "string" ? link : linkOf(code),
  };
}
