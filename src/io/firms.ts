/**
 * NASA FIRMS active-fire readers (MODIS C6/C6.1 and VIIRS 375 m; archive, NRT and standard-processing
 * files; CSV and GeoJSON point features) into the columnar {@link Hotspots} of the data model.
 *
 * Column names follow the FIRMS attribute tables (https://www.earthdata.nasa.gov/data/tools/firms,
 * "Attribute fields for MODIS/VIIRS active fire data"): `latitude, longitude, brightness | bright_ti4,
 * scan, track, acq_date (UTC), acq_time (UTC HHMM), satellite, instrument, confidence, version,
 * bright_t31 | bright_ti5, frp, daynight` and, in archive downloads, `type`.
 */
import { HazetraceError, showValue } from '../core/errors.js';
import { checkDateOrder, parseClockMinutes, parseDateStrict, type DateOrder } from '../core/time.js';
import { PLAUSIBLE, numberProblem, readCounts, type Quantity, type ReadCounts } from '../core/ranges.js';
import type { Hotspots, RejectedRow } from '../core/types.js';
import { F64Column, StrColumn, csvJob, findColumn, missingColumns, runCsvText, type CsvReaderJob } from './csv.js';
import { decodeText, parseJsonInput, type TextInput } from './text.js';
import { columnarToJSON } from './json.js';
import { checkFunction, checkShape } from '../core/check.js';

/** Options for {@link readFirmsCsv} and {@link readFirmsGeoJson}. */
export interface FirmsOptions {
  /**
   * Instrument when neither an `instrument` column nor the brightness header tells it
   * (`brightness` → MODIS, `bright_ti4` → VIIRS). Default: detect.
   */
  instrument?: 'MODIS' | 'VIIRS';
  /**
   * How to read `acq_date` values written year-last (`04/05/2025`, a spreadsheet re-save): `'DMY'` or
   * `'MDY'`. Default: none, so such rows are rejected (`E_DATE`) as ambiguous; year-first dates
   * (`YYYY-MM-DD`, FIRMS's own format) are always read.
   */
  dateOrder?: DateOrder;
}

/** What the FIRMS readers return. */
export interface FirmsResult {
  hotspots: Hotspots;
  /** Rows not accepted, with reasons; `hotspots.length + rejected.length` = data rows. */
  rejected: RejectedRow[];
  /** `rows = accepted + rejected` (CSV data rows or GeoJSON features), rejections per code. */
  counts: ReadCounts;
  /** Plain-array copy for JSON. */
  toJSON(): unknown;
}

/** The accessor the builder reads a row through (a CSV record or a GeoJSON feature). */
interface RowAccess {
  get(i: number): string;
  num(i: number): number;
  isEmpty(i: number): boolean;
  /** `get` through a content cache (no new string for a repeated value). */
  getCached(i: number, cache: Map<number, string>): string;
  /** `YYYY-MM-DD` as y*10000 + m*100 + d, or -1. */
  isoDateKey(i: number): number;
}

/** A parenthesised reason why a coordinate cell is not a number (empty, hex, …), or '' for an out-of-range number. */
function coordWhy(raw: string): string {
  if (raw.trim() === '') return ' (the cell is empty)';
  const p = numberProblem(raw);
  return p ? ` (${p})` : '';
}

/** VIIRS confidence classes on the shared 0–100 scale (types.ts: low 20, nominal 60, high 90). */
const VIIRS_CONF: Record<string, number> = { l: 20, low: 20, n: 60, nominal: 60, h: 90, high: 90 };

const KNOWN = [
  'latitude', 'longitude', 'brightness', 'bright_ti4', 'scan', 'track', 'acq_date', 'acq_time', 'satellite',
  'instrument', 'confidence', 'version', 'bright_t31', 'bright_ti5', 'frp', 'daynight',
];

/**
 * Builds Hotspots row by row. Shared by the CSV reader, the GeoJSON reader and the Node file reader
 * (which feeds it chunk by chunk).
 * @internal
 */
