/**
 * Episode detection skill in a twin experiment: the episodes an analyst would count on the noise-free hourly
 * PM2.5 at each monitor (the truth), and how well episodes detected on the noisy monitors match them — found,
 * missed, extra, and the error in peak time (docs/attribution.md "Episodes").
 *
 * Truth is defined here on its own (not by calling attribution's detector) so that a time-basis or windowing
 * slip in the detector shows up as a mismatch. The 24-h standard is breached at hour i when the mean of the 24
 * hours centred on it (hours i−11 .. i+12, at least 75 % of them present) is above the threshold; such hours,
 * in runs merged across gaps of at most `mergeGapHours`, qualify the hours their windows average over; an event
 * is a run of qualified hours that are themselves above the threshold (same gap merging), from its first to its
 * last such hour; its peak is its highest hourly value.
 */
import { argError, checkPositive, HazetraceError, HOUR_MS, toIsoUtc } from '../core/index.js';
import { detectEpisodes } from '../attribution/index.js';
import type { Episode, EpisodeOptions } from '../attribution/index.js';
import type { DispersionResult } from './dispersion.js';
import type { Observations } from './observe.js';
import type { Scenario } from './scenario.js';
import { checkOptions, checkShape } from '../core/check.js';
import { checkDispersion, checkObservations, checkScenario } from './check.js';

/** An hourly series per monitor with hour-START times (the dispersion's hour bins). */
export interface HourlySeries {
  /** One station id per row. */
  station: ArrayLike<string>;
  /** Start of each hour, UTC ms. */
  time: ArrayLike<number>;
  /** PM2.5, µg/m³ (NaN = missing). */
  value: ArrayLike<number>;
  timeBasis: 'hour-start';
}

/** Options of {@link truthEpisodes}. */
export interface TruthEpisodeOptions {
  /** Exceedance threshold of the centred mean, µg/m³, default 37.5 (Thai 24-h standard). */
  threshold?: number;
  /** Width of the centred mean, hours, default 24. */
  windowHours?: number;
  /** Fraction of the window's hours that must be present, default 0.75. */
  minCoverage?: number;
  /** Runs (of exceeding 24-h means, and of high hours) separated by at most this many hours are one, default 12. */
  mergeGapHours?: number;
  /** Runs of exceeding 24-h means shorter than this many hours qualify nothing, default 0 (every breach of the standard counts). */
  minDurationHours?: number;
}

/** Options of {@link matchEpisodes}. */
export interface MatchOptions {
  /** A detected episode matches a truth episode when their windows, each widened by this many hours, overlap. Default 0. */
  toleranceHours?: number;
}

/** One matched truth episode and the detected episode paired with it. */
export interface EpisodePair {
  /** Index into the truth list. */
  truth: number;
  /** Index into the detected list (the overlapping one with the largest overlap, ties: the nearest peak). */
  detected: number;
  /** |detected peakTime − truth peakTime|, hours. */
  peakTimeErrorH: number;
  /** Overlap of the two windows, hours (0 when they only meet within the tolerance). */
  overlapHours: number;
}

/** Result of {@link matchEpisodes}. */
export interface EpisodeMatch {
  /** Truth episodes overlapped by at least one detected episode at the same station. */
  matched: number;
  truthCount: number;
  detectedCount: number;
  /** Detected episodes that overlap no truth episode. */
  extra: number;
  /** Truth episodes overlapped by two or more detected episodes (one event reported several times). */
  split: number;
  /** Detected episodes overlapping two or more truth episodes (several events reported as one). */
  merged: number;
  /** `matched / truthCount` (NaN without truth episodes). */
  recall: number;
  /** `extra / truthCount` (NaN without truth episodes). */
  extraFraction: number;
  /** Median peak-time error over the pairs, hours (NaN without pairs). */
  medianPeakTimeErrorH: number;
  pairs: EpisodePair[];
}

/**
 * The noise-free hourly PM2.5 at every monitor of a twin: each monitor's background plus the dispersion's
 * source contribution (what the monitors read before their noise), hour-start times, rows in monitor order.
 *
 * @example
 * ```ts
 * import { buildScenario, runDispersion, observe, twinTrueSeries } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const sc = buildScenario({ hours: 24 });
 * const disp = runDispersion(sc, griddedWind(sc.wind), { particlesPerHour: 200 });
 * const truth = twinTrueSeries(sc, disp, observe(sc, disp));
 * truth.value.length === sc.monitors.length * 24; // true
 * ```
 */
