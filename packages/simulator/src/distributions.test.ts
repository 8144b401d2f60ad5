import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  binomialPmf,
  binomialUpperTails,
  hypergeometricPmf,
  logChoose,
  logFactorial,
} from "./distributions.js";

function sumOfLogs(n: number): number {
  let sum = 0;
  for (let k = 2; k <= n; k++) sum += Math.log(k);
  return sum;
}

describe("log factorials and binomial coefficients", () => {
  it("agree with the plain sum of logarithms on both sides of the table", () => {
    for (const n of [0, 1, 2, 10, 1_023, 1_024, 1_025, 5_000, 100_000]) {
      expect(logFactorial(n)).toBeCloseTo(sumOfLogs(n), 6);
    }
  });

  it("give exact small binomial coefficients and −∞ outside [0, n]", () => {
    expect(Math.exp(logChoose(10, 3))).toBeCloseTo(120, 9);
    // C(64, 32) = 1 832 624 140 942 590 534, above 2^53: compared as a ratio.
    expect(Math.exp(logChoose(64, 32)) / Number(1832624140942590534n)).toBeCloseTo(1, 12);
    expect(logChoose(5, 6)).toBe(Number.NEGATIVE_INFINITY);
    expect(logChoose(5, -1)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("the binomial distribution", () => {
  it("has a pmf that sums to 1 with mean np, for any n and p", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, p) => {
          let total = 0;
          let mean = 0;
          for (let k = 0; k <= n; k++) {
            const q = binomialPmf(k, n, p);
            total += q;
            mean += k * q;
          }
          expect(total).toBeCloseTo(1, 9);
          expect(mean).toBeCloseTo(n * p, 6);
        },
      ),
    );
    expect(binomialPmf(-1, 5, 0.5)).toBe(0);
    expect(binomialPmf(6, 5, 0.5)).toBe(0);
  });

  it("has upper tails equal to the sum of the pmf above m, however small", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (n, p) => {
          const tail = binomialUpperTails(n, p);
          let above = 0;
          for (let m = n; m >= -1; m--) {
            if (above > 1e-250) expect(tail(m) / above).toBeCloseTo(1, 9);
            else expect(tail(m)).toBeLessThan(1e-249);
            if (m >= 0) above += binomialPmf(m, n, p);
          }
          expect(tail(-1)).toBe(1);
          expect(tail(n)).toBe(0);
        },
      ),
    );
  });

  it("keeps a tail far out in the distribution instead of rounding it to 0", () => {
    // P(X > 60) for X ~ Binomial(1 000 000, 1/100 000): the mean is 10.
    const tail = binomialUpperTails(1_000_000, 1e-5)(60);
    expect(tail).toBeGreaterThan(1e-30);
    expect(tail).toBeLessThan(1e-20);
    expect(tail / binomialPmf(61, 1_000_000, 1e-5)).toBeCloseTo(1.2, 1);
  });
});

describe("the hypergeometric distribution", () => {
  it("sums to 1 with mean draws × marked / population", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.nat(),
        fc.nat(),
        (population, markedSeed, drawsSeed) => {
          const marked = markedSeed % (population + 1);
          const draws = drawsSeed % (population + 1);
          let total = 0;
          let mean = 0;
          for (let k = 0; k <= draws; k++) {
            const q = hypergeometricPmf(k, population, marked, draws);
            total += q;
            mean += k * q;
          }
          expect(total).toBeCloseTo(1, 9);
          expect(mean).toBeCloseTo((draws * marked) / population, 6);
        },
      ),
    );
  });

  it("gives the textbook value of 2 aces among 5 cards", () => {
    expect(hypergeometricPmf(2, 52, 4, 5)).toBeCloseTo(0.03992981808107859, 12);
    expect(hypergeometricPmf(5, 52, 4, 5)).toBe(0);
  });
});
