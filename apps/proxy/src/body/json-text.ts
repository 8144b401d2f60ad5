/** Byte offset of the first invalid UTF-8 sequence, or -1 when the bytes are valid UTF-8. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at] as number;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead < 0xe0
          ? 2
          : lead >= 0xe0 && lead < 0xf0
            ? 3
            : lead >= 0xf0 && lead < 0xf5
              ? 4
              : 0;
    if (length === 0 || at + length > bytes.length) return at;
    for (let next = 1; next < length; next++) {
      if (((bytes[at + next] as number) & 0xc0) !== 0x80) return at;
    }
    if (length === 3) {
      const second = bytes[at + 1] as number;
      if ((lead === 0xe0 && second < 0xa0) || (lead === 0xed && second >= 0xa0)) return at;
    }
    if (length === 4) {
      const second = bytes[at + 1] as number;
      if ((lead === 0xf0 && second < 0x90) || (lead === 0xf4 && second >= 0x90)) return at;
    }
    at += length;
  }
  return -1;
}

/**
 * A JSON body's text, or serde_json's complaint about bytes that are not UTF-8, as
 * Meilisearch words it: `invalid unicode code point at line L column C`, where C is the
 * column of the quote closing the string that holds them.
 */
export function jsonText(bytes: Uint8Array): { text: string } | { problem: string } {
  const invalid = firstInvalidUtf8(bytes);
  if (invalid === -1) return { text: new TextDecoder().decode(bytes) };
  let line = 1;
  let lineStart = 0;
  for (let at = 0; at < invalid; at++) {
    if (bytes[at] === 0x0a) {
      line++;
      lineStart = at + 1;
    }
  }
  let end = invalid;
  while (end < bytes.length && bytes[end] !== 0x22) end += bytes[end] === 0x5c ? 2 : 1;
  return { problem: `invalid unicode code point at line ${line} column ${end - lineStart + 1}` };
}
