/**
 * Putting kinds on one scale (docs/attribution.md): one non-negative factor per category from NNLS of the observed PM2.5
 * above background on the per-category trajectory exposures.
 */
import { argError, checkPositive, type SourceKind } from '../core/index.js';
import { defaultScale } from './defaults.js';
import type { CategoryExposures } from './exposures.js';
import { apportion, type ApportionResult } from './nnls.js';
import { groupObservations, lowerBoundTime, quantile7 } from './util.js';

/** Options for {@link calibrateScales}. */
export interface CalibrateOptions {
  /** Background PM2.5 (µg/m³) subtracted from every observation; default the 10th percentile of the matched observations ("clean hours"). */
  background?: number;
  /** Percentile used for the automatic background, default 10. */
  backgroundPercentile?: number;
  /** Join an observation to an exposure row of the same receptor at most this many minutes apart, default 30. */
  maxTimeGapMinutes?: number;
  /** Below this R² the fit is not trusted and defaults are used, default 0.1. */
  minR2?: number;
  /** Observations needed per category, default 5. */
  minRowsPerCategory?: number;
  /** Kind of each category, for the default fallback (default: `fire_*` → hotspot, `facility` → facility, `report` → report, else area). */
  kinds?: Record<string, SourceKind>;
  /**
   * Categories that share one factor: category → group name. Default: every `fire_*` category in one group `fire`
   * (FRP converts to PM2.5 emission the same way whatever land a fire burns on — Wooster et al. 2005, Kaiser et al.
   * 2012 apply one factor per biome, not per land-use label — and repeat-burn fires sit among other fires, so their
   * exposures are collinear and NNLS splits them arbitrarily; in the twin experiments (docs/validation.md) separate fire factors
   * came out 74 vs 51 for fires emitting identically per MW). Pass `{}` for one factor per category.
   */
  groups?: Record<string, string>;
  /**
   * Robust refit (iteratively reweighted NNLS, Huber weights with k = 1.345 × the MAD scale of the residuals;
   * Huber 1964, Holland & Welsch 1977): `'huber'` downweights large residuals of either sign, `'positive'` only
   * observations far *above* the fit, `'none'` plain NNLS. Why: smoke from sources the layer cannot see (fires no
   * satellite detected) arrives as positive spikes the exposures cannot explain; least squares then inflates
   * whichever factor is most often "on" — the steady sources'. Default `'huber'`: in the twin experiments
   * (800 particles/h, category-share error summed over 3 scenarios × 2 winds) 27.6 → 25.7 pp with cross-border
   * share error and Spearman unchanged (facility-plume 5.8 → 4.9 perfect wind, 6.2 → 5.9 perturbed; cross-border
   * perturbed 4.8 → 3.5; local-burning perturbed worse, 4.7 → 5.6). `'positive'` was worse (31.1).
   */
  robust?: 'huber' | 'positive' | 'none';
  /** Huber tuning constant in MAD-scale units, default 1.345 (95 % efficiency under Gaussian errors). */
  huberK?: number;
  /** Bootstrap resamples for the factor intervals, default 200; seed default 1. */
  bootstrap?: number;
  seed?: number;
}

/** Result of {@link calibrateScales}. */
export interface CalibrationResult {
  /** Scale per category, ready for `attribute(..., { scales })`. */
  scales: Record<string, number>;
  /** True when the fit was used, false when the documented defaults were. */
  calibrated: boolean;
  r2: number;
  background: number;
  rows: number;
  fit: ApportionResult | null;
  warnings: string[];
  toJSON(): object;
}

/** Defaults of {@link calibrateScales} chosen on the twin experiments (see docs/validation.md). */
const CALIBRATE_DEFAULTS = Object.freeze({
  robust: 'huber' as 'huber' | 'positive' | 'none',
});

/**
 * The calibration group a category shares its scale with by default: every `fire_*` category in one group `fire`
 * (see {@link CalibrateOptions.groups}), any other category alone. Used by calibration and by the bands' shared
 * calibration draws, so both group the same way.
 */
