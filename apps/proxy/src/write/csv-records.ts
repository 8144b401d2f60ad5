import { malformedPayload } from "./payload-format.js";

/** One CSV record: its cells (unquoted) and its raw text without the line break. */
export interface CsvRecord {
  readonly cells: string[];
  readonly raw: string;
}

/**
 * Splits CSV text into records, honouring quoted cells (which may hold delimiters,
 * doubled quotes and line breaks). Empty lines are skipped, as Meilisearch does.
 */
export function* csvRecords(text: string, delimiter: string): Generator<CsvRecord> {
  const length = text.length;
  let position = 0;
  while (position < length) {
    const start = position;
    const cells: string[] = [];
    let cell = "";
    let quoted = false;
    let atCellStart = true;
    let end = length;
    let next = length;
    while (position < length) {
      const char = text[position] as string;
      if (quoted) {
        if (char === '"') {
          if (text[position + 1] === '"') {
            cell += '"';
            position += 2;
            continue;
          }
          quoted = false;
        } else {
          cell += char;
        }
        position += 1;
        continue;
      }
      if (char === '"' && atCellStart) {
        quoted = true;
        atCellStart = false;
        position += 1;
        continue;
      }
      if (char === delimiter) {
        cells.push(cell);
        cell = "";
        atCellStart = true;
        position += 1;
        continue;
      }
      if (char === "\n" || char === "\r") {
        end = position;
        next = char === "\r" && text[position + 1] === "\n" ? position + 2 : position + 1;
        break;
      }
      cell += char;
      atCellStart = false;
      position += 1;
    }
    if (quoted) throw malformedPayload("csv", "a quoted field is never closed");
    if (position >= length) {
      end = length;
      next = length;
    }
    position = next;
    const raw = text.slice(start, end);
    if (raw.trim() === "") continue;
    cells.push(cell);
    yield { cells, raw };
  }
}
