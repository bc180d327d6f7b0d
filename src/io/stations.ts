/**
 * Station readers: PM2.5 (or any) time series in long or wide CSV, and station metadata.
 *
 * Time convention (what `series.time` holds, UTC epoch ms):
 * - Rows with a clock time (hourly data): the END of the averaging hour, in UTC. Thai PCD / Air4Thai
 *   label an hourly value with the end of its hour (the 01:00 value averages 00:00–01:00 local), so with
 *   the default `hourLabel: 'end'` the stored time is the label itself converted to UTC
 *   (`2026-01-01 01:00` at +07:00 → `2025-12-31T18:00Z`). With `hourLabel: 'start'` the label marks the
 *   start, and the stored time is label + 1 h (so both conventions land on the same instant).
 *   A date-time with its own zone (`2025-01-01T00:00:00Z`) uses that zone instead of `utcOffset`.
 * - Rows with a date only (daily data, e.g. PCD 24-h means): local midnight at the START of the day,
 *   in UTC (`2025-01-01` at +07:00 → `2024-12-31T17:00Z`); `hourLabel` does not apply.
 * The result's `timeBasis` says which of the two applies (`'hour-end'` or `'day-start'`).
 */
import { HazetraceError, showValue } from '../core/errors.js';
import { HOUR_MS, parseClockMinutes, parseDateParts, parseIsoUtc, parseUtcOffset } from '../core/time.js';
import type { RejectedRow, StationSeries, Stations } from '../core/types.js';
import { F64Column, Interner, csvJob, findColumn, missingColumns, runCsvText, type CsvReaderJob, type CsvRecord } from './csv.js';
import { columnarToJSON } from './json.js';
import type { TextInput } from './text.js';

/** Options for {@link readStationSeriesCsv}. */
export interface StationSeriesOptions {
  /** Offset of the local clock the file is written in. Default `'+07:00'` (Thailand, no DST). */
  utcOffset?: string | number;
  /** `'long'` (station, date, [time], values…), `'wide'` (date, [time], one column per station) or `'auto'` (default: long when a station column exists). */
  format?: 'long' | 'wide' | 'auto';
  /** Station id column (long). Default: first of station_id, station, stationid, site_id, site, id. */
  stationColumn?: string;
  /** Date (or date-time) column. Default: first of date_local, date, datetime_local, datetime, date_time, time_utc, timestamp. */
  dateColumn?: string;
  /** Clock-time column, or `null` for none. Default: first of time_local, time, hour (when present). */
  timeColumn?: string | null;
  /** Value columns (long). Default: every other column whose first data row is numeric or a missing code (coordinates excluded). */
  valueColumns?: string[];
  /** Cell texts that mean "no value" (become NaN). Default `['', 'N/A', 'NA', '-1', '-999']`; numeric codes also match `-1.0`. */
  missingValues?: string[];
  /** Whether an hourly label marks the `'end'` (default) or `'start'` of its hour. See the module comment. */
  hourLabel?: 'end' | 'start';
  /** Name of the value column in wide format. Default `'value'`. */
  valueName?: string;
}

/**
 * Counts that add up: `rows = accepted + duplicates + rejected`.
 * - `rows`: data records read (long: data rows; wide: data rows × station columns), blank lines excluded.
 * - `accepted`: records in `series` (= `series.length`), including ones whose values are all missing.
 * - `duplicates`: records whose station + time was already seen; the later record's values replace the
 *   earlier ones (kept at the earlier position), so the last one wins.
 * - `rejected`: records not accepted (= `rejected.length`).
 * - `missingValues[col]`: NaN cells of `col` in `series`; `allMissing`: accepted records whose every
 *   value is missing (so `accepted - allMissing + allMissing + duplicates + rejected = rows`).
 */
export interface StationSeriesStats {
  rows: number;
  accepted: number;
  missingValues: Record<string, number>;
  allMissing: number;
  duplicates: number;
  rejected: number;
}

