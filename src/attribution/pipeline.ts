/**
 * The whole attribution chain in one call, from what the readers return to the answer a user reads:
 * source layers (hotspots tagged by country and repeat-burn area, facilities, reports), episodes, coverage
 * checks, calibration of the category scales on the observed PM2.5, back-trajectory ensembles, per-episode
 * shares with bands and evidence, and the outputs the CLI writes. `hazetrace attribute`, the demo, the
 * quickstart and the service example all call {@link attributeSeries}, so the same inputs and options give
 * the same numbers everywhere. Method and evidence: docs/attribution.md.
 */
import { argError, checkPositive, DAY_MS, HazetraceError, HOUR_MS, parseUtcOffset, toIsoUtc, type Hotspots, type RejectedRow, type StationSeries, type Stations, type WindField } from '../core/index.js';
import { concatTrajectorySets } from '../wind/index.js';
import { attribute } from './attribute.js';
import { ATTRIBUTE_DEFAULTS, type KernelOptions } from './defaults.js';
import type { AttributeOptions, AttributionResult, EpisodeAttribution } from './types.js';
import { episodeJson } from './result-output.js';
import { BAND_DEFAULTS, combinedBands } from './bands.js';
import { backTrajectoryWindow, coveredFraction, describeIntervals, hotspotCoverage, type EpisodeCoverage, type Intervals } from './coverage.js';
import { detectEpisodes, seriesValueColumn, type Episode, type EpisodeOptions, type EpisodeSet } from './episodes.js';
import { fitSeriesScales, observationRows, type ScaleFit } from './series-calibration.js';
import { contractOf, groupWarnings, type AttributeContract, type WarningGroup } from './series-output.js';
import { areaSources, facilitySources, hotspotSources, mergeSources, polygonIndex, type GeoJsonLike, type PointTagger, type SourceLayer, type TagOptions } from './sources.js';
import { layerRows } from './source-layer.js';
import { checkSourceLayer } from './check.js';
import { checkOptions, checkString } from '../core/check.js';

/** Inputs of {@link attributeSeries}: what the readers return. */
export interface AttributeSeriesInputs {
  /** FIRMS detections, `readFirmsCsv(text).hotspots` (UTC times). Needed unless `hotspotLayer` is given. */
  hotspots?: Hotspots;
  /**
   * The hotspots already tagged, from {@link seasonHotspotLayer} (or a time slice of it, {@link sliceHotspotLayer},
   * or month partitions read back with `readHotspotLayerParquet`): used instead of tagging `hotspots`, with the
   * season's coverage and detection count. Attributing with a slice that holds every detection the episodes'
   * back-trajectories can reach gives the same numbers, bit for bit, as attributing with the whole season
   * (docs/batch.md, "Memory as the season grows").
   */
  hotspotLayer?: HotspotLayer;
  /** PM2.5 series: `readStationSeriesCsv(text)` (its whole result, which carries the time basis) or a StationSeries. */
  series: { series: StationSeries; timeBasis?: string } | StationSeries;
  /** Monitor coordinates, `readStationsCsv(text).stations`. */
  stations: Stations;
  /** Wind (e.g. `openWind(...).field`, `stationWind`, `windFromNetcdf`). */
  wind: WindField;
  /** Region polygons (countries), a GeoJSON FeatureCollection or a `readGeoJsonLayer` result. */
  regions?: GeoJsonLike;
  /**
   * Repeat-burn areas: polygons (every polygon is one) or a tagger such as `repeatBurnAreas(history)`'s H3 cells.
   * Hotspots inside one are category `fire_repeat_burn`.
   */
  areas?: GeoJsonLike | PointTagger;
  /** Further region levels for the shares (e.g. `{ province: { polygons, property: 'pro_en' } }`). */
  regionLevels?: Record<string, { polygons: GeoJsonLike; property: string }>;
  /** Facilities: the facilities CSV text (GPPD-style columns) or a ready SourceLayer. */
  facilities?: string | SourceLayer;
  /** Further source layers (e.g. citizen reports from `reportSources`). */
  reports?: SourceLayer;
}

/** Options of {@link attributeSeries}; every default is the CLI's default. */
export interface AttributeSeriesOptions {
  /** Episode threshold, µg/m³, default 37.5 (Thai 24-h standard; WHO's 24-h guideline is 15). */
  threshold?: number;
  /**
   * Averaging before thresholding (see `detectEpisodes`), default `'auto'`: one episode per exceedance event of the
   * 24-h mean on hourly input (peak at the highest hour), runs of exceeding days on daily input.
   */
  averaging?: EpisodeOptions['averaging'];
  /** UTC offset of the series' local times and of `from`/`to`, default `'+07:00'`. */
  utcOffset?: string;
  /** Keep episodes overlapping local days from this date on (YYYY-MM-DD). */
  from?: string;
  /** Keep episodes overlapping local days up to this date, inclusive (YYYY-MM-DD). */
  to?: string;
  /** Back-trajectory length, hours, default 72. */
  hours?: number;
  /** Hours between trajectory starts through an episode, default 1. */
  startStepHours?: number;
  /**
   * Ensemble kind, default `'auto'`: the 9-member offset ensemble on gridded wind, a seeded random walk on
   * point-wind, uniform or coarse (≥ 1°) fields, where offset members barely differ and the bands would be
   * falsely narrow.
   */
  ensemble?: 'auto' | 'offset' | 'random-walk';
  /** Random-walk members, default 9. */
  members?: number;
  /** Seed of every random choice (random walk, bootstrap), default 1. */
  seed?: number;
  /** Region counted as domestic for the cross-border share, default `'THA'`. */
  domestic?: string;
  /** Property of `regions` naming the region, default `'iso_a3'`. */
  regionProperty?: string;
  /** Ranked sources listed per episode, default 100 (shares always use every source). */
  maxSources?: number;
  /** Fit the category scales on the observed PM2.5 (default true; ignored when `scales` is given). */
  calibrate?: boolean;
  /** Category scales to use as they are (e.g. saved from a previous season's fit). */
  scales?: Record<string, number>;
  /** With `scales`: their 10–90 % intervals (a previous fit's `calibration.intervals`), so combined bands keep the fit's uncertainty. Default none. */
  scaleIntervals?: Record<string, [number, number]>;
  /** Kernel settings (see `ATTRIBUTE_DEFAULTS`). */
  kernel?: Omit<KernelOptions, 'scales' | 'hours'>;
  /** An episode is attributed only when hotspot and wind data cover at least this fraction of its back-trajectory window, default 0.5. */
  minCoverage?: number;
  /** The period the hotspot file covers, UTC ms; default inferred from its detection days (see `hotspotCoverage`). */
  hotspotPeriod?: readonly [number, number];
  /**
   * Bands: `'combined'` (default) draws wind (ensemble member), calibration (scale bootstrap) and detection
   * uncertainty together (see `combinedBands`); `'ensemble'` is the spread over ensemble members alone.
   */
  bands?: 'combined' | 'ensemble';
  /** Log-sd of the per-category detection factor in combined bands, default `BAND_DEFAULTS.detectionSigma`. */
  detectionSigma?: number;
  /**
   * Unseen burning: with `areas`, every repeat-burn area also becomes a steady source of category
   * `repeat_burn_unseen` (one row per H3 res-6 cell, weight 1), so smoke from fires no satellite saw in those
   * areas can be credited to them instead of to the nearest detected source. Its scale is fitted like the others
   * (a category of its own). Default true (see docs/attribution.md, "Unseen burning", for the twin evidence).
   */
  unseenBurning?: boolean;
  /** Attribute only the episodes with these ids (among those of the window); default all. Others are left out of `episodes`. */
  episodeIds?: readonly string[];
  /** A store of traced ensembles reused across runs (see `AttributeOptions.trajectoryCache`; empty it when the wind changes). Default none. */
  trajectoryCache?: AttributeOptions['trajectoryCache'];
  /** Per-episode row scores reused across runs (see `AttributeOptions.scoreCache`). Default none. */
  scoreCache?: AttributeOptions['scoreCache'];
}

