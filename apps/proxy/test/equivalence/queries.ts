import { COLORS, COUNTRIES, GENRES, TAGS, WORDS } from "./data-set.js";
import { type SeededRandom, seededRandom } from "./seeded-random.js";

export type SearchBody = Record<string, unknown>;

/** The two indexes: default settings, and settings users change (see data-set.ts). */
export const INDEXES = ["movies", "films"] as const;
/** The index with a `distinctAttribute` setting, searched by the distinct cases only. */
export const DISTINCT_INDEX = "shows";
export type IndexUid = (typeof INDEXES)[number] | typeof DISTINCT_INDEX;

export type EquivalenceCase =
  | { kind: "search"; name: string; index: IndexUid; body: SearchBody }
  | { kind: "multi"; name: string; body: { queries: SearchBody[] } }
  | { kind: "federated"; name: string; body: { federation: SearchBody; queries: SearchBody[] } };

type Maker = (random: SeededRandom) => SearchBody;

const typo = (random: SeededRandom): string => {
  const word = random.pick(WORDS.filter((candidate) => candidate.length >= 6));
  const at = random.int(1, word.length - 2);
  const letter = word[at] === "x" ? "y" : "x";
  return `${word.slice(0, at)}${letter}${word.slice(at + 1)}`;
};

/** One maker per operator of the filter language, in both the string and the array form. */
const FILTERS: ReadonlyArray<(random: SeededRandom) => unknown> = [
  (r) => `genre = ${r.pick(GENRES)}`,
  (r) => `genre != ${r.pick(GENRES)}`,
  (r) => `price > ${r.int(0, 90)}`,
  (r) => `price >= ${r.int(0, 90)}.5`,
  (r) => `year < ${r.int(1960, 2020)}`,
  (r) => `year <= ${r.int(1960, 2020)}`,
  (r) => `year ${r.int(1950, 1990)} TO ${r.int(1991, 2025)}`,
  (r) => `genre IN [${r.sample(GENRES, 3).join(", ")}]`,
  (r) => `NOT genre = ${r.pick(GENRES)}`,
  (r) => `tags = ${r.pick(TAGS)} AND rating >= ${r.int(2, 4)}`,
  (r) => `(genre = ${r.pick(GENRES)} OR genre = ${r.pick(GENRES)}) AND year > ${r.int(1960, 2000)}`,
  () => "stock EXISTS",
  () => "stock IS NULL",
  () => "color IS EMPTY",
  () => "color NOT EXISTS",
  (r) => `director.country = ${r.pick(COUNTRIES)}`,
  (r) => `color IN [${r.sample(COLORS, 2).join(", ")}]`,
  (r) => `_geoRadius(${r.int(-40, 40)}, ${r.int(-120, 120)}, ${r.int(1_000_000, 4_000_000)})`,
  (r) => [`genre = ${r.pick(GENRES)}`, [`rating = ${r.int(1, 5)}`, `rating = ${r.int(1, 5)}`]],
  (r) => [`year > ${r.int(1950, 2000)}`, `tags IN [${r.sample(TAGS, 3).join(", ")}]`],
];

const SORTS: ReadonlyArray<(random: SeededRandom) => string[]> = [
  () => ["price:asc"],
  () => ["price:desc"],
  () => ["year:desc", "price:asc"],
  () => ["rating:asc", "title:desc"],
  () => ["title:asc"],
  (r) => [`_geoPoint(${r.int(-50, 50)}, ${r.int(-150, 150)}):asc`],
  (r) => ["rating:desc", `_geoPoint(${r.int(-50, 50)}, ${r.int(-150, 150)}):desc`],
];

