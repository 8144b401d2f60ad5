import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom } from "./random.js";

describe("the seeded generator", () => {
  it("gives the same stream for the same seed and another stream for another seed", () => {
    const draw = (seed: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 8 }, () => random.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it("draws floats in [0, 1) whose mean and spread are a uniform's", () => {
    const random = seededRandom(1);
    const values = Array.from({ length: 20_000 }, () => random.next());
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    // Standard error of the mean: 1/√(12 × 20 000) ≈ 0.002.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });

  it("draws normal deviates with mean 0 and variance 1", () => {
    const random = seededRandom(2);
    const values = Array.from({ length: 20_000 }, () => random.normal());
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it("samples k distinct values of [0, n), whatever k, n and the seed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 500 }),
        fc.nat(500),
        (seed, n, k) => {
          const count = Math.min(k, n);
          const picked = seededRandom(seed).sample(count, n);
          expect(picked).toHaveLength(count);
          expect(new Set(picked).size).toBe(count);
          expect(picked.every((value) => Number.isInteger(value) && value >= 0 && value < n)).toBe(
            true,
          );
        },
      ),
    );
    expect(() => seededRandom(0).sample(3, 2)).toThrow(RangeError);
  });

  it("picks every member of a sample equally often", () => {
    const random = seededRandom(3);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      for (const value of random.sample(3, 10)) counts[value] = (counts[value] as number) + 1;
    }
    // Each value is picked 3 000 times on average, with a standard deviation of about 46.
    for (const count of counts) expect(Math.abs(count - 3_000)).toBeLessThan(250);
  });

  it("draws integers below n and 8-digit hex ids", () => {
    const random = seededRandom(4);
    for (let i = 0; i < 1_000; i++) {
      const value = random.int(7);
      expect(Number.isInteger(value) && value >= 0 && value < 7).toBe(true);
      expect(random.hex8()).toMatch(/^[0-9a-f]{8}$/);
    }
  });
});
