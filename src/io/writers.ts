/**
 * Writers for H3 cell grids and generic tables. Browser-safe: they return strings or bytes; writing
 * files is `hazetrace/node`'s job. Output is what kepler.gl, deck.gl, DuckDB and pandas read as is:
 * an `h3` property (GeoJSON) / `hex_id` column (CSV) / Utf8 `h3` column (Arrow) holding h3-js hex strings.
 */
import { Table, TimestampMillisecond, Utf8, makeData, makeVector, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { cellToBoundary, isValidCell } from 'h3-js';
import { HazetraceError, showValue } from '../core/errors.js';
import { toIsoUtc } from '../core/time.js';
import type { CellGrid } from '../core/types.js';
import { featureCollection, type Feature, type FeatureCollection, type Geometry, type Position } from './geojson.js';

/** Check a CellGrid's shape (aligned columns, valid cells) before writing; throws `E_ARG` naming the problem. */
function checkGrid(grid: CellGrid, validate: boolean): void {
  if (grid === null || typeof grid !== 'object' || !Array.isArray(grid.cells) || grid.columns === null || typeof grid.columns !== 'object') {
    throw new HazetraceError('E_ARG', `grid must be a CellGrid { res, cells, columns }, got ${showValue(grid)}`, { argument: 'grid' });
  }
  const n = grid.cells.length;
  for (const [name, col] of Object.entries(grid.columns)) {
    if (col.length !== n) throw new HazetraceError('E_ARG', `grid.columns.${name} has length ${col.length}, grid.cells has ${n}`, { argument: 'grid', column: name });
  }
  if (grid.time && grid.time.length !== n) throw new HazetraceError('E_ARG', `grid.time has length ${grid.time.length}, grid.cells has ${n}`, { argument: 'grid' });
  if (validate) {
    for (let i = 0; i < n; i++) {
      if (!isValidCell(grid.cells[i]!)) throw new HazetraceError('E_ARG', `grid.cells[${i}] is not a valid H3 cell: ${showValue(grid.cells[i])}`, { argument: 'grid', index: i });
    }
  }
}

/** Options for {@link cellsToGeoJson}. */
export interface CellsGeoJsonOptions {
  /**
   * Cells whose boundary crosses the antimeridian: `'split'` (default) cuts the hexagon at ±180° into a
   * MultiPolygon whose parts stay inside -180..180 (valid RFC 7946, §3.1.9); `'shift'` keeps one Polygon
   * with the western vertices moved by +360° (longitudes up to 360, what deck.gl's wrap-around draws).
   */
  antimeridian?: 'split' | 'shift';
  /** Round coordinates to this many decimals (default 7, ~1 cm; `null` keeps full precision). */
  precision?: number | null;
}

/** Clip a ring (lng possibly > 180 after shifting) to one side of x = 180 (Sutherland–Hodgman on one edge). */
function clipRing(ring: Position[], keepWest: boolean): Position[] {
  const inside = (p: Position): boolean => (keepWest ? p[0]! <= 180 : p[0]! >= 180);
  const out: Position[] = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const a = ring[i]!;
    const b = ring[i + 1]!;
    const ia = inside(a);
    const ib = inside(b);
    if (ia) out.push(a);
    if (ia !== ib) {
      const t = (180 - a[0]!) / (b[0]! - a[0]!);
      out.push([180, a[1]! + t * (b[1]! - a[1]!)]);
    }
  }
  if (out.length > 0) out.push(out[0]!);
  return out;
}

/** One cell's geometry in [lng, lat], handling the antimeridian. */
function cellGeometry(cell: string, mode: 'split' | 'shift', round: (v: number) => number): Geometry {
  // h3-js with formatAsGeoJson = true gives a closed [lng, lat] ring (counter-clockwise).
  const ring = cellToBoundary(cell, true) as Position[];
  let minL = Infinity;
  let maxL = -Infinity;
  for (const p of ring) {
    if (p[0]! < minL) minL = p[0]!;
    if (p[0]! > maxL) maxL = p[0]!;
  }
  const r = (pts: Position[]): Position[] => pts.map((p) => [round(p[0]!), round(p[1]!)]);
  if (maxL - minL <= 180) return { type: 'Polygon', coordinates: [r(ring)] };
  // Crosses the antimeridian: move western vertices east by 360 so the ring is continuous.
  const shifted = ring.map((p) => (p[0]! < 0 ? [p[0]! + 360, p[1]!] : [p[0]!, p[1]!]));
  if (mode === 'shift') return { type: 'Polygon', coordinates: [r(shifted)] };
  const west = clipRing(shifted, true);
  const east = clipRing(shifted, false).map((p) => [p[0]! - 360, p[1]!]);
  const parts: Position[][][] = [];
  if (west.length >= 4) parts.push([r(west)]);
  if (east.length >= 4) parts.push([r(east)]);
  return { type: 'MultiPolygon', coordinates: parts };
}

