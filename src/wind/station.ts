/**
 * Wind interpolated from point observations (stations, or reanalysis time series at a few grid
 * points): linear in time at each site, then inverse-distance weighting in space on u and v
 * separately (docs/wind.md — interpolating speed and direction instead would average 350° and 10°
 * into 180°). Two sites make a coarse field: every place between and around them gets a weighted
 * mean of the two series, so use it for local context, not for long trajectories.
 */
import { HazetraceError, argError, checkPositive, showValue } from '../core/errors.js';
import { haversine, windToUV } from '../core/geodesy.js';
import { HOUR_MS, parseIsoUtc } from '../core/time.js';
import { upperBound } from '../core/stats.js';
import { WIND_LEFT_DOMAIN, WIND_NO_DATA, WIND_OK, WIND_TIME_RANGE } from '../core/types.js';
import type { RejectedRow, WindField, WindStatus } from '../core/types.js';
import { decodeText, parseCsvRows } from '../io/index.js';
import type { TextInput } from '../io/index.js';

/** Point wind observations in columns: `speed` + `direction` (FROM, degrees) or `u` + `v`. */
export interface WindObservations {
  site: ArrayLike<string>;
  lng: ArrayLike<number>;
  lat: ArrayLike<number>;
  /** UTC ms. */
  time: ArrayLike<number>;
  speed?: ArrayLike<number>;
  /** Meteorological direction the wind blows FROM, degrees. */
  direction?: ArrayLike<number>;
  u?: ArrayLike<number>;
  v?: ArrayLike<number>;
}

/** Options of {@link stationWind}. */
export interface StationWindOptions {
  /** Units of speed / u / v: `m/s` (default), `km/h` or `knots`. */
  units?: 'm/s' | 'km/h' | 'knots';
  /** IDW power (default 2). */
  power?: number;
  /** Longest gap between a site's observations bridged by linear interpolation, hours (default 3). */
  maxGapHours?: number;
  /** Farthest a sample may be from its nearest site, km (default Infinity: IDW everywhere). */
  maxDistanceKm?: number;
}

const UNIT: Record<string, number> = { 'm/s': 1, 'km/h': 1 / 3.6, knots: 1852 / 3600 };

interface Site {
  id: string;
  lng: number;
  lat: number;
  time: Float64Array;
  u: Float64Array;
  v: Float64Array;
}

/**
 * A wind field interpolated from station series. Built by {@link stationWind}.
 *
 * @example
 * ```ts
 * import { StationWindField, stationWind } from 'hazetrace/wind';
 * const f = stationWind({ site: ['a'], lng: [99], lat: [18], time: [0], u: [1], v: [2] });
 * f instanceof StationWindField; // true
 * f.sites.length; // 1
 * ```
 */
export class StationWindField implements WindField {
  readonly kind = 'station';
  readonly timeRange: readonly [number, number];
  readonly maxSpeed: number;
  readonly sites: readonly Site[];
  /** Observations left out (non-finite values, duplicate times), with their 1-based row. */
  readonly rejected: RejectedRow[];
  private readonly power: number;
  private readonly maxGapMs: number;
  private readonly maxDistM: number;
  private readonly hints: Int32Array;

  constructor(sites: Site[], rejected: RejectedRow[], power: number, maxGapMs: number, maxDistM: number) {
    this.sites = sites;
    this.rejected = rejected;
    this.power = power;
    this.maxGapMs = maxGapMs;
    this.maxDistM = maxDistM;
    this.hints = new Int32Array(sites.length);
    let lo = Infinity;
    let hi = -Infinity;
    let m = 0;
    for (const s of sites) {
      lo = Math.min(lo, s.time[0]!);
      hi = Math.max(hi, s.time[s.time.length - 1]!);
      for (let i = 0; i < s.u.length; i++) m = Math.max(m, Math.hypot(s.u[i]!, s.v[i]!));
    }
    this.timeRange = [lo, hi];
    this.maxSpeed = m;
  }

