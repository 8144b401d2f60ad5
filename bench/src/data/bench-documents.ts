/**
 * Deterministic synthetic documents (a seeded generator, so every run and every machine
 * indexes the same corpus) and the queries the search benchmarks send.
 */
export interface BenchDocument {
  readonly id: number;
  readonly title: string;
  readonly overview: string;
  readonly genre: string;
  readonly year: number;
}

const SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "dun", "ar", "is", "po", "qui"];
const GENRES = ["drama", "comedy", "thriller", "documentary", "animation", "western"];

/** Mulberry32: a tiny seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 300 pronounceable words, the same on every run. */
const VOCABULARY: readonly string[] = (() => {
  const random = seededRandom(7);
  const words = new Set<string>();
  while (words.size < 300) {
    const length = 2 + Math.floor(random() * 2);
    let word = "";
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
})();

function words(random: () => number, count: number): string {
  const picked: string[] = [];
  for (let i = 0; i < count; i++) {
    picked.push(VOCABULARY[Math.floor(random() * VOCABULARY.length)] as string);
  }
  return picked.join(" ");
}

export function benchDocuments(count: number, firstId = 0): BenchDocument[] {
  const random = seededRandom(42 + firstId);
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    title: words(random, 3),
    overview: words(random, 16),
    genre: GENRES[Math.floor(random() * GENRES.length)] as string,
    year: 1950 + Math.floor(random() * 75),
  }));
}

/** Search bodies: one- and two-word queries over the vocabulary, limit 20. */
export function benchQueries(count: number): string[] {
  const random = seededRandom(99);
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({ q: words(random, 1 + (i % 2)), limit: 20 }),
  );
}

export function toNdjson(documents: readonly object[]): string {
  return documents.map((document) => JSON.stringify(document)).join("\n");
}
