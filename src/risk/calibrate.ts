/**
 * Calibration of risk weights against what happened next (docs/risk.md): an L2-regularised
 * logistic regression of "burnt in the following period" on the normalised factors, and the
 * area under the ROC curve (AUC) on held-out periods with a seeded bootstrap interval, beside
 * a naive baseline such as "cells that burnt last period".
 *
 * References: IRLS / Newton–Raphson for logistic regression (Hastie, Tibshirani & Friedman,
 * *Elements of Statistical Learning* §4.4.1), ridge penalty on all coefficients but the
 * intercept (ESL §4.4.4); AUC as the Mann–Whitney U statistic divided by n₁n₀ with ties
 * counted one half (Hanley & McNeil 1982, Radiology 143:29); percentile bootstrap
 * (Efron & Tibshirani 1993, ch. 13), resampling positives and negatives separately so every
 * replicate has both classes.
 */
import { HazetraceError, argError, checkInt, checkPositive, showValue } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { quantileSorted } from '../core/stats.js';
import { normaliseFactor, sortOrder, type NormaliseMethod } from './normalise.js';
import { scoreRisk } from './score.js';
import { burntCells, hotspotHistoryFactors, periodLabels } from './factors.js';
import type { SeasonOptions } from '../core/season.js';
import type { Hotspots } from '../core/types.js';
import { checkArrayLike, checkObject, checkOptions, checkShape } from '../core/check.js';

/** Options of {@link fitLogistic}. */
export interface LogisticOptions {
  /** Ridge penalty λ on the standardised coefficients (not the intercept). Default 1. Must be > 0 so the fit exists even for separable data. */
  lambda?: number;
  /** Newton/IRLS iteration cap. Default 100. */
  maxIter?: number;
  /** Convergence: largest change of a standardised coefficient. Default 1e-9. */
  tol?: number;
}

/** A fitted logistic regression. */
export interface LogisticFit {
  /** Intercept on the input scale. */
  intercept: number;
  /** Coefficient per feature on the input scale (log-odds per unit). */
  coefficients: Record<string, number>;
  /** Coefficients per feature on the standardised scale (log-odds per standard deviation); 0 for constant features. */
  standardised: Record<string, number>;
  iterations: number;
  /** Penalised negative log-likelihood at the solution. */
  objective: number;
  n: number;
  positives: number;
  /** Linear predictor `intercept + Σ coef·x` for new data. */
  predictLogit(features: Readonly<Record<string, ArrayLike<number>>>): Float64Array;
  toJSON(): Omit<LogisticFit, 'predictLogit' | 'toJSON'>;
}

/** Solve A x = b for symmetric positive definite A (row-major, size k) by Cholesky; null if A is not PD. */
function choleskySolve(a: Float64Array, b: Float64Array, k: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * k + j]!;
      for (let m = 0; m < j; m++) s -= l[i * k + m]! * l[j * k + m]!;
      if (i === j) {
        if (!(s > 0)) return null;
        l[i * k + i] = Math.sqrt(s);
      } else l[i * k + j] = s / l[j * k + j]!;
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= l[i * k + m]! * y[m]!;
    y[i] = s / l[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let m = i + 1; m < k; m++) s -= l[m * k + i]! * x[m]!;
    x[i] = s / l[i * k + i]!;
  }
  return x;
}

