/** `hazetrace attribute`: PM2.5 episodes back to fires, repeat-burn areas, facilities and countries. */
import { DAY_MS, parseUtcOffset, toIsoUtc } from '../../core/index.js';
import { ATTRIBUTE_DEFAULTS, attribute, detectEpisodes, hotspotSources, mergeSources, type AttributionResult, type SourceLayer, type TagOptions } from '../../attribution/index.js';
import { trajectoriesToGeoJson } from '../../wind/index.js';
import type { CommandContext, CommandSpec } from '../context.js';
import { inputError, usageError, withInput } from '../errors.js';
import { OutDir, numberOption, optionalOption, requireOption } from '../files.js';
import { describeRejected, loadFacilities, loadHotspots, loadPolygons, loadSeries, loadStations, loadWind, regionTagger, repeatBurnTagger, type InputNote } from '../inputs.js';
import { isAttributed, poolShares, poolSources, pooledSourcesGeoJson, sharesCsv, toContract, type ContractOutput } from '../attribution-output.js';

const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;

/** Trajectories of every episode as GeoJSON features, each tagged with its episode; one episode converted at a time. */
export function* episodesTrajectoryFeatures(result: AttributionResult): Generator<{ type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }> {
  for (const e of result.episodes) {
    if (e.trajectories.length === 0) continue;
    const fc = trajectoriesToGeoJson(e.trajectories) as { features: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }[] };
    for (const f of fc.features) yield { ...f, properties: { episode: e.episode.id, ...f.properties } };
  }
}

// Coordinates in the trajectory file are rounded to 1e-4° (~11 m): back-trajectories are uncertain by
// 15–30 % of the distance travelled (km to 100+ km), and full doubles would double the size of a
// season's file (~10⁷ points).
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
function roundCoords(c: unknown): unknown {
  return typeof c === 'number' ? round4(c) : Array.isArray(c) ? c.map(roundCoords) : c;
}

/**
 * Stream a JSON object whose one array member is long: the other members first, then the array one
 * element per line, so no single string holds the whole file (a season's output can exceed V8's
 * ~2²⁹-character string limit).
 */
export function* jsonWithLongArray(head: Record<string, unknown>, key: string, items: Iterable<unknown>, tail: Record<string, unknown> = {}): Generator<string> {
  const members = (o: Record<string, unknown>): string[] => Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  const headParts = members(head);
  yield `{${headParts.join(',')}${headParts.length ? ',' : ''}${JSON.stringify(key)}:[`;
  let first = true;
  for (const it of items) {
    yield (first ? '\n' : ',\n') + JSON.stringify(it);
    first = false;
  }
  const tailParts = members(tail);
  yield `\n]${tailParts.length ? ',' : ''}${tailParts.join(',')}}\n`;
}

/** The files of `--out`, each written in pieces (see {@link jsonWithLongArray}). */
function writeAttributionFiles(out: OutDir, result: AttributionResult, contract: ContractOutput, trajectories: 'all' | 'mean' | 'none'): void {
  const full = result.toJSON() as { episodes: unknown[] } & Record<string, unknown>;
  const { episodes, ...rest } = full;
  out.writeChunks('attribution.json', jsonWithLongArray(rest, 'episodes', episodes));
  const { episodes: cEpisodes, ...cRest } = contract;
  out.writeChunks('attribution_contract.json', jsonWithLongArray({}, 'episodes', cEpisodes, cRest));
  out.write('attributed_shares.csv', sharesCsv(result));
  out.write('sources_ranked.geojson', JSON.stringify(pooledSourcesGeoJson(poolSources(result))));
  if (trajectories !== 'none') writeTrajectoriesGeoJson(out, result, trajectories);
}

/** One ensemble-mean back-trajectory per episode and start time. */
export interface MeanPath {
  episode: string;
  receptor: string;
  startTime: number;
  members: number;
  coords: [number, number][];
}

/**
 * The mean of the members' positions at each step, per episode and start, while all members are still
 * running (cut at the shortest member so a mean never mixes in fewer members). Plain lng/lat averaging:
 * fine away from the antimeridian, which these regional runs never approach.
 */
export function ensembleMeanPaths(result: AttributionResult): MeanPath[] {
  const paths: MeanPath[] = [];
  for (const e of result.episodes) {
    const set = e.trajectories;
    const byStart = new Map<number, number[]>();
    for (let j = 0; j < set.length; j++) {
      const st = set.startTime[j] as number;
      const js = byStart.get(st);
      if (js) js.push(j);
      else byStart.set(st, [j]);
    }
    for (const [st, js] of byStart) {
      const len = Math.min(...js.map((j) => (set.offsets[j + 1] as number) - (set.offsets[j] as number)));
      const coords: [number, number][] = [];
      for (let k = 0; k < len; k++) {
        let x = 0;
        let y = 0;
        for (const j of js) {
          x += set.lng[(set.offsets[j] as number) + k] as number;
          y += set.lat[(set.offsets[j] as number) + k] as number;
        }
        coords.push([x / js.length, y / js.length]);
      }
      paths.push({ episode: e.episode.id, receptor: e.episode.station, startTime: st, members: js.length, coords });
    }
  }
  return paths;
}

/**
 * `trajectories.geojson`, streamed feature by feature with coordinates rounded: every member
 * (`'all'`), or one ensemble-mean line per episode and start (`'mean'`, ~1/9 of the size with the
 * 9-member ensembles).
 */
