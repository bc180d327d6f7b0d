/**
 * Forecast smoke (docs/forecast.md): where the smoke of the latest hotspots goes in the next 24 / 48 h.
 *
 * From the detections of the last `fromHours` (FRP as emission weight) forward-trajectory ensembles run over a
 * forecast wind. Emission follows daily persistence: every detection of the window is released at its own time
 * (smoke already in the air) and again 24 h, 48 h, ... later (the fire keeps burning with the same diurnal cycle),
 * weighted 24 / `fromHours` so each day of forecast carries one day of emission. Per station: the probability that
 * smoke arrives within each horizon (the fraction of ensemble members in which any release passes within
 * `radiusKm` of the station after the issue time), the arrival time, and — with calibrated scales — the expected
 * PM2.5 increment from attribution's own kernel run forward. Per H3 cell: the same probability and the relative
 * exposure. A horizon the wind does not cover gets status `insufficient-wind`, never a shorter forecast.
 */
import { cellToBoundary, getHexagonEdgeLengthAvg, gridDisk, latLngToCell, UNITS } from 'h3-js';
import { argError, checkInt, checkPositive, HOUR_MS, toIsoUtc, WIND_OK, type Hotspots, type Stations, type WindField } from '../core/index.js';
import { checkFinite } from '../core/errors.js';
import { traceEnsemble, type TrajectorySetResult } from '../wind/index.js';
import { fastPathVerified, HI_LO, hiLoToString, latLngToCellHiLo } from '../grid/h3fast.js';
import { ATTRIBUTE_DEFAULTS, logSpace, resolveKernel, type KernelOptions } from './defaults.js';
import type { ScaleFit } from './series-calibration.js';
import { KM_PER_DEG, localDist2Km, quantile7 } from './util.js';

/** Inputs of {@link forecastSmoke}: what the readers return. */
export interface ForecastInputs {
  /** FIRMS detections (`readFirmsCsv(text).hotspots`); only `lng`, `lat`, `time` (UTC ms) and `frp` (MW) are read. */
  hotspots: Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time' | 'frp'>;
  /** Forecast wind (any WindField: gridded NetCDF / GRIB2 / GeoTIFF, a 3-D field's 2-D sample, uniform, station). */
  wind: WindField;
  /** Receptors (`readStationsCsv(text).stations`). */
  stations: Pick<Stations, 'length' | 'id' | 'lng' | 'lat'>;
}

/** Options of {@link forecastSmoke}; defaults in {@link FORECAST_DEFAULTS}. */
export interface ForecastOptions {
  /** Issue time of the forecast, UTC ms. Default: the latest detection time. Horizons count from it. */
  issueTime?: number;
  /** Hours of detections before the issue time used as sources, default 24. */
  fromHours?: number;
  /** Forecast horizons, hours after the issue time, default [24, 48]. */
  horizons?: readonly number[];
  /** H3 resolution of the cell output, default 6. */
  res?: number;
  /** H3 resolution at which detections are merged into one release per cell and hour, default 6. */
  sourceRes?: number;
  /** A member "reaches" a station when a trajectory passes within this distance of it, km, default 20. */
  radiusKm?: number;
  /** Ensemble kind, default `'auto'` (offset on gridded wind finer than 1°, seeded random walk otherwise). */
  ensemble?: 'auto' | 'offset' | 'random-walk';
  /** Random-walk members, default 9 (offset ensembles always have 9). */
  members?: number;
  /** Offset of the offset ensemble, degrees, default 1 (as attribution). */
  offsetDeg?: number;
  /** Seed of the random walk, default 1. */
  seed?: number;
  /**
   * Category scales for the PM2.5 increment: a `ScaleFit` (from `calibrateSeries`; `mode: 'defaults'` counts as
   * uncalibrated) or a `{ category: scale }` object. The fire scale is `fire_other` (else any `fire_*`, else `hotspot`).
   * Without it the increment is absent and the forecast says `uncalibrated`.
   */
  scales?: ScaleFit | Record<string, number>;
  /** Attribution kernel settings (σ growth, time kernel, lifetime) for the increment; see `ATTRIBUTE_DEFAULTS`. */
  kernel?: Omit<KernelOptions, 'scales' | 'method'>;
  /**
   * Station probability rule. Default (absent): a member brings smoke when a trajectory passes within `radiusKm`.
   * With a threshold, µg/m³, and calibrated `scales`: a member brings smoke when its hourly PM2.5 increment at the
   * station reaches the threshold (the probability of "at least this much smoke"); the arrival is that hour's end.
   * Without calibrated scales the passage rule is used and `provenance.probabilityRule` says so.
   */
  minIncrementUgm3?: number;
  /** Compute the cell output, default true. */
  cells?: boolean;
}

/**
 * Defaults of {@link forecastSmoke} (frozen).
 *
 * @example
 * ```ts
 * import { FORECAST_DEFAULTS } from 'hazetrace/attribution';
 * FORECAST_DEFAULTS.radiusKm; // 20
 * ```
 */
