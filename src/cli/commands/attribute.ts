/**
 * `hazetrace attribute`: PM2.5 episodes back to fires, repeat-burn areas, facilities and countries.
 * Parses, reads, calls the library's `attributeSeries`, writes and prints; no analysis here.
 */
import {
  ATTRIBUTE_DEFAULTS,
  attributeSeries,
  episodeTrajectoriesToParquet,
  episodeTrajectoryFeatures,
  poolSources,
  pooledSourcesToGeoJson,
  sharesToCsv,
  sharesToParquet,
  sourcesToParquet,
  type AttributeSeriesOptions,
  type SeriesAttribution,
} from '../../attribution/index.js';
import { HazetraceError } from '../../core/index.js';
import type { CommandContext, CommandSpec } from '../context.js';
import { inputError, usageError, withInput } from '../errors.js';
import { OutDir, numberOption, optionalOption, readText, requireOption } from '../options.js';
import { loadHotspots, loadPolygons, loadSeries, loadStations, loadWind, noteJson, type InputNote } from '../inputs.js';
import { jsonChunks, jsonWithLongArray } from '../json-stream.js';
import { summaryLines } from '../attribution-text.js';

/** The files of `--out`, each written in pieces so a season never becomes one huge string. */
function writeAttributionFiles(out: OutDir, r: SeriesAttribution, trajectories: 'all' | 'mean' | 'none', parquet: boolean): void {
  out.writeChunks('attribution.json', () => {
    const { episodes, ...rest } = r.toJSON() as { episodes: unknown[] } & Record<string, unknown>;
    return jsonWithLongArray(rest, 'episodes', episodes);
  });
  out.writeChunks('attribution_contract.json', () => {
    const { episodes: cEpisodes, ...cRest } = r.contract();
    return jsonWithLongArray({}, 'episodes', cEpisodes, cRest);
  });
  out.write('attributed_shares.csv', () => sharesToCsv(r));
  out.writeChunks('sources_ranked.geojson', () => jsonChunks(pooledSourcesToGeoJson(poolSources(r))));
  if (trajectories !== 'none') out.writeChunks('trajectories.geojson', () => jsonWithLongArray({ type: 'FeatureCollection' }, 'features', episodeTrajectoryFeatures(r, trajectories)));
  if (!parquet) return;
  out.write('attributed_shares.parquet', () => sharesToParquet(r));
  out.write('sources.parquet', () => sourcesToParquet(r));
  if (trajectories !== 'none') out.write('trajectories.parquet', () => episodeTrajectoriesToParquet(r, trajectories));
}