/** log(1 + e^t) without overflow. */
function log1pExp(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

/**
 * Fit an L2-regularised logistic regression by Newton–Raphson (IRLS) with step halving.
 * Features are standardised internally (mean 0, sd 1) so λ treats them alike; coefficients
 * are reported on both scales. The penalised objective is strictly convex for λ > 0, so the
 * solution is unique and the procedure deterministic (no seed needed).
 *
 * Throws `E_ARG` on unequal lengths, non-finite features or labels other than 0/1; `E_INPUT`
 * when `y` has one class only; `E_NUMERIC` when Newton does not converge in `maxIter` steps.
 *
 * @example
 * ```ts
 * import { fitLogistic } from 'hazetrace/risk';
 * const fit = fitLogistic({ x: new Float64Array([0, 1, 2, 3, 4, 5]) }, new Float64Array([0, 0, 1, 0, 1, 1]), { lambda: 0.01 });
 * fit.coefficients.x > 0; // true: more x, more often 1
 * ```
 */
export function fitLogistic(
  features: Readonly<Record<string, ArrayLike<number>>>,
  y: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticFit {
  checkObject('features', features);
  checkArrayLike('y', y);
  checkOptions('options', options);
  const lambda = checkPositive('lambda', options.lambda ?? 1);
  const maxIter = checkInt('maxIter', options.maxIter ?? 100, 1, 10_000);
  const tol = checkPositive('tol', options.tol ?? 1e-9);
  const names = Object.keys(features);
  const n = y.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i]!;
    if (v !== 0 && v !== 1) throw argError(`y[${i}]`, v, '0 or 1');
    positives += v;
  }
  if (positives === 0 || positives === n) {
    throw new HazetraceError('E_INPUT', `y must contain both 0 and 1 to fit a logistic regression, got ${positives} ones in ${n} rows`, {
      argument: 'y',
      value: positives,
    });
  }
  const p = names.length;
  const k = p + 1;
  // Standardised design, column-major: column 0 is the intercept (implicit 1).
  const cols: Float64Array[] = [];
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const name = names[j]!;
    const x = features[name]!;
    if (x.length !== n) throw new HazetraceError('E_ARG', `feature "${name}" has length ${x.length} but y has length ${n}`, { argument: name, value: x.length });
    let s = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      if (!Number.isFinite(v)) throw new HazetraceError('E_ARG', `feature "${name}" must be finite, got ${showValue(v)} at row ${i}`, { argument: name, value: v });
      s += v;
    }
    const mu = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[i]! - mu) ** 2;
    const sigma = Math.sqrt(ss / n);
    mean[j] = mu;
    sd[j] = sigma;
    const c = new Float64Array(n);
    // A constant column standardises to 0 and the ridge term pins its coefficient at 0.
    if (sigma > 0) for (let i = 0; i < n; i++) c[i] = (x[i]! - mu) / sigma;
    cols.push(c);
  }
  const beta = new Float64Array(k);
  // Start the intercept at the base-rate log-odds: Newton then needs few steps.
  beta[0] = Math.log(positives / (n - positives));
  const eta = new Float64Array(n);
  const computeEta = (b: Float64Array): void => {
    eta.fill(b[0]!);
    for (let j = 0; j < p; j++) {
      const bj = b[j + 1]!;
      if (bj === 0) continue;
      const c = cols[j]!;
      for (let i = 0; i < n; i++) eta[i] = eta[i]! + bj * c[i]!;
    }
  };
  const objectiveAt = (b: Float64Array): number => {
    computeEta(b);
    let f = 0;
    for (let i = 0; i < n; i++) f += log1pExp(eta[i]!) - y[i]! * eta[i]!;
    let pen = 0;
    for (let j = 1; j < k; j++) pen += b[j]! ** 2;
    return f + 0.5 * lambda * pen;
  };
  let obj = objectiveAt(beta);
  let iterations = 0;
  let converged = false;
  const h = new Float64Array(k * k);
  const g = new Float64Array(k);
  const xi = new Float64Array(k);
  while (iterations < maxIter) {
    iterations++;
    computeEta(beta);
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const pi = 1 / (1 + Math.exp(-eta[i]!));
      const w = pi * (1 - pi);
      const r = y[i]! - pi;
      xi[0] = 1;
      for (let j = 0; j < p; j++) xi[j + 1] = cols[j]![i]!;
      for (let a = 0; a < k; a++) {
        const xa = xi[a]!;
        g[a] = g[a]! + r * xa;
        const wa = w * xa;
        for (let b = 0; b <= a; b++) h[a * k + b] = h[a * k + b]! + wa * xi[b]!;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) h[b * k + a] = h[a * k + b]!;
    for (let j = 1; j < k; j++) {
      h[j * k + j] = h[j * k + j]! + lambda;
      g[j] = g[j]! - lambda * beta[j]!;
    }
    const step = choleskySolve(h, g, k);
    if (!step) throw new HazetraceError('E_NUMERIC', 'logistic regression Hessian is not positive definite (degenerate design)', { iterations });
    // Step halving keeps every accepted step downhill on the convex objective.
    let t = 1;
    const trial = new Float64Array(k);
    let newObj = Infinity;
    for (let halvings = 0; halvings < 40; halvings++) {
      for (let a = 0; a < k; a++) trial[a] = beta[a]! + t * step[a]!;
      newObj = objectiveAt(trial);
      if (newObj <= obj + 1e-12 * Math.abs(obj)) break;
      t /= 2;
    }
    let maxChange = 0;
    for (let a = 0; a < k; a++) maxChange = Math.max(maxChange, Math.abs(trial[a]! - beta[a]!));
    beta.set(trial);
    obj = Math.min(obj, newObj);
    if (maxChange < tol) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    throw new HazetraceError('E_NUMERIC', `logistic regression did not converge in maxIter=${maxIter} Newton steps; raise maxIter or lambda`, {
      argument: 'maxIter',
      value: maxIter,
    });
  }
  const coefficients: Record<string, number> = {};
  const standardised: Record<string, number> = {};
  let intercept = beta[0]!;
  for (let j = 0; j < p; j++) {
    const name = names[j]!;
    const bs = beta[j + 1]!;
    standardised[name] = bs;
    const b = sd[j]! > 0 ? bs / sd[j]! : 0;
    coefficients[name] = b;
    intercept -= b * mean[j]!;
  }
  const fit: LogisticFit = {
    intercept,
    coefficients,
    standardised,
    iterations,
    objective: obj,
    n,
    positives,
    predictLogit(fs) {
      const first = fs[names[0] ?? ''];
      const m = first ? first.length : 0;
      const out = new Float64Array(m).fill(intercept);
      for (const name of names) {
        const x = fs[name];
        if (!x || x.length !== m) throw argError(`features.${name}`, x, `an array of length ${m}`);
        const b = coefficients[name]!;
        for (let i = 0; i < m; i++) out[i] = out[i]! + b * x[i]!;
      }
      return out;
    },
    toJSON() {
      return { intercept, coefficients, standardised, iterations, objective: obj, n, positives };
    },
  };
  return fit;
}

