/**
 * A small seeded PRNG (mulberry32). Every mutation draws from its own generator seeded by
 * (run seed, mutation index), so a mutation is reproduced by its index alone, whatever order
 * the concurrent workers happen to build them in.
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] (both included). */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function prng(seed: number, stream = 0): Prng {
  // Mix the stream index into the seed so neighbouring indices do not start correlated.
  let state = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[int(0, items.length - 1)]!;
    },
  };
}

/** The run's seed: `KNOX_ADVERSARIAL_SEED` when set (to replay a failure), else a fixed one, so CI is deterministic. */
export function adversarialSeed(): number {
  const raw = process.env.KNOX_ADVERSARIAL_SEED;
  if (raw === undefined || raw === '') return 0x5eed_2026;
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) throw new TypeError(`KNOX_ADVERSARIAL_SEED must be an integer, got ${JSON.stringify(raw)}`);
  return seed;
}
