/**
 * The live working set behind `hazetrace serve`: hotspots, PM2.5 series, stations, wind and optional risk
 * areas, plus the layers derived from them (hotspot grid, per-episode attribution, risk cells). Increments
 * (a FIRMS batch, PM2.5 hours, a wind file, ...) update only what they affect; every analysis step is a
 * library call (readers, `binPoints`/`mergeGrids`, `detectEpisodes`, `attributeSeries`, `scoreAreas`).
 */
import { HazetraceError, DAY_MS, HOUR_MS, parseUtcOffset, toIsoUtc, type Hotspots, type StationSeries, type Stations } from '../../core/index.js';
import { readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv, selectHotspots, type FeatureCollection, type GeoJsonLayerResult } from '../../io/index.js';
import { binPoints, mergeGrids, type BinnedGrid } from '../../grid/index.js';
import { openWind, type OpenedWind } from '../../wind/index.js';
import { attributeSeries, detectEpisodes, hotspotCoverage, type AttributeContract, type AttributeSeriesOptions, type ScaleFit, type SeriesAttribution } from '../../attribution/index.js';
import { scoreAreas, type ScoreAreasResult } from '../../risk/index.js';
import { describeIntervals } from '../../attribution/coverage.js';
import type { RejectedRow } from '../../core/index.js';
import { checkOptions } from '../../core/check.js';
import { runAttribution, TrajectoryStore, type LiveEpisode, type RunInputs, type RunResult } from './attribution-run.js';
import { AttributionWorker } from './attribution-pool.js';

export type { LiveEpisode } from './attribution-run.js';

/** Kinds of increment the working set accepts. */
export type IncrementKind = 'hotspots' | 'pm25' | 'stations' | 'wind' | 'areas' | 'recompute';


/** What one applied increment changed (sent on the change feed and returned to the poster). */
export interface ChangeSummary {
  version: number;
  kind: IncrementKind;
  accepted: number;
  rejected: number;
  /** Episode ids (re)attributed by this increment. */
  episodesRecomputed: string[];
  /** Episode ids that no longer exist (merged or gone after new PM2.5 hours). */
  episodesRemoved: string[];
  /** Whether the whole attribution (with calibration) was recomputed. */
  fullRecompute: boolean;
  /** Hotspot-grid cells whose values changed. */
  gridCellsTouched: number;
  /** Risk cells that new detections fall into (risk is re-scored only when > 0). */
  riskCellsTouched: number;
  ms: number;
}

/** Static inputs and settings of the live state. */
export interface LiveStateOptions {
  /** H3 resolution of the hotspot layer, default 5. */
  res?: number;
  /** H3 resolution of the risk layer, default 6. */
  riskRes?: number;
  /** Property of the risk areas naming them, default `'id'`. */
  areaIdProperty?: string;
  /** UTC offset of PM2.5 local times, default `'+07:00'`. */
  utcOffset?: string;
  /** Options of every `attributeSeries` call (threshold, hours, calibrate, seed, ...). */
  attribute?: AttributeSeriesOptions;
  /** Country polygons for the region shares (GeoJSON text or object). */
  regions?: FeatureCollection | string;
  /** Repeat-burn area polygons (GeoJSON text or object). */
  repeatBurn?: FeatureCollection | string;
  /** Facilities CSV text. */
  facilities?: string;
  /**
   * Bound of the stored back-trajectory ensembles (bytes), default 256 MiB; 0 stores none. Ensembles depend on the
   * station, the episode's start times, the wind and the settings, never on the fires, so a FIRMS increment
   * re-scores its episodes on stored ones. Beside them (up to a quarter of this bound more) each episode's per-row
   * kernel sums are kept, so a FIRMS batch scores only its new detections (bit-identical to a full scoring; see
   * `EpisodeScoreCache`). Emptied when the wind changes.
   */
  trajectoryCacheBytes?: number;
  /** Run the attribution of increments in a worker thread, so the event loop stays free (default false; `serve` turns it on). */
  worker?: boolean;
}

/** Rows of a parsed increment, before it is committed. */
export interface ParsedIncrement {
  kind: IncrementKind;
  accepted: number;
  rejected: RejectedRow[];
  apply: () => Promise<ChangeSummary>;
}

