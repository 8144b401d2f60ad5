/**
 * Interned words: each distinct normalised word gets a small integer id once, so a search
 * compares and memoises integers instead of hashing strings for every token it reads.
 */
const ids = new Map<string, number>();
const words: string[] = [];

export function wordId(word: string): number {
  let id = ids.get(word);
  if (id === undefined) {
    id = words.length;
    ids.set(word, id);
    words.push(word);
  }
  return id;
}

export function wordOf(id: number): string {
  return words[id] as string;
}

export function vocabularySize(): number {
  return words.length;
}
