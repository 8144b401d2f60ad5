/** Meilisearch's JSON reader (serde_json) refuses bodies nested deeper than this. */
export const MAX_JSON_DEPTH = 128;

/**
 * Where a JSON text first nests deeper than `MAX_JSON_DEPTH` arrays and objects, worded
 * as serde_json words it (`recursion limit exceeded at line 1 column 140`), or null when
 * it never does. Characters inside strings do not count.
 */
export function jsonDepthProblem(text: string): string | null {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  let inString = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at);
    if (inString) {
      if (char === 0x5c) at++;
      else if (char === 0x22) inString = false;
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x0a) {
      line++;
      lineStart = at + 1;
    } else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > MAX_JSON_DEPTH) {
        return `recursion limit exceeded at line ${line} column ${at - lineStart}`;
      }
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return null;
}