/** What {@link readStationSeriesCsv} returns. */
export interface StationSeriesResult {
  series: StationSeries;
  rejected: RejectedRow[];
  stats: StationSeriesStats;
  /** `'hour-end'`: times are ends of hours (UTC); `'day-start'`: local midnights starting each day (UTC). */
  timeBasis: 'hour-end' | 'day-start';
  format: 'long' | 'wide';
  toJSON(): unknown;
}

const STATION_NAMES = ['station_id', 'station', 'stationid', 'site_id', 'site', 'id'];
const DATE_NAMES = ['date_local', 'date', 'datetime_local', 'datetime', 'date_time', 'time_utc', 'timestamp'];
const TIME_NAMES = ['time_local', 'time', 'hour'];
const COORD_NAMES = new Set(['lat', 'latitude', 'lon', 'long', 'lng', 'longitude', 'x', 'y', 'elevation', 'height_m']);
const DEFAULT_MISSING = ['', 'N/A', 'NA', '-1', '-999'];

/** Recognises missing-value codes by text and, for numeric codes, by value. */
class MissingCodes {
  private readonly text: Set<string>;
  private readonly nums: Set<number>;
  constructor(codes: readonly string[]) {
    this.text = new Set(codes.map((c) => c.trim()));
    this.nums = new Set(codes.map((c) => Number(c.trim())).filter((v, i) => codes[i]!.trim() !== '' && Number.isFinite(v)));
  }
  has(raw: string, value: number): boolean {
    return this.text.has(raw) || (!Number.isNaN(value) && this.nums.has(value));
  }
}

/** Builds a StationSeries from rows (CSV records). @internal */
export class StationSeriesBuilder {
  private format: 'long' | 'wide' = 'long';
  private names: string[] = [];
  private stationIdx = -1;
  private dateIdx = -1;
  private timeIdx = -1;
  private valueIdx: number[] = [];
  private valueNames: string[] = [];
  private wideStations: string[] = [];
  private decided = false;
  private readonly offsetMin: number;
  private readonly missing: MissingCodes;
  private readonly station: string[] = [];
  private readonly time = new F64Column();
  private values: F64Column[] = [];
  private readonly index = new Map<string, number>();
  private readonly intern = new Interner();
  private readonly dateCache = new Map<string, number>();
  readonly rejected: RejectedRow[] = [];
  rows = 0;
  duplicates = 0;
  private sawClock = false;
  private reserved = 0;
  private sawDateOnly = false;

  constructor(private readonly opts: StationSeriesOptions) {
    this.offsetMin = parseUtcOffset(opts.utcOffset ?? '+07:00');
    if (opts.format !== undefined && !['long', 'wide', 'auto'].includes(opts.format)) throw argErr('format', opts.format, '"long", "wide" or "auto"');
    if (opts.hourLabel !== undefined && opts.hourLabel !== 'end' && opts.hourLabel !== 'start') throw argErr('hourLabel', opts.hourLabel, '"end" or "start"');
    if (opts.missingValues !== undefined && !(Array.isArray(opts.missingValues) && opts.missingValues.every((s) => typeof s === 'string'))) {
      throw argErr('missingValues', opts.missingValues, 'an array of strings');
    }
    this.missing = new MissingCodes(opts.missingValues ?? DEFAULT_MISSING);
  }

  private col(name: string | undefined, candidates: string[], argument: string, names: string[]): number {
    if (name !== undefined) {
      const i = findColumn(names, [name]);
      if (i < 0) throw missingColumns(`station series (${argument})`, [name], names);
      return i;
    }
    return findColumn(names, candidates);
  }