/** Pre-sorted tie groups of a score vector, for O(n) AUC evaluations under resampling. */
interface TieGroups {
  /** Original indices sorted by score. */
  order: Uint32Array;
  /** Group start offsets into `order`, plus a final sentinel. */
  starts: Uint32Array;
}

function tieGroups(scores: ArrayLike<number>, name: string): TieGroups {
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i]!)) throw argError(`${name}[${i}]`, scores[i], 'a finite number');
  }
  const order = sortOrder(scores);
  const st: number[] = [0];
  for (let r = 1; r < n; r++) if (scores[order[r]!]! !== scores[order[r - 1]!]!) st.push(r);
  st.push(n);
  return { order, starts: Uint32Array.from(st) };
}

/**
 * Mann–Whitney AUC with multiplicities: sweep tie groups in ascending score; each positive in a
 * group beats every negative below it and ties half of the negatives in its own group.
 */
function aucSweep(tg: TieGroups, posW: ArrayLike<number>, negW: ArrayLike<number>): number {
  const { order, starts } = tg;
  let negBelow = 0;
  let u = 0;
  let nPos = 0;
  for (let gI = 0; gI + 1 < starts.length; gI++) {
    let p = 0;
    let q = 0;
    for (let r = starts[gI]!; r < starts[gI + 1]!; r++) {
      const i = order[r]!;
      p += posW[i]!;
      q += negW[i]!;
    }
    u += p * (negBelow + q / 2);
    negBelow += q;
    nPos += p;
  }
  return u / (nPos * negBelow);
}

function checkLabels(labels: ArrayLike<number>, n: number): { pos: Float64Array; neg: Float64Array; n1: number; n0: number } {
  if (labels.length !== n) throw argError('labels', labels, `an array of length ${n} (one per score)`);
  const pos = new Float64Array(n);
  const neg = new Float64Array(n);
  let n1 = 0;
  for (let i = 0; i < n; i++) {
    const v = labels[i]!;
    if (v !== 0 && v !== 1) throw argError(`labels[${i}]`, v, '0 or 1');
    if (v === 1) {
      pos[i] = 1;
      n1++;
    } else neg[i] = 1;
  }
  if (n1 === 0 || n1 === n) {
    throw new HazetraceError('E_INPUT', `AUC needs both classes in labels, got ${n1} positives of ${n}`, { argument: 'labels', value: n1 });
  }
  return { pos, neg, n1, n0: n - n1 };
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (the Mann–Whitney U statistic / (n₁·n₀)).
 *
 * @example
 * ```ts
 * import { auc } from 'hazetrace/risk';
 * auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]); // 0.75
 * ```
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkArrayLike('scores', scores);
  checkArrayLike('labels', labels);
  const { pos, neg } = checkLabels(labels, scores.length);
  return aucSweep(tieGroups(scores, 'scores'), pos, neg);
}

