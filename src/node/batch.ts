/**
 * Season- and region-scale attribution split into idempotent units that run on an existing job queue (BullMQ on
 * Redis) with any number of worker processes on any number of machines (docs/batch.md).
 *
 * The plan: read the inputs once, fit the category scales once for the whole season (`calibrateSeries`), cut
 * the run into one unit per station and write each station's PM2.5 rows as `series/station=<id>/part-<key>.parquet`
 * (exact), which is all of the PM2.5 file a unit reads, and the season's hotspots tagged once (`seasonHotspotLayer`) as
 * `hotspots/month=<YYYY-MM>/part-<key>.parquet`, of which a unit reads only the months its windows reach. A unit's key is the SHA-256 of the input files' hashes, the settings, the
 * season's scales and the station, so the same work always has the same key. A unit attributes its station with the
 * season's scales (so its shares equal the one-process run's: per-station episodes, trajectories and bands do not
 * depend on other stations) and writes `shares/station=<id>/part-<key>.parquet` and
 * `sources/station=<id>/part-<key>.parquet` (written to a temporary name, then renamed), then the marker
 * `done/<key>.json`. A unit whose marker exists is never recomputed; a unit whose worker died is retried by the
 * queue (its files are absent or complete, never half-written). `mergeBatch` reads the partitions back. A unit walks
 * its season in windows of days and reads, per window, only the wind frames the window needs (NetCDF3), so the wind
 * a worker holds follows one window, not the season (peak RSS as measured: docs/batch.md, "Measured"); the same holds for
 * the hotspots (docs/batch.md, "Hotspots by month").
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { ATTRIBUTE_DEFAULTS, attributeSeries, calibrateSeries, seriesEpisodes, episodeTrajectoriesParquetStream, localDayWindow, sharesToParquet, sourcesToParquet, seasonHotspotLayer, hotspotLayerToParquet, readHotspotLayerParquet, type HotspotLayer, type AttributeSeriesInputs, type AttributeSeriesOptions, type Episode, type ScaleFit, type SeriesAttribution, type TrajectoryParquetStream } from '../attribution/index.js';
import { HazetraceError, argError, parseUtcOffset } from '../core/index.js';
import type { StationSeries } from '../core/types.js';
import { hivePartitionPath, readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationSeriesParquet, readStationsCsv, stationSeriesToParquet, tableToParquet, type ParquetColumn, type StationSeriesResult } from '../io/index.js';
import { fileWriter, geojsonToWkb } from 'hyparquet-writer';
import { concatTrajectorySets } from '../wind/index.js';
import { layerRows, pickRows } from '../attribution/source-layer.js';
import { openNetcdfWindFile, openWindFile } from './wind.js';
import type { NetcdfWindFrames, NetcdfWindScan } from '../wind/netcdf.js';
import { checkOptions, checkString } from '../core/check.js';

/** What a batch run attributes: input files (paths relative to the spec file or absolute) and settings. */
export interface BatchSpec {
  hotspots: string;
  pm25: string;
  stations: string;
  wind: string;
  regions?: string;
  facilities?: string;
  /** First and last local day (YYYY-MM-DD), as `attributeSeries`'s `from` / `to`. */
  from?: string;
  to?: string;
  /** UTC offset of the PM2.5 file's local times and of from/to, default '+07:00'. */
  utcOffset?: string;
  /** Seed of every random choice, default 1. */
  seed?: number;
}

/** One unit of work: a station's season, or (with `unitDays`) one period of it. */
export interface BatchUnit {
  key: string;
  station: string;
  /**
   * Key of the station's PM2.5 partition (`series/station=<id>/part-<seriesKey>.parquet`), shared by the station's
   * units; equal to `key` for a whole-season unit. Absent in plans made before periods (then `key`).
   */
  seriesKey?: string;
  /**
   * The local days (`YYYY-MM-DD`, inclusive) of the station's season this unit attributes, when the plan cut it by
   * `unitDays`; absent: the whole season. An episode belongs to the period it starts in (the first it overlaps).
   */
  period?: { from: string; to: string };
}

/** The plan {@link planBatch} writes to `out/plan.json`. */
export interface BatchPlan {
  spec: BatchSpec;
  /** Directory of the spec's relative paths. */
  base: string;
  /** SHA-256 of each input file. */
  inputs: Record<string, string>;
  /** The season's category scales (fitted once). */
  calibration: ScaleFit;
  /**
   * The season's tagged hotspots, written once as month partitions `hotspots/month=<YYYY-MM>/part-<key>.parquet`
   * (UTC months of the detection times; `month=untimed` for detections with no time): a unit reads only the months
   * its windows of episodes reach.
   */
  hotspots: { key: string; months: string[] };
  /** Local days per unit when the plan cut each station's season into periods ({@link BatchPlanOptions}). */
  unitDays?: number;
  /**
   * What the plan's pass over a NetCDF3 wind file found (largest speed, implausible values): every worker process
   * opens the file with it instead of repeating the pass (2.6 s of CPU for a 118 MB file). Absent for other formats.
   */
  windScan?: NetcdfWindScan;
  units: BatchUnit[];
}

/** Options of {@link planBatch}. */
export interface BatchPlanOptions {
  /**
   * Cut each station's season into units of this many local days (a whole number ≥ 1); default: one unit per
   * station for the whole season. Shorter units keep each unit's work (and a worker's, with
   * {@link superviseBatchWorker}'s `unitsPerProcess`) the same however long the season is. The merged outputs do
   * not depend on it: an episode belongs to the period it starts in, as to the first window of days it overlaps.
   */
  unitDays?: number;
}