/** Whether an episode could be attributed. */
export type EpisodeStatus = 'attributed' | 'insufficient-data' | 'no-source-reached';

/** One episode of {@link attributeSeries}: the attribution plus its status and the data it rests on. */
export interface SeriesEpisode extends EpisodeAttribution {
  status: EpisodeStatus;
  /** Why the episode is not attributed (absent when it is). */
  reason?: string;
  coverage: EpisodeCoverage;
}

/** The resolved settings of a run. */
export interface SeriesSettings {
  threshold: number;
  averaging: string;
  utcOffset: string;
  from: string | null;
  to: string | null;
  hours: number;
  startStepHours: number;
  ensemble: 'offset' | 'random-walk';
  /** Why that ensemble (e.g. "point wind: offset members would barely differ"). */
  ensembleReason: string;
  members: number;
  seed: number;
  domestic: string;
  regionProperty: string;
  maxSources: number;
  minCoverage: number;
  /** How the bands were made. */
  bands: { kind: 'combined' | 'ensemble'; quantiles: [number, number]; detectionSigma: number | null };
  kernel: AttributionResult['settings'] | null;
}

/** Result of {@link attributeSeries}. */
export interface SeriesAttribution {
  /** Every episode detected in the window, attributed or with the reason it is not. */
  episodes: SeriesEpisode[];
  /** How the category scales were set (calibrated on this run, given, or the defaults and why). */
  calibration: ScaleFit;
  settings: SeriesSettings;
  /** What the run rests on: hotspot days covered, wind span, source counts, rejected facility rows. */
  inputs: {
    hotspots: number;
    hotspotDays: string;
    wind: { kind: string; start: string | null; end: string | null };
    sources: number;
    facilities: number;
    facilitiesRejected: RejectedRow[];
    missing: string[];
  };
  /** Warnings grouped by kind with counts. */
  warnings: WarningGroup[];
  /** The source layer attributed to (for maps and further analysis). */
  sources: SourceLayer;
  /** Exactly the JSON `hazetrace attribute --json` prints. */
  contract(): AttributeContract;
  toJSON(): object;
}

/**
 * Distance (km) within which a point outside every region polygon takes the nearest region: generalised borders
 * (Natural Earth 1:50m) misplace coasts and borders by a few km, and a detection there is not from an unknown country.
 *
 * @example
 * ```ts
 * import { REGION_SNAP_KM } from 'hazetrace/attribution';
 * REGION_SNAP_KM; // 10
 * ```
 */
export const REGION_SNAP_KM = 10;

/**
 * Region tagger keyed by a property; throws `E_ARG` naming the available properties when no feature has it.
 *
 * @example
 * ```ts
 * import { regionTagger } from 'hazetrace/attribution';
 * const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { iso_a3: 'THA' },
 *   geometry: { type: 'Polygon', coordinates: [[[98, 18], [100, 18], [100, 20], [98, 20], [98, 18]]] } }] };
 * regionTagger(fc, 'iso_a3').valueAt(99, 19); // 'THA'
 * ```
 */
export function regionTagger(regions: GeoJsonLike, property: string): PointTagger {
  const idx = polygonIndex(regions, { property, snapKm: REGION_SNAP_KM });
  if (idx.length > 0 && idx.values.every((v) => v === '')) {
    const features = (Array.isArray(regions) ? regions : (regions as { features: readonly unknown[] }).features) as { properties?: Record<string, unknown> }[];
    const keys = Object.keys(features[0]?.properties ?? {});
    throw new HazetraceError('E_ARG', `no feature has the property "${property}" (available: ${keys.join(', ') || 'none'})`, { argument: 'options.regionProperty', value: property, available: keys });
  }
  return idx;
}

/**
 * A tagger for which every polygon is a repeat-burn area: a point inside any polygon gets `className`.
 *
 * @example
 * ```ts
 * import { repeatBurnTagger } from 'hazetrace/attribution';
 * const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {},
 *   geometry: { type: 'Polygon', coordinates: [[[98, 18], [100, 18], [100, 20], [98, 20], [98, 18]]] } }] };
 * repeatBurnTagger(fc).valueAt(99, 19); // 'repeat_burn'
 * ```
 */