/** Options of {@link bootstrapAuc}. */
export interface BootstrapOptions {
  /** Number of bootstrap replicates. Default 1000. */
  replicates?: number;
  /** RNG seed. Default 1. */
  seed?: number;
  /** Two-sided confidence level. Default 0.95. */
  level?: number;
}

/** AUC with a bootstrap interval for one score vector. */
export interface AucInterval {
  auc: number;
  lo: number;
  hi: number;
}

/** Result of {@link bootstrapAuc}. */
export interface BootstrapAucResult {
  /** One entry per score vector, in input order. */
  scores: AucInterval[];
  /** AUC(scores[0]) − AUC(scores[1]) with its paired-bootstrap interval (same resamples), when two or more vectors were given. */
  difference?: AucInterval;
  replicates: number;
  level: number;
  seed: number;
}

/**
 * AUC of one or more score vectors against the same labels, with stratified percentile-bootstrap
 * intervals (positives and negatives resampled separately, the same resamples for every vector so
 * the difference of the first two is a paired comparison). Deterministic for a given `seed`.
 * Each replicate costs O(n): the scores are sorted once and the replicate only changes multiplicities.
 *
 * @example
 * ```ts
 * import { bootstrapAuc } from 'hazetrace/risk';
 * const r = bootstrapAuc([[0.1, 0.4, 0.35, 0.8, 0.7, 0.2]], [0, 0, 1, 1, 1, 0], { replicates: 200, seed: 7 });
 * r.scores[0].auc; // 0.888…; r.scores[0].lo <= auc <= r.scores[0].hi
 * ```
 */
export function bootstrapAuc(scoreSets: readonly ArrayLike<number>[], labels: ArrayLike<number>, options: BootstrapOptions = {}): BootstrapAucResult {
  if (!Array.isArray(scoreSets) || scoreSets.length === 0) throw argError('scoreSets', scoreSets, 'a non-empty array of score arrays');
  const replicates = checkInt('replicates', options.replicates ?? 1000, 1, 1_000_000);
  const seed = options.seed ?? 1;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw argError('level', level, 'a number in (0, 1)');
  const n = labels.length;
  const { pos, neg, n1, n0 } = checkLabels(labels, n);
  const groups = scoreSets.map((s, j) => {
    if (s.length !== n) throw argError(`scoreSets[${j}]`, s, `an array of length ${n}`);
    return tieGroups(s, `scoreSets[${j}]`);
  });
  const point = groups.map((tg) => aucSweep(tg, pos, neg));
  const posIdx = new Uint32Array(n1);
  const negIdx = new Uint32Array(n0);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (pos[i] === 1) posIdx[a++] = i;
    else negIdx[b++] = i;
  }
  const rng = createRng(seed);
  const reps = groups.map(() => new Float64Array(replicates));
  const diff = new Float64Array(replicates);
  const pw = new Float64Array(n);
  const nw = new Float64Array(n);
  for (let r = 0; r < replicates; r++) {
    pw.fill(0);
    nw.fill(0);
    for (let t = 0; t < n1; t++) pw[posIdx[rng.int(n1)]!]! += 1;
    for (let t = 0; t < n0; t++) nw[negIdx[rng.int(n0)]!]! += 1;
    for (let j = 0; j < groups.length; j++) reps[j]![r] = aucSweep(groups[j]!, pw, nw);
    if (groups.length > 1) diff[r] = reps[0]![r]! - reps[1]![r]!;
  }
  const alpha = (1 - level) / 2;
  const interval = (a: Float64Array, est: number): AucInterval => {
    a.sort();
    return { auc: est, lo: quantileSorted(a, alpha), hi: quantileSorted(a, 1 - alpha) };
  };
  const result: BootstrapAucResult = {
    scores: reps.map((a, j) => interval(a, point[j]!)),
    replicates,
    level,
    seed,
  };
  if (groups.length > 1) result.difference = interval(diff, point[0]! - point[1]!);
  return result;
}

