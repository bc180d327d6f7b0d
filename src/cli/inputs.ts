/**
 * Input loaders for the CLI: each reads one file with the library reader, reports rejected rows
 * (never silently), and turns "no usable data" into a bad-input error that names the option and file.
 */
import { HazetraceError, type Hotspots, type RejectedRow, type StationSeries, type Stations, type WindField } from '../core/index.js';
import { resolve } from 'node:path';
import { readFirmsGeoJson, readGeoJsonLayer, type FeatureCollection, type StationSeriesResult } from '../io/index.js';
import { openWindFile, readFirmsCsvFile, readStationSeriesCsvFile, readStationsCsvFile } from '../node/index.js';
import { facilitySources, type SourceLayer, type TagOptions } from '../attribution/index.js';
import { checkInputFile, extOf, readText } from './options.js';
import { inputError, withInput } from './errors.js';

/** A note about rows a reader did not accept, for the summary (first few reasons shown). */
export interface InputNote {
  option: string;
  path: string;
  accepted: number;
  rejected: RejectedRow[];
  /** What a row of this input is (default 'rows'; 'features' for GeoJSON layers, 'observations' for wind). */
  unit?: string;
}

/** How many rejection reasons summaries and `--json` list before "and K more". */
export const REJECTED_SHOWN = 5;

/**
 * "row N (column): message" for one rejected row. Some readers already start their message with
 * "row N:" (e.g. the facility reader); that prefix is dropped so the row is named once.
 */
export function rejectedRowText(r: RejectedRow): string {
  return `row ${r.row}${r.column ? ` (${r.column})` : ''}: ${rejectedReason(r)}`;
}

/** A rejected row's message without a leading "row N:" (the row is given on its own). */
export function rejectedReason(r: RejectedRow): string {
  return r.message.replace(new RegExp(`^\\s*row ${r.row}\\b\\s*:?\\s*`, 'i'), '');
}

/**
 * One summary line per input: accepted and rejected counts, then the first {@link REJECTED_SHOWN}
 * reasons (row, column, reason) and "and K more" when there are more.
 */
export function describeRejected(n: InputNote, shown = REJECTED_SHOWN): string {
  const unit = n.unit ?? 'rows';
  if (n.rejected.length === 0) return `${n.path}: ${n.accepted} ${unit} accepted, 0 rejected`;
  const first = n.rejected.slice(0, shown).map(rejectedRowText).join('; ');
  const more = n.rejected.length - Math.min(shown, n.rejected.length);
  return `${n.path}: ${n.accepted} ${unit} accepted, ${n.rejected.length} rejected (${first}${more > 0 ? `; and ${more} more` : ''})`;
}

/** An input note for `--json`: counts, the first `shown` rejections as { row, column, code, reason }, and how many more. */
export function noteJson(n: InputNote, shown = 20): Record<string, unknown> {
  return {
    option: `--${n.option}`,
    path: n.path,
    unit: n.unit ?? 'rows',
    accepted: n.accepted,
    rejectedCount: n.rejected.length,
    rejected: n.rejected.slice(0, shown).map((r) => ({ row: r.row, column: r.column ?? null, code: r.code, reason: rejectedReason(r) })),
    moreRejected: Math.max(0, n.rejected.length - shown),
  };
}

function requireRows(option: string, path: string, accepted: number, rejected: RejectedRow[], what: string): void {
  if (accepted > 0) return;
  const why = rejected[0] ? ` (first problem: ${rejectedRowText(rejected[0])})` : '';
  throw inputError(`no usable ${what} in ${path}: 0 rows accepted, ${rejected.length} rejected${why}`, `--${option} ${path}`, `check that it is a ${what} file`);
}

export async function loadHotspots(option: string, path: string, cwd: string): Promise<{ hotspots: Hotspots; note: InputNote }> {
  // CSV is streamed from disk (memory grows with the rows kept, not the file); GeoJSON is parsed whole.
  const geojson = ['.geojson', '.json'].includes(extOf(path));
  const file = checkInputFile(option, path, cwd).path;
  const text = geojson ? readText(option, path, cwd) : '';
  const r = await withInput(`--${option} ${path}`, () =>
    geojson ? readFirmsGeoJson(text) : readFirmsCsvFile(file),
    'give a NASA FIRMS CSV (latitude, longitude, acq_date, acq_time, frp, ...) or FIRMS GeoJSON',
  );
  requireRows(option, path, r.hotspots.length, r.rejected, 'FIRMS hotspot');
  return { hotspots: r.hotspots, note: { option, path, accepted: r.hotspots.length, rejected: r.rejected } };
}

