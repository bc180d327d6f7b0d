/**
 * Calibration inside the one-call pipeline: put the source categories on one scale by fitting them to the
 * observed PM2.5 of the same run. Every monitor hour (or day) whose back-trajectory window is covered by the
 * hotspot file and the wind gets a single back-trajectory (daily values: eight, averaged), its per-category
 * exposure is computed with attribution's own kernel, and {@link calibrateScales} fits one non-negative factor
 * per category group above a fixed background (robust Huber NNLS, seeded bootstrap). When the data cannot
 * identify the factors the documented default scales are kept and the result says why.
 */
import { HOUR_MS, KeyInterner, type StationSeries, type Stations, type WindField } from '../core/index.js';
import { traceTrajectories, type TraceStart } from '../wind/index.js';
import type { KernelOptions } from './defaults.js';
import { categoryExposures, type CategoryExposures } from './exposures.js';
import { calibrateScales, defaultScaleGroup, type CalibrationResult } from './calibrate.js';
import { coveredFraction, type Intervals } from './coverage.js';
import type { SourceLayer } from './sources.js';

/** What the pipeline did to put the categories on one scale. */
export interface ScaleFit {
  /** `'calibrated'` fitted on this run's observations; `'given'` passed by the caller; `'defaults'` the documented defaults. */
  mode: 'calibrated' | 'given' | 'defaults';
  /** Scale per category actually used. */
  scales: Record<string, number>;
  /** Background PM2.5 subtracted before the fit, µg/m³ (null unless a fit was tried). */
  background: number | null;
  /** R² of the fit (null unless a fit was tried). */
  r2: number | null;
  /** Observation rows in the fit. */
  rows: number;
  /** Bootstrap 10–90 % range of each fitted scale (categories of a group share their group's range). */
  intervals: Record<string, [number, number]>;
  /** Why the defaults were used, when a fit was asked for but not used. */
  fallback?: string;
}

/** One observation interval per series row: `[start, end)` UTC ms and the value. */
export interface ObservationRows {
  station: string[];
  start: Float64Array;
  end: Float64Array;
  value: Float64Array;
}

/** Options of {@link fitSeriesScales}. */
export interface FitSeriesScalesOptions {
  hours: number;
  kernel: KernelOptions;
  hotspotDays: Intervals;
  minCoverage: number;
  /** Hours between the monitor hours used, default 3 (every third hour). */
  stepHours?: number;
  /** Largest number of trajectories traced for the fit, default 60,000 (evenly thinned above it). */
  maxTrajectories?: number;
  seed?: number;
}

const FIT_DEFAULTS = Object.freeze({ stepHours: 3, maxTrajectories: 60_000 });

/**
 * Fit the category scales on the observed series (see the module comment). Returns the fit with its
 * fallback reason when it could not be used.
 */
export function fitSeriesScales(obs: ObservationRows, stations: Stations, wind: WindField, layer: SourceLayer, o: FitSeriesScalesOptions): ScaleFit {
  const step = (o.stepHours ?? FIT_DEFAULTS.stepHours) * HOUR_MS;
  const coord = new Map<string, [number, number]>();
  for (let i = 0; i < stations.length; i++) coord.set((stations.id[i] as string).toLowerCase(), [stations.lng[i] as number, stations.lat[i] as number]);
  const [w0, w1] = wind.timeRange;
  const starts: TraceStart[] = [];
  const rowKeys: string[] = [];
  const obsStation: string[] = [];
  const obsTime: number[] = [];
  const obsValue: number[] = [];
  for (let i = 0; i < obs.station.length; i++) {
    const v = obs.value[i] as number;
    if (!Number.isFinite(v)) continue;
    const st = (obs.station[i] as string).toLowerCase();
    const c = coord.get(st);
    if (!c) continue;
    const a = obs.start[i] as number;
    const b = obs.end[i] as number;
    const long = b - a > 1.5 * HOUR_MS;
    // Hourly rows are thinned to every `step` hours; a daily row is kept whole.
    if (!long && Math.floor(a / HOUR_MS) % Math.max(1, Math.round(step / HOUR_MS)) !== 0) continue;
    const from = a - o.hours * HOUR_MS;
    if (from < w0 || b > w1) continue;
    if (coveredFraction(o.hotspotDays, from, b) < o.minCoverage) continue;
    const mid = (a + b) / 2;
    const key = `${st}\u0000${mid}`;
    const times = long ? Array.from({ length: Math.max(1, Math.round((b - a) / step)) }, (_, k) => a + step / 2 + k * step).filter((t) => t < b) : [mid];
    for (const t of times) {
      starts.push({ lng: c[0], lat: c[1], time: t, receptor: st });
      rowKeys.push(key);
    }
    obsStation.push(st);
    obsTime.push(mid);
    obsValue.push(v);
  }
  const max = o.maxTrajectories ?? FIT_DEFAULTS.maxTrajectories;
  if (starts.length > max) {
    // Evenly thinned by observation so every kept observation keeps all of its starts.
    return fitSeriesScales(thin(obs, Math.ceil(starts.length / max)), stations, wind, layer, o);
  }
  if (starts.length === 0) return { mode: 'defaults', scales: {}, background: null, r2: null, rows: 0, intervals: {}, fallback: 'no observation hour has both wind and hotspot data over its back-trajectory window' };
  const set = traceTrajectories(wind, starts, { hours: o.hours, direction: 'back' });
  const { scales: _unused, ...kernel } = o.kernel;
  const raw = categoryExposures(set, layer, { ...kernel, hours: o.hours });
  const obsOf = new Map<string, string>();
  starts.forEach((s, i) => obsOf.set(`${s.receptor}\u0000${s.time}`, rowKeys[i] as string));
  const exposures = perObservation(raw, Array.from(raw.time, (t, r) => obsOf.get(`${raw.receptor[r]}\u0000${t}`) as string));
  const fit = calibrateScales({ station: obsStation, time: obsTime, value: obsValue }, exposures, { bootstrap: 200, seed: o.seed ?? 1 });
  return toScaleFit(fit);
}

