/**
 * Uncertainty bands that combine the three things that make a share uncertain:
 * - wind: which trajectory ensemble member is right (a member drawn at random);
 * - calibration: how well the category scales are known (each fitted scale drawn from a normal matching its
 *   bootstrap 5–95 % interval, truncated at 0; categories fitted as one group share one draw);
 * - detection: how much of each category's true emission the layer shows in each region (satellites miss small,
 *   short and cloud-covered fires, and how many they miss depends on the place: cloud, fire size, overpass times; a
 *   facility's real output is not its capacity): a log-normal factor per category and region with log-sd
 *   `detectionSigma`.
 * Each draw recombines the episode's per-member scores on the category × region grid; the band is the
 * `[q, 1 − q]` quantiles of the drawn shares. The point share is unchanged (the ensemble mean at the fitted
 * scales). The default `detectionSigma` was chosen so nominal 80 % bands cover the twin truth about 80 % of
 * the time (docs/attribution.md, "Bands").
 */
import { createRng, quantileSorted } from '../core/index.js';
import { defaultScaleGroup } from './calibrate.js';
import type { BandedShare, EpisodeAttribution } from './types.js';
import { checkOptions, checkShape } from '../core/check.js';

/** Options of {@link combinedBands}. */
export interface BandOptions {
  /** Draws, default 400. */
  draws?: number;
  /** Band quantiles, default [0.1, 0.9] (a nominal 80 % band). */
  band?: readonly [number, number];
  /** Log-sd of the detection factor per category and region, default in {@link BAND_DEFAULTS}. */
  detectionSigma?: number;
  /** Bootstrap 5–95 % interval per category scale (from the calibration), with the scale itself. */
  scaleIntervals?: Record<string, [number, number]>;
  scales?: Record<string, number>;
  /** Group of each category for shared calibration draws (default {@link defaultScaleGroup}, as calibration fits them). */
  groupOf?: (category: string) => string;
  /** Region counted as domestic for the cross-border band. */
  domesticRegion?: string;
  seed?: number;
}

/**
 * The defaults of {@link combinedBands}: 400 draws, the 10–90 % band, detection log-sd 1 (chosen so nominal 80 %
 * bands cover the twin truth about 80 % of the time; docs/attribution.md).
 *
 * @example
 * ```ts
 * import { BAND_DEFAULTS } from 'hazetrace/attribution';
 * BAND_DEFAULTS.detectionSigma; // 1
 * ```
 */
export const BAND_DEFAULTS = Object.freeze({ draws: 400, band: [0.1, 0.9] as const, detectionSigma: 1 });

const Z90 = 1.6448536269514722;

/**
 * Bands on an episode's category, region and cross-border shares combining wind, calibration and detection
 * uncertainty (see the module comment). Returns new share records; the episode is not changed.
 *
 * @example
 * ```ts
 * import { combinedBands } from 'hazetrace/attribution';
 * const e = { memberScores: { categories: ['fire_other', 'facility'], regions: ['THA'], members: 2, scores: Float64Array.of(3, 1, 2, 2) },
 *   sharesByCategory: { fire_other: { share: 0.625, low: 0.5, high: 0.75, min: 0.5, max: 0.75 }, facility: { share: 0.375, low: 0.25, high: 0.5, min: 0.25, max: 0.5 } },
 *   sharesByRegion: { THA: { share: 1, low: 1, high: 1, min: 1, max: 1 } } };
 * const b = combinedBands(e, { seed: 1 });
 * b.sharesByCategory.fire_other.low < 0.625; // true
 * ```
 */
