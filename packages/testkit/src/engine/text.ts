/** One word of a text and its position (soft separators add 1, hard separators 8). */
export interface Token {
  word: string;
  position: number;
}

const HARD_SEPARATOR_GAP = 8;
const WORD = /[\p{L}\p{N}]+/gu;
const HARD_SEPARATOR = /[.;:!?\n\r()[\]{}|]/;

/** Lower-cases and strips diacritics (NFKD, combining marks removed), like Meilisearch's charabia. */
export function normalizeText(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Splits a text into normalised words with positions. */
export function tokenize(text: string, firstPosition = 0): Token[] {
  const normalized = normalizeText(text);
  const tokens: Token[] = [];
  let position = firstPosition;
  let previousEnd = -1;
  for (const match of normalized.matchAll(WORD)) {
    if (previousEnd !== -1) {
      const separator = normalized.slice(previousEnd, match.index);
      position += HARD_SEPARATOR.test(separator) ? HARD_SEPARATOR_GAP : 1;
    }
    tokens.push({ word: match[0], position });
    previousEnd = match.index + match[0].length;
  }
  return tokens;
}

/** Whether the query's last word is still being typed (no separator after it). */
export function endsInsideWord(text: string): boolean {
  return /[\p{L}\p{N}]$/u.test(normalizeText(text));
}
