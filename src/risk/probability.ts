/**
 * Burn probability: a logistic model of "the cell has at least one detection next season" on the
 * factors of the seasons before, fitted rolling-origin (fit on transitions with target ≤ y−1, predict
 * y) on absolute (not rank-normalised) features, so a quiet history gives lower probabilities than a
 * bad one. Coefficients are constrained to be ≥ 0 by backward elimination: a factor whose coefficient
 * comes out negative is removed and the model refitted, so "more evidence never lowers the risk" and a
 * cell without any evidence gets the lowest probability, `σ(intercept)` (docs/risk.md).
 */
import { HazetraceError, argError } from '../core/errors.js';
import { fitLogistic, type CalibrationPeriod } from './calibrate.js';
import { checkArrayLike, checkObject, checkShape, checkString } from '../core/check.js';

/**
 * Feature transform of one raw factor column for the probability model: `repeat_burn` (a share in
 * [0, 1]) is kept, other `hotspot_*` counts / FRP and `facility_proximity` become `log(1 + x)`
 * (heavy-tailed counts), any other (user) factor is used as given. NaN becomes 0 ("no evidence").
 *
 * @example
 * ```ts
 * import { probabilityFeature } from 'hazetrace/risk';
 * probabilityFeature('hotspot_detections', [0, Math.E - 1])[1]; // 1
 * probabilityFeature('repeat_burn', [0.5])[0]; // 0.5
 * ```
 */
export function probabilityFeature(name: string, x: ArrayLike<number>): Float64Array {
  checkString('name', name);
  checkArrayLike('x', x);
  const logged = name !== 'repeat_burn' && (name.startsWith('hotspot_') || name === 'facility_proximity');
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (v !== v) continue;
    out[i] = logged ? Math.log1p(Math.max(0, v)) : v;
  }
  return out;
}

/** A fitted burn-probability model (see {@link fitBurnModel}). */
export interface BurnModel {
  /** Log-odds of a cell whose every feature is 0 (no evidence). */
  intercept: number;
  /** Log-odds per unit of the transformed feature ({@link probabilityFeature}); 0 for factors removed (negative when fitted). */
  coefficients: Record<string, number>;
  /** Coefficient × standard deviation of the feature in the training data: log-odds per SD, the factor's weight. */
  standardised: Record<string, number>;
  /** Factors removed because their coefficient was negative, in removal order. */
  removed: string[];
  /** Labels of the training transitions (e.g. `'2022→2023'`). */
  trainedOn: string[];
  /** Training rows (cells × transitions) and how many burnt. */
  n: number;
  positives: number;
}

/** Options of {@link fitBurnModel}. */
export interface BurnModelOptions {
  /** Ridge λ of `fitLogistic` (on standardised features). Default 1. */
  lambda?: number;
}

/**
 * Fit the burn-probability model on calibration periods (as `historyPeriods` returns them, raw factor
 * values): stack the periods, transform every factor with {@link probabilityFeature}, fit the ridge
 * logistic regression, drop factors with negative coefficients and refit until none is negative.
 * Throws `E_INPUT` when the stacked outcome has one class only, `E_NUMERIC` when no factor is left.
 *
 * @example
 * ```ts
 * import { fitBurnModel } from 'hazetrace/risk';
 * const f = (a: number[]) => new Float64Array(a);
 * const m = fitBurnModel([{ label: 'a→b', factors: { repeat_burn: f([0, 0, 0, 1, 1, 0.5]) }, burnt: f([0, 0, 1, 1, 1, 0]) }]);
 * m.coefficients.repeat_burn > 0; // true
 * ```
 */
