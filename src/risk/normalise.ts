/**
 * Factor normalisation for risk scoring: every factor is mapped onto [0, 1]
 * before weighting, so factors in different units (detections per year, km,
 * µg/m³) can be added.
 *
 * - `percentile` (default): the mid-rank percentile `(rank − 1) / (m − 1)` among the
 *   `m` finite values, ties sharing their average rank (the same convention as the
 *   Mann–Whitney statistic). Only the order of values matters, so any strictly
 *   increasing transform of a factor (log, sqrt, unit change) gives identical output,
 *   and a few extreme cells cannot squash everyone else towards 0 as they do with min-max.
 * - `minmax`: `(x − min) / (max − min)`; keeps the shape of the distribution.
 *
 * NaN entries stay NaN here; the scorer decides what they mean (see `scoreRisk`).
 */
import { HazetraceError, argError, showValue } from '../core/errors.js';
import { midRanks } from '../core/stats.js';
import { checkArrayLike } from '../core/check.js';

/** How a factor is mapped to [0, 1]. */
export type NormaliseMethod = 'percentile' | 'minmax';

/** Result of normalising one factor. */
export interface NormalisedFactor {
  /** Values in [0, 1]; NaN where the input was NaN. */
  values: Float64Array;
  /** Number of finite input values. */
  finite: number;
  /** True when the finite values are all equal (or there are none): the factor carries no ranking information. */
  constant: boolean;
}

/**
 * Normalise one factor to [0, 1].
 *
 * Percentile ranks come from {@link midRanks} (a radix sort of the values, then one sweep over
 * tie blocks), so a million-cell factor costs a few tens of milliseconds, no per-value objects.
 *
 * Throws `E_ARG` naming `name` when a value is ±Infinity (NaN is allowed and means missing).
 *
 * @example
 * ```ts
 * import { normaliseFactor } from 'hazetrace/risk';
 * normaliseFactor(new Float64Array([10, 20, 20, 40]), 'percentile').values; // [0, 0.5, 0.5, 1]
 * normaliseFactor(new Float64Array([10, 20, 20, 40]), 'minmax').values;     // [0, 1/3, 1/3, 1]
 * ```
 */
export function normaliseFactor(x: ArrayLike<number>, method: NormaliseMethod = 'percentile', name = 'factor'): NormalisedFactor {
  checkArrayLike('x', x);
  const n = x.length;
  const out = new Float64Array(n);
  let m = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v !== v) continue;
    if (v === Infinity || v === -Infinity) {
      throw new HazetraceError('E_ARG', `factor "${name}" must hold finite numbers or NaN, got ${showValue(v)} at index ${i}`, {
        argument: `factors.${name}`,
        index: i,
        value: v,
      });
    }
    m++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const constant = m === 0 || min === max;
  if (constant) {
    // No ranking information: every finite cell gets 0 so the factor adds nothing; NaN stays NaN.
    for (let i = 0; i < n; i++) out[i] = x[i]! === x[i]! ? 0 : NaN;
    return { values: out, finite: m, constant };
  }
  if (method === 'minmax') {
    const span = max - min;
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v === v ? (v - min) / span : NaN;
    }
    return { values: out, finite: m, constant };
  }
  if (method !== 'percentile') throw argError('normalise', method, '"percentile" or "minmax"');
  const ranks = midRanks(x);
  const denom = m - 1;
  for (let i = 0; i < n; i++) out[i] = (ranks[i]! - 1) / denom;
  return { values: out, finite: m, constant };
}

// Mid-ranks and the radix sort order behind them live in core (one definition for risk, AUC and the twin's Spearman);
// re-exported here so `hazetrace/risk` keeps offering them.
export { midRanks, sortOrder } from '../core/stats.js';
