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
 * The result's `timeBasis` says which of the two applies (`'hour-end'` or `'day-start'`), and `clock`
 * which clock the cells were read in (`'local'` at `utcOffset`, `'utc'`, `'zoned'`, or `'mixed'`).
 * - A date or time column whose name says UTC (`time_utc`, `date_utc`, `datetime_gmt`, `utc`) is read as
 *   UTC, not at `utcOffset`.
 * - An `hour` column holds whole hours 0–24 (`13` is 13:00, not 00:13); `HH:MM` is accepted there too.
 * - Dates are strict (no rollover); year-last slash dates need `dateOrder` (see `parseDateStrict`).
 */
import { HazetraceError, showValue } from '../core/errors.js';
import { HOUR_MS, checkDateOrder, parseClockMinutes, parseDateStrict, parseIsoUtc, parseUtcOffset, type DateOrder } from '../core/time.js';
import { MISSING_CODES, MissingCodeSet, PLAUSIBLE, numberProblem, quantityOfColumn, readCounts, type Quantity, type ReadCounts } from '../core/ranges.js';
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
  /** Value columns (long). Default: every column named for a known quantity (`pm25…`, `pm10…`) and every other column whose first data row is numeric or a missing code (coordinates excluded). */
  valueColumns?: string[];
  /**
   * Cell texts that mean "no value" (become NaN, counted in `stats.missingCodes`). Default: the shared
   * {@link MISSING_CODES} (`''`, `NA`, `N/A`, `NaN`, `null`, `-`, `--`, `9999`, `99999`, `-999`, `-9999`)
   * plus `-1` (Thai PCD files); numeric codes also match by value (`-999.0`).
   */
  missingValues?: string[];
  /** How to read year-last slash dates (`04/05/2025`): `'DMY'` or `'MDY'`. Default none: such rows are rejected as ambiguous (`E_DATE`). */
  dateOrder?: DateOrder;
  /**
   * What to do with a second record for the same station and time: `'last'` (default; the later values
   * replace the earlier, kept at the earlier position), `'first'` (the later record is dropped) or
   * `'reject'` (the later record is rejected, `E_DUPLICATE`). Every duplicate is counted in
   * `stats.duplicates`; those with different values are listed in `duplicates`.
   */
  duplicates?: 'last' | 'first' | 'reject';
  /**
   * Check value columns that name a quantity with a plausible range (PM2.5, PM10: see `PLAUSIBLE`);
   * a value outside it (negative PM2.5, 5000 µg/m³) rejects the record (`E_RANGE`). Default `true`.
   */
  checkRanges?: boolean;
  /** Whether an hourly label marks the `'end'` (default) or `'start'` of its hour. See the module comment. */
  hourLabel?: 'end' | 'start';
  /** Name of the value column in wide format. Default `'value'`. */
  valueName?: string;
  /**
   * Read only these stations' records (ids compared trimmed and lower-cased, as the result's ids). A record of
   * another station is skipped before its date and values are read: it is not a row of the result (`stats.rows`,
   * `counts`), only counted in `stats.otherStations`, so a worker that attributes one station of a season file holds
   * that station's rows, not the file's. A record whose station id is empty is still rejected (it may be one of
   * these). In wide format the other stations' columns are skipped. Default: every station.
   */
  stations?: string[];
}

/** A record whose station + time repeats an earlier one with different values. */
export interface DuplicateRecord {
  /** 1-based data row of the later record. */
  row: number;
  /** 1-based data row of the first record with that station + time. */
  firstRow: number;
  station: string;
  /** UTC epoch ms. */
  time: number;
  /** Which record's values are in `series`: per the `duplicates` option. */
  kept: 'first' | 'last';
  message: string;
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
  /** Duplicates whose values differ from the record they repeat (listed in the result's `duplicates`). */
  conflictingDuplicates: number;
  rejected: number;
  /** Missing-value cells per code as written (`{ '9999': 2, '': 5 }`), over accepted records. */
  missingCodes: Record<string, number>;
  /** Records of stations left out by the `stations` option (not part of `rows`); 0 without it. */
  otherStations: number;
}

