/**
 * PM2.5 episodes per station (docs/attribution.md "Episode detection"): threshold exceedance on a chosen
 * averaging, or a rise above a rolling baseline (median + k·MAD). The `'event'` averaging (and `'auto'` on
 * hourly data) counts episodes the way an analyst does: one episode per exceedance event of the 24-h mean,
 * with the peak at the highest hourly value inside it (docs/attribution.md "Episodes").
 *
 * Time convention. Input times are labels whose meaning depends on where they came from: hazetrace/io's
 * `readStationSeriesCsv` stores an hourly value at the END of its averaging hour (Thai PCD / Air4Thai label
 * the 00:00–01:00 mean "01:00") and a daily value at the local midnight STARTING its day, and says which in
 * its result's `timeBasis`. Everything here works on interval starts: each time is converted to the start of
 * the interval it averages before any day binning or windowing, so the hour ending at local midnight
 * counts towards the day it closes, not the next one. Output `start`/`end`/`peakTime` are interval starts
 * and exclusive ends, UTC epoch ms.
 */
import { argError, checkPositive, DAY_MS, HazetraceError, HOUR_MS, parseUtcOffset, toIsoUtc, type StationSeries } from '../core/index.js';
import { median } from './util.js';

/**
 * A detected episode at one station. Times are UTC epoch ms of interval boundaries, whatever the input's
 * time labels were: `start` is the start of the first averaged interval above the threshold, `end` the
 * exclusive end of the last one (a single local day at +07:00 is `[17:00Z, 17:00Z next day)`).
 */
export interface Episode {
  /** `station@startISO`, unique within one detection. */
  id: string;
  station: string;
  /** Start of the episode's first averaged interval (UTC ms). */
  start: number;
  /** Exclusive end of its last averaged interval (UTC ms). */
  end: number;
  /** Start of the interval holding the peak (UTC ms). */
  peakTime: number;
  peakValue: number;
  meanValue: number;
  /** Number of averaged samples above the threshold in the episode. */
  samples: number;
  /** Threshold at the peak (fixed for `method: 'threshold'`; median + k·MAD for `'baseline'`). */
  threshold: number;
}

/**
 * What a series' times mark: `'hour-end'` the end of each sample's averaging interval (what
 * `readStationSeriesCsv` stores for hourly rows), `'hour-start'` its start, `'day-start'` the local midnight
 * starting a daily value (the reader's daily rows; treated like `'hour-start'`).
 */
export type SeriesTimeBasis = 'hour-end' | 'hour-start' | 'day-start';

/**
 * Plain series: one station id for all rows or one per row. Times are interval starts unless `timeBasis`
 * (or {@link EpisodeOptions.timeLabel}) says otherwise.
 */
export interface PlainSeries {
  station: string | ArrayLike<string>;
  time: ArrayLike<number>;
  value: ArrayLike<number>;
  /** What `time` marks; default `'hour-start'` (interval starts, the convention of {@link Episode}). */
  timeBasis?: SeriesTimeBasis;
}

/**
 * A reader result (`readStationSeriesCsv(...)` as returned) or a StationSeries that carries its own
 * `timeBasis` (hazetrace/sim's observations do).
 */
export type SeriesWithBasis = { series: StationSeries; timeBasis?: SeriesTimeBasis } | (StationSeries & { timeBasis?: SeriesTimeBasis });

