/**
 * A structural JSON scan of one NDJSON line, on its UTF-8 bytes, that learns what routing
 * needs (is it an object, where is its primary-key value, is any top-level attribute name
 * unusual) without building the document. A line the scan calls an object is one
 * `JSON.parse` accepts; anything it cannot vouch for is left to `JSON.parse`.
 */

/** What a scanned line holds. */
export const LineKind = {
  /** Only JSON whitespace. */
  blank: 0,
  /** One JSON object (and whitespace around it). */
  object: 1,
  /** Valid JSON that is not an object. */
  otherValue: 2,
  /** Not JSON, or bytes that are not UTF-8: only `JSON.parse` of the decoded text can say more. */
  unknown: 3,
} as const;
export type LineKind = (typeof LineKind)[keyof typeof LineKind];

/** How the primary-key value of an object line is written. */
export const KeyValueKind = {
  absent: 0,
  /** A string without escapes: `valueStart..valueEnd` is its content, quotes excluded. */
  plainString: 1,
  /** A number: `valueStart..valueEnd` is its JSON text. */
  number: 2,
  /** Anything else (an escaped string, null, a boolean, an array, an object). */
  other: 3,
} as const;
export type KeyValueKind = (typeof KeyValueKind)[keyof typeof KeyValueKind];

/** Facts about an object line, filled by `scanDocumentLine` (reused from line to line). */
export interface DocumentLineFacts {
  /** Where the object's opening brace is. */
  openingBrace: number;
  keyValueKind: KeyValueKind;
  keyValueStart: number;
  keyValueEnd: number;
  /**
   * Whether a top-level attribute name starts with `_miroir_` or holds an escape (so that
   * its meaning, and whether it is reserved or the primary key, needs `JSON.parse`).
   */
  unusualAttribute: boolean;
}

export function documentLineFacts(): DocumentLineFacts {
  return {
    openingBrace: -1,
    keyValueKind: KeyValueKind.absent,
    keyValueStart: -1,
    keyValueEnd: -1,
    unusualAttribute: false,
  };
}

const END = -1;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const UNDERSCORE = 0x5f;
const LETTER_F = 0x66;
const LETTER_N = 0x6e;
const LETTER_T = 0x74;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const IN_OBJECT = 1;
const IN_ARRAY = 2;

const RESERVED_PREFIX = new TextEncoder().encode("_miroir_");

/** Open containers of the value being scanned, innermost last (grown, never shrunk). */
let containers: Uint8Array = new Uint8Array(64);
/** Whether the string just scanned held an escape. */
let escaped = false;

/**
 * Scans `bytes[start..end)` as one JSON value. `primaryKey` is the UTF-8 name of the
 * top-level attribute whose value `facts` locates; the last one wins, as in `JSON.parse`.
 * An object's members are read by a loop of their own (the usual line); any other value,
 * and a member's array or object, by the general scan.
 */
export function scanDocumentLine(
  bytes: Uint8Array,
  start: number,
  end: number,
  primaryKey: Uint8Array,
  facts: DocumentLineFacts,
): LineKind {
  let i = skipWhitespace(bytes, start, end);
  if (i === end) return LineKind.blank;
  facts.openingBrace = i;
  facts.keyValueKind = KeyValueKind.absent;
  facts.unusualAttribute = false;
  const view = cachedViewOf(bytes);
  if (bytes[i] !== OPEN_BRACE) {
    i = valueEnd(bytes, view, i, end);
    if (i === END || skipWhitespace(bytes, i, end) !== end) return LineKind.unknown;
    return LineKind.otherValue;
  }
  i = skipWhitespace(bytes, i + 1, end);
  if (byteAt(bytes, i, end) !== CLOSE_BRACE) {
    for (;;) {
      // A member: its name, a colon, its value, then a comma or the closing brace.
      if (byteAt(bytes, i, end) !== QUOTE) return LineKind.unknown;
      const nameStart = i + 1;
      i = stringEnd(bytes, view, nameStart, end);
      if (i === END) return LineKind.unknown;
      let atKeyValue = false;
      if (escaped || startsWith(bytes, nameStart, i - 1, RESERVED_PREFIX)) {
        facts.unusualAttribute = true;
      } else {
        atKeyValue = equalBytes(bytes, nameStart, i - 1, primaryKey);
      }
      i = skipWhitespace(bytes, i, end);
      if (byteAt(bytes, i, end) !== COLON) return LineKind.unknown;
      i = skipWhitespace(bytes, i + 1, end);
      const valueStart = i;
      const code = byteAt(bytes, i, end);
      if (code === QUOTE) i = stringEnd(bytes, view, i + 1, end);
      else if (code === MINUS || isDigit(code)) i = numberEnd(bytes, i, end);
      else if (code === OPEN_BRACE || code === OPEN_BRACKET) i = valueEnd(bytes, view, i, end);
      else i = literalEnd(bytes, i, end, code);
      if (i === END) return LineKind.unknown;
      if (atKeyValue) locateKeyValue(facts, code, valueStart, i);
      i = skipWhitespace(bytes, i, end);
      const next = byteAt(bytes, i, end);
      if (next === CLOSE_BRACE) break;
      if (next !== COMMA) return LineKind.unknown;
      i = skipWhitespace(bytes, i + 1, end);
    }
  }
  return skipWhitespace(bytes, i + 1, end) === end ? LineKind.object : LineKind.unknown;
}

