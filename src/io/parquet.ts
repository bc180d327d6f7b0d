/**
 * Columnar outputs for analytical engines: Apache Parquet (and GeoParquet where there is geometry) written with
 * hyparquet-writer (pure JavaScript, browser-safe). DuckDB, Spark/Sedona, BigQuery, pandas/GeoPandas and Polars read
 * these files natively. H3 cells are written both as the 15-hex string (`h3`) and as the 64-bit integer (`h3_int`,
 * INT64) that engines' H3 extensions use; times as TIMESTAMP (milliseconds, UTC); missing numbers as NULL.
 *
 * GeoParquet: a `geometry` column of ISO WKB with the file metadata key `geo` (GeoParquet 1.1: `version`,
 * `primary_column`, and per column `encoding: "WKB"`, `geometry_types`, `crs: null` meaning OGC:CRS84 lon/lat).
 */
import { parquetWriteBuffer, geojsonToWkb } from 'hyparquet-writer';
import type { ColumnSource } from 'hyparquet-writer/src/types.js';
import { cellToBoundary } from 'h3-js';
import { HazetraceError, argError, showValue } from '../core/errors.js';
import type { TrajectorySet } from '../core/types.js';

/** Parquet physical/logical type of a {@link ParquetColumn}. */
export type ParquetColumnType = 'DOUBLE' | 'INT32' | 'INT64' | 'STRING' | 'BOOLEAN' | 'TIMESTAMP' | 'WKB';

/** One column of a {@link tableToParquet} table. */
export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
  /**
   * Values, one per row: numbers for DOUBLE/INT32 (NaN → NULL), bigint for INT64, epoch ms for TIMESTAMP (NaN →
   * NULL), strings for STRING (null → NULL), booleans, or WKB bytes for WKB.
   */
  values: ArrayLike<unknown>;
}

/** Options of {@link tableToParquet}. */
export interface TableToParquetOptions {
  /** Name of the WKB column to declare as GeoParquet's primary geometry, and its geometry types (e.g. `['Polygon']`). */
  geo?: { column: string; geometryTypes: string[] };
  /** Extra key/value file metadata (e.g. the settings a run used). */
  metadata?: Record<string, string>;
  /** Rows per row group, default 100,000. */
  rowGroupSize?: number;
}

const WRITER = 'hazetrace';

/**
 * Write a table of typed columns as one Parquet file (bytes). All columns must have the same length; names must be
 * distinct. Deterministic: the same columns give the same bytes.
 *
 * @example
 * ```ts
 * import { parquetReadObjects } from 'hyparquet';
 * import { tableToParquet } from 'hazetrace/io';
 * const bytes = tableToParquet([
 *   { name: 'station', type: 'STRING', values: ['35t', '36t'] },
 *   { name: 'pm25', type: 'DOUBLE', values: [41.5, NaN] },
 * ]);
 * const rows = await parquetReadObjects({ file: bytes.buffer });
 * rows[1]; // { station: '36t', pm25: null }
 * ```
 */