/**
 * A CellGrid as a GeoJSON FeatureCollection of hexagon Polygons: property `h3` (the cell), `time`
 * (ISO UTC, when the grid is per time bin), then one property per column (NaN → null).
 * Antimeridian-crossing cells are split (default) or shifted, see {@link CellsGeoJsonOptions}.
 *
 * @example
 * ```ts
 * import { cellsToGeoJson } from 'hazetrace/io';
 * const fc = cellsToGeoJson({ res: 5, cells: ['85650c4bfffffff'], columns: { count: new Float64Array([3]) } });
 * fc.features[0]!.properties.h3; // '85650c4bfffffff'
 * ```
 */
export function cellsToGeoJson(grid: CellGrid, options: CellsGeoJsonOptions = {}): FeatureCollection {
  const feature = cellFeatureMaker(grid, options);
  return featureCollection(grid.cells.map((_, i) => feature(i)));
}

/** Validate the grid and options once; returns a function building feature `i`. */
function cellFeatureMaker(grid: CellGrid, options: CellsGeoJsonOptions): (i: number) => Feature {
  checkGrid(grid, true);
  if (options === null || typeof options !== 'object') throw new HazetraceError('E_ARG', `options must be an object, got ${showValue(options)}`, { argument: 'options' });
  const mode = options.antimeridian ?? 'split';
  if (mode !== 'split' && mode !== 'shift') throw new HazetraceError('E_ARG', `antimeridian must be "split" or "shift", got ${showValue(mode)}`, { argument: 'antimeridian', value: mode });
  const precision = options.precision === undefined ? 7 : options.precision;
  if (precision !== null && !(Number.isInteger(precision) && precision >= 0 && precision <= 15)) {
    throw new HazetraceError('E_ARG', `precision must be an integer in 0..15 or null, got ${showValue(precision)}`, { argument: 'precision', value: precision });
  }
  const f = precision === null ? 0 : 10 ** precision;
  const round = precision === null ? (v: number) => v : (v: number) => Math.round(v * f) / f;
  const names = Object.keys(grid.columns);
  return (i) => {
    const cell = grid.cells[i]!;
    const properties = Object.create(null) as Record<string, unknown>;
    properties['h3'] = cell;
    if (grid.time) properties['time'] = toIsoUtc(grid.time[i]!);
    for (const name of names) {
      const v = grid.columns[name]![i]!;
      properties[name] = Number.isFinite(v) ? v : null;
    }
    return { type: 'Feature', geometry: cellGeometry(cell, mode, round), properties };
  };
}

/**
 * {@link cellsToGeoJson} as text, piece by piece: the FeatureCollection opening, then one feature per
 * piece (one per line), then the closing. Joined, the pieces are one GeoJSON document equal to
 * `JSON.stringify(cellsToGeoJson(grid, options))` once parsed; no piece holds more than one feature, so
 * a grid of millions of cells can be written to a file or stream without one giant string. The grid and
 * options are checked when this is called (`E_ARG`), not when the first piece is pulled.
 *
 * @example
 * ```ts
 * import { cellsToGeoJsonChunks } from 'hazetrace/io';
 * const text = [...cellsToGeoJsonChunks({ res: 5, cells: ['85650c4bfffffff'], columns: { count: new Float64Array([3]) } })].join('');
 * JSON.parse(text).features[0].properties.h3; // '85650c4bfffffff'
 * ```
 */
export function cellsToGeoJsonChunks(grid: CellGrid, options: CellsGeoJsonOptions = {}): Iterable<string> {
  const feature = cellFeatureMaker(grid, options);
  const n = grid.cells.length;
  return (function* pieces(): Generator<string> {
    yield '{"type":"FeatureCollection","features":[';
    for (let i = 0; i < n; i++) yield (i === 0 ? '\n' : ',\n') + JSON.stringify(feature(i));
    yield '\n]}\n';
  })();
}

/** Options for {@link toCsv}. */
export interface CsvWriteOptions {
  /** Line ending. Default `'\n'` (RFC 4180 says CRLF; every reader accepts LF). */
  newline?: '\n' | '\r\n';
}