export function twinTrueSeries(scenario: Scenario, dispersion: DispersionResult, observations: Observations): HourlySeries {
  checkScenario('scenario', scenario);
  checkDispersion('dispersion', dispersion);
  checkShape('observations', observations, { backgroundUgm3: 'arrayLike' });
  const hours = dispersion.times.length;
  const nm = scenario.monitors.length;
  if (dispersion.conc.length !== nm * hours || observations.backgroundUgm3.length !== nm) {
    throw new HazetraceError('E_ARG', 'scenario, dispersion and observations must come from the same twin', { argument: 'dispersion' });
  }
  const station: string[] = [];
  const time = new Float64Array(nm * hours);
  const value = new Float64Array(nm * hours);
  for (let m = 0; m < nm; m++) {
    for (let h = 0; h < hours; h++) {
      const k = m * hours + h;
      station.push(scenario.monitors[m]!.id);
      time[k] = dispersion.times[h]!;
      value[k] = observations.backgroundUgm3[m]! + dispersion.conc[k]!;
    }
  }
  return { station, time, value, timeBasis: 'hour-start' };
}

/**
 * Truth episodes: what an analyst counts on the noise-free hourly series of each monitor (see the module note).
 * Times are hour starts and exclusive ends, UTC ms; `peakTime`/`peakValue` are the highest hour of the event,
 * `meanValue` the mean hourly value over it, `samples` its exceeding hours, `threshold` the threshold.
 *
 * @example
 * ```ts
 * import { truthEpisodes } from 'hazetrace/sim';
 * const H = 3_600_000;
 * const value = Array.from({ length: 96 }, (_, h) => (h >= 40 && h < 60 ? 90 : 10));
 * const e = truthEpisodes({ station: value.map(() => 'a'), time: value.map((_, h) => h * H), value, timeBasis: 'hour-start' });
 * e.length; // 1
 * e[0].peakTime / H; // 40, the first of the 90 µg/m³ hours
 * ```
 */
