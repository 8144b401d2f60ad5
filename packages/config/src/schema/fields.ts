import * as v from "valibot";
import { parseRate, parseSchedule, parseTimeWindow } from "./time-expressions.js";

/**
 * A documented key with a built-in default. The description travels inside the schema so
 * the configuration reference is generated from the very object that validates.
 */
export function setting<
  const TSchema extends v.GenericSchema,
  const TDefault extends v.Default<TSchema, undefined>,
>(schema: TSchema, fallback: TDefault, description: string) {
  return v.pipe(v.optional(schema, fallback), v.description(description));
}

/** A documented block whose keys all have defaults, so the whole block may be omitted. */
export function section<const TEntries extends v.ObjectEntries>(
  description: string,
  entries: TEntries,
) {
  const block = v.strictObject(entries);
  const empty = {} as v.InferInput<typeof block>;
  return v.pipe(v.optional(block, empty), v.description(description));
}

export const boolean = () => v.boolean();

export const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(
    v.number(),
    v.integer(`must be a whole number between ${min} and ${max}`),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

export const ratio = () =>
  v.pipe(
    v.number(),
    v.minValue(0, "must be between 0 and 1"),
    v.maxValue(1, "must be between 0 and 1"),
  );

export const positiveNumber = () =>
  v.pipe(v.number(), v.minValue(0, "must be zero or a positive number"));

export const port = () => integer(1, 65_535);

export const text = () => v.pipe(v.string(), v.minLength(1, "must not be empty"));

export const secret = () => v.nullable(text());

export const oneOf = <const TOptions extends readonly [string, ...string[]]>(options: TOptions) =>
  v.picklist(options, `must be one of ${options.join(" | ")}`);

export const httpUrl = () =>
  v.pipe(
    v.string(),
    v.check(isHttpUrl, 'must be an http(s) URL with a host, for example "http://127.0.0.1:7700"'),
  );

/**
 * The problem with a node's address, or null when it is one: an http(s) URL with a host
 * and no user or password in it (the node master key is the only credential Miroir sends
 * a node, and only in its `Authorization` header).
 */
export function nodeAddressProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http(s) URL with a host, for example "http://127.0.0.1:7700"';
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.host === "") {
    return 'must be an http(s) URL with a host, for example "http://127.0.0.1:7700"';
  }
  if (url.username !== "" || url.password !== "") {
    return "must not carry a user or password: Miroir authenticates to nodes with node_master_key (MIROIR_NODE_MASTER_KEY)";
  }
  return null;
}

export const nodeAddress = () =>
  v.pipe(
    v.string(),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const problem = nodeAddressProblem(dataset.value);
      if (problem !== null) addIssue({ message: problem });
    }),
  );

export const urlWithScheme = (schemes: readonly string[]) =>
  v.pipe(
    v.string(),
    v.check(
      (value) => hasScheme(value, schemes),
      `must be a URL with scheme ${schemes.map((s) => `${s}://`).join(" or ")}`,
    ),
  );

export const schedule = () =>
  v.pipe(
    v.string(),
    v.check(
      (value) => parseSchedule(value) !== undefined,
      'must be "every <duration>" (e.g. "every 6h") or a daily window "HH:MM-HH:MM" (e.g. "02:00-04:00")',
    ),
  );

export const rate = () =>
  v.pipe(
    v.string(),
    v.check(
      (value) => parseRate(value) !== undefined,
      'must be a rate "<count>/<second|minute|hour>", e.g. "60/minute"',
    ),
  );

export const stringList = () => v.array(v.string());

/** Daily UTC windows such as `"02:00-04:00"` (one may wrap past midnight). */
export const timeWindows = () =>
  v.array(
    v.pipe(
      v.string(),
      v.check(
        (value) => parseTimeWindow(value) !== undefined,
        'must be a daily window "HH:MM-HH:MM" (e.g. "02:00-04:00")',
      ),
    ),
  );

/** Document fields Miroir owns live under the reserved `_miroir_` prefix. */
export const reservedField = () =>
  v.pipe(
    v.string(),
    v.regex(
      /^_miroir_[a-z0-9_]+$/,
      'must be a reserved field name: "_miroir_" followed by a-z, 0-9 or _',
    ),
  );

function isHttpUrl(value: string): boolean {
  return hasScheme(value, ["http", "https"]);
}

function hasScheme(value: string, schemes: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return schemes.includes(url.protocol.slice(0, -1)) && url.host !== "";
  } catch {
    return false;
  }
}
