/**
 * Interned words (and attribute paths): each distinct normalised word gets a small integer id once, so a search
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

const pathIds = new Map<string, number>();

/** A small integer per distinct attribute path, so a search can memoise per attribute cheaply. */
export function pathId(path: string): number {
  let id = pathIds.get(path);
  if (id === undefined) {
    id = pathIds.size;
    pathIds.set(path, id);
  }
  return id;
}