  header(names: string[]): void {
    this.names = names;
    const o = this.opts;
    this.dateIdx = this.col(o.dateColumn, DATE_NAMES, 'dateColumn', names);
    if (this.dateIdx < 0) throw missingColumns('station series', ['date (one of ' + DATE_NAMES.join('/') + ')'], names);
    this.timeIdx = o.timeColumn === null ? -1 : this.col(o.timeColumn, TIME_NAMES.filter((t) => t !== names[this.dateIdx]!.toLowerCase()), 'timeColumn', names);
    if (this.timeIdx === this.dateIdx) this.timeIdx = -1;
    const stationIdx = o.format === 'wide' ? -1 : this.col(o.stationColumn, STATION_NAMES, 'stationColumn', names);
    this.format = o.format === 'long' || o.format === 'wide' ? o.format : stationIdx >= 0 ? 'long' : 'wide';
    if (this.format === 'long') {
      if (stationIdx < 0) throw missingColumns('station series (long format)', ['station_id'], names);
      this.stationIdx = stationIdx;
      if (o.valueColumns !== undefined) {
        if (!Array.isArray(o.valueColumns) || o.valueColumns.length === 0) throw argErr('valueColumns', o.valueColumns, 'a non-empty array of column names');
        const miss = o.valueColumns.filter((c) => findColumn(names, [c]) < 0);
        if (miss.length > 0) throw missingColumns('station series (valueColumns)', miss, names);
        this.setValues(o.valueColumns.map((c) => findColumn(names, [c])));
      }
    } else {
      const used = new Set([this.dateIdx, this.timeIdx]);
      const idx: number[] = [];
      for (let i = 0; i < names.length; i++) if (!used.has(i) && names[i] !== '') idx.push(i);
      if (idx.length === 0) throw missingColumns('station series (wide format)', ['one column per station'], names);
      this.valueIdx = idx;
      this.wideStations = idx.map((i) => names[i]!.trim().toLowerCase());
      this.valueNames = [o.valueName ?? 'value'];
      this.values = [new F64Column()];
      this.decided = true;
    }
  }

  /** Pre-size the columns (see CsvSink.reserve); wide rows expand into one record per station. */
  reserve(n: number): void {
    const records = this.format === 'wide' ? n * this.wideStations.length : n;
    this.time.reserve(records);
    this.reserved = records;
    for (const v of this.values) v.reserve(records);
  }

  private setValues(idx: number[]): void {
    this.valueIdx = idx;
    this.valueNames = idx.map((i) => this.names[i]!);
    this.values = idx.map(() => {
      const c = new F64Column();
      c.reserve(this.reserved);
      return c;
    });
    this.decided = true;
  }

  /** Default long-format value columns: numeric (or missing) in the first data row, coordinates excluded. */
  private decide(rec: CsvRecord): void {
    const idx: number[] = [];
    for (let i = 0; i < this.names.length; i++) {
      if (i === this.stationIdx || i === this.dateIdx || i === this.timeIdx) continue;
      if (COORD_NAMES.has(this.names[i]!.toLowerCase())) continue;
      const raw = rec.get(i).trim();
      if (this.missing.has(raw, NaN) || !Number.isNaN(rec.num(i))) idx.push(i);
    }
    if (idx.length === 0) throw missingColumns('station series (no numeric value column found; pass valueColumns)', ['value column'], this.names);
    this.setValues(idx);
  }

  /** UTC ms per the module's time convention, or NaN. */
  private timeOf(rec: CsvRecord): number {
    const d = rec.get(this.dateIdx).trim();
    const t = this.timeIdx >= 0 ? rec.get(this.timeIdx).trim() : '';
    const key = t === '' ? d : d + ' ' + t;
    let v = this.dateCache.get(key);
    if (v !== undefined) return v; // the flags below were set when the key was first computed
    v = this.computeTime(d, t);
    if (this.dateCache.size < 200_000) this.dateCache.set(key, v);
    return v;
  }

  private computeTime(d: string, t: string): number {
    const shift = this.opts.hourLabel === 'start' ? HOUR_MS : 0;
    const m = /^(\S+?)[T ](\S.*)$/.exec(d);
    if (m) {
      // A date-time in one cell. With its own zone, the zone wins; otherwise it is local time.
      if (t !== '') return NaN;
      this.sawClock = true;
      if (/(Z|[+-]\d{2}:?\d{2})$/i.test(d)) {
        const v = parseIsoUtc(d.replace(' ', 'T'));
        return Number.isNaN(v) ? NaN : v + shift;
      }
      return this.local(m[1]!, m[2]!, shift);
    }
    if (t === '') {
      this.sawDateOnly = true;
      const p = parseDateParts(d);
      return p ? Date.UTC(p[0], p[1] - 1, p[2]) - this.offsetMin * 60_000 : NaN;
    }
    this.sawClock = true;
    return this.local(d, t, shift);
  }