  sample(lng: number, lat: number, time: number, out: Float64Array): WindStatus {
    if (!(time >= this.timeRange[0] && time <= this.timeRange[1])) return WIND_TIME_RANGE;
    if (!(lat >= -90 && lat <= 90) || !Number.isFinite(lng)) return WIND_LEFT_DOMAIN;
    let sw = 0;
    let su = 0;
    let sv = 0;
    let nearest = Infinity;
    let covered = false;
    const sites = this.sites;
    for (let k = 0; k < sites.length; k++) {
      const s = sites[k]!;
      const t = s.time;
      const n = t.length;
      if (!(time >= t[0]! && time <= t[n - 1]!)) continue;
      covered = true;
      let i = this.hints[k]!;
      if (!(i < n - 1 && time >= t[i]! && time <= t[i + 1]!)) {
        // last frame at or before the time, within [0, n − 2]
        i = upperBound(t, time, 1, n - 1) - 1;
        this.hints[k] = i;
      }
      let u: number;
      let v: number;
      if (n === 1 || time === t[i]) {
        u = s.u[i]!;
        v = s.v[i]!;
      } else {
        const dt = t[i + 1]! - t[i]!;
        if (dt > this.maxGapMs) continue;
        const f = (time - t[i]!) / dt;
        u = s.u[i]! + f * (s.u[i + 1]! - s.u[i]!);
        v = s.v[i]! + f * (s.v[i + 1]! - s.v[i]!);
      }
      const d = haversine(lng, lat, s.lng, s.lat);
      if (d < nearest) nearest = d;
      if (d < 1) {
        // On a site: IDW's limit is that site's value.
        out[0] = u;
        out[1] = v;
        return WIND_OK;
      }
      const w = 1 / Math.pow(d, this.power);
      sw += w;
      su += w * u;
      sv += w * v;
    }
    if (!covered) return WIND_TIME_RANGE;
    if (sw === 0) return WIND_NO_DATA;
    if (nearest > this.maxDistM) return WIND_LEFT_DOMAIN;
    out[0] = su / sw;
    out[1] = sv / sw;
    return WIND_OK;
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      sites: this.sites.map((s) => ({ id: s.id, lng: s.lng, lat: s.lat, observations: s.time.length })),
      timeRange: this.timeRange,
      maxSpeed: this.maxSpeed,
      rejected: this.rejected.length,
    };
  }
}

/**
 * Wind from point observations: linear in time per site (gaps longer than `maxGapHours` are
 * not bridged → `no-data`), IDW in space on u and v separately; a time outside every site's
 * coverage → `time-range`. Units are converted to m/s. Observations with non-finite values are
 * left out and listed in `field.rejected`.
 *
 * @example
 * ```ts
 * import { stationWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22, 0);
 * const f = stationWind({
 *   site: ['cm', 'cm', 'cr', 'cr'], lng: [99.03, 99.03, 99.8, 99.8], lat: [18.8, 18.8, 19.93, 19.93],
 *   time: [t0, t0 + 3600e3, t0, t0 + 3600e3], speed: [10, 10, 20, 20], direction: [90, 90, 90, 90],
 * }, { units: 'km/h' });
 * const out = new Float64Array(2);
 * f.sample(99.03, 18.8, t0 + 1800e3, out); // 0 (ok); out[0] ≈ -2.78 m/s (10 km/h from the east)
 * ```
 */
