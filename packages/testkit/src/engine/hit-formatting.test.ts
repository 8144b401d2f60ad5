import { describe, expect, it } from "vitest";
import { movieIndex } from "./fixtures/movies.js";
import { search } from "./search.js";

const books = movieIndex({}, [
  { id: 456, title: "Le Petit Prince", genre: "adventure" },
  {
    id: 852,
    cattos: "pésti",
    doggos: [
      { name: "bobby", age: 2 },
      { name: "buddy", age: 4 },
    ],
  },
]);

describe("_formatted and _matchesPosition", () => {
  it("crops around the match and highlights it, as Meilisearch's own example", () => {
    const answer = search(books, {
      q: "prince",
      attributesToCrop: ["title"],
      cropLength: 2,
      attributesToHighlight: ["title"],
      attributesToRetrieve: ["title"],
    });
    expect(answer.hits[0]).toEqual({
      title: "Le Petit Prince",
      _formatted: { title: "…Petit <em>Prince</em>" },
    });
  });

  it("formats retrieved, highlighted and cropped displayed attributes, numbers as strings", () => {
    const answer = search(books, {
      q: "pésti",
      attributesToRetrieve: ["doggos.name"],
      attributesToHighlight: ["doggos.age", "cattos"],
      showMatchesPosition: true,
    });
    expect(answer.hits[0]).toEqual({
      doggos: [{ name: "bobby" }, { name: "buddy" }],
      _formatted: {
        cattos: "<em>pésti</em>",
        doggos: [
          { name: "bobby", age: "2" },
          { name: "buddy", age: "4" },
        ],
      },
      _matchesPosition: { cattos: [{ start: 0, length: 5 }] },
    });
  });

  it("marks only the typed prefix, uses custom tags, and locates matches inside arrays", () => {
    const answer = search(books, {
      q: "bob",
      attributesToRetrieve: ["id"],
      attributesToHighlight: ["*"],
      highlightPreTag: "[",
      highlightPostTag: "]",
      showMatchesPosition: true,
    });
    expect(answer.hits[0]?._formatted).toEqual({
      id: "852",
      cattos: "pésti",
      doggos: [
        { name: "[bob]by", age: "2" },
        { name: "buddy", age: "4" },
      ],
    });
    expect(answer.hits[0]?._matchesPosition).toEqual({
      "doggos.name": [{ start: 0, length: 3, indices: [0] }],
    });
  });

  it("crops from the start with the marker when nothing matches, with per-attribute lengths", () => {
    const long = movieIndex({}, [
      { id: 1, text: "one two three four five six", other: "alpha beta gamma" },
    ]);
    const answer = search(long, {
      attributesToCrop: ["text:2", "other"],
      cropLength: 1,
      cropMarker: "(…)",
    });
    expect(answer.hits[0]?._formatted).toEqual({ id: "1", text: "one two(…)", other: "alpha(…)" });
  });
});