interface Loaded {
  /**
   * The inputs but the PM2.5 series (a unit reads only its own station's rows: {@link unitSeries}) and, for a unit,
   * the hotspots (it reads the months of the season's tagged layer it needs: {@link unitHotspots}).
   */
  inputs: Omit<AttributeSeriesInputs, 'series'>;
  /** The whole PM2.5 file (planning only). */
  series?: StationSeriesResult;
  /** NetCDF3 wind opened for windowed reading (units only): each window reads its own frames. */
  frames?: NetcdfWindFrames;
  /** What the pass over a NetCDF3 wind file found (planning: stored in the plan so units skip the pass). */
  windScan?: NetcdfWindScan;
}

const sha256 = (b: string | Uint8Array): string => createHash('sha256').update(b).digest('hex');
const FILES = ['hotspots', 'pm25', 'stations', 'wind', 'regions', 'facilities'] as const;

function checkSpec(spec: unknown): asserts spec is BatchSpec {
  if (!spec || typeof spec !== 'object') throw argError('spec', spec, '{ hotspots, pm25, stations, wind, ... } file paths');
  for (const k of ['hotspots', 'pm25', 'stations', 'wind'] as const) {
    if (typeof (spec as Record<string, unknown>)[k] !== 'string') throw argError(`spec.${k}`, (spec as Record<string, unknown>)[k], 'a file path');
  }
}

/**
 * Read a spec's inputs; the PM2.5 and hotspot files only when `planning` (calibration, the station list, the
 * partitions units read). A NetCDF3 wind file (the u10/v10 grid `openWindFile` would read) is opened with the frame
 * reader: with `windowed`, `inputs.wind` is a placeholder with no loaded frame and each window of a unit reads its
 * frames from `frames`; without, every frame is read once into `inputs.wind`. Other wind formats: `openWindFile`.
 */
async function load(spec: BatchSpec, base: string, windowed: boolean, planning: boolean, windScan?: NetcdfWindScan): Promise<Loaded> {
  const p = (f: string): string => resolve(base, f);
  const text = (f: string): string => readFileSync(p(f), 'utf8');
  const utcOffset = spec.utcOffset ?? '+07:00';
  let frames: NetcdfWindFrames | undefined;
  if (!spec.wind.includes(',')) {
    try {
      frames = await openNetcdfWindFile(p(spec.wind), windScan ? { scan: windScan } : {});
    } catch (e) {
      // NetCDF4/HDF5, pressure levels, GeoTIFF, CSV…: read whole below (a missing file fails there with its own error)
      if (!(e instanceof HazetraceError) || e.code !== 'E_FORMAT') throw e;
    }
  }
  const inputs: Loaded['inputs'] = {
    ...(planning ? { hotspots: readFirmsCsv(text(spec.hotspots)).hotspots } : {}),
    stations: readStationsCsv(text(spec.stations)).stations,
    // NetCDF3 read whole goes through the frame reader too: straight into float32, without netcdfjs's arrays of
    // numbers (2-3× the file in flight at once: 0.87 GB peak for a 118 MB file, docs/batch.md)
    wind: frames ? await frames.field(windowed ? frames.times[0]! : -Infinity, windowed ? frames.times[0]! : Infinity) : (await openWindFile(p(spec.wind))).field,
    ...(spec.regions ? { regions: readGeoJsonLayer(text(spec.regions)) } : {}),
    ...(spec.facilities ? { facilities: text(spec.facilities) } : {}),
  };
  const series = planning ? readStationSeriesCsv(text(spec.pm25), { utcOffset }) : undefined;
  return { inputs, ...(series ? { series } : {}), ...(frames && windowed ? { frames } : {}), ...(frames ? { windScan: frames.scan } : {}) };
}

/** Where {@link planBatch} writes a unit's own PM2.5 rows (`series/station=<id>/part-<key>.parquet`). */
const seriesPartition = (outDir: string, unit: BatchUnit): string => join(outDir, 'series', hivePartitionPath({ station: unit.station }), `part-${unit.seriesKey ?? unit.key}.parquet`);

/** Each station's rows, in file order (what the whole file's series holds for it), from one pass over the series. */
function rowsByStation(s: StationSeries): Map<string, StationSeries> {
  const idx = new Map<string, number[]>();
  for (let i = 0; i < s.length; i++) {
    const st = s.station[i]!;
    let list = idx.get(st);
    if (!list) idx.set(st, (list = []));
    list.push(i);
  }
  const out = new Map<string, StationSeries>();
  for (const [st, rows] of idx) {
    const values: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(s.values)) values[k] = Float64Array.from(rows, (i) => v[i]!);
    out.set(st, { length: rows.length, station: rows.map(() => st), time: Float64Array.from(rows, (i) => s.time[i]!), values });
  }
  return out;
}

/**
 * A unit's PM2.5: its station's rows, which {@link planBatch} wrote as a Parquet partition (exact times and values),
 * so a unit reads and holds its station's season, not the whole file's.
 */
async function unitSeries(outDir: string, unit: BatchUnit): Promise<{ series: StationSeries; timeBasis: 'hour-end' | 'day-start' }> {
  const path = seriesPartition(outDir, unit);
  // consecutive units of one station (periods) share the object, so attributeSeries's caches (episodes detected on
  // the whole series) carry over from one period to the next instead of being rebuilt per unit
  if (lastSeries?.path === path) return lastSeries.value;
  if (!existsSync(path)) throw new HazetraceError('E_INPUT', `batch unit ${unit.station}: its PM2.5 partition ${path} is missing (run \`hazetrace batch plan\` again)`, { path });
  const { series, timeBasis } = await readStationSeriesParquet(readFileSync(path));
  lastSeries = { path, value: { series, timeBasis } };
  return lastSeries.value;
}
/** The station series read last (one station: a few MB at most). */
let lastSeries: { path: string; value: { series: StationSeries; timeBasis: 'hour-end' | 'day-start' } } | null = null;