export const attributeCommand: CommandSpec = {
  name: 'attribute',
  summary: 'attribute PM2.5 episodes to fires, repeat-burn areas, facilities and countries',
  usage:
    'hazetrace attribute --hotspots FIRMS.csv --pm25 SERIES.csv --stations STATIONS.csv --wind WIND\n' +
    '       [--regions COUNTRIES.geojson] [--repeat-burn AREAS.geojson] [--facilities FACILITIES.csv] [--out DIR] [--json]',
  details:
    'Finds episodes (PM2.5 above --threshold on --averaging means) at each station, checks that the hotspot file and\n' +
    'the wind cover each episode\'s back-trajectory window (otherwise the episode is insufficient-data, with the\n' +
    'reason), fits the category scales to the observed PM2.5 (unless --no-calibrate or --scales), back-traces\n' +
    'trajectory ensembles through each episode and shares the kernel-weighted contribution among the sources.\n' +
    'Hotspots inside a --repeat-burn polygon are category fire_repeat_burn, others fire_other; facilities are\n' +
    'category facility; regions come from --regions polygons keyed by --region-property. Same numbers as the\n' +
    'library call attributeSeries(inputs, options).\n' +
    '\n' +
    'Inputs:\n' +
    '  FIRMS.csv       NASA FIRMS CSV (MODIS or VIIRS) or FIRMS GeoJSON; acq_date/acq_time in UTC\n' +
    '  SERIES.csv      long station_id,date_local,time_local,pm25_ugm3, hour-ending local times (--utc-offset);\n' +
    '                  date-only rows (daily means) work too\n' +
    '  STATIONS.csv    station_id,lat,long\n' +
    '  WIND            ERA5-style NetCDF (u10/v10 on a time or valid_time axis), or U.tif,V.tif (one band\n' +
    '                  per hour, band description = ISO time), or a point-wind CSV\n' +
    '                  site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from\n' +
    '  FACILITIES.csv  facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw\n' +
    '  SCALES.json     {"fire_other": 80, "facility": 2, ...} or a previous run\'s attribution.json (its calibration.scales)\n' +
    '\n' +
    'JSON on stdout: { episodes: [{ station, start, end, peakTime, peakValue, sharesByCategory,\n' +
    'sharesByRegion, sources: [{ id, kind, category, region, share }] }], unattributed: [{ station, start, end,\n' +
    'peakValue, status, reason }], warnings, inputs: [{ option, path, accepted, rejectedCount, rejected, moreRejected }] }; times ISO 8601 UTC; sharesByCategory and sharesByRegion each sum\n' +
    'to 1. Each episode\'s sources list is the top --max-sources by share, so their shares may sum to less than 1.\n' +
    'Exits 3 when no episode could be attributed (saying why), unless --allow-empty.\n' +
    'Files in --out: attribution.json (full result: settings, calibration, coverage, bands, evidence; one episode\n' +
    'per line), attribution_contract.json (the stdout JSON), attributed_shares.csv, sources_ranked.geojson,\n' +
    'trajectories.geojson (coordinates rounded to 1e-4°; every member by default; --trajectories mean writes one\n' +
    'ensemble-mean line per start, none writes none). With --parquet also attributed_shares.parquet, sources.parquet\n' +
    '(GeoParquet points) and trajectories.parquet (one row per point with its episode; docs/engines.md).',
  options: {
    hotspots: { type: 'string', help: 'FIRMS hotspots (CSV or GeoJSON)' },
    pm25: { type: 'string', help: 'PM2.5 series CSV (long format)' },
    stations: { type: 'string', help: 'station coordinates CSV' },
    wind: { type: 'string', help: 'wind: NetCDF, GRIB2, U.tif,V.tif, or point-wind CSV' },
    regions: { type: 'string', help: 'region polygons GeoJSON (e.g. countries)' },
    'region-property': { type: 'string', default: 'iso_a3', help: 'property of --regions naming the region' },
    'repeat-burn': { type: 'string', help: 'repeat-burn area polygons GeoJSON (hotspots inside are fire_repeat_burn)' },
    facilities: { type: 'string', help: 'facilities CSV (GPPD-style columns)' },
    'utc-offset': { type: 'string', default: '+07:00', help: 'UTC offset of the local times in --pm25 and of --from/--to (and of the times in the summary)' },
    lang: { type: 'string', default: 'en', help: 'language of the summary: en or th' },
    threshold: { type: 'string', default: '37.5', help: 'episode threshold, µg/m³ (Thai 24-h standard 37.5; WHO 15)' },
    averaging: { type: 'string', default: 'auto', help: "episodes: 'auto' (events of the 24-h mean on hourly input, peak at the highest hour; runs of days on daily input), 'event', 'daily', 'rolling24' or 'hourly'" },
    hours: { type: 'string', default: String(ATTRIBUTE_DEFAULTS.hours), help: 'back-trajectory length, hours' },
    'start-step': { type: 'string', default: String(ATTRIBUTE_DEFAULTS.startStepHours), help: 'hours between trajectory starts through an episode' },
    ensemble: { type: 'string', default: 'auto', help: "ensemble kind: 'auto' (offset on gridded wind, random-walk on point or coarse wind), 'offset' or 'random-walk'" },
    members: { type: 'string', default: '9', help: 'random-walk members' },
    seed: { type: 'string', default: '1', help: 'seed of every random choice (random walk, bootstrap)' },
    'no-calibrate': { type: 'boolean', default: false, help: 'keep the default category scales instead of fitting them to the observed PM2.5' },
    scales: { type: 'string', help: 'category scales from a JSON file (e.g. a previous run\'s attribution.json)' },
    'min-coverage': { type: 'string', default: '0.5', help: 'least fraction of a back-trajectory window the hotspot file and wind must cover' },
    'max-sources': { type: 'string', default: '100', help: 'ranked sources listed per episode (the top N by share)' },
    domestic: { type: 'string', default: 'THA', help: 'region counted as domestic for the cross-border share' },
    trajectories: { type: 'string', default: 'all', help: "trajectories.geojson in --out: 'all' members, 'mean' (one ensemble-mean line per start) or 'none'" },
    from: { type: 'string', help: 'only episodes overlapping local days from this date on (YYYY-MM-DD, --utc-offset)' },
    to: { type: 'string', help: 'only episodes overlapping local days up to this date, inclusive (YYYY-MM-DD)' },
    'no-unseen-burning': { type: 'boolean', default: false, help: 'do not let the --repeat-burn areas also stand for burning no satellite saw (category repeat_burn_unseen)' },
    'allow-empty': { type: 'boolean', default: false, help: 'exit 0 even when no episode could be attributed' },
    parquet: { type: 'boolean', default: false, help: 'also write attributed_shares.parquet, sources.parquet and trajectories.parquet (for DuckDB, Spark, BigQuery)' },
  },
  examples: [
    'hazetrace attribute --hotspots firms.csv --pm25 pm25.csv --stations stations.csv --wind era5.nc \\\n      --regions countries.geojson --repeat-burn repeat_burn.geojson --facilities plants.csv --out out --json',
  ],
  async run(ctx) {
    const lang = String(ctx.values['lang'] ?? 'en');
    if (lang !== 'en' && lang !== 'th') throw usageError(`--lang must be en or th, got ${JSON.stringify(lang)}`, '--lang');
    const r = await runAttribute(ctx);
    const out = new OutDir(ctx.values, ctx.cwd);
    if (out.enabled) {
      ctx.progress.stage('writing files');
      writeAttributionFiles(out, r.result, r.trajectories, ctx.values['parquet'] === true);
      ctx.progress.done();
    }
    const attributed = r.result.episodes.filter((e) => e.status === 'attributed').length;
    if (ctx.json) {
      // The contract, plus `inputs`: accepted/rejected rows per input file with the first reasons.
      for (const piece of jsonChunks({ ...r.result.contract(), inputs: r.notes.map((n) => noteJson(n)) })) ctx.streams.stdout.write(piece);
      ctx.streams.stdout.write('\n');
    }
    else {
      const lines = summaryLines(r.result, r.notes, r.windNote, 60, { lang, utcOffset: String(ctx.values['utc-offset'] ?? '+07:00') });
      if (out.written.length) lines.push('', `wrote ${out.written.length} files to ${out.dir}`);
      ctx.streams.stdout.write(lines.join('\n') + '\n');
    }
    if (attributed === 0 && !ctx.values['allow-empty']) {
      const why = r.result.episodes.length === 0 ? `no episode above ${r.result.settings.threshold} µg/m³ in the series${r.result.settings.from || r.result.settings.to ? ' and window' : ''}` : `none of ${r.result.episodes.length} episode(s) could be attributed: ${r.result.warnings.map((g) => `${g.count}× ${g.kind}`).join(', ')} (first: ${r.result.episodes[0]?.reason ?? ''})`;
      throw inputError(why, '--pm25/--hotspots/--wind', 'check that the files cover the same period, or pass --allow-empty to accept an empty result');
    }
  },
};

