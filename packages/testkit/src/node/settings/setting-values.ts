import { type ErrorCode, meiliError } from "@miroir/errors";
import { checkKnownFields, invalidType } from "../request-body.js";

/** Reads one setting's value at `path`, failing with that setting's code. */
export type SettingReader = (value: unknown, path: string, code: ErrorCode) => unknown;

function at(path: string, child: string | number): string {
  return typeof child === "number" ? `${path}[${child}]` : `${path}.${child}`;
}

export const stringList: SettingReader = (value, path, code) => {
  if (!Array.isArray(value)) throw invalidType(code, path, "an array", value);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw invalidType(code, at(path, i), "a string", item);
  });
  return value;
};

/** Meilisearch keeps these as sets: sorted, without duplicates. */
export const stringSet: SettingReader = (value, path, code) =>
  [...new Set(stringList(value, path, code) as string[])].sort();

/** `["*"]` as soon as the wildcard is listed, as Meilisearch stores it. */
export const attributeList: SettingReader = (value, path, code) => {
  const list = stringList(value, path, code) as string[];
  return list.includes("*") ? ["*"] : [...new Set(list)];
};

export const string: SettingReader = (value, path, code) => {
  if (typeof value !== "string") throw invalidType(code, path, "a string", value);
  return value;
};

export const boolean: SettingReader = (value, path, code) => {
  if (typeof value !== "boolean") throw invalidType(code, path, "a boolean", value);
  return value;
};

export function count(max = Number.MAX_SAFE_INTEGER): SettingReader {
  return (value, path, code) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw invalidType(code, path, "a positive integer", value);
    }
    if (value > max) {
      throw meiliError(
        code,
        `Invalid value at \`${path}\`: value: \`${value}\` is too large to be deserialized, maximum value authorized is \`${max}\``,
      );
    }
    return value;
  };
}

export function oneOf(values: readonly string[]): SettingReader {
  return (value, path, code) => {
    if (typeof value !== "string") throw invalidType(code, path, "a string", value);
    if (!values.includes(value)) {
      throw meiliError(
        code,
        `Unknown value \`${value}\` at \`${path}\`: expected one of ${values.map((v) => `\`${v}\``).join(", ")}`,
      );
    }
    return value;
  };
}

export function object(path: string, value: unknown, code: ErrorCode): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalidType(code, path, "an object", value);
  }
  return value as Record<string, unknown>;
}

/**
 * A partial object setting (PATCH semantics): each field read by its reader, `null`
 * meaning "back to the default".
 */
export function fields(readers: Record<string, SettingReader>): SettingReader {
  return (value, path, code) => {
    const body = object(path, value, code);
    checkKnownFields(body, Object.keys(readers), code, path);
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(body)) {
      out[name] =
        item === null ? null : (readers[name] as SettingReader)(item, at(path, name), code);
    }
    return out;
  };
}

export function nullable(reader: SettingReader): SettingReader {
  return (value, path, code) => (value === null ? null : reader(value, path, code));
}

export function childPath(path: string, child: string | number): string {
  return at(path, child);
}