/** Options for {@link detectEpisodes}. */
export interface EpisodeOptions {
  /** Value column when `series` is a StationSeries; default the first column whose name contains `pm25`, else the first. */
  column?: string;
  /** Exceedance threshold (µg/m³) for `method: 'threshold'`, default 37.5 (Thai 24-h standard); WHO's 24-h guideline is 15. */
  threshold?: number;
  /**
   * `'daily'` (default): mean per local calendar day (the standard is a 24-h mean) of the samples whose
   * interval starts in it; `'rolling24'`: at every sample, the mean over the 24 h ending at that sample's
   * interval end (the sample reported as its own interval); `'hourly'`: the samples as they are.
   *
   * `'event'`: one episode per exceedance event. On sub-daily data a sample exceeds when the mean over the
   * `eventWindowHours` (24) centred on it is above the threshold (so an event covers the hours at the centre of
   * an exceeding 24-h mean rather than lagging it by a day); exceeding runs closer than `mergeGapHours`
   * (default 12 for this mode) merge; runs shorter than `minDurationHours` (default 3 for this mode; not applied to a
   * run cut by the start or end of the data) are dropped. The episode is then the samples those exceeding
   * windows average over that are themselves above the threshold (runs merged the same way), so it spans the
   * high hours, not the trough a 24-h window straddling two bumps may centre on. `peakTime`/`peakValue` are the
   * highest single sample inside `[start, end)` and `meanValue` the mean of all samples there. On daily data (a step of 24 h or more) it is `'daily'`: runs of exceeding days, peak = the
   * peak day. `'auto'`: `'event'` for a station whose step is under 24 h, `'daily'` otherwise (the same
   * episodes as `'event'`, named by what it does on each kind of input).
   */
  averaging?: 'hourly' | 'rolling24' | 'daily' | 'event' | 'auto';
  /** Width of the centred mean `'event'` judges exceedance on, hours, default 24 (the Thai standard's 24-h mean). */
  eventWindowHours?: number;
  /**
   * What the input times mark: `'hour-end'` (each time is the END of its sample's interval, `stepHours` long)
   * or `'hour-start'` (its start). Default: the series' own `timeBasis` when it has one (a
   * `readStationSeriesCsv` result, or a series carrying `timeBasis`); otherwise what the reader produces —
   * for a StationSeries, `'hour-end'` when the station's step is under 24 h and day starts for daily data
   * (the reader's `'day-start'`); for a {@link PlainSeries}, `'hour-start'`. Given explicitly it overrides
   * the series' `timeBasis`.
   */
  timeLabel?: 'hour-end' | 'hour-start';
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
  /** Episodes shorter than this many hours are dropped, default 0 (3 for `'event'` on sub-daily data). */
  minDurationHours?: number;
  /** Exceedances separated by at most this many hours merge into one episode, default 3 (12 for `'event'` on sub-daily data). */
  mergeGapHours?: number;
}

/** Result of {@link detectEpisodes}. */
export interface EpisodeSet {
  episodes: Episode[];
  /** Averaged samples per station (after averaging). */
  samplesPerStation: Record<string, number>;
  toJSON(): object;
}

/** Defaults of the `'event'` averaging on sub-daily data (tuned on the twin scenarios, docs/attribution.md "Episodes"). */
const EVENT_MERGE_GAP_HOURS = 12;
const EVENT_MIN_DURATION_HOURS = 3;

interface Sample {
  start: number;
  end: number;
  value: number;
}

/** The value column of a series: `column` when given, else the first whose name contains `pm25`, else the first. */
export function seriesValueColumn(series: StationSeries, column?: string): string {
  const names = Object.keys(series.values);
  const name = column ?? names.find((n) => n.toLowerCase().includes('pm25')) ?? names[0];
  if (name === undefined || !series.values[name]) throw argError('options.column', column, `one of the series columns [${names.join(', ')}]`);
  return name;
}

function pickColumn(series: StationSeries, column: string | undefined): Float64Array {
  return series.values[seriesValueColumn(series, column)] as Float64Array;
}