/** What {@link readStationSeriesCsv} returns. */
export interface StationSeriesResult {
  series: StationSeries;
  rejected: RejectedRow[];
  stats: StationSeriesStats;
  /** `'hour-end'`: times are ends of hours (UTC); `'day-start'`: local midnights starting each day (UTC). */
  timeBasis: 'hour-end' | 'day-start';
  /**
   * The clock the time cells were read in: `'local'` (at `utcOffset`), `'utc'` (a column named as UTC),
   * `'zoned'` (each cell carried its own `Z`/offset) or `'mixed'`.
   */
  clock: 'local' | 'utc' | 'zoned' | 'mixed';
  /** The offset used for local-clock cells, minutes east of UTC. */
  utcOffsetMinutes: number;
  /** Duplicate station + time records with different values (first 1000), which one was kept. */
  duplicates: DuplicateRecord[];
  /** `rows = accepted + duplicates + rejected` as {@link ReadCounts} (`rows` here counts station records). */
  counts: ReadCounts;
  format: 'long' | 'wide';
  toJSON(): unknown;
}

const STATION_NAMES = ['station_id', 'station', 'stationid', 'site_id', 'site', 'id'];
const DATE_NAMES = ['date_local', 'date', 'datetime_local', 'datetime', 'date_time', 'time_utc', 'timestamp'];
const TIME_NAMES = ['time_local', 'time', 'hour', 'hour_local', 'time_utc', 'hour_utc'];
const UTC_NAME = /(^|[_ .-])(utc|gmt|z)$|^(utc|gmt)([_ .-]|$)/i;
const HOUR_NAME = /^(hour|hr|hour_local|hour_utc|hour_ending|hour_end)$/i;
const COORD_NAMES = new Set(['lat', 'latitude', 'lon', 'long', 'lng', 'longitude', 'x', 'y', 'elevation', 'height_m']);
const DEFAULT_MISSING = [...MISSING_CODES, '-1'];

/** Builds a StationSeries from rows (CSV records). @internal */
export class StationSeriesBuilder {
  private format: 'long' | 'wide' = 'long';
  private names: string[] = [];
  private stationIdx = -1;
  private dateIdx = -1;
  private timeIdx = -1;
  private valueIdx: number[] = [];
  private valueNames: string[] = [];
  private valueQuantity: (Quantity | null)[] = [];
  private wideStations: string[] = [];
  /** Wide format: station columns left out by `opts.stations`. */
  private wideOthers = 0;
  private decided = false;
  private readonly offsetMin: number;
  private readonly missing: MissingCodeSet;
  private readonly dateOrder: DateOrder | undefined;
  private readonly dupPolicy: 'last' | 'first' | 'reject';
  private readonly checkRanges: boolean;
  /** The date/time columns are named as UTC: zone-less cells are UTC, not local. */
  private utcColumns = false;
  /** The time column holds whole hours (`hour`). */
  private hourColumn = false;
  private readonly station: string[] = [];
  private readonly time = new F64Column();
  private readonly firstRow: number[] = [];
  private values: F64Column[] = [];
  private readonly index = new Map<string, number>();
  private readonly intern = new Interner();
  private readonly dateCache = new Map<string, number>();
  private readonly reasonCache = new Map<string, [string, string]>();
  private readonly missingCodes: Record<string, number> = Object.create(null) as Record<string, number>;
  readonly rejected: RejectedRow[] = [];
  readonly dupList: DuplicateRecord[] = [];
  rows = 0;
  duplicates = 0;
  conflicting = 0;
  /** Records of stations outside `opts.stations`. */
  otherStations = 0;
  /** `opts.stations` lower-cased, or null for every station. */
  private readonly only: Set<string> | null;
  private sawClock = false;
  private sawZoned = false;
  private sawUnzoned = false;
  private reserved = 0;
  private sawDateOnly = false;

  constructor(private readonly opts: StationSeriesOptions) {
    if (opts === null || typeof opts !== 'object') throw argErr('options', opts, 'an object');
    this.offsetMin = parseUtcOffset(opts.utcOffset ?? '+07:00');
    if (opts.format !== undefined && !['long', 'wide', 'auto'].includes(opts.format)) throw argErr('format', opts.format, '"long", "wide" or "auto"');
    if (opts.hourLabel !== undefined && opts.hourLabel !== 'end' && opts.hourLabel !== 'start') throw argErr('hourLabel', opts.hourLabel, '"end" or "start"');
    if (opts.missingValues !== undefined && !(Array.isArray(opts.missingValues) && opts.missingValues.every((s) => typeof s === 'string'))) {
      throw argErr('missingValues', opts.missingValues, 'an array of strings');
    }
    if (opts.duplicates !== undefined && !['last', 'first', 'reject'].includes(opts.duplicates)) throw argErr('duplicates', opts.duplicates, '"last", "first" or "reject"');
    if (opts.checkRanges !== undefined && typeof opts.checkRanges !== 'boolean') throw argErr('checkRanges', opts.checkRanges, 'a boolean');
    this.dateOrder = checkDateOrder(opts.dateOrder);
    this.dupPolicy = opts.duplicates ?? 'last';
    this.checkRanges = opts.checkRanges ?? true;
    this.missing = new MissingCodeSet(opts.missingValues ?? DEFAULT_MISSING);
    if (opts.stations !== undefined && !(Array.isArray(opts.stations) && opts.stations.length > 0 && opts.stations.every((s) => typeof s === 'string' && s.trim() !== ''))) {
      throw argErr('stations', opts.stations, 'a non-empty array of station ids');
    }
    this.only = opts.stations ? new Set(opts.stations.map((s) => s.trim().toLowerCase())) : null;
  }