export function truthEpisodes(series: HourlySeries, options: TruthEpisodeOptions = {}): Episode[] {
  if (!series || typeof series !== 'object') throw argError('series', series, '{ station, time, value, timeBasis: "hour-start" }');
  if (series.timeBasis !== 'hour-start') throw argError('series.timeBasis', series.timeBasis, "'hour-start'");
  const { station, time, value } = series;
  if (!station || !time || !value || station.length !== time.length || value.length !== time.length) {
    throw new HazetraceError('E_ARG', 'series.station, series.time and series.value must have equal lengths', { argument: 'series' });
  }
  const threshold = checkPositive('options.threshold', options.threshold ?? 37.5, true);
  const windowH = checkPositive('options.windowHours', options.windowHours ?? 24);
  if (!Number.isInteger(windowH)) throw argError('options.windowHours', windowH, 'a whole number of hours');
  const minCoverage = checkPositive('options.minCoverage', options.minCoverage ?? 0.75);
  if (minCoverage > 1) throw argError('options.minCoverage', minCoverage, 'a fraction in (0, 1]');
  const gapH = checkPositive('options.mergeGapHours', options.mergeGapHours ?? 12, true);
  const minDurH = checkPositive('options.minDurationHours', options.minDurationHours ?? 0, true);
  const need = Math.max(1, Math.ceil(minCoverage * windowH - 1e-9));
  // Hours i−back .. i+fwd: the window centred on the middle of hour i (24 h → i−11 .. i+12).
  const back = Math.ceil(windowH / 2) - 1;
  const fwd = windowH - 1 - back;

  const rows = new Map<string, number[]>();
  for (let i = 0; i < time.length; i++) {
    const s = station[i]!;
    let r = rows.get(s);
    if (!r) rows.set(s, (r = []));
    r.push(i);
  }
  const out: Episode[] = [];
  for (const s of [...rows.keys()].sort()) {
    const idx = rows.get(s)!;
    // A regular hourly grid from the first to the last hour of the station (missing hours stay NaN).
    let t0 = Infinity, t1 = -Infinity;
    for (const i of idx) {
      t0 = Math.min(t0, time[i]!);
      t1 = Math.max(t1, time[i]!);
    }
    const n = Math.round((t1 - t0) / HOUR_MS) + 1;
    const v = new Float64Array(n).fill(NaN);
    for (const i of idx) {
      const h = (time[i]! - t0) / HOUR_MS;
      if (!Number.isInteger(h)) throw argError('series.time', toIsoUtc(time[i]!), 'whole hours from the station\'s first time');
      v[h] = value[i]!;
    }
    const sum = new Float64Array(n + 1);
    const cnt = new Float64Array(n + 1);
    for (let h = 0; h < n; h++) {
      const ok = Number.isFinite(v[h]!);
      sum[h + 1] = sum[h]! + (ok ? v[h]! : 0);
      cnt[h + 1] = cnt[h]! + (ok ? 1 : 0);
    }
    const exceeds = (h: number): boolean => {
      const a = Math.max(0, h - back), b = Math.min(n, h + fwd + 1);
      const c = cnt[b]! - cnt[a]!;
      return c >= need && (sum[b]! - sum[a]!) / c > threshold;
    };
    // Qualifying runs [a, b) of exceeding hours, merged across short gaps, long enough.
    const runs: [number, number][] = [];
    for (let h = 0; h < n; h++) {
      if (!exceeds(h)) continue;
      const last = runs[runs.length - 1];
      if (last && h - last[1] <= gapH) last[1] = h + 1;
      else runs.push([h, h + 1]);
    }
    // The hours their windows average over; of those, the hours above the threshold make the events.
    const cover = new Uint8Array(n);
    for (const [a, b] of runs) {
      if (b - a < minDurH) continue;
      for (let h = Math.max(0, a - back); h < Math.min(n, b + fwd); h++) cover[h] = 1;
    }
    const events: [number, number, number][] = [];
    for (let h = 0; h < n; h++) {
      if (!cover[h] || !(v[h]! > threshold)) continue;
      const last = events[events.length - 1];
      if (last && h - last[1] <= gapH) {
        last[1] = h + 1;
        last[2]++;
      } else events.push([h, h + 1, 1]);
    }
    for (const [a, b, k] of events) {
      let peak = -Infinity, peakH = a, tot = 0, m = 0;
      for (let h = a; h < b; h++) {
        if (!Number.isFinite(v[h]!)) continue;
        tot += v[h]!;
        m++;
        if (v[h]! > peak) [peak, peakH] = [v[h]!, h];
      }
      const start = t0 + a * HOUR_MS;
      out.push({
        id: `${s}@${toIsoUtc(start)}`, station: s, start, end: t0 + b * HOUR_MS, peakTime: t0 + peakH * HOUR_MS,
        peakValue: peak, meanValue: m ? tot / m : NaN, samples: k, threshold,
      });
    }
  }
  return out;
}

/**
 * Match detected episodes to truth episodes. A truth episode is matched when a detected episode at the same
 * station (ids compared case-insensitively) overlaps it, each window widened by `toleranceHours`; its pair is the
 * overlapping detected episode with the largest overlap (ties: the nearest peak). `extra` counts detected
 * episodes that overlap no truth episode; the peak-time error is taken over the pairs.
 *
 * @example
 * ```ts
 * import { matchEpisodes } from 'hazetrace/sim';
 * const H = 3_600_000;
 * const ep = (station: string, start: number, end: number, peak: number) =>
 *   ({ id: `${station}@${start}`, station, start: start * H, end: end * H, peakTime: peak * H, peakValue: 80, meanValue: 50, samples: 1, threshold: 37.5 });
 * const m = matchEpisodes([ep('a', 10, 30, 22), ep('a', 100, 110, 105)], [ep('a', 12, 28, 20)]);
 * [m.matched, m.extra, m.medianPeakTimeErrorH]; // [1, 1, 2]
 * ```
 */
