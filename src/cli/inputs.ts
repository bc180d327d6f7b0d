/**
 * Input loaders for the CLI: each reads one file with the library reader, reports rejected rows
 * (never silently), and turns "no usable data" into a bad-input error that names the option and file.
 */
import { HazetraceError, type Hotspots, type RejectedRow, type StationSeries, type Stations, type WindField } from '../core/index.js';
import { resolve } from 'node:path';
import { readFirmsCsv, readFirmsGeoJson, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv, type FeatureCollection, type StationSeriesResult } from '../io/index.js';
import { openWindFile } from '../node/index.js';
import { facilitySources, type SourceLayer, type TagOptions } from '../attribution/index.js';
import { extOf, readText } from './options.js';
import { inputError, withInput } from './errors.js';

/** A note about rows a reader did not accept, for the summary (first few reasons shown). */
export interface InputNote {
  option: string;
  path: string;
  accepted: number;
  rejected: RejectedRow[];
}

/**
 * "row N (column): message" for one rejected row. Some readers already start their message with
 * "row N:" (e.g. the facility reader); that prefix is dropped so the row is named once.
 */
export function rejectedRowText(r: RejectedRow): string {
  const message = r.message.replace(new RegExp(`^\\s*row ${r.row}\\b\\s*:?\\s*`, 'i'), '');
  return `row ${r.row}${r.column ? ` (${r.column})` : ''}: ${message}`;
}

export function describeRejected(n: InputNote): string {
  if (n.rejected.length === 0) return `${n.path}: ${n.accepted} rows`;
  const first = n.rejected.slice(0, 3).map(rejectedRowText).join('; ');
  return `${n.path}: ${n.accepted} rows accepted, ${n.rejected.length} rejected (${first}${n.rejected.length > 3 ? '; ...' : ''})`;
}

function requireRows(option: string, path: string, accepted: number, rejected: RejectedRow[], what: string): void {
  if (accepted > 0) return;
  const why = rejected[0] ? ` (first problem: ${rejectedRowText(rejected[0])})` : '';
  throw inputError(`no usable ${what} in ${path}: 0 rows accepted, ${rejected.length} rejected${why}`, `--${option} ${path}`, `check that it is a ${what} file`);
}

export async function loadHotspots(option: string, path: string, cwd: string): Promise<{ hotspots: Hotspots; note: InputNote }> {
  const text = readText(option, path, cwd);
  const r = await withInput(`--${option} ${path}`, () =>
    ['.geojson', '.json'].includes(extOf(path)) ? readFirmsGeoJson(text) : readFirmsCsv(text),
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
  const text = readText(option, path, cwd);
  const r = await withInput(`--${option} ${path}`, () => readStationSeriesCsv(text, { utcOffset }), 'give a long CSV station_id,date_local,time_local,pm25_ugm3 (hour-ending local times)');
  requireRows(option, path, r.series.length, r.rejected, 'PM2.5 series');
  const cols = Object.keys(r.series.values);
  const column = cols.find((c) => c.toLowerCase().includes('pm25'));
  if (column === undefined) {
    throw inputError(`no PM2.5 column in ${path} (columns read: ${cols.join(', ') || 'none'})`, `--${option} ${path}`, 'name the value column pm25_ugm3');
  }
  return { series: r.series, result: r, column, note: { option, path, accepted: r.series.length, rejected: r.rejected } };
}

export async function loadStations(option: string, path: string, cwd: string): Promise<{ stations: Stations; note: InputNote }> {
  const text = readText(option, path, cwd);
  const r = await withInput(`--${option} ${path}`, () => readStationsCsv(text), 'give a CSV station_id,lat,long');
  requireRows(option, path, r.stations.length, r.rejected, 'station');
  return { stations: r.stations, note: { option, path, accepted: r.stations.length, rejected: r.rejected } };
}

export async function loadPolygons(option: string, path: string, cwd: string): Promise<{ fc: FeatureCollection; note: InputNote }> {
  const text = readText(option, path, cwd);
  const r = await withInput(`--${option} ${path}`, () => readGeoJsonLayer(text), 'give a GeoJSON FeatureCollection of Polygon/MultiPolygon features in WGS84');
  const polys = r.features.filter((f) => f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'));
  requireRows(option, path, polys.length, r.rejected, 'polygon');
  return {
    fc: { type: 'FeatureCollection', features: polys as FeatureCollection['features'] },
    note: { option, path, accepted: polys.length, rejected: r.rejected },
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
  const note = r.kind === 'point-csv' ? { note: { option, path: value, accepted: r.accepted, rejected: r.rejected } } : {};
  return { field: r.field, describe: r.describe, coarse: r.coarse, ...note };
}
