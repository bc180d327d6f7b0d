/**
 * PM2.5 episodes per station (DESIGN §4 "Attribution for one episode"): threshold exceedance on a chosen
 * averaging, or a rise above a rolling baseline (median + k·MAD).
 */
import { argError, checkPositive, DAY_MS, HazetraceError, HOUR_MS, parseUtcOffset, toIsoUtc, type StationSeries } from '../core/index.js';
import { median } from './util.js';

/** A detected episode at one station. Times are UTC epoch ms; `end` is exclusive. */
export interface Episode {
  /** `station@startISO`, unique within one detection. */
  id: string;
  station: string;
  start: number;
  end: number;
  peakTime: number;
  peakValue: number;
  meanValue: number;
  /** Number of averaged samples above the threshold in the episode. */
  samples: number;
  /** Threshold at the peak (fixed for `method: 'threshold'`; median + k·MAD for `'baseline'`). */
  threshold: number;
}

/** Plain series: one station id for all rows or one per row. */
export interface PlainSeries {
  station: string | ArrayLike<string>;
  time: ArrayLike<number>;
  value: ArrayLike<number>;
}

/** Options for {@link detectEpisodes}. */
export interface EpisodeOptions {
  /** Value column when `series` is a StationSeries; default the first column whose name contains `pm25`, else the first. */
  column?: string;
  /** Exceedance threshold (µg/m³) for `method: 'threshold'`, default 37.5 (Thai 24-h standard); WHO's 24-h guideline is 15. */
  threshold?: number;
  /**
   * `'daily'` (default): mean per local calendar day (the standard is a 24-h mean); `'rolling24'`: trailing 24-h
   * mean at every sample; `'hourly'`: the samples as they are.
   */
  averaging?: 'hourly' | 'rolling24' | 'daily';
  /** Local day for `'daily'`, default `'+07:00'` (Thailand). */
  utcOffset?: string | number;
  /** Sampling step in hours; default inferred per station as the median gap between samples. */
  stepHours?: number;
  /** Fraction of expected samples a 24-h mean needs, default 0.75 (18 of 24 hours). */
  minCoverage?: number;
  /** `'threshold'` (default) or `'baseline'`: value > rolling median + k × 1.4826 × MAD (MAD scaled to a standard deviation). */
  method?: 'threshold' | 'baseline';
  /** k for the baseline method, default 3. */
  k?: number;
  /** Trailing window for the baseline, hours, default 168 (7 days). */
  baselineHours?: number;
  /** Episodes shorter than this many hours are dropped, default 0. */
  minDurationHours?: number;
  /** Exceedances separated by at most this many hours merge into one episode, default 3. */
  mergeGapHours?: number;
}

/** Result of {@link detectEpisodes}. */
export interface EpisodeSet {
  episodes: Episode[];
  /** Averaged samples per station (after averaging). */
  samplesPerStation: Record<string, number>;
  toJSON(): object;
}

interface Sample {
  start: number;
  end: number;
  value: number;
}

function pickColumn(series: StationSeries, column: string | undefined): Float64Array {
  const names = Object.keys(series.values);
  const name = column ?? names.find((n) => n.toLowerCase().includes('pm25')) ?? names[0];
  const col = name === undefined ? undefined : series.values[name];
  if (!col) throw argError('options.column', column, `one of the series columns [${names.join(', ')}]`);
  return col;
}

function averageSeries(times: number[], vals: number[], opts: { averaging: string; step: number; offsetMs: number; minCoverage: number }): Sample[] {
  const { step, offsetMs, minCoverage } = opts;
  const out: Sample[] = [];
  if (opts.averaging === 'hourly') {
    for (let i = 0; i < times.length; i++) out.push({ start: times[i] as number, end: (times[i] as number) + step, value: vals[i] as number });
    return out;
  }
  const need = Math.max(1, Math.ceil(((minCoverage * DAY_MS) / step) - 1e-9));
  if (opts.averaging === 'daily') {
    let i = 0;
    while (i < times.length) {
      const day = Math.floor(((times[i] as number) + offsetMs) / DAY_MS);
      let s = 0;
      let n = 0;
      while (i < times.length && Math.floor(((times[i] as number) + offsetMs) / DAY_MS) === day) {
        s += vals[i] as number;
        n++;
        i++;
      }
      if (n >= need) {
        const start = day * DAY_MS - offsetMs;
        out.push({ start, end: start + DAY_MS, value: s / n });
      }
    }
    return out;
  }
  // rolling24: trailing window (t − 24 h, t] at every sample.
  let lo = 0;
  let s = 0;
  for (let i = 0; i < times.length; i++) {
    s += vals[i] as number;
    while ((times[lo] as number) <= (times[i] as number) - DAY_MS) {
      s -= vals[lo] as number;
      lo++;
    }
    const n = i - lo + 1;
    if (n >= need) out.push({ start: times[i] as number, end: (times[i] as number) + step, value: s / n });
  }
  return out;
}

/**
 * Find PM2.5 episodes per station. An episode is a run of averaged samples above the threshold (or above the
 * rolling baseline), runs closer than `mergeGapHours` merged, shorter than `minDurationHours` dropped.
 *
 * @example
 * ```ts
 * import { detectEpisodes } from 'hazetrace/attribution';
 * const day = 86_400_000;
 * const t0 = Date.UTC(2025, 3, 20) - 7 * 3_600_000; // local midnight, +07:00
 * const r = detectEpisodes({ station: '35t', time: [t0, t0 + day, t0 + 2 * day], value: [20, 80, 30] });
 * r.episodes[0]?.peakValue; // 80
 * ```
 */
