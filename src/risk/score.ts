/**
 * The risk score: normalised factors combined with non-negative weights into 0–100,
 * four levels, and per-factor contributions that add up to the score (docs/risk.md).
 *
 * score_i = 100 · Σ_f w_f · n_{f,i} / Σ_f w_f        (n ∈ [0, 1] the normalised factor)
 * contribution_{f,i} = 100 · w_f · n_{f,i} / Σ_f w_f  (so Σ_f contribution_{f,i} = score_i)
 *
 * The sum of weights runs over *informative* factors only: a factor that is constant or
 * all NaN cannot rank cells, so it contributes 0, is dropped from the denominator (the
 * other weights are renormalised) and the result lists a warning. With `nan: 'exclude'`
 * the denominator is per cell (the factors present in that cell).
 */
import { HazetraceError, argError, showValue } from '../core/errors.js';
import { normaliseFactor, type NormaliseMethod } from './normalise.js';
import { checkArray, checkArrayLike, checkObject } from '../core/check.js';
import { checkInt } from '../core/errors.js';

/** The four risk levels, lowest first. */
export type RiskLevel = 'low' | 'moderate' | 'high' | 'very high';

/**
 * Level names in order; `level[i]` applies from `thresholds[i-1]` (inclusive) up to `thresholds[i]`.
 *
 * @example
 * ```ts
 * import { RISK_LEVELS } from 'hazetrace/risk';
 * RISK_LEVELS[3]; // 'very high'
 * ```
 */
export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'moderate', 'high', 'very high'];

/**
 * Default level thresholds on the 0–100 score: `< 25` low, `25–< 50` moderate, `50–< 75` high,
 * `>= 75` very high. With percentile normalisation and equal weights a cell at 75 outranks
 * roughly three quarters of the domain on a weighted average of its factors.
 *
 * @example
 * ```ts
 * import { DEFAULT_RISK_THRESHOLDS } from 'hazetrace/risk';
 * DEFAULT_RISK_THRESHOLDS; // [25, 50, 75]
 * ```
 */
export const DEFAULT_RISK_THRESHOLDS: readonly [number, number, number] = [25, 50, 75];

/**
 * Default weights by the factor names `buildRiskFactors` produces. Repeat burning and detection
 * history get the most weight because where it burnt before is where it tends to burn again (the
 * calibration on FIRMS 2017–2023 → 2025 in northern Thailand put ~85 % of the weight on
 * `hotspot_detections` + `repeat_burn`, see docs/risk.md); downwind exposure and PM2.5 describe
 * who is hurt today. Facility proximity is an exposure factor, not a fire predictor: on that
 * calibration it got weight 0. Any name not listed here (user columns, `landuse_<class>`) defaults to 1.
 * For a decision, prefer weights from `calibrateRisk` on your own history.
 *
 * @example
 * ```ts
 * import { DEFAULT_RISK_WEIGHTS } from 'hazetrace/risk';
 * DEFAULT_RISK_WEIGHTS.repeat_burn; // 3
 * ```
 */
export const DEFAULT_RISK_WEIGHTS: Readonly<Record<string, number>> = {
  hotspot_detections: 2,
  hotspot_frp: 1,
  repeat_burn: 3,
  hotspot_nearby: 1,
  facility_proximity: 1,
  pm25: 1,
  downwind_exposure: 2,
};

/** Input to {@link scoreRisk}: a cell column and aligned factor columns. */
export interface RiskInput {
  /**
   * H3 cell ids (hex strings). Scoring itself only carries them through (it never needs the
   * geometry, so it does not spend ~1 µs per cell validating them); `rollupRisk` and
   * `riskToGeoJson` need valid cells.
   */
  cells: readonly string[];
  /** Factor columns by name, each the same length as `cells`; NaN = missing. */
  factors: Readonly<Record<string, ArrayLike<number>>>;
}