export function repeatBurnTagger(areas: GeoJsonLike, className = 'repeat_burn'): PointTagger {
  const idx = polygonIndex(areas, { property: '__none__' });
  return {
    valueAt: (lng, lat) => (idx.featuresAt(lng, lat).length > 0 ? className : undefined),
    valuesAt: (lng, lat) => (idx.featuresAt(lng, lat).length > 0 ? [className] : []),
  };
}

/**
 * `from`/`to` local dates as a UTC window `[start, end)` (end = local midnight after `to`); open ends are ±Infinity.
 *
 * @example
 * ```ts
 * import { localDayWindow } from 'hazetrace/attribution';
 * new Date(localDayWindow('2025-04-22', '2025-04-24', '+07:00').start).toISOString(); // '2025-04-21T17:00:00.000Z'
 * ```
 */
export function localDayWindow(from: string | undefined, to: string | undefined, utcOffset: string): { start: number; end: number } {
  if (from !== undefined) checkString('from', from);
  if (to !== undefined) checkString('to', to);
  const offMs = parseUtcOffset(utcOffset, 'utcOffset') * 60_000;
  const midnight = (d: string, name: string): number => {
    const t = /^\d{4}-\d{2}-\d{2}$/.test(d) ? Date.parse(`${d}T00:00:00Z`) : NaN;
    if (!Number.isFinite(t) || toIsoUtc(t).slice(0, 10) !== d) throw argError(name, d, 'a date YYYY-MM-DD');
    return t - offMs;
  };
  const start = from === undefined ? -Infinity : midnight(from, 'options.from');
  const end = to === undefined ? Infinity : midnight(to, 'options.to') + DAY_MS;
  if (start >= end) throw new HazetraceError('E_ARG', `options.from ${from} is after options.to ${to}`, { argument: 'options.from', value: from });
  return { start, end };
}

const SERIES_DEFAULTS = Object.freeze({
  threshold: 37.5,
  averaging: 'auto' as NonNullable<EpisodeOptions['averaging']>,
  utcOffset: '+07:00',
  members: 9,
  seed: 1,
  domestic: 'THA',
  regionProperty: 'iso_a3',
  maxSources: 100,
  minCoverage: 0.5,
});

/** The ensemble 'auto' picks for a wind field, with the reason. */
function autoEnsemble(wind: WindField): ['offset' | 'random-walk', string] {
  if (wind.kind === 'station') return ['random-walk', 'point wind (IDW between sites): offset members would read nearly the same wind'];
  if (wind.kind === 'uniform') return ['random-walk', 'uniform wind: offset members would read the same wind'];
  const step = wind.gridStepDeg ? Math.max(wind.gridStepDeg[0], wind.gridStepDeg[1]) : NaN;
  if (step >= 1) return ['random-walk', `coarse grid (${step}°): offset members would barely differ`];
  return ['offset', 'gridded wind: HYSPLIT-style offset members'];
}

/** The source layer of a run and what it rests on (see {@link runSources}). */
interface RunSources {
  missing: string[];
  facilitiesRejected: RejectedRow[];
  facilityCount: number;
  sources: SourceLayer;
}

/**
 * Source-layer cache. Key: the `hotspots` object, held weakly; value: up to 4 entries, each the identities of the
 * other inputs that shape the layer (regions, areas, region levels, facilities, reports) with the region property
 * and the unseen-burning switch, and the layer built from them. Why: a season attributed window by window
 * (`runBatchUnit`, `chunkDays`) or station by station calls `attributeSeries` many times on the same inputs; building
 * the layer tags every detection of the season by region and area each time (a third of a windowed batch unit's CPU
 * before this cache), and a new layer object also misses the prepared-state cache (prepare.ts). Inputs are read,
 * never changed, so the same objects give the same layer.
 */
const sourcesCache = new WeakMap<object, { key: unknown[]; value: RunSources }[]>();

/** The run's source layer: hotspots tagged by region and repeat-burn area, facilities and further layers, cached. */
function runSources(inputs: AttributeSeriesInputs, regionProperty: string, unseen: boolean): RunSources {
  const owner: object = inputs.hotspotLayer?.sources ?? (inputs.hotspots as Hotspots);
  const key: unknown[] = [(owner as { length: number }).length, inputs.regions, inputs.areas, inputs.regionLevels, inputs.facilities, inputs.reports, regionProperty, unseen];
  let entries = sourcesCache.get(owner);
  if (!entries) sourcesCache.set(owner, (entries = []));
  const hit = entries.find((e) => e.key.every((k, i) => k === key[i]));
  if (hit) return { ...hit.value, missing: [...hit.value.missing] };
  const value = buildSources(inputs, regionProperty, unseen);
  if (entries.length >= 4) entries.shift();
  entries.push({ key, value });
  return { ...value, missing: [...value.missing] };
}

/** The taggers a run's inputs give (regions, repeat-burn areas, further region levels) and the ones missing. */
function runTags(inputs: Pick<AttributeSeriesInputs, 'regions' | 'areas' | 'regionLevels'>, regionProperty: string): { tags: TagOptions; missing: string[] } {
  const missing: string[] = [];
  const tags: TagOptions = {};
  if (inputs.regions) tags.regions = regionTagger(inputs.regions, regionProperty);
  else missing.push('regions');
  if (inputs.areas) tags.areas = [isTagger(inputs.areas) ? inputs.areas : repeatBurnTagger(inputs.areas)];
  else missing.push('repeat-burn areas');
  if (inputs.regionLevels) {
    tags.regionLevels = Object.fromEntries(Object.entries(inputs.regionLevels).map(([name, l]) => [name, polygonIndex(l.polygons, { property: l.property, snapKm: REGION_SNAP_KM })]));
  }
  return { tags, missing };
}