export function stationWind(observations: WindObservations, options: StationWindOptions = {}): StationWindField {
  const o = observations;
  if (o === null || typeof o !== 'object') throw argError('observations', o, 'columns { site, lng, lat, time, speed, direction } or { ..., u, v }');
  const unitName = options.units ?? 'm/s';
  const unit = UNIT[unitName];
  if (unit === undefined) throw argError('units', unitName, '"m/s", "km/h" or "knots"');
  const power = options.power === undefined ? 2 : checkPositive('power', options.power);
  const maxGap = options.maxGapHours === undefined ? 3 : checkPositive('maxGapHours', options.maxGapHours, true);
  const maxDist = options.maxDistanceKm === undefined ? Infinity : checkPositive('maxDistanceKm', options.maxDistanceKm);
  const useUV = o.u !== undefined || o.v !== undefined;
  const n = o.site?.length;
  if (typeof n !== 'number') throw argError('observations.site', o.site, 'an array of site ids');
  const cols: [string, ArrayLike<number> | undefined][] = useUV
    ? [['lng', o.lng], ['lat', o.lat], ['time', o.time], ['u', o.u], ['v', o.v]]
    : [['lng', o.lng], ['lat', o.lat], ['time', o.time], ['speed', o.speed], ['direction', o.direction]];
  for (const [name, c] of cols) {
    if (c === undefined || c === null || typeof c.length !== 'number') throw argError(`observations.${name}`, c, 'an array of numbers');
    if (c.length !== n) {
      throw new HazetraceError('E_ARG', `observations.${name} has length ${c.length} but observations.site has ${n}`, { argument: `observations.${name}` });
    }
  }
  const rejected: RejectedRow[] = [];
  const bySite = new Map<string, { lng: number; lat: number; rows: number[] }>();
  const U = new Float64Array(n);
  const V = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const id = String(o.site[i]);
    const lng = o.lng[i]!;
    const lat = o.lat[i]!;
    const t = o.time[i]!;
    let u: number;
    let v: number;
    if (useUV) {
      u = o.u![i]! * unit;
      v = o.v![i]! * unit;
    } else {
      const s = o.speed![i]!;
      const d = o.direction![i]!;
      if (s < 0) {
        rejected.push({ row: i + 1, column: 'speed', code: 'E_NUMBER', message: `negative wind speed ${s}` });
        continue;
      }
      [u, v] = windToUV(s * unit, d);
    }
    if (!(lat >= -90 && lat <= 90) || !Number.isFinite(lng)) {
      rejected.push({ row: i + 1, column: 'lng/lat', code: 'E_COORD', message: `bad site position ${showValue(lng)}, ${showValue(lat)}` });
      continue;
    }
    if (!Number.isFinite(t)) {
      rejected.push({ row: i + 1, column: 'time', code: 'E_DATE', message: `time must be finite UTC ms, got ${showValue(t)}` });
      continue;
    }
    if (!Number.isFinite(u) || !Number.isFinite(v)) {
      rejected.push({ row: i + 1, column: useUV ? 'u/v' : 'speed/direction', code: 'E_NUMBER', message: 'wind value missing or not a number' });
      continue;
    }
    U[i] = u;
    V[i] = v;
    let s = bySite.get(id);
    if (!s) bySite.set(id, (s = { lng, lat, rows: [] }));
    else if (Math.abs(s.lng - lng) > 1e-6 || Math.abs(s.lat - lat) > 1e-6) {
      rejected.push({ row: i + 1, column: 'lng/lat', code: 'E_SITE', message: `site ${showValue(id)} moved from ${s.lng},${s.lat} to ${lng},${lat}` });
      continue;
    }
    s.rows.push(i);
  }
  const sites: Site[] = [];
  for (const [id, s] of bySite) {
    s.rows.sort((a, b) => o.time[a]! - o.time[b]!);
    const keep: number[] = [];
    for (const r of s.rows) {
      if (keep.length > 0 && o.time[keep[keep.length - 1]!] === o.time[r]) {
        rejected.push({ row: r + 1, column: 'time', code: 'E_DUPLICATE', message: `second observation for site ${showValue(id)} at the same time` });
        continue;
      }
      keep.push(r);
    }
    sites.push({
      id,
      lng: s.lng,
      lat: s.lat,
      time: Float64Array.from(keep, (r) => o.time[r]!),
      u: Float64Array.from(keep, (r) => U[r]!),
      v: Float64Array.from(keep, (r) => V[r]!),
    });
  }
  if (sites.length === 0) throw new HazetraceError('E_INPUT', `stationWind needs at least one valid observation, got ${n} rows, ${rejected.length} rejected`, { rejected: rejected.length });
  rejected.sort((a, b) => a.row - b.row);
  return new StationWindField(sites, rejected, power, maxGap * HOUR_MS, maxDist * 1000);
}

/** What {@link readWindCsv} returns. */
export interface WindCsvResult {
  observations: WindObservations & { length: number };
  rejected: RejectedRow[];
}

const CANDIDATES = {
  site: ['site_id', 'site', 'station', 'station_id', 'id'],
  lat: ['lat', 'latitude'],
  lng: ['lon', 'lng', 'longitude'],
  time: ['time_utc', 'time', 'datetime', 'date_time'],
  speed: ['wind_speed_ms', 'wind_speed', 'speed', 'ws'],
  direction: ['wind_dir_deg_from', 'wind_direction', 'direction', 'wd'],
  u: ['u', 'u10'],
  v: ['v', 'v10'],
} as const;