/** Options of {@link scoreRisk}. */
export interface ScoreRiskOptions {
  /**
   * Non-negative weight per factor. When given it must name exactly the factors present
   * (a missing or an extra name throws `E_ARG` naming it). Default: {@link DEFAULT_RISK_WEIGHTS}
   * by name, 1 for other names.
   */
  weights?: Readonly<Record<string, number>>;
  /** `'percentile'` (default) or `'minmax'`, for all factors or per factor name. */
  normalise?: NormaliseMethod | Readonly<Record<string, NormaliseMethod>>;
  /**
   * Factors where a larger raw value means *lower* risk (e.g. a user's `distance_to_road_km`):
   * they are negated before normalisation. Default none.
   */
  invert?: readonly string[];
  /**
   * What a NaN entry means. `'min'` (default): the factor's lowest normalised value, 0 —
   * "no evidence of risk" (a cell with no hotspot record has no detections). `'exclude'`:
   * the factor is left out of that cell and the cell's remaining weights are renormalised,
   * so a missing reading neither raises nor lowers the cell. A cell with no finite factor scores 0.
   */
  nan?: 'min' | 'exclude';
  /** Three strictly increasing thresholds in (0, 100) separating the four levels. Default {@link DEFAULT_RISK_THRESHOLDS}. */
  thresholds?: readonly [number, number, number];
}

/** A scored cell set. */
export interface RiskScores {
  cells: string[];
  /** 0–100 per cell. */
  score: Float64Array;
  level: RiskLevel[];
  /** Per-factor contribution, score points; sums to `score` per cell. */
  contributions: Record<string, Float64Array>;
  /** Normalised factor values in [0, 1] (NaN where missing). */
  normalised: Record<string, Float64Array>;
  /** Weights as used, rescaled to sum to 1 over the informative factors (0 for dropped ones). */
  weights: Record<string, number>;
  thresholds: [number, number, number];
  /** Human-readable notes: constant or all-NaN factors, NaN counts. */
  warnings: string[];
  toJSON(): RiskScoresJson;
  /** Notebook rendering (Deno/Jupyter): cells per level, weights and warnings. */
  [key: symbol]: unknown;
}

/** Plain-JSON form of {@link RiskScores}. */
export interface RiskScoresJson {
  cells: string[];
  score: number[];
  level: RiskLevel[];
  contributions: Record<string, number[]>;
  weights: Record<string, number>;
  thresholds: [number, number, number];
  warnings: string[];
}

/**
 * Level of one score under `thresholds` (ascending). A NaN (or non-number) score throws `E_ARG`: a
 * missing score has no level (it used to fall through to "very high").
 *
 * @example
 * ```ts
 * import { riskLevel } from 'hazetrace/risk';
 * riskLevel(60); // 'high'
 * ```
 */
export function riskLevel(score: number, thresholds: readonly [number, number, number] = DEFAULT_RISK_THRESHOLDS): RiskLevel {
  if (typeof score !== 'number' || score !== score) throw argError('score', score, 'a number (a NaN score has no level)');
  if (score < thresholds[0]) return 'low';
  if (score < thresholds[1]) return 'moderate';
  if (score < thresholds[2]) return 'high';
  return 'very high';
}

function checkThresholds(t: unknown): [number, number, number] {
  if (
    !Array.isArray(t) ||
    t.length !== 3 ||
    !t.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0 && v < 100) ||
    !(t[0] < t[1] && t[1] < t[2])
  ) {
    throw argError('thresholds', t, 'three strictly increasing numbers in (0, 100)');
  }
  return [t[0], t[1], t[2]];
}

/**
 * Resolve and validate weights against the factor names; throws `E_ARG` naming the offending factor.
 *
 * @example
 * ```ts
 * import { resolveWeights } from 'hazetrace/risk';
 * resolveWeights(['repeat_burn', 'roads'], undefined); // { repeat_burn: 3, roads: 1 } (defaults)
 * resolveWeights(['a'], { a: 2 });                     // { a: 2 }
 * ```
 */
export function resolveWeights(names: readonly string[], weights: Readonly<Record<string, number>> | undefined): Record<string, number> {
  checkArray('names', names);
  if (weights !== undefined) checkObject('weights', weights);
  const out: Record<string, number> = {};
  if (weights === undefined) {
    for (const n of names) out[n] = DEFAULT_RISK_WEIGHTS[n] ?? 1;
    return out;
  }
  if (typeof weights !== 'object' || weights === null) throw argError('weights', weights, 'an object of numbers by factor name');
  for (const k of Object.keys(weights)) {
    if (!names.includes(k)) {
      throw new HazetraceError('E_ARG', `weights names factor "${k}", which is not among the factors (${names.join(', ')})`, {
        argument: `weights.${k}`,
        value: weights[k],
      });
    }
  }
  for (const n of names) {
    const w = weights[n];
    if (w === undefined) {
      throw new HazetraceError('E_ARG', `weights has no weight for factor "${n}" (give 0 to leave it out)`, { argument: `weights.${n}`, value: w });
    }
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw new HazetraceError('E_ARG', `weights.${n} must be a finite number >= 0 (use options.invert for a protective factor), got ${showValue(w)}`, {
        argument: `weights.${n}`,
        value: w,
      });
    }
    out[n] = w;
  }
  return out;
}

