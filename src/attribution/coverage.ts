/**
 * What data an attribution rests on: the days a hotspot file covers, the span of a wind field, and the
 * fraction of an episode's back-trajectory window each of them covers. "No detections" is not "no data":
 * a day inside a file's run of days is covered even when nothing burnt, but a file of three snapshot days
 * says nothing about the month around them.
 */
import { DAY_MS, HOUR_MS, toIsoUtc } from '../core/index.js';
import { checkArray, checkArrayLike, checkOptions, checkShape } from '../core/check.js';
import { checkFinite } from '../core/errors.js';

/** Half-open UTC intervals `[start, end)`, ms, sorted and disjoint. */
export type Intervals = [number, number][];

/** Options of {@link hotspotCoverage}. */
export interface HotspotCoverageOptions {
  /**
   * Days without any detection between two days with detections count as covered when the gap is at most
   * this many days (quiet days inside a file's period). Default 3: a regional FIRMS file of a dry season has
   * detections every day, so a longer gap means the file has no data there (e.g. separate snapshot days).
   */
  maxGapDays?: number;
  /** The period the file is known to cover (UTC ms), overriding the inference from detection days. */
  period?: readonly [number, number];
}

/**
 * The UTC days a hotspot file covers, as intervals: every UTC day with a detection, with gaps of at most
 * `maxGapDays` quiet days filled; or exactly `period` when given.
 *
 * @example
 * ```ts
 * import { hotspotCoverage } from 'hazetrace/attribution';
 * const d = Date.UTC(2025, 3, 22);
 * hotspotCoverage({ time: [d + 3e6, d + 2 * 86_400_000] }).length; // 1 (one run of days: 22..24 April)
 * ```
 */
export function hotspotCoverage(hotspots: { time: ArrayLike<number> }, options: HotspotCoverageOptions = {}): Intervals {
  checkShape('hotspots', hotspots, { time: 'arrayLike' });
  checkOptions('options', options);
  if (options.period) return [[options.period[0], options.period[1]]];
  const maxGap = options.maxGapDays ?? 3;
  const days = new Set<number>();
  for (let i = 0; i < hotspots.time.length; i++) {
    const t = hotspots.time[i] as number;
    if (Number.isFinite(t)) days.add(Math.floor(t / DAY_MS));
  }
  const sorted = [...days].sort((a, b) => a - b);
  const out: Intervals = [];
  for (const d of sorted) {
    const last = out[out.length - 1];
    if (last && d * DAY_MS - last[1] <= maxGap * DAY_MS) last[1] = (d + 1) * DAY_MS;
    else out.push([d * DAY_MS, (d + 1) * DAY_MS]);
  }
  return out;
}

/**
 * Fraction of `[start, end)` inside the union of `intervals` (0..1; 1 for an empty window inside them).
 *
 * @example
 * ```ts
 * import { coveredFraction } from 'hazetrace/attribution';
 * coveredFraction([[0, 10]], 5, 15); // 0.5
 * ```
 */
export function coveredFraction(intervals: Intervals, start: number, end: number): number {
  checkArray('intervals', intervals).forEach((iv, i) => checkArrayLike(`intervals[${i}]`, iv));
  checkFinite('start', start);
  checkFinite('end', end);
  if (!(end > start)) return intervals.some(([a, b]) => start >= a && start < b) ? 1 : 0;
  let inside = 0;
  for (const [a, b] of intervals) inside += Math.max(0, Math.min(b, end) - Math.max(a, start));
  return Math.min(1, inside / (end - start));
}

/** Intervals as readable ISO day ranges, e.g. `2025-04-22..2025-04-24` (at most `max`, then `…`). */
export function describeIntervals(intervals: Intervals, max = 4): string {
  if (intervals.length === 0) return 'no days';
  const parts = intervals.slice(0, max).map(([a, b]) => {
    const s = toIsoUtc(a).slice(0, 10);
    const e = toIsoUtc(b - 1).slice(0, 10);
    return s === e ? s : `${s}..${e}`;
  });
  return parts.join(', ') + (intervals.length > max ? `, … (${intervals.length} runs)` : '');
}

/** What one episode's attribution rests on. */
export interface EpisodeCoverage {
  /** The back-trajectory window `[start − hours, end)`, ISO 8601 UTC. */
  window: { start: string; end: string };
  /** Fraction of the window inside the hotspot file's covered days (see {@link hotspotCoverage}). */
  hotspots: number;
  /** Fraction of the window inside the wind field's time range. */
  wind: number;
  /** Trajectories traced over those planned (0 when none were traced). */
  trajectories: number;
  /** Optional inputs that were not given (e.g. `regions`, `facilities`, `repeat-burn areas`). */
  missing: string[];
  /** Fraction of the episode's trajectory starts whose own window is covered (the starts attributed on). */
  starts?: number;
  /** The part of the episode attributed on, when not the whole of it (ISO 8601 UTC). */
  attributedWindow?: { start: string; end: string };
}

/** The window an episode's back-trajectories span: `[start − hours, max(end, start + 1 h))`. */
export function backTrajectoryWindow(start: number, end: number, hours: number): [number, number] {
  return [start - hours * HOUR_MS, Math.max(end, start + HOUR_MS)];
}
