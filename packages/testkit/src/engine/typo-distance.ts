/**
 * The typo cost of reading `query` as `word`: the Damerau-Levenshtein distance, plus one
 * when the first letter differs (Meilisearch counts a typo on the first letter as two).
 * Returns `Infinity` as soon as the cost exceeds `budget`.
 */
export function typoCost(query: string, word: string, budget: number): number {
  if (Math.abs(query.length - word.length) > 2 * budget) return Number.POSITIVE_INFINITY;
  if (budget < 2 && query.codePointAt(0) !== word.codePointAt(0)) return Number.POSITIVE_INFINITY;
  const a = Array.from(query);
  const b = Array.from(word);
  if (Math.abs(a.length - b.length) > budget) return Number.POSITIVE_INFINITY;
  const firstLetter = a[0] === b[0] ? 0 : 1;
  const distance = damerauLevenshtein(a, b, budget - firstLetter);
  const cost = distance + firstLetter;
  return cost <= budget ? cost : Number.POSITIVE_INFINITY;
}

function damerauLevenshtein(a: readonly string[], b: readonly string[], budget: number): number {
  if (budget < 0) return Number.POSITIVE_INFINITY;
  const width = b.length + 1;
  let previous2 = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, j) => j);
  let current = new Array<number>(width).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        substitution,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (previous2[j - 2] as number) + 1);
      }
      current[j] = best;
      rowMin = Math.min(rowMin, best);
    }
    if (rowMin > budget) return Number.POSITIVE_INFINITY;
    [previous2, previous, current] = [previous, current, previous2];
  }
  return previous[b.length] as number;
}
