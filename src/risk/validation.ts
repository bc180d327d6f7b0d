/**
 * Validation summaries of a risk prediction against what burnt next: a reliability (calibration)
 * curve of predicted vs observed burning, and the lift of patrolling the top share of cells.
 */
import { argError, checkInt } from '../core/errors.js';
import { sortOrder } from './normalise.js';
import { checkArrayLike } from '../core/check.js';

/** One bin of a reliability curve. */
export interface ReliabilityBin {
  /** Predicted-probability range of the bin, [lo, hi). */
  lo: number;
  hi: number;
  /** Cells in the bin. */
  cells: number;
  /** Mean predicted probability in the bin. */
  predicted: number;
  /** Share of the bin's cells that burnt. */
  observed: number;
}

/**
 * Reliability curve: cells binned by predicted probability into `bins` equal-count bins (quantiles of
 * the prediction, ties kept together), each bin's mean prediction beside its observed burnt share. A
 * well-calibrated model has `predicted ≈ observed` in every bin. Empty bins are left out.
 *
 * @example
 * ```ts
 * import { reliabilityCurve } from 'hazetrace/risk';
 * const r = reliabilityCurve([0.1, 0.1, 0.9, 0.9], [0, 0, 1, 1], 2);
 * r.map((b) => [b.predicted, b.observed]); // [[0.1, 0], [0.9, 1]]
 * ```
 */
export function reliabilityCurve(predicted: ArrayLike<number>, burnt: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  checkArrayLike('predicted', predicted);
  checkArrayLike('burnt', burnt);
  checkInt('bins', bins, 1, 1000);
  const n = predicted.length;
  if (burnt.length !== n) throw argError('burnt', burnt.length, `length ${n} (one per prediction)`);
  for (let i = 0; i < n; i++) {
    const p = predicted[i]!;
    if (!(p >= 0 && p <= 1)) throw argError(`predicted[${i}]`, p, 'a probability in [0, 1]');
  }
  const order = sortOrder(predicted);
  const out: ReliabilityBin[] = [];
  let start = 0;
  for (let b = 1; b <= bins && start < n; b++) {
    let end = Math.max(start + 1, Math.round((b * n) / bins));
    if (b === bins) end = n;
    // Keep ties in one bin.
    while (end < n && predicted[order[end]!]! === predicted[order[end - 1]!]!) end++;
    if (end <= start) continue;
    let sp = 0;
    let sb = 0;
    for (let r = start; r < end; r++) {
      sp += predicted[order[r]!]!;
      sb += burnt[order[r]!]! > 0 ? 1 : 0;
    }
    const k = end - start;
    out.push({ lo: predicted[order[start]!]!, hi: predicted[order[end - 1]!]!, cells: k, predicted: sp / k, observed: sb / k });
    start = end;
  }
  return out;
}

/** Result of {@link liftAtTop}. */
export interface Lift {
  /** Share of cells patrolled (the top ones by score). */
  topShare: number;
  /** Cells in the top (ties at the cut all included). */
  cells: number;
  /** Detections in those cells / all detections in the cells. */
  detectionsShare: number;
  /** `detectionsShare / (cells / all cells)`: how many times their area share the top cells catch. */
  lift: number;
  detections: number;
  totalDetections: number;
}

/**
 * Share of next season's detections that fall in the top `topShare` of cells by score, and the lift
 * over their share of cells (1 = no better than random cells). Cells tied with the last one above the
 * cut are all included, so the top can be a little larger than `topShare`.
 *
 * @example
 * ```ts
 * import { liftAtTop } from 'hazetrace/risk';
 * liftAtTop([5, 1, 1, 1, 1, 1, 1, 1, 1, 0], [8, 0, 0, 0, 0, 0, 0, 0, 1, 1], 0.1).lift; // 8
 * ```
 */
export function liftAtTop(score: ArrayLike<number>, detections: ArrayLike<number>, topShare = 0.1): Lift {
  checkArrayLike('score', score);
  checkArrayLike('detections', detections);
  const n = score.length;
  if (detections.length !== n) throw argError('detections', detections.length, `length ${n} (one per score)`);
  if (!(topShare > 0 && topShare <= 1)) throw argError('topShare', topShare, 'a share in (0, 1]');
  if (n === 0) throw argError('score', score, 'a non-empty array');
  const order = sortOrder(score);
  let k = Math.max(1, Math.round(topShare * n));
  const cut = score[order[n - k]!]!;
  while (k < n && score[order[n - k - 1]!]! === cut) k++;
  let caught = 0;
  let total = 0;
  for (let i = 0; i < n; i++) total += detections[i]!;
  for (let r = n - k; r < n; r++) caught += detections[order[r]!]!;
  const share = total > 0 ? caught / total : NaN;
  return { topShare, cells: k, detectionsShare: share, lift: share / (k / n), detections: caught, totalDetections: total };
}