export const FORECAST_DEFAULTS = Object.freeze({
  fromHours: 24,
  horizons: Object.freeze([24, 48]) as readonly number[],
  res: 6,
  sourceRes: 6,
  radiusKm: 20,
  members: 9,
  offsetDeg: ATTRIBUTE_DEFAULTS.offsetDeg,
  seed: 1,
});

/** One horizon of a forecast. */
export interface ForecastHorizon {
  /** Hours after the issue time. */
  hours: number;
  /** End of the horizon, UTC ms. */
  end: number;
  /** `ok`, or `insufficient-wind` when the wind's time range ends before the horizon (no numbers then). */
  status: 'ok' | 'insufficient-wind';
  reason?: string;
}

/** Per-horizon forecast at one station. */
export interface StationHorizonForecast {
  hours: number;
  status: 'ok' | 'insufficient-wind';
  /** Fraction of members in which smoke arrives within the horizon (null without wind for it). */
  probability: number | null;
  /** Median over the reached members of their first arrival, UTC ms (null when no member reaches). */
  arrival: number | null;
  /** Earliest first arrival of any member, UTC ms (null when none). */
  earliestArrival: number | null;
  /**
   * Expected PM2.5 increment over background, µg/m³ (calibrated scales only; absent otherwise): `mean` is the
   * member mean of the average hourly increment over the horizon, `low`/`high` its 10th/90th percentile over the
   * members, `peak` the highest hour of the member-mean series at `peakTime`.
   */
  increment?: { mean: number; low: number; high: number; peak: number; peakTime: number | null };
  /** Relative exposure (uncalibrated kernel sum, member mean, mean over the horizon's hours; FRP-MW units). */
  exposure: number | null;
}

/** Forecast at one station. */
export interface StationForecast {
  station: string;
  lng: number;
  lat: number;
  horizons: StationHorizonForecast[];
}

/** Cell output: one row per H3 cell any member reached. */
export interface ForecastCells {
  res: number;
  cells: string[];
  /** By horizon hours: probability per cell (fraction of members). */
  probability: Record<string, Float64Array>;
  /** By horizon hours: expected relative exposure per cell (member mean of FRP × loss × hours spent, / its maximum). */
  exposure: Record<string, Float64Array>;
}

/** What the forecast rests on. */
export interface ForecastProvenance {
  issueTime: string;
  window: { start: string; end: string; hours: number };
  hotspotsUsed: number;
  hotspotsInFile: number;
  releases: number;
  releasesSkipped: { beforeWind: number; outsideWind: number };
  wind: { kind: string; start: string | null; end: string | null };
  ensemble: { kind: 'offset' | 'random-walk'; members: number; offsetDeg?: number; seed?: number };
  horizonCoverage: { hours: number; covered: boolean }[];
  radiusKm: number;
  /** The station probability rule actually used (see `ForecastOptions.minIncrementUgm3`). */
  probabilityRule: string;
  sourceRes: number;
  emission: string;
  calibration: { mode: 'calibrated' | 'given' | 'uncalibrated'; fireScale: number | null; interval: [number, number] | null; background: number | null };
}

/** Result of {@link forecastSmoke}. */
export interface ForecastResult {
  /**
   * `ok`; `uncalibrated` (probabilities only, no increment); `partial` (some horizon lacks wind);
   * `insufficient-wind` (no horizon covered); `no-hotspots` (no detection in the window).
   */
  status: 'ok' | 'uncalibrated' | 'partial' | 'insufficient-wind' | 'no-hotspots';
  /** Whether the increments are present. */
  incrementStatus: 'calibrated' | 'uncalibrated';
  reason?: string;
  issueTime: number;
  horizons: ForecastHorizon[];
  stations: StationForecast[];
  cells: ForecastCells | null;
  provenance: ForecastProvenance;
  toJSON(): Record<string, unknown>;
}

const iso = (t: number): string | null => (Number.isFinite(t) ? toIsoUtc(t) : null);

function fireScaleOf(s: ForecastOptions['scales']): { mode: 'calibrated' | 'given' | 'uncalibrated'; scale: number | null; interval: [number, number] | null; background: number | null } {
  if (s === undefined) return { mode: 'uncalibrated', scale: null, interval: null, background: null };
  if (s === null || typeof s !== 'object') throw argError('options.scales', s, 'a ScaleFit or { category: scale }');
  const fit = 'scales' in s && typeof (s as ScaleFit).mode === 'string' ? (s as ScaleFit) : null;
  const table = (fit ? fit.scales : s) as Record<string, number>;
  if (fit && fit.mode === 'defaults') return { mode: 'uncalibrated', scale: null, interval: null, background: null };
  const key = 'fire_other' in table ? 'fire_other' : (Object.keys(table).find((k) => k.startsWith('fire_')) ?? ('hotspot' in table ? 'hotspot' : undefined));
  if (key === undefined) throw argError('options.scales', Object.keys(table), 'scales with a fire_* (or hotspot) category');
  const scale = checkPositive(`options.scales.${key}`, table[key], true);
  const iv = fit?.intervals?.[key];
  return { mode: fit ? (fit.mode === 'calibrated' ? 'calibrated' : 'given') : 'given', scale, interval: iv ? [iv[0], iv[1]] : null, background: fit?.background ?? null };
}