  private col(name: string | undefined, candidates: string[], argument: string, names: string[]): number {
    if (name !== undefined) {
      if (typeof name !== 'string') throw argErr(argument, name, 'a column name');
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
    const dateName = names[this.dateIdx]!.trim();
    const timeName = this.timeIdx >= 0 ? names[this.timeIdx]!.trim() : '';
    this.utcColumns = UTC_NAME.test(dateName) || (timeName !== '' && UTC_NAME.test(timeName));
    this.hourColumn = timeName !== '' && HOUR_NAME.test(timeName);
    const stationIdx = o.format === 'wide' ? -1 : this.col(o.stationColumn, STATION_NAMES, 'stationColumn', names);
    this.format = o.format === 'long' || o.format === 'wide' ? o.format : stationIdx >= 0 ? 'long' : 'wide';
    if (this.format === 'long') {
      if (stationIdx < 0) throw missingColumns('station series (long format)', ['station_id'], names);
      this.stationIdx = stationIdx;
      if (o.valueColumns !== undefined) {
        if (!Array.isArray(o.valueColumns) || o.valueColumns.length === 0 || !o.valueColumns.every((c) => typeof c === 'string')) {
          throw argErr('valueColumns', o.valueColumns, 'a non-empty array of column names');
        }
        const miss = o.valueColumns.filter((c) => findColumn(names, [c]) < 0);
        if (miss.length > 0) throw missingColumns('station series (valueColumns)', miss, names);
        this.setValues(o.valueColumns.map((c) => findColumn(names, [c])));
      }
    } else {
      const used = new Set([this.dateIdx, this.timeIdx]);
      const idx: number[] = [];
      for (let i = 0; i < names.length; i++) if (!used.has(i) && names[i] !== '') idx.push(i);
      if (idx.length === 0) throw missingColumns('station series (wide format)', ['one column per station'], names);
      if (this.only) {
        const only = this.only;
        this.wideOthers = idx.filter((i) => !only.has(names[i]!.trim().toLowerCase())).length;
        idx.splice(0, idx.length, ...idx.filter((i) => only.has(names[i]!.trim().toLowerCase())));
      }
      this.valueIdx = idx;
      this.wideStations = idx.map((i) => names[i]!.trim().toLowerCase());
      const valueName = o.valueName ?? 'value';
      if (typeof valueName !== 'string') throw argErr('valueName', valueName, 'a column name');
      this.valueNames = [valueName];
      const q = quantityOfColumn(valueName);
      this.valueQuantity = idx.map(() => q);
      this.values = [new F64Column()];
      this.decided = true;
    }
  }

  /** Pre-size the columns (see CsvSink.reserve); wide rows expand into one record per station. */
  reserve(n: number): void {
    if (this.only) return; // the file's size says nothing about the chosen stations' share of it
    const records = this.format === 'wide' ? n * this.wideStations.length : n;
    this.time.reserve(records);
    this.reserved = records;
    for (const v of this.values) v.reserve(records);
  }

  private setValues(idx: number[]): void {
    this.valueIdx = idx;
    this.valueNames = idx.map((i) => this.names[i]!);
    this.valueQuantity = this.valueNames.map((n) => quantityOfColumn(n));
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
      // A column named for a known quantity (pm25, pm10, …) is a value column even when its first cell is
      // garbage: that cell is then rejected with a reason, instead of the whole file failing.
      if (quantityOfColumn(this.names[i]!) !== null || this.missing.has(raw) || !Number.isNaN(rec.num(i))) idx.push(i);
    }
    if (idx.length === 0) throw missingColumns('station series (no numeric value column found; pass valueColumns)', ['value column'], this.names);
    this.setValues(idx);
  }

