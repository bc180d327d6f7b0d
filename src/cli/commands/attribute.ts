/** `hazetrace attribute`: PM2.5 episodes back to fires, repeat-burn areas, facilities and countries. */
import { toIsoUtc } from '../../core/index.js';
import { ATTRIBUTE_DEFAULTS, attribute, detectEpisodes, hotspotSources, mergeSources, type AttributionResult, type SourceLayer, type TagOptions } from '../../attribution/index.js';
import { trajectoriesToGeoJson } from '../../wind/index.js';
import type { CommandContext, CommandSpec } from '../context.js';
import { inputError, usageError, withInput } from '../errors.js';
import { OutDir, numberOption, optionalOption, requireOption } from '../files.js';
import { describeRejected, loadFacilities, loadHotspots, loadPolygons, loadSeries, loadStations, loadWind, regionTagger, repeatBurnTagger, type InputNote } from '../inputs.js';
import { isAttributed, poolShares, poolSources, pooledSourcesGeoJson, sharesCsv, toContract } from '../attribution-output.js';

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

/** Trajectories of every episode as one GeoJSON, each feature tagged with its episode. */
export function episodesTrajectoriesGeoJson(result: AttributionResult): object {
  const features: unknown[] = [];
  for (const e of result.episodes) {
    if (e.trajectories.length === 0) continue;
    const fc = trajectoriesToGeoJson(e.trajectories) as { features: { properties: Record<string, unknown> }[] };
    for (const f of fc.features) {
      f.properties = { episode: e.episode.id, ...f.properties };
      features.push(f);
    }
  }
  return { type: 'FeatureCollection', features };
}

/** One line per episode for people: station, window, peak, top categories and regions. */
export function episodeLines(result: AttributionResult): string[] {
  return result.episodes.map((e) => {
    const ep = e.episode;
    const head = `${ep.station}  ${toIsoUtc(ep.start)} .. ${toIsoUtc(ep.end)}  peak ${ep.peakValue.toFixed(1)} µg/m³`;
    if (!isAttributed(e)) return `${head}  (not attributed: no source within reach of the back-trajectories)`;
    const top = (rec: Record<string, { share: number }>): string =>
      Object.entries(rec)
        .sort((a, b) => b[1].share - a[1].share)
        .slice(0, 3)
        .map(([k, b]) => `${k} ${pct(b.share)}`)
        .join(', ');
    return `${head}\n    by category: ${top(e.sharesByCategory)}\n    by region:   ${top(e.sharesByRegion)}`;
  });
}