export function detectEpisodes(series: StationSeries | PlainSeries, options: EpisodeOptions = {}): EpisodeSet {
  if (series === null || typeof series !== 'object') throw argError('series', series, 'a StationSeries or { station, time, value }');
  const threshold = checkPositive('options.threshold', options.threshold ?? 37.5, true);
  const averaging = options.averaging ?? 'daily';
  if (averaging !== 'hourly' && averaging !== 'rolling24' && averaging !== 'daily') throw argError('options.averaging', averaging, "'hourly', 'rolling24' or 'daily'");
  const method = options.method ?? 'threshold';
  if (method !== 'threshold' && method !== 'baseline') throw argError('options.method', method, "'threshold' or 'baseline'");
  const k = checkPositive('options.k', options.k ?? 3, true);
  const baselineMs = checkPositive('options.baselineHours', options.baselineHours ?? 168) * HOUR_MS;
  const minDur = checkPositive('options.minDurationHours', options.minDurationHours ?? 0, true) * HOUR_MS;
  const mergeGap = checkPositive('options.mergeGapHours', options.mergeGapHours ?? 3, true) * HOUR_MS;
  const minCoverage = checkPositive('options.minCoverage', options.minCoverage ?? 0.75);
  if (minCoverage > 1) throw argError('options.minCoverage', minCoverage, 'a fraction in (0, 1]');
  const offsetMs = parseUtcOffset(options.utcOffset ?? '+07:00', 'options.utcOffset') * 60_000;
  if (options.stepHours !== undefined) checkPositive('options.stepHours', options.stepHours);

  const time = series.time;
  const value: ArrayLike<number> = 'values' in series ? pickColumn(series, options.column) : (series as PlainSeries).value;
  const st = series.station;
  if (!time || !value || time.length !== value.length || (typeof st !== 'string' && (!st || st.length !== time.length))) {
    throw new HazetraceError('E_ARG', 'series.station, series.time and series.value must have equal lengths', { argument: 'series' });
  }
  const byStation = new Map<string, number[]>();
  for (let i = 0; i < time.length; i++) {
    const v = value[i] as number;
    const t = time[i] as number;
    if (!Number.isFinite(v) || !Number.isFinite(t)) continue; // missing values are gaps, not zeros
    const s = typeof st === 'string' ? st : (st[i] as string);
    let arr = byStation.get(s);
    if (!arr) byStation.set(s, (arr = []));
    arr.push(i);
  }
  const episodes: Episode[] = [];
  const samplesPerStation: Record<string, number> = {};
  for (const [station, rows] of [...byStation.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    rows.sort((a, b) => (time[a] as number) - (time[b] as number));
    const times = rows.map((r) => time[r] as number);
    const vals = rows.map((r) => value[r] as number);
    let step = options.stepHours !== undefined ? options.stepHours * HOUR_MS : NaN;
    if (!Number.isFinite(step)) {
      const gaps: number[] = [];
      for (let i = 1; i < times.length; i++) if ((times[i] as number) > (times[i - 1] as number)) gaps.push((times[i] as number) - (times[i - 1] as number));
      step = gaps.length ? median(gaps) : HOUR_MS;
    }
    const samples = averageSeries(times, vals, { averaging, step, offsetMs, minCoverage });
    samplesPerStation[station] = samples.length;
    const thr = new Float64Array(samples.length).fill(threshold);
    if (method === 'baseline') {
      let lo = 0;
      for (let i = 0; i < samples.length; i++) {
        const t = (samples[i] as Sample).start;
        while ((samples[lo] as Sample).start < t - baselineMs) lo++;
        const win = samples.slice(lo, i).map((s) => s.value);
        // A baseline from fewer than a quarter of the window's expected samples would be noise: no exceedance there.
        const expected = baselineMs / Math.max(step, averaging === 'daily' ? DAY_MS : step);
        if (win.length < Math.max(3, expected / 4)) {
          thr[i] = Infinity;
          continue;
        }
        const med = median(win);
        const mad = median(win.map((v) => Math.abs(v - med)));
        thr[i] = med + k * 1.4826 * mad;
      }
    }
    let cur: { start: number; end: number; peakT: number; peakV: number; sum: number; n: number; thr: number } | null = null;
    const flush = (): void => {
      if (cur && cur.end - cur.start >= minDur) {
        episodes.push({
          id: `${station}@${toIsoUtc(cur.start)}`,
          station,
          start: cur.start,
          end: cur.end,
          peakTime: cur.peakT,
          peakValue: cur.peakV,
          meanValue: cur.sum / cur.n,
          samples: cur.n,
          threshold: cur.thr,
        });
      }
      cur = null;
    };
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as Sample;
      if (!(s.value > (thr[i] as number))) continue;
      if (cur !== null && s.start - (cur as { end: number }).end <= mergeGap) {
        const c = cur as { start: number; end: number; peakT: number; peakV: number; sum: number; n: number; thr: number };
        c.end = Math.max(c.end, s.end);
        c.sum += s.value;
        c.n++;
        if (s.value > c.peakV) {
          c.peakV = s.value;
          c.peakT = s.start;
          c.thr = thr[i] as number;
        }
      } else {
        flush();
        cur = { start: s.start, end: s.end, peakT: s.start, peakV: s.value, sum: s.value, n: 1, thr: thr[i] as number };
      }
    }
    flush();
  }
  const json = (): object => ({
    episodes: episodes.map((e) => ({ ...e, start: toIsoUtc(e.start), end: toIsoUtc(e.end), peakTime: toIsoUtc(e.peakTime) })),
    samplesPerStation,
  });
  return { episodes, samplesPerStation, toJSON: json };
}