  /** UTC ms per the module's time convention, or NaN (the reason is then in `reasonCache`). */
  private timeOf(rec: CsvRecord): number {
    const d = rec.get(this.dateIdx).trim();
    const t = this.timeIdx >= 0 ? rec.get(this.timeIdx).trim() : '';
    const key = t === '' ? d : d + ' ' + t;
    let v = this.dateCache.get(key);
    if (v !== undefined) return v; // the flags below were set when the key was first computed
    const why: [string, string][] = [];
    v = this.computeTime(d, t, why);
    if (Number.isNaN(v) && this.reasonCache.size < 10_000) this.reasonCache.set(key, why[0] ?? [this.names[this.dateIdx]!, `date/time ${showValue(key)} is not a valid date and clock time`]);
    if (this.dateCache.size < 200_000) this.dateCache.set(key, v);
    return v;
  }

  /** [column, reason] for a row whose time is NaN. */
  private timeReason(rec: CsvRecord): [string, string] {
    const d = rec.get(this.dateIdx).trim();
    const t = this.timeIdx >= 0 ? rec.get(this.timeIdx).trim() : '';
    const key = t === '' ? d : d + ' ' + t;
    const cached = this.reasonCache.get(key);
    if (cached !== undefined) return cached;
    const why: [string, string][] = [];
    this.computeTime(d, t, why);
    return why[0] ?? [this.names[this.dateIdx]!, `date/time ${showValue(key)} is not a valid date and clock time`];
  }

  private computeTime(d: string, t: string, why: [string, string][]): number {
    const shift = this.opts.hourLabel === 'start' ? HOUR_MS : 0;
    const m = /^(\S+?)[T ](\S.*)$/.exec(d);
    if (m) {
      // A date-time in one cell. With its own zone, the zone wins; otherwise it is local time (or UTC by column name).
      if (t !== '') {
        why.push([this.names[this.timeIdx]!, `${this.names[this.dateIdx]} ${showValue(d)} already holds a clock time, and ${this.names[this.timeIdx]} holds ${showValue(t)} too`]);
        return NaN;
      }
      this.sawClock = true;
      if (/(Z|[+-]\d{2}:?\d{2})$/i.test(d)) {
        this.sawZoned = true;
        const v = parseIsoUtc(d.replace(' ', 'T'));
        if (Number.isNaN(v)) why.push([this.names[this.dateIdx]!, `date-time ${showValue(d)} is not a valid ISO 8601 time (impossible dates such as 2025-02-30 are not rolled over)`]);
        return Number.isNaN(v) ? NaN : v + shift;
      }
      return this.local(m[1]!, m[2]!, shift, why, false);
    }
    if (t === '') {
      this.sawDateOnly = true;
      this.sawUnzoned = true;
      const p = parseDateStrict(d, this.dateOrder);
      if (!p.ok) {
        why.push([this.names[this.dateIdx]!, p.reason]);
        return NaN;
      }
      return p.utcMidnight - (this.utcColumns ? 0 : this.offsetMin) * 60_000;
    }
    this.sawClock = true;
    return this.local(d, t, shift, why, this.hourColumn);
  }

  private local(d: string, t: string, shift: number, why: [string, string][], hours: boolean): number {
    this.sawUnzoned = true;
    const p = parseDateStrict(d, this.dateOrder);
    if (!p.ok) {
      why.push([this.names[this.dateIdx]!, p.reason]);
      return NaN;
    }
    let mins: number;
    if (hours && /^\d{1,2}$/.test(t)) {
      // An `hour` column counts hours: 13 is 13:00 (not 00:13 as HHMM would read it).
      const h = Number(t);
      mins = h <= 24 ? h * 60 : NaN;
      if (Number.isNaN(mins)) why.push([this.names[this.timeIdx]!, `${this.names[this.timeIdx]} ${showValue(t)} is not an hour 0..24`]);
    } else {
      mins = parseClockMinutes(t);
      if (Number.isNaN(mins)) why.push([this.names[this.timeIdx]!, `${this.names[this.timeIdx]} ${showValue(t)} is not a clock time (HH:MM${hours ? ' or an hour 0..24' : ''})`]);
    }
    if (Number.isNaN(mins)) return NaN;
    return p.utcMidnight + (mins - (this.utcColumns ? 0 : this.offsetMin)) * 60_000 + shift;
  }