/** One release: merged detections of one source cell and hour. */
interface Release {
  lng: number;
  lat: number;
  time: number;
  weight: number;
  /** Seed salt from the source cell and hour, so a release's random walk does not depend on which other releases exist. */
  salt: number;
}

/** FNV-1a hash of a string, 32-bit unsigned. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Forecast where the smoke of the latest hotspots goes: per station and per H3 cell, the probability that smoke
 * arrives within each horizon, the arrival time and (with calibrated scales) the expected PM2.5 increment with a
 * band from the ensemble members. See the module comment and docs/forecast.md for the rules.
 * Throws `E_ARG` on bad inputs or options.
 *
 * @example
 * ```ts
 * import { forecastSmoke } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22, 6);
 * const hotspots = { length: 1, lng: Float64Array.of(99), lat: Float64Array.of(18), time: Float64Array.of(t0), frp: Float64Array.of(50) };
 * const stations = { length: 1, id: ['east'], lng: Float64Array.of(99.9), lat: Float64Array.of(18) };
 * const f = forecastSmoke({ hotspots, stations, wind: uniformWind({ u: 5, v: 0 }) }, { ensemble: 'offset', cells: false });
 * f.stations[0]?.horizons[0]?.probability; // 1: the wind blows the smoke straight at the station
 * ```
 */