export class FirmsBuilder {
  private lat = -1; private lng = -1; private date = -1; private timeCol = -1;
  private bright = -1; private bright2 = -1; private scanCol = -1; private trackCol = -1;
  private sat = -1; private instr = -1; private conf = -1; private ver = -1; private frpCol = -1; private dn = -1;
  private headerInstrument: 'MODIS' | 'VIIRS' | null = null;
  private extraCols: { name: string; index: number; values: StrColumn; cache: Map<number, string> }[] = [];
  private readonly cols = {
    lng: new F64Column(), lat: new F64Column(), time: new F64Column(), frp: new F64Column(),
    brightness: new F64Column(), brightness2: new F64Column(), scan: new F64Column(), track: new F64Column(),
    confidenceNorm: new F64Column(),
  };
  private readonly confidence = new StrColumn();
  private readonly satellite = new StrColumn();
  private readonly instrument = new StrColumn();
  private readonly daynight = new StrColumn();
  private readonly version = new StrColumn();
  private readonly textCache = new Map<number, string>();
  private readonly dateCache = new Map<string, number>();
  private readonly dateKeyCache = new Map<number, number>();
  private readonly dateReason = new Map<string, string>();
  readonly rejected: RejectedRow[] = [];
  private names: string[] = [];
  private readonly dateOrder: DateOrder | undefined;

  constructor(private readonly opts: FirmsOptions) {
    if (opts === null || typeof opts !== 'object') throw new HazetraceError('E_ARG', `options must be an object, got ${showValue(opts)}`, { argument: 'options', value: opts });
    this.dateOrder = checkDateOrder(opts.dateOrder);
    if (opts.instrument !== undefined && opts.instrument !== 'MODIS' && opts.instrument !== 'VIIRS') {
      throw new HazetraceError('E_ARG', `instrument must be "MODIS" or "VIIRS", got ${showValue(opts.instrument)}`, {
        argument: 'instrument',
        value: opts.instrument,
      });
    }
  }

  header(names: string[]): void {
    this.names = names;
    const f = (...c: string[]): number => findColumn(names, c);
    this.lat = f('latitude', 'lat');
    this.lng = f('longitude', 'lon', 'lng');
    this.date = f('acq_date');
    this.timeCol = f('acq_time');
    const missing: string[] = [];
    if (this.lat < 0) missing.push('latitude');
    if (this.lng < 0) missing.push('longitude');
    if (this.date < 0) missing.push('acq_date');
    if (this.timeCol < 0) missing.push('acq_time');
    if (missing.length > 0) throw missingColumns('FIRMS', missing, names);
    const modisB = f('brightness');
    const viirsB = f('bright_ti4');
    this.bright = modisB >= 0 ? modisB : viirsB;
    this.bright2 = modisB >= 0 ? f('bright_t31') : f('bright_ti5', 'bright_t31');
    this.headerInstrument = modisB >= 0 ? 'MODIS' : viirsB >= 0 ? 'VIIRS' : null;
    this.scanCol = f('scan');
    this.trackCol = f('track');
    this.sat = f('satellite');
    this.instr = f('instrument');
    this.conf = f('confidence');
    this.ver = f('version');
    this.frpCol = f('frp');
    this.dn = f('daynight');
    if (this.instr < 0 && this.headerInstrument === null && this.opts.instrument === undefined) {
      throw missingColumns('FIRMS (cannot tell MODIS from VIIRS; pass options.instrument)', ['brightness or bright_ti4 or instrument'], names);
    }
    const lower = names.map((n) => n.toLowerCase());
    const used = new Set([this.lat, this.lng]);
    for (let i = 0; i < names.length; i++) {
      if (used.has(i) || KNOWN.includes(lower[i]!)) continue;
      this.extraCols.push({ name: names[i]!, index: i, values: new StrColumn(), cache: new Map<number, string>() });
    }
  }

  /** Pre-size every column (see CsvSink.reserve). */
  reserve(n: number): void {
    for (const c of Object.values(this.cols)) c.reserve(n);
    for (const c of [this.confidence, this.satellite, this.instrument, this.daynight, this.version]) c.reserve(n);
    for (const e of this.extraCols) e.values.reserve(n);
  }

  private reject(row: number, column: string, code: string, message: string): void {
    this.rejected.push({ row, column, code, message: `row ${row}: ${message}` });
  }

  /** Epoch ms of a UTC `acq_date` day; cached because a file has few distinct dates. */
  private day(s: string): number {
    let d = this.dateCache.get(s);
    if (d === undefined) {
      // FIRMS writes year-first dates. A slash date such as 4/5/2025 (a spreadsheet re-save) is ambiguous between
      // day-first and month-first locales, so it is rejected rather than silently misdated, unless dateOrder says.
      const p = parseDateStrict(s, this.dateOrder);
      d = p.ok ? p.utcMidnight : NaN;
      if (!p.ok && this.dateReason.size < 10_000) this.dateReason.set(s, p.reason);
      if (this.dateCache.size < 10_000) this.dateCache.set(s, d);
    }
    return d;
  }

