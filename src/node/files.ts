/**
 * Node-only file helpers: read a path into the hazetrace/io readers, write writer output to a path.
 *
 * CSV files are streamed: 1 MiB chunks go through a fatal UTF-8 decoder straight into the CSV
 * tokenizer, so a large file is never held twice (bytes + string) — only the current chunk, a
 * partial record carried between chunks, and the columns being built.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { fromFile } from 'geotiff';
import { HazetraceError, showValue } from '../core/errors.js';
import type { CsvReaderJob } from '../io/csv.js';
import { firmsCsvJob, readFirmsGeoJson, type FirmsOptions, type FirmsResult } from '../io/firms.js';
import { readGeoJsonLayer, type GeoJsonLayerOptions, type GeoJsonLayerResult } from '../io/geojson.js';
import { rasterFromTiff, type GeoTiffBand, type GeoTiffOptions, type GeoTiffSampleType, type NativeBand, type Raster } from '../io/geotiff.js';
import { pointsCsvJob, type PointsOptions, type PointsResult } from '../io/points.js';
import { stationSeriesCsvJob, stationsCsvJob, type StationSeriesOptions, type StationSeriesResult, type StationsOptions, type StationsResult } from '../io/stations.js';
import { binaryError } from '../io/text.js';

const CHUNK = 1 << 20;

function checkPath(path: unknown): string {
  if (typeof path !== 'string' || path === '') throw new HazetraceError('E_ARG', `path must be a non-empty string, got ${showValue(path)}`, { argument: 'path', value: path });
  return path;
}

function ioError(path: string, e: unknown): HazetraceError {
  if (e instanceof HazetraceError) return e;
  const err = e as NodeJS.ErrnoException;
  return new HazetraceError(err.code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_IO', `cannot read ${JSON.stringify(path)}: ${err.message}`, { path, cause: err.code });
}

/** Stream a UTF-8 file through a CSV reader job. */
async function streamCsv<R>(path: string, what: string, job: CsvReaderJob<R>): Promise<R> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let content = false;
  try {
    job.table.expectedChars = (await stat(checkPath(path))).size; // bytes ≈ chars; only pre-sizes columns
    for await (const chunk of createReadStream(checkPath(path), { highWaterMark: CHUNK })) {
      const bytes = chunk as Buffer;
      if (bytes.indexOf(0) !== -1) throw binaryError(what, 'contains NUL bytes');
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw binaryError(what, 'is not valid UTF-8');
      }
      if (!content && /\S/.test(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)) content = true;
      job.table.tokenizer.push(text);
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      throw binaryError(what, 'is not valid UTF-8');
    }
    if (!content && /\S/.test(tail)) content = true;
    if (!content) throw new HazetraceError('E_EMPTY', `${what} input is empty (${path})`, { path });
    job.table.tokenizer.push(tail);
    job.table.tokenizer.end();
    job.table.finish();
  } catch (e) {
    throw ioError(path, e);
  }
  return job.finish();
}

/**
 * Read a FIRMS CSV file (streamed). Same result as `readFirmsCsv` on the file's text.
 *
 * @example
 * ```ts
 * import { readFirmsCsvFile } from 'hazetrace/node';
 * const { hotspots, rejected } = await readFirmsCsvFile('test/fixtures/io/firms_modis_slice.csv');
 * hotspots.length; // 30
 * ```
 */
export function readFirmsCsvFile(path: string, options: FirmsOptions = {}): Promise<FirmsResult> {
  return streamCsv(path, 'FIRMS CSV', firmsCsvJob(options));
}

/**
 * Read a station time-series CSV file (streamed). Same result as `readStationSeriesCsv` on the text.
 *
 * @example
 * ```ts
 * import { readStationSeriesCsvFile } from 'hazetrace/node';
 * const { series, stats } = await readStationSeriesCsvFile('test/fixtures/io/air4thai_hourly_slice.csv', { utcOffset: '+07:00' });
 * stats.rows === stats.accepted + stats.duplicates + stats.rejected; // true
 * ```
 */
export function readStationSeriesCsvFile(path: string, options: StationSeriesOptions = {}): Promise<StationSeriesResult> {
  return streamCsv(path, 'station series CSV', stationSeriesCsvJob(options));
}

/**
 * Read a station metadata CSV file. Same result as `readStationsCsv` on the text.
 *
 * @example
 * ```ts
 * import { readStationsCsvFile } from 'hazetrace/node';
 * const { stations } = await readStationsCsvFile('test/fixtures/io/air4thai_stations_slice.csv');
 * stations.id[0]; // '02t'
 * ```
 */