/**
 * Month partitions already read, most recent last, at most {@link MONTHS_KEPT}: consecutive windows of a unit
 * overlap by a month or two, so each partition is parsed about once per unit, and what a worker holds stays a few
 * months of detections whatever the season's length.
 */
const monthCache = new Map<string, HotspotLayer>();
const MONTHS_KEPT = 3;

async function monthLayer(outDir: string, plan: BatchPlan, month: string): Promise<HotspotLayer> {
  const path = hotspotPartition(outDir, plan.hotspots.key, month);
  const hit = monthCache.get(path);
  if (hit) {
    monthCache.delete(path);
    monthCache.set(path, hit);
    return hit;
  }
  if (!existsSync(path)) throw new HazetraceError('E_INPUT', `batch: the hotspot partition ${path} is missing (run \`hazetrace batch plan\` again)`, { path });
  const { layer, rejected } = await readHotspotLayerParquet(readFileSync(path));
  // the plan wrote every row itself: a rejected one means a damaged file, never fewer detections to attribute on
  if (rejected.length) {
    const r = rejected[0]!;
    throw new HazetraceError('E_FORMAT', `batch: the hotspot partition ${path} is damaged: ${rejected.length} row(s) unreadable, first ${r.message} (column ${r.column}); run \`hazetrace batch plan\` again`, { path, row: r.row, column: r.column });
  }
  monthCache.set(path, layer);
  while (monthCache.size > MONTHS_KEPT) monthCache.delete(monthCache.keys().next().value as string);
  return layer;
}

/**
 * The season's tagged hotspots a window needs: the detections timed in [lo, hi) (UTC ms) and the untimed ones, from
 * the month partitions {@link planBatch} wrote, in the season's order.
 */
async function unitHotspots(outDir: string, plan: BatchPlan, lo: number, hi: number): Promise<HotspotLayer> {
  const months = plan.hotspots.months;
  const wanted = months.filter((m) => m === MONTH_UNTIMED || (monthStart(m) < hi && monthEnd(m) > lo));
  const parts: HotspotLayer[] = [];
  for (const m of wanted.length ? wanted : months.slice(0, 1)) parts.push(await monthLayer(outDir, plan, m));
  // only the window's reach (a month partition holds up to twice that), in the season's order: by row over the
  // parts (months are in time order; the file need not be)
  const picks: { part: number; i: number; row: number }[] = [];
  if (wanted.length) {
    parts.forEach((p, k) => {
      for (let i = 0; i < p.sources.length; i++) {
        const t = p.sources.time[i]!;
        if (Number.isNaN(t) || (t >= lo && t < hi)) picks.push({ part: k, i, row: p.row[i]! });
      }
    });
  }
  if (parts.length > 1) picks.sort((x, y) => x.row - y.row);
  const sources = pickRows(parts.map((p) => p.sources), Uint8Array.from(picks, (p) => p.part), Uint32Array.from(picks, (p) => p.i));
  return { ...parts[0]!, sources, row: Float64Array.from(picks, (p) => p.row) };
}

const HOUR = 3_600_000;
/**
 * Hotspots read beyond a window's wind range, each side: more than any time the kernel reaches from a trajectory
 * point (cut-off × τ plus a detection's window, hours) and than the source index's 12-h and 24-h time bins.
 */
const HOTSPOT_MARGIN_MS = 48 * HOUR;
/** Wind read beyond what a window's back-trajectories need, each side (besides the frame either side). */
const WIND_MARGIN_MS = 6 * HOUR;
/**
 * The time range (UTC ms) of wind a window of `attributeSeries` reads: from the earliest back-trajectory end
 * (`hours` before the first episode start) to the last trajectory start, of the episodes the window chooses
 * (`episodes`: those detected on the unit's whole series, as `attributeSeries` detects them; the ones that overlap the
 * window's local days are the window's), plus a margin. null when the window has no episode.
 */
function windowWindRange(episodes: readonly Episode[], w: { from?: string; to?: string }, o: AttributeSeriesOptions): [number, number] | null {
  const win = localDayWindow(w.from, w.to, o.utcOffset ?? '+07:00');
  const eps = episodes.filter((e) => e.start < win.end && e.end > win.start);
  if (!eps.length) return null;
  const hours = o.hours ?? ATTRIBUTE_DEFAULTS.hours;
  let lo = Infinity;
  let hi = -Infinity;
  for (const e of eps) {
    lo = Math.min(lo, e.start - hours * HOUR);
    hi = Math.max(hi, Math.max(e.end, e.start + 1));
  }
  return [lo - WIND_MARGIN_MS, hi + WIND_MARGIN_MS];
}

function settings(spec: BatchSpec): AttributeSeriesOptions {
  return { ...(spec.from ? { from: spec.from } : {}), ...(spec.to ? { to: spec.to } : {}), utcOffset: spec.utcOffset ?? '+07:00', seed: spec.seed ?? 1 };
}

function unitOptions(plan: BatchPlan): AttributeSeriesOptions {
  const fit = plan.calibration;
  return { ...settings(plan.spec), ...(fit.mode === 'defaults' ? { calibrate: false } : { scales: fit.scales, scaleIntervals: fit.intervals }) };
}

/**
 * Plan a batch run: hash the inputs, fit the season's category scales once, cut the run into one unit per station
 * of the PM2.5 file, write each station's PM2.5 rows and the season's tagged hotspots by month as Parquet partitions,
 * and write `plan.json` to `outDir`. Deterministic: the same inputs give the same plan and keys.
 *
 * @example
 * ```ts
 * import { planBatch } from 'hazetrace/node';
 * // const plan = await planBatch('spec.json', 'out/batch'); plan.units.length; // one per station
 * typeof planBatch; // 'function'
 * ```
 */