export function tableToParquet(columns: readonly ParquetColumn[], options: TableToParquetOptions = {}): Uint8Array {
  if (!Array.isArray(columns) || columns.length === 0) throw argError('columns', columns, 'a non-empty array of { name, type, values }');
  const n = columns[0]?.values?.length;
  const seen = new Set<string>();
  const columnData = columns.map((c, i) => {
    if (!c || typeof c.name !== 'string' || c.name === '' || !c.values || typeof c.values.length !== 'number') throw argError(`columns[${i}]`, c, '{ name, type, values }');
    if (seen.has(c.name)) throw argError(`columns[${i}].name`, c.name, 'a name not used by another column');
    seen.add(c.name);
    if (c.values.length !== n) throw new HazetraceError('E_ARG', `columns[${i}] (${c.name}) has ${c.values.length} values, columns[0] has ${n}`, { argument: `columns[${i}]` });
    return { name: c.name, ...encode(c) } as ColumnSource;
  });
  const kv: { key: string; value: string }[] = [];
  if (options.geo) {
    const g = options.geo;
    const col = columns.find((c) => c.name === g.column);
    if (!col || col.type !== 'WKB') throw argError('options.geo.column', g.column, 'the name of a WKB column');
    kv.push({ key: 'geo', value: JSON.stringify({ version: '1.1.0', primary_column: g.column, columns: { [g.column]: { encoding: 'WKB', geometry_types: g.geometryTypes } } }) });
  }
  for (const [key, value] of Object.entries(options.metadata ?? {})) {
    if (typeof value !== 'string') throw argError(`options.metadata.${key}`, value, 'a string');
    kv.push({ key, value });
  }
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) throw argError('options.rowGroupSize', rowGroupSize, 'a positive integer');
  try {
    return new Uint8Array(parquetWriteBuffer({ columnData, kvMetadata: kv, rowGroupSize, createdBy: WRITER }));
  } catch (e) {
    throw new HazetraceError('E_FORMAT', `Parquet writer failed: ${(e as Error).message}`);
  }
}

function encode(c: ParquetColumn): { data: unknown[]; type: string; nullable: boolean } {
  const v = c.values;
  const out = new Array<unknown>(v.length);
  switch (c.type) {
    case 'DOUBLE':
    case 'INT32':
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x !== 'number') throw argError(`${c.name}[${i}]`, x, 'a number');
        if (c.type === 'INT32' && Number.isFinite(x) && !Number.isInteger(x)) throw argError(`${c.name}[${i}]`, x, 'an integer');
        out[i] = Number.isNaN(x) ? null : x;
      }
      return { data: out, type: c.type, nullable: true };
    case 'TIMESTAMP':
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x !== 'number') throw argError(`${c.name}[${i}]`, x, 'epoch milliseconds');
        out[i] = Number.isFinite(x) ? Math.round(x) : null;
      }
      return { data: out, type: 'TIMESTAMP', nullable: true };
    case 'INT64':
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x !== 'bigint' && x !== null) throw argError(`${c.name}[${i}]`, x, 'a bigint');
        out[i] = x;
      }
      return { data: out, type: 'INT64', nullable: true };
    case 'STRING':
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x !== 'string' && x !== null && x !== undefined) throw argError(`${c.name}[${i}]`, x, 'a string');
        out[i] = x ?? null;
      }
      return { data: out, type: 'STRING', nullable: true };
    case 'BOOLEAN':
      for (let i = 0; i < v.length; i++) out[i] = Boolean(v[i]);
      return { data: out, type: 'BOOLEAN', nullable: false };
    case 'WKB':
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (!(x instanceof Uint8Array) && x !== null) throw argError(`${c.name}[${i}]`, x, 'WKB bytes');
        out[i] = x;
      }
      return { data: out, type: 'BYTE_ARRAY', nullable: true };
    default:
      throw argError('type', (c as { type: unknown }).type, 'DOUBLE, INT32, INT64, STRING, BOOLEAN, TIMESTAMP or WKB');
  }
}

/**
 * An H3 cell id (15 hex digits) as the unsigned 64-bit integer engines' H3 extensions use, as a bigint (INT64 in
 * Parquet holds it as the same 64 bits; valid H3 ids are below 2^63, so signed and unsigned agree).
 *
 * @example
 * ```ts
 * import { h3ToBigInt } from 'hazetrace/io';
 * h3ToBigInt('85650c4bfffffff'); // 599718724986994687n
 * ```
 */
export function h3ToBigInt(cell: string): bigint {
  if (typeof cell !== 'string' || !/^[0-9a-f]{15,16}$/i.test(cell)) throw argError('cell', cell, 'an H3 cell id of 15 hex digits');
  return BigInt('0x' + cell);
}

/** The cell grid {@link cellsToParquet} writes (what `pointsToCells` and friends return). */
export interface ParquetCellGrid {
  res: number;
  cells: readonly string[];
  time?: ArrayLike<number>;
  columns: Record<string, ArrayLike<number>>;
}

