/**
 * Station time series (PM2.5 and friends) as Parquet, both ways: a long table `station` (STRING), `time`
 * (TIMESTAMP, ms UTC), one DOUBLE column per value column (NaN ↔ NULL), and the series' time basis in the file
 * metadata (`hazetrace:timeBasis`). Engines read it natively (DuckDB `read_parquet`); hazetrace reads it back exactly:
 * the same times and values, bit for bit, in the same order. `hazetrace batch plan` writes one such file per station
 * so a unit reads only its own station's season (docs/batch.md).
 */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { HazetraceError, argError } from '../core/errors.js';
import { readCounts, type ReadCounts } from '../core/ranges.js';
import type { RejectedRow, StationSeries } from '../core/types.js';
import { tableToParquet, type ParquetColumn } from './parquet.js';

/** How a series' times are labelled: ends of hours or starts of local days (see `readStationSeriesCsv`). */
export type SeriesTimeBasis = 'hour-end' | 'day-start';

/** What {@link readStationSeriesParquet} returns: accepted rows, rejected rows, counts that add up. */
export interface StationSeriesParquetResult {
  series: StationSeries;
  timeBasis: SeriesTimeBasis;
  /** Rows with no station or no time (row = 1-based data row, column, reason). */
  rejected: RejectedRow[];
  counts: ReadCounts;
}

const BASIS_KEY = 'hazetrace:timeBasis';

/**
 * Write a station series as Parquet: `station`, `time` (TIMESTAMP ms), one DOUBLE column per value column (NaN →
 * NULL), `timeBasis` in the file metadata. Times must be whole milliseconds (every reader's are), so
 * {@link readStationSeriesParquet} gives them back exactly. Deterministic: the same series give the same bytes.
 *
 * @example
 * ```ts
 * import { readStationSeriesCsv, stationSeriesToParquet, readStationSeriesParquet } from 'hazetrace/io';
 * const r = readStationSeriesCsv('station_id,date_local,time_local,pm25\n35t,2025-04-21,01:00,60\n35t,2025-04-21,02:00,\n');
 * const back = await readStationSeriesParquet(stationSeriesToParquet(r));
 * back.series.time[0] === r.series.time[0]; // true
 * back.series.values['pm25']![1]; // NaN
 * ```
 */
export function stationSeriesToParquet(input: StationSeries | { series: StationSeries; timeBasis?: SeriesTimeBasis }): Uint8Array {
  if (!input || typeof input !== 'object') throw argError('series', input, 'a StationSeries or readStationSeriesCsv(...)');
  const wrapped = 'series' in input && input.series && typeof input.series === 'object';
  const s = (wrapped ? input.series : input) as StationSeries;
  const timeBasis = (wrapped ? (input as { timeBasis?: SeriesTimeBasis }).timeBasis : undefined) ?? 'hour-end';
  if (timeBasis !== 'hour-end' && timeBasis !== 'day-start') throw argError('series.timeBasis', timeBasis, "'hour-end' or 'day-start'");
  if (!Number.isInteger(s.length) || s.length < 0 || !Array.isArray(s.station) || !(s.time instanceof Float64Array) || !s.values || typeof s.values !== 'object') {
    throw argError('series', s, '{ length, station, time, values } (a StationSeries)');
  }
  if (s.station.length !== s.length || s.time.length !== s.length) throw argError('series', s, `station and time of length ${s.length}`);
  for (let i = 0; i < s.length; i++) {
    if (!Number.isInteger(s.time[i]!)) throw argError(`series.time[${i}]`, s.time[i], 'whole epoch milliseconds');
  }
  const columns: ParquetColumn[] = [
    { name: 'station', type: 'STRING', values: s.station },
    { name: 'time', type: 'TIMESTAMP', values: s.time },
  ];
  for (const [name, v] of Object.entries(s.values)) {
    if (name === 'station' || name === 'time') throw argError('series.values', name, "value columns not named 'station' or 'time'");
    if (!v || v.length !== s.length) throw argError(`series.values.${name}`, v, `${s.length} numbers`);
    columns.push({ name, type: 'DOUBLE', values: v });
  }
  return tableToParquet(columns, { metadata: { [BASIS_KEY]: timeBasis } });
}