export function defaultScaleGroup(category: string): string {
  return category.startsWith('fire_') ? 'fire' : category;
}

/** Weighted least squares as ordinary least squares on rows scaled by √w. */
function weightRows(y: number[], X: Record<string, Float64Array>, w: Float64Array): [number[], Record<string, Float64Array>] {
  const sw = Array.from(w, Math.sqrt);
  return [y.map((v, i) => v * (sw[i] as number)), Object.fromEntries(Object.entries(X).map(([g, c]) => [g, c.map((v, i) => v * (sw[i] as number))]))];
}

/**
 * IRLS Huber weights for NNLS without intercept (a few iterations; they converge fast from the OLS start).
 * `positiveOnly`: only residuals above the fit are downweighted.
 */
function huberWeights(y: number[], X: Record<string, Float64Array>, positiveOnly: boolean, kMad: number): Float64Array {
  const n = y.length;
  const w = new Float64Array(n).fill(1);
  const cols = Object.values(X);
  for (let it = 0; it < 8; it++) {
    const fit = apportion(...weightRows(y, X, w), { intercept: false, bootstrap: 0 });
    const beta = fit.terms.map((t) => t.coefficient);
    const r = y.map((v, i) => v - cols.reduce((a, c, j) => a + (c[i] as number) * (beta[j] as number), 0));
    const absDev = r.map(Math.abs).sort((a, b) => a - b);
    const scale = 1.4826 * quantile7(absDev, 0.5);
    if (!(scale > 0)) break;
    const k = kMad * scale;
    let change = 0;
    for (let i = 0; i < n; i++) {
      const ri = r[i] as number;
      const nw = (positiveOnly && ri <= 0) || Math.abs(ri) <= k ? 1 : k / Math.abs(ri);
      change = Math.max(change, Math.abs(nw - (w[i] as number)));
      w[i] = nw;
    }
    if (change < 1e-3) break;
  }
  return w;
}

function kindOf(category: string, kinds: Record<string, SourceKind> | undefined): SourceKind {
  const k = kinds?.[category];
  if (k) return k;
  if (category.startsWith('fire_')) return 'hotspot';
  if (category === 'facility') return 'facility';
  if (category === 'report') return 'report';
  return 'area';
}

/**
 * Calibrate one scale factor per category: regress observed PM2.5 minus background on the per-category exposures
 * ({@link categoryExposures}, computed with scale 1) by NNLS without intercept, so each factor is µg/m³ per unit of
 * exposure. Falls back to {@link defaultScale} with a warning when the data can't identify the factors (too few
 * rows, R² below `minR2`, or every factor zero). Station ids are matched to receptors in lower case (`35T` = `35t`),
 * the rule of every hazetrace reader.
 *
 * @example
 * ```ts
 * import { calibrateScales } from 'hazetrace/attribution';
 * const X = { receptor: ['a', 'a', 'a', 'a'], time: Float64Array.from([0, 1, 2, 3]), categories: ['fire_other'],
 *   exposure: { fire_other: Float64Array.from([0, 1, 2, 3]) } };
 * const c = calibrateScales({ station: 'a', time: [0, 1, 2, 3], value: [10, 12, 14, 16] }, X, { background: 10, minRowsPerCategory: 2, bootstrap: 0 });
 * c.scales.fire_other; // 2
 * ```
 */