export function combinedBands(
  e: Pick<EpisodeAttribution, 'memberScores' | 'sharesByCategory' | 'sharesByRegion'> & { crossBorder?: BandedShare },
  options: BandOptions = {},
): { sharesByCategory: Record<string, BandedShare>; sharesByRegion: Record<string, BandedShare>; crossBorder?: BandedShare } {
  checkShape('e', e, { memberScores: 'object', sharesByCategory: 'object', sharesByRegion: 'object' });
  checkShape('e.memberScores', e.memberScores, { categories: 'array', regions: 'array', members: 'number', scores: 'arrayLike' });
  checkOptions('options', options);
  const { categories, regions, members, scores } = e.memberScores;
  const C = categories.length;
  const R = regions.length;
  const draws = options.draws ?? BAND_DEFAULTS.draws;
  const [qLo, qHi] = options.band ?? BAND_DEFAULTS.band;
  const sigma = options.detectionSigma ?? BAND_DEFAULTS.detectionSigma;
  const groupOf = options.groupOf ?? defaultScaleGroup;
  if (members === 0 || C === 0 || R === 0) return { sharesByCategory: e.sharesByCategory, sharesByRegion: e.sharesByRegion, ...(e.crossBorder ? { crossBorder: e.crossBorder } : {}) };
  const rng = createRng(options.seed ?? 1);
  // Relative sd of each category's scale from its bootstrap 5–95 % interval.
  const relSd = categories.map((c) => {
    const iv = options.scaleIntervals?.[c];
    const s = options.scales?.[c];
    if (!iv || !(s !== undefined && s > 0)) return 0;
    return Math.max(0, iv[1] - iv[0]) / (2 * Z90 * s);
  });
  const groups = [...new Set(categories.map(groupOf))];
  const groupIdx = categories.map((c) => groups.indexOf(groupOf(c)));
  const dom = options.domesticRegion === undefined ? -1 : regions.indexOf(options.domesticRegion);
  const catDraws = categories.map(() => new Float64Array(draws));
  const regDraws = regions.map(() => new Float64Array(draws));
  const cbDraws = new Float64Array(draws);
  const factor = new Float64Array(C);
  const detect = new Float64Array(C * R);
  const gNorm = new Float64Array(groups.length);
  const catSum = new Float64Array(C);
  const regSum = new Float64Array(R);
  for (let d = 0; d < draws; d++) {
    const m = rng.int(members);
    for (let g = 0; g < groups.length; g++) gNorm[g] = rng.normal();
    for (let c = 0; c < C; c++) factor[c] = Math.max(0, 1 + (relSd[c] as number) * (gNorm[groupIdx[c] as number] as number));
    for (let q = 0; q < C * R; q++) detect[q] = Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
    catSum.fill(0);
    regSum.fill(0);
    let total = 0;
    for (let c = 0; c < C; c++) {
      const f = factor[c] as number;
      const base = (m * C + c) * R;
      for (let r = 0; r < R; r++) {
        const v = f * (detect[c * R + r] as number) * (scores[base + r] as number);
        catSum[c] = (catSum[c] as number) + v;
        regSum[r] = (regSum[r] as number) + v;
        total += v;
      }
    }
    if (!(total > 0)) {
      // A member that reached nothing: its shares are undefined; reuse the point shares for this draw.
      categories.forEach((c, i) => ((catDraws[i] as Float64Array)[d] = e.sharesByCategory[c]?.share ?? 0));
      regions.forEach((r, i) => ((regDraws[i] as Float64Array)[d] = e.sharesByRegion[r]?.share ?? 0));
      cbDraws[d] = e.crossBorder?.share ?? NaN;
      continue;
    }
    for (let c = 0; c < C; c++) (catDraws[c] as Float64Array)[d] = (catSum[c] as number) / total;
    for (let r = 0; r < R; r++) (regDraws[r] as Float64Array)[d] = (regSum[r] as number) / total;
    cbDraws[d] = 1 - (dom >= 0 ? (regSum[dom] as number) : 0) / total;
  }
  const band = (point: BandedShare, xs: Float64Array): BandedShare => {
    const s = Float64Array.from(xs).sort();
    return { share: point.share, low: quantileSorted(s, qLo), high: quantileSorted(s, qHi), min: s[0] as number, max: s[s.length - 1] as number };
  };
  const sharesByCategory: Record<string, BandedShare> = {};
  categories.forEach((c, i) => {
    const p = e.sharesByCategory[c];
    if (p) sharesByCategory[c] = band(p, catDraws[i] as Float64Array);
  });
  const sharesByRegion: Record<string, BandedShare> = {};
  regions.forEach((r, i) => {
    const p = e.sharesByRegion[r];
    if (p) sharesByRegion[r] = band(p, regDraws[i] as Float64Array);
  });
  return { sharesByCategory, sharesByRegion, ...(e.crossBorder ? { crossBorder: band(e.crossBorder, cbDraws) } : {}) };
}
