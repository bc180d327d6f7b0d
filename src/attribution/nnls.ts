/**
 * Non-negative least squares (Lawson & Hanson 1974, "Solving Least Squares Problems", ch. 23,
 * algorithm NNLS) and regression apportionment built on it (docs/attribution.md).
 */
import { argError, createRng, HazetraceError } from '../core/index.js';
import { quantileSorted7 } from './util.js';
import { checkArray, checkArrayLike, checkObject, checkOptions } from '../core/check.js';

/** Result of {@link nnls}. */
export interface NnlsResult {
  /** Non-negative coefficients. */
  x: Float64Array;
  /** Residual sum of squares ‖Ax − b‖². */
  rss: number;
  /** Outer iterations used. */
  iterations: number;
}

/** Solve the unconstrained least-squares problem on the columns in `cols` (normal equations + Cholesky, with a tiny ridge on failure). */
function lsqSubset(A: Float64Array[], b: ArrayLike<number>, cols: number[], m: number): Float64Array {
  const k = cols.length;
  const G = new Float64Array(k * k);
  const h = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const ci = A[cols[i] as number] as Float64Array;
    let s = 0;
    for (let r = 0; r < m; r++) s += (ci[r] as number) * (b[r] as number);
    h[i] = s;
    for (let j = 0; j <= i; j++) {
      const cj = A[cols[j] as number] as Float64Array;
      let g = 0;
      for (let r = 0; r < m; r++) g += (ci[r] as number) * (cj[r] as number);
      G[i * k + j] = g;
      G[j * k + i] = g;
    }
  }
  // Cholesky; a column nearly dependent on the others gets a relative ridge so the step stays finite.
  let scale = 0;
  for (let i = 0; i < k; i++) scale = Math.max(scale, G[i * k + i] as number);
  const L = new Float64Array(k * k);
  for (let attempt = 0; attempt < 2; attempt++) {
    const ridge = attempt === 0 ? 0 : 1e-10 * (scale || 1);
    let ok = true;
    for (let i = 0; i < k && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = (G[i * k + j] as number) + (i === j ? ridge : 0);
        for (let p = 0; p < j; p++) s -= (L[i * k + p] as number) * (L[j * k + p] as number);
        if (i === j) {
          if (!(s > 1e-14 * (scale || 1))) {
            ok = false;
            break;
          }
          L[i * k + i] = Math.sqrt(s);
        } else L[i * k + j] = s / (L[j * k + j] as number);
      }
    }
    if (ok) {
      const y = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        let s = h[i] as number;
        for (let p = 0; p < i; p++) s -= (L[i * k + p] as number) * (y[p] as number);
        y[i] = s / (L[i * k + i] as number);
      }
      const z = new Float64Array(k);
      for (let i = k - 1; i >= 0; i--) {
        let s = y[i] as number;
        for (let p = i + 1; p < k; p++) s -= (L[p * k + i] as number) * (z[p] as number);
        z[i] = s / (L[i * k + i] as number);
      }
      return z;
    }
  }
  return new Float64Array(k).fill(NaN);
}

/**
 * Non-negative least squares: minimise ‖A x − b‖² subject to x ≥ 0 (Lawson–Hanson active set).
 * `columns[j]` is column j of A (length m). Stops with `E_CONVERGENCE` after `maxIterations`.
 *
 * @example
 * ```ts
 * import { nnls } from 'hazetrace/attribution';
 * const r = nnls([new Float64Array([1, 0, 1]), new Float64Array([0, 1, 1])], [2, -1, 1]);
 * Array.from(r.x); // [1.5, 0] (the unconstrained fit would make x₂ negative)
 * ```
 */