export async function loadSeries(
  option: string,
  path: string,
  cwd: string,
  utcOffset: string,
): Promise<{ series: StationSeries; result: StationSeriesResult; column: string; note: InputNote }> {
  const file = checkInputFile(option, path, cwd).path;
  const r = await withInput(`--${option} ${path}`, () => readStationSeriesCsvFile(file, { utcOffset }), 'give a long CSV station_id,date_local,time_local,pm25_ugm3 (hour-ending local times)');
  requireRows(option, path, r.series.length, r.rejected, 'PM2.5 series');
  const cols = Object.keys(r.series.values);
  const column = cols.find((c) => c.toLowerCase().includes('pm25'));
  if (column === undefined) {
    throw inputError(`no PM2.5 column in ${path} (columns read: ${cols.join(', ') || 'none'})`, `--${option} ${path}`, 'name the value column pm25_ugm3');
  }
  return { series: r.series, result: r, column, note: { option, path, accepted: r.series.length, rejected: r.rejected } };
}

export async function loadStations(option: string, path: string, cwd: string): Promise<{ stations: Stations; note: InputNote }> {
  const file = checkInputFile(option, path, cwd).path;
  const r = await withInput(`--${option} ${path}`, () => readStationsCsvFile(file), 'give a CSV station_id,lat,long');
  requireRows(option, path, r.stations.length, r.rejected, 'station');
  return { stations: r.stations, note: { option, path, accepted: r.stations.length, rejected: r.rejected } };
}

export async function loadPolygons(option: string, path: string, cwd: string): Promise<{ fc: FeatureCollection; note: InputNote }> {
  const text = readText(option, path, cwd);
  const r = await withInput(`--${option} ${path}`, () => readGeoJsonLayer(text), 'give a GeoJSON FeatureCollection of Polygon/MultiPolygon features in WGS84');
  // Features that are not polygons are counted as rejected (with their 1-based feature index), never dropped silently.
  const rejectedRows = new Set(r.rejected.map((x) => x.row));
  const rejected = [...r.rejected];
  const polys: typeof r.features = [];
  let row = 0;
  for (const f of r.features) {
    do row++;
    while (rejectedRows.has(row));
    const t = f.geometry?.type;
    if (t === 'Polygon' || t === 'MultiPolygon') polys.push(f);
    else rejected.push({ row, column: 'geometry', code: 'E_GEOMETRY', message: `feature ${row} is ${t ? `a ${t}` : 'without geometry'}, not a Polygon or MultiPolygon` });
  }
  rejected.sort((a, b) => a.row - b.row);
  requireRows(option, path, polys.length, rejected, 'polygon');
  return {
    fc: { type: 'FeatureCollection', features: polys as FeatureCollection['features'] },
    note: { option, path, accepted: polys.length, rejected, unit: 'features' },
  };
}

export async function loadFacilities(option: string, path: string, cwd: string, tags: TagOptions): Promise<{ layer: SourceLayer; note: InputNote }> {
  const text = readText(option, path, cwd);
  const r = await withInput(`--${option} ${path}`, () => facilitySources(text, tags), 'give a CSV facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw');
  requireRows(option, path, r.layer.length, r.rejected, 'facility');
  return { layer: r.layer, note: { option, path, accepted: r.layer.length, rejected: r.rejected } };
}

/**
 * A wind field from `--wind`: ERA5-style NetCDF (`.nc`), `U.tif,V.tif` (one band per hour, band
 * description = ISO time), or a long CSV of point winds (site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from).
 * The format is read from the content by hazetrace/node `openWindFile` (hazetrace/wind `openWind`).
 */
export async function loadWind(option: string, value: string, cwd: string): Promise<{ field: WindField; describe: string; coarse: boolean; note?: InputNote }> {
  const parts = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length !== 1 && parts.length !== 2) {
    throw inputError(`--${option} takes one NetCDF/CSV file or two GeoTIFFs "U.tif,V.tif", got ${parts.length} paths`, `--${option}`, 'e.g. --wind era5.nc or --wind u10.tif,v10.tif');
  }
  const ext = extOf(parts[0] as string);
  const hint =
    parts.length === 2
      ? 'give two multi-band GeoTIFFs (U, V), one band per hour, band description = ISO time'
      : ['.nc', '.nc4', '.netcdf', '.cdf'].includes(ext)
        ? 'give an ERA5-style NetCDF with u10/v10 on a time or valid_time axis'
        : ext === '.csv' || ext === '.txt'
          ? 'give a CSV site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from'
          : ext === '.tif' || ext === '.tiff'
            ? `e.g. --${option} u10.tif,v10.tif`
            : 'use an ERA5-style NetCDF (.nc), U.tif,V.tif, or a point-wind CSV (.csv)';
  const r = await withInput(
    `--${option} ${value}`,
    async () => {
      try {
        return await openWindFile(parts.map((p) => resolve(cwd, p)), { label: parts.join(' + ') });
      } catch (e) {
        if (e instanceof HazetraceError && e.code === 'E_NOT_FOUND') {
          throw inputError(`file not found: ${String(e.details?.['path'])}`, `--${option}`, 'check the path (relative paths are from the current directory)');
        }
        throw e;
      }
    },
    hint,
  );
  const note = r.kind === 'point-csv' ? { note: { option, path: value, accepted: r.accepted, rejected: r.rejected, unit: 'wind observations' } } : {};
  return { field: r.field, describe: r.describe, coarse: r.coarse, ...note };
}
