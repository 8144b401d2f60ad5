/** Meilisearch reads a GET filter as JSON when it is JSON (the array form), else as text. */
export function filterOfParam(text: string): string | unknown[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // Not JSON: the expression form.
  }
  return text;
}

/** A non-negative integer parameter, or undefined when the text is not one. */
export function countOfParam(text: string): number | undefined {
  return /^[0-9]+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;
}

/** A `true`/`false` parameter, or undefined when the text is neither. */
export function booleanOfParam(text: string): boolean | undefined {
  return text === "true" ? true : text === "false" ? false : undefined;
}
