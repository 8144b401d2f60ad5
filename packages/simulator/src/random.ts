/**
 * A seeded pseudo-random generator (sfc32, seeded through splitmix32), so that every
 * simulation is reproducible from its seed alone, on any machine and Node version.
 * `Math.random` is never used: a figure in a test or a document must come out the same
 * every time it is recomputed.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** A standard normal deviate. */
  normal(): number;
  /** `k` distinct integers of [0, n), in the order drawn. */
  sample(k: number, n: number): number[];
  /** 8 lower-case hex digits. */
  hex8(): string;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** The generator for `seed` (any integer; only its low 32 bits count). */
export function seededRandom(seed: number): Random {
  const mix = splitmix32(seed);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Warm up, as sfc32's authors recommend, so close seeds give unrelated streams.
  for (let i = 0; i < 12; i++) u32();
  const next = () => u32() / 2 ** 32;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal() {
      // Box–Muller; 1 - next() is in (0, 1], so the logarithm is finite.
      return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    },
    sample(k, n) {
      if (k > n) throw new RangeError(`cannot draw ${k} distinct values out of ${n}`);
      // Floyd's algorithm: k draws whatever n is, no array of size n.
      const chosen = new Set<number>();
      const order: number[] = [];
      for (let j = n - k; j < n; j++) {
        const t = Math.floor(next() * (j + 1));
        const pick = chosen.has(t) ? j : t;
        chosen.add(pick);
        order.push(pick);
      }
      return order;
    },
    hex8: () => u32().toString(16).padStart(8, "0"),
  };
}
