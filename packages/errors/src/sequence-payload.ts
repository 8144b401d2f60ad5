/**
 * Where Meilisearch's JSON reader stops a body that must be an array (`delete-batch`): it
 * looks at the first value and refuses its type before reading further, so a body that
 * opens an object, or holds a single number, string, boolean or null, is `bad_request`
 * whatever follows, while anything that does not start a value is `malformed_payload`.
 * Returns the `bad_request` message, or null when the body starts an array or no value.
 */
export function notASequence(text: string): string | null {
  let line = 1;
  let lineStart = 0;
  let at = 0;
  while (at < text.length && " \t\n\r".includes(text[at] as string)) {
    if (text[at] === "\n") {
      line++;
      lineStart = at + 1;
    }
    at++;
  }
  const rest = text.slice(at);
  const where = (end: number) => `at line ${line} column ${end - lineStart}`;
  const refused = (found: string, end: number) =>
    `Json deserialize error: invalid type: ${found}, expected a sequence ${where(end)}`;
  if (rest.startsWith("{")) return refused("map", at);
  const scalar =
    /^(?:"((?:[^"\\]|\\.)*)"|(-?(?:0|[1-9]\d*))(?![\d.eE])|(-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false)|(null))/.exec(
      rest,
    );
  if (scalar === null) return null;
  const end = at + scalar[0].length;
  if (scalar[1] !== undefined) {
    let value: string;
    try {
      value = JSON.parse(scalar[0]) as string;
    } catch {
      return null;
    }
    return refused(`string ${JSON.stringify(value)}`, end);
  }
  if (scalar[2] !== undefined) return refused(`integer \`${scalar[2]}\``, end);
  if (scalar[3] !== undefined) return refused(`floating point \`${Number(scalar[3])}\``, end);
  if (scalar[4] !== undefined) return refused(`boolean \`${scalar[4]}\``, end);
  return refused("null", end);
}