/**
 * Read long-form wind observations CSV (one row per site and time), e.g. the shared hourly
 * Open-Meteo/ERA5 files: `site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from,...`. Also
 * accepts `u`,`v` columns instead of speed/direction. Times are ISO (a time without a zone is UTC).
 * Bad rows are returned in `rejected`; accepted + rejected = data rows.
 *
 * @example
 * ```ts
 * import { readWindCsv, stationWind } from 'hazetrace/wind';
 * const { observations, rejected } = readWindCsv('site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from\ncm,18.8,99.03,2025-04-22T00:00:00Z,1.5,340\n');
 * const field = stationWind(observations);
 * ```
 */
export function readWindCsv(input: TextInput): WindCsvResult {
  const rows = parseCsvRows(decodeText(input, 'wind CSV'));
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const col = (names: readonly string[]): number => header.findIndex((h) => names.includes(h));
  const ci = {
    site: col(CANDIDATES.site),
    lat: col(CANDIDATES.lat),
    lng: col(CANDIDATES.lng),
    time: col(CANDIDATES.time),
    speed: col(CANDIDATES.speed),
    direction: col(CANDIDATES.direction),
    u: col(CANDIDATES.u),
    v: col(CANDIDATES.v),
  };
  const useUV = ci.speed < 0 && ci.u >= 0 && ci.v >= 0;
  const need = useUV ? (['site', 'lat', 'lng', 'time', 'u', 'v'] as const) : (['site', 'lat', 'lng', 'time', 'speed', 'direction'] as const);
  const missing = need.filter((k) => ci[k] < 0);
  if (missing.length > 0) {
    throw new HazetraceError('E_COLUMNS', `wind CSV is missing column(s) ${missing.join(', ')} (accepted names: ${missing.map((k) => CANDIDATES[k].join('/')).join('; ')}); header: ${header.join(',')}`, {
      missing,
    });
  }
  const site: string[] = [];
  const lng: number[] = [];
  const lat: number[] = [];
  const time: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const rejected: RejectedRow[] = [];
  const numAt = (r: string[], i: number): number => {
    const s = (r[i] ?? '').trim();
    return s === '' ? NaN : Number(s);
  };
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.length === 1 && r[0]!.trim() === '') continue; // blank line
    const row = i;
    if (r.length < header.length) {
      rejected.push({ row, code: 'E_COLUMNS', message: `expected ${header.length} fields, got ${r.length}` });
      continue;
    }
    const t = parseIsoUtc(r[ci.time]!);
    if (!Number.isFinite(t)) {
      rejected.push({ row, column: header[ci.time]!, code: 'E_DATE', message: `bad time ${showValue(r[ci.time])}` });
      continue;
    }
    const x = numAt(r, ci.lng);
    const y = numAt(r, ci.lat);
    if (!(y >= -90 && y <= 90) || !(x >= -180 && x <= 360)) {
      rejected.push({ row, column: 'lat/lon', code: 'E_COORD', message: `bad position lat ${showValue(r[ci.lat])}, lon ${showValue(r[ci.lng])}` });
      continue;
    }
    const p = numAt(r, useUV ? ci.u : ci.speed);
    const q = numAt(r, useUV ? ci.v : ci.direction);
    if (!Number.isFinite(p) || !Number.isFinite(q) || (!useUV && p < 0)) {
      rejected.push({ row, column: useUV ? 'u/v' : 'speed/direction', code: 'E_NUMBER', message: `bad wind ${showValue(r[useUV ? ci.u : ci.speed])}, ${showValue(r[useUV ? ci.v : ci.direction])}` });
      continue;
    }
    site.push(r[ci.site]!.trim());
    lng.push(x);
    lat.push(y);
    time.push(t);
    a.push(p);
    b.push(q);
  }
  const base = { length: site.length, site, lng: Float64Array.from(lng), lat: Float64Array.from(lat), time: Float64Array.from(time) };
  const observations = useUV ? { ...base, u: Float64Array.from(a), v: Float64Array.from(b) } : { ...base, speed: Float64Array.from(a), direction: Float64Array.from(b) };
  return { observations, rejected };
}