/** Past the JSON value that starts at `i` (after whitespace), or `END`. */
function valueEnd(bytes: Uint8Array, view: DataView, i: number, end: number): number {
  let depth = 0;
  for (;;) {
    // A value starts at `i`.
    i = skipWhitespace(bytes, i, end);
    let code = byteAt(bytes, i, end);
    let complete = true;
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (depth === containers.length) containers = grown(containers);
      containers[depth] = code === OPEN_BRACE ? IN_OBJECT : IN_ARRAY;
      depth += 1;
      i = skipWhitespace(bytes, i + 1, end);
      if (byteAt(bytes, i, end) === (code === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
        depth -= 1;
        i += 1;
      } else {
        complete = false;
      }
    } else {
      if (code === QUOTE) i = stringEnd(bytes, view, i + 1, end);
      else if (code === MINUS || isDigit(code)) i = numberEnd(bytes, i, end);
      else i = literalEnd(bytes, i, end, code);
      if (i === END) return END;
    }
    // After a complete value: close what it completes, up to the next member or element.
    while (complete) {
      if (depth === 0) return i;
      i = skipWhitespace(bytes, i, end);
      code = byteAt(bytes, i, end);
      const container = containers[depth - 1];
      if (code === COMMA) {
        i += 1;
        complete = false;
      } else if (code === (container === IN_OBJECT ? CLOSE_BRACE : CLOSE_BRACKET)) {
        depth -= 1;
        i += 1;
      } else {
        return END;
      }
    }
    if (containers[depth - 1] === IN_ARRAY) continue;
    // An object member: `"name"`, `:`, and its value on the next turn.
    i = skipWhitespace(bytes, i, end);
    if (byteAt(bytes, i, end) !== QUOTE) return END;
    i = stringEnd(bytes, view, i + 1, end);
    if (i === END) return END;
    i = skipWhitespace(bytes, i, end);
    if (byteAt(bytes, i, end) !== COLON) return END;
    i += 1;
  }
}

/** Records where the scalar primary-key value that starts with `code` lies. */
function locateKeyValue(facts: DocumentLineFacts, code: number, start: number, end: number): void {
  if (code === QUOTE && !escaped) {
    facts.keyValueKind = KeyValueKind.plainString;
    facts.keyValueStart = start + 1;
    facts.keyValueEnd = end - 1;
  } else if (code === MINUS || isDigit(code)) {
    facts.keyValueKind = KeyValueKind.number;
    facts.keyValueStart = start;
    facts.keyValueEnd = end;
  } else {
    facts.keyValueKind = KeyValueKind.other;
  }
}

function byteAt(bytes: Uint8Array, i: number, end: number): number {
  return i < end ? (bytes[i] as number) : END;
}

function skipWhitespace(bytes: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const code = bytes[i] as number;
    // Most bytes after a token are above the space: one comparison tells them.
    if (code > SPACE) break;
    if (code !== SPACE && code !== TAB && code !== CARRIAGE_RETURN && code !== LINE_FEED) break;
    i += 1;
  }
  return i;
}

function grown(stack: Uint8Array): Uint8Array {
  const larger = new Uint8Array(stack.length * 2);
  larger.set(stack);
  return larger;
}

/** 1 for the bytes a string holds as themselves: printable ASCII but `"` and `\`. */
const PLAIN_IN_STRING = new Uint8Array(256).fill(1, SPACE, 0x80);
PLAIN_IN_STRING[QUOTE] = 0;
PLAIN_IN_STRING[BACKSLASH] = 0;

/**
 * Past the closing quote of a string whose content starts at `i`, or `END`; `view` shows
 * `bytes`. Sets `escaped`.
 */
function stringEnd(bytes: Uint8Array, view: DataView, i: number, end: number): number {
  escaped = false;
  for (;;) {
    // Four bytes a step while none needs a look: no quote, backslash, control or non-ASCII.
    while (i + 4 <= end && !hasSpecialByte(view.getInt32(i))) i += 4;
    while (i < end && PLAIN_IN_STRING[bytes[i] as number] === 1) i += 1;
    if (i >= end) return END;
    const code = bytes[i] as number;
    if (code === QUOTE) return i + 1;
    if (code === BACKSLASH) {
      escaped = true;
      i = escapeEnd(bytes, i + 1, end);
    } else if (code < SPACE) {
      return END;
    } else {
      i = utf8SequenceEnd(bytes, i, end);
    }
    if (i === END) return END;
  }
}