export async function planBatch(specPath: string, outDir: string, options: BatchPlanOptions = {}): Promise<BatchPlan> {
  if (typeof specPath !== 'string' || typeof outDir !== 'string') throw argError('specPath', specPath, 'a spec file path and an output directory');
  checkOptions('options', options);
  const unitDays = options.unitDays;
  if (unitDays !== undefined && (!Number.isInteger(unitDays) || unitDays < 1)) throw argError('options.unitDays', unitDays, 'a whole number of days ≥ 1');
  let spec: unknown;
  try {
    spec = JSON.parse(readFileSync(specPath, 'utf8'));
  } catch (e) {
    throw new HazetraceError('E_INPUT', `batch spec ${specPath}: ${(e as Error).message}`);
  }
  checkSpec(spec);
  const base = dirname(resolve(specPath));
  const inputs: Record<string, string> = {};
  for (const k of FILES) {
    const f = spec[k];
    if (f) inputs[k] = sha256(readFileSync(resolve(base, f)));
  }
  const loaded = await load(spec, base, false, true);
  const whole = loaded.series!;
  // the season's hotspots tagged once (as attributeSeries tags them): calibration and the units' partitions share it
  const { hotspots, ...rest } = loaded.inputs;
  const season = seasonHotspotLayer({ hotspots: hotspots!, ...(rest.regions ? { regions: rest.regions } : {}) });
  const calibration = calibrateSeries({ ...rest, hotspotLayer: season, series: whole }, settings(spec));
  const byStation = rowsByStation(whole.series);
  const stations = [...byStation.keys()].sort();
  const head = JSON.stringify({ inputs, settings: settings(spec), calibration: { mode: calibration.mode, scales: calibration.scales, intervals: calibration.intervals } });
  const units: BatchUnit[] = [];
  for (const station of stations) {
    const seriesKey = sha256(head + '\u0000' + station);
    const days = unitDays ? stationDays(byStation.get(station)!, spec) : null;
    if (!days || days.last - days.first + 1 <= unitDays!) {
      units.push({ station, key: seriesKey, seriesKey });
      continue;
    }
    for (let d = days.first; d <= days.last; d += unitDays!) {
      const period = { from: dayText(d), to: dayText(Math.min(d + unitDays! - 1, days.last)) };
      units.push({ station, key: sha256(`${head}\u0000${station}\u0000${period.from}/${period.to}`), seriesKey, period });
    }
  }
  const hotspotKey = sha256(head + '\u0000hotspots');
  mkdirSync(outDir, { recursive: true });
  // one partition of the tagged hotspots per UTC month, cut in one pass over the season
  const months = rowsByMonth(season);
  if (months.size === 0) months.set(MONTH_UNTIMED, []); // no detections: one empty partition carries the season's metadata
  for (const [month, idx] of months) {
    const part: HotspotLayer = { ...season, sources: layerRows(season.sources, idx), row: Float64Array.from(idx, (i) => season.row[i]!) };
    writeAtomic(hotspotPartition(outDir, hotspotKey, month), hotspotLayerToParquet(part));
  }
  const plan: BatchPlan = { spec, base, inputs, calibration, hotspots: { key: hotspotKey, months: [...months.keys()] }, ...(unitDays ? { unitDays } : {}), ...(loaded.windScan ? { windScan: loaded.windScan } : {}), units };
  // each station's own PM2.5 rows (one partition its units share), before the plan that points to them
  const written = new Set<string>();
  for (const u of units) {
    const path = seriesPartition(outDir, u);
    if (written.has(path)) continue;
    written.add(path);
    writeAtomic(path, stationSeriesToParquet({ series: byStation.get(u.station)!, timeBasis: whole.timeBasis }));
  }
  writeAtomic(join(outDir, 'plan.json'), JSON.stringify(plan, null, 1));
  return plan;
}

const MONTH_UNTIMED = 'untimed';
const hotspotPartition = (outDir: string, key: string, month: string): string => join(outDir, 'hotspots', hivePartitionPath({ month }), `part-${key}.parquet`);
const monthText = (t: number): string => new Date(t).toISOString().slice(0, 7);
const monthStart = (text: string): number => Date.parse(`${text}-01T00:00:00Z`);
/** First instant after the UTC month `YYYY-MM`. */
const monthEnd = (text: string): number => Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)), 1);

/** Row indices of a layer's detections by UTC month (`untimed` for NaN times), in file order; months in order. */
function rowsByMonth(layer: HotspotLayer): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const time = layer.sources.time;
  for (let i = 0; i < time.length; i++) {
    const t = time[i]!;
    const m = Number.isNaN(t) ? MONTH_UNTIMED : monthText(t);
    let list = out.get(m);
    if (!list) out.set(m, (list = []));
    list.push(i);
  }
  return new Map([...out].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));
}

function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** What {@link runBatchUnit} did. */
export interface BatchUnitResult {
  key: string;
  station: string;
  /** true when the unit's marker existed: nothing was recomputed. */
  skipped: boolean;
  episodes: number;
  attributed: number;
  /** Back-trajectory points streamed to the unit's `trajectories` partition (0 when trajectories are off). */
  points?: number;
  /**
   * NetCDF3 wind read by window: the most wind frames one window held, and the frames of the file. Absent when the
   * wind was read whole (other formats).
   */
  windFrames?: { maxPerWindow: number; file: number };
  /** The most tagged detections one window held (the months of the season's partitions it reached), and the season's detections. */
  hotspots?: { maxPerWindow: number; season: number };
  /**
   * Windows of days attributed (those with an episode), the most episodes one window attributed (including those it
   * leaves to an earlier window), and the most trajectory points one window streamed: what a unit's peak memory follows.
   */
  windows?: { count: number; maxEpisodes: number; maxPoints: number };
}

