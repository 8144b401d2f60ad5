/**
 * The discrete distributions the closed forms need (binomial, hypergeometric), computed
 * in log space so that fleets of thousands of nodes and a million shards stay exact to
 * double precision instead of overflowing.
 */

const TABLE_SIZE = 1024;
const LOG_FACTORIALS: number[] = [0];
for (let n = 1; n < TABLE_SIZE; n++) {
  LOG_FACTORIALS.push((LOG_FACTORIALS[n - 1] as number) + Math.log(n));
}

/** ln(n!) for an integer n ≥ 0: a table below 1024, Stirling's series (error < 1e-15) above. */
export function logFactorial(n: number): number {
  if (n < TABLE_SIZE) return LOG_FACTORIALS[n] as number;
  const inverse = 1 / n;
  const inverse2 = inverse * inverse;
  return (
    n * Math.log(n) -
    n +
    0.5 * Math.log(2 * Math.PI * n) +
    inverse * (1 / 12 - inverse2 * (1 / 360 - inverse2 / 1260))
  );
}

/** ln C(n, k); −∞ when k is outside [0, n]. */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return Number.NEGATIVE_INFINITY;
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  if (k < 0 || k > n) return 0;
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * The upper tails P(X > m) of X ~ Binomial(n, p) for every m, from one pass over the
 * counts that carry any mass (40 standard deviations and 200 counts either side of the
 * mean: beyond that every term is below 1e-300). Tails are summed
 * from the top, so a tail of 1e-300 keeps its precision: the closed forms raise 1 − tail
 * to the power of a node count.
 */
export function binomialUpperTails(n: number, p: number): (m: number) => number {
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(mean - 40 * sd - 200));
  const hi = Math.min(n, Math.ceil(mean + 40 * sd + 200));
  // suffix[i] = P(X ≥ lo + i)
  const suffix = new Float64Array(hi - lo + 2);
  for (let k = hi; k >= lo; k--) {
    suffix[k - lo] = (suffix[k - lo + 1] as number) + binomialPmf(k, n, p);
  }
  return (m) => {
    if (m < lo) return 1;
    if (m >= hi) return 0;
    return Math.min(1, suffix[m + 1 - lo] as number);
  };
}

/**
 * P(X = k) for X ~ Hypergeometric: k marked items among `draws` drawn without replacement
 * from `population` items of which `marked` are marked.
 */
export function hypergeometricPmf(
  k: number,
  population: number,
  marked: number,
  draws: number,
): number {
  if (k < 0 || k > marked || k > draws || draws - k > population - marked) return 0;
  return Math.exp(
    logChoose(marked, k) + logChoose(population - marked, draws - k) - logChoose(population, draws),
  );
}