export function forecastSmoke(inputs: ForecastInputs, options: ForecastOptions = {}): ForecastResult {
  if (!inputs || typeof inputs !== 'object') throw argError('inputs', inputs, '{ hotspots, wind, stations }');
  const { hotspots, wind, stations } = inputs;
  if (!hotspots || typeof hotspots.length !== 'number' || !hotspots.time || !hotspots.lng || !hotspots.lat) throw argError('inputs.hotspots', hotspots, 'readFirmsCsv(text).hotspots');
  if (!wind || typeof wind.sample !== 'function') throw argError('inputs.wind', wind, 'a WindField');
  if (!stations || !Array.isArray(stations.id) || !stations.lng || !stations.lat) throw argError('inputs.stations', stations, 'readStationsCsv(text).stations');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const D = FORECAST_DEFAULTS;
  const fromHours = checkPositive('options.fromHours', options.fromHours ?? D.fromHours);
  const horizonsIn = options.horizons ?? D.horizons;
  if (!Array.isArray(horizonsIn) || horizonsIn.length === 0) throw argError('options.horizons', horizonsIn, 'a non-empty array of hours');
  const horizonHours = [...new Set(horizonsIn.map((h, i) => checkPositive(`options.horizons[${i}]`, h)))].sort((a, b) => a - b);
  if ((horizonHours[horizonHours.length - 1] as number) > 720) throw argError('options.horizons', horizonsIn, 'hours ≤ 720');
  const res = checkInt('options.res', options.res ?? D.res, 0, 15);
  const sourceRes = checkInt('options.sourceRes', options.sourceRes ?? D.sourceRes, 0, 15);
  const radiusKm = checkPositive('options.radiusKm', options.radiusKm ?? D.radiusKm);
  const seed = checkFinite('options.seed', options.seed ?? D.seed);
  const offsetDeg = checkPositive('options.offsetDeg', options.offsetDeg ?? D.offsetDeg);
  const ensIn = options.ensemble ?? 'auto';
  if (ensIn !== 'auto' && ensIn !== 'offset' && ensIn !== 'random-walk') throw argError('options.ensemble', ensIn, "'auto', 'offset' or 'random-walk'");
  const step = wind.gridStepDeg ? Math.max(wind.gridStepDeg[0], wind.gridStepDeg[1]) : NaN;
  const ensKind: 'offset' | 'random-walk' = ensIn !== 'auto' ? ensIn : wind.kind === 'station' || wind.kind === 'uniform' || step >= 1 ? 'random-walk' : 'offset';
  const M = ensKind === 'offset' ? 9 : checkInt('options.members', options.members ?? D.members, 1, 1000);
  const kernel = resolveKernel({ ...(options.kernel ?? {}) });
  const cal = fireScaleOf(options.scales);
  const wantCells = options.cells ?? true;
  const minInc = options.minIncrementUgm3 === undefined ? null : checkPositive('options.minIncrementUgm3', options.minIncrementUgm3);
  const byIncrement = minInc !== null && cal.scale !== null && cal.scale > 0;
  const probabilityRule = byIncrement
    ? `a member brings smoke when its hourly PM2.5 increment reaches ${minInc} µg/m³`
    : `a member brings smoke when a trajectory passes within ${radiusKm} km${minInc !== null ? ` (minIncrementUgm3 ${minInc} ignored: no calibrated scales)` : ''}`;

  // Issue time and the detection window.
  let latest = -Infinity;
  for (let i = 0; i < hotspots.length; i++) {
    const t = hotspots.time[i] as number;
    if (Number.isFinite(t) && t > latest) latest = t;
  }
  const issueTime = options.issueTime !== undefined ? checkFinite('options.issueTime', options.issueTime) : latest;
  const [w0, w1] = wind.timeRange;
  const horizons: ForecastHorizon[] = horizonHours.map((h) => {
    const end = issueTime + h * HOUR_MS;
    const covered = Number.isFinite(issueTime) && w0 <= issueTime && w1 >= end;
    return covered
      ? { hours: h, end, status: 'ok' as const }
      : {
          hours: h,
          end,
          status: 'insufficient-wind' as const,
          reason: `the wind covers ${iso(w0) ?? '−∞'}..${iso(w1) ?? '+∞'} but the ${h}-h forecast needs ${iso(issueTime) ?? '?'}..${iso(end) ?? '?'}`,
        };
  });
  const okH = horizons.filter((h) => h.status === 'ok');
  const hMax = okH.length ? (okH[okH.length - 1] as ForecastHorizon).hours : 0;
  const tEnd = issueTime + hMax * HOUR_MS;
  // The time kernel lets smoke reaching a station up to tcut after the horizon count in its last hours (the
  // detection stands for burning around it): trace that far when the wind allows, so the increment equals
  // attribution's back-trajectory kernel exactly (one more hour, so the last point at the cut has its full residence time).
  const tTrace = hMax > 0 ? Math.min(tEnd + (kernel.tcut * kernel.tau + 1) * HOUR_MS, w1) : tEnd;
  const winStart = issueTime - fromHours * HOUR_MS;

  // Detections of the window, merged per source cell and hour, replayed every 24 h (daily persistence).
  const used: number[] = [];
  for (let i = 0; i < hotspots.length; i++) {
    const t = hotspots.time[i] as number;
    const x = hotspots.lng[i] as number;
    const y = hotspots.lat[i] as number;
    if (t > winStart && t <= issueTime && Number.isFinite(x) && Number.isFinite(y) && Math.abs(y) < 89) used.push(i);
  }
  const frps = used.map((i) => (hotspots.frp ? (hotspots.frp[i] as number) : NaN)).filter((v) => Number.isFinite(v) && v >= 0);
  const frpFill = frps.length ? quantile7(frps, 0.5) : 1;
  const perDay = 24 / fromHours;
  const merged = new Map<string, { sw: number; sx: number; sy: number; st: number }>();
  let beforeWind = 0;
  if (hMax > 0) {
    for (const i of used) {
      const f = hotspots.frp ? (hotspots.frp[i] as number) : NaN;
      const w = (Number.isFinite(f) && f >= 0 ? f : frpFill) * perDay;
      if (!(w > 0)) continue;
      const x = hotspots.lng[i] as number;
      const y = hotspots.lat[i] as number;
      const cell = latLngToCell(y, x, sourceRes);
      for (let tr = hotspots.time[i] as number; tr < tTrace; tr += 24 * HOUR_MS) {
        if (tr < w0) {
          beforeWind++;
          continue;
        }
        const key = `${cell}|${Math.floor(tr / HOUR_MS)}`;
        const m = merged.get(key) ?? { sw: 0, sx: 0, sy: 0, st: 0 };
        m.sw += w;
        m.sx += w * x;
        m.sy += w * y;
        m.st += w * tr;
        merged.set(key, m);
      }
    }
  }
  const releases: Release[] = [];
  let outsideWind = 0;
  const probe = new Float64Array(2);
  for (const k of [...merged.keys()].sort()) {
    const m = merged.get(k)!;
    const r = { lng: m.sx / m.sw, lat: m.sy / m.sw, time: m.st / m.sw, weight: m.sw, salt: hash32(k) };
    if (wind.sample(r.lng, r.lat, r.time, probe) !== WIND_OK) outsideWind++;
    else releases.push(r);
  }

  // Per member: first arrival per station, hourly exposure per station, cell arrivals and exposures.
  const S = stations.length;
  const nHour = Math.round(hMax);
  const first = new Float64Array(M * S).fill(Infinity);
  const expo = new Float64Array(M * S * Math.max(1, nHour));
  const sx = Float64Array.from({ length: S }, (_, s) => stations.lng[s] as number);
  const sy = Float64Array.from({ length: S }, (_, s) => stations.lat[s] as number);
  for (let s = 0; s < S; s++) {
    if (!Number.isFinite(sx[s]) || !Number.isFinite(sy[s])) throw argError(`inputs.stations[${s}]`, { lng: sx[s], lat: sy[s] }, 'finite coordinates');
  }
  const cellFirst = new Map<string, Float64Array>();
  const cellExpo = new Map<string, Float64Array>();
  const edgeKm = getHexagonEdgeLengthAvg(res, UNITS.km);
  const nH = okH.length;
  const tau = kernel.tau * HOUR_MS;
  const tcut = kernel.tcut * tau;
  for (let r = 0; r < releases.length; r++) {
    const rel = releases[r] as Release;
    const hours = (tTrace - rel.time) / HOUR_MS;
    if (!(hours > 0)) continue;
    const start = { lng: rel.lng, lat: rel.lat, time: rel.time };
    const set: TrajectorySetResult =
      ensKind === 'offset'
        ? traceEnsemble(wind, start, { hours, direction: 'forward', members: 'offset', offsetDeg })
        : traceEnsemble(wind, start, { hours, direction: 'forward', members: 'random-walk', count: M, seed: (seed * 1_000_003 + rel.salt) % 2147483647 });
    for (let j = 0; j < set.length; j++) {
      const m = set.member[j] as number;
      const a = set.offsets[j] as number;
      const b = set.offsets[j + 1] as number;
      passages(set, a, b, m, S, sx, sy, radiusKm, issueTime, first);
      exposures(set, a, b, m, S, sx, sy, rel.weight, kernel, issueTime, nHour, tau, tcut, expo);
      if (wantCells) cellPass(set, a, b, m, M, res, edgeKm, rel.weight, kernel.loss, kernel.hours, issueTime, okH, cellFirst, cellExpo);
    }
  }

  // Stations.
  const scale = cal.scale;
  if (byIncrement) {
    // Arrival = the end of the first hour whose increment reaches the threshold.
    first.fill(Infinity);
    const lim = (minInc as number) / (scale as number);
    for (let m = 0; m < M; m++) {
      for (let s = 0; s < S; s++) {
        const row = (m * S + s) * nHour;
        for (let q = 0; q < nHour; q++) {
          if ((expo[row + q] as number) >= lim) {
            first[m * S + s] = issueTime + (q + 1) * HOUR_MS;
            break;
          }
        }
      }
    }
  }
  const stationOut: StationForecast[] = [];
  for (let s = 0; s < S; s++) {
    const hz: StationHorizonForecast[] = horizons.map((h) => {
      if (h.status !== 'ok') return { hours: h.hours, status: h.status, probability: null, arrival: null, earliestArrival: null, exposure: null };
      const arr: number[] = [];
      for (let m = 0; m < M; m++) {
        const t = first[m * S + s] as number;
        if (t <= h.end) arr.push(t);
      }
      arr.sort((x, y) => x - y);
      const nh = Math.round(h.hours);
      const memberMean = new Float64Array(M);
      const hourly = new Float64Array(nh);
      for (let m = 0; m < M; m++) {
        let sum = 0;
        for (let q = 0; q < nh; q++) {
          const e = expo[(m * S + s) * nHour + q] as number;
          sum += e;
          hourly[q] = (hourly[q] as number) + e / M;
        }
        memberMean[m] = nh ? sum / nh : 0;
      }
      let mean = 0;
      for (let m = 0; m < M; m++) mean += (memberMean[m] as number) / M;
      const out: StationHorizonForecast = {
        hours: h.hours,
        status: 'ok',
        probability: arr.length / M,
        arrival: arr.length ? quantile7(arr, 0.5) : null,
        earliestArrival: arr.length ? (arr[0] as number) : null,
        exposure: mean,
      };
      if (scale !== null) {
        let peak = 0;
        let peakQ = -1;
        for (let q = 0; q < nh; q++) if ((hourly[q] as number) > peak) [peak, peakQ] = [hourly[q] as number, q];
        out.increment = {
          mean: scale * mean,
          low: scale * quantile7(memberMean, 0.1),
          high: scale * quantile7(memberMean, 0.9),
          peak: scale * peak,
          peakTime: peakQ >= 0 ? issueTime + (peakQ + 1) * HOUR_MS : null,
        };
      }
      return out;
    });
    stationOut.push({ station: stations.id[s] as string, lng: sx[s] as number, lat: sy[s] as number, horizons: hz });
  }

  // Cells: a member reaches a cell when its path passes within k rings (k·√3·edge ≤ radius) of it.
  let cells: ForecastCells | null = null;
  if (wantCells && nH > 0) {
    const k = Math.max(0, Math.floor(radiusKm / (Math.sqrt(3) * edgeKm)));
    const reach = new Map<string, Float64Array>();
    for (const [c, f] of cellFirst) {
      for (const d of k > 0 ? gridDisk(c, k) : [c]) {
        let g = reach.get(d);
        if (!g) reach.set(d, (g = new Float64Array(M).fill(Infinity)));
        for (let m = 0; m < M; m++) if ((f[m] as number) < (g[m] as number)) g[m] = f[m] as number;
      }
    }
    const ids = [...reach.keys()].sort();
    const probability: Record<string, Float64Array> = {};
    const exposure: Record<string, Float64Array> = {};
    okH.forEach((h, hi) => {
      const p = new Float64Array(ids.length);
      const e = new Float64Array(ids.length);
      let max = 0;
      ids.forEach((c, i) => {
        const g = reach.get(c)!;
        let n = 0;
        for (let m = 0; m < M; m++) if ((g[m] as number) <= h.end) n++;
        p[i] = n / M;
        const ex = cellExpo.get(c);
        let sum = 0;
        if (ex) for (let m = 0; m < M; m++) sum += ex[m * nH + hi] as number;
        e[i] = sum / M;
        if ((e[i] as number) > max) max = e[i] as number;
      });
      if (max > 0) for (let i = 0; i < e.length; i++) e[i] = (e[i] as number) / max;
      probability[String(h.hours)] = p;
      exposure[String(h.hours)] = e;
    });
    cells = { res, cells: ids, probability, exposure };
  }

  const status: ForecastResult['status'] =
    used.length === 0 ? 'no-hotspots' : okH.length === 0 ? 'insufficient-wind' : okH.length < horizons.length ? 'partial' : scale === null ? 'uncalibrated' : 'ok';
  const reason =
    status === 'no-hotspots'
      ? `no detection in the ${fromHours}-h window ${iso(winStart) ?? '?'}..${iso(issueTime) ?? '?'} (the file has ${hotspots.length} detection(s))`
      : status === 'insufficient-wind' || status === 'partial'
        ? horizons.filter((h) => h.status !== 'ok').map((h) => h.reason).join('; ')
        : status === 'uncalibrated'
          ? 'no calibrated scales given: probabilities and relative exposure only, no PM2.5 increment'
          : undefined;
  const provenance: ForecastProvenance = {
    issueTime: iso(issueTime) ?? String(issueTime),
    window: { start: iso(winStart) ?? String(winStart), end: iso(issueTime) ?? String(issueTime), hours: fromHours },
    hotspotsUsed: used.length,
    hotspotsInFile: hotspots.length,
    releases: releases.length,
    releasesSkipped: { beforeWind, outsideWind },
    wind: { kind: wind.kind, start: iso(w0), end: iso(w1) },
    ensemble: ensKind === 'offset' ? { kind: 'offset', members: 9, offsetDeg } : { kind: 'random-walk', members: M, seed },
    horizonCoverage: horizons.map((h) => ({ hours: h.hours, covered: h.status === 'ok' })),
    radiusKm,
    probabilityRule,
    sourceRes,
    emission: `daily persistence: each detection of the window released at its time and every 24 h after, weight FRP × 24/${fromHours} (missing FRP → median ${frpFill})`,
    calibration: { mode: cal.mode, fireScale: cal.scale, interval: cal.interval, background: cal.background },
  };
  const result: ForecastResult = {
    status,
    incrementStatus: scale === null ? 'uncalibrated' : 'calibrated',
    ...(reason !== undefined ? { reason } : {}),
    issueTime,
    horizons,
    stations: stationOut,
    cells,
    provenance,
    toJSON() {
      return forecastJson(result);
    },
  };
  return result;
}