  private local(d: string, t: string, shift: number): number {
    const p = parseDateParts(d);
    const mins = parseClockMinutes(t);
    if (!p || Number.isNaN(mins)) return NaN;
    return Date.UTC(p[0], p[1] - 1, p[2]) + (mins - this.offsetMin) * 60_000 + shift;
  }

  private add(station: string, time: number, vals: number[]): void {
    const key = station + '\u0000' + time;
    const at = this.index.get(key);
    if (at !== undefined) {
      // Duplicate station + time: the last record wins, kept at the first one's position.
      this.duplicates++;
      for (let k = 0; k < vals.length; k++) this.values[k]!.data[at] = vals[k]!;
      return;
    }
    this.index.set(key, this.station.length);
    this.station.push(station);
    this.time.push(time);
    for (let k = 0; k < vals.length; k++) this.values[k]!.push(vals[k]!);
  }

  private reject(row: number, column: string, code: string, message: string): void {
    this.rejected.push({ row, column, code, message: `row ${row}: ${message}` });
  }

  /** Parse a value cell: NaN for a missing code, null (after rejecting) for garbage. */
  private value(rec: CsvRecord, i: number, row: number, column: string): number | null {
    const raw = rec.get(i).trim();
    const v = rec.num(i);
    if (this.missing.has(raw, v)) return NaN;
    if (Number.isNaN(v)) {
      this.reject(row, column, 'E_NUMBER', `${column} ${showValue(raw)} is not a number or a missing-value code`);
      return null;
    }
    return v;
  }

  row(rec: CsvRecord, row: number): void {
    if (!this.decided) this.decide(rec);
    const dateName = this.names[this.dateIdx]!;
    if (this.format === 'long') {
      this.rows++;
      const station = this.intern.get(rec.get(this.stationIdx).trim().toLowerCase());
      if (station === '') return this.reject(row, this.names[this.stationIdx]!, 'E_VALUE', 'station id is empty');
      const time = this.timeOf(rec);
      if (Number.isNaN(time)) return this.reject(row, dateName, 'E_DATE', `date/time ${showValue(rec.get(this.dateIdx) + (this.timeIdx >= 0 ? ' ' + rec.get(this.timeIdx) : ''))} is not a valid date and clock time`);
      const vals: number[] = [];
      for (let k = 0; k < this.valueIdx.length; k++) {
        const v = this.value(rec, this.valueIdx[k]!, row, this.valueNames[k]!);
        if (v === null) return;
        vals.push(v);
      }
      this.add(station, time, vals);
      return;
    }
    // Wide: one record per station column.
    const n = this.valueIdx.length;
    this.rows += n;
    const time = this.timeOf(rec);
    for (let k = 0; k < n; k++) {
      const st = this.wideStations[k]!;
      if (Number.isNaN(time)) {
        this.reject(row, this.names[this.valueIdx[k]!]!, 'E_DATE', `date/time ${showValue(rec.get(this.dateIdx))} is not a valid date (station ${st})`);
        continue;
      }
      const v = this.value(rec, this.valueIdx[k]!, row, this.names[this.valueIdx[k]!]!);
      if (v === null) continue;
      this.add(st, time, [v]);
    }
  }

  /** Account for records the CSV layer rejected (wrong field count, bad quoting). */
  tableRejected(list: RejectedRow[]): void {
    for (const r of list) {
      if (this.format === 'wide' && this.wideStations.length > 0) {
        this.rows += this.wideStations.length;
        for (let k = 0; k < this.wideStations.length; k++) this.rejected.push({ ...r, column: this.names[this.valueIdx[k]!]! });
      } else {
        this.rows++;
        this.rejected.push(r);
      }
    }
    this.rejected.sort((a, b) => a.row - b.row);
  }