/**
 * Whether one of the four bytes of `word` is `"`, `\`, below 0x20 or above 0x7f (the
 * usual bit tricks: a byte below `n` borrows from its top bit in `word - n·0x01010101`).
 */
function hasSpecialByte(word: number): boolean {
  const quotes = word ^ 0x22222222;
  const backslashes = word ^ 0x5c5c5c5c;
  return (
    ((((word - 0x20202020) & ~word) |
      ((quotes - 0x01010101) & ~quotes) |
      ((backslashes - 0x01010101) & ~backslashes) |
      word) &
      0x80808080) !==
    0
  );
}

let viewedBytes: Uint8Array | null = null;
let view: DataView = new DataView(new ArrayBuffer(0));

/** A view of `bytes`, made once per buffer (lines come many to a buffer). */
function cachedViewOf(bytes: Uint8Array): DataView {
  if (bytes !== viewedBytes) {
    viewedBytes = bytes;
    view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return view;
}

/** Past an escape whose letter is at `i`: one of `"\/bfnrt`, or `u` and four hex digits. */
function escapeEnd(bytes: Uint8Array, i: number, end: number): number {
  const code = byteAt(bytes, i, end);
  if (code === 0x75 /* u */) {
    for (let digit = i + 1; digit <= i + 4; digit++) {
      if (!isHexDigit(byteAt(bytes, digit, end))) return END;
    }
    return i + 5;
  }
  const simple =
    code === QUOTE ||
    code === BACKSLASH ||
    code === 0x2f /* / */ ||
    code === 0x62 /* b */ ||
    code === LETTER_F ||
    code === LETTER_N ||
    code === 0x72 /* r */ ||
    code === LETTER_T;
  return simple ? i + 1 : END;
}

function isHexDigit(code: number): boolean {
  return (
    (code >= ZERO && code <= NINE) ||
    (code >= 0x41 && code <= 0x46) ||
    (code >= 0x61 && code <= 0x66)
  );
}

/**
 * Past the well-formed UTF-8 sequence starting at `i` (Unicode Table 3-7: no overlong
 * forms, no surrogates, nothing past U+10FFFF), or `END`.
 */
function utf8SequenceEnd(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i] as number;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else {
    return END;
  }
  const second = byteAt(bytes, i + 1, end);
  if (second < low || second > high) return END;
  for (let next = i + 2; next < i + length; next++) {
    const code = byteAt(bytes, next, end);
    if (code < 0x80 || code > 0xbf) return END;
  }
  return i + length;
}

/** Past a JSON number starting at `i`: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
function numberEnd(bytes: Uint8Array, i: number, end: number): number {
  if (bytes[i] === MINUS) i += 1;
  const first = byteAt(bytes, i, end);
  if (first === ZERO) i += 1;
  else if (first > ZERO && first <= NINE) i = digitsEnd(bytes, i + 1, end);
  else return END;
  if (byteAt(bytes, i, end) === DOT) {
    if (!isDigit(byteAt(bytes, i + 1, end))) return END;
    i = digitsEnd(bytes, i + 2, end);
  }
  const exponent = byteAt(bytes, i, end);
  if (exponent === 0x65 /* e */ || exponent === 0x45 /* E */) {
    i += 1;
    const sign = byteAt(bytes, i, end);
    if (sign === PLUS || sign === MINUS) i += 1;
    if (!isDigit(byteAt(bytes, i, end))) return END;
    i = digitsEnd(bytes, i + 1, end);
  }
  return i;
}

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

function digitsEnd(bytes: Uint8Array, i: number, end: number): number {
  while (i < end && isDigit(bytes[i] as number)) i += 1;
  return i;
}

const TRUE = new TextEncoder().encode("true");
const FALSE = new TextEncoder().encode("false");
const NULL = new TextEncoder().encode("null");

/** Past `true`, `false` or `null` starting at `i`, or `END`. */
function literalEnd(bytes: Uint8Array, i: number, end: number, code: number): number {
  const literal =
    code === LETTER_T ? TRUE : code === LETTER_F ? FALSE : code === LETTER_N ? NULL : null;
  if (literal === null || i + literal.length > end) return END;
  return equalBytes(bytes, i, i + literal.length, literal) ? i + literal.length : END;
}

function equalBytes(bytes: Uint8Array, start: number, end: number, expected: Uint8Array): boolean {
  if (end - start !== expected.length) return false;
  for (let k = 0; k < expected.length; k++) {
    if (bytes[start + k] !== expected[k]) return false;
  }
  return true;
}

function startsWith(bytes: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  if (end - start < prefix.length || bytes[start] !== UNDERSCORE) return false;
  return equalBytes(bytes, start, start + prefix.length, prefix);
}