  row(r: RowAccess, row: number): void {
    const lat = r.num(this.lat);
    const lng = r.num(this.lng);
    if (!(lat >= -90 && lat <= 90)) return this.reject(row, this.names[this.lat]!, 'E_COORD', `latitude ${showValue(r.get(this.lat))} is not a number in -90..90${coordWhy(r.get(this.lat))}`);
    if (!(lng >= -180 && lng <= 180)) return this.reject(row, this.names[this.lng]!, 'E_COORD', `longitude ${showValue(r.get(this.lng))} is not a number in -180..180${coordWhy(r.get(this.lng))}`);
    const key = r.isoDateKey(this.date);
    let day: number;
    if (key >= 0) {
      const hit = this.dateKeyCache.get(key);
      if (hit !== undefined) day = hit;
      else {
        day = this.day(r.get(this.date));
        if (this.dateKeyCache.size < 10_000) this.dateKeyCache.set(key, day);
      }
    } else day = this.day(r.get(this.date));
    if (Number.isNaN(day)) {
      const raw = r.get(this.date);
      const why = this.dateReason.get(raw) ?? parseDateStrict(raw, this.dateOrder);
      const reason = typeof why === 'string' ? why : why.ok ? 'is not a YYYY-MM-DD date' : why.reason;
      return this.reject(row, 'acq_date', 'E_DATE', `acq_date: ${reason} (FIRMS dates are year-first YYYY-MM-DD)`);
    }
    // acq_time is HHMM UTC, written `0325`, `325` or `5` (00:05): hours = n / 100, minutes = n % 100.
    // An `HH:MM` spelling is accepted too (some re-exports add the colon).
    const hhmm = r.num(this.timeCol);
    const mins = Number.isInteger(hhmm) && hhmm >= 0 && hhmm % 100 < 60 ? Math.floor(hhmm / 100) * 60 + (hhmm % 100) : parseClockMinutes(r.get(this.timeCol));
    if (!(mins >= 0 && mins < 1440)) return this.reject(row, 'acq_time', 'E_DATE', `acq_time ${showValue(r.get(this.timeCol))} is not an HHMM time`);

    let instrument: 'MODIS' | 'VIIRS';
    const instrText = this.instr >= 0 ? r.get(this.instr).trim().toUpperCase() : '';
    if (instrText === 'MODIS' || instrText === 'VIIRS') instrument = instrText;
    else if (instrText !== '') return this.reject(row, 'instrument', 'E_VALUE', `instrument ${showValue(instrText)} is not MODIS or VIIRS`);
    else instrument = (this.opts.instrument ?? this.headerInstrument)!;
    if (instrument === undefined || instrument === null) return this.reject(row, 'instrument', 'E_VALUE', 'instrument is empty and cannot be inferred');

    // Confidence: MODIS 0..100; VIIRS l/n/h or low/nominal/high (case-insensitive).
    let conf = '';
    let confNorm = NaN;
    if (this.conf >= 0 && !r.isEmpty(this.conf)) {
      conf = r.getCached(this.conf, this.textCache).trim();
      const n = r.num(this.conf);
      if (n >= 0 && n <= 100) confNorm = n;
      else {
        const c = VIIRS_CONF[conf.toLowerCase()];
        if (c === undefined) return this.reject(row, 'confidence', 'E_VALUE', `confidence ${showValue(conf)} is neither 0..100 nor l/n/h/low/nominal/high`);
        confNorm = c;
      }
    }
    const num = (col: number, name: string, q: Quantity): number | null => {
      if (col < 0 || r.isEmpty(col)) return NaN;
      const v = r.num(col);
      if (Number.isNaN(v)) {
        const raw = r.get(col);
        this.reject(row, name, 'E_NUMBER', `${name}: ${numberProblem(raw) ?? `${showValue(raw)} is not a number`}`);
        return null;
      }
      const range = PLAUSIBLE[q];
      if (v < range.min || v > range.max) {
        const neg = q === 'frp' && v < 0 ? ' (fire radiative power is >= 0 MW)' : '';
        this.reject(row, name, 'E_RANGE', `${name} ${showValue(r.get(col))} is outside the plausible range ${range.min}..${range.max} ${range.unit}${neg}`);
        return null;
      }
      return v;
    };
    const frp = num(this.frpCol, 'frp', 'frp');
    if (frp === null) return;
    const b1 = num(this.bright, this.bright >= 0 ? this.names[this.bright]! : 'brightness', 'brightness');
    if (b1 === null) return;
    const b2 = num(this.bright2, this.bright2 >= 0 ? this.names[this.bright2]! : 'bright_t31', 'brightness');
    if (b2 === null) return;
    const scan = num(this.scanCol, 'scan', 'scanTrack');
    if (scan === null) return;
    const track = num(this.trackCol, 'track', 'scanTrack');
    if (track === null) return;

    const c = this.cols;
    c.lng.push(lng);
    c.lat.push(lat);
    c.time.push(day + mins * 60_000);
    c.frp.push(frp);
    c.brightness.push(b1);
    c.brightness2.push(b2);
    c.scan.push(scan);
    c.track.push(track);
    c.confidenceNorm.push(confNorm);
    this.confidence.push(conf);
    this.instrument.push(instrument);
    this.satellite.push(this.sat >= 0 ? r.getCached(this.sat, this.textCache).trim() : '');
    let dn = this.dn >= 0 ? r.getCached(this.dn, this.textCache).trim() : '';
    if (dn === 'd' || dn === 'n') dn = dn.toUpperCase();
    this.daynight.push(dn);
    this.version.push(this.ver >= 0 ? r.getCached(this.ver, this.textCache).trim() : '');
    for (const e of this.extraCols) e.values.push(r.getCached(e.index, e.cache));
  }

