/**
 * Risk levels with an absolute meaning: bands of the predicted probability that a cell burns (has at
 * least one detection) next season, as the burn-probability model gives it (docs/risk.md).
 */
import { argError } from '../core/errors.js';
import type { RiskLevel } from './score.js';

/**
 * Default probability bands: `p < 0.05` low, `0.05 ≤ p < 0.15` moderate, `0.15 ≤ p < 0.30` high,
 * `p ≥ 0.30` very high — the chance that the cell (of its H3 size) has at least one detection next
 * season. A cell with no history, no exposure and no nearby detection is "low" whatever its
 * probability (nothing singles it out; see {@link probabilityLevel}).
 *
 * @example
 * ```ts
 * import { PROBABILITY_BANDS } from 'hazetrace/risk';
 * PROBABILITY_BANDS; // [0.05, 0.15, 0.3]
 * ```
 */
export const PROBABILITY_BANDS: readonly [number, number, number] = [0.05, 0.15, 0.3];

/**
 * Level of one burn probability under `bands` (three increasing numbers in (0, 1), lower bound
 * inclusive). `evidence: false` (a cell with no history, exposure or nearby detection) gives "low".
 * A NaN or out-of-[0, 1] probability throws `E_ARG` (never a silent "very high").
 *
 * @example
 * ```ts
 * import { probabilityLevel } from 'hazetrace/risk';
 * probabilityLevel(0.2); // 'high'
 * probabilityLevel(0.2, { evidence: false }); // 'low'
 * ```
 */
export function probabilityLevel(p: number, options: { bands?: readonly [number, number, number]; evidence?: boolean } = {}): RiskLevel {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw argError('p', p, 'a probability in [0, 1]');
  const b = options.bands ?? PROBABILITY_BANDS;
  if (options.evidence === false) return 'low';
  if (p < b[0]) return 'low';
  if (p < b[1]) return 'moderate';
  if (p < b[2]) return 'high';
  return 'very high';
}

/** Check probability bands: three strictly increasing numbers in (0, 1). */
export function checkBands(t: unknown): [number, number, number] {
  if (!Array.isArray(t) || t.length !== 3 || !t.every((v) => typeof v === 'number' && v > 0 && v < 1) || !(t[0] < t[1] && t[1] < t[2])) {
    throw argError('bands', t, 'three strictly increasing probabilities in (0, 1)');
  }
  return [t[0], t[1], t[2]];
}