function buildSources(inputs: AttributeSeriesInputs, regionProperty: string, unseen: boolean): RunSources {
  const { tags, missing: tagsMissing } = runTags(inputs, regionProperty);
  const given = inputs.hotspotLayer;
  // A given layer was tagged when it was built: what it lacked then, and the regions the other layers need now.
  const missing = given ? [...new Set([...given.missing, ...tagsMissing.filter((m) => m === 'regions')])] : tagsMissing;
  const layers: SourceLayer[] = [given ? given.sources : hotspotSources(inputs.hotspots as Hotspots, tags)];
  let facilitiesRejected: RejectedRow[] = [];
  let facilityCount = 0;
  if (inputs.facilities !== undefined) {
    const fac = typeof inputs.facilities === 'string' ? facilitySources(inputs.facilities, tags.regions ? { regions: tags.regions } : {}) : { layer: inputs.facilities, rejected: [] };
    facilitiesRejected = fac.rejected;
    facilityCount = fac.layer.length;
    layers.push(fac.layer);
  } else missing.push('facilities');
  if (inputs.reports) layers.push(inputs.reports);
  if (unseen && inputs.areas) layers.push(unseenBurningLayer(inputs.areas, tags));
  const sources = layers.length === 1 ? (layers[0] as SourceLayer) : mergeSources(...layers);
  return { missing, facilitiesRejected, facilityCount, sources };
}

/**
 * A season's hotspots as the tagged source layer {@link attributeSeries} builds from them, with what a time slice
 * of it must carry from the whole season: each detection's row in the season's file (so slices and partitions read
 * back keep one order), the days the season's detections cover, and how many there are.
 */
export interface HotspotLayer {
  /** The tagged detections (kind `hotspot`: id `hotspot:<row>`, weight, category, region, levels, classes), in file order. */
  sources: SourceLayer;
  /** Row of each detection in the season's hotspot table (0-based), ascending. */
  row: Float64Array;
  /** Days the whole season's detections cover (`hotspotCoverage` of the season), UTC ms intervals. */
  coverage: Intervals;
  /** Detections in the whole season. */
  detections: number;
  /** Tag inputs the layer was built without (`'regions'`, `'repeat-burn areas'`), as a run reports them. */
  missing: string[];
  /** The region property the primary regions were read from (a run with another `regionProperty` is refused). */
  regionProperty: string;
}

/**
 * Tag a season's hotspots once, exactly as {@link attributeSeries} does (region, repeat-burn areas, further region
 * levels, FRP weights with the season's median for missing FRP), keeping the season's coverage and count. Pass it
 * (or a time slice, {@link sliceHotspotLayer}) as `inputs.hotspotLayer`: a process that attributes a few weeks at a
 * time then holds only those weeks' detections (`hazetrace batch` writes it as month partitions, see
 * `hotspotLayerToParquet`).
 *
 * @example
 * ```ts
 * import { seasonHotspotLayer, sliceHotspotLayer } from 'hazetrace/attribution';
 * import { readFirmsCsv } from 'hazetrace/io';
 * const { hotspots } = readFirmsCsv('latitude,longitude,brightness,acq_date,acq_time,frp\n19.3,98.9,330,2025-03-01,0630,12\n19,99,330,2025-04-10,0630,\n');
 * const season = seasonHotspotLayer({ hotspots });
 * season.sources.id; // ['hotspot:0', 'hotspot:1']
 * const march = sliceHotspotLayer(season, Date.UTC(2025, 2, 1), Date.UTC(2025, 3, 1));
 * march.sources.length; // 1
 * march.detections; // 2
 * ```
 */
export function seasonHotspotLayer(
  inputs: Pick<AttributeSeriesInputs, 'regions' | 'areas' | 'regionLevels'> & { hotspots: Hotspots },
  options: { regionProperty?: string } = {},
): HotspotLayer {
  if (!inputs || typeof inputs !== 'object') throw argError('inputs', inputs, '{ hotspots, regions?, areas?, regionLevels? }');
  const { hotspots } = inputs;
  if (!isHotspots(hotspots)) throw argError('inputs.hotspots', hotspots, 'readFirmsCsv(text).hotspots');
  checkOptions('options', options);
  const regionProperty = options.regionProperty ?? SERIES_DEFAULTS.regionProperty;
  checkString('options.regionProperty', regionProperty);
  const { tags, missing } = runTags(inputs, regionProperty);
  const sources = hotspotSources(hotspots, tags);
  const row = new Float64Array(sources.length);
  for (let i = 0; i < row.length; i++) row[i] = i;
  return { sources, row, coverage: hotspotCoverage(hotspots), detections: hotspots.length, missing, regionProperty };
}

/**
 * The detections of a {@link HotspotLayer} timed in `[start, end)` (UTC ms), in the same order, with the season's
 * coverage and count unchanged. A window of episodes attributed with a slice that holds every detection its
 * back-trajectories can reach gives the same numbers as with the whole season.
 *
 * @example
 * ```ts
 * import { seasonHotspotLayer, sliceHotspotLayer } from 'hazetrace/attribution';
 * import { readFirmsCsv } from 'hazetrace/io';
 * const { hotspots } = readFirmsCsv('latitude,longitude,brightness,acq_date,acq_time,frp\n19,99,330,2025-03-01,0630,1\n19,99,330,2025-03-02,0630,2\n19,99,330,2025-03-03,0630,3\n');
 * Array.from(sliceHotspotLayer(seasonHotspotLayer({ hotspots }), Date.UTC(2025, 2, 2), Infinity).row); // [1, 2]
 * ```
 */
export function sliceHotspotLayer(layer: HotspotLayer, start: number, end: number): HotspotLayer {
  checkHotspotLayer('layer', layer);
  if (typeof start !== 'number' || Number.isNaN(start)) throw argError('start', start, 'UTC ms (or -Infinity)');
  if (typeof end !== 'number' || Number.isNaN(end) || end < start) throw argError('end', end, `UTC ms ≥ start (${start})`);
  const keep: number[] = [];
  const time = layer.sources.time;
  for (let i = 0; i < layer.sources.length; i++) {
    const t = time[i] as number;
    if (Number.isNaN(t) || (t >= start && t < end)) keep.push(i);
  }
  return { ...layer, sources: layerRows(layer.sources, keep), row: Float64Array.from(keep, (i) => layer.row[i] as number), missing: [...layer.missing], coverage: layer.coverage.map(([a, b]) => [a, b]) };
}

/** Whether `h` looks like a hotspot table (a length and a time column) — the check both entry points make. */
function isHotspots(h: unknown): h is Hotspots {
  return !!h && typeof (h as Hotspots).length === 'number' && !!(h as Hotspots).time;
}