  finish(): FirmsResult {
    const c = this.cols;
    const extra: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    for (const e of this.extraCols) extra[e.name] = e.values.finish();
    const hotspots: Hotspots = {
      length: c.lng.length,
      lng: c.lng.finish(),
      lat: c.lat.finish(),
      time: c.time.finish(),
      frp: c.frp.finish(),
      brightness: c.brightness.finish(),
      brightness2: c.brightness2.finish(),
      scan: c.scan.finish(),
      track: c.track.finish(),
      confidence: this.confidence.finish(),
      confidenceNorm: c.confidenceNorm.finish(),
      satellite: this.satellite.finish(),
      instrument: this.instrument.finish() as ('MODIS' | 'VIIRS')[],
      daynight: this.daynight.finish(),
      version: this.version.finish(),
      extra,
    };
    const rejected = this.rejected;
    const result: FirmsResult = {
      hotspots,
      rejected,
      get counts(): ReadCounts {
        return readCounts(hotspots.length, rejected);
      },
      toJSON: () => ({ hotspots: columnarToJSON(hotspots), rejected, counts: readCounts(hotspots.length, rejected) }),
    };
    return result;
  }
}

/**
 * Read a FIRMS active-fire CSV (MODIS or VIIRS; archive, NRT or SP) into columnar hotspots.
 *
 * - `time` = `acq_date` + `acq_time` as UTC epoch ms (`acq_time` may be `0325`, `325` or `5`).
 * - `confidence` keeps the text as given; `confidenceNorm` puts it on 0–100 (VIIRS low 20, nominal 60, high 90).
 * - `brightness` is MODIS `brightness` or VIIRS `bright_ti4`, `brightness2` is `bright_t31` or `bright_ti5`.
 * - Unknown columns (`snapshot_id`, `type`, …) are kept verbatim in `extra`.
 * - Empty optional numbers (e.g. `frp`) become NaN; non-decimal ones (`0x10`, `1e400`, `1,5`) reject the row
 *   (`E_NUMBER`), as do values outside `PLAUSIBLE` (`E_RANGE`: frp 0–50,000 MW, brightness 150–800 K, scan/track 0–20 km).
 * - Dates are strict (`2025-02-30` is rejected, not rolled over); a year-last `acq_date` (`04/05/2025`) is
 *   rejected as ambiguous unless `options.dateOrder` is `'DMY'` or `'MDY'`.
 * - Rejected rows: wrong field count `E_COLUMNS`, broken quoting `E_QUOTE`, bad/out-of-range coordinates
 *   `E_COORD`, bad `acq_date`/`acq_time` `E_DATE`, unknown confidence or instrument `E_VALUE`; `counts` adds up.
 * - Throws `E_EMPTY` (no content), `E_BINARY` (bytes that are not UTF-8 text), `E_COLUMNS` (a required
 *   column — latitude, longitude, acq_date, acq_time — is missing).
 *
 * @example
 * ```ts
 * import { readFirmsCsv } from 'hazetrace/io';
 * const { hotspots, rejected } = readFirmsCsv(
 *   'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight\n' +
 *   '18.79,98.98,330.1,1,1,2025-04-22,0325,T,80,6.1NRT,300.2,25.4,D\n');
 * hotspots.length; // 1
 * new Date(hotspots.time[0]!).toISOString(); // '2025-04-22T03:25:00.000Z'
 * ```
 */