/** One period of calibration data: factors known at the start, and what burnt in the following period. */
export interface CalibrationPeriod {
  /** Label, e.g. `'2023→2025'`. */
  label: string;
  /** Factor columns (same names in every period), one value per cell. */
  factors: Readonly<Record<string, ArrayLike<number>>>;
  /** 1 where the cell burnt in the following period, else 0. */
  burnt: ArrayLike<number>;
  /** Naive baseline score per cell (e.g. 1 if it burnt last period, else 0); higher = riskier. Optional. */
  baseline?: ArrayLike<number>;
}

/** Options of {@link calibrateRisk}. */
export interface RiskCalibrationOptions {
  /** Labels of the periods held out for evaluation. Default: the last period. The others train. */
  holdout?: readonly string[];
  /** Ridge λ for {@link fitLogistic}. Default 1. */
  lambda?: number;
  /** Factor normalisation, as in `scoreRisk`. Default `'percentile'`. */
  normalise?: NormaliseMethod;
  /** Bootstrap options for the held-out AUC intervals. */
  bootstrap?: BootstrapOptions;
}

/** Evaluation of one held-out period. */
export interface HoldoutEvaluation {
  label: string;
  cells: number;
  positives: number;
  /** AUC of `scoreRisk` with the calibrated weights, with interval. */
  calibrated: AucInterval;
  /** AUC of `scoreRisk` with the default weights. */
  defaultWeights: AucInterval;
  /** AUC of the naive baseline, when the period has one. */
  baseline?: AucInterval;
  /** Calibrated minus baseline, paired bootstrap, when the period has a baseline. */
  difference?: AucInterval;
}

/** Result of {@link calibrateRisk}. */
export interface RiskCalibration {
  fit: LogisticFit;
  /** Weights for `scoreRisk`: the positive logistic coefficients on the normalised factors, summing to 1; negative ones become 0. */
  weights: Record<string, number>;
  train: string[];
  holdout: HoldoutEvaluation[];
  warnings: string[];
  toJSON(): object;
}

/** Normalise every factor of a period the way `scoreRisk` does ('min' NaN handling: NaN → 0). */
function normalisedFactors(factors: Readonly<Record<string, ArrayLike<number>>>, method: NormaliseMethod): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, x] of Object.entries(factors)) {
    const v = normaliseFactor(x, method, name).values;
    for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) v[i] = 0;
    out[name] = v;
  }
  return out;
}

/**
 * Fit risk weights on training periods and evaluate on held-out ones. Each period's factors are
 * normalised as `scoreRisk` normalises them, so the fitted coefficients are directly weights on
 * the 0–1 scale; the stacked training periods feed one {@link fitLogistic}. Negative coefficients
 * (a factor that, given the others, lowers the odds) cannot be weights — `scoreRisk` forbids
 * negative weights — so they are set to 0 and reported in `warnings`.
 *
 * @example
 * ```ts
 * import { calibrateRisk } from 'hazetrace/risk';
 * const f = (a: number[]) => new Float64Array(a);
 * const periods = [
 *   { label: 'p1', factors: { hist: f([0, 1, 2, 3, 4, 5, 6, 7]) }, burnt: f([0, 0, 1, 0, 1, 0, 1, 1]) },
 *   { label: 'p2', factors: { hist: f([7, 6, 5, 4, 3, 2, 1, 0]) }, burnt: f([1, 1, 0, 1, 0, 0, 0, 0]),
 *     baseline: f([1, 0, 0, 1, 0, 0, 1, 0]) },
 * ];
 * const cal = calibrateRisk(periods, { bootstrap: { replicates: 100, seed: 1 } });
 * cal.holdout[0].calibrated.auc; // ≈ 0.93
 * ```
 */