const MAKERS: ReadonlyArray<[string, Maker]> = [
  ["one word", (r) => ({ q: r.pick(WORDS) })],
  ["two words", (r) => ({ q: `${r.pick(WORDS)} ${r.pick(WORDS)}` })],
  ["three words", (r) => ({ q: `${r.pick(WORDS)} ${r.pick(WORDS)} ${r.pick(WORDS)}` })],
  ["prefix", (r) => ({ q: r.pick(WORDS).slice(0, 3) })],
  ["typo", (r) => ({ q: typo(r) })],
  ["placeholder", () => ({})],
  ["filter", (r) => ({ q: r.chance(0.5) ? r.pick(WORDS) : "", filter: r.pick(FILTERS)(r) })],
  ["sort", (r) => ({ q: r.chance(0.5) ? r.pick(WORDS) : "", sort: r.pick(SORTS)(r) })],
  [
    "filter and sort",
    (r) => ({
      q: r.chance(0.3) ? r.pick(WORDS) : "",
      filter: r.pick(FILTERS)(r),
      sort: r.pick(SORTS)(r),
    }),
  ],
  [
    "facets",
    (r) => ({
      q: r.chance(0.5) ? r.pick(WORDS) : "",
      // `price` has far more values than maxValuesPerFacet, integers and decimals mixed.
      facets: r.sample(
        ["genre", "tags", "rating", "year", "color", "director.country", "price"],
        3,
      ),
    }),
  ],
  [
    "numeric facets",
    (r) => ({
      q: r.chance(0.3) ? r.pick(WORDS) : "",
      ...(r.chance(0.5) ? { filter: r.pick(FILTERS)(r) } : {}),
      facets: ["price", r.pick(["year", "stock", "rating"])],
    }),
  ],
  [
    "distinct",
    (r) => ({
      q: r.chance(0.7) ? r.pick(WORDS) : `${r.pick(WORDS)} ${r.pick(WORDS)}`,
      // Few values (the walk sees them all) and many (it stops inside a bucket).
      distinct: r.pick(["genre", "rating", "year", "director.country"]),
      ...(r.chance(0.3) ? { filter: r.pick(FILTERS)(r) } : {}),
      ...(r.chance(0.4)
        ? { offset: r.int(0, 5), limit: r.int(0, 8) }
        : r.chance(0.5)
          ? { page: r.int(1, 4), hitsPerPage: r.int(1, 12) }
          : {}),
    }),
  ],
  [
    "deep offset",
    (r) => ({
      q: r.chance(0.5) ? r.pick(WORDS) : "",
      offset: r.int(100, 900),
      limit: r.int(1, 40),
    }),
  ],
  [
    "deep page",
    (r) => ({
      q: r.chance(0.5) ? r.pick(WORDS) : "",
      page: r.int(2, 60),
      hitsPerPage: r.int(1, 25),
    }),
  ],
  [
    "attributes to retrieve",
    (r) => ({
      q: r.pick(WORDS),
      attributesToRetrieve: r.pick([
        ["id", "title"],
        ["id", "director.country", "tags"],
      ]),
      sort: r.pick(SORTS)(r),
    }),
  ],
  ["ranking score shown", (r) => ({ q: r.pick(WORDS), showRankingScore: true })],
  [
    "ranking details shown",
    (r) => ({
      q: `${r.pick(WORDS)} ${r.pick(WORDS)}`,
      showRankingScoreDetails: true,
      sort: ["year:asc"],
    }),
  ],
  [
    "string sort with details",
    (r) => ({
      q: r.chance(0.5) ? r.pick(WORDS) : "",
      sort: [r.pick(["title:asc", "title:desc"])],
      showRankingScoreDetails: true,
      limit: r.int(10, 60),
    }),
  ],
  ["limit zero", (r) => ({ q: r.pick(WORDS), limit: 0, facets: ["genre"] })],
  ["phrase", (r) => ({ q: `"${r.pick(WORDS)} ${r.pick(WORDS)}"` })],
  ["phrase and words", (r) => ({ q: `"${r.pick(WORDS)}" ${r.pick(WORDS)} ${r.pick(WORDS)}` })],
  // `frequency` drops the words most documents hold first: a corpus statistic each shard
  // counts on its own (docs/compatibility.md), so it is asked with one phrase only.
  [
    "matching strategy",
    (r) =>
      r.chance(0.25)
        ? { q: `"${r.pick(WORDS)} ${r.pick(WORDS)}"`, matchingStrategy: "frequency" }
        : {
            q: r.chance(0.3)
              ? `"${r.pick(WORDS)} ${r.pick(WORDS)}" ${r.pick(WORDS)}`
              : `${r.pick(WORDS)} ${r.pick(WORDS)} ${r.pick(WORDS)}`,
            matchingStrategy: r.pick(["last", "all"]),
          },
  ],
  ["synonym", (r) => ({ q: r.pick(["harbor", "mountain", "north wind", "summit", "lagoon"]) })],
  ["stop words", (r) => ({ q: `the ${r.pick(WORDS)} echo ${r.pick(WORDS)}` })],
  [
    "every facet",
    (r) => ({
      q: r.chance(0.4) ? r.pick(WORDS) : "",
      ...(r.chance(0.4) ? { filter: r.pick(FILTERS)(r) } : {}),
      facets: ["genre", "tags", "rating", "year", "price", "stock", "color", "director.country"],
      limit: r.int(0, 5),
    }),
  ],
  [
    "total above maxTotalHits",
    (r) => ({
      q: r.chance(0.3) ? r.pick(WORDS).slice(0, 2) : "",
      ...(r.chance(0.5)
        ? { offset: r.int(250, 1100), limit: r.int(1, 30) }
        : { page: r.int(1, 70), hitsPerPage: r.int(1, 30) }),
    }),
  ],
];