/** Assert `value` is a {@link HotspotLayer} (shape and lengths); returns it. */
export function checkHotspotLayer(argument: string, value: unknown): HotspotLayer {
  const expected = 'seasonHotspotLayer(...), sliceHotspotLayer(...) or readHotspotLayerParquet(...)';
  if (!value || typeof value !== 'object') throw argError(argument, value, expected);
  const l = value as HotspotLayer;
  checkSourceLayer(`${argument}.sources`, l.sources);
  if (!(l.row instanceof Float64Array) || l.row.length !== l.sources.length) throw argError(`${argument}.row`, l.row, `a Float64Array of ${l.sources.length} rows`);
  for (let i = 1; i < l.row.length; i++) if (!((l.row[i] as number) > (l.row[i - 1] as number))) throw argError(`${argument}.row`, l.row[i], 'rows in ascending order');
  if (!Array.isArray(l.coverage) || l.coverage.some((iv) => !Array.isArray(iv) || iv.length !== 2)) throw argError(`${argument}.coverage`, l.coverage, '[start, end] UTC ms intervals');
  if (!Number.isInteger(l.detections) || l.detections < l.sources.length) throw argError(`${argument}.detections`, l.detections, `a whole number ≥ ${l.sources.length}`);
  if (!Array.isArray(l.missing) || l.missing.some((m) => typeof m !== 'string')) throw argError(`${argument}.missing`, l.missing, 'an array of strings');
  if (typeof l.regionProperty !== 'string' || !l.regionProperty) throw argError(`${argument}.regionProperty`, l.regionProperty, 'a property name');
  return l;
}

/**
 * Episode cache. Key: the series input object, held weakly; value: up to 4 detections by their options. Why: a
 * season attributed window by window calls `attributeSeries` once per window on the same series, and detecting the
 * season's episodes is a pass over the whole series each time. Episodes are copied out, so callers never share them.
 */
const episodesCache = new WeakMap<object, Map<string, EpisodeSet>>();

/** {@link detectEpisodes} on the run's series, from the cache when the same series was detected with the same options. */
function runEpisodes(series: Parameters<typeof detectEpisodes>[0], options: EpisodeOptions): EpisodeSet {
  const key = JSON.stringify([options.threshold, options.averaging, options.utcOffset]);
  let perSeries = episodesCache.get(series);
  if (!perSeries) episodesCache.set(series, (perSeries = new Map()));
  let set = perSeries.get(key);
  if (!set) {
    set = detectEpisodes(series, options);
    if (perSeries.size >= 4) perSeries.delete(perSeries.keys().next().value as string);
    perSeries.set(key, set);
  }
  return { ...set, episodes: set.episodes.map((e) => ({ ...e })) };
}

/**
 * The PM2.5 episodes {@link attributeSeries} attributes from: {@link detectEpisodes} on `series` with the run's
 * `threshold` (default 37.5 µg/m³), `averaging` (default 'auto') and `utcOffset` (default '+07:00'), before the
 * run's `from` / `to` days choose among them. It shares `attributeSeries`'s cache (by the series object), so a caller
 * that needs the episodes first — e.g. to read only the wind a window of days needs — and then attributes the same
 * series detects them once. The episodes are copies: changing them changes nothing else.
 *
 * @example
 * ```ts
 * import { seriesEpisodes } from 'hazetrace/attribution';
 * import { readStationSeriesCsv } from 'hazetrace/io';
 * const csv = 'station_id,date_local,time_local,pm25\n' + Array.from({ length: 24 }, (_, h) => `35t,2025-04-21,${h + 1}:00,60`).join('\n');
 * const series = readStationSeriesCsv(csv);
 * seriesEpisodes(series).episodes.length; // 1
 * seriesEpisodes(series, { threshold: 75 }).episodes.length; // 0
 * ```
 */
export function seriesEpisodes(series: AttributeSeriesInputs['series'], options: Pick<AttributeSeriesOptions, 'threshold' | 'averaging' | 'utcOffset'> = {}): EpisodeSet {
  if (!series || typeof series !== 'object') throw argError('series', series, 'readStationSeriesCsv(text) or a StationSeries');
  checkOptions('options', options);
  const o = { ...SERIES_DEFAULTS, ...stripUndefined(options) } as typeof SERIES_DEFAULTS;
  return runEpisodes(series as Parameters<typeof detectEpisodes>[0], { threshold: o.threshold, averaging: o.averaging, utcOffset: o.utcOffset });
}