export function matchEpisodes(detected: readonly Episode[], truth: readonly Episode[], options: MatchOptions = {}): EpisodeMatch {
  if (!Array.isArray(detected)) throw argError('detected', detected, 'an array of episodes');
  if (!Array.isArray(truth)) throw argError('truth', truth, 'an array of episodes');
  const tol = checkPositive('options.toleranceHours', options.toleranceHours ?? 0, true) * HOUR_MS;
  const byStation = new Map<string, number[]>();
  detected.forEach((d, i) => {
    const k = String(d.station).toLowerCase();
    let a = byStation.get(k);
    if (!a) byStation.set(k, (a = []));
    a.push(i);
  });
  const hits = new Int32Array(detected.length);
  const pairs: EpisodePair[] = [];
  let split = 0;
  truth.forEach((t, ti) => {
    let best = -1, bestOverlap = -Infinity, bestErr = Infinity, n = 0;
    for (const di of byStation.get(String(t.station).toLowerCase()) ?? []) {
      const d = detected[di]!;
      if (!(d.start < t.end + 2 * tol && d.end + 2 * tol > t.start)) continue;
      n++;
      hits[di]!++;
      const overlap = Math.max(0, Math.min(d.end, t.end) - Math.max(d.start, t.start));
      const err = Math.abs(d.peakTime - t.peakTime);
      if (overlap > bestOverlap || (overlap === bestOverlap && err < bestErr)) [best, bestOverlap, bestErr] = [di, overlap, err];
    }
    if (n > 1) split++;
    if (best >= 0) pairs.push({ truth: ti, detected: best, peakTimeErrorH: bestErr / HOUR_MS, overlapHours: bestOverlap / HOUR_MS });
  });
  let extra = 0, merged = 0;
  for (const h of hits) {
    if (h === 0) extra++;
    else if (h > 1) merged++;
  }
  const errs = pairs.map((p) => p.peakTimeErrorH).sort((a, b) => a - b);
  const med = errs.length === 0 ? NaN : errs.length % 2 ? errs[(errs.length - 1) / 2]! : (errs[errs.length / 2 - 1]! + errs[errs.length / 2]!) / 2;
  const nt = truth.length;
  return {
    matched: pairs.length, truthCount: nt, detectedCount: detected.length, extra, split, merged,
    recall: nt ? pairs.length / nt : NaN, extraFraction: nt ? extra / nt : NaN, medianPeakTimeErrorH: med, pairs,
  };
}

/**
 * Episode-detection skill of one twin: truth episodes ({@link truthEpisodes} on {@link twinTrueSeries}, threshold
 * from the scenario) against attribution's `detectEpisodes` on the noisy observed series with `detect` options
 * (threshold and UTC offset from the scenario unless given), matched with {@link matchEpisodes}.
 *
 * @example
 * ```ts
 * import { buildScenario, runDispersion, observe, episodeDetectionSkill } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const scenario = buildScenario({ hours: 96 });
 * const dispersion = runDispersion(scenario, griddedWind(scenario.wind), { particlesPerHour: 300 });
 * const s = episodeDetectionSkill({ scenario, dispersion, observations: observe(scenario, dispersion) }, { averaging: 'event' });
 * s.match.truthCount >= s.match.matched; // true
 * ```
 */
export function episodeDetectionSkill(
  twin: { scenario: Scenario; dispersion: DispersionResult; observations: Observations },
  detect: EpisodeOptions = {},
  options: { truth?: TruthEpisodeOptions; match?: MatchOptions } = {},
): { truth: Episode[]; detected: Episode[]; match: EpisodeMatch } {
  checkShape('twin', twin, { scenario: 'object', dispersion: 'object', observations: 'object' });
  checkScenario('twin.scenario', twin.scenario);
  checkObservations('twin.observations', twin.observations);
  checkOptions('detect', detect);
  checkOptions('options', options);
  const cfg = twin.scenario.config;
  const threshold = detect.threshold ?? cfg.episodes.thresholdUgm3;
  const truth = truthEpisodes(twinTrueSeries(twin.scenario, twin.dispersion, twin.observations), { threshold, ...options.truth });
  const detected = detectEpisodes(twin.observations.series, { utcOffset: cfg.utcOffset, ...detect, threshold }).episodes;
  return { truth, detected, match: matchEpisodes(detected, truth, options.match) };
}
