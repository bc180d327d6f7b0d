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
import { PLAUSIBLE, isMissingCode, numberProblem, parseDecimal } from '../core/ranges.js';
import { SPEED_UNIT_MS, parseSpeedUnit, resolveSpeedUnit, speedUnitFromHeader, type SpeedUnit } from '../core/units.js';
import { upperBound } from '../core/stats.js';
import { WIND_LEFT_DOMAIN, WIND_NO_DATA, WIND_OK, WIND_TIME_RANGE } from '../core/types.js';
import type { RejectedRow, WindField, WindStatus } from '../core/types.js';
import { decodeText, parseCsvRows } from '../io/index.js';
import type { TextInput } from '../io/index.js';
import { checkArray } from '../core/check.js';

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
  /** Unit of `speed` or `u`/`v` when the reader knows it (readWindCsv sets it); `stationWind` converts from it. */
  speedUnit?: SpeedUnit;
  /** Source row of each observation (1-based CSV data row), used in rejections; default the 1-based index. */
  row?: ArrayLike<number>;
}

/** Options of {@link stationWind}. */
export interface StationWindOptions {
  /**
   * Units of speed / u / v: `m/s`, `km/h`, `knots` or `mph` (core/units.ts). Default: the observations'
   * `speedUnit` (set by readWindCsv), else `m/s`; contradicting the observations' own unit throws `E_ARG`.
   */
  units?: SpeedUnit;
  /** IDW power (default 2). */
  power?: number;
  /** Longest gap between a site's observations bridged by linear interpolation, hours (default 3). */
  maxGapHours?: number;
  /**
   * The field's extent: farthest a sample may be from its nearest reporting site, km (default
   * {@link DEFAULT_STATION_REACH_KM}, 500 km). Beyond it a sample returns `left-domain` and a trajectory stops
   * there, instead of carrying the stations' wind to places they say nothing about. `Infinity` restores IDW everywhere.
   */
  maxDistanceKm?: number;
}

/**
 * Default extent of a point-wind field, km from the nearest site (500 km): about the scale over which one
 * station's surface wind still says something about the flow (a synoptic feature's radius). See
 * `StationWindOptions.maxDistanceKm`.
 *
 * @example
 * ```ts
 * import { DEFAULT_STATION_REACH_KM } from 'hazetrace/wind';
 * DEFAULT_STATION_REACH_KM; // 500
 * ```
 */
export const DEFAULT_STATION_REACH_KM = 500;

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
  /** The field's extent: farthest a sample may be from its nearest site, km. */
  readonly maxDistanceKm: number;
  private readonly power: number;
  private readonly maxGapMs: number;
  private readonly maxDistM: number;
  private readonly hints: Int32Array;

  constructor(sites: Site[], rejected: RejectedRow[], power: number, maxGapMs: number, maxDistM: number) {
    checkArray('sites', sites);
    checkArray('rejected', rejected);
    this.sites = sites;
    this.rejected = rejected;
    this.power = power;
    this.maxGapMs = maxGapMs;
    this.maxDistM = maxDistM;
    this.maxDistanceKm = maxDistM / 1000;
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
      maxDistanceKm: this.maxDistanceKm,
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
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const own = o.speedUnit === undefined ? undefined : parseSpeedUnit(o.speedUnit, 'observations.speedUnit');
  const declared = options.units === undefined ? undefined : parseSpeedUnit(options.units, 'units');
  if (own !== undefined && declared !== undefined && own !== declared) {
    throw new HazetraceError('E_ARG', `units ${showValue(declared)} contradicts the observations' own unit ${showValue(own)} (set by the reader)`, { argument: 'units', value: declared });
  }
  const unit = SPEED_UNIT_MS[declared ?? own ?? 'm/s'];
  const power = options.power === undefined ? 2 : checkPositive('power', options.power);
  const maxGap = options.maxGapHours === undefined ? 3 : checkPositive('maxGapHours', options.maxGapHours, true);
  const maxDist =
    options.maxDistanceKm === undefined ? DEFAULT_STATION_REACH_KM : options.maxDistanceKm === Infinity ? Infinity : checkPositive('maxDistanceKm', options.maxDistanceKm);
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
  if (o.row !== undefined && (o.row === null || typeof o.row !== 'object' || o.row.length !== n)) {
    throw argError('observations.row', o.row, `an array of ${n} row numbers`);
  }
  const rowOf = (i: number): number => (o.row ? Number(o.row[i]) : i + 1);
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
        rejected.push({ row: rowOf(i), column: 'speed', code: 'E_NUMBER', message: `negative wind speed ${s}` });
        continue;
      }
      [u, v] = windToUV(s * unit, d);
    }
    if (!(lat >= -90 && lat <= 90) || !Number.isFinite(lng)) {
      rejected.push({ row: rowOf(i), column: 'lng/lat', code: 'E_COORD', message: `bad site position ${showValue(lng)}, ${showValue(lat)}` });
      continue;
    }
    if (!Number.isFinite(t)) {
      rejected.push({ row: rowOf(i), column: 'time', code: 'E_DATE', message: `time must be finite UTC ms, got ${showValue(t)}` });
      continue;
    }
    if (!Number.isFinite(u) || !Number.isFinite(v)) {
      rejected.push({ row: rowOf(i), column: useUV ? 'u/v' : 'speed/direction', code: 'E_NUMBER', message: 'wind value missing or not a number' });
      continue;
    }
    U[i] = u;
    V[i] = v;
    let s = bySite.get(id);
    if (!s) bySite.set(id, (s = { lng, lat, rows: [] }));
    else if (Math.abs(s.lng - lng) > 1e-6 || Math.abs(s.lat - lat) > 1e-6) {
      rejected.push({ row: rowOf(i), column: 'lng/lat', code: 'E_SITE', message: `site ${showValue(id)} moved from ${s.lng},${s.lat} to ${lng},${lat}` });
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
        rejected.push({ row: rowOf(r), column: 'time', code: 'E_DUPLICATE', message: `second observation for site ${showValue(id)} at the same time` });
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
  /** Accepted rows, values in the file's unit (`observations.speedUnit`); `row` holds each one's CSV data row. */
  observations: WindObservations & { length: number; speedUnit: SpeedUnit; row: Float64Array };
  /** Rows not accepted: 1-based CSV data row (header excluded), column, code and reason. */
  rejected: RejectedRow[];
  /** The unit speeds (or u/v) were read in: the declared `speedUnit`, else the header's hint, else m/s. */
  speedUnit: SpeedUnit;
}