/** Everything before calibration: checked inputs and options, sources, episodes and their coverage verdicts. */
function prepareRun(inputs: AttributeSeriesInputs, options: AttributeSeriesOptions) {
  if (!inputs || typeof inputs !== 'object') throw argError('inputs', inputs, '{ hotspots, series, stations, wind, ... }');
  const { hotspots, hotspotLayer, stations, wind } = inputs;
  if (hotspotLayer !== undefined) checkHotspotLayer('inputs.hotspotLayer', hotspotLayer);
  else if (!isHotspots(hotspots)) throw argError('inputs.hotspots', hotspots, 'readFirmsCsv(text).hotspots (or inputs.hotspotLayer)');
  if (!stations || !Array.isArray(stations.id)) throw argError('inputs.stations', stations, 'readStationsCsv(text).stations');
  if (!wind || typeof wind.sample !== 'function') throw argError('inputs.wind', wind, 'a WindField (openWind, stationWind, windFromNetcdf, ...)');
  const seriesIn = inputs.series as { series?: StationSeries; timeBasis?: string } & Partial<StationSeries>;
  const series = (seriesIn && 'series' in seriesIn && seriesIn.series ? seriesIn.series : seriesIn) as StationSeries;
  if (!series || !series.time || !series.values) throw argError('inputs.series', inputs.series, 'readStationSeriesCsv(text) or a StationSeries');
  const o = { ...SERIES_DEFAULTS, ...stripUndefined(options) } as typeof SERIES_DEFAULTS & AttributeSeriesOptions;
  const hours = checkPositive('options.hours', options.hours ?? ATTRIBUTE_DEFAULTS.hours);
  const startStepHours = checkPositive('options.startStepHours', options.startStepHours ?? ATTRIBUTE_DEFAULTS.startStepHours);
  const minCoverage = o.minCoverage;
  if (!(minCoverage >= 0 && minCoverage <= 1)) throw argError('options.minCoverage', minCoverage, 'a fraction in [0, 1]');
  const window = localDayWindow(options.from, options.to, o.utcOffset);
  const [ensembleKind, ensembleReason] = (options.ensemble ?? 'auto') === 'auto' ? autoEnsemble(wind) : [options.ensemble as 'offset' | 'random-walk', 'chosen by the caller'];
  if (ensembleKind !== 'offset' && ensembleKind !== 'random-walk') throw argError('options.ensemble', options.ensemble, "'auto', 'offset' or 'random-walk'");

  const { missing, facilitiesRejected, facilityCount, sources } = runSources(inputs, o.regionProperty, options.unseenBurning !== false);

  // Episodes on the whole series, kept when they overlap the window (so one straddling `from` keeps its start).
  const basis = (seriesIn.timeBasis ?? (series as { timeBasis?: string }).timeBasis) as 'hour-end' | 'hour-start' | 'day-start' | undefined;
  const detected = runEpisodes(inputs.series as Parameters<typeof detectEpisodes>[0], { threshold: o.threshold, averaging: o.averaging, utcOffset: o.utcOffset });
  const only = options.episodeIds ? new Set(options.episodeIds) : null;
  const chosen = detected.episodes.filter((e) => e.start < window.end && e.end > window.start && (!only || only.has(e.id)));

  if (hotspotLayer && hotspotLayer.regionProperty !== o.regionProperty) {
    throw argError('options.regionProperty', o.regionProperty, `the property inputs.hotspotLayer was tagged with ("${hotspotLayer.regionProperty}")`);
  }
  const hotspotDays: Intervals = options.hotspotPeriod
    ? hotspotCoverage({ time: [] }, { period: options.hotspotPeriod })
    : hotspotLayer
      ? hotspotLayer.coverage.map(([a, b]) => [a, b] as [number, number])
      : hotspotCoverage(hotspots as Hotspots);
  const detections = hotspotLayer ? hotspotLayer.detections : (hotspots as Hotspots).length;
  const [w0, w1] = wind.timeRange;
  const windDays: Intervals = [[w0, w1]];
  const known = new Set(stations.id.map((s) => s.toLowerCase()));
  const coverageOf = (ep: Episode): EpisodeCoverage => {
    const [a, b] = backTrajectoryWindow(ep.start, ep.end, hours);
    return { window: { start: toIsoUtc(a), end: toIsoUtc(b) }, hotspots: coveredFraction(hotspotDays, a, b), wind: coveredFraction(windDays, a, b), trajectories: 0, missing };
  };
  // Each trajectory start is usable when the hotspot file and the wind cover at least `minCoverage` of its own
  // back-trajectory window; an episode is attributed on its usable starts (a partial window is stated in its
  // coverage) and is insufficient-data when it has none.
  const stepMs = startStepHours * HOUR_MS;
  const verdicts = chosen.map((ep) => {
    const coverage = coverageOf(ep);
    let reason: string | undefined;
    let run: Episode | undefined;
    let planned = 0;
    const starts: number[] = [];
    for (let t = ep.start; t < Math.max(ep.end, ep.start + 1); t += stepMs) starts.push(t);
    const usable = starts.filter((t) => coveredFraction(windDays, t - hours * HOUR_MS, t) >= minCoverage && coveredFraction(hotspotDays, t - hours * HOUR_MS, t) >= minCoverage);
    if (!known.has(ep.station.toLowerCase())) reason = `no coordinates for station "${ep.station}" in inputs.stations`;
    else if (usable.length === 0 && coverage.wind < minCoverage) reason = `wind covers ${pct(coverage.wind)} of the back-trajectory window ${coverage.window.start.slice(0, 10)}..${coverage.window.end.slice(0, 10)} (wind spans ${isoOrNull(w0)?.slice(0, 10) ?? '−∞'}..${isoOrNull(w1)?.slice(0, 10) ?? '+∞'})`;
    else if (usable.length === 0) reason = `hotspot data cover ${pct(coverage.hotspots)} of the back-trajectory window ${coverage.window.start.slice(0, 10)}..${coverage.window.end.slice(0, 10)} and no hour of the episode has ${pct(minCoverage)} of its own ${hours}-h window covered (the hotspot file covers ${describeIntervals(hotspotDays)})`;
    else {
      const first = usable[0] as number;
      const last = usable[usable.length - 1] as number;
      run = first === ep.start && usable.length === starts.length ? ep : { ...ep, start: first, end: Math.min(Math.max(ep.end, ep.start + 1), last + stepMs) };
      planned = starts.indexOf(last) - starts.indexOf(first) + 1;
      coverage.starts = usable.length / starts.length;
      coverage.attributedWindow = { start: toIsoUtc(run.start), end: toIsoUtc(Math.max(run.end, run.start + 1)) };
    }
    return { ep, run, planned, coverage, reason };
  });
  const runnable = verdicts.filter((v) => v.reason === undefined);

  return { o, hours, startStepHours, minCoverage, ensembleKind, ensembleReason, missing, facilitiesRejected, facilityCount, sources, basis, hotspotDays, w0, w1, verdicts, runnable, series, stations, wind, detections };
}

/** The category scales of a run: given, fitted on the run's observations, or the defaults (with the reason). */
function runCalibration(p: ReturnType<typeof prepareRun>, options: AttributeSeriesOptions): ScaleFit {
  const { o, hours, minCoverage, sources, basis, hotspotDays, runnable, series, stations, wind } = p;
  let calibration: ScaleFit;
  if (options.scales) calibration = { mode: 'given', scales: { ...options.scales }, background: null, r2: null, rows: 0, intervals: { ...(options.scaleIntervals ?? {}) } };
  else if (options.calibrate === false) calibration = { mode: 'defaults', scales: {}, background: null, r2: null, rows: 0, intervals: {}, fallback: 'calibration turned off' };
  else if (runnable.length === 0) calibration = { mode: 'defaults', scales: {}, background: null, r2: null, rows: 0, intervals: {}, fallback: 'no episode to attribute' };
  else {
    const col = seriesValueColumn(series);
    const rowsBasis = basis ?? (medianStepHours(series) >= 20 ? 'day-start' : 'hour-start');
    calibration = fitSeriesScales(observationRows(series, col, rowsBasis), stations, wind, sources, {
      hours,
      kernel: options.kernel ?? {},
      hotspotDays,
      minCoverage,
      seed: o.seed,
    });
  }

  return calibration;
}