/** Parse options and read inputs into `attributeSeries`; shared by the command and its tests. */
export async function runAttribute(ctx: CommandContext): Promise<{ result: SeriesAttribution; notes: InputNote[]; windNote: string; trajectories: 'all' | 'mean' | 'none' }> {
  const v = ctx.values;
  const hotspotsPath = requireOption(v, 'hotspots', 'FIRMS hotspots');
  const pm25Path = requireOption(v, 'pm25', 'PM2.5 series CSV');
  const stationsPath = requireOption(v, 'stations', 'station coordinates CSV');
  const windArg = requireOption(v, 'wind', 'wind field');
  const averaging = String(v['averaging'] ?? 'auto');
  if (!['auto', 'event', 'daily', 'rolling24', 'hourly'].includes(averaging)) throw usageError(`--averaging must be auto, event, daily, rolling24 or hourly, got ${JSON.stringify(averaging)}`, '--averaging');
  const ensemble = String(v['ensemble'] ?? 'auto');
  if (!['auto', 'offset', 'random-walk'].includes(ensemble)) throw usageError(`--ensemble must be auto, offset or random-walk, got ${JSON.stringify(ensemble)}`, '--ensemble');
  const trajectories = String(v['trajectories'] ?? 'all');
  if (trajectories !== 'all' && trajectories !== 'mean' && trajectories !== 'none') throw usageError(`--trajectories must be all, mean or none, got ${JSON.stringify(trajectories)}`, '--trajectories');
  const utcOffset = String(v['utc-offset'] ?? '+07:00');
  if (!/^(Z|[+-]\d{2}(:?\d{2})?)$/.test(utcOffset)) throw usageError(`--utc-offset must look like +07:00, got ${JSON.stringify(utcOffset)}`, '--utc-offset');
  for (const d of ['from', 'to']) {
    const s = optionalOption(v, d);
    if (s !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(s) || new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) !== s)) throw usageError(`--${d} must be a date YYYY-MM-DD, got ${JSON.stringify(s)}`, `--${d}`, `e.g. --${d} 2025-03-01`);
  }
  if (v['from'] && v['to'] && String(v['from']) > String(v['to'])) throw usageError(`--from ${String(v['from'])} is after --to ${String(v['to'])}`, '--from', 'give --from on or before --to');
  const options: AttributeSeriesOptions = {
    threshold: numberOption(v, 'threshold', 37.5, { min: 0 }),
    averaging: averaging as NonNullable<AttributeSeriesOptions['averaging']>,
    utcOffset,
    hours: numberOption(v, 'hours', ATTRIBUTE_DEFAULTS.hours, { min: 1, max: 720 }),
    startStepHours: numberOption(v, 'start-step', ATTRIBUTE_DEFAULTS.startStepHours, { min: 0.25, max: 240 }),
    ensemble: ensemble as 'auto' | 'offset' | 'random-walk',
    members: numberOption(v, 'members', 9, { integer: true, min: 1, max: 1000 }),
    seed: numberOption(v, 'seed', 1, { integer: true }),
    maxSources: numberOption(v, 'max-sources', 100, { integer: true, min: 1 }),
    minCoverage: numberOption(v, 'min-coverage', 0.5, { min: 0, max: 1 }),
    domestic: String(v['domestic'] ?? 'THA'),
    regionProperty: String(v['region-property'] ?? 'iso_a3'),
    calibrate: !v['no-calibrate'],
    unseenBurning: v['no-unseen-burning'] !== true,
  };
  const from = optionalOption(v, 'from');
  const to = optionalOption(v, 'to');
  if (from) options.from = from;
  if (to) options.to = to;
  const scalesPath = optionalOption(v, 'scales');
  if (scalesPath) options.scales = readScales(scalesPath, ctx.cwd);

  ctx.progress.stage('reading inputs');
  const notes: InputNote[] = [];
  const { hotspots, note: hn } = await loadHotspots('hotspots', hotspotsPath, ctx.cwd);
  const { result: series, note: sn } = await loadSeries('pm25', pm25Path, ctx.cwd, utcOffset);
  const { stations, note: stn } = await loadStations('stations', stationsPath, ctx.cwd);
  notes.push(hn, sn, stn);
  const wind = await loadWind('wind', windArg, ctx.cwd);
  if (wind.note) notes.push(wind.note);
  const regionsPath = optionalOption(v, 'regions');
  const regions = regionsPath ? await loadPolygons('regions', regionsPath, ctx.cwd) : undefined;
  const areasPath = optionalOption(v, 'repeat-burn');
  const areas = areasPath ? await loadPolygons('repeat-burn', areasPath, ctx.cwd) : undefined;
  for (const p of [regions, areas]) if (p) notes.push(p.note);
  const facilitiesPath = optionalOption(v, 'facilities');
  const facilities = facilitiesPath ? readText('facilities', facilitiesPath, ctx.cwd) : undefined;

  ctx.progress.stage('detecting episodes, calibrating, back-tracing and attributing');
  const result = await regionPropertyHint(regionsPath, () => withInput(
    'attribution',
    () =>
      attributeSeries(
        {
          hotspots,
          series,
          stations,
          wind: wind.field,
          ...(regions ? { regions: regions.fc } : {}),
          ...(areas ? { areas: areas.fc } : {}),
          ...(facilities !== undefined ? { facilities } : {}),
        },
        options,
      ),
  ));
  if (facilitiesPath) notes.push({ option: 'facilities', path: facilitiesPath, accepted: result.inputs.facilities, rejected: result.inputs.facilitiesRejected });
  ctx.progress.done();
  return { result, notes, windNote: wind.describe, trajectories };
}