export function readStationsCsvFile(path: string, options: StationsOptions = {}): Promise<StationsResult> {
  return streamCsv(path, 'stations CSV', stationsCsvJob(options));
}

/**
 * Read a point CSV file (power plants, facilities …). Same result as `readPointsCsv` on the text.
 *
 * @example
 * ```ts
 * import { readPointsCsvFile } from 'hazetrace/node';
 * const { points } = await readPointsCsvFile('test/fixtures/io/gppd_powerplants_slice.csv');
 * points.columns.capacity_mw; // Float64Array of MW
 * ```
 */
export function readPointsCsvFile(path: string, options: PointsOptions = {}): Promise<PointsResult> {
  return streamCsv(path, 'points CSV', pointsCsvJob(options));
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(checkPath(path));
  } catch (e) {
    throw ioError(path, e);
  }
}

/**
 * Read a GeoJSON layer file (JSON has to be parsed whole, so the file is read at once).
 *
 * @example
 * ```ts
 * import { readGeoJsonLayerFile } from 'hazetrace/node';
 * const { features } = await readGeoJsonLayerFile('test/fixtures/io/th_provinces_slice.geojson');
 * features.length; // 2
 * ```
 */
export async function readGeoJsonLayerFile(path: string, options: GeoJsonLayerOptions = {}): Promise<GeoJsonLayerResult> {
  return readGeoJsonLayer(await readBytes(path), options);
}

/**
 * Read FIRMS point features from a GeoJSON file.
 *
 * @example
 * ```ts
 * import { readFirmsGeoJsonFile } from 'hazetrace/node';
 * const { hotspots } = await readFirmsGeoJsonFile('test/fixtures/io/firms_viirs_snpp_nrt_northTH_2019-07_sample.geojson');
 * hotspots.length; // 21
 * ```
 */
export async function readFirmsGeoJsonFile(path: string, options: FirmsOptions = {}): Promise<FirmsResult> {
  return readFirmsGeoJson(await readBytes(path), options);
}

/**
 * Read a GeoTIFF file with geotiff.js `fromFile`: only the header and the tiles/strips of the requested
 * window are read from disk (the pixel budget is checked before any is), and the file is closed after.
 * Options as `readGeoTiff` (hazetrace/io), including `sampleType: 'native'` (bands in the file's own typed array).
 *
 * @example
 * ```ts
 * import { readGeoTiffFile } from 'hazetrace/node';
 * const r = await readGeoTiffFile('test/fixtures/io/wind_u_4326.tif', { window: [0, 0, 3, 2], bands: [0] });
 * r.bandDescriptions; // ['2025-04-22T00:00:00Z']
 * const n = await readGeoTiffFile('test/fixtures/io/grid_4326.tif', { sampleType: 'native' });
 * n.bands[0]!.constructor.name; // 'Float32Array'
 * ```
 */
export function readGeoTiffFile<S extends GeoTiffSampleType>(path: string, options: GeoTiffOptions<S> & { sampleType: S }): Promise<Raster<GeoTiffBand<S>>>;
export function readGeoTiffFile(path: string, options?: GeoTiffOptions): Promise<Raster>;
export async function readGeoTiffFile(path: string, options: GeoTiffOptions<GeoTiffSampleType> = {}): Promise<Raster<NativeBand>> {
  let tiff;
  try {
    tiff = await fromFile(checkPath(path), options.signal);
  } catch (e) {
    if (e instanceof HazetraceError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined) throw ioError(path, e);
    throw new HazetraceError('E_INPUT', `${JSON.stringify(path)} is not a readable GeoTIFF: ${(e as Error).message}`, { path });
  }
  try {
    // file size: strips past the end are refused
    return await rasterFromTiff(tiff, options, (await stat(checkPath(path))).size);
  } finally {
    await tiff.close();
  }
}

/**
 * Write a writer's output (text or bytes, e.g. `cellsToCsv`, `cellsToArrow`, `JSON.stringify(cellsToGeoJson(...))`) to a file.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeOutputFile } from 'hazetrace/node';
 * await writeOutputFile(join(tmpdir(), 'cells.csv'), 'hex_id,count\n85650c4bfffffff,3\n');
 * ```
 */
export async function writeOutputFile(path: string, data: string | Uint8Array): Promise<void> {
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) throw new HazetraceError('E_ARG', `data must be a string or Uint8Array, got ${showValue(data)}`, { argument: 'data' });
  try {
    await writeFile(checkPath(path), data);
  } catch (e) {
    throw new HazetraceError('E_IO', `cannot write ${JSON.stringify(path)}: ${(e as Error).message}`, { path });
  }
}