/**
 * The category scales {@link attributeSeries} would use for these inputs and options — fitted on the observed PM2.5,
 * given, or the defaults with the reason — without attributing any episode. For runs split into units (one station
 * or period each, e.g. `hazetrace batch`): fit once on the whole season here and pass `scales` and `scaleIntervals`
 * to every unit, so each unit's shares equal the one-process run's.
 *
 * @example
 * ```ts
 * import { calibrateSeries } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22);
 * const hotspots = { length: 1, lng: Float64Array.of(98.9), lat: Float64Array.of(19.3), time: Float64Array.of(t0 + 5 * 3_600_000),
 *   frp: Float64Array.of(40), brightness: Float64Array.of(NaN), brightness2: Float64Array.of(NaN), scan: Float64Array.of(1), track: Float64Array.of(1),
 *   confidence: ['h'], confidenceNorm: Float64Array.of(1), satellite: ['T'], instrument: ['MODIS'], daynight: ['D'], version: ['6.1NRT'], extra: {} };
 * const series = { length: 2, station: ['35t', '35t'], time: Float64Array.of(t0 - 7 * 3_600_000, t0 + 17 * 3_600_000), values: { pm25_ugm3: Float64Array.of(20, 80) } };
 * const stations = { length: 1, id: ['35t'], name: ['Chiang Mai'], lng: Float64Array.of(98.97), lat: Float64Array.of(18.84), extra: {} };
 * calibrateSeries({ hotspots, series: { series, timeBasis: 'day-start' }, stations, wind: uniformWind({ speed: 2, directionFrom: 350 }) }, { calibrate: false }).mode; // 'defaults'
 * ```
 */
export function calibrateSeries(inputs: AttributeSeriesInputs, options: AttributeSeriesOptions = {}): ScaleFit {
  return runCalibration(prepareRun(inputs, options), options);
}

/**
 * Attribute every PM2.5 episode of a season (or of `from`..`to`) to fires, repeat-burn areas, facilities and
 * countries in one call, from what the readers return. Episodes whose back-trajectory window the hotspot file or
 * the wind does not cover are `insufficient-data` with the reason (never a confident "facility 100 %"); the
 * category scales are fitted on the observed PM2.5 when the data allow (`calibration` says what was done).
 *
 * @example
 * ```ts
 * import { attributeSeries } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22);
 * const hotspots = { length: 1, lng: Float64Array.of(98.9), lat: Float64Array.of(19.3), time: Float64Array.of(t0 + 5 * 3_600_000),
 *   frp: Float64Array.of(40), brightness: Float64Array.of(NaN), brightness2: Float64Array.of(NaN), scan: Float64Array.of(1), track: Float64Array.of(1),
 *   confidence: ['h'], confidenceNorm: Float64Array.of(1), satellite: ['T'], instrument: ['MODIS'], daynight: ['D'], version: ['6.1NRT'], extra: {} };
 * const series = { length: 2, station: ['35t', '35t'], time: Float64Array.of(t0 - 7 * 3_600_000, t0 + 17 * 3_600_000), values: { pm25_ugm3: Float64Array.of(20, 80) } };
 * const stations = { length: 1, id: ['35t'], name: ['Chiang Mai'], lng: Float64Array.of(98.97), lat: Float64Array.of(18.84), extra: {} };
 * const r = attributeSeries({ hotspots, series: { series, timeBasis: 'day-start' }, stations, wind: uniformWind({ speed: 2, directionFrom: 350 }) }, { calibrate: false });
 * r.episodes[0]?.status; // 'attributed'
 * ```
 */
