import { filterOfParam } from "../body/filter-param.js";

/** Reads one GET parameter's text as its POST body value; undefined when it does not parse. */
export type ParamReader = (text: string) => unknown;

export const textParam: ParamReader = (text) => text;

/** A non-negative integer. */
export const countParam: ParamReader = (text) =>
  /^[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;

export const floatParam: ParamReader = (text) => {
  const value = Number(text);
  return text.trim() !== "" && Number.isFinite(value) ? value : undefined;
};

export const booleanParam: ParamReader = (text) =>
  text === "true" ? true : text === "false" ? false : undefined;

/** A comma list, each entry trimmed. */
export const listParam: ParamReader = (text) => text.split(",").map((item) => item.trim());

/** A comma list, each entry trimmed, empty entries left out. */
export const nonEmptyListParam: ParamReader = (text) =>
  text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

/**
 * Meilisearch reads a GET filter as JSON when it is JSON (the array form), else as text.
 * A JSON `null` is refused there (unlike a POST `null`, which is no filter), so it counts
 * as a parameter that does not parse and a node words the error.
 */
export const filterParam: ParamReader = (text) => filterOfParam(text) ?? undefined;

/**
 * The POST body equivalent to a GET's query string, each parameter read by its reader, or
 * null when a parameter is unknown or does not parse: Meilisearch's own answer to the GET
 * is then the error.
 */
export function bodyOfParams(
  params: URLSearchParams,
  readers: Readonly<Record<string, ParamReader>>,
): Record<string, unknown> | null {
  const body: Record<string, unknown> = {};
  for (const [name, text] of params) {
    const reader = readers[name];
    if (reader === undefined) return null;
    const value = reader(text);
    if (value === undefined) return null;
    body[name] = value;
  }
  return body;
}