/** Record the first passage (closest approach of the first within-radius run after the issue time) per station. */
function passages(set: TrajectorySetResult, a: number, b: number, m: number, S: number, sx: Float64Array, sy: Float64Array, radiusKm: number, t0: number, first: Float64Array): void {
  if (b - a < 1) return;
  // Trajectory box, to skip far stations.
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let p = a; p < b; p++) {
    const x = set.lng[p] as number;
    const y = set.lat[p] as number;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  const padLat = radiusKm / 111 + 0.01;
  const r2 = radiusKm * radiusKm;
  for (let s = 0; s < S; s++) {
    const px = sx[s] as number;
    const py = sy[s] as number;
    if (py < y0 - padLat || py > y1 + padLat) continue;
    const padLng = padLat / Math.max(0.05, Math.cos((py * Math.PI) / 180));
    if (x1 - x0 < 180 && (px < x0 - padLng || px > x1 + padLng)) continue;
    const cosLat = Math.cos((py * Math.PI) / 180);
    let inRun = false;
    let bestD = Infinity;
    let bestT = NaN;
    let found = NaN;
    const close = (): void => {
      if (inRun && bestT > t0 && !(found === found)) found = bestT;
      inRun = false;
      bestD = Infinity;
    };
    const segs = Math.max(1, b - a - 1);
    for (let q = 0; q < segs && found !== found; q++) {
      const p = a + q;
      const p2 = b - a > 1 ? p + 1 : p;
      // Local plane around the station, km.
      const ax = (((set.lng[p] as number) - px + 540) % 360 - 180) * cosLat * KM_PER_DEG;
      const ay = ((set.lat[p] as number) - py) * KM_PER_DEG;
      const bx = (((set.lng[p2] as number) - px + 540) % 360 - 180) * cosLat * KM_PER_DEG;
      const by = ((set.lat[p2] as number) - py) * KM_PER_DEG;
      const dx = bx - ax;
      const dy = by - ay;
      const L2 = dx * dx + dy * dy;
      let f = L2 > 0 ? -(ax * dx + ay * dy) / L2 : 0;
      if (f < 0) f = 0;
      else if (f > 1) f = 1;
      const cx = ax + f * dx;
      const cy = ay + f * dy;
      const d2 = cx * cx + cy * cy;
      if (d2 <= r2) {
        inRun = true;
        if (d2 < bestD) {
          bestD = d2;
          const ta = set.time[p] as number;
          bestT = ta + f * ((set.time[p2] as number) - ta);
        }
      } else close();
    }
    close();
    if (found === found && found < (first[m * S + s] as number)) first[m * S + s] = found;
  }
}