export function attributeSeries(inputs: AttributeSeriesInputs, options: AttributeSeriesOptions = {}): SeriesAttribution {
  const p = prepareRun(inputs, options);
  const { o, hours, startStepHours, minCoverage, ensembleKind, ensembleReason, missing, facilitiesRejected, facilityCount, sources, basis, hotspotDays, w0, w1, verdicts, runnable, series, stations, wind, detections } = p;
  let calibration = runCalibration(p, options);

  const ensemble = ensembleKind === 'random-walk' ? { members: 'random-walk' as const, count: o.members, seed: o.seed } : { members: 'offset' as const };
  // Members per trajectory start: HYSPLIT's offset ensemble has 9.
  const members = ensembleKind === 'offset' ? 9 : o.members;
  const result: AttributionResult | null = runnable.length
    ? attribute(
        runnable.map((v) => v.run as Episode),
        sources,
        {
          ...(options.kernel ?? {}),
          ...(Object.keys(calibration.scales).length ? { scales: calibration.scales } : {}),
          wind,
          receptors: stations,
          hours,
          startStepHours,
          maxSources: o.maxSources,
          domesticRegion: o.domestic,
          ensemble,
          ...(options.trajectoryCache ? { trajectoryCache: options.trajectoryCache } : {}),
          ...(options.scoreCache ? { scoreCache: options.scoreCache } : {}),
        },
      )
    : null;
  if (calibration.mode === 'defaults' && result) calibration = { ...calibration, scales: { ...result.scales } };

  const byEpisode = new Map<Episode, EpisodeAttribution>();
  runnable.forEach((v, i) => byEpisode.set(v.ep, { ...(result?.episodes[i] as EpisodeAttribution), episode: v.ep }));
  const bandKind = options.bands ?? 'combined';
  if (bandKind !== 'combined' && bandKind !== 'ensemble') throw argError('options.bands', options.bands, "'combined' or 'ensemble'");
  const detectionSigma = options.detectionSigma ?? BAND_DEFAULTS.detectionSigma;
  const episodes: SeriesEpisode[] = verdicts.map(({ ep, planned, coverage, reason }) => {
    const a = byEpisode.get(ep);
    if (!a) return { ...emptyAttribution(ep, stations), status: 'insufficient-data', reason: reason as string, coverage };
    const cov = { ...coverage, trajectories: Math.min(1, a.trajectoryCount / (planned * members)) };
    if (a.trajectoryCount === 0) return { ...a, status: 'insufficient-data', reason: 'no back-trajectory could be traced (start outside the wind field)', coverage: cov };
    if (!(a.totalScore > 0)) return { ...a, status: 'no-source-reached', reason: 'no source within reach of the back-trajectories (all kernel weights zero)', coverage: cov };
    const banded = bandKind === 'combined' ? combinedBands(a, { seed: o.seed, scales: calibration.scales, scaleIntervals: calibration.intervals, domesticRegion: o.domestic, detectionSigma }) : {};
    return { ...a, ...banded, status: 'attributed', coverage: cov };
  });

  const rawWarnings = [...(result?.warnings ?? [])];
  for (const v of verdicts) if (v.reason) rawWarnings.push(`${v.ep.id}: insufficient data: ${v.reason}`);
  if (calibration.fallback && calibration.mode === 'defaults' && options.calibrate !== false) rawWarnings.push(`calibration: default scales used: ${calibration.fallback}`);
  if (facilitiesRejected.length) rawWarnings.push(`facilities: ${facilitiesRejected.length} row(s) rejected`);
  const warnings = groupWarnings(rawWarnings);

  const settings: SeriesSettings = {
    threshold: o.threshold,
    averaging: String(o.averaging),
    utcOffset: o.utcOffset,
    from: options.from ?? null,
    to: options.to ?? null,
    hours,
    startStepHours,
    ensemble: ensembleKind,
    ensembleReason,
    members,
    seed: o.seed,
    domestic: o.domestic,
    regionProperty: o.regionProperty,
    maxSources: o.maxSources,
    minCoverage,
    bands: { kind: bandKind, quantiles: [0.1, 0.9], detectionSigma: bandKind === 'combined' ? detectionSigma : null },
    kernel: result?.settings ?? null,
  };
  const inputsInfo = {
    hotspots: detections,
    hotspotDays: describeIntervals(hotspotDays, 8),
    wind: { kind: wind.kind, start: isoOrNull(w0), end: isoOrNull(w1) },
    sources: sources.length,
    facilities: facilityCount,
    facilitiesRejected,
    missing,
  };
  const out: SeriesAttribution = {
    episodes,
    calibration,
    settings,
    inputs: inputsInfo,
    warnings,
    sources,
    contract: () => contractOf(out),
    toJSON() {
      return {
        settings,
        inputs: inputsInfo,
        calibration,
        warnings,
        episodes: episodes.map((e) => ({ status: e.status, ...(e.reason ? { reason: e.reason } : {}), coverage: e.coverage, ...episodeJson(e) })),
      };
    },
  };
  return out;
}

/**
 * Category of the steady repeat-burn area sources that stand for burning no satellite saw (`unseenBurning`).
 *
 * @example
 * ```ts
 * import { UNSEEN_BURNING_CATEGORY } from 'hazetrace/attribution';
 * UNSEEN_BURNING_CATEGORY; // 'repeat_burn_unseen'
 * ```
 */
export const UNSEEN_BURNING_CATEGORY = 'repeat_burn_unseen';

/** Repeat-burn areas as steady sources of {@link UNSEEN_BURNING_CATEGORY}, weight 1 per H3 res-6 cell. */
function unseenBurningLayer(areas: GeoJsonLike | PointTagger, tags: TagOptions): SourceLayer {
  const regionTags = { ...(tags.regions ? { regions: tags.regions } : {}), ...(tags.regionLevels ? { regionLevels: tags.regionLevels } : {}) };
  const isRb = typeof (areas as { cells?: unknown }).cells === 'object' && (areas as { frequency?: unknown }).frequency !== undefined;
  if (!isRb && isTagger(areas)) throw argError('inputs.areas', areas, 'polygons or repeatBurnAreas(...) for options.unseenBurning');
  const layer = areaSources(areas as Parameters<typeof areaSources>[0], { ...regionTags, classProperty: '\u0000none', weightProperty: '\u0000none', defaultClass: UNSEEN_BURNING_CATEGORY, res: 6 });
  layer.weight.fill(1);
  for (let i = 0; i < layer.length; i++) {
    layer.category[i] = UNSEEN_BURNING_CATEGORY;
    layer.id[i] = `${UNSEEN_BURNING_CATEGORY}:${i}`;
  }
  return layer;
}

const isTagger = (x: unknown): x is PointTagger => typeof (x as PointTagger).valueAt === 'function';
const pct = (x: number): string => `${Math.round(x * 100)} %`;
const isoOrNull = (t: number): string | null => (Number.isFinite(t) ? toIsoUtc(t) : null);

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function medianStepHours(s: StationSeries): number {
  const gaps: number[] = [];
  for (let i = 1; i < Math.min(s.length, 2000); i++) if (s.station[i] === s.station[i - 1]) gaps.push(((s.time[i] as number) - (s.time[i - 1] as number)) / HOUR_MS);
  gaps.sort((a, b) => a - b);
  return gaps.length ? (gaps[gaps.length >> 1] as number) : 1;
}

/** An episode that was not attributed: no trajectories, no sources, no shares. */
function emptyAttribution(ep: Episode, stations: Stations): EpisodeAttribution {
  const i = stations.id.findIndex((s) => s.toLowerCase() === ep.station.toLowerCase());
  return {
    episode: ep,
    receptor: i >= 0 ? ([stations.lng[i] as number, stations.lat[i] as number] as const) : null,
    trajectoryCount: 0,
    members: 0,
    totalScore: 0,
    sourceCount: 0,
    sources: [],
    sharesByCategory: {},
    sharesByRegion: {},
    sharesByRegionLevel: {},
    memberScores: { categories: [], regions: [], members: 0, scores: new Float64Array(0) },
    baseline: { radiusKm: 50, hours: 72, count: 0, byCategory: {}, byRegion: {}, sharesByCategory: {}, sharesByRegion: {} },
    trajectories: concatTrajectorySets([]),
    warnings: [],
  } as EpisodeAttribution;
}