export function nnls(columns: ArrayLike<number>[], b: ArrayLike<number>, options: { maxIterations?: number; tolerance?: number } = {}): NnlsResult {
  checkArray('columns', columns).forEach((c, j) => checkArrayLike(`columns[${j}]`, c));
  checkArrayLike('b', b);
  checkOptions('options', options);
  const n = columns.length;
  const m = b.length;
  const A = columns.map((c, j) => {
    if (!c || c.length !== m) throw argError(`columns[${j}]`, c, `an array of length ${m} (the length of b)`);
    const f = Float64Array.from(c);
    for (let r = 0; r < m; r++) if (!Number.isFinite(f[r])) throw argError(`columns[${j}][${r}]`, f[r], 'a finite number');
    return f;
  });
  for (let r = 0; r < m; r++) if (!Number.isFinite(b[r])) throw argError(`b[${r}]`, b[r], 'a finite number');
  const maxIter = options.maxIterations ?? 30 * Math.max(1, n);
  let bnorm = 0;
  for (let r = 0; r < m; r++) bnorm = Math.max(bnorm, Math.abs(b[r] as number));
  let anorm = 0;
  for (const c of A) for (let r = 0; r < m; r++) anorm = Math.max(anorm, Math.abs(c[r] as number));
  const tol = options.tolerance ?? 1e-10 * Math.max(1, anorm * bnorm * m);
  const x = new Float64Array(n);
  const passive = new Uint8Array(n);
  const resid = new Float64Array(m);
  const w = new Float64Array(n);
  const computeResid = (): void => {
    for (let r = 0; r < m; r++) {
      let s = b[r] as number;
      for (let j = 0; j < n; j++) if ((x[j] as number) !== 0) s -= (A[j] as Float64Array)[r]! * (x[j] as number);
      resid[r] = s;
    }
  };
  let iterations = 0;
  computeResid();
  for (;;) {
    // w = Aᵀ(b − Ax): the negative gradient; a zero coefficient with positive w would lower the error.
    let best = -1;
    let bestW = tol;
    for (let j = 0; j < n; j++) {
      const c = A[j] as Float64Array;
      let s = 0;
      for (let r = 0; r < m; r++) s += (c[r] as number) * (resid[r] as number);
      w[j] = s;
      if (!passive[j] && s > bestW) {
        bestW = s;
        best = j;
      }
    }
    if (best < 0) break;
    if (++iterations > maxIter) {
      throw new HazetraceError('E_CONVERGENCE', `nnls did not converge in ${maxIter} iterations`, { iterations: maxIter });
    }
    passive[best] = 1;
    for (;;) {
      const cols: number[] = [];
      for (let j = 0; j < n; j++) if (passive[j]) cols.push(j);
      const z = lsqSubset(A, b, cols, m);
      if (z.some((v) => !Number.isFinite(v))) {
        // The newly added column is numerically dependent on the passive set: drop it and stop.
        passive[best] = 0;
        computeResid();
        return { x, rss: resid.reduce((s, v) => s + v * v, 0), iterations };
      }
      let allPos = true;
      for (let i = 0; i < cols.length; i++) if ((z[i] as number) <= 0) allPos = false;
      if (allPos) {
        for (let i = 0; i < cols.length; i++) x[cols[i] as number] = z[i] as number;
        break;
      }
      // Step from x towards z until the first passive coefficient hits zero, then move it back to the active set.
      let alpha = Infinity;
      for (let i = 0; i < cols.length; i++) {
        const j = cols[i] as number;
        const zi = z[i] as number;
        if (zi <= 0) {
          const xj = x[j] as number;
          const a = xj / (xj - zi);
          if (a < alpha) alpha = a;
        }
      }
      if (!Number.isFinite(alpha)) alpha = 0;
      for (let i = 0; i < cols.length; i++) {
        const j = cols[i] as number;
        x[j] = (x[j] as number) + alpha * ((z[i] as number) - (x[j] as number));
        if ((x[j] as number) <= 1e-15 * Math.max(1, Math.abs(z[i] as number))) {
          x[j] = 0;
          passive[j] = 0;
        }
      }
    }
    computeResid();
  }
  return { x, rss: resid.reduce((s, v) => s + v * v, 0), iterations };
}

/** Options for {@link apportion}. */
export interface ApportionOptions {
  /** Fit an intercept (free sign, e.g. a background), default true. */
  intercept?: boolean;
  /**
   * Predictors whose coefficient may take either sign (e.g. meteorology: wind speed, boundary-layer height), fitted
   * inside NNLS as the pair (X, −X) so the source categories stay non-negative. Default none.
   */
  freeSign?: string[];
  /** Bootstrap resamples (rows with replacement), default 200; 0 disables intervals. */
  bootstrap?: number;
  /** Seed for the bootstrap, default 1. */
  seed?: number;
  /** Two-sided interval level, default 0.9 (5th–95th percentiles). */
  level?: number;
}

/** One predictor's estimate. */
export interface ApportionTerm {
  name: string;
  coefficient: number;
  /** Mean attributable concentration: coefficient × mean exposure (µg/m³ when y is µg/m³). */
  attributable: number;
  /** Bootstrap interval of `attributable` ([NaN, NaN] without bootstrap). */
  attributableInterval: [number, number];
  coefficientInterval: [number, number];
}

/** Result of {@link apportion}. */
export interface ApportionResult {
  terms: ApportionTerm[];
  intercept: number;
  r2: number;
  n: number;
  rss: number;
  toJSON(): object;
}

/**
 * Regression apportionment: `y ≈ intercept + Σ_j β_j X_j` with `β ≥ 0` by NNLS, except `freeSign` predictors such as
 * meteorology (the intercept is free:
 * it is fitted by centring, then NNLS on the centred columns), R², and seeded bootstrap intervals.
 * `attributable` is β_j × mean(X_j): the mean concentration the category explains.
 *
 * @example
 * ```ts
 * import { apportion } from 'hazetrace/attribution';
 * const r = apportion([12, 20, 31, 40], { fire: [1, 2, 3, 4], facility: [0, 0, 1, 0] }, { bootstrap: 50, seed: 3 });
 * r.terms[0]?.coefficient; // ≈ 9.43
 * ```
 */