/** Options of {@link cellsToParquet}. */
export interface CellsParquetOptions {
  /** Add the hexagon as a GeoParquet `geometry` column (WKB Polygon, lon/lat), default true. */
  geometry?: boolean;
  /** Extra file metadata. */
  metadata?: Record<string, string>;
}

/**
 * An H3 cell table as Parquet: `h3` (string), `h3_int` (INT64), `res` (INT32), `time` (TIMESTAMP, when the grid is
 * per time bin), one DOUBLE column per value column (NaN → NULL) and, by default, the hexagon as a GeoParquet WKB
 * `geometry` column.
 *
 * @example
 * ```ts
 * import { parquetReadObjects } from 'hyparquet';
 * import { cellsToParquet } from 'hazetrace/io';
 * const bytes = cellsToParquet({ res: 5, cells: ['85650c4bfffffff'], columns: { count: new Float64Array([3]) } });
 * const [row] = await parquetReadObjects({ file: bytes.buffer, columns: ['h3', 'h3_int', 'count'] });
 * row; // { h3: '85650c4bfffffff', h3_int: 599718724986994687n, count: 3 }
 * ```
 */
export function cellsToParquet(grid: ParquetCellGrid, options: CellsParquetOptions = {}): Uint8Array {
  if (!grid || typeof grid !== 'object' || !Array.isArray(grid.cells) || !grid.columns || typeof grid.columns !== 'object') throw argError('grid', grid, 'a cell grid { res, cells, columns }');
  const n = grid.cells.length;
  const cols: ParquetColumn[] = [
    { name: 'h3', type: 'STRING', values: grid.cells },
    { name: 'h3_int', type: 'INT64', values: grid.cells.map(h3ToBigInt) },
    { name: 'res', type: 'INT32', values: new Array<number>(n).fill(grid.res) },
  ];
  if (grid.time) cols.push({ name: 'time', type: 'TIMESTAMP', values: grid.time });
  for (const [name, values] of Object.entries(grid.columns)) {
    if (['h3', 'h3_int', 'res', 'time', 'geometry'].includes(name)) throw argError(`grid.columns.${name}`, name, 'a column name other than h3, h3_int, res, time, geometry');
    cols.push({ name, type: 'DOUBLE', values });
  }
  const geometry = options.geometry ?? true;
  if (geometry) {
    cols.push({ name: 'geometry', type: 'WKB', values: grid.cells.map((c) => geojsonToWkb({ type: 'Polygon', coordinates: [closedRing(cellToBoundary(c, true))] })) });
  }
  return tableToParquet(cols, { ...(geometry ? { geo: { column: 'geometry', geometryTypes: ['Polygon'] } } : {}), ...(options.metadata ? { metadata: options.metadata } : {}) });
}

function closedRing(ring: number[][]): number[][] {
  const a = ring[0]!;
  const z = ring[ring.length - 1]!;
  return a[0] === z[0] && a[1] === z[1] ? ring : [...ring, a];
}

/** Options of {@link trajectoriesToParquet}. */
export interface TrajectoriesParquetOptions {
  /** Add each point as a GeoParquet WKB Point `geometry` column, default false (lng/lat columns are always there). */
  geometry?: boolean;
  /** Extra file metadata. */
  metadata?: Record<string, string>;
  /** Per-trajectory text columns (one value per trajectory, repeated on its points), e.g. `{ episode: [...] }`; written first. */
  labels?: Record<string, readonly string[]>;
}

/**
 * Trajectory points as Parquet, one row per point: `trajectory` (INT32), `receptor`, `member` (INT32), `start_time`,
 * `time` (TIMESTAMP), `age_hours`, `lng`, `lat` (DOUBLE), `stop_reason` — the columns of `trajectoriesToCsv`, at
 * about 17 bytes per point on real back-trajectories (docs/engines.md, `npm run bench:output-size`) against 84 in CSV.
 *
 * @example
 * ```ts
 * import { parquetReadObjects } from 'hyparquet';
 * import { trajectoriesToParquet } from 'hazetrace/io';
 * import { traceTrajectories, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0, receptor: 'cm' }], { hours: 2 });
 * const rows = await parquetReadObjects({ file: trajectoriesToParquet(set).buffer, columns: ['trajectory', 'age_hours'] });
 * rows.map((r) => r.age_hours); // [0, 1, 2]
 * ```
 */