const GAP_DAYS = 3; // hotspotCoverage's default maxGapDays: a new detection day can change coverage this far away.

function concatF64(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Columnar concatenation of two hotspot tables (extras missing on one side are filled with ''). */
function concatHotspots(a: Hotspots, b: Hotspots): Hotspots {
  const out: Record<string, unknown> = { length: a.length + b.length };
  for (const [k, v] of Object.entries(a)) {
    if (k === 'length' || k === 'extra') continue;
    const w = (b as unknown as Record<string, unknown>)[k];
    if (v instanceof Float64Array) out[k] = concatF64(v, w as Float64Array);
    else if (Array.isArray(v)) out[k] = [...v, ...(w as unknown[])];
  }
  const extra: Record<string, string[]> = {};
  for (const k of new Set([...Object.keys(a.extra), ...Object.keys(b.extra)])) {
    extra[k] = [...(a.extra[k] ?? new Array<string>(a.length).fill('')), ...(b.extra[k] ?? new Array<string>(b.length).fill(''))];
  }
  out['extra'] = extra;
  return out as unknown as Hotspots;
}

const hotspotKey = (h: Hotspots, i: number): string => `${h.lat[i]},${h.lng[i]},${h.time[i]},${h.satellite[i]}`;

/** Merge station series: new rows replace old rows of the same station and time; sorted by station, time. */
function mergeSeries(a: StationSeries | null, b: StationSeries): StationSeries {
  const cols = [...new Set([...(a ? Object.keys(a.values) : []), ...Object.keys(b.values)])];
  const rows = new Map<string, { station: string; time: number; values: number[] }>();
  for (const s of a ? [a, b] : [b]) {
    for (let i = 0; i < s.length; i++) {
      const station = s.station[i] as string;
      const time = s.time[i] as number;
      rows.set(`${station}\u0000${time}`, { station, time, values: cols.map((c) => (s.values[c] ? (s.values[c][i] as number) : NaN)) });
    }
  }
  const sorted = [...rows.values()].sort((x, y) => (x.station < y.station ? -1 : x.station > y.station ? 1 : x.time - y.time));
  const values: Record<string, Float64Array> = {};
  cols.forEach((c, j) => (values[c] = Float64Array.from(sorted, (r) => r.values[j] as number)));
  return { length: sorted.length, station: sorted.map((r) => r.station), time: Float64Array.from(sorted, (r) => r.time), values };
}

function noRows(what: string, rejected: RejectedRow[]): HazetraceError {
  const first = rejected[0];
  return new HazetraceError('E_INPUT', `no usable ${what} rows: 0 accepted, ${rejected.length} rejected${first ? ` (first: row ${first.row}${first.column ? ` (${first.column})` : ''}: ${first.message})` : ''}`, {
    rejected: rejected.slice(0, 20),
    rejectedCount: rejected.length,
  });
}

/**
 * The working set and its derived layers, with a version number bumped by every applied increment.
 *
 * @example
 * ```ts
 * import { LiveState } from 'hazetrace/node';
 * const s = new LiveState({ res: 5 });
 * const inc = await s.parse('hotspots', new TextEncoder().encode('latitude,longitude,brightness,acq_date,acq_time,frp\n18.8,98.9,330,2025-04-22,0630,12\n'));
 * (await inc.apply()).version; // 1
 * ```
 */
export class LiveState {
  version = 0;
  hotspots: Hotspots | null = null;
  series: { series: StationSeries; timeBasis: 'hour-end' | 'day-start' } | null = null;
  stations: Stations | null = null;
  wind: OpenedWind | null = null;
  areas: GeoJsonLayerResult | null = null;
  /** Hotspot layer: count and FRP sum/max per cell at `res`. */
  grid: BinnedGrid | null = null;
  risk: ScoreAreasResult | null = null;
  /** Scales the incremental runs use: those of the last full recompute (with their intervals). */
  calibration: ScaleFit | null = null;
  episodes = new Map<string, LiveEpisode>();
  attributionWarnings: string[] = [];
  readonly res: number;
  readonly riskRes: number;
  /** Traced ensembles reused by the runs of this thread (the worker holds its own). */
  readonly trajectories: TrajectoryStore;
  private readonly keys = new Set<string>();
  /** While replaying stored increments: update the inputs and the hotspot grid only. */
  private deferDerived = false;
  private readonly opts: LiveStateOptions;
  private readonly regions: FeatureCollection | undefined;
  private readonly repeatBurn: FeatureCollection | undefined;
  /** What the wind was opened from, with a serial the worker knows it by. */
  private windSource: { serial: number; data: string | Uint8Array } | null = null;
  private windSerial = 0;
  /** The wind the local trajectory store was filled on. */
  private storeWind: OpenedWind | null = null;
  private pool: AttributionWorker | null = null;

  constructor(options: LiveStateOptions = {}) {
    checkOptions('options', options);
    this.opts = options;
    this.res = options.res ?? 5;
    this.riskRes = options.riskRes ?? 6;
    parseUtcOffset(options.utcOffset ?? '+07:00', 'utcOffset');
    const cacheBytes = options.trajectoryCacheBytes ?? 256 * 1024 * 1024;
    if (!(Number.isInteger(cacheBytes) && cacheBytes >= 0)) throw new HazetraceError('E_ARG', `trajectoryCacheBytes must be a non-negative integer, got ${String(cacheBytes)}`, { argument: 'options.trajectoryCacheBytes', value: cacheBytes });
    this.trajectories = new TrajectoryStore(cacheBytes);
    // Plain { type, features } (a reader's result carries methods, which cannot cross to the worker thread).
    const layer = (v: FeatureCollection | string | undefined): FeatureCollection | undefined =>
      v === undefined ? undefined : ({ type: 'FeatureCollection', features: (typeof v === 'string' ? readGeoJsonLayer(v) : v).features } as unknown as FeatureCollection);
    this.regions = layer(options.regions);
    this.repeatBurn = layer(options.repeatBurn);
    if (options.worker) this.pool = new AttributionWorker(this.statics(), cacheBytes);
  }

  /** Whether every input of the attribution is present (hotspots, PM2.5, stations, wind). */
  get attributable(): boolean {
    return !!(this.hotspots && this.series && this.stations && this.wind);
  }

  /** Trajectory-store counters (of the worker's store when the attribution runs in a worker). */
  trajectoryStats(): ReturnType<TrajectoryStore['stats']> {
    return this.pool?.lastStats ?? this.trajectories.stats();
  }

  /** Stop the attribution worker, if any. */
  async close(): Promise<void> {
    await this.pool?.close();
  }

  /** Parse an increment's body (throws HazetraceError with rejected rows when nothing is usable); apply it later. */
  async parse(kind: IncrementKind, body: Uint8Array): Promise<ParsedIncrement> {
    const text = (): string => new TextDecoder('utf-8', { fatal: false }).decode(body);
    switch (kind) {
      case 'hotspots': {
        const r = readFirmsCsv(text());
        if (r.hotspots.length === 0) throw noRows('FIRMS hotspot', r.rejected);
        return { kind, accepted: r.hotspots.length, rejected: r.rejected, apply: () => this.timed(kind, r.hotspots.length, r.rejected.length, (c) => this.addHotspots(r.hotspots, c)) };
      }
      case 'pm25': {
        const r = readStationSeriesCsv(text(), { utcOffset: this.opts.utcOffset ?? '+07:00' });
        if (r.series.length === 0) throw noRows('PM2.5 series', r.rejected);
        if (this.series && this.series.timeBasis !== r.timeBasis) throw new HazetraceError('E_INPUT', `PM2.5 rows are ${r.timeBasis} but the working set holds ${this.series.timeBasis} rows; post the same kind of series`, { timeBasis: r.timeBasis });
        return { kind, accepted: r.series.length, rejected: r.rejected, apply: () => this.timed(kind, r.series.length, r.rejected.length, (c) => this.addSeries(r.series, r.timeBasis, c)) };
      }
      case 'stations': {
        const r = readStationsCsv(text());
        if (r.stations.length === 0) throw noRows('station', r.rejected);
        return { kind, accepted: r.stations.length, rejected: r.rejected, apply: () => this.timed(kind, r.stations.length, r.rejected.length, (c) => this.replace({ stations: r.stations }, c)) };
      }
      case 'wind': {
        // NetCDF, HDF5 and TIFF headers hold NUL bytes in their first bytes; a point-wind CSV never does.
        const isText = !body.subarray(0, 512).includes(0);
        const data = isText ? text() : body;
        const w = await openWind(data);
        if (w.accepted === 0) throw noRows('wind', w.rejected);
        return { kind, accepted: w.accepted, rejected: w.rejected, apply: () => this.timed(kind, w.accepted, w.rejected.length, (c) => this.replace({ wind: w, windSource: { serial: ++this.windSerial, data } }, c)) };
      }
      case 'areas': {
        const r = readGeoJsonLayer(text());
        const polys = r.features.filter((f) => f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'));
        if (polys.length === 0) throw noRows('area polygon', r.rejected);
        return { kind, accepted: polys.length, rejected: r.rejected, apply: () => this.timed(kind, polys.length, r.rejected.length, async (c) => this.setAreas(r, c)) };
      }
      case 'recompute':
        return { kind, accepted: 0, rejected: [], apply: () => this.timed(kind, 0, 0, (c) => this.replace({}, c)) };
      default:
        throw new HazetraceError('E_ARG', `unknown increment kind ${JSON.stringify(kind)}`, { argument: 'kind', value: kind });
    }
  }

  private async timed(kind: IncrementKind, accepted: number, rejected: number, run: (c: ChangeSummary) => Promise<void>): Promise<ChangeSummary> {
    const t0 = performance.now();
    const c: ChangeSummary = { version: this.version + 1, kind, accepted, rejected, episodesRecomputed: [], episodesRemoved: [], fullRecompute: false, gridCellsTouched: 0, riskCellsTouched: 0, ms: 0 };
    await run(c);
    this.version = c.version;
    c.ms = Math.round((performance.now() - t0) * 10) / 10;
    return c;
  }

  private binned(h: Hotspots): BinnedGrid {
    return binPoints({ lng: h.lng, lat: h.lat, frp: h.frp }, { res: this.res, values: { frp: ['sum', 'max'] } });
  }

  /**
   * A FIRMS batch. Everything is computed first (on the worker when there is one) and committed at the end in one
   * synchronous step, so requests served meanwhile see the previous version whole, never half of the new one.
   */
  private async addHotspots(batch: Hotspots, c: ChangeSummary): Promise<void> {
    const fresh = selectHotspots(batch, (i) => !this.keys.has(hotspotKey(batch, i)));
    c.accepted = fresh.length;
    if (fresh.length === 0) return;
    const oldDays = new Set(this.hotspots ? Array.from(this.hotspots.time, (t) => Math.floor(t / DAY_MS)) : []);
    const hotspots = this.hotspots ? concatHotspots(this.hotspots, fresh) : fresh;
    const g = this.binned(fresh);
    c.gridCellsTouched = g.cells.length;
    const grid = this.grid ? mergeGrids(this.grid, g) : g;
    let risk = this.risk;
    const commit = (): void => {
      for (let i = 0; i < fresh.length; i++) this.keys.add(hotspotKey(fresh, i));
      this.hotspots = hotspots;
      this.grid = grid;
      this.risk = risk;
    };
    if (this.deferDerived) return commit();
    // Risk: re-scored when a new detection falls into a risk cell of the areas (percentile factors are global).
    if (this.areas) {
      const cells = binPoints({ lng: fresh.lng, lat: fresh.lat }, { res: this.riskRes }).cells;
      const known = this.risk ? new Set(this.risk.scores.cells) : null;
      c.riskCellsTouched = known ? cells.filter((x) => known.has(x)).length : cells.length;
      if (!known || c.riskCellsTouched > 0) risk = this.scoreRisk(hotspots, this.areas);
    }
    if (!(this.series && this.stations && this.wind)) return commit();
    if (!this.calibration) {
      const r = await this.exec(this.attrOpts(), { hotspots });
      commit();
      return this.commitFull(r, c);
    }
    // An episode is affected when a new detection can reach its kernel (inside its back-trajectory window, give or
    // take a day for the time kernel), or when a detection on a new day can change the hotspot coverage of that
    // window (coverage fills gaps of up to GAP_DAYS quiet days).
    const freshDays = [...new Set(Array.from(fresh.time, (t) => Math.floor(t / DAY_MS)))].sort((a, b) => a - b);
    const newDays = freshDays.filter((d) => !oldDays.has(d));
    const hours = this.attrOpts().hours ?? 72;
    const any = (days: number[], lo: number, hi: number): boolean => {
      let l = 0;
      let r = days.length;
      while (l < r) {
        const m = (l + r) >> 1;
        if ((days[m] as number) < lo) l = m + 1;
        else r = m;
      }
      return l < days.length && (days[l] as number) <= hi;
    };
    const hit = (a: number, b: number): boolean => {
      const lo = Math.floor((a - hours * HOUR_MS) / DAY_MS);
      const hi = Math.floor(b / DAY_MS);
      return any(freshDays, lo - 1, hi + 1) || any(newDays, lo - GAP_DAYS - 1, hi + GAP_DAYS + 1);
    };
    const detected = this.detect(this.series);
    const affected = detected.filter((e) => hit(e.start, Math.max(e.end, e.start + 1)));
    const entries = await this.reattribute(affected, { hotspots });
    commit();
    this.storeEntries(entries, c);
    // Every other insufficient-data episode keeps its verdict (its window's coverage did not change), but its
    // reason quotes the coverage of the whole hotspot file, which the batch may have extended.
    const covers = `(the hotspot file covers ${describeIntervals(hotspotCoverage(hotspots))})`;
    const done = new Set(affected.map((e) => e.id));
    for (const e of this.episodes.values()) {
      if (!done.has(e.id) && e.status === 'insufficient-data' && e.reason) e.reason = e.reason.replace(/\(the hotspot file covers [^()]*\)$/, covers);
    }
  }

  private async addSeries(s: StationSeries, timeBasis: 'hour-end' | 'day-start', c: ChangeSummary): Promise<void> {
    const series = { series: mergeSeries(this.series?.series ?? null, s), timeBasis };
    if (this.deferDerived || !(this.hotspots && this.stations && this.wind)) {
      this.series = series;
      return;
    }
    if (!this.calibration) {
      const r = await this.exec(this.attrOpts(), { series });
      this.series = series;
      return this.commitFull(r, c);
    }
    const detected = this.detect(series);
    const ids = new Set(detected.map((e) => e.id));
    // New episodes and episodes whose extent or peak changed with the new hours.
    const changed = detected.filter((e) => {
      const old = this.episodes.get(e.id);
      return !old || old.end !== toIsoUtc(e.end) || old.peakValue !== e.peakValue || old.peakTime !== toIsoUtc(e.peakTime);
    });
    const entries = await this.reattribute(changed, { series });
    this.series = series;
    for (const id of [...this.episodes.keys()]) {
      if (!ids.has(id)) {
        this.episodes.delete(id);
        c.episodesRemoved.push(id);
      }
    }
    this.storeEntries(entries, c);
  }

  private setAreas(r: GeoJsonLayerResult, c: ChangeSummary): void {
    this.areas = r;
    if (this.deferDerived) return;
    this.rescoreRisk();
    c.riskCellsTouched = this.risk?.scores.cells.length ?? 0;
  }

  /** Stations, wind or an explicit recompute: everything depends on them, so the attribution is redone in full. */
  private async replace(next: { stations?: Stations; wind?: OpenedWind; windSource?: { serial: number; data: string | Uint8Array } }, c: ChangeSummary): Promise<void> {
    const commit = (): void => {
      if (next.stations) this.stations = next.stations;
      if (next.wind) this.wind = next.wind;
      if (next.windSource) this.windSource = next.windSource;
    };
    if (this.deferDerived || !(this.hotspots && this.series && (next.stations ?? this.stations) && (next.wind ?? this.wind))) return commit();
    const r = await this.exec(this.attrOpts(), next);
    commit();
    this.commitFull(r, c);
  }

  private scoreRisk(hotspots: Hotspots, areas: GeoJsonLayerResult): ScoreAreasResult {
    return scoreAreas({ hotspots, areas }, { res: this.riskRes, idProperty: this.opts.areaIdProperty ?? 'id', utcOffset: this.opts.utcOffset ?? '+07:00' });
  }

  private rescoreRisk(): void {
    if (!this.areas || !this.hotspots) return;
    this.risk = this.scoreRisk(this.hotspots, this.areas);
  }

  private attrOpts(): AttributeSeriesOptions {
    return { utcOffset: this.opts.utcOffset ?? '+07:00', ...(this.opts.attribute ?? {}) };
  }

  private detect(s: NonNullable<LiveState['series']>): { id: string; station: string; start: number; end: number; peakTime: number; peakValue: number }[] {
    const o = this.attrOpts();
    return detectEpisodes(s, { ...(o.threshold !== undefined ? { threshold: o.threshold } : {}), ...(o.averaging ? { averaging: o.averaging } : {}), utcOffset: o.utcOffset ?? '+07:00' }).episodes;
  }

  private statics(): Pick<RunInputs, 'regions' | 'repeatBurn' | 'facilities'> {
    return { ...(this.regions ? { regions: this.regions } : {}), ...(this.repeatBurn ? { repeatBurn: this.repeatBurn } : {}), ...(this.opts.facilities ? { facilities: this.opts.facilities } : {}) };
  }

  /** The inputs of a run: the live ones, with `over` in place of some (an increment not yet committed). */
  private runInputs(over: { hotspots?: Hotspots; series?: NonNullable<LiveState['series']>; stations?: Stations; wind?: OpenedWind }): Omit<RunInputs, 'wind'> & { wind: OpenedWind } {
    return {
      hotspots: over.hotspots ?? (this.hotspots as Hotspots),
      series: over.series ?? (this.series as NonNullable<LiveState['series']>),
      stations: over.stations ?? (this.stations as Stations),
      wind: over.wind ?? (this.wind as OpenedWind),
      ...this.statics(),
    };
  }

  /** Run in this thread on the local trajectory store (emptied when the wind is not the one it was filled on). */
  private runHere(options: AttributeSeriesOptions, inp: Omit<RunInputs, 'wind'> & { wind: OpenedWind }): RunResult {
    if (this.storeWind !== inp.wind) {
      this.trajectories.clear();
      this.storeWind = inp.wind;
    }
    return runAttribution({ ...inp, wind: inp.wind.field }, options, this.trajectories);
  }

  /** One run on the worker when there is one (falling back to this thread if the worker died), else here. */
  private async exec(options: AttributeSeriesOptions, over: { hotspots?: Hotspots; series?: NonNullable<LiveState['series']>; stations?: Stations; wind?: OpenedWind; windSource?: { serial: number; data: string | Uint8Array } }): Promise<RunResult> {
    const inp = this.runInputs(over);
    const source = over.windSource ?? this.windSource;
    if (this.pool && source) {
      try {
        return await this.pool.run({ hotspots: inp.hotspots, series: inp.series, stations: inp.stations }, source, options);
      } catch (e) {
        if (!(e instanceof HazetraceError && e.code === 'E_WORKER')) throw e;
      }
    }
    return this.runHere(options, inp);
  }

  private commitFull(r: RunResult, c?: ChangeSummary): void {
    this.calibration = r.calibration;
    this.episodes.clear();
    for (const e of r.episodes) this.episodes.set(e.id, e);
    this.attributionWarnings = r.warnings;
    if (c) {
      c.fullRecompute = true;
      c.episodesRecomputed = r.episodes.map((e) => e.id);
    }
  }

  private storeEntries(entries: LiveEpisode[], c: ChangeSummary): void {
    for (const e of entries) this.episodes.set(e.id, e);
    c.episodesRecomputed.push(...entries.map((e) => e.id));
  }

  private run(options: AttributeSeriesOptions): SeriesAttribution {
    const inp = this.runInputs({});
    return attributeSeries(
      { hotspots: inp.hotspots, series: inp.series, stations: inp.stations, wind: inp.wind.field, ...(inp.regions ? { regions: inp.regions } : {}), ...(inp.repeatBurn ? { areas: inp.repeatBurn } : {}), ...(inp.facilities ? { facilities: inp.facilities } : {}) },
      options,
    );
  }

  /** Full attribution with calibration, in this thread; its scales (and their intervals) then serve the incremental runs. */
  fullAttribution(c?: ChangeSummary): void {
    if (!this.attributable) return;
    this.commitFull(this.runHere(this.attrOpts(), this.runInputs({})), c);
  }

  /** The options of an incremental run: the last full run's scales and intervals, nothing re-fitted. */
  private fixedOpts(): AttributeSeriesOptions {
    const o = this.attrOpts();
    const cal = this.calibration;
    if (!cal || cal.mode === 'defaults') return { ...o, calibrate: false };
    return { ...o, scales: cal.scales, scaleIntervals: cal.intervals };
  }

  /**
   * Attribute just these episodes, in one run restricted to their ids (each episode's attribution does not depend
   * on which others share the run), on stored trajectories where the wind and settings are unchanged.
   */
  private async reattribute(eps: { id: string }[], over: { hotspots?: Hotspots; series?: NonNullable<LiveState['series']> }): Promise<LiveEpisode[]> {
    if (eps.length === 0) return [];
    const ids = eps.map((e) => e.id);
    const want = new Set(ids);
    return (await this.exec({ ...this.fixedOpts(), episodeIds: ids }, over)).episodes.filter((e) => want.has(e.id));
  }

  /**
   * Every episode overlapping local days `from`..`to` (YYYY-MM-DD, either open), attributed afresh by
   * `attributeSeries` with the live calibration: the contract JSON of `hazetrace attribute --json`.
   */
  attributePeriod(from: string | undefined, to: string | undefined): AttributeContract {
    if (!this.attributable) throw new HazetraceError('E_INPUT', `the working set lacks ${(this.summary() as { missing: string[] }).missing.join(', ')}; post them to /state/* first`, { missing: true });
    return this.run({ ...this.fixedOpts(), ...(from ? { from } : {}), ...(to ? { to } : {}) }).contract();
  }

  /** JSON snapshot of the derived attribution (the inputs are replayed from the increments). */
  snapshot(): object {
    return { version: this.version, calibration: this.calibration, episodes: [...this.episodes.values()], warnings: this.attributionWarnings };
  }

  /** Restore the derived attribution of a snapshot taken at the current version. */
  restore(s: { calibration: ScaleFit | null; episodes: LiveEpisode[]; warnings: string[] }): void {
    this.calibration = s.calibration;
    this.episodes = new Map(s.episodes.map((e) => [e.id, e]));
    this.attributionWarnings = s.warnings;
  }

  /** Summary of the working set for GET /state. */
  summary(): object {
    const eps = [...this.episodes.values()];
    return {
      version: this.version,
      hotspots: this.hotspots?.length ?? 0,
      pm25Rows: this.series?.series.length ?? 0,
      stations: this.stations?.length ?? 0,
      wind: this.wind ? { kind: this.wind.kind, describe: this.wind.describe } : null,
      areas: this.areas ? this.areas.features.length : 0,
      gridCells: this.grid?.cells.length ?? 0,
      riskCells: this.risk?.scores.cells.length ?? 0,
      episodes: eps.length,
      attributed: eps.filter((e) => e.status === 'attributed').length,
      calibration: this.calibration ? { mode: this.calibration.mode, scales: this.calibration.scales } : null,
      missing: [!this.hotspots && 'hotspots', !this.series && 'pm25', !this.stations && 'stations', !this.wind && 'wind'].filter(Boolean),
    };
  }

  /**
   * Replay stored increments into the inputs and the hotspot grid without any attribution or risk work (restart:
   * the derived state comes from the snapshot, or from {@link LiveState.finishReplay}).
   */
  async replayRaw(kind: IncrementKind, body: Uint8Array): Promise<ChangeSummary> {
    this.deferDerived = true;
    try {
      return await (await this.parse(kind, body)).apply();
    } finally {
      this.deferDerived = false;
    }
  }

  /** After a replay: re-score risk (unless `risk` is false), and run the full attribution unless a snapshot restored it. */
  finishReplay(restored: boolean, risk = true): void {
    if (risk) this.rescoreRisk();
    if (!restored) this.fullAttribution();
  }
}