export function writeTrajectoriesGeoJson(out: OutDir, result: AttributionResult, which: 'all' | 'mean' = 'all', name = 'trajectories.geojson'): string | undefined {
  const features = (function* () {
    if (which === 'mean') {
      for (const p of ensembleMeanPaths(result)) {
        yield {
          type: 'Feature',
          geometry: { type: 'LineString', coordinates: roundCoords(p.coords) },
          properties: { episode: p.episode, receptor: p.receptor, startTime: toIsoUtc(p.startTime), members: p.members },
        };
      }
      return;
    }
    for (const f of episodesTrajectoryFeatures(result)) yield { ...f, geometry: { ...(f.geometry as object), coordinates: roundCoords((f.geometry as { coordinates: unknown }).coordinates) } };
  })();
  return out.writeChunks(name, jsonWithLongArray({ type: 'FeatureCollection' }, 'features', features));
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
    'times ISO 8601 UTC; sharesByCategory and sharesByRegion each sum to 1 over all sources. Each episode\'s\n' +
    'sources list is only the top --max-sources (default 100) by share, so their shares may sum to less than 1.\n' +
    'With --averaging daily, peakTime is the start (local midnight, in UTC) of the peak local day.\n' +
    '--from/--to keep only episodes overlapping those local days (episodes are detected on the whole series).\n' +
    'Files in --out (nothing is written without it): attribution.json (full result with ensemble bands and\n' +
    'evidence, one episode per line), attribution_contract.json (the stdout JSON), attributed_shares.csv,\n' +
    'sources_ranked.geojson, trajectories.geojson (coordinates rounded to 1e-4°; every member by default, a\n' +
    'whole season is ~300 MB; --trajectories mean writes one ensemble-mean line per start instead).',
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
    'max-sources': { type: 'string', default: '100', help: 'ranked sources listed per episode (the top N by share)' },
    domestic: { type: 'string', default: 'THA', help: 'region counted as domestic for the cross-border share' },
    trajectories: { type: 'string', default: 'all', help: "trajectories.geojson in --out: 'all' members, 'mean' (one ensemble-mean line per start, ~9× smaller) or 'none'" },
    from: { type: 'string', help: 'only episodes overlapping local days from this date on (YYYY-MM-DD, --utc-offset)' },
    to: { type: 'string', help: 'only episodes overlapping local days up to this date, inclusive (YYYY-MM-DD)' },
  },
  examples: [
    'hazetrace attribute --hotspots firms.csv --pm25 pm25.csv --stations stations.csv --wind era5.nc \\\n      --regions countries.geojson --areas repeat_burn.geojson --facilities plants.csv --out out --json',
  ],
  async run(ctx) {
    const r = await runAttribute(ctx);
    const out = new OutDir(ctx.values, ctx.cwd);
    const contract = toContract(r.result);
    // Files are built only when there is a folder to write them to.
    if (out.enabled) {
      ctx.progress.stage('writing files');
      writeAttributionFiles(out, r.result, contract, r.trajectories);
      ctx.progress.done();
    }
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
export async function runAttribute(ctx: CommandContext): Promise<{ result: AttributionResult; sources: SourceLayer; notes: InputNote[]; windNote: string; trajectories: 'all' | 'mean' | 'none' }> {
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
  const trajectories = String(v['trajectories'] ?? 'all');
  if (trajectories !== 'all' && trajectories !== 'mean' && trajectories !== 'none') throw usageError(`--trajectories must be all, mean or none, got ${JSON.stringify(trajectories)}`, '--trajectories');
  const window = dateWindow(optionalOption(v, 'from'), optionalOption(v, 'to'), utcOffset);

  ctx.progress.stage('reading inputs');
  const notes: InputNote[] = [];
  const { hotspots, note: hn } = await loadHotspots('hotspots', hotspotsPath, ctx.cwd);
  const { series, result: seriesResult, note: sn } = await loadSeries('pm25', pm25Path, ctx.cwd, utcOffset);
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
    // The reader's whole result carries its time basis (hour-ending labels), so episodes land on the right hours.
    detectEpisodes(seriesResult, { threshold, averaging: averaging as 'daily' | 'rolling24' | 'hourly', utcOffset }),
  );
  // Episodes are detected on the whole series (so one straddling --from keeps its true start) and then kept if they overlap the window.
  const chosen = episodes.episodes.filter((e) => e.start < window.end && e.end > window.start);
  const known = new Set(stations.id);
  const missing = [...new Set(chosen.map((e) => e.station))].filter((s) => !known.has(s.toLowerCase()));
  if (chosen.length > 0 && missing.length === chosen.length) {
    throw inputError(`no coordinates for any episode station (${missing.join(', ')})`, `--stations ${stationsPath}`, 'add those station_id rows with lat and long');
  }
  ctx.progress.stage(`back-tracing and attributing ${chosen.length} episode(s)`);
  const result = await withInput('attribution', () =>
    attribute(chosen, sources, {
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
  return { result, sources, notes, windNote: wind.describe, trajectories };
}

/** `--from`/`--to` local dates as a UTC window [start, end) (end = midnight after --to); open ends are ±Infinity. */
export function dateWindow(from: string | undefined, to: string | undefined, utcOffset: string): { start: number; end: number } {
  const offMs = parseUtcOffset(utcOffset, '--utc-offset') * 60_000;
  const midnight = (d: string, name: string): number => {
    const t = /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(`${d}T00:00:00Z`) : NaN;
    if (!Number.isFinite(t) || toIsoUtc(t).slice(0, 10) !== d) throw usageError(`${name} must be a date YYYY-MM-DD, got ${JSON.stringify(d)}`, name, `e.g. ${name} 2025-03-01`);
    return t - offMs;
  };
  const start = from === undefined ? -Infinity : midnight(from, '--from');
  const end = to === undefined ? Infinity : midnight(to, '--to') + DAY_MS;
  if (start >= end) throw usageError(`--from ${from} is after --to ${to}`, '--from', 'give --from on or before --to');
  return { start, end };
}