/**
 * Format one value for CSV: numbers in JavaScript's shortest round-trip form (`String(n)`, so the
 * same double always prints the same text and reads back exactly), NaN/null/undefined → empty,
 * `-0` → `0`, Infinity as `inf`/`-inf` (what pandas and DuckDB parse), Date → ISO UTC, text quoted per
 * RFC 4180 when it holds `,` `"` CR or LF, or starts/ends with a space.
 */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    if (v === Infinity) return 'inf';
    if (v === -Infinity) return '-inf';
    return v === 0 ? '0' : String(v);
  }
  if (v instanceof Date) return toIsoUtc(v.getTime());
  const s = String(v);
  if (/[",\r\n]/.test(s) || /^\s|\s$/.test(s)) return '"' + s.replace(/"/g, '""') + '"';
  return s;
}

/**
 * Write a table as RFC 4180 CSV: a header, then either rows (arrays of values) or columns (one
 * array-like per header name, e.g. typed arrays). Numbers use the shortest round-trip text; NaN,
 * null and undefined become empty fields; fields are quoted only when needed.
 *
 * @example
 * ```ts
 * import { toCsv } from 'hazetrace/io';
 * toCsv(['name', 'pm25'], [['Chiang Mai, 35T', 81.5], ['Mae Sai', NaN]]); // 'name,pm25\n"Chiang Mai, 35T",81.5\nMae Sai,\n'
 * toCsv(['a', 'b'], { columns: [new Float64Array([1, 2]), ['x', 'y']] }); // 'a,b\n1,x\n2,y\n'
 * ```
 */
export function toCsv(header: readonly string[], data: readonly (readonly unknown[])[] | { columns: readonly ArrayLike<unknown>[] }, options: CsvWriteOptions = {}): string {
  return [...toCsvChunks(header, data, options)].join('');
}

/**
 * {@link toCsv} piece by piece: the header line, then one piece per row (each ending in the newline).
 * Joined, the pieces equal `toCsv(header, data, options)`; use it to write a large table to a file or
 * stream without building the whole text. Arguments are checked when this is called (`E_ARG`).
 *
 * @example
 * ```ts
 * import { toCsvChunks } from 'hazetrace/io';
 * [...toCsvChunks(['a', 'b'], { columns: [new Float64Array([1, 2]), ['x', 'y']] })]; // ['a,b\n', '1,x\n', '2,y\n']
 * ```
 */
export function toCsvChunks(header: readonly string[], data: readonly (readonly unknown[])[] | { columns: readonly ArrayLike<unknown>[] }, options: CsvWriteOptions = {}): Iterable<string> {
  if (!Array.isArray(header) || !header.every((h) => typeof h === 'string')) throw new HazetraceError('E_ARG', `header must be an array of strings, got ${showValue(header)}`, { argument: 'header' });
  if (options === null || typeof options !== 'object') throw new HazetraceError('E_ARG', `options must be an object, got ${showValue(options)}`, { argument: 'options' });
  const nl = options.newline ?? '\n';
  if (nl !== '\n' && nl !== '\r\n') throw new HazetraceError('E_ARG', `newline must be "\\n" or "\\r\\n", got ${showValue(nl)}`, { argument: 'newline' });
  const head = header.map(csvField).join(',') + nl;
  if (Array.isArray(data)) {
    data.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== header.length) throw new HazetraceError('E_ARG', `rows[${i}] must have ${header.length} values, got ${showValue(row)}`, { argument: 'rows', index: i });
    });
    const rows = data as readonly (readonly unknown[])[];
    return (function* pieces(): Generator<string> {
      yield head;
      for (const row of rows) yield row.map(csvField).join(',') + nl;
    })();
  }
  if (data && Array.isArray((data as { columns?: unknown }).columns)) {
    const cols = (data as { columns: ArrayLike<unknown>[] }).columns;
    if (cols.length !== header.length) throw new HazetraceError('E_ARG', `columns must have ${header.length} entries (one per header name), got ${cols.length}`, { argument: 'columns' });
    const n = cols.length > 0 ? cols[0]!.length : 0;
    cols.forEach((c, k) => {
      if (c === null || typeof c !== 'object' || typeof c.length !== 'number') throw new HazetraceError('E_ARG', `columns[${k}] must be an array, got ${showValue(c)}`, { argument: 'columns', index: k });
      if (c.length !== n) throw new HazetraceError('E_ARG', `columns[${k}] (${header[k]}) has length ${c.length}, columns[0] has ${n}`, { argument: 'columns', index: k });
    });
    return (function* pieces(): Generator<string> {
      yield head;
      const line = new Array<string>(cols.length);
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < cols.length; k++) line[k] = csvField(cols[k]![i]);
        yield line.join(',') + nl;
      }
    })();
  }
  throw new HazetraceError('E_ARG', `data must be an array of rows or { columns }, got ${showValue(data)}`, { argument: 'data' });
}