export function readFirmsCsv(input: TextInput, options: FirmsOptions = {}): FirmsResult {
  return runCsvText(input, 'FIRMS CSV', firmsCsvJob(options));
}

/** The FIRMS CSV reader as a feedable job (used by the Node file reader to stream). @internal */
export function firmsCsvJob(options: FirmsOptions = {}): CsvReaderJob<FirmsResult> {
  const b = new FirmsBuilder(options);
  return csvJob(b, (more) => mergeRejected(b.finish(), more));
}

/** Put the tokenizer's rejections (column count, quoting) together with the builder's, in row order. @internal */
export function mergeRejected<T extends { rejected: RejectedRow[] }>(result: T, more: RejectedRow[]): T {
  if (more.length > 0) {
    result.rejected.push(...more);
    result.rejected.sort((a, b) => a.row - b.row);
  }
  return result;
}

/** A GeoJSON feature seen through the row accessor: column i is property `names[i]`, coordinates from the geometry. */
class FeatureRow implements RowAccess {
  props: Record<string, unknown> = {};
  lng = NaN;
  lat = NaN;
  constructor(private readonly names: string[]) {}
  private raw(i: number): unknown {
    if (i === 0) return this.lng;
    if (i === 1) return this.lat;
    return this.props[this.names[i]!];
  }
  get(i: number): string {
    const v = this.raw(i);
    return v === null || v === undefined ? '' : typeof v === 'number' && Number.isNaN(v) ? '' : String(v);
  }
  num(i: number): number {
    const v = this.raw(i);
    if (typeof v === 'number') return v;
    if (typeof v !== 'string' || v.trim() === '') return NaN;
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  }
  isEmpty(i: number): boolean {
    return this.get(i) === '';
  }
  getCached(i: number): string {
    return this.get(i);
  }
  isoDateKey(): number {
    return -1;
  }
}

/**
 * Read FIRMS point features (a GeoJSON FeatureCollection as FIRMS and GIS tools export it) into hotspots.
 * Coordinates come from the Point geometry (the `latitude`/`longitude` properties are used only when a
 * feature has no geometry); every other property is read as the CSV column of the same name, so
 * `acq_time` may be the integer `600`. Non-point features are rejected (`E_GEOMETRY`), as are a null geometry
 * without numeric `latitude`/`longitude` properties (never placed at 0, 0), empty coordinates
 * (`E_EMPTY_GEOMETRY`), non-numeric coordinates (`E_COORD`) and a feature that is not an object (`null` in
 * `features`). Throws `E_INPUT` when the input is not a FeatureCollection (with a `features` array) or a Feature.
 *
 * @example
 * ```ts
 * import { readFirmsGeoJson } from 'hazetrace/io';
 * const { hotspots } = readFirmsGeoJson({ type: 'FeatureCollection', features: [{ type: 'Feature',
 *   geometry: { type: 'Point', coordinates: [99.5, 18.2] },
 *   properties: { bright_ti4: 335.3, acq_date: '2019-07-17', acq_time: 600, confidence: 'nominal', frp: 5.8 } }] });
 * hotspots.instrument[0]; // 'VIIRS'
 * ```
 */