  finish(): StationSeriesResult {
    const values: Record<string, Float64Array> = Object.create(null) as Record<string, Float64Array>;
    const missingValues: Record<string, number> = Object.create(null) as Record<string, number>;
    const len = this.station.length;
    const allMiss = new Uint8Array(len).fill(1);
    this.valueNames.forEach((name, k) => {
      const a = this.values[k]!.finish();
      values[name] = a;
      let m = 0;
      for (let i = 0; i < len; i++) {
        if (Number.isNaN(a[i]!)) m++;
        else allMiss[i] = 0;
      }
      missingValues[name] = m;
    });
    let allMissing = 0;
    if (this.valueNames.length > 0) for (let i = 0; i < len; i++) allMissing += allMiss[i]!;
    const series: StationSeries = { length: len, station: this.station, time: this.time.finish(), values };
    const stats: StationSeriesStats = {
      rows: this.rows,
      accepted: len,
      missingValues,
      allMissing,
      duplicates: this.duplicates,
      rejected: this.rejected.length,
    };
    const timeBasis = this.sawDateOnly && !this.sawClock ? 'day-start' : 'hour-end';
    const rejected = this.rejected;
    const format = this.format;
    return { series, rejected, stats, timeBasis, format, toJSON: () => ({ series: columnarToJSON(series), rejected, stats, timeBasis, format }) };
  }
}

function argErr(argument: string, value: unknown, expected: string): HazetraceError {
  return new HazetraceError('E_ARG', `${argument} must be ${expected}, got ${showValue(value)}`, { argument, value });
}

/**
 * Read station time series (PM2.5 and friends) from CSV, long or wide, into a columnar
 * {@link StationSeries}: station ids lower-cased (`35T` = `35t`), times in UTC per the module's time
 * convention (hourly: end of the hour; daily: start of the local day), missing-value codes → NaN
 * (counted), duplicate station + time → last wins (counted), CRLF and UTF-8 BOM accepted.
 * Bad rows are returned in `rejected` (`E_DATE`, `E_NUMBER`, `E_VALUE`, `E_COLUMNS`, `E_QUOTE`);
 * `stats` adds up (see {@link StationSeriesStats}).
 *
 * @example
 * ```ts
 * import { readStationSeriesCsv } from 'hazetrace/io';
 * const { series, stats } = readStationSeriesCsv(
 *   'station_id,date_local,time_local,pm25_ugm3\n35T,2026-01-01,01:00,39.0\n35t,2026-01-01,02:00,\n');
 * series.station; // ['35t', '35t']
 * new Date(series.time[0]!).toISOString(); // '2025-12-31T18:00:00.000Z' (end of the 00–01 local hour)
 * stats.missingValues.pm25_ugm3; // 1
 * ```
 */
export function readStationSeriesCsv(input: TextInput, options: StationSeriesOptions = {}): StationSeriesResult {
  return runCsvText(input, 'station series CSV', stationSeriesCsvJob(options));
}

/** The station series reader as a feedable job. @internal */
export function stationSeriesCsvJob(options: StationSeriesOptions = {}): CsvReaderJob<StationSeriesResult> {
  const b = new StationSeriesBuilder(options);
  return csvJob(b, (more) => {
    b.tableRejected(more);
    return b.finish();
  });
}

/** Options for {@link readStationsCsv}. */
export interface StationsOptions {
  idColumn?: string;
  nameColumn?: string;
  latColumn?: string;
  lngColumn?: string;
}

/** What {@link readStationsCsv} returns. */
export interface StationsResult {
  stations: Stations;
  /** `stations.length + rejected.length` = data rows. */
  rejected: RejectedRow[];
  toJSON(): unknown;
}

/** Builds Stations from rows. @internal */
export class StationsBuilder {
  private names: string[] = [];
  private id = -1;
  private name = -1;
  private lat = -1;
  private lng = -1;
  private extraIdx: number[] = [];
  private readonly out = { id: [] as string[], name: [] as string[], lng: new F64Column(), lat: new F64Column() };
  private extra: string[][] = [];
  private readonly seen = new Map<string, number>();
  readonly rejected: RejectedRow[] = [];
  constructor(private readonly opts: StationsOptions) {}