  private add(station: string, time: number, vals: number[], row: number): void {
    const key = station + '\u0000' + time;
    const at = this.index.get(key);
    if (at !== undefined) {
      let same = true;
      for (let k = 0; k < vals.length; k++) {
        const a = this.values[k]!.data[at]!;
        const b = vals[k]!;
        if (!(a === b || (Number.isNaN(a) && Number.isNaN(b)))) same = false;
      }
      const firstRow = this.firstRow[at]!;
      if (this.dupPolicy === 'reject') {
        this.reject(row, this.names[this.dateIdx]!, 'E_DUPLICATE', `station ${station} at ${new Date(time).toISOString()} repeats row ${firstRow}${same ? ' (same values)' : ' with different values'}; the first is kept (duplicates: 'reject')`);
        return;
      }
      this.duplicates++;
      const kept = this.dupPolicy;
      if (!same) {
        this.conflicting++;
        if (this.dupList.length < 1000) {
          this.dupList.push({
            row, firstRow, station, time, kept,
            message: `row ${row}: station ${station} at ${new Date(time).toISOString()} repeats row ${firstRow} with different values; the ${kept} is kept`,
          });
        }
      }
      // Policy 'last': the later record's values replace the earlier ones, kept at the first one's position.
      if (kept === 'last') for (let k = 0; k < vals.length; k++) this.values[k]!.data[at] = vals[k]!;
      return;
    }
    this.index.set(key, this.station.length);
    this.station.push(station);
    this.firstRow.push(row);
    this.time.push(time);
    for (let k = 0; k < vals.length; k++) this.values[k]!.push(vals[k]!);
  }

  private reject(row: number, column: string, code: string, message: string): void {
    this.rejected.push({ row, column, code, message: `row ${row}: ${message}` });
  }

  /** Parse a value cell: NaN for a missing code (counted), null (after rejecting) for garbage or an implausible value. */
  private value(rec: CsvRecord, i: number, row: number, column: string, q: Quantity | null, codes: string[]): number | null {
    const raw = rec.get(i).trim();
    const v = rec.num(i);
    if (this.missing.has(raw, Number.isNaN(v) ? undefined : v)) {
      codes.push(raw);
      return NaN;
    }
    if (Number.isNaN(v)) {
      this.reject(row, column, 'E_NUMBER', `${column}: ${numberProblem(raw) ?? `${showValue(raw)} is not a number`} (and not a missing-value code)`);
      return null;
    }
    if (q !== null && this.checkRanges) {
      const r = PLAUSIBLE[q];
      if (v < r.min || v > r.max) {
        this.reject(row, column, 'E_RANGE', `${column} ${showValue(raw)} is outside the plausible ${q === 'pm25' ? 'PM2.5' : q === 'pm10' ? 'PM10' : q} range ${r.min}..${r.max} ${r.unit}`);
        return null;
      }
    }
    return v;
  }

  private countCodes(codes: string[]): void {
    for (const c of codes) this.missingCodes[c] = (this.missingCodes[c] ?? 0) + 1;
  }

  row(rec: CsvRecord, row: number): void {
    if (!this.decided) this.decide(rec);
    if (this.format === 'long') {
      this.rows++;
      const id = rec.get(this.stationIdx).trim().toLowerCase();
      if (this.only && id !== '' && !this.only.has(id)) {
        this.rows--;
        this.otherStations++;
        return;
      }
      const station = this.intern.get(id);
      if (station === '') return this.reject(row, this.names[this.stationIdx]!, 'E_VALUE', 'station id is empty');
      const time = this.timeOf(rec);
      if (Number.isNaN(time)) {
        const [column, reason] = this.timeReason(rec);
        return this.reject(row, column, 'E_DATE', reason);
      }
      const vals: number[] = [];
      const codes: string[] = [];
      for (let k = 0; k < this.valueIdx.length; k++) {
        const v = this.value(rec, this.valueIdx[k]!, row, this.valueNames[k]!, this.valueQuantity[k]!, codes);
        if (v === null) return;
        vals.push(v);
      }
      const before = this.rejected.length;
      this.add(station, time, vals, row);
      if (this.rejected.length === before) this.countCodes(codes);
      return;
    }
    // Wide: one record per station column.
    const n = this.valueIdx.length;
    this.rows += n;
    this.otherStations += this.wideOthers;
    if (n === 0) return;
    const time = this.timeOf(rec);
    for (let k = 0; k < n; k++) {
      const st = this.wideStations[k]!;
      if (Number.isNaN(time)) {
        this.reject(row, this.names[this.valueIdx[k]!]!, 'E_DATE', `${this.timeReason(rec)[1]} (station ${st})`);
        continue;
      }
      const codes: string[] = [];
      const v = this.value(rec, this.valueIdx[k]!, row, this.names[this.valueIdx[k]!]!, this.valueQuantity[k]!, codes);
      if (v === null) continue;
      const before = this.rejected.length;
      this.add(st, time, [v], row);
      if (this.rejected.length === before) this.countCodes(codes);
    }
  }

