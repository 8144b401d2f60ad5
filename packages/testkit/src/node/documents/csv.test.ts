import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCsv } from "./csv.js";

function quote(field: string): string {
  return /[",\r\n]/.test(field) || field.startsWith('"')
    ? `"${field.replaceAll('"', '""')}"`
    : field;
}

describe("parseCsv", () => {
  it("reads back any table of non-empty strings written with RFC 4180 quoting", () => {
    const cell = fc.string({ minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 6 }),
        fc.boolean(),
        (header, rows, crlf) => {
          const eol = crlf ? "\r\n" : "\n";
          const table = rows.map((row) => row.slice(0, header.length));
          const text = [header, ...table].map((row) => row.map(quote).join(",")).join(eol) + eol;
          expect(parseCsv(text)).toEqual(
            table.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]]))),
          );
        },
      ),
    );
  });

  it("types columns by their :number and :boolean suffixes and rejects values that do not fit", () => {
    expect(parseCsv("id:number,ok:boolean,name:string\n1,TRUE,x\n")).toEqual([
      { id: 1, ok: true, name: "x" },
    ]);
    expect(() => parseCsv("id:number\nabc\n")).toThrow(/not a number/);
    expect(() => parseCsv("ok:boolean\nmaybe\n")).toThrow(/not a boolean/);
    expect(() => parseCsv('id\n"open\n')).toThrow(/unterminated/);
    expect(() => parseCsv("a,b\n1\n")).toThrow(/2 fields|1 fields/);
  });
});