/** Options of {@link readWindCsv}. */
export interface ReadWindCsvOptions {
  /**
   * Unit of the speed (or u/v) column: `m/s`, `km/h`, `knots` or `mph`. Default: what the header says
   * (`wind_speed_kmh`, `ws_kt`, `wind_speed (mph)`, `wind_speed_ms`), else m/s. Contradicting the header throws `E_ARG`.
   */
  speedUnit?: SpeedUnit;
}

const SPEED_PREFIXES = ['wind_speed', 'windspeed', 'wind speed', 'speed', 'ws', 'wspd', 'ff'];

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
 * accepts `u`,`v` columns instead of speed/direction, and a speed column named with its unit (`wind_speed_kmh`,
 * `wind_speed_kt`, `wind_speed_mph`). Strict: times are ISO dates that exist (a time without a zone is UTC;
 * `2025-02-30` is rejected, not rolled over), numbers are decimal and finite (`0x10`, `Infinity`, `1e400` are
 * rejected), missing-value codes (9999, -999, …) are rejected as missing, speeds must be 0–100 m/s after unit
 * conversion ({@link MAX_MS}) and directions 0–360°. Values are returned in the file's unit with
 * `speedUnit` set, so `stationWind` converts them. Bad rows are returned in `rejected` with their 1-based CSV data
 * row; accepted + rejected = data rows (blank lines aside).
 *
 * @example
 * ```ts
 * import { readWindCsv, stationWind } from 'hazetrace/wind';
 * const { observations, rejected } = readWindCsv('site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from\ncm,18.8,99.03,2025-04-22T00:00:00Z,1.5,340\n');
 * const field = stationWind(observations);
 * readWindCsv('site,lat,lon,time,wind_speed_kmh,wd\ncm,18.8,99.03,2025-02-30T00:00Z,36,90\n').rejected[0]!.row; // 1 (no 30 February)
 * ```
 */
