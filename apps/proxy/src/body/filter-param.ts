/**
 * A GET `filter` parameter as Meilisearch reads it: the JSON value when the text is JSON
 * (the array form, but also a quoted string, a number, `null`…, each then judged as a
 * filter), else the text itself, the expression form.
 */
export function filterOfParam(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
