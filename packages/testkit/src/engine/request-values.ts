import { type ErrorCode, MeiliError, meiliError } from "@miroir/errors";

/** How Meilisearch's deserialiser names a value it did not expect. */
export function describeFound(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `a string: \`${JSON.stringify(value)}\``;
  if (typeof value === "boolean") return `a boolean: \`${value}\``;
  if (typeof value === "number") {
    if (Number.isInteger(value)) {
      return value < 0 ? `a negative integer: \`${value}\`` : `a positive integer: \`${value}\``;
    }
    return `a number: \`${value}\``;
  }
  if (Array.isArray(value)) return `an array: \`${JSON.stringify(value)}\``;
  return `an object: \`${JSON.stringify(value)}\``;
}

export function invalidValueType(
  code: ErrorCode,
  path: string,
  expected: string,
  value: unknown,
): MeiliError {
  return meiliError(
    code,
    `Invalid value type at \`${path}\`: expected ${expected}, but found ${describeFound(value)}`,
  );
}

/** Rejects fields a body may not carry, with Meilisearch's `Unknown field` wording. */
export function rejectUnknownFields(
  body: Record<string, unknown>,
  known: readonly string[],
  code: ErrorCode,
  where = "",
): void {
  for (const field of Object.keys(body)) {
    if (!known.includes(field)) {
      throw meiliError(
        code,
        `Unknown field \`${field}\`${where}: expected one of ${known.map((name) => `\`${name}\``).join(", ")}`,
      );
    }
  }
}

export function expectObject(raw: unknown, code: ErrorCode, path = ""): Record<string, unknown> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw meiliError(
      code,
      `Invalid value type${path === "" ? "" : ` at \`${path}\``}: expected an object, but found ${describeFound(raw)}`,
    );
  }
  return raw as Record<string, unknown>;
}

export function optionalString(value: unknown, code: ErrorCode, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalidValueType(code, path, "a string", value);
  return value;
}

export function optionalBoolean(
  value: unknown,
  code: ErrorCode,
  path: string,
): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "boolean") throw invalidValueType(code, path, "a boolean", value);
  return value;
}

export function optionalCount(value: unknown, code: ErrorCode, path: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw invalidValueType(code, path, "a positive integer", value);
  }
  return value;
}

export function optionalStrings(
  value: unknown,
  code: ErrorCode,
  path: string,
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw invalidValueType(code, path, "an array", value);
  value.forEach((item, index) => {
    if (typeof item !== "string")
      throw invalidValueType(code, `${path}[${index}]`, "a string", item);
  });
  return value as string[];
}

/** Prefixes an error raised inside one query of a multi-search, keeping its code. */
export function insideQuery(error: unknown, position: number): unknown {
  if (!(error instanceof MeiliError)) return error;
  return new MeiliError(
    { ...error.toBody(), message: `Inside \`.queries[${position}]\`: ${error.message}` },
    error.status,
  );
}