/**
 * A CellGrid as CSV: `hex_id` first, then `time` (ISO UTC) when the grid is per time bin, then the
 * value columns in their key order. Number formatting as in {@link toCsv}.
 *
 * @example
 * ```ts
 * import { cellsToCsv } from 'hazetrace/io';
 * cellsToCsv({ res: 5, cells: ['85650c4bfffffff'], columns: { count: new Float64Array([3]) } }); // 'hex_id,count\n85650c4bfffffff,3\n'
 * ```
 */
export function cellsToCsv(grid: CellGrid, options: CsvWriteOptions = {}): string {
  return [...cellsToCsvChunks(grid, options)].join('');
}

/**
 * {@link cellsToCsv} piece by piece (header, then one row per piece): joined, equal to `cellsToCsv(grid)`.
 * For writing grids of millions of cells without one giant string. The grid is checked when called.
 *
 * @example
 * ```ts
 * import { cellsToCsvChunks } from 'hazetrace/io';
 * [...cellsToCsvChunks({ res: 5, cells: ['85650c4bfffffff'], columns: { count: new Float64Array([3]) } })]; // ['hex_id,count\n', '85650c4bfffffff,3\n']
 * ```
 */
export function cellsToCsvChunks(grid: CellGrid, options: CsvWriteOptions = {}): Iterable<string> {
  checkGrid(grid, false);
  const names = Object.keys(grid.columns);
  const header = ['hex_id', ...(grid.time ? ['time'] : []), ...names];
  // Validates the options (and writes the header) through toCsvChunks; rows are made here so the ISO
  // time text is built per row, not as a whole extra column.
  const head = toCsvChunks(header, [], options);
  const nl = options.newline ?? '\n';
  const time = grid.time;
  const cols = names.map((n) => grid.columns[n]!);
  const cells = grid.cells;
  return (function* pieces(): Generator<string> {
    yield* head;
    const line = new Array<string>(header.length);
    for (let i = 0; i < cells.length; i++) {
      let k = 0;
      line[k++] = csvField(cells[i]);
      if (time) line[k++] = toIsoUtc(time[i]!);
      for (const c of cols) line[k++] = csvField(c[i]);
      yield line.join(',') + nl;
    }
  })();
}

/** Options for {@link cellsToArrow}. */
export interface CellsArrowOptions {
  /** `'file'` (default; the `.arrow` / Feather v2 file DuckDB, pandas and kepler.gl open) or `'stream'`. */
  format?: 'file' | 'stream';
}

/**
 * A CellGrid as Apache Arrow IPC bytes: a Utf8 column `h3`, a `time` column (Timestamp ms, UTC) when
 * the grid is per time bin, then one Float64 column per value column (NaN kept as NaN).
 *
 * @example
 * ```ts
 * import { tableFromIPC } from 'apache-arrow';
 * import { cellsToArrow } from 'hazetrace/io';
 * const bytes = cellsToArrow({ res: 5, cells: ['85650c4bfffffff'], columns: { count: new Float64Array([3]) } });
 * tableFromIPC(bytes).getChild('h3')!.get(0); // '85650c4bfffffff'
 * ```
 */
export function cellsToArrow(grid: CellGrid, options: CellsArrowOptions = {}): Uint8Array {
  checkGrid(grid, false);
  const format = options.format ?? 'file';
  if (format !== 'file' && format !== 'stream') throw new HazetraceError('E_ARG', `format must be "file" or "stream", got ${showValue(format)}`, { argument: 'format', value: format });
  const vectors: Record<string, Vector> = {};
  vectors['h3'] = vectorFromArray(grid.cells, new Utf8());
  if (grid.time) {
    // Timestamp(ms, UTC) stores int64 epoch ms.
    const ms = new BigInt64Array(grid.time.length);
    for (let i = 0; i < grid.time.length; i++) ms[i] = BigInt(Math.round(grid.time[i]!));
    vectors['time'] = makeVector(makeData({ type: new TimestampMillisecond('UTC'), length: ms.length, data: new Int32Array(ms.buffer), nullCount: 0 }));
  }
  for (const [name, col] of Object.entries(grid.columns)) {
    if (name in vectors) throw new HazetraceError('E_ARG', `grid column name ${showValue(name)} clashes with the h3/time column`, { argument: 'grid', column: name });
    vectors[name] = makeVector(Float64Array.from(col));
  }
  const table = new Table(vectors);
  return tableToIPC(table, format);
}