/** Options of {@link runBatchUnit} (and of the workers of {@link startBatchWorker}). */
export interface BatchUnitOptions {
  /**
   * Local days attributed at a time, default 31: a unit walks its station's season in windows of this many days,
   * streams each window's back-trajectory points to Parquet and keeps only the (small) shares and sources, so a
   * unit's peak memory follows one window, not the season. The outputs do not depend on it (an episode that
   * straddles two windows is attributed once, in the first).
   */
  chunkDays?: number;
  /** Back-trajectory points written to `trajectories/station=<id>/part-<key>.parquet`: every member ('all', default), one ensemble-mean line per start ('mean'), or none (false). */
  trajectories?: 'all' | 'mean' | false;
  /**
   * How a NetCDF3 wind file is read: per window, only the frames that window's back-trajectories need ('window',
   * default: peak memory follows one window, not the season), or whole, once per process ('whole'). Same outputs bit
   * for bit and about the same CPU (docs/batch.md, "Memory as the season grows"). Other wind formats (NetCDF4/HDF5,
   * GeoTIFF, GRIB2, point CSV) are read whole.
   */
  wind?: 'window' | 'whole';
}

const loadedCache = new Map<string, Promise<Loaded>>();
const DAY = 86_400_000;
const dayText = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
const dayOf = (text: string): number => Math.round(Date.parse(`${text}T00:00:00Z`) / DAY);

/**
 * The local days (days since 1970-01-01 at the spec's UTC offset) a station's windows tile: its series' days with one
 * day of margin each side (hour-ending labels and day-start means both fall inside), within the spec's from/to. null
 * when the series has no time.
 */
function stationDays(s: StationSeries, spec: BatchSpec): { first: number; last: number } | null {
  const offMs = parseUtcOffset(spec.utcOffset ?? '+07:00', 'spec.utcOffset') * 60_000;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.length; i++) {
    const t = s.time[i]!;
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (!(lo <= hi)) return null;
  return {
    first: Math.max(Math.floor((lo + offMs) / DAY) - 1, spec.from ? dayOf(spec.from) : -Infinity),
    last: Math.min(Math.floor((hi + offMs) / DAY) + 1, spec.to ? dayOf(spec.to) : Infinity),
  };
}

/**
 * Windows of local days (`from`..`to`, inclusive) that tile a station's series within the spec's from/to (and the
 * unit's `period`, when it has one); the station's first window keeps the spec's open start and its last the open
 * end, so together a station's windows choose exactly the run's episodes.
 */
function dayWindows(s: StationSeries, spec: BatchSpec, chunkDays: number, period?: { from: string; to: string }): { from?: string; to?: string; startMs: number }[] {
  const offMs = parseUtcOffset(spec.utcOffset ?? '+07:00', 'spec.utcOffset') * 60_000;
  const whole = [{ ...(spec.from ? { from: spec.from } : {}), ...(spec.to ? { to: spec.to } : {}), startMs: -Infinity }];
  const days = stationDays(s, spec);
  if (!days) return whole;
  const { first, last } = days;
  const lo = period ? Math.max(first, dayOf(period.from)) : first;
  const hi = period ? Math.min(last, dayOf(period.to)) : last;
  const out: { from?: string; to?: string; startMs: number }[] = [];
  for (let d = lo; d <= hi; d += chunkDays) {
    const end = Math.min(d + chunkDays - 1, hi);
    const isFirst = d === first;
    const isLast = end === last;
    const from = isFirst ? spec.from : dayText(d);
    const to = isLast ? spec.to : dayText(end);
    out.push({ ...(from ? { from } : {}), ...(to ? { to } : {}), startMs: isFirst ? -Infinity : d * DAY - offMs });
  }
  if (!out.length && !period) return whole;
  return out;
}

/** {@link BatchUnitOptions} checked (`E_ARG`), with their defaults. @internal */
export function checkUnitOptions(options: BatchUnitOptions): { chunkDays: number; which: 'all' | 'mean' | false; windRead: 'window' | 'whole' } {
  checkOptions('options', options);
  const chunkDays = options.chunkDays ?? 31;
  if (!Number.isInteger(chunkDays) || chunkDays < 1) throw argError('options.chunkDays', chunkDays, 'a whole number of days ≥ 1');
  const which = options.trajectories ?? 'all';
  if (which !== 'all' && which !== 'mean' && which !== false) throw argError('options.trajectories', which, "'all', 'mean' or false");
  const windRead = options.wind ?? 'window';
  if (windRead !== 'window' && windRead !== 'whole') throw argError('options.wind', windRead, "'window' or 'whole'");
  return { chunkDays, which, windRead };
}

/**
 * Run one unit of a plan (idempotent): skip it when `done/<key>.json` exists; otherwise attribute the station with
 * the season's scales, window by window (`chunkDays`, default 31 local days), streaming each window's
 * back-trajectory points into `trajectories/station=<id>/part-<key>.parquet` as row groups (about 17 bytes per
 * point, docs/engines.md) while keeping only the episodes' shares and sources; then write the shares and sources
 * partitions and the marker. With `wind: 'window'` a NetCDF3 wind file is read per window too: each window
 * reads only the frames from 72 h (the back-trajectory length) before its first episode to its last trajectory start,
 * plus 6 h either side, into a field that samples exactly as the whole file's (same time axis and time step), so the
 * outputs are bit-identical to reading the file whole. Trajectory points and wind then follow one window, not the
 * season; measured peak RSS is in docs/batch.md, "Measured". Safe to run twice at once or after a crash: files are renamed into place complete.
 *
 * @example
 * ```ts
 * import { runBatchUnit } from 'hazetrace/node';
 * // const plan = await planBatch('spec.json', 'out'); await runBatchUnit('out', plan, plan.units[0], { chunkDays: 31 });
 * typeof runBatchUnit; // 'function'
 * ```
 */