  header(names: string[]): void {
    this.names = names;
    const o = this.opts;
    const pick = (given: string | undefined, cands: string[]): number => findColumn(names, given !== undefined ? [given] : cands);
    this.id = pick(o.idColumn, ['station_id', 'id', 'stationid', 'station', 'code', 'site_id']);
    this.name = pick(o.nameColumn, ['name_en', 'name', 'station_name', 'name_th']);
    this.lat = pick(o.latColumn, ['lat', 'latitude', 'y']);
    this.lng = pick(o.lngColumn, ['lon', 'long', 'lng', 'longitude', 'x']);
    const missing: string[] = [];
    if (this.id < 0) missing.push(o.idColumn ?? 'station_id/id');
    if (this.lat < 0) missing.push(o.latColumn ?? 'lat/latitude');
    if (this.lng < 0) missing.push(o.lngColumn ?? 'lon/long/lng/longitude');
    if (missing.length > 0) throw missingColumns('stations CSV', missing, names);
    const used = new Set([this.id, this.name, this.lat, this.lng]);
    for (let i = 0; i < names.length; i++) if (!used.has(i)) this.extraIdx.push(i);
    this.extra = this.extraIdx.map(() => []);
  }

  row(rec: CsvRecord, row: number): void {
    const rej = (column: string, code: string, message: string): void => {
      this.rejected.push({ row, column, code, message: `row ${row}: ${message}` });
    };
    const id = rec.get(this.id).trim().toLowerCase();
    if (id === '') return rej(this.names[this.id]!, 'E_VALUE', 'station id is empty');
    const lat = rec.num(this.lat);
    const lng = rec.num(this.lng);
    if (!(lat >= -90 && lat <= 90)) return rej(this.names[this.lat]!, 'E_COORD', `station ${id}: latitude ${showValue(rec.get(this.lat))} is not a number in -90..90`);
    if (!(lng >= -180 && lng <= 180)) return rej(this.names[this.lng]!, 'E_COORD', `station ${id}: longitude ${showValue(rec.get(this.lng))} is not a number in -180..180`);
    const first = this.seen.get(id);
    if (first !== undefined) return rej(this.names[this.id]!, 'E_DUPLICATE', `station id ${showValue(id)} already defined on row ${first}; the first definition is kept`);
    this.seen.set(id, row);
    this.out.id.push(id);
    this.out.name.push(this.name >= 0 ? rec.get(this.name).trim() : '');
    this.out.lat.push(lat);
    this.out.lng.push(lng);
    this.extraIdx.forEach((c, k) => this.extra[k]!.push(rec.get(c)));
  }

  finish(more: RejectedRow[]): StationsResult {
    const extra: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    this.extraIdx.forEach((c, k) => (extra[this.names[c]!] = this.extra[k]!));
    const stations: Stations = {
      length: this.out.id.length,
      id: this.out.id,
      name: this.out.name,
      lng: this.out.lng.finish(),
      lat: this.out.lat.finish(),
      extra,
    };
    const rejected = [...this.rejected, ...more].sort((a, b) => a.row - b.row);
    return { stations, rejected, toJSON: () => ({ stations: columnarToJSON(stations), rejected }) };
  }
}

/**
 * Read station metadata (id, name, lat, lon) from CSV. Accepts the usual header variants
 * (`station_id`/`id`, `name_en`/`name`, `lat`/`latitude`, `lon`/`long`/`lng`/`longitude`); ids are
 * lower-cased; every other column is kept as text in `extra`. Rows without usable coordinates are
 * rejected with `E_COORD`, a repeated id with `E_DUPLICATE` (the first is kept).
 *
 * @example
 * ```ts
 * import { readStationsCsv } from 'hazetrace/io';
 * const { stations, rejected } = readStationsCsv('station_id,name_en,lat,long\r\n35T,Chiang Mai,18.84,98.97\r\n10T,Bangkok,,\r\n');
 * stations.id; // ['35t']
 * rejected[0]!.code; // 'E_COORD'
 * ```
 */
export function readStationsCsv(input: TextInput, options: StationsOptions = {}): StationsResult {
  return runCsvText(input, 'stations CSV', stationsCsvJob(options));
}

/** The stations reader as a feedable job. @internal */
export function stationsCsvJob(options: StationsOptions = {}): CsvReaderJob<StationsResult> {
  const b = new StationsBuilder(options);
  return csvJob(b, (more) => b.finish(more));
}
