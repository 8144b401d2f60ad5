import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  filterOf,
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  highlightPieces,
  type SearchState,
  searchBody,
  toggleFacet,
} from "./search-request.js";

const STATE: SearchState = { q: "dune", selected: {}, sort: "", page: 1, hitsPerPage: 10 };

describe("the search preview's request", () => {
  it("asks what a client asks: page mode, facets, highlighting with private marks", () => {
    expect(searchBody(STATE, ["genre"])).toEqual({
      q: "dune",
      page: 1,
      hitsPerPage: 10,
      facets: ["genre"],
      attributesToHighlight: ["*"],
      highlightPreTag: HIGHLIGHT_START,
      highlightPostTag: HIGHLIGHT_END,
    });
    expect(searchBody({ ...STATE, sort: "year:desc" }, []).sort).toEqual(["year:desc"]);
    expect(searchBody(STATE, []).facets).toEqual(["*"]);
  });

  it("ORs the values of one facet and ANDs facets, quoting values", () => {
    expect(filterOf({ genre: ["sci-fi", 'say "hi"'], year: ["1965"], empty: [] })).toEqual([
      ['genre = "sci-fi"', 'genre = "say \\"hi\\""'],
      ['year = "1965"'],
    ]);
    expect(filterOf({ "odd name": ["x"] })).toEqual([['"odd name" = "x"']]);
  });

  it("takes any attribute name, even one Object.prototype has", () => {
    const ticked = toggleFacet(STATE, "constructor", "x");
    expect(ticked.selected.constructor).toEqual(["x"]);
    expect(filterOf(ticked.selected)).toEqual([['constructor = "x"']]);
  });

  it("ticking a value twice leaves the state as it was, back on page 1", () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string(),
        fc.integer({ min: 1, max: 9 }),
        (attribute, value, page) => {
          const start = { ...STATE, page };
          const once = toggleFacet(start, attribute, value);
          expect(once.selected[attribute]).toEqual([value]);
          expect(once.page).toBe(1);
          expect(toggleFacet(once, attribute, value).selected[attribute]).toEqual([]);
        },
      ),
    );
  });
});

describe("highlighted text", () => {
  it("splits at the marks, matched words apart", () => {
    const text = `the ${HIGHLIGHT_START}dune${HIGHLIGHT_END} saga ${HIGHLIGHT_START}dun${HIGHLIGHT_END}`;
    expect(highlightPieces(text)).toEqual([
      { text: "the ", match: false },
      { text: "dune", match: true },
      { text: " saga ", match: false },
      { text: "dun", match: true },
    ]);
  });

  it("keeps every character of the text, marks removed, whatever the text holds", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), fc.boolean())), (parts) => {
        const clean = parts.map(
          ([text, match]) => [text.replace(/[\uE000\uE001]/g, ""), match] as const,
        );
        const formatted = clean
          .map(([text, match]) => (match ? `${HIGHLIGHT_START}${text}${HIGHLIGHT_END}` : text))
          .join("");
        const pieces = highlightPieces(formatted);
        expect(pieces.map((piece) => piece.text).join("")).toBe(clean.map(([t]) => t).join(""));
        expect(pieces.filter((p) => p.match).map((p) => p.text)).toEqual(
          clean.filter(([t, m]) => m && t.length > 0).map(([t]) => t),
        );
      }),
    );
  });
});