export const attributeCommand: CommandSpec = {
  name: 'attribute',
  summary: 'attribute PM2.5 episodes to fires, repeat-burn areas, facilities and countries',
  usage:
    'hazetrace attribute --hotspots FIRMS.csv --pm25 SERIES.csv --stations STATIONS.csv --wind WIND\n' +
    '       [--regions COUNTRIES.geojson] [--areas REPEAT_BURN.geojson] [--facilities FACILITIES.csv] [--out DIR] [--json]',
  details:
    'Finds episodes (PM2.5 above --threshold on --averaging means) at each station, back-traces trajectory\n' +
    'ensembles from the station through each episode, and shares the kernel-weighted contribution among\n' +
    'the sources. Hotspots inside an --areas polygon are category fire_repeat_burn, others fire_other;\n' +
    'facilities are category facility; regions come from --regions polygons keyed by --region-property.\n' +
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
    '\n' +
    'JSON on stdout: { episodes: [{ station, start, end, peakTime, peakValue, sharesByCategory,\n' +
    'sharesByRegion, sources: [{ id, kind, category, region, share }] }], unattributed, warnings };\n' +
    'times ISO 8601 UTC, each share map sums to 1.\n' +
    'Files in --out: attribution.json (full result with ensemble bands and evidence), attribution_contract.json\n' +
    '(the stdout JSON), attributed_shares.csv, sources_ranked.geojson, trajectories.geojson.',
  options: {
    hotspots: { type: 'string', help: 'FIRMS hotspots (CSV or GeoJSON)' },
    pm25: { type: 'string', help: 'PM2.5 series CSV (long format)' },
    stations: { type: 'string', help: 'station coordinates CSV' },
    wind: { type: 'string', help: 'wind: NetCDF, U.tif,V.tif, or point-wind CSV' },
    regions: { type: 'string', help: 'region polygons GeoJSON (e.g. countries)' },
    'region-property': { type: 'string', default: 'iso_a3', help: 'property of --regions naming the region' },
    areas: { type: 'string', help: 'repeat-burn area polygons GeoJSON' },
    facilities: { type: 'string', help: 'facilities CSV (GPPD-style columns)' },
    'utc-offset': { type: 'string', default: '+07:00', help: 'UTC offset of the local times in --pm25' },
    threshold: { type: 'string', default: '37.5', help: 'episode threshold, µg/m³ (Thai 24-h standard 37.5; WHO 15)' },
    averaging: { type: 'string', default: 'daily', help: 'averaging before thresholding: daily, rolling24 or hourly' },
    hours: { type: 'string', default: String(ATTRIBUTE_DEFAULTS.hours), help: 'back-trajectory length, hours' },
    'start-step': { type: 'string', default: String(ATTRIBUTE_DEFAULTS.startStepHours), help: 'hours between trajectory starts through an episode' },
    members: { type: 'string', default: 'offset', help: "ensemble: 'offset' (HYSPLIT 9-member) or 'random-walk'" },
    seed: { type: 'string', default: '1', help: 'seed of the random-walk ensemble' },
    'max-sources': { type: 'string', default: '100', help: 'ranked sources listed per episode' },
    domestic: { type: 'string', default: 'THA', help: 'region counted as domestic for the cross-border share' },
  },
  examples: [
    'hazetrace attribute --hotspots firms.csv --pm25 pm25.csv --stations stations.csv --wind era5.nc \\\n      --regions countries.geojson --areas repeat_burn.geojson --facilities plants.csv --out out --json',
  ],
  async run(ctx) {
    const r = await runAttribute(ctx);
    const out = new OutDir(ctx.values, ctx.cwd);
    const contract = toContract(r.result);
    out.write('attribution.json', JSON.stringify(r.result.toJSON(), null, 1));
    out.write('attribution_contract.json', JSON.stringify(contract, null, 1));
    out.write('attributed_shares.csv', sharesCsv(r.result));
    out.write('sources_ranked.geojson', JSON.stringify(pooledSourcesGeoJson(poolSources(r.result))));
    out.write('trajectories.geojson', JSON.stringify(episodesTrajectoriesGeoJson(r.result)));
    if (ctx.json) {
      ctx.streams.stdout.write(JSON.stringify(contract) + '\n');
      return;
    }
    const lines = [
      `${r.result.episodes.length} episode(s) at ${new Set(r.result.episodes.map((e) => e.episode.station)).size} station(s); ${r.sources.length} source rows; wind: ${r.windNote}`,
      ...r.notes.map((n) => '  input ' + describeRejected(n)),
      '',
      ...episodeLines(r.result),
    ];
    const cat = poolShares(r.result, (e) => e.sharesByCategory);
    if (cat.length) lines.push('', `all episodes (peak-weighted): ${cat.map((c) => `${c.key} ${pct(c.share)}`).join(', ')}`);
    if (r.result.warnings.length) lines.push('', `${r.result.warnings.length} warning(s), first: ${r.result.warnings[0]}`);
    if (out.written.length) lines.push('', `wrote ${out.written.length} files to ${out.dir}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};

/** Load inputs, detect episodes and attribute: shared by the command and its tests. */
export async function runAttribute(ctx: CommandContext): Promise<{ result: AttributionResult; sources: SourceLayer; notes: InputNote[]; windNote: string }> {
  const v = ctx.values;
  const hotspotsPath = requireOption(v, 'hotspots', 'FIRMS hotspots');
  const pm25Path = requireOption(v, 'pm25', 'PM2.5 series CSV');
  const stationsPath = requireOption(v, 'stations', 'station coordinates CSV');
  const windArg = requireOption(v, 'wind', 'wind field');
  const averaging = String(v['averaging'] ?? 'daily');
  if (!['daily', 'rolling24', 'hourly'].includes(averaging)) throw usageError(`--averaging must be daily, rolling24 or hourly, got ${JSON.stringify(averaging)}`, '--averaging');
  const members = String(v['members'] ?? 'offset');
  if (members !== 'offset' && members !== 'random-walk') throw usageError(`--members must be offset or random-walk, got ${JSON.stringify(members)}`, '--members');
  const threshold = numberOption(v, 'threshold', 37.5, { min: 0 });
  // The library's defaults (tuned on the twin experiments, issue 6) are the CLI's defaults.
  const hours = numberOption(v, 'hours', ATTRIBUTE_DEFAULTS.hours, { min: 1, max: 720 });
  const startStep = numberOption(v, 'start-step', ATTRIBUTE_DEFAULTS.startStepHours, { min: 0.25, max: 240 });
  const seed = numberOption(v, 'seed', 1, { integer: true });
  const maxSources = numberOption(v, 'max-sources', 100, { integer: true, min: 1 });
  const utcOffset = String(v['utc-offset'] ?? '+07:00');
  if (!/^(Z|[+-]\d{2}(:?\d{2})?)$/.test(utcOffset)) throw usageError(`--utc-offset must look like +07:00, got ${JSON.stringify(utcOffset)}`, '--utc-offset');

  ctx.progress.stage('reading inputs');
  const notes: InputNote[] = [];
  const { hotspots, note: hn } = await loadHotspots('hotspots', hotspotsPath, ctx.cwd);
  const { series, note: sn } = await loadSeries('pm25', pm25Path, ctx.cwd, utcOffset);
  const { stations, note: stn } = await loadStations('stations', stationsPath, ctx.cwd);
  notes.push(hn, sn, stn);
  const wind = await loadWind('wind', windArg, ctx.cwd);
  if (wind.note) notes.push(wind.note);

  const tags: TagOptions = {};
  const regionsPath = optionalOption(v, 'regions');
  if (regionsPath) {
    const { fc, note } = await loadPolygons('regions', regionsPath, ctx.cwd);
    notes.push(note);
    tags.regions = regionTagger(fc, String(v['region-property'] ?? 'iso_a3'), `--regions ${regionsPath}`);
  }
  const areasPath = optionalOption(v, 'areas');
  if (areasPath) {
    const { fc, note } = await loadPolygons('areas', areasPath, ctx.cwd);
    notes.push(note);
    tags.areas = [repeatBurnTagger(fc)];
  }
  const layers: SourceLayer[] = [await withInput(`--hotspots ${hotspotsPath}`, () => hotspotSources(hotspots, tags))];
  const facilitiesPath = optionalOption(v, 'facilities');
  if (facilitiesPath) {
    const { layer, note } = await loadFacilities('facilities', facilitiesPath, ctx.cwd, { ...(tags.regions ? { regions: tags.regions } : {}) });
    notes.push(note);
    layers.push(layer);
  }
  const sources = layers.length === 1 ? (layers[0] as SourceLayer) : mergeSources(...layers);

  ctx.progress.stage('detecting episodes');
  const episodes = await withInput(`--pm25 ${pm25Path}`, () =>
    detectEpisodes(series, { threshold, averaging: averaging as 'daily' | 'rolling24' | 'hourly', utcOffset }),
  );
  const known = new Set(stations.id);
  const missing = [...new Set(episodes.episodes.map((e) => e.station))].filter((s) => !known.has(s.toLowerCase()));
  if (episodes.episodes.length > 0 && missing.length === episodes.episodes.length) {
    throw inputError(`no coordinates for any episode station (${missing.join(', ')})`, `--stations ${stationsPath}`, 'add those station_id rows with lat and long');
  }
  ctx.progress.stage(`back-tracing and attributing ${episodes.episodes.length} episode(s)`);
  const result = await withInput('attribution', () =>
    attribute(episodes.episodes, sources, {
      wind: wind.field,
      receptors: stations,
      hours,
      startStepHours: startStep,
      maxSources,
      domesticRegion: String(v['domestic'] ?? 'THA'),
      ensemble: members === 'random-walk' ? { members: 'random-walk', seed } : { members: 'offset' },
    }),
  );
  ctx.progress.done();
  return { result, sources, notes, windNote: wind.describe };
}