export function calibrateScales(
  observations: { station: string | ArrayLike<string>; time: ArrayLike<number>; value: ArrayLike<number> },
  exposures: CategoryExposures,
  options: CalibrateOptions = {},
): CalibrationResult {
  if (!exposures || !Array.isArray(exposures.categories)) throw argError('exposures', exposures, 'the result of categoryExposures(...)');
  const maxGap = checkPositive('options.maxTimeGapMinutes', options.maxTimeGapMinutes ?? 30, true) * 60_000;
  const minR2 = options.minR2 ?? 0.1;
  const perCat = options.minRowsPerCategory ?? 5;
  const warnings: string[] = [];
  const obs = groupObservations(observations);
  const rows: number[] = [];
  const y: number[] = [];
  for (let r = 0; r < exposures.time.length; r++) {
    const arr = obs.get(String(exposures.receptor[r]).toLowerCase());
    if (!arr) continue;
    const t = exposures.time[r] as number;
    const lo = lowerBoundTime(arr, t);
    let best: { t: number; v: number } | undefined;
    for (const j of [lo - 1, lo]) {
      const o = arr[j];
      if (o && Math.abs(o.t - t) <= maxGap && (!best || Math.abs(o.t - t) < Math.abs(best.t - t))) best = o;
    }
    if (best) {
      rows.push(r);
      y.push(best.v);
    }
  }
  const background = options.background ?? quantile7(y, (options.backgroundPercentile ?? 10) / 100);
  const cats = exposures.categories;
  const defaults = (): Record<string, number> => Object.fromEntries(cats.map((c) => [c, defaultScale(c, kindOf(c, options.kinds))]));
  const fallback = (why: string): CalibrationResult => {
    warnings.push(`calibration fell back to the default scales: ${why}`);
    const scales = defaults();
    const body = { scales, calibrated: false, r2: NaN, background, rows: rows.length, fit: null, warnings };
    return {
      ...body,
      toJSON() {
        return { ...body, r2: null, background: Number.isFinite(background) ? background : null };
      },
    };
  };
  if (rows.length < Math.max(3, perCat * cats.length)) return fallback(`${rows.length} matched observations for ${cats.length} categories (need ${Math.max(3, perCat * cats.length)})`);
  const X: Record<string, Float64Array> = {};
  const usable = cats.filter((c) => rows.some((r) => ((exposures.exposure[c] as Float64Array)[r] as number) > 0));
  for (const c of cats) if (!usable.includes(c)) warnings.push(`category ${c} has no exposure at any matched observation; it keeps its default scale`);
  if (usable.length === 0) return fallback('no category has any exposure');
  // Tied categories: one column per group (the sum of its categories' exposures), one factor for all of them.
  const groupOf = (c: string): string => options.groups?.[c] ?? (options.groups === undefined ? defaultScaleGroup(c) : c);
  const members = new Map<string, string[]>();
  for (const c of usable) {
    const g = groupOf(c);
    const col = (X[g] ??= new Float64Array(rows.length));
    const e = exposures.exposure[c] as Float64Array;
    rows.forEach((r, i) => (col[i] = (col[i] as number) + (e[r] as number)));
    members.set(g, [...(members.get(g) ?? []), c]);
  }
  const yy = y.map((v) => v - background);
  const robust = options.robust ?? CALIBRATE_DEFAULTS.robust;
  if (robust !== 'huber' && robust !== 'positive' && robust !== 'none') throw argError('options.robust', robust, "'huber', 'positive' or 'none'");
  const weights = robust === 'none' ? null : huberWeights(yy, X, robust === 'positive', checkPositive('options.huberK', options.huberK ?? 1.345));
  const [yw, Xw] = weights ? weightRows(yy, X, weights) : [yy, X];
  const fit = apportion(yw, Xw, { intercept: false, bootstrap: options.bootstrap ?? 200, seed: options.seed ?? 1 });
  if (!(fit.r2 >= minR2)) return fallback(`R² ${fit.r2.toFixed(3)} below ${minR2}`);
  if (fit.terms.every((t) => t.coefficient === 0)) return fallback('every factor is zero');
  const scales = defaults();
  for (const t of fit.terms) for (const c of members.get(t.name) ?? []) scales[c] = t.coefficient;
  const body = { scales, calibrated: true, r2: fit.r2, background, rows: rows.length, fit, warnings };
  return {
    ...body,
    toJSON() {
      return { ...body, fit: fit.toJSON() };
    },
  };
}