export async function runBatchUnit(outDir: string, plan: BatchPlan, unit: BatchUnit, options: BatchUnitOptions = {}): Promise<BatchUnitResult> {
  if (!plan || !Array.isArray(plan.units)) throw argError('plan', plan, "planBatch(...)'s plan");
  if (!unit || !plan.units.some((u) => u.key === unit.key && u.station === unit.station)) throw argError('unit', unit, 'a unit of the plan');
  const { chunkDays, which, windRead } = checkUnitOptions(options);
  const marker = join(outDir, 'done', `${unit.key}.json`);
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as BatchUnitResult;
    return { ...m, skipped: true };
  }
  const cacheKey = JSON.stringify(plan.inputs) + plan.base + windRead;
  let loading = loadedCache.get(cacheKey);
  if (!loading) loadedCache.set(cacheKey, (loading = load(plan.spec, plan.base, windRead === 'window', false, plan.windScan)));
  const loaded = await loading;
  if (!plan.hotspots || !Array.isArray(plan.hotspots.months)) throw new HazetraceError('E_INPUT', 'batch: the plan has no hotspot partitions (it was made by an older version: run `hazetrace batch plan` again)');
  const series = await unitSeries(outDir, unit);
  const own = series.series;
  const part = hivePartitionPath({ station: unit.station });
  const trajPath = join(outDir, 'trajectories', part, `part-${unit.key}.parquet`);
  const trajTmp = `${trajPath}.tmp-${process.pid}`;
  let stream: TrajectoryParquetStream | undefined;
  if (which !== false) {
    mkdirSync(dirname(trajPath), { recursive: true });
    stream = episodeTrajectoriesParquetStream({ writer: fileWriter(trajTmp), which });
  }
  const base = unitOptions(plan);
  const kept: SeriesAttribution['episodes'] = [];
  const none = concatTrajectorySets([]);
  const { from: _f, to: _t, ...rest } = base;
  const frames = loaded.frames;
  // the episodes attributeSeries will choose from (its cache: detected once for the unit)
  const episodes = seriesEpisodes(series, rest).episodes;
  let maxFrames = 0;
  let maxHotspots = 0;
  const windows = { count: 0, maxEpisodes: 0, maxPoints: 0 };
  let seasonDetections: number | undefined;
  for (const w of dayWindows(own, plan.spec, chunkDays, unit.period)) {
    const opts = { ...rest, ...(w.from ? { from: w.from } : {}), ...(w.to ? { to: w.to } : {}) };
    // No episode overlaps the window's days: attributeSeries would choose none.
    const range = windowWindRange(episodes, w, opts);
    if (!range) continue;
    // The hotspots: the months of the season's tagged layer this window's back-trajectories reach, tagged and
    // weighted once for the season (same ids, weights, coverage), so memory follows the window, not the season.
    const hotspotLayer = await unitHotspots(outDir, plan, range[0] - HOTSPOT_MARGIN_MS, range[1] + HOTSPOT_MARGIN_MS);
    maxHotspots = Math.max(maxHotspots, hotspotLayer.sources.length);
    seasonDetections = hotspotLayer.detections;
    // The wind: only the frames this window's back-trajectories need (NetCDF3), so memory follows the window.
    let wind = loaded.inputs.wind;
    if (frames) {
      const f = await frames.field(...range);
      wind = f;
      maxFrames = Math.max(maxFrames, countFrames(frames.times, f.loaded));
    }
    let r: SeriesAttribution;
    try {
      r = attributeSeries({ ...loaded.inputs, hotspotLayer, series, wind }, opts);
    } catch (e) {
      // a trajectory asked for wind outside the frames read (the range above is too narrow): read the whole file
      if (!frames || !(e instanceof HazetraceError) || e.code !== 'E_DOMAIN' || !/outside the frames read/.test(e.message)) throw e;
      const f = await frames.field(-Infinity, Infinity);
      maxFrames = Math.max(maxFrames, countFrames(frames.times, f.loaded));
      r = attributeSeries({ ...loaded.inputs, hotspotLayer, series, wind: f }, opts);
    }
    // An episode that straddles windows belongs to the first one it overlaps.
    const mine = r.episodes.filter((e) => e.episode.start >= w.startMs);
    const before = stream?.points ?? 0;
    stream?.add({ episodes: mine });
    windows.count++;
    windows.maxEpisodes = Math.max(windows.maxEpisodes, r.episodes.length);
    windows.maxPoints = Math.max(windows.maxPoints, (stream?.points ?? 0) - before);
    for (const e of mine) kept.push({ ...e, trajectories: none });
  }
  stream?.finish();
  if (stream) renameSync(trajTmp, trajPath);
  const r = { episodes: kept };
  writeAtomic(join(outDir, 'shares', part, `part-${unit.key}.parquet`), sharesToParquet(r));
  writeAtomic(join(outDir, 'sources', part, `part-${unit.key}.parquet`), sourcesToParquet(r));
  const result: BatchUnitResult = {
    key: unit.key,
    station: unit.station,
    skipped: false,
    episodes: kept.length,
    attributed: kept.filter((e) => e.status === 'attributed').length,
    points: stream?.points ?? 0,
    windows,
    ...(frames ? { windFrames: { maxPerWindow: maxFrames, file: frames.times.length } } : {}),
    ...(seasonDetections !== undefined ? { hotspots: { maxPerWindow: maxHotspots, season: seasonDetections } } : {}),
  };
  writeAtomic(marker, JSON.stringify({ ...result, pid: process.pid }));
  return result;
}

