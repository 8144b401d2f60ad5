import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderTable } from "./table.js";

const cellText = fc.string({ unit: fc.constantFrom("a", "b", "-", "1", " ", "é"), maxLength: 12 });

describe("human tables, over random rows", () => {
  it("start every column at the same offset on every line and never end a line with a space", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cellText, cellText, cellText), { maxLength: 8 }), (rows) => {
        const columns = [0, 1, 2].map((index) => ({
          heading: `C${index}`,
          cell: (row: readonly string[]) => `[${row[index] ?? ""}]`,
        }));
        const lines = renderTable(rows, columns).split("\n");
        expect(lines).toHaveLength(rows.length + 1);
        const starts = lines[0]?.matchAll(/C\d/g) ?? [];
        const offsets = [...starts].map((match) => match.index);
        for (const [row, line] of lines.slice(1).entries()) {
          for (const [column, offset] of offsets.entries()) {
            expect(line.slice(offset)).toMatch(/^\[/);
            expect(line.slice(offset).startsWith(`[${rows[row]?.[column]}]`)).toBe(true);
          }
          expect(line).not.toMatch(/ $/);
        }
      }),
    );
  });
});