/** Attribution's kernel run forward: hourly exposure at each station (see docs/forecast.md, "Increment"). */
function exposures(
  set: TrajectorySetResult,
  a: number,
  b: number,
  m: number,
  S: number,
  sx: Float64Array,
  sy: Float64Array,
  weight: number,
  k: ReturnType<typeof resolveKernel>,
  t0: number,
  nHour: number,
  tau: number,
  tcut: number,
  expo: Float64Array,
): void {
  if (nHour === 0) return;
  const inv2tau2 = 1 / (2 * tau * tau);
  for (let p = a; p < b; p++) {
    const age = set.ageHours[p] as number;
    if (!(age <= k.hours)) continue;
    const pt = set.time[p] as number;
    if (pt + tcut <= t0) continue;
    const tPrev = p > a ? (set.time[p - 1] as number) : pt;
    const tNext = p + 1 < b ? (set.time[p + 1] as number) : pt;
    const dtH = Math.abs(tNext - tPrev) / 2 / HOUR_MS;
    if (!(dtH > 0)) continue;
    const sigma = Math.max(k.sigma0, k.rate * age);
    const cut2 = (k.cut * sigma) ** 2;
    const inv = 1 / (2 * sigma * sigma);
    const base = (weight * dtH) / (2 * Math.PI * sigma * sigma) * (k.loss > 0 ? Math.exp(-age * k.loss) : 1);
    const px = set.lng[p] as number;
    const py = set.lat[p] as number;
    const cosLat = Math.cos((py * Math.PI) / 180);
    const q0 = Math.max(0, Math.ceil((pt - tcut - t0) / HOUR_MS) - 1);
    const q1 = Math.min(nHour - 1, Math.floor((pt + tcut - t0) / HOUR_MS) - 1);
    if (q1 < q0) continue;
    for (let s = 0; s < S; s++) {
      const d2 = localDist2Km(px, py, sx[s] as number, sy[s] as number, cosLat);
      if (d2 > cut2) continue;
      const space = base * Math.exp(logSpace(k.shape, d2, inv));
      const row = (m * S + s) * nHour;
      for (let q = q0; q <= q1; q++) {
        const dt = t0 + (q + 1) * HOUR_MS - pt;
        if (dt > tcut || dt < -tcut) continue;
        expo[row + q] = (expo[row + q] as number) + space * Math.exp(-dt * dt * inv2tau2);
      }
    }
  }
}