export function trajectoriesToParquet(set: TrajectorySet, options: TrajectoriesParquetOptions = {}): Uint8Array {
  if (!set || typeof set !== 'object' || !set.offsets || !set.lng || typeof set.length !== 'number') throw argError('set', set, 'a TrajectorySet');
  const m = set.lng.length;
  const traj = new Int32Array(m);
  const member = new Int32Array(m);
  const start = new Float64Array(m);
  const receptor = new Array<string>(m);
  const reason = new Array<string>(m);
  for (let t = 0; t < set.length; t++) {
    for (let p = set.offsets[t]!; p < set.offsets[t + 1]!; p++) {
      traj[p] = t;
      member[p] = set.member[t]!;
      start[p] = set.startTime[t]!;
      receptor[p] = set.receptor[t] ?? '';
      reason[p] = set.stopReason[t] ?? '';
    }
  }
  const labelCols: ParquetColumn[] = Object.entries(options.labels ?? {}).map(([name, per]) => {
    if (!Array.isArray(per) || per.length !== set.length) throw argError(`options.labels.${name}`, per, `one value per trajectory (${set.length})`);
    return { name, type: 'STRING', values: Array.from(traj, (t) => per[t] ?? null) };
  });
  const cols: ParquetColumn[] = [
    ...labelCols,
    { name: 'trajectory', type: 'INT32', values: traj },
    { name: 'receptor', type: 'STRING', values: receptor },
    { name: 'member', type: 'INT32', values: member },
    { name: 'start_time', type: 'TIMESTAMP', values: start },
    { name: 'time', type: 'TIMESTAMP', values: set.time },
    { name: 'age_hours', type: 'DOUBLE', values: set.ageHours },
    { name: 'lng', type: 'DOUBLE', values: set.lng },
    { name: 'lat', type: 'DOUBLE', values: set.lat },
    { name: 'stop_reason', type: 'STRING', values: reason },
  ];
  if (options.geometry) cols.push({ name: 'geometry', type: 'WKB', values: Array.from({ length: m }, (_, p) => geojsonToWkb({ type: 'Point', coordinates: [set.lng[p]!, set.lat[p]!] })) });
  return tableToParquet(cols, { ...(options.geometry ? { geo: { column: 'geometry', geometryTypes: ['Point'] } } : {}), ...(options.metadata ? { metadata: options.metadata } : {}) });
}

/**
 * A Hive-style partition path (`key=value/…`), as Spark, DuckDB (`hive_partitioning`) and BigQuery read: keys in
 * the given order, values made safe for a path (`/`, `\`, `=`, control characters and `%` percent-encoded).
 *
 * @example
 * ```ts
 * import { hivePartitionPath } from 'hazetrace/io';
 * hivePartitionPath({ season: 2025, station: '35t' }); // 'season=2025/station=35t'
 * ```
 */
export function hivePartitionPath(parts: Record<string, string | number>): string {
  if (!parts || typeof parts !== 'object') throw argError('parts', parts, 'an object of partition keys and values');
  const entries = Object.entries(parts);
  if (!entries.length) throw argError('parts', parts, 'at least one partition key');
  return entries
    .map(([k, v]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw argError('parts', k, 'partition keys of letters, digits and _');
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) throw argError(`parts.${k}`, v, 'a string or finite number');
      const s = String(v);
      if (s === '' || s === '.' || s === '..') throw new HazetraceError('E_ARG', `partition value of ${k} must not be ${showValue(s)}`, { argument: `parts.${k}` });
      return `${k}=${s.replace(/[%/\\=\u0000-\u001f]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'))}`;
    })
    .join('/');
}
