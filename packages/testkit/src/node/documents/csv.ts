import { meiliError } from "@miroir/errors";
import type { Document } from "../../engine/index.js";

type ColumnType = "string" | "number" | "boolean";

function malformed(message: string) {
  return meiliError("malformed_payload", `The \`csv\` payload provided is malformed: ${message}.`);
}

/** Splits CSV text into records of fields, honouring double-quoted fields and `""` escapes. */
function records(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
    } else if (ch === delimiter) {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += ch;
    }
  }
  if (quoted) throw malformed("an unterminated quoted field");
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

function column(header: string): { name: string; type: ColumnType } {
  const at = header.lastIndexOf(":");
  if (at > 0) {
    const type = header.slice(at + 1).trim();
    if (type === "string" || type === "number" || type === "boolean") {
      return { name: header.slice(0, at), type };
    }
  }
  return { name: header, type: "string" };
}

function cell(raw: string, type: ColumnType, name: string, line: number): unknown {
  if (raw === "") return null;
  if (type === "string") return raw;
  if (type === "number") {
    const value = Number(raw.trim());
    if (Number.isNaN(value)) {
      throw malformed(`the value \`${raw}\` of column \`${name}\` at line ${line} is not a number`);
    }
    return value;
  }
  const flag = raw.trim().toLowerCase();
  if (flag !== "true" && flag !== "false") {
    throw malformed(`the value \`${raw}\` of column \`${name}\` at line ${line} is not a boolean`);
  }
  return flag === "true";
}

/**
 * Documents of a CSV payload as Meilisearch reads them: a header row whose names may carry a
 * `:string`, `:number` or `:boolean` type, empty cells as null, dotted names left flat.
 */
export function parseCsv(text: string, delimiter = ","): Document[] {
  const [header, ...rows] = records(text, delimiter);
  if (header === undefined) return [];
  const columns = header.map(column);
  return rows.map((row, r) => {
    if (row.length !== columns.length) {
      throw malformed(
        `line ${r + 2} has ${row.length} fields but the header has ${columns.length}`,
      );
    }
    const doc: Document = {};
    columns.forEach((col, i) => {
      doc[col.name] = cell(row[i] ?? "", col.type, col.name, r + 2);
    });
    return doc;
  });
}