/** A wrong `--region-property` is an input error listing the properties the file has. */
async function regionPropertyHint<T>(regionsPath: string | undefined, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause ?? e;
    const d = cause instanceof HazetraceError ? cause.details : undefined;
    if (d && d['argument'] === 'options.regionProperty') {
      throw inputError(cause instanceof Error ? cause.message : String(cause), `--regions ${regionsPath}`, `pass --region-property with one of: ${(d['available'] as string[]).join(', ')}`);
    }
    throw e;
  }
}

/** Scales from a JSON file: a plain `{ category: scale }` object or a previous run's attribution.json. */
function readScales(path: string, cwd: string): Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText('scales', path, cwd));
  } catch (e) {
    throw inputError(`--scales ${path} is not JSON (${e instanceof Error ? e.message : String(e)})`, `--scales ${path}`, 'give {"fire_other": 80, ...} or a previous attribution.json');
  }
  const obj = (parsed as { calibration?: { scales?: unknown } })?.calibration?.scales ?? parsed;
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw inputError(`--scales ${path} holds no scales object`, `--scales ${path}`, 'give {"fire_other": 80, ...}');
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(obj as Record<string, unknown>)) {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw inputError(`--scales ${path}: scale of "${k}" must be a non-negative number, got ${JSON.stringify(x)}`, `--scales ${path}`);
    out[k] = x;
  }
  if (Object.keys(out).length === 0) throw inputError(`--scales ${path} holds no scales`, `--scales ${path}`, 'give {"fire_other": 80, ...}');
  return out;
}
