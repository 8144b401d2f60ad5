/** One column of a human table: its heading and how to show a row's cell. */
export interface Column<Row> {
  readonly heading: string;
  readonly cell: (row: Row) => string;
  /** Numbers read best right-aligned. */
  readonly align?: "left" | "right";
}

/**
 * A plain-text table: a heading line, then one line per row, columns separated by two
 * spaces, no trailing spaces, no colours (it must read the same in a pipe).
 */
export function renderTable<Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.cell(row)));
  const widths = columns.map((column, index) =>
    Math.max(column.heading.length, ...cells.map((line) => (line[index] ?? "").length)),
  );
  const format = (line: readonly string[]) =>
    columns
      .map((column, index) => {
        const text = line[index] ?? "";
        const width = widths[index] ?? 0;
        return column.align === "right" ? text.padStart(width) : text.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [format(columns.map((column) => column.heading)), ...cells.map(format)].join("\n");
}

/** How a missing value shows in a table cell. */
export function orDash(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  if (Array.isArray(value)) return value.length === 0 ? "-" : value.join(",");
  return String(value);
}