export function readWindCsv(input: TextInput, options: ReadWindCsvOptions = {}): WindCsvResult {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { speedUnit }');
  const rows = parseCsvRows(decodeText(input, 'wind CSV'));
  const rawHeader = (rows[0] ?? []).map((h) => h.trim());
  const header = rawHeader.map((h) => h.toLowerCase());
  const col = (names: readonly string[]): number => header.findIndex((h) => names.includes(h));
  let speedCol = col(CANDIDATES.speed);
  if (speedCol < 0) {
    // a speed column named with its unit: wind_speed_kmh, ws_kt, "wind_speed (mph)"
    speedCol = header.findIndex((h) => SPEED_PREFIXES.some((p) => h.startsWith(p)) && speedUnitFromHeader(h));
  }
  const ci = {
    site: col(CANDIDATES.site),
    lat: col(CANDIDATES.lat),
    lng: col(CANDIDATES.lng),
    time: col(CANDIDATES.time),
    speed: speedCol,
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
  const MAX_MS = PLAUSIBLE.windSpeed.max;
  const speedUnit = resolveSpeedUnit(options.speedUnit, rawHeader[useUV ? ci.u : ci.speed]!);
  const toMs = SPEED_UNIT_MS[speedUnit];
  const site: string[] = [];
  const lng: number[] = [];
  const lat: number[] = [];
  const time: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  const rowNo: number[] = [];
  const rejected: RejectedRow[] = [];
  const pName = header[useUV ? ci.u : ci.speed]!;
  const qName = header[useUV ? ci.v : ci.direction]!;
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.length === 1 && r[0]!.trim() === '') continue; // blank line
    const row = i;
    if (r.length < header.length) {
      rejected.push({ row, code: 'E_COLUMNS', message: `expected ${header.length} fields, got ${r.length}` });
      continue;
    }
    const id = r[ci.site]!.trim();
    if (id === '') {
      rejected.push({ row, column: header[ci.site]!, code: 'E_SITE', message: 'empty site id' });
      continue;
    }
    const t = parseIsoUtc(r[ci.time]!);
    if (!Number.isFinite(t)) {
      rejected.push({ row, column: header[ci.time]!, code: 'E_DATE', message: `bad time ${showValue(r[ci.time])} (an ISO date and time that exists, e.g. 2025-04-22T06:00:00Z)` });
      continue;
    }
    const x = parseDecimal(r[ci.lng]!);
    const y = parseDecimal(r[ci.lat]!);
    if (!(y >= -90 && y <= 90) || !(x >= -180 && x <= 360)) {
      rejected.push({ row, column: 'lat/lon', code: 'E_COORD', message: `bad position lat ${showValue(r[ci.lat])}, lon ${showValue(r[ci.lng])}` });
      continue;
    }
    const pText = r[useUV ? ci.u : ci.speed]!;
    const qText = r[useUV ? ci.v : ci.direction]!;
    if (isMissingCode(pText) || isMissingCode(qText)) {
      const [bad, text] = isMissingCode(pText) ? [pName, pText] : [qName, qText];
      rejected.push({ row, column: bad, code: 'E_MISSING', message: text.trim() === '' ? 'wind value missing (empty cell)' : `missing-value code ${showValue(text.trim())}` });
      continue;
    }
    const p = parseDecimal(pText);
    const q = parseDecimal(qText);
    if (!Number.isFinite(p) || !Number.isFinite(q)) {
      const [bad, text] = !Number.isFinite(p) ? [pName, pText] : [qName, qText];
      rejected.push({ row, column: bad, code: 'E_NUMBER', message: `bad wind value: ${numberProblem(text) ?? 'not a decimal number'}` });
      continue;
    }
    if (useUV) {
      if (Math.abs(p * toMs) > MAX_MS || Math.abs(q * toMs) > MAX_MS) {
        rejected.push({ row, column: Math.abs(p * toMs) > MAX_MS ? pName : qName, code: 'E_RANGE', message: `wind component beyond ±${MAX_MS} m/s, the plausible wind speed (${p}, ${q} ${speedUnit})` });
        continue;
      }
    } else {
      if (!(p >= 0 && p * toMs <= MAX_MS)) {
        rejected.push({ row, column: pName, code: 'E_RANGE', message: `wind speed ${p} ${speedUnit} is outside 0–${MAX_MS} m/s` });
        continue;
      }
      if (!(q >= 0 && q <= 360)) {
        rejected.push({ row, column: qName, code: 'E_RANGE', message: `wind direction ${q} is outside 0–360 degrees` });
        continue;
      }
    }
    site.push(id);
    lng.push(x);
    lat.push(y);
    time.push(t);
    a.push(p);
    b.push(q);
    rowNo.push(row);
  }
  const base = { length: site.length, site, lng: Float64Array.from(lng), lat: Float64Array.from(lat), time: Float64Array.from(time), speedUnit, row: Float64Array.from(rowNo) };
  const observations = useUV ? { ...base, u: Float64Array.from(a), v: Float64Array.from(b) } : { ...base, speed: Float64Array.from(a), direction: Float64Array.from(b) };
  return { observations, rejected, speedUnit };
}