/** `count` single searches, multi-searches and federated multi-searches, from `seed`. */
export function equivalenceCases(count: number, seed = 7_041_979): EquivalenceCase[] {
  const random = seededRandom(seed);
  const single = (): { name: string; body: SearchBody } => {
    const [name, make] = random.pick(MAKERS);
    return { name, body: make(random) };
  };
  const cases: EquivalenceCase[] = [];
  for (let index = 0; cases.length < count; index++) {
    const roll = index % 10;
    if (roll === 8) {
      const queries = Array.from({ length: random.int(2, 3) }, single);
      cases.push({
        kind: "multi",
        name: `multi-search of ${queries.map((query) => query.name).join(", ")}`,
        body: {
          queries: queries.map((query) => ({ indexUid: random.pick(INDEXES), ...query.body })),
        },
      });
    } else if (roll === 9) {
      cases.push(federatedCase(random));
    } else {
      const { name, body } = single();
      cases.push({ kind: "search", name, index: random.pick(INDEXES), body });
    }
  }
  return cases;
}

/**
 * Federated queries over both indexes with weights; facets by index (count-sorted on
 * `films`), or merged over `genre`, alphabetical in both indexes.
 */
function federatedCase(random: SeededRandom): EquivalenceCase {
  const queries = Array.from({ length: random.int(2, 3) }, (_, at) => {
    const { q, filter } = random.pick(MAKERS)[1](random);
    return {
      indexUid: at === 0 ? "movies" : at === 1 ? "films" : random.pick(INDEXES),
      // Never a placeholder: `films` ranks placeholders by its custom rule alone, which
      // Meilisearch refuses to compare with another index's relevancy.
      q: typeof q === "string" && q !== "" ? q : random.pick(WORDS),
      ...(filter === undefined ? {} : { filter }),
      federationOptions: { weight: random.pick([0.5, 1, 1.5, 2]) },
    };
  });
  const window = random.chance(0.5)
    ? { offset: random.int(0, 30), limit: random.int(5, 30) }
    : { page: random.int(1, 4), hitsPerPage: random.int(5, 20) };
  const facets = random.int(0, 2);
  const federation =
    facets === 0
      ? window
      : facets === 1
        ? {
            ...window,
            facetsByIndex: {
              // Alphabetical numbers are cut by how many documents each query matched,
              // which a federation does not report (docs/compatibility.md): strings only.
              movies: random.sample(["genre", "tags", "color", "director.country"], 2),
              films: random.sample(["genre", "tags", "rating", "price"], 2),
            },
          }
        : {
            ...window,
            facetsByIndex: { movies: ["genre"], films: ["genre"] },
            mergeFacets: random.chance(0.5) ? {} : { maxValuesPerFacet: random.int(2, 6) },
          };
  return {
    kind: "federated",
    name: `federated multi-search with weights${facets === 0 ? "" : facets === 1 ? ", facets by index" : ", merged facets"}`,
    body: { federation, queries },
  };
}

/**
 * A distinct search: the `distinct` parameter over attributes with few values (the node's
 * walk sees them all) and many (it stops inside a ranking bucket), or the index's own
 * `distinctAttribute`; every kind of window, since the node's total depends on it.
 */
function distinctSearch(random: SeededRandom): { index: IndexUid; body: SearchBody } {
  const index: IndexUid = random.pick([...INDEXES, DISTINCT_INDEX, DISTINCT_INDEX]);
  const byParameter = index !== DISTINCT_INDEX || random.chance(0.2);
  const q = random.pick([
    () => random.pick(WORDS),
    () => `${random.pick(WORDS)} ${random.pick(WORDS)}`,
    () => random.pick(WORDS).slice(0, 3),
    () => typo(random),
    () => "",
  ])();
  const window = random.pick([
    () => ({}),
    () => ({ limit: random.int(0, 6) }),
    () => ({ offset: random.int(0, 12), limit: random.int(1, 10) }),
    () => ({ offset: random.int(60, 90), limit: random.int(1, 5) }),
    () => ({ page: random.int(1, 5), hitsPerPage: random.int(1, 12) }),
    () => ({ page: 0 }),
  ])();
  return {
    index,
    body: {
      q,
      ...(byParameter
        ? { distinct: random.pick(["genre", "rating", "year", "director.country", "price"]) }
        : {}),
      ...(random.chance(0.3) ? { filter: random.pick(FILTERS)(random) } : {}),
      ...(random.chance(0.3) ? { sort: random.pick(SORTS)(random) } : {}),
      ...window,
    },
  };
}

/** `count` distinct searches, alone or in a multi-search, from `seed`. */
export function distinctCases(count: number, seed = 1_605_2026): EquivalenceCase[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, at): EquivalenceCase => {
    if (at % 5 !== 4) return { kind: "search", name: "distinct", ...distinctSearch(random) };
    const queries = Array.from({ length: random.int(2, 3) }, () => {
      const { index, body } = distinctSearch(random);
      return { indexUid: index, ...body };
    });
    return { kind: "multi", name: "multi-search of distinct searches", body: { queries } };
  });
}