function countFrames(times: Float64Array, [lo, hi]: readonly [number, number]): number {
  let n = 0;
  for (let i = 0; i < times.length; i++) if (times[i]! >= lo && times[i]! <= hi) n++;
  return n;
}

/** Rows of a merged batch table, in a fixed order (station, then as written). */
export type BatchRows = Record<string, unknown>[];

/**
 * Read back every finished unit's partitions of `table` ('shares' or 'sources') as rows, stations in order — the
 * merged result of the run. Partitions of units without a marker (a crashed run's leftovers) are left out.
 *
 * @example
 * ```ts
 * import { mergeBatch } from 'hazetrace/node';
 * // const rows = await mergeBatch('out', 'shares');
 * typeof mergeBatch; // 'function'
 * ```
 */
export async function mergeBatch(outDir: string, table: 'shares' | 'sources'): Promise<BatchRows> {
  if (table !== 'shares' && table !== 'sources') throw argError('table', table, "'shares' or 'sources'");
  const plan = JSON.parse(readFileSync(join(outDir, 'plan.json'), 'utf8')) as BatchPlan;
  const rows: BatchRows = [];
  for (const u of plan.units) {
    if (!existsSync(join(outDir, 'done', `${u.key}.json`))) throw new HazetraceError('E_INPUT', `batch unit ${u.station} (${u.key.slice(0, 12)}) has not finished`);
    const f = join(outDir, table, hivePartitionPath({ station: u.station }), `part-${u.key}.parquet`);
    const b = readFileSync(f);
    rows.push(...(await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer })));
  }
  return rows;
}

/**
 * Merge the finished units into `shares.parquet` and `sources.parquet` in `outDir` (the column types of
 * `sharesToParquet` / `sourcesToParquet`); returns the row counts.
 *
 * @example
 * ```ts
 * import { writeMergedBatch } from 'hazetrace/node';
 * // await writeMergedBatch('out'); // { shares: 412, sources: 980 }
 * typeof writeMergedBatch; // 'function'
 * ```
 */
export async function writeMergedBatch(outDir: string): Promise<{ shares: number; sources: number }> {
  checkString('outDir', outDir);
  if (!existsSync(join(outDir, 'plan.json'))) throw new HazetraceError('E_NOT_FOUND', `no batch plan in ${JSON.stringify(outDir)} (plan.json is missing)`, { path: outDir });
  const n = { shares: 0, sources: 0 };
  for (const table of ['shares', 'sources'] as const) {
    const rows = await mergeBatch(outDir, table);
    n[table] = rows.length;
    writeAtomic(join(outDir, `${table}.parquet`), rowsToParquet(rows, table));
  }
  return n;
}

const INT_COLUMNS = new Set(['rank']);

/** Rows read back from partitions, typed again by their values (every unit wrote the same schema). */
function rowsToParquet(rows: BatchRows, table: string): Uint8Array {
  if (!rows.length) return table === 'shares' ? sharesToParquet({ episodes: [] }) : sourcesToParquet({ episodes: [] });
  const cols: ParquetColumn[] = Object.keys(rows[0]!).map((name) => {
    const first = rows.find((r) => r[name] !== null && r[name] !== undefined)?.[name];
    const values = rows.map((r) => r[name]);
    if (first instanceof Date) return { name, type: 'TIMESTAMP', values: values.map((x) => (x instanceof Date ? x.getTime() : NaN)) };
    if (typeof first === 'number') return { name, type: INT_COLUMNS.has(name) ? 'INT32' : 'DOUBLE', values: values.map((x) => (typeof x === 'number' ? x : NaN)) };
    if (name === 'geometry') return { name, type: 'WKB', values: values.map((x) => (x instanceof Uint8Array ? x : x && typeof x === 'object' ? geojsonToWkb(x as never) : null)) };
    return { name, type: 'STRING', values: values.map((x) => (x === null || x === undefined ? null : String(x))) };
  });
  return tableToParquet(cols, cols.some((c) => c.name === 'geometry') ? { geo: { column: 'geometry', geometryTypes: ['Point'] } } : {});
}

/** Connection to Redis for the queue. */
export interface BatchQueueOptions {
  /** Redis host, default 127.0.0.1. */
  host?: string;
  /** Redis port, default 6379. */
  port?: number;
  /** Lock time of a running unit in ms, default 10,000: a worker that dies loses its unit to another after this. */
  lockMs?: number;
}

const queueName = (outDir: string): string => `hazetrace-batch-${sha256(resolve(outDir)).slice(0, 16)}`;
const connection = (o: BatchQueueOptions): { host: string; port: number; maxRetriesPerRequest: null } => ({ host: o.host ?? '127.0.0.1', port: o.port ?? 6379, maxRetriesPerRequest: null });

/**
 * Put every unfinished unit of the plan in `outDir` on the queue (job id = unit key, so a unit is queued once),
 * and wait until every unit has its marker. Returns the units computed and skipped by this call's jobs.
 *
 * @example
 * ```ts
 * import { enqueueBatch } from 'hazetrace/node';
 * // await planBatch('spec.json', 'out'); await enqueueBatch('out', { port: 6379 }); // with workers running
 * typeof enqueueBatch; // 'function'
 * ```
 */