export function calibrateRisk(periods: readonly CalibrationPeriod[], options: RiskCalibrationOptions = {}): RiskCalibration {
  if (!Array.isArray(periods) || periods.length < 2) throw argError('periods', periods, 'an array of at least 2 periods (train + holdout)');
  const labels = periods.map((p) => p.label);
  const holdoutLabels = options.holdout ?? [labels[labels.length - 1]!];
  for (const h of holdoutLabels) if (!labels.includes(h)) throw argError('holdout', h, `a period label (${labels.join(', ')})`);
  const trainP = periods.filter((p) => !holdoutLabels.includes(p.label));
  const testP = periods.filter((p) => holdoutLabels.includes(p.label));
  if (trainP.length === 0) throw argError('holdout', holdoutLabels, 'a subset of the periods leaving at least one to train on');
  const method = options.normalise ?? 'percentile';
  const names = Object.keys(periods[0]!.factors);
  for (const p of periods) {
    const pn = Object.keys(p.factors);
    const miss = names.find((n) => !pn.includes(n)) ?? pn.find((n) => !names.includes(n));
    if (miss !== undefined) throw argError(`periods[${JSON.stringify(p.label)}].factors`, pn, `the same factor names as the first period (differs at "${miss}")`);
  }
  // Stack the training periods.
  let total = 0;
  for (const p of trainP) total += p.burnt.length;
  const stacked: Record<string, Float64Array> = {};
  for (const n of names) stacked[n] = new Float64Array(total);
  const y = new Float64Array(total);
  let off = 0;
  for (const p of trainP) {
    const nf = normalisedFactors(p.factors, method);
    for (const n of names) stacked[n]!.set(nf[n]!, off);
    for (let i = 0; i < p.burnt.length; i++) y[off + i] = p.burnt[i]!;
    off += p.burnt.length;
  }
  const fit = fitLogistic(stacked, y, options.lambda === undefined ? {} : { lambda: options.lambda });
  const warnings: string[] = [];
  const raw: Record<string, number> = {};
  let sum = 0;
  for (const n of names) {
    const b = fit.coefficients[n]!;
    if (b < 0) warnings.push(`factor "${n}" has a negative coefficient (${b.toPrecision(3)}): weight set to 0`);
    raw[n] = Math.max(0, b);
    sum += raw[n];
  }
  if (!(sum > 0)) {
    throw new HazetraceError('E_NUMERIC', 'calibration found no factor that raises the odds of burning: every coefficient is <= 0', {
      coefficients: fit.coefficients,
    });
  }
  const weights: Record<string, number> = {};
  for (const n of names) weights[n] = raw[n]! / sum;
  const holdout: HoldoutEvaluation[] = testP.map((p) => {
    const cells = Array.from({ length: p.burnt.length }, (_, i) => String(i));
    const calibrated = scoreRisk({ cells, factors: p.factors }, { weights, normalise: method }).score;
    const defaults = scoreRisk({ cells, factors: p.factors }, { normalise: method }).score;
    const sets: ArrayLike<number>[] = [calibrated];
    if (p.baseline) sets.push(p.baseline);
    sets.push(defaults);
    const bs = bootstrapAuc(sets, p.burnt, options.bootstrap ?? {});
    let positives = 0;
    for (let i = 0; i < p.burnt.length; i++) positives += p.burnt[i]!;
    const ev: HoldoutEvaluation = {
      label: p.label,
      cells: p.burnt.length,
      positives,
      calibrated: bs.scores[0]!,
      defaultWeights: bs.scores[sets.length - 1]!,
    };
    if (p.baseline) {
      ev.baseline = bs.scores[1]!;
      if (bs.difference) ev.difference = bs.difference;
    }
    return ev;
  });
  const train = trainP.map((p) => p.label);
  return {
    fit,
    weights,
    train,
    holdout,
    warnings,
    toJSON() {
      return { fit: fit.toJSON(), weights, train, holdout, warnings };
    },
  };
}

