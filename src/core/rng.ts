/**
 * Seeded pseudo-random numbers. Every random choice in hazetrace takes a seed
 * so the same inputs give the same bytes out. The generator is sfc32 (Chris
 * Doty-Humphrey's Small Fast Counting generator, PractRand-clean to 2^40+),
 * seeded through splitmix32 so small integer seeds are well spread.
 */
import { checkFinite } from './errors.js';

/** A seeded generator: `next()` is uniform in [0, 1). */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, both variates used). */
  normal(): number;
  /** Log-normal with the given log-mean and log-sd. */
  logNormal(mu: number, sigma: number): number;
  /** Derive an independent child generator (for per-member / per-worker streams). */
  fork(salt: number): Rng;
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}

/**
 * Create a seeded generator.
 *
 * @example
 * ```ts
 * import { createRng } from 'hazetrace';
 * const rng = createRng(42);
 * rng.next(); // same value on every machine for seed 42
 * ```
 */
export function createRng(seed: number): Rng {
  checkFinite('seed', seed);
  const sm = splitmix32(Math.floor(seed * 2654435761) ^ (Math.floor(seed / 4294967296) | 0));
  let a = sm(), b = sm(), c = sm(), d = sm();
  const u32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  let spare = NaN;
  const rng: Rng = {
    next: () => u32() / 4294967296,
    int: (n) => Math.floor((u32() / 4294967296) * n),
    normal: () => {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      let u = 0;
      while (u === 0) u = u32() / 4294967296;
      const v = u32() / 4294967296;
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    logNormal: (mu, sigma) => Math.exp(mu + sigma * rng.normal()),
    fork: (salt) => createRng((u32() ^ Math.imul(salt | 0, 0x85ebca6b)) >>> 0),
  };
  return rng;
}
