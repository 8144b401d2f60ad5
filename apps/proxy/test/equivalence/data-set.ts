import { seededRandom } from "./seeded-random.js";

/** The vocabulary of titles and overviews; queries draw words, prefixes and typos from it. */
export const WORDS = [
  "river",
  "mountain",
  "shadow",
  "garden",
  "silver",
  "winter",
  "harbor",
  "lantern",
  "forest",
  "castle",
  "thunder",
  "velvet",
  "orchard",
  "compass",
  "meadow",
  "crystal",
  "falcon",
  "ember",
  "glacier",
  "horizon",
  "island",
  "jasmine",
  "kingdom",
  "labyrinth",
  "marble",
  "nebula",
  "ocean",
  "pepper",
  "quartz",
  "raven",
  "sapphire",
  "tundra",
  "umbrella",
  "valley",
  "willow",
  "zephyr",
  "anchor",
  "bramble",
  "canyon",
  "dune",
  "echo",
  "fjord",
  "granite",
  "hollow",
  "ivory",
  "juniper",
  "kestrel",
  "lagoon",
  "mirror",
  "north",
  "opal",
  "prairie",
  "quiet",
  "ridge",
  "summit",
  "timber",
] as const;

export const GENRES = [
  "drama",
  "comedy",
  "horror",
  "action",
  "romance",
  "documentary",
  "thriller",
  "animation",
];
export const TAGS = [
  "classic",
  "indie",
  "award",
  "family",
  "cult",
  "remake",
  "sequel",
  "festival",
  "short",
  "silent",
  "noir",
  "musical",
  "epic",
  "biopic",
  "satire",
];
export const COUNTRIES = ["France", "Japan", "Brazil", "Canada", "Kenya", "India", "Norway"];
export const COLORS = ["red", "green", "blue", "black", "white"];

export type Movie = Record<string, unknown> & { id: number };

function words(random: ReturnType<typeof seededRandom>, min: number, max: number): string {
  return Array.from({ length: random.int(min, max) }, () => random.pick(WORDS)).join(" ");
}

/**
 * Every third title is capitalised: a string sort orders case-insensitively while the
 * ranking details show the original spelling. Chosen by id, so the random draws (and thus
 * every other field) stay as they were.
 */
function titleCase(id: number, title: string): string {
  if (id % 3 !== 0) return title;
  return title.replace(/\b[a-z]/g, (letter) => letter.toUpperCase());
}

/**
 * `count` movies generated from `seed`: text from the word list, numbers, arrays, nested
 * objects, optional and null fields, and `_geo` points.
 */
export function movies(count: number, seed = 20_260_714): Movie[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, id) => {
    const movie: Movie = {
      id,
      title: titleCase(id, words(random, 1, 4)),
      overview: words(random, 6, 18),
      genre: random.pick(GENRES),
      tags: random.sample(TAGS, random.int(0, 4)),
      price: Math.round(random.next() * 10_000) / 100,
      year: random.int(1950, 2025),
      rating: random.int(1, 5),
      director: {
        name: `${random.pick(WORDS)} ${random.pick(WORDS)}`,
        country: random.pick(COUNTRIES),
      },
      _geo: {
        lat: Math.round((random.next() * 120 - 60) * 10_000) / 10_000,
        lng: Math.round((random.next() * 340 - 170) * 10_000) / 10_000,
      },
    };
    if (random.chance(0.8)) movie.stock = random.chance(0.1) ? null : random.int(0, 100);
    if (random.chance(0.5)) movie.color = random.chance(0.1) ? [] : random.pick(COLORS);
    return movie;
  });
}

/** Settings applied once, identically, to the single node and through Miroir. */
export const MOVIE_SETTINGS = {
  filterableAttributes: [
    "id",
    "genre",
    "tags",
    "price",
    "year",
    "rating",
    "stock",
    "color",
    "director.country",
    "_geo",
  ],
  sortableAttributes: ["price", "year", "rating", "title", "_geo"],
};

/**
 * A second index over the same movies with settings users change: searchable attributes in
 * an order, custom ranking rules, synonyms, stop words, count-sorted facets with a small
 * `maxValuesPerFacet`, and a `maxTotalHits` below most totals.
 */
export const FILM_SETTINGS = {
  ...MOVIE_SETTINGS,
  searchableAttributes: ["title", "director.name", "overview"],
  rankingRules: ["words", "typo", "sort", "proximity", "attributeRank", "exactness", "year:desc"],
  synonyms: { harbor: ["lagoon"], mountain: ["summit", "ridge"], "north wind": ["zephyr"] },
  stopWords: ["echo", "quiet", "the"],
  faceting: { maxValuesPerFacet: 7, sortFacetValuesBy: { "*": "count", genre: "alpha" } },
  pagination: { maxTotalHits: 300 },
};

/** A third index whose settings name a distinct attribute (one value per document). */
export const SHOW_SETTINGS = { ...MOVIE_SETTINGS, distinctAttribute: "director.country" };
