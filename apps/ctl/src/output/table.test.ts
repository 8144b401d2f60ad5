import { describe, expect, it } from "vitest";
import { orDash, renderTable } from "./table.js";

describe("human tables", () => {
  it("aligns columns two spaces apart, numbers to the right, with no trailing spaces", () => {
    const rows = [
      { id: "node-0", shards: 12 },
      { id: "n1", shards: 4 },
    ];
    const table = renderTable(rows, [
      { heading: "NODE", cell: (row) => row.id },
      { heading: "SHARDS", cell: (row) => String(row.shards), align: "right" },
    ]);
    expect(table).toBe(["NODE    SHARDS", "node-0      12", "n1           4"].join("\n"));
  });

  it("shows missing values and empty lists as a dash", () => {
    expect([orDash(null), orDash(undefined), orDash(""), orDash([]), orDash(["a", "b"])]).toEqual([
      "-",
      "-",
      "-",
      "-",
      "a,b",
    ]);
  });
});