/** Densify the path to one cell edge; record per cell the member's first passage after t0 and its exposure per horizon. */
function cellPass(
  set: TrajectorySetResult,
  a: number,
  b: number,
  m: number,
  M: number,
  res: number,
  edgeKm: number,
  weight: number,
  loss: number,
  maxAge: number,
  t0: number,
  okH: ForecastHorizon[],
  cellFirst: Map<string, Float64Array>,
  cellExpo: Map<string, Float64Array>,
): void {
  const nH = okH.length;
  const stepKm = edgeKm;
  const fast = fastPathVerified();
  const cur: { hi: number; lo: number; key: string; fi: Float64Array | null; ex: Float64Array | null } = { hi: -1, lo: -1, key: '', fi: null, ex: null };
  for (let p = a; p + 1 < b; p++) {
    const t1 = set.time[p + 1] as number;
    if (t1 <= t0) continue;
    const x0 = set.lng[p] as number;
    const y0 = set.lat[p] as number;
    let dxDeg = (set.lng[p + 1] as number) - x0;
    if (dxDeg > 180) dxDeg -= 360;
    else if (dxDeg < -180) dxDeg += 360;
    const dyDeg = (set.lat[p + 1] as number) - y0;
    const dist = Math.sqrt(localDist2Km(x0, y0, x0 + dxDeg, y0 + dyDeg, Math.cos((y0 * Math.PI) / 180)));
    const n = Math.max(1, Math.ceil(dist / stepKm));
    const ta = set.time[p] as number;
    const ageA = set.ageHours[p] as number;
    const ageB = set.ageHours[p + 1] as number;
    const dtH = (t1 - ta) / HOUR_MS / n;
    for (let i = 0; i < n; i++) {
      const f = (i + 0.5) / n;
      const t = ta + f * (t1 - ta);
      if (t <= t0) continue;
      const age = ageA + f * (ageB - ageA);
      let lng = x0 + f * dxDeg;
      if (lng >= 180) lng -= 360;
      else if (lng < -180) lng += 360;
      const lat = y0 + f * dyDeg;
      // Consecutive sub-points mostly share a cell: look the cell up only when it changes.
      let changed: boolean;
      if (fast && latLngToCellHiLo(lat, lng, res)) {
        changed = HI_LO[0] !== cur.hi || HI_LO[1] !== cur.lo;
        if (changed) {
          cur.hi = HI_LO[0] as number;
          cur.lo = HI_LO[1] as number;
          cur.key = hiLoToString(cur.hi, cur.lo);
        }
      } else {
        const key = latLngToCell(lat, lng, res);
        changed = key !== cur.key;
        cur.key = key;
      }
      if (changed || cur.fi === null) {
        let fi = cellFirst.get(cur.key);
        if (!fi) cellFirst.set(cur.key, (fi = new Float64Array(M).fill(Infinity)));
        cur.fi = fi;
        cur.ex = null;
      }
      const fi = cur.fi;
      if (t < (fi[m] as number)) fi[m] = t;
      if (age > maxAge) continue;
      const w = weight * dtH * (loss > 0 ? Math.exp(-age * loss) : 1);
      let ex = cur.ex;
      if (ex === null) {
        ex = cellExpo.get(cur.key) ?? null;
        if (!ex) cellExpo.set(cur.key, (ex = new Float64Array(M * nH)));
        cur.ex = ex;
      }
      for (let h = 0; h < nH; h++) if (t <= (okH[h] as ForecastHorizon).end) ex[m * nH + h] = (ex[m * nH + h] as number) + w;
    }
  }
}