/**
 * Read a station series back from Parquet written by {@link stationSeriesToParquet} (or any table with a `station`
 * text column, a `time` timestamp column and numeric value columns; NULL → NaN). A row with no station or no time is
 * rejected (row, column, reason); `counts` add up. The time basis comes from the file metadata ('hour-end' when
 * absent). Bad bytes: `E_FORMAT`; no `station` or `time` column: `E_COLUMNS`.
 *
 * @example
 * ```ts
 * import { readStationSeriesParquet, stationSeriesToParquet } from 'hazetrace/io';
 * const bytes = stationSeriesToParquet({ length: 1, station: ['35t'], time: new Float64Array([Date.UTC(2025, 3, 21)]), values: { pm25: new Float64Array([41.5]) } });
 * const { series, counts } = await readStationSeriesParquet(bytes);
 * series.values['pm25']![0]; // 41.5
 * counts.rows === counts.accepted + counts.rejected; // true
 * ```
 */
export async function readStationSeriesParquet(input: ArrayBuffer | ArrayBufferView): Promise<StationSeriesParquetResult> {
  let file: ArrayBuffer;
  if (input instanceof ArrayBuffer) file = input;
  else if (ArrayBuffer.isView(input)) file = input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength) as ArrayBuffer;
  else throw argError('input', input, 'Parquet bytes (ArrayBuffer or Uint8Array)');
  let rows: Record<string, unknown>[];
  let kv: { key: string; value?: string }[];
  let names: string[];
  try {
    const meta = parquetMetadata(file);
    kv = meta.key_value_metadata ?? [];
    names = meta.schema.slice(1).map((e) => e.name);
    rows = await parquetReadObjects({ file, metadata: meta });
  } catch (e) {
    throw new HazetraceError('E_FORMAT', `station series Parquet: ${(e as Error).message}`);
  }
  const missing = ['station', 'time'].filter((c) => !names.includes(c));
  if (missing.length) throw new HazetraceError('E_COLUMNS', `station series Parquet: no ${missing.join(' or ')} column (columns: ${names.join(', ')})`);
  const basis = kv.find((e) => e.key === BASIS_KEY)?.value ?? 'hour-end';
  if (basis !== 'hour-end' && basis !== 'day-start') throw new HazetraceError('E_FORMAT', `station series Parquet: ${BASIS_KEY} is ${JSON.stringify(basis)}, not 'hour-end' or 'day-start'`);
  const valueNames = names.filter((c) => c !== 'station' && c !== 'time');
  const station: string[] = [];
  const time: number[] = [];
  const vals: number[][] = valueNames.map(() => []);
  const rejected: RejectedRow[] = [];
  rows.forEach((r, i) => {
    const row = i + 1;
    const st = r['station'];
    const t = r['time'];
    const ms = t instanceof Date ? t.getTime() : typeof t === 'number' || typeof t === 'bigint' ? Number(t) : NaN;
    if (typeof st !== 'string' || st === '') return void rejected.push({ row, column: 'station', code: 'E_VALUE', message: `row ${row}: station is empty` });
    if (!Number.isFinite(ms)) return void rejected.push({ row, column: 'time', code: 'E_DATE', message: `row ${row}: time is empty or not a timestamp` });
    station.push(st);
    time.push(ms);
    valueNames.forEach((c, k) => {
      const v = r[c];
      vals[k]!.push(typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : NaN);
    });
  });
  const values: Record<string, Float64Array> = {};
  valueNames.forEach((c, k) => (values[c] = Float64Array.from(vals[k]!)));
  return { series: { length: station.length, station, time: Float64Array.from(time), values }, timeBasis: basis, rejected, counts: readCounts(station.length, rejected) };
}