export async function enqueueBatch(outDir: string, options: BatchQueueOptions & { timeoutMs?: number } = {}): Promise<{ queued: number; done: number }> {
  checkString('outDir', outDir);
  checkOptions('options', options);
  if (!existsSync(join(outDir, 'plan.json'))) throw new HazetraceError('E_NOT_FOUND', `no batch plan in ${JSON.stringify(outDir)} (plan.json is missing)`, { path: outDir });
  const plan = JSON.parse(readFileSync(join(outDir, 'plan.json'), 'utf8')) as BatchPlan;
  const queue = new Queue(queueName(outDir), { connection: connection(options) });
  const events = new QueueEvents(queueName(outDir), { connection: connection(options) });
  try {
    const todo = plan.units.filter((u) => !existsSync(join(outDir, 'done', `${u.key}.json`)));
    await queue.addBulk(todo.map((u) => ({ name: 'unit', data: { outDir: resolve(outDir), unit: u }, opts: { jobId: u.key, attempts: 5, backoff: { type: 'fixed', delay: 500 } } })));
    const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
    while (plan.units.some((u) => !existsSync(join(outDir, 'done', `${u.key}.json`)))) {
      if (Date.now() > deadline) throw new HazetraceError('E_TIMEOUT', `batch: units still unfinished after ${options.timeoutMs ?? 1_800_000} ms`);
      const failed = await queue.getFailed();
      if (failed.length) throw new HazetraceError('E_INPUT', `batch unit ${String((failed[0]!.data as { unit: BatchUnit }).unit.station)} failed: ${failed[0]!.failedReason}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return { queued: todo.length, done: plan.units.length };
  } finally {
    await events.close();
    await queue.close();
  }
}

/** Options of {@link startBatchWorker}: the queue, the unit options, and when to stop by itself. */
export interface BatchWorkerOptions extends BatchQueueOptions, BatchUnitOptions {
  /** Called after each unit (computed or skipped). */
  onUnit?: (r: BatchUnitResult) => void;
  /**
   * Stop after this many computed units (a whole number ≥ 1; skipped units do not count); default: run until
   * `close()`. The unit in hand is finished first and no further unit is taken. For processes that are restarted
   * after a bounded amount of work ({@link superviseBatchWorker}).
   */
  maxUnits?: number;
}

/** What {@link startBatchWorker} returns. */
export interface BatchWorkerHandle {
  /** Finish the current unit and stop. */
  close(): Promise<void>;
  /** The units run so far, in order. */
  ran: BatchUnitResult[];
  /** Settles when the worker has stopped: `'max-units'` after `maxUnits` computed units, `'closed'` after `close()`. */
  stopped: Promise<'max-units' | 'closed'>;
}

/**
 * Start a queue worker in this process: it takes units of any plan queued for `outDir` and runs them with
 * {@link runBatchUnit}, one at a time, until `close()` or `maxUnits` computed units.
 *
 * @example
 * ```ts
 * import { startBatchWorker } from 'hazetrace/node';
 * // const w = startBatchWorker('out', { port: 6379, maxUnits: 20 }); await w.stopped; // 'max-units'
 * typeof startBatchWorker; // 'function'
 * ```
 */
export function startBatchWorker(outDir: string, options: BatchWorkerOptions = {}): BatchWorkerHandle {
  checkString('outDir', outDir);
  checkUnitOptions(options); // bad unit options fail here, not once per unit through the queue's retries
  const maxUnits = options.maxUnits;
  if (maxUnits !== undefined && (!Number.isInteger(maxUnits) || maxUnits < 1)) throw argError('options.maxUnits', maxUnits, 'a whole number of units ≥ 1');
  const ran: BatchUnitResult[] = [];
  const lockMs = options.lockMs ?? 10_000;
  let computed = 0;
  let reason: 'max-units' | 'closed' = 'closed';
  const worker = new Worker(
    queueName(outDir),
    async (job: Job) => {
      const { unit } = job.data as { unit: BatchUnit };
      const plan = JSON.parse(readFileSync(join(outDir, 'plan.json'), 'utf8')) as BatchPlan;
      const r = await runBatchUnit(outDir, plan, unit, {
        ...(options.chunkDays !== undefined ? { chunkDays: options.chunkDays } : {}),
        ...(options.trajectories !== undefined ? { trajectories: options.trajectories } : {}),
        ...(options.wind !== undefined ? { wind: options.wind } : {}),
      });
      ran.push(r);
      if (!r.skipped && maxUnits !== undefined && ++computed >= maxUnits && reason !== 'max-units') {
        // closing before this job completes: BullMQ then does not fetch the next unit with the completion
        reason = 'max-units';
        void worker.close();
      }
      options.onUnit?.(r);
      return r;
    },
    { connection: connection(options), concurrency: 1, lockDuration: lockMs, stalledInterval: Math.max(1000, lockMs / 2), maxStalledCount: 5 },
  );
  const stopped = new Promise<'max-units' | 'closed'>((done) => worker.once('closed', () => done(reason)));
  return { ran, stopped, close: () => worker.close() };
}

/**
 * Remove a batch's outputs (plan, partitions, markers) from `outDir`; other files are left alone.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { clearBatch, finishedUnits } from 'hazetrace/node';
 * const dir = mkdtempSync(join(tmpdir(), 'batch-'));
 * clearBatch(dir);
 * finishedUnits(dir); // []
 * ```
 */
export function clearBatch(outDir: string): void {
  checkString('outDir', outDir);
  for (const d of ['shares', 'sources', 'trajectories', 'done']) rmSync(join(outDir, d), { recursive: true, force: true });
  rmSync(join(outDir, 'plan.json'), { force: true });
}

/**
 * Marker files (`<key>.json`) of the finished units in `outDir`, sorted (for progress reports).
 *
 * @example
 * ```ts
 * import { finishedUnits } from 'hazetrace/node';
 * finishedUnits('/nonexistent'); // []
 * ```
 */
export function finishedUnits(outDir: string): string[] {
  checkString('outDir', outDir);
  const d = join(outDir, 'done');
  return existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.json')).sort() : [];
}