/** Every k-th observation row. */
function thin(obs: ObservationRows, k: number): ObservationRows {
  const keep: number[] = [];
  for (let i = 0; i < obs.station.length; i += k) keep.push(i);
  return {
    station: keep.map((i) => obs.station[i] as string),
    start: Float64Array.from(keep, (i) => obs.start[i] as number),
    end: Float64Array.from(keep, (i) => obs.end[i] as number),
    value: Float64Array.from(keep, (i) => obs.value[i] as number),
  };
}

/** Average the exposure rows (one per trajectory) of each observation, keyed by receptor and mid time. */
function perObservation(raw: CategoryExposures, rowKeys: string[]): CategoryExposures {
  const obs = new KeyInterner<string>();
  const rawRow = Int32Array.from(rowKeys, (k) => obs.intern(k));
  const n = obs.keys.length;
  const count = new Float64Array(n);
  for (const j of rawRow) count[j] = (count[j] as number) + 1;
  const receptor = obs.keys.map((k) => k.slice(0, k.indexOf('\u0000')));
  const time = Float64Array.from(obs.keys, (k) => Number(k.slice(k.indexOf('\u0000') + 1)));
  const exposure: Record<string, Float64Array> = {};
  for (const c of raw.categories) {
    const src = raw.exposure[c] as Float64Array;
    const dst = new Float64Array(n);
    for (let r = 0; r < src.length; r++) dst[rawRow[r] as number] = (dst[rawRow[r] as number] as number) + (src[r] as number) / (count[rawRow[r] as number] as number);
    exposure[c] = dst;
  }
  return { receptor, time, categories: raw.categories, exposure };
}

function toScaleFit(c: CalibrationResult): ScaleFit {
  const intervals: Record<string, [number, number]> = {};
  if (c.calibrated && c.fit) {
    // Each fitted term is a scale group (the pipeline fits with calibrateScales' default groups).
    for (const t of c.fit.terms) {
      const [lo, hi] = t.coefficientInterval;
      if (!Number.isFinite(lo) || !Number.isFinite(hi)) continue;
      for (const cat of Object.keys(c.scales)) if (defaultScaleGroup(cat) === t.name) intervals[cat] = [lo, hi];
    }
  }
  const base = { scales: c.scales, background: Number.isFinite(c.background) ? c.background : null, r2: Number.isFinite(c.r2) ? c.r2 : null, rows: c.rows, intervals };
  if (c.calibrated) return { mode: 'calibrated', ...base };
  const why = c.warnings.find((w) => w.startsWith('calibration fell back')) ?? 'the fit was not usable';
  return { mode: 'defaults', ...base, fallback: why.replace(/^calibration fell back to the default scales: /, '') };
}

/** Observation intervals of a station series by its time basis (hour-end labels, hour starts or local days). */
export function observationRows(series: StationSeries, column: string, basis: 'hour-end' | 'hour-start' | 'day-start'): ObservationRows {
  const col = series.values[column] as Float64Array;
  const n = series.length;
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const len = basis === 'day-start' ? 24 * HOUR_MS : HOUR_MS;
  for (let i = 0; i < n; i++) {
    const t = series.time[i] as number;
    start[i] = basis === 'hour-end' ? t - len : t;
    end[i] = start[i]! + len;
  }
  return { station: Array.from(series.station), start, end, value: Float64Array.from(col) };
}
