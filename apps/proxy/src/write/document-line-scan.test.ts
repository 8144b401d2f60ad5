import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  documentLineFacts,
  KeyValueKind,
  LineKind,
  scanDocumentLine,
} from "./document-line-scan.js";

const KEY = Buffer.from("id");

function scan(line: string | Buffer, key: Uint8Array = KEY) {
  const bytes = typeof line === "string" ? Buffer.from(line) : line;
  const facts = documentLineFacts();
  const kind = scanDocumentLine(bytes, 0, bytes.length, key, facts);
  return { kind, facts, bytes };
}

/** What `JSON.parse` makes of a line, in the scan's terms. */
function parsedKind(line: string): LineKind {
  if (/^[ \t\r\n]*$/.test(line)) return LineKind.blank;
  try {
    const value: unknown = JSON.parse(line);
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    return isObject ? LineKind.object : LineKind.otherValue;
  } catch {
    return LineKind.unknown;
  }
}

const whitespace = fc.constantFrom("", " ", "\t", "\r", "  ");
const attributeName = fc.oneof(
  fc.constantFrom("id", "title", "_miroir_shard", "_miroir_x", "ïd", "i\\u0064", "\\u005fmiroir_a"),
  fc.string({ maxLength: 6 }).map((name) => JSON.stringify(name).slice(1, -1)),
);
/** JSON text with whitespace between tokens and escaped names, as clients may write it. */
const jsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.jsonValue({ maxDepth: 0 }).map((value) => JSON.stringify(value)),
    fc.constantFrom("-0", "1e400", "1E+2", "0.5e-3", '"a\\"b\\u00e9\\n"', '"ünï"'),
    fc
      .array(fc.tuple(whitespace, tie("value"), whitespace), { maxLength: 4 })
      .map((items) => `[${items.map(([a, v, b]) => `${a}${v}${b}`).join(",")}]`),
    fc
      .array(fc.tuple(whitespace, attributeName, whitespace, tie("value")), { maxLength: 5 })
      .map(
        (members) =>
          `{${members.map(([a, name, b, value]) => `${a}"${name}"${b}:${value}`).join(",")}}`,
      ),
  ),
})).value;

/** One edit of a text: what a truncated, mistyped or corrupted line looks like. */
const edited = fc
  .tuple(
    jsonText,
    fc.nat(),
    fc.constantFrom("delete", "insert", "replace"),
    fc.constantFrom(...'{}[]",:.-+eE019 \t\\nultrfas\u0001\u007fé/u'),
  )
  .map(([text, at, edit, char]) => {
    const position = text.length === 0 ? 0 : at % text.length;
    if (edit === "delete") return text.slice(0, position) + text.slice(position + 1);
    if (edit === "insert") return text.slice(0, position) + char + text.slice(position);
    return text.slice(0, position) + char + text.slice(position + 1);
  });

describe("scanDocumentLine", () => {
  it("tells valid JSON, objects and blank lines apart exactly as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.oneof(jsonText, edited), whitespace, whitespace, (text, before, after) => {
        const line = `${before}${text}${after}`;
        expect(scan(line).kind).toBe(parsedKind(line));
      }),
      { numRuns: 3000 },
    );
  });

  it("finds the last top-level primary-key value, and notices reserved or escaped names", () => {
    fc.assert(
      fc.property(jsonText, (text) => {
        const { kind, facts, bytes } = scan(text);
        fc.pre(kind === LineKind.object);
        const document = JSON.parse(text) as Record<string, unknown>;
        expect(facts.openingBrace).toBe(text.indexOf("{"));
        const unusual = Object.keys(document).some((name) => name.startsWith("_miroir_"));
        if (unusual) expect(facts.unusualAttribute).toBe(true);
        // Without any escape in the line no attribute name is escaped, so only a reserved
        // name makes the line unusual (an escaped name always does, by design).
        if (!text.includes("\\")) expect(facts.unusualAttribute).toBe(unusual);
        if (facts.unusualAttribute) return;
        const value = document.id;
        const located = bytes.toString("utf8", facts.keyValueStart, facts.keyValueEnd);
        if (value === undefined) expect(facts.keyValueKind).toBe(KeyValueKind.absent);
        else if (facts.keyValueKind === KeyValueKind.plainString) expect(located).toBe(value);
        else if (facts.keyValueKind === KeyValueKind.number) expect(Number(located)).toBe(value);
        else {
          expect(facts.keyValueKind).toBe(KeyValueKind.other);
          expect(typeof value).not.toBe("number");
          if (typeof value === "string") expect(text).toContain("\\");
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("calls a line with bytes that are not UTF-8 unknown, so that it is decoded and parsed", () => {
    const cases = [
      [0x22, 0xff, 0x22],
      [0x22, 0xc0, 0xaf, 0x22],
      [0x22, 0xed, 0xa0, 0x80, 0x22],
      [0x22, 0xe2, 0x82, 0x22],
      [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22],
    ];
    for (const bytes of cases) {
      expect(scan(Buffer.from([0x7b, ...bytes, 0x3a, 0x31, 0x7d])).kind).toBe(LineKind.unknown);
    }
    expect(scan('{"t":"€ 😀 ü"}').kind).toBe(LineKind.object);
  });

  it("reads containers nested deeper than its first stack", () => {
    const deep = `{"id":1,"a":${"[".repeat(500)}${"]".repeat(500)}}`;
    expect(scan(deep).kind).toBe(LineKind.object);
    expect(scan(`{"a":${"[".repeat(500)}${"]".repeat(499)}}`).kind).toBe(LineKind.unknown);
  });

  it("locates string and number primary keys, and leaves other values to JSON.parse", () => {
    const at = (line: string) => {
      const { facts, bytes } = scan(line);
      return [facts.keyValueKind, bytes.toString("utf8", facts.keyValueStart, facts.keyValueEnd)];
    };
    expect(at('{"id":"a-1","x":2}')).toEqual([KeyValueKind.plainString, "a-1"]);
    expect(at('{ "x" : { "id" : 3 } , "id" : -12.5e1 }')).toEqual([KeyValueKind.number, "-12.5e1"]);
    expect(at('{"id":1,"id":"b"}')).toEqual([KeyValueKind.plainString, "b"]);
    expect(scan('{"id":"a\\u0062"}').facts.keyValueKind).toBe(KeyValueKind.other);
    expect(scan('{"id":null}').facts.keyValueKind).toBe(KeyValueKind.other);
    expect(scan('{"id":[1]}').facts.keyValueKind).toBe(KeyValueKind.other);
    expect(scan('{"x":{"id":1}}').facts.keyValueKind).toBe(KeyValueKind.absent);
  });
});
