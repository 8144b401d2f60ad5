import { bench, describe } from "vitest";
import type { Document } from "./document.js";
import type { EngineIndex } from "./engine-index.js";
import { search } from "./search.js";
import { defaultSettings } from "./settings.js";

const WORDS = [
  "river",
  "mountain",
  "city",
  "night",
  "woman",
  "wonder",
  "sea",
  "fire",
  "garden",
  "storm",
];
const GENRES = ["Drama", "Action", "Comedy", "History", "Romance"];

function corpus(size: number): Map<string, Document> {
  const documents = new Map<string, Document>();
  let seed = 7;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  for (let i = 0; i < size; i++) {
    const words = Array.from({ length: 8 }, () => WORDS[next() % WORDS.length]);
    documents.set(String(i), {
      id: i,
      title: words.slice(0, 3).join(" "),
      overview: words.join(" "),
      genre: GENRES[next() % GENRES.length],
      price: next() % 100,
    });
  }
  return documents;
}

const index: EngineIndex = {
  uid: "bench",
  primaryKey: "id",
  settings: {
    ...defaultSettings(),
    filterableAttributes: ["genre", "price"],
    sortableAttributes: ["price"],
  },
  documents: corpus(10_000),
};
search(index, { q: "warm up" });

describe("search over 10 000 documents", () => {
  bench("keyword search with score details", () => {
    search(index, { q: "wonder woman", showRankingScoreDetails: true });
  });
  bench("prefix and typo search", () => {
    search(index, { q: "mountian gard" });
  });
  bench("placeholder search, filter, sort and facets", () => {
    search(index, {
      filter: "genre = drama AND price > 20",
      sort: ["price:asc"],
      facets: ["genre", "price"],
    });
  });
});

/** A corpus with a wide vocabulary, where most documents do not hold the query words. */
function variedCorpus(size: number): Map<string, Document> {
  const documents = new Map<string, Document>();
  let seed = 11;
  const next = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  const vocabulary = Array.from(
    { length: 5000 },
    (_, i) => `w${(i * 7919).toString(36)}x${i % 97}`,
  );
  for (let i = 0; i < size; i++) {
    const words = Array.from({ length: 12 }, () => vocabulary[next() % vocabulary.length]);
    documents.set(String(i), {
      id: i,
      title: words.slice(0, 4).join(" "),
      overview: words.join(" "),
      genre: GENRES[next() % GENRES.length],
    });
  }
  return documents;
}

const varied: EngineIndex = { ...index, documents: variedCorpus(10_000) };
const firstWords = String(varied.documents.get("0")?.title).split(" ");
search(varied, { q: "warm up" });

describe("search over 10 000 documents with a 5 000-word vocabulary", () => {
  bench("two-word keyword search", () => {
    search(varied, { q: `${firstWords[0]} ${firstWords[1]?.slice(0, 4)}`, showRankingScore: true });
  });
});