  /** Account for records the CSV layer rejected (wrong field count, bad quoting). */
  tableRejected(list: RejectedRow[]): void {
    for (const r of list) {
      // wide: a malformed line is a record of every station column read (none when `stations` chose none)
      if (this.format === 'wide' && (this.wideStations.length > 0 || this.only)) {
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
      conflictingDuplicates: this.conflicting,
      rejected: this.rejected.length,
      missingCodes: { ...this.missingCodes },
      otherStations: this.otherStations,
    };
    const timeBasis = this.sawDateOnly && !this.sawClock ? 'day-start' : 'hour-end';
    const unzoned = this.utcColumns ? 'utc' : 'local';
    const clock = this.sawZoned && this.sawUnzoned ? 'mixed' : this.sawZoned ? 'zoned' : unzoned;
    const rejected = this.rejected;
    const format = this.format;
    const duplicates = this.dupList;
    const utcOffsetMinutes = this.utcColumns ? 0 : this.offsetMin;
    const counts = readCounts(len, rejected, this.duplicates);
    return {
      series, rejected, stats, timeBasis, clock, utcOffsetMinutes, duplicates, counts, format,
      toJSON: () => ({ series: columnarToJSON(series), rejected, stats, timeBasis, clock, utcOffsetMinutes, duplicates, counts, format }),
    };
  }
}

/** A parenthesised reason why a coordinate cell is not a number (empty, hex, …), or '' for an out-of-range number. */
function coordWhy(raw: string): string {
  if (raw.trim() === '') return ' (the cell is empty)';
  const p = numberProblem(raw);
  return p ? ` (${p})` : '';
}

function argErr(argument: string, value: unknown, expected: string): HazetraceError {
  return new HazetraceError('E_ARG', `${argument} must be ${expected}, got ${showValue(value)}`, { argument, value });
}

/**
 * Read station time series (PM2.5 and friends) from CSV, long or wide, into a columnar
 * {@link StationSeries}: station ids lower-cased (`35T` = `35t`), times in UTC per the module's time
 * convention (hourly: end of the hour; daily: start of the local day; `clock` says local/UTC),
 * missing-value codes (9999, -999, NA, … see `MISSING_CODES`) → NaN (counted per code), duplicate
 * station + time → last wins by default (counted; conflicting ones listed in `duplicates`), CRLF and
 * UTF-8 BOM accepted. Bad rows are returned in `rejected` (`E_DATE` with the reason, `E_NUMBER` for
 * hex/Infinity/garbage, `E_RANGE` for negative or implausible PM2.5/PM10, `E_VALUE`, `E_COLUMNS`,
 * `E_QUOTE`, `E_DUPLICATE` with `duplicates: 'reject'`); `stats` adds up (see {@link StationSeriesStats}).
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
  /** `rows = accepted + rejected`, rejections per code. */
  counts: ReadCounts;
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
  constructor(private readonly opts: StationsOptions) {
    if (opts === null || typeof opts !== 'object') throw argErr('options', opts, 'an object');
    for (const k of ['idColumn', 'nameColumn', 'latColumn', 'lngColumn'] as const) {
      if (opts[k] !== undefined && typeof opts[k] !== 'string') throw argErr(k, opts[k], 'a column name');
    }
  }

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
    if (!(lat >= -90 && lat <= 90)) return rej(this.names[this.lat]!, 'E_COORD', `station ${id}: latitude ${showValue(rec.get(this.lat))} is not a number in -90..90${coordWhy(rec.get(this.lat))}`);
    if (!(lng >= -180 && lng <= 180)) return rej(this.names[this.lng]!, 'E_COORD', `station ${id}: longitude ${showValue(rec.get(this.lng))} is not a number in -180..180${coordWhy(rec.get(this.lng))}`);
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
    const counts = readCounts(stations.length, rejected);
    return { stations, rejected, counts, toJSON: () => ({ stations: columnarToJSON(stations), rejected, counts }) };
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