export function apportion(y: ArrayLike<number>, predictors: Record<string, ArrayLike<number>>, options: ApportionOptions = {}): ApportionResult {
  checkArrayLike('y', y);
  for (const [k, c] of Object.entries(checkObject('predictors', predictors))) checkArrayLike(`predictors.${k}`, c);
  checkOptions('options', options);
  const names = Object.keys(predictors);
  if (names.length === 0) throw argError('predictors', predictors, 'an object with at least one column');
  const m = y.length;
  for (const k of names) if ((predictors[k] as ArrayLike<number>).length !== m) throw argError(`predictors.${k}`, predictors[k], `a column of length ${m}`);
  if (m < 2) throw argError('y', y, 'at least 2 observations');
  const intercept = options.intercept ?? true;
  const free = (options.freeSign ?? []).map((nm) => {
    const j = names.indexOf(nm);
    if (j < 0) throw argError('options.freeSign', nm, `one of the predictor names [${names.join(', ')}]`);
    return j;
  });
  const B = options.bootstrap ?? 200;
  if (!Number.isInteger(B) || B < 0) throw argError('options.bootstrap', B, 'an integer >= 0');
  const level = options.level ?? 0.9;
  if (!(level > 0 && level < 1)) throw argError('options.level', level, 'a number in (0, 1)');
  const fit = (rows: ArrayLike<number>): { beta: Float64Array; c: number; rss: number; means: Float64Array } => {
    const k = rows.length;
    const yy = new Float64Array(k);
    const cols = names.map(() => new Float64Array(k));
    for (let i = 0; i < k; i++) {
      const r = rows[i] as number;
      yy[i] = y[r] as number;
      names.forEach((nm, j) => ((cols[j] as Float64Array)[i] = (predictors[nm] as ArrayLike<number>)[r] as number));
    }
    const means = new Float64Array(names.length);
    let ym = 0;
    if (intercept) {
      for (let i = 0; i < k; i++) ym += yy[i] as number;
      ym /= k;
      cols.forEach((c, j) => {
        let s = 0;
        for (let i = 0; i < k; i++) s += c[i] as number;
        means[j] = s / k;
      });
    } else {
      cols.forEach((c, j) => {
        let s = 0;
        for (let i = 0; i < k; i++) s += c[i] as number;
        means[j] = s / k;
      });
    }
    // With a free intercept, minimising over it first leaves NNLS on centred data (exact: the intercept is unconstrained).
    const cy = intercept ? yy.map((v) => v - ym) : yy;
    const cc = intercept ? cols.map((c, j) => c.map((v) => v - (means[j] as number))) : cols;
    // A free-sign predictor enters twice, as X and −X; its coefficient is the difference.
    const mirrored = free.map((j) => (cc[j] as Float64Array).map((v) => -v));
    const r = nnls([...cc, ...mirrored], cy);
    const beta = r.x.slice(0, names.length);
    free.forEach((j, i) => (beta[j] = (beta[j] as number) - (r.x[names.length + i] as number)));
    let c0 = 0;
    if (intercept) {
      c0 = ym;
      for (let j = 0; j < names.length; j++) c0 -= (beta[j] as number) * (means[j] as number);
    }
    return { beta, c: c0, rss: r.rss, means };
  };
  const all = Array.from({ length: m }, (_, i) => i);
  const main = fit(all);
  let ym = 0;
  for (let i = 0; i < m; i++) ym += y[i] as number;
  ym /= m;
  let tss = 0;
  for (let i = 0; i < m; i++) tss += ((y[i] as number) - (intercept ? ym : 0)) ** 2;
  const r2 = tss > 0 ? 1 - main.rss / tss : NaN;
  const bootBeta = names.map(() => [] as number[]);
  const bootAttr = names.map(() => [] as number[]);
  if (B > 0) {
    const rng = createRng(options.seed ?? 1);
    const rows = new Uint32Array(m);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < m; i++) rows[i] = rng.int(m);
      const f = fit(rows);
      names.forEach((_, j) => {
        (bootBeta[j] as number[]).push(f.beta[j] as number);
        (bootAttr[j] as number[]).push((f.beta[j] as number) * (f.means[j] as number));
      });
    }
  }
  const lo = (1 - level) / 2;
  const interval = (xs: number[]): [number, number] => {
    if (xs.length === 0) return [NaN, NaN];
    const s = [...xs].sort((a, b) => a - b);
    return [quantileSorted7(s, lo), quantileSorted7(s, 1 - lo)];
  };
  const terms: ApportionTerm[] = names.map((name, j) => ({
    name,
    coefficient: main.beta[j] as number,
    attributable: (main.beta[j] as number) * (main.means[j] as number),
    attributableInterval: interval(bootAttr[j] as number[]),
    coefficientInterval: interval(bootBeta[j] as number[]),
  }));
  const res = { terms, intercept: main.c, r2, n: m, rss: main.rss };
  return {
    ...res,
    toJSON() {
      return res;
    },
  };
}