export function fitBurnModel(periods: readonly CalibrationPeriod[], options: BurnModelOptions = {}): BurnModel {
  if (!Array.isArray(periods) || periods.length === 0) throw argError('periods', periods, 'a non-empty array of calibration periods');
  const names = Object.keys(periods[0]!.factors);
  if (names.length === 0) throw argError('periods[0].factors', periods[0]!.factors, 'at least one factor');
  let total = 0;
  for (const p of periods) total += p.burnt.length;
  const stacked: Record<string, Float64Array> = {};
  for (const n of names) stacked[n] = new Float64Array(total);
  const y = new Float64Array(total);
  let off = 0;
  for (const p of periods) {
    for (const n of names) {
      const col = p.factors[n];
      if (!col || col.length !== p.burnt.length) throw argError(`periods[${JSON.stringify(p.label)}].factors.${n}`, col?.length, `a column of length ${p.burnt.length}`);
      stacked[n]!.set(probabilityFeature(n, col), off);
    }
    for (let i = 0; i < p.burnt.length; i++) y[off + i] = p.burnt[i]!;
    off += p.burnt.length;
  }
  let use = names.slice();
  const removed: string[] = [];
  for (;;) {
    if (use.length === 0) {
      throw new HazetraceError('E_NUMERIC', `no factor raises the odds of burning next season (all coefficients < 0: ${removed.join(', ')})`, { removed });
    }
    const xs: Record<string, Float64Array> = {};
    for (const n of use) xs[n] = stacked[n]!;
    const fit = fitLogistic(xs, y, options.lambda === undefined ? {} : { lambda: options.lambda });
    const neg = use.filter((n) => fit.coefficients[n]! < 0);
    if (neg.length > 0) {
      removed.push(...neg);
      use = use.filter((n) => !neg.includes(n));
      continue;
    }
    const coefficients: Record<string, number> = {};
    const standardised: Record<string, number> = {};
    for (const n of names) {
      coefficients[n] = use.includes(n) ? fit.coefficients[n]! : 0;
      standardised[n] = use.includes(n) ? fit.standardised[n]! : 0;
    }
    return { intercept: fit.intercept, coefficients, standardised, removed, trainedOn: periods.map((p) => p.label), n: fit.n, positives: fit.positives };
  }
}

/**
 * Probability of burning next season per cell from raw factor columns and a {@link BurnModel}:
 * `σ(intercept + Σ coef_f · probabilityFeature(f))`. Factors of the model missing from `factors`
 * throw `E_ARG`; extra columns are ignored.
 *
 * @example
 * ```ts
 * import { predictBurnProbability } from 'hazetrace/risk';
 * const m = { intercept: -3, coefficients: { repeat_burn: 2 }, standardised: { repeat_burn: 1 }, removed: [], trainedOn: [], n: 0, positives: 0 };
 * predictBurnProbability(m, { repeat_burn: [0, 1] }); // Float64Array [0.047…, 0.268…]
 * ```
 */
export function predictBurnProbability(model: BurnModel, factors: Readonly<Record<string, ArrayLike<number>>>): Float64Array {
  checkShape('model', model, { coefficients: 'object' });
  checkObject('factors', factors);
  const names = Object.keys(model.coefficients).filter((n) => model.coefficients[n] !== 0);
  let m = -1;
  for (const n of Object.keys(model.coefficients)) {
    const col = factors[n];
    if (!col) {
      if (model.coefficients[n] === 0) continue;
      throw argError(`factors.${n}`, col, 'a column for every factor of the model');
    }
    if (m < 0) m = col.length;
    else if (col.length !== m) throw argError(`factors.${n}`, col.length, `length ${m} like the other factors`);
  }
  if (m < 0) m = Object.values(factors)[0]?.length ?? 0;
  const z = new Float64Array(m).fill(model.intercept);
  for (const n of names) {
    const x = probabilityFeature(n, factors[n]!);
    const b = model.coefficients[n]!;
    for (let i = 0; i < m; i++) z[i] = z[i]! + b * x[i]!;
  }
  for (let i = 0; i < m; i++) z[i] = 1 / (1 + Math.exp(-z[i]!));
  return z;
}