/**
 * Score cells for risk: normalise each factor to [0, 1], weight, scale to 0–100, assign levels
 * and keep each factor's contribution. Never returns NaN: constant / all-NaN factors contribute
 * 0 (with a warning), NaN entries follow `options.nan`.
 *
 * Throws `E_ARG` when factor lengths differ from `cells`, when a weight is missing, extra,
 * negative or not finite (naming the factor), when all informative weights are 0, or on ±Infinity values.
 *
 * @example
 * ```ts
 * import { scoreRisk } from 'hazetrace/risk';
 * const r = scoreRisk(
 *   { cells: ['8765a5a6affffff', '8765a5a6bffffff', '8765a5a6cffffff'],
 *     factors: { detections: new Float64Array([0, 2, 9]), pm25: new Float64Array([20, 80, 40]) } },
 *   { weights: { detections: 3, pm25: 1 } },
 * );
 * r.score;  // Float64Array [0, 62.5, 87.5]
 * r.level;  // ['low', 'high', 'very high']
 * r.contributions.detections[2] + r.contributions.pm25[2] === r.score[2]; // true
 * ```
 */
export function scoreRisk(input: RiskInput, options: ScoreRiskOptions = {}): RiskScores {
  if (input === null || typeof input !== 'object') throw argError('input', input, 'an object { cells, factors }');
  const { cells, factors } = input;
  if (!Array.isArray(cells)) throw argError('input.cells', cells, 'an array of H3 cell ids');
  if (factors === null || typeof factors !== 'object') throw argError('input.factors', factors, 'an object of Float64Arrays by factor name');
  const names = Object.keys(factors);
  if (names.length === 0) throw argError('input.factors', factors, 'at least one factor');
  const n = cells.length;
  for (const name of names) {
    const f = factors[name];
    if (f === undefined || typeof (f as ArrayLike<number>).length !== 'number') {
      throw argError(`factors.${name}`, f, 'an array of numbers');
    }
    if (f.length !== n) {
      throw new HazetraceError('E_ARG', `factors.${name} has length ${f.length} but cells has length ${n}`, {
        argument: `factors.${name}`,
        value: f.length,
      });
    }
  }
  const weights = resolveWeights(names, options.weights);
  const thresholds = checkThresholds(options.thresholds ?? DEFAULT_RISK_THRESHOLDS);
  const nanMode = options.nan ?? 'min';
  if (nanMode !== 'min' && nanMode !== 'exclude') throw argError('nan', nanMode, '"min" or "exclude"');
  const invert = new Set(options.invert ?? []);
  for (const name of invert) if (!names.includes(name)) throw argError('invert', name, `a factor name (${names.join(', ')})`);
  const methodOf = (name: string): NormaliseMethod => {
    const nm = options.normalise;
    if (nm === undefined) return 'percentile';
    if (typeof nm === 'string') return nm;
    const m = nm[name];
    for (const k of Object.keys(nm)) if (!names.includes(k)) throw argError(`normalise.${k}`, nm[k], `a factor name (${names.join(', ')})`);
    return m ?? 'percentile';
  };

  const warnings: string[] = [];
  const normalised: Record<string, Float64Array> = {};
  const used: string[] = [];
  for (const name of names) {
    let raw: ArrayLike<number> = factors[name]!;
    if (invert.has(name)) {
      const neg = new Float64Array(n);
      for (let i = 0; i < n; i++) neg[i] = -raw[i]!;
      raw = neg;
    }
    const nf = normaliseFactor(raw, methodOf(name), name);
    normalised[name] = nf.values;
    const missing = n - nf.finite;
    if (nf.finite === 0) warnings.push(`factor "${name}" is all NaN: it contributes 0 and its weight goes to the other factors`);
    else if (nf.constant) warnings.push(`factor "${name}" is constant: it cannot rank cells, contributes 0 and its weight goes to the other factors`);
    else if (missing > 0) {
      warnings.push(
        nanMode === 'min'
          ? `factor "${name}" has ${missing} NaN value(s): treated as the factor's minimum (normalised 0)`
          : `factor "${name}" has ${missing} NaN value(s): left out of those cells, their other weights renormalised`,
      );
    }
    if (!nf.constant && weights[name]! > 0) used.push(name);
  }
  let wSum = 0;
  for (const name of used) wSum += weights[name]!;
  if (wSum === 0) {
    const informative = names.filter((nm) => !normalised[nm]!.every((v) => v === 0 || v !== v));
    if (informative.length > 0) {
      throw new HazetraceError('E_ARG', `weights are all 0 for the informative factors (${informative.join(', ')})`, {
        argument: 'weights',
        value: weights,
      });
    }
    warnings.push('no factor can rank cells (all constant or NaN): every score is 0');
  }
  const effWeights: Record<string, number> = {};
  for (const name of names) effWeights[name] = used.includes(name) ? weights[name]! / wSum : 0;

  const contributions: Record<string, Float64Array> = {};
  for (const name of names) contributions[name] = new Float64Array(n);
  const score = new Float64Array(n);
  if (nanMode === 'min') {
    for (const name of used) {
      const w = (100 * weights[name]!) / wSum;
      const v = normalised[name]!;
      const c = contributions[name]!;
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        const ci = x === x ? w * x : 0;
        c[i] = ci;
        score[i] = score[i]! + ci;
      }
    }
  } else {
    // Per-cell denominator: the weights of the factors present in that cell.
    const denom = new Float64Array(n);
    for (const name of used) {
      const w = weights[name]!;
      const v = normalised[name]!;
      for (let i = 0; i < n; i++) if (v[i]! === v[i]!) denom[i] = denom[i]! + w;
    }
    for (const name of used) {
      const w = 100 * weights[name]!;
      const v = normalised[name]!;
      const c = contributions[name]!;
      for (let i = 0; i < n; i++) {
        const x = v[i]!;
        const d = denom[i]!;
        const ci = x === x && d > 0 ? (w * x) / d : 0;
        c[i] = ci;
        score[i] = score[i]! + ci;
      }
    }
  }
  // Floating-point sums can overshoot 100 by an ulp; clamp so levels and the 0–100 contract hold.
  for (let i = 0; i < n; i++) if (score[i]! > 100) score[i] = 100;
  const level: RiskLevel[] = new Array<RiskLevel>(n);
  for (let i = 0; i < n; i++) level[i] = riskLevel(score[i]!, thresholds);
  const cellsOut = cells.slice();
  return {
    cells: cellsOut,
    score,
    level,
    contributions,
    normalised,
    weights: effWeights,
    thresholds,
    warnings,
    toJSON(): RiskScoresJson {
      const c: Record<string, number[]> = {};
      for (const k of names) c[k] = Array.from(contributions[k]!);
      return { cells: cellsOut, score: Array.from(score), level, contributions: c, weights: effWeights, thresholds, warnings };
    },
    [Symbol.for('Jupyter.display')]() {
      const counts = RISK_LEVELS.map((l) => `${l}: ${level.filter((x) => x === l).length}`).join(', ');
      const w = Object.entries(effWeights)
        .map(([k, v]) => `${k} ${(100 * v).toFixed(1)} %`)
        .join(', ');
      return { 'text/plain': `RiskScores: ${n} cells (${counts}); weights ${w}${warnings.length ? `; warnings: ${warnings.join(' | ')}` : ''}` };
    },
  };
}

/**
 * The `k` factors contributing most to cell `i` (largest contribution first, zero contributions left out).
 *
 * @example
 * ```ts
 * import { scoreRisk, topFactors } from 'hazetrace/risk';
 * const r = scoreRisk({ cells: ['a', 'b'], factors: { x: new Float64Array([0, 1]), y: new Float64Array([1, 0]) } });
 * topFactors(r.contributions, 1, 2); // [{ factor: 'x', points: 50 }]
 * ```
 */
export function topFactors(contributions: Readonly<Record<string, ArrayLike<number>>>, i: number, k = 3): { factor: string; points: number }[] {
  for (const [f, c] of Object.entries(checkObject('contributions', contributions))) checkArrayLike(`contributions.${f}`, c);
  checkInt('i', i, 0, Number.MAX_SAFE_INTEGER);
  checkInt('k', k, 0, Number.MAX_SAFE_INTEGER);
  const out: { factor: string; points: number }[] = [];
  for (const [factor, c] of Object.entries(contributions)) {
    const p = c[i]!;
    if (p > 0) out.push({ factor, points: p });
  }
  out.sort((a, b) => b.points - a.points || (a.factor < b.factor ? -1 : 1));
  return out.slice(0, k);
}
