/**
 * Generic point CSV reader (power plants from WRI GPPD, facility registers, citizen reports …):
 * lat/lon columns found by name, every other column kept — as numbers when every non-empty cell is one.
 */
import { HazetraceError, showValue } from '../core/errors.js';
import { numberProblem, readCounts, type ReadCounts } from '../core/ranges.js';
import type { RejectedRow } from '../core/types.js';
import { F64Column, csvJob, findColumn, missingColumns, runCsvText, type CsvReaderJob, type CsvRecord } from './csv.js';
import { columnarToJSON } from './json.js';
import type { TextInput } from './text.js';

/** Columnar points with their attribute columns. */
export interface Points {
  length: number;
  lng: Float64Array;
  lat: Float64Array;
  /** Attribute columns by header name: Float64Array (NaN = empty) when every non-empty cell is a number, else text. */
  columns: Record<string, Float64Array | string[]>;
}

/** Options for {@link readPointsCsv}. */
export interface PointsOptions {
  /** Latitude column. Default: first of latitude, lat, y. */
  latColumn?: string;
  /** Longitude column. Default: first of longitude, lon, long, lng, x. */
  lngColumn?: string;
  /** Columns to keep as text even when numeric (ids with leading zeros, codes). Default none. */
  textColumns?: string[];
}

/** What {@link readPointsCsv} returns. */
export interface PointsResult {
  points: Points;
  /** `points.length + rejected.length` = data rows. */
  rejected: RejectedRow[];
  /** `rows = accepted + rejected`, rejections per code. */
  counts: ReadCounts;
  toJSON(): unknown;
}

class PointsBuilder {
  private names: string[] = [];
  private lat = -1;
  private lng = -1;
  private other: number[] = [];
  private cells: string[][] = [];
  private readonly lngCol = new F64Column();
  private readonly latCol = new F64Column();
  readonly rejected: RejectedRow[] = [];
  constructor(private readonly opts: PointsOptions) {
    const bad = (argument: string, value: unknown, expected: string): HazetraceError =>
      new HazetraceError('E_ARG', `${argument} must be ${expected}, got ${showValue(value)}`, { argument, value });
    if (opts === null || typeof opts !== 'object') throw bad('options', opts, 'an object');
    if (opts.latColumn !== undefined && typeof opts.latColumn !== 'string') throw bad('latColumn', opts.latColumn, 'a column name');
    if (opts.lngColumn !== undefined && typeof opts.lngColumn !== 'string') throw bad('lngColumn', opts.lngColumn, 'a column name');
    if (opts.textColumns !== undefined && !(Array.isArray(opts.textColumns) && opts.textColumns.every((c) => typeof c === 'string'))) {
      throw bad('textColumns', opts.textColumns, 'an array of column names');
    }
  }

  header(names: string[]): void {
    this.names = names;
    this.lat = findColumn(names, this.opts.latColumn !== undefined ? [this.opts.latColumn] : ['latitude', 'lat', 'y']);
    this.lng = findColumn(names, this.opts.lngColumn !== undefined ? [this.opts.lngColumn] : ['longitude', 'lon', 'long', 'lng', 'x']);
    const missing: string[] = [];
    if (this.lat < 0) missing.push(this.opts.latColumn ?? 'latitude/lat');
    if (this.lng < 0) missing.push(this.opts.lngColumn ?? 'longitude/lon/lng');
    if (missing.length > 0) throw missingColumns('points CSV', missing, names);
    for (let i = 0; i < names.length; i++) if (i !== this.lat && i !== this.lng) this.other.push(i);
    this.cells = this.other.map(() => []);
  }

  row(rec: CsvRecord, row: number): void {
    const lat = rec.num(this.lat);
    const lng = rec.num(this.lng);
    if (!(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) {
      const bad = !(lat >= -90 && lat <= 90) ? this.lat : this.lng;
      const raw = rec.get(bad);
      const why = raw.trim() === '' ? ' (the cell is empty)' : numberProblem(raw) ? ` (${numberProblem(raw)})` : '';
      this.rejected.push({ row, column: this.names[bad]!, code: 'E_COORD', message: `row ${row}: ${this.names[bad]} ${showValue(raw)} is not a valid ${bad === this.lat ? 'latitude (-90..90)' : 'longitude (-180..180)'}${why}` });
      return;
    }
    this.latCol.push(lat);
    this.lngCol.push(lng);
    this.other.forEach((c, k) => this.cells[k]!.push(rec.get(c)));
  }

  finish(more: RejectedRow[]): PointsResult {
    const columns = Object.create(null) as Record<string, Float64Array | string[]>;
    const text = new Set((this.opts.textColumns ?? []).map((s) => s.toLowerCase()));
    this.other.forEach((c, k) => {
      const name = this.names[c]!;
      const cells = this.cells[k]!;
      let numeric = !text.has(name.toLowerCase());
      const nums = new Float64Array(cells.length);
      for (let i = 0; numeric && i < cells.length; i++) {
        const s = cells[i]!.trim();
        if (s === '') nums[i] = NaN;
        else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && Number.isFinite(Number(s))) nums[i] = Number(s);
        else numeric = false; // text (a 1e400 overflow too: kept as written rather than as Infinity)
      }
      columns[name] = numeric ? nums : cells;
    });
    const points: Points = { length: this.latCol.length, lng: this.lngCol.finish(), lat: this.latCol.finish(), columns };
    const rejected = [...this.rejected, ...more].sort((a, b) => a.row - b.row);
    const counts = readCounts(points.length, rejected);
    return { points, rejected, counts, toJSON: () => ({ points: columnarToJSON(points), rejected, counts }) };
  }
}

/**
 * Read any CSV of points: latitude/longitude columns are found by name (`latitude`/`lat`/`y`,
 * `longitude`/`lon`/`long`/`lng`/`x`, or given), and every other column is kept — as a Float64Array when
 * all its non-empty cells are plain numbers (empty → NaN), otherwise as text. Rows with missing or
 * out-of-range coordinates are rejected (`E_COORD`), like wrong field counts (`E_COLUMNS`).
 *
 * @example
 * ```ts
 * import { readPointsCsv } from 'hazetrace/io';
 * const { points } = readPointsCsv('facility_id,name,latitude,longitude,capacity_mw\nF1,Mae Moh,18.30,99.75,2400\n');
 * points.columns.capacity_mw; // Float64Array [2400]
 * points.columns.name; // ['Mae Moh']
 * ```
 */
export function readPointsCsv(input: TextInput, options: PointsOptions = {}): PointsResult {
  return runCsvText(input, 'points CSV', pointsCsvJob(options));
}

/** The points reader as a feedable job. @internal */
export function pointsCsvJob(options: PointsOptions = {}): CsvReaderJob<PointsResult> {
  const b = new PointsBuilder(options);
  return csvJob(b, (more) => b.finish(more));
}