export function readFirmsGeoJson(input: TextInput | object, options: FirmsOptions = {}): FirmsResult {
  const doc = parseJsonInput(input, 'FIRMS GeoJSON');
  const d = doc as { type?: unknown; features?: unknown } | null;
  if (d === null || typeof d !== 'object' || Array.isArray(d)) {
    throw new HazetraceError('E_INPUT', `FIRMS GeoJSON input must be a FeatureCollection or Feature, got ${showValue(d)}`, { argument: 'input' });
  }
  let features: unknown[];
  if (d.type === 'FeatureCollection') {
    if (!Array.isArray(d.features)) throw new HazetraceError('E_INPUT', 'FIRMS GeoJSON FeatureCollection has no features array', { argument: 'input' });
    features = d.features;
  } else if (d.type === 'Feature') features = [d];
  else throw new HazetraceError('E_INPUT', `FIRMS GeoJSON input must be a FeatureCollection or Feature, got ${showValue(d.type)}`, { argument: 'input' });
  const b = new FirmsBuilder(options);
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  // Header: longitude, latitude, then the union of property names in first-seen order.
  const names = ['longitude', 'latitude'];
  const seen = new Set(names);
  for (const f of features) {
    const p = isObj(f) ? f['properties'] : undefined;
    if (isObj(p)) for (const k of Object.keys(p)) if (!seen.has(k)) { seen.add(k); names.push(k); }
  }
  b.header(names);
  const acc = new FeatureRow(names);
  const reject = (row: number, column: string, code: string, why: string): void => {
    b.rejected.push({ row, column, code, message: `feature ${row}: ${why}` });
  };
  features.forEach((f, idx) => {
    const row = idx + 1;
    if (!isObj(f) || f['type'] !== 'Feature') {
      return reject(row, 'type', 'E_GEOMETRY', `not a GeoJSON Feature (${isObj(f) ? `type ${showValue(f['type'])}` : showValue(f)})`);
    }
    const props = f['properties'];
    acc.props = isObj(props) ? props : {};
    const g = f['geometry'];
    if (g === null || g === undefined) {
      // RFC 7946 allows a null geometry; the position may then come from latitude/longitude properties
      // (numbers or decimal text). Without them the feature is rejected — never placed at (0, 0).
      const plng = acc.props['longitude'];
      const plat = acc.props['latitude'];
      const asNum = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim()) ? Number(v) : NaN);
      acc.lng = asNum(plng);
      acc.lat = asNum(plat);
      if (plng === undefined || plng === null || plat === undefined || plat === null || plng === '' || plat === '') {
        return reject(row, 'geometry', 'E_GEOMETRY', 'geometry is null and the feature has no latitude/longitude properties');
      }
    } else if (!isObj(g)) {
      return reject(row, 'geometry', 'E_GEOMETRY', `geometry ${showValue(g)} is not an object`);
    } else if (g['type'] !== 'Point') {
      return reject(row, 'geometry', 'E_GEOMETRY', `geometry ${showValue(g['type'])} is not a Point`);
    } else {
      const c = g['coordinates'];
      if (!Array.isArray(c)) return reject(row, 'geometry', 'E_GEOMETRY', `Point coordinates ${showValue(c)} are not an array`);
      if (c.length === 0) return reject(row, 'geometry', 'E_EMPTY_GEOMETRY', 'Point has empty coordinates');
      if (c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
        return reject(row, 'geometry', 'E_COORD', `Point coordinates ${showValue(c)} are not [lng, lat] finite numbers`);
      }
      acc.lng = c[0];
      acc.lat = c[1];
    }
    b.row(acc, row);
  });
  return b.finish();
}

/**
 * The detections for which `keep(i)` is true, as a new Hotspots table (every column, extras included).
 *
 * @example
 * ```ts
 * import { readFirmsCsv, selectHotspots } from 'hazetrace/io';
 * const { hotspots } = readFirmsCsv('latitude,longitude,brightness,acq_date,acq_time,frp\n18.8,98.9,330,2025-04-22,0630,12\n19.1,99.2,331,2025-04-23,0630,30\n');
 * selectHotspots(hotspots, (i) => hotspots.frp[i] > 20).length; // 1
 * ```
 */
export function selectHotspots(h: Hotspots, keep: (i: number) => boolean): Hotspots {
  checkShape('h', h, { length: 'number', lng: 'arrayLike', lat: 'arrayLike', time: 'arrayLike' });
  checkFunction('keep', keep);
  const idx: number[] = [];
  for (let i = 0; i < h.length; i++) if (keep(i)) idx.push(i);
  const f64 = (a: Float64Array): Float64Array => Float64Array.from(idx, (i) => a[i] as number);
  const str = <T>(a: T[]): T[] => idx.map((i) => a[i] as T);
  return {
    length: idx.length,
    lng: f64(h.lng),
    lat: f64(h.lat),
    time: f64(h.time),
    frp: f64(h.frp),
    brightness: f64(h.brightness),
    brightness2: f64(h.brightness2),
    scan: f64(h.scan),
    track: f64(h.track),
    confidence: str(h.confidence),
    confidenceNorm: f64(h.confidenceNorm),
    satellite: str(h.satellite),
    instrument: str(h.instrument),
    daynight: str(h.daynight),
    version: str(h.version),
    extra: Object.fromEntries(Object.entries(h.extra).map(([k, v]) => [k, str(v)])),
  };
}