function forecastJson(r: ForecastResult): Record<string, unknown> {
  const t = (x: number | null): string | null => (x === null ? null : iso(x));
  return {
    status: r.status,
    incrementStatus: r.incrementStatus,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    issueTime: t(r.issueTime),
    horizons: r.horizons.map((h) => ({ hours: h.hours, end: t(h.end), status: h.status, ...(h.reason ? { reason: h.reason } : {}) })),
    stations: r.stations.map((s) => ({
      station: s.station,
      lng: s.lng,
      lat: s.lat,
      horizons: s.horizons.map((h) => ({
        ...h,
        arrival: t(h.arrival),
        earliestArrival: t(h.earliestArrival),
        ...(h.increment ? { increment: { ...h.increment, peakTime: t(h.increment.peakTime) } } : {}),
      })),
    })),
    cells: r.cells ? { res: r.cells.res, count: r.cells.cells.length } : null,
    provenance: r.provenance,
  };
}

const r4 = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '' : String(Math.round(x * 1e4) / 1e4));

/**
 * The station forecast as CSV: one row per station and horizon (`station,lng,lat,horizon_h,status,probability,
 * arrival_utc,earliest_arrival_utc,exposure,increment_ugm3,increment_low,increment_high,peak_ugm3,peak_time_utc`);
 * increments empty when uncalibrated, numbers empty for an `insufficient-wind` horizon.
 *
 * @example
 * ```ts
 * import { forecastSmoke, forecastStationsToCsv } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const hotspots = { length: 1, lng: Float64Array.of(99), lat: Float64Array.of(18), time: Float64Array.of(0), frp: Float64Array.of(50) };
 * const stations = { length: 1, id: ['east'], lng: Float64Array.of(99.9), lat: Float64Array.of(18) };
 * forecastStationsToCsv(forecastSmoke({ hotspots, stations, wind: uniformWind({ u: 5, v: 0 }) }, { cells: false })).split('\n')[0]; // header
 * ```
 */
export function forecastStationsToCsv(r: ForecastResult): string {
  if (!r || !Array.isArray(r.stations)) throw argError('r', r, 'the result of forecastSmoke(...)');
  const lines = ['station,lng,lat,horizon_h,status,probability,arrival_utc,earliest_arrival_utc,exposure,increment_ugm3,increment_low,increment_high,peak_ugm3,peak_time_utc'];
  const t = (x: number | null | undefined): string => (x === null || x === undefined ? '' : (iso(x) ?? ''));
  const q = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const s of r.stations) {
    for (const h of s.horizons) {
      const i = h.increment;
      lines.push([q(s.station), r4(s.lng), r4(s.lat), h.hours, h.status, r4(h.probability), t(h.arrival), t(h.earliestArrival), h.exposure === null ? '' : String(Number(h.exposure.toPrecision(6))), r4(i?.mean), r4(i?.low), r4(i?.high), r4(i?.peak), t(i?.peakTime)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The cell forecast as a GeoJSON FeatureCollection of H3 hexagons with properties `cell`, `p<H>` (probability
 * within H hours) and `exposure<H>` (relative exposure, 0–1) for every forecast horizon.
 *
 * @example
 * ```ts
 * import { forecastSmoke, forecastCellsToGeoJson } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const hotspots = { length: 1, lng: Float64Array.of(99), lat: Float64Array.of(18), time: Float64Array.of(0), frp: Float64Array.of(50) };
 * const stations = { length: 1, id: ['east'], lng: Float64Array.of(99.9), lat: Float64Array.of(18) };
 * forecastCellsToGeoJson(forecastSmoke({ hotspots, stations, wind: uniformWind({ u: 5, v: 0 }) }, { horizons: [6] })).features.length; // > 0
 * ```
 */
export function forecastCellsToGeoJson(r: ForecastResult): { type: 'FeatureCollection'; features: object[] } {
  if (!r || !Array.isArray(r.stations)) throw argError('r', r, 'the result of forecastSmoke(...)');
  const features: object[] = [];
  const c = r.cells;
  if (c) {
    const keys = Object.keys(c.probability);
    c.cells.forEach((cell, i) => {
      const ring = cellToBoundary(cell, true).map(([x, y]) => [Math.round(x * 1e6) / 1e6, Math.round(y * 1e6) / 1e6]);
      if (ring.length && (ring[0]![0] !== ring[ring.length - 1]![0] || ring[0]![1] !== ring[ring.length - 1]![1])) ring.push([...ring[0]!]);
      const props: Record<string, unknown> = { cell };
      for (const k of keys) {
        props[`p${k}`] = Math.round(((c.probability[k] as Float64Array)[i] as number) * 1e4) / 1e4;
        props[`exposure${k}`] = Number(((c.exposure[k] as Float64Array)[i] as number).toPrecision(4));
      }
      features.push({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] }, properties: props });
    });
  }
  return { type: 'FeatureCollection', features };
}