function averageSeries(times: number[], vals: number[], opts: { averaging: string; step: number; offsetMs: number; minCoverage: number; windowMs: number }): Sample[] {
  const { step, offsetMs, minCoverage } = opts;
  const out: Sample[] = [];
  if (opts.averaging === 'event') {
    // Centred mean: the samples whose interval starts in [mid − W/2, mid + W/2), mid the sample's interval middle.
    const half = opts.windowMs / 2;
    const needW = Math.max(1, Math.ceil(((minCoverage * opts.windowMs) / step) - 1e-9));
    let lo = 0;
    let hi = 0;
    let s = 0;
    for (let i = 0; i < times.length; i++) {
      const mid = (times[i] as number) + step / 2;
      while (hi < times.length && (times[hi] as number) < mid + half) s += vals[hi++] as number;
      while ((times[lo] as number) < mid - half) s -= vals[lo++] as number;
      const n = hi - lo;
      if (n >= needW) out.push({ start: times[i] as number, end: (times[i] as number) + step, value: s / n });
    }
    return out;
  }
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
  // rolling24: intervals starting in (s − 24 h, s], i.e. the 24 h ending at sample s's interval end.
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
 * Input times are first turned into interval starts per {@link EpisodeOptions.timeLabel} (so hour-ending
 * labels from `readStationSeriesCsv` average into the local day they close); episode times are interval
 * starts and exclusive ends in UTC. Pass the reader's whole result to keep its `timeBasis`.
 *
 * @example
 * ```ts
 * import { detectEpisodes } from 'hazetrace/attribution';
 * import { readStationSeriesCsv } from 'hazetrace/io';
 * const day = 86_400_000;
 * const t0 = Date.UTC(2025, 3, 20) - 7 * 3_600_000; // local midnight, +07:00
 * const r = detectEpisodes({ station: '35t', time: [t0, t0 + day, t0 + 2 * day], value: [20, 80, 30] });
 * r.episodes[0]?.peakValue; // 80
 * // Hour-ending labels: 01:00..24:00 of 2025-04-21 are that local day, [2025-04-20T17:00Z, 2025-04-21T17:00Z).
 * const csv = 'station_id,date_local,time_local,pm25\n' + Array.from({ length: 24 }, (_, h) => `35t,2025-04-21,${h + 1}:00,60`).join('\n');
 * detectEpisodes(readStationSeriesCsv(csv)).episodes[0]?.start === t0 + day; // true
 * ```
 */
export function detectEpisodes(input: StationSeries | PlainSeries | SeriesWithBasis, options: EpisodeOptions = {}): EpisodeSet {
  if (input === null || typeof input !== 'object') throw argError('series', input, 'a StationSeries, a readStationSeriesCsv result or { station, time, value }');
  // A reader result wraps the series and carries the time basis beside it; unwrap it so the basis is not lost.
  const wrapped = 'series' in input && !('time' in input);
  const series = (wrapped ? (input as { series: StationSeries }).series : input) as StationSeries | PlainSeries;
  if (series === null || typeof series !== 'object') throw argError('series.series', series, 'a StationSeries');
  const basis = (input as { timeBasis?: unknown }).timeBasis ?? (series as { timeBasis?: unknown }).timeBasis;
  if (basis !== undefined && basis !== 'hour-end' && basis !== 'hour-start' && basis !== 'day-start') {
    throw argError('series.timeBasis', basis, "'hour-end', 'hour-start' or 'day-start'");
  }
  const timeLabel = options.timeLabel;
  if (timeLabel !== undefined && timeLabel !== 'hour-end' && timeLabel !== 'hour-start') throw argError('options.timeLabel', timeLabel, "'hour-end' or 'hour-start'");
  const isStationSeries = 'values' in series;
  const threshold = checkPositive('options.threshold', options.threshold ?? 37.5, true);
  const averaging = options.averaging ?? 'daily';
  if (averaging !== 'hourly' && averaging !== 'rolling24' && averaging !== 'daily' && averaging !== 'event' && averaging !== 'auto') {
    throw argError('options.averaging', averaging, "'hourly', 'rolling24', 'daily', 'event' or 'auto'");
  }
  const windowMs = checkPositive('options.eventWindowHours', options.eventWindowHours ?? 24) * HOUR_MS;
  const method = options.method ?? 'threshold';
  if (method !== 'threshold' && method !== 'baseline') throw argError('options.method', method, "'threshold' or 'baseline'");
  const k = checkPositive('options.k', options.k ?? 3, true);
  const baselineMs = checkPositive('options.baselineHours', options.baselineHours ?? 168) * HOUR_MS;
  if (options.minDurationHours !== undefined) checkPositive('options.minDurationHours', options.minDurationHours, true);
  if (options.mergeGapHours !== undefined) checkPositive('options.mergeGapHours', options.mergeGapHours, true);
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
    // Without a stated basis a StationSeries is taken as the reader wrote it: hour-end labels for
    // sub-daily rows, day starts for daily rows (the reader's two cases, told apart here by the step).
    const endLabelled = timeLabel !== undefined ? timeLabel === 'hour-end' : basis !== undefined ? basis === 'hour-end' : isStationSeries && step < DAY_MS;
    if (endLabelled) for (let i = 0; i < times.length; i++) times[i] = (times[i] as number) - step;
    // 'event' and 'auto' are events on sub-daily data and runs of days on daily data.
    const mode = averaging === 'event' || averaging === 'auto' ? (step < DAY_MS ? 'event' : 'daily') : averaging;
    const event = mode === 'event';
    const minDur = (options.minDurationHours ?? (event ? EVENT_MIN_DURATION_HOURS : 0)) * HOUR_MS;
    const mergeGap = (options.mergeGapHours ?? (event ? EVENT_MERGE_GAP_HOURS : 3)) * HOUR_MS;
    const samples = averageSeries(times, vals, { averaging: mode, step, offsetMs, minCoverage, windowMs });
    samplesPerStation[station] = samples.length;
    const thr = new Float64Array(samples.length).fill(threshold);
    if (method === 'baseline') {
      let lo = 0;
      for (let i = 0; i < samples.length; i++) {
        const t = (samples[i] as Sample).start;
        while ((samples[lo] as Sample).start < t - baselineMs) lo++;
        const win = samples.slice(lo, i).map((s) => s.value);
        // A baseline from fewer than a quarter of the window's expected samples would be noise: no exceedance there.
        const expected = baselineMs / Math.max(step, mode === 'daily' ? DAY_MS : step);
        if (win.length < Math.max(3, expected / 4)) {
          thr[i] = Infinity;
          continue;
        }
        const med = median(win);
        const mad = median(win.map((v) => Math.abs(v - med)));
        thr[i] = med + k * 1.4826 * mad;
      }
    }
    let runSamples = samples;
    let runThr = thr;
    let runMinDur = minDur;
    if (event) {
      // Qualifying exceedances of the centred mean: merged across short gaps, long enough (a run cut by the
      // first or last judged sample is kept whatever its length: its real length is unknown). Each covers the
      // samples its exceeding windows average over.
      const covered: [number, number][] = [];
      let a = -1;
      let b = -1;
      const close = (): void => {
        if (a < 0) return;
        const s0 = samples[a] as Sample;
        const s1 = samples[b] as Sample;
        if (a === 0 || b === samples.length - 1 || s1.end - s0.start >= minDur) covered.push([s0.start + step / 2 - windowMs / 2, s1.start + step / 2 + windowMs / 2]);
        a = -1;
      };
      for (let i = 0; i < samples.length; i++) {
        const s = samples[i] as Sample;
        if (!(s.value > (thr[i] as number))) continue;
        if (a >= 0 && s.start - (samples[b] as Sample).end <= mergeGap) b = i;
        else {
          close();
          a = b = i;
        }
      }
      close();
      // The event itself: the single samples inside a covered span that are above the threshold (so it spans the
      // high hours that made the 24-h mean exceed, not the trough between two bumps a 24-h window straddles).
      const thrAt = new Map<number, number>();
      samples.forEach((s, i) => thrAt.set(s.start, thr[i] as number));
      const cand: Sample[] = [];
      const candThr: number[] = [];
      let c = 0;
      for (let j = 0; j < times.length; j++) {
        const t = times[j] as number;
        while (c < covered.length && (covered[c] as [number, number])[1] <= t) c++;
        if (c >= covered.length) break;
        if (t < (covered[c] as [number, number])[0]) continue;
        const th = thrAt.get(t) ?? (method === 'threshold' ? threshold : Infinity);
        if ((vals[j] as number) > th) {
          cand.push({ start: t, end: t + step, value: vals[j] as number });
          candThr.push(th);
        }
      }
      runSamples = cand;
      runThr = Float64Array.from(candThr);
      runMinDur = 0;
    }
    type Run = { start: number; end: number; peakT: number; peakV: number; sum: number; n: number; thr: number; raw: number };
    let cur: Run | null = null;
    let from = 0; // first raw sample not before the previous event (times are sorted)
    const flush = (): void => {
      if (cur && cur.end - cur.start >= runMinDur) {
        if (event) {
          // Peak and mean of an event: the single samples inside it, not the smoothed ones it was judged on.
          while (from < times.length && (times[from] as number) < cur.start) from++;
          let sum = 0;
          let n = 0;
          for (let j = from; j < times.length && (times[j] as number) < cur.end; j++) {
            const v = vals[j] as number;
            sum += v;
            n++;
            if (n === 1 || v > cur.peakV) {
              cur.peakV = v;
              cur.peakT = times[j] as number;
            }
          }
          cur.raw = sum / n;
        }
        episodes.push({
          id: `${station}@${toIsoUtc(cur.start)}`,
          station,
          start: cur.start,
          end: cur.end,
          peakTime: cur.peakT,
          peakValue: cur.peakV,
          meanValue: event ? cur.raw : cur.sum / cur.n,
          samples: cur.n,
          threshold: cur.thr,
        });
      }
      cur = null;
    };
    for (let i = 0; i < runSamples.length; i++) {
      const s = runSamples[i] as Sample;
      if (!(s.value > (runThr[i] as number))) continue;
      if (cur !== null && s.start - (cur as { end: number }).end <= mergeGap) {
        const c = cur as Run;
        c.end = Math.max(c.end, s.end);
        c.sum += s.value;
        c.n++;
        if (s.value > c.peakV) {
          c.peakV = s.value;
          c.peakT = s.start;
          c.thr = runThr[i] as number;
        }
      } else {
        flush();
        cur = { start: s.start, end: s.end, peakT: s.start, peakV: s.value, sum: s.value, n: 1, thr: runThr[i] as number, raw: NaN };
      }
    }
    flush();
  }
  return {
    episodes,
    samplesPerStation,
    toJSON() {
      return { episodes: episodes.map((e) => ({ ...e, start: toIsoUtc(e.start), end: toIsoUtc(e.end), peakTime: toIsoUtc(e.peakTime) })), samplesPerStation };
    },
  };
}
