import { type ErrorCode, meiliError } from "@miroir/errors";
import type { Context } from "hono";

/** Rejects a query parameter the route does not know, as Meilisearch does. */
export function checkKnownParams(c: Context, known: readonly string[]): void {
  for (const name of Object.keys(c.req.queries())) {
    if (!known.includes(name)) {
      throw meiliError(
        "bad_request",
        `Unknown parameter \`${name}\`: expected one of ${known.map((k) => `\`${k}\``).join(", ")}`,
      );
    }
  }
}

export function notAPositiveInteger(code: ErrorCode, name: string, raw: string) {
  return meiliError(
    code,
    `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a positive integer`,
  );
}

/** A non-negative integer parameter, `fallback` when absent. */
export function integerParam(c: Context, name: string, code: ErrorCode, fallback: number): number {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw notAPositiveInteger(code, name, raw);
  return Number(raw);
}

/** A comma-separated list parameter (`fields=a,b`), undefined when absent. */
export function listParam(c: Context, name: string): string[] | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

export function booleanParam(c: Context, name: string, code: ErrorCode): boolean | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  if (raw !== "true" && raw !== "false") {
    throw meiliError(
      code,
      `Invalid value in parameter \`${name}\`: could not parse \`${raw}\` as a boolean, expected either \`true\` or \`false\``,
    );
  }
  return raw === "true";
}

/** The `customMetadata` a write may carry into its task. */
export function taskOptions(c: Context): { customMetadata?: string } {
  const customMetadata = c.req.query("customMetadata");
  return customMetadata === undefined ? {} : { customMetadata };
}

/** One page of a list in Meilisearch's `{results, offset, limit, total}` shape. */
export function page<T>(items: readonly T[], offset: number, limit: number) {
  return { results: items.slice(offset, offset + limit), offset, limit, total: items.length };
}