/** Options of {@link historyPeriods}. */
export interface HistoryPeriodsOptions {
  /** The cell set (one resolution). */
  cells: readonly string[];
  /** Observed periods in time order, e.g. `[2017, 2019, 2022, 2023, 2025]`. Period k (k ≥ 1) is predicted from periods 0..k−1. */
  periods: readonly (string | number)[];
  /** Period label per detection. Default: burning-season year of `time` (see `season`). */
  period?: ArrayLike<string | number>;
  /** Season rule for the default `period` (core `seasonYear`). Default November start, UTC+07:00. */
  season?: SeasonOptions;
  /** Static factors (e.g. facility proximity, land use) added to every period, aligned to `cells`. */
  extra?: Readonly<Record<string, ArrayLike<number>>>;
  /** Passed to `hotspotHistoryFactors`: also produce `hotspot_nearby` within this many grid steps. */
  ring?: number;
  /** Fewest history periods a target needs. Default 1. */
  minHistory?: number;
}

/**
 * Rolling-origin calibration periods from multi-period detections: for each period k after the
 * first `minHistory`, the hotspot-history factors of periods 0..k−1 (via `hotspotHistoryFactors`)
 * predict which cells burn in period k; the naive baseline is "burnt in any earlier period".
 * Feed the result to {@link calibrateRisk} (the last period is held out by default).
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { historyPeriods } from 'hazetrace/risk';
 * const cells = [latLngToCell(18.8, 99, 6), latLngToCell(19.5, 99.5, 6)];
 * const hs = { length: 2, lng: new Float64Array([99, 99]), lat: new Float64Array([18.8, 18.8]),
 *   time: new Float64Array([Date.UTC(2019, 3, 5), Date.UTC(2023, 2, 10)]), frp: new Float64Array([5, 9]) };
 * const periods = historyPeriods(hs, { cells, periods: [2019, 2023] });
 * periods[0].label; // '2019→2023'
 * ```
 */
export function historyPeriods(
  hotspots: Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time' | 'frp'>,
  options: HistoryPeriodsOptions,
): CalibrationPeriod[] {
  checkShape('hotspots', hotspots, { length: 'number', lng: 'arrayLike', lat: 'arrayLike', time: 'arrayLike' });
  checkShape('options', options, { periods: 'array' });
  const labels = options.periods.map(String);
  if (labels.length < 2) throw argError('periods', options.periods, 'at least 2 periods (history + target)');
  const minHistory = checkInt('minHistory', options.minHistory ?? 1, 1, labels.length - 1);
  const n = hotspots.length;
  const per = options.period;
  if (per !== undefined && per.length !== n) throw argError('period', per, `an array of length ${n}`);
  const perDetection = periodLabels(hotspots.time, per, options.season);
  const labelOf = (i: number): string => perDetection[i]!;
  const byPeriod = new Map<string, number[]>(labels.map((l) => [l, []]));
  for (let i = 0; i < n; i++) {
    const l = labelOf(i);
    const list = byPeriod.get(l);
    if (!list) throw argError('periods', labels, `a list including every detection period (missing ${JSON.stringify(l)})`);
    list.push(i);
  }
  const subset = (idx: number[]): Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time' | 'frp'> => ({
    length: idx.length,
    lng: Float64Array.from(idx, (i) => hotspots.lng[i]!),
    lat: Float64Array.from(idx, (i) => hotspots.lat[i]!),
    time: Float64Array.from(idx, (i) => hotspots.time[i]!),
    frp: Float64Array.from(idx, (i) => hotspots.frp[i]!),
  });
  const out: CalibrationPeriod[] = [];
  for (let k = minHistory; k < labels.length; k++) {
    const histIdx = labels.slice(0, k).flatMap((l) => byPeriod.get(l)!);
    const hist = subset(histIdx);
    const h = hotspotHistoryFactors(hist, {
      cells: options.cells,
      period: histIdx.map(labelOf),
      periods: labels.slice(0, k),
      ...(options.ring === undefined ? {} : { ring: options.ring }),
    });
    const factors: Record<string, ArrayLike<number>> = {};
    for (const [name, col] of Object.entries(h.factors)) if (col) factors[name] = col;
    for (const [name, col] of Object.entries(options.extra ?? {})) {
      if (col.length !== options.cells.length) throw argError(`extra.${name}`, col.length, `length ${options.cells.length}`);
      factors[name] = col;
    }
    const target = subset(byPeriod.get(labels[k]!)!);
    out.push({
      label: `${labels[k - 1]}→${labels[k]}`,
      factors,
      burnt: burntCells(target, options.cells),
      baseline: h.factors.repeat_burn.map((v) => (v > 0 ? 1 : 0)),
    });
  }
  return out;
}
