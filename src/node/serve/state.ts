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
import { attributeSeries, detectEpisodes, hotspotCoverage, type AttributeContract, type AttributeSeriesOptions, type ContractEpisode, type ScaleFit, type SeriesAttribution } from '../../attribution/index.js';
import { scoreAreas, type ScoreAreasResult } from '../../risk/index.js';
import { describeIntervals } from '../../attribution/coverage.js';
import type { RejectedRow } from '../../core/index.js';
import { checkOptions } from '../../core/check.js';

/** Kinds of increment the working set accepts. */
export type IncrementKind = 'hotspots' | 'pm25' | 'stations' | 'wind' | 'areas' | 'recompute';

/** One episode as the live state holds it: the contract entry (shares) or the reason it is not attributed. */
export interface LiveEpisode {
  id: string;
  station: string;
  start: string;
  end: string;
  peakTime: string;
  peakValue: number;
  status: string;
  reason?: string;
  /** Shares, for attributed episodes (the entry of `attributeSeries(...).contract().episodes`). */
  shares?: ContractEpisode;
}

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
  private readonly keys = new Set<string>();
  /** While replaying stored increments: update the inputs and the hotspot grid only. */
  private deferDerived = false;
  private readonly opts: LiveStateOptions;
  private readonly regions: FeatureCollection | undefined;
  private readonly repeatBurn: FeatureCollection | undefined;

  constructor(options: LiveStateOptions = {}) {
    checkOptions('options', options);
    this.opts = options;
    this.res = options.res ?? 5;
    this.riskRes = options.riskRes ?? 6;
    parseUtcOffset(options.utcOffset ?? '+07:00', 'utcOffset');
    const layer = (v: FeatureCollection | string | undefined): FeatureCollection | undefined => (typeof v === 'string' ? (readGeoJsonLayer(v) as unknown as FeatureCollection) : v);
    this.regions = layer(options.regions);
    this.repeatBurn = layer(options.repeatBurn);
  }

  /** Whether every input of the attribution is present (hotspots, PM2.5, stations, wind). */
  get attributable(): boolean {
    return !!(this.hotspots && this.series && this.stations && this.wind);
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
        return { kind, accepted: r.stations.length, rejected: r.rejected, apply: () => this.timed(kind, r.stations.length, r.rejected.length, (c) => this.replace(() => (this.stations = r.stations), c)) };
      }
      case 'wind': {
        // NetCDF, HDF5 and TIFF headers hold NUL bytes in their first bytes; a point-wind CSV never does.
        const isText = !body.subarray(0, 512).includes(0);
        const w = await openWind(isText ? text() : body);
        if (w.accepted === 0) throw noRows('wind', w.rejected);
        return { kind, accepted: w.accepted, rejected: w.rejected, apply: () => this.timed(kind, w.accepted, w.rejected.length, (c) => this.replace(() => (this.wind = w), c)) };
      }
      case 'areas': {
        const r = readGeoJsonLayer(text());
        const polys = r.features.filter((f) => f.geometry && (f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon'));
        if (polys.length === 0) throw noRows('area polygon', r.rejected);
        return { kind, accepted: polys.length, rejected: r.rejected, apply: () => this.timed(kind, polys.length, r.rejected.length, (c) => this.setAreas(r, c)) };
      }
      case 'recompute':
        return { kind, accepted: 0, rejected: [], apply: () => this.timed(kind, 0, 0, (c) => this.replace(() => undefined, c)) };
      default:
        throw new HazetraceError('E_ARG', `unknown increment kind ${JSON.stringify(kind)}`, { argument: 'kind', value: kind });
    }
  }

  private async timed(kind: IncrementKind, accepted: number, rejected: number, run: (c: ChangeSummary) => void): Promise<ChangeSummary> {
    const t0 = performance.now();
    const c: ChangeSummary = { version: this.version + 1, kind, accepted, rejected, episodesRecomputed: [], episodesRemoved: [], fullRecompute: false, gridCellsTouched: 0, riskCellsTouched: 0, ms: 0 };
    run(c);
    this.version = c.version;
    c.ms = Math.round((performance.now() - t0) * 10) / 10;
    return c;
  }

  private binned(h: Hotspots): BinnedGrid {
    return binPoints({ lng: h.lng, lat: h.lat, frp: h.frp }, { res: this.res, values: { frp: ['sum', 'max'] } });
  }

  private addHotspots(batch: Hotspots, c: ChangeSummary): void {
    const fresh = selectHotspots(batch, (i) => !this.keys.has(hotspotKey(batch, i)));
    for (let i = 0; i < fresh.length; i++) this.keys.add(hotspotKey(fresh, i));
    c.accepted = fresh.length;
    if (fresh.length === 0) return;
    const oldDays = new Set(this.hotspots ? Array.from(this.hotspots.time, (t) => Math.floor(t / DAY_MS)) : []);
    this.hotspots = this.hotspots ? concatHotspots(this.hotspots, fresh) : fresh;
    const g = this.binned(fresh);
    c.gridCellsTouched = g.cells.length;
    this.grid = this.grid ? mergeGrids(this.grid, g) : g;
    if (this.deferDerived) return;
    // Risk: re-scored when a new detection falls into a risk cell of the areas (percentile factors are global).
    if (this.areas) {
      const cells = binPoints({ lng: fresh.lng, lat: fresh.lat }, { res: this.riskRes }).cells;
      const known = this.risk ? new Set(this.risk.scores.cells) : null;
      c.riskCellsTouched = known ? cells.filter((x) => known.has(x)).length : cells.length;
      if (!known || c.riskCellsTouched > 0) this.rescoreRisk();
    }
    if (!this.attributable) return;
    if (!this.calibration) return this.fullAttribution(c);
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
    const detected = this.detect();
    const affected = detected.filter((e) => hit(e.start, Math.max(e.end, e.start + 1)));
    this.reattribute(affected, c);
    // Every other insufficient-data episode keeps its verdict (its window's coverage did not change), but its
    // reason quotes the coverage of the whole hotspot file, which the batch may have extended.
    const covers = `(the hotspot file covers ${describeIntervals(hotspotCoverage(this.hotspots))})`;
    const done = new Set(affected.map((e) => e.id));
    for (const e of this.episodes.values()) {
      if (!done.has(e.id) && e.status === 'insufficient-data' && e.reason) e.reason = e.reason.replace(/\(the hotspot file covers [^()]*\)$/, covers);
    }
  }

  private addSeries(s: StationSeries, timeBasis: 'hour-end' | 'day-start', c: ChangeSummary): void {
    this.series = { series: mergeSeries(this.series?.series ?? null, s), timeBasis };
    if (this.deferDerived || !this.attributable) return;
    if (!this.calibration) return this.fullAttribution(c);
    const detected = this.detect();
    const ids = new Set(detected.map((e) => e.id));
    for (const id of [...this.episodes.keys()]) {
      if (!ids.has(id)) {
        this.episodes.delete(id);
        c.episodesRemoved.push(id);
      }
    }
    // New episodes and episodes whose extent or peak changed with the new hours.
    const changed = detected.filter((e) => {
      const old = this.episodes.get(e.id);
      return !old || old.end !== toIsoUtc(e.end) || old.peakValue !== e.peakValue || old.peakTime !== toIsoUtc(e.peakTime);
    });
    this.reattribute(changed, c);
  }

  private setAreas(r: GeoJsonLayerResult, c: ChangeSummary): void {
    this.areas = r;
    if (this.deferDerived) return;
    this.rescoreRisk();
    c.riskCellsTouched = this.risk?.scores.cells.length ?? 0;
  }

  /** Stations, wind or an explicit recompute: everything depends on them, so the attribution is redone in full. */
  private replace(set: () => unknown, c: ChangeSummary): void {
    set();
    if (!this.deferDerived && this.attributable) this.fullAttribution(c);
  }

  private rescoreRisk(): void {
    if (!this.areas || !this.hotspots) return;
    this.risk = scoreAreas({ hotspots: this.hotspots, areas: this.areas }, { res: this.riskRes, idProperty: this.opts.areaIdProperty ?? 'id', utcOffset: this.opts.utcOffset ?? '+07:00' });
  }

  private attrOpts(): AttributeSeriesOptions {
    return { utcOffset: this.opts.utcOffset ?? '+07:00', ...(this.opts.attribute ?? {}) };
  }

  private detect(): { id: string; station: string; start: number; end: number; peakTime: number; peakValue: number }[] {
    const o = this.attrOpts();
    const s = this.series as NonNullable<LiveState['series']>;
    return detectEpisodes(s, { ...(o.threshold !== undefined ? { threshold: o.threshold } : {}), ...(o.averaging ? { averaging: o.averaging } : {}), utcOffset: o.utcOffset ?? '+07:00' }).episodes;
  }

  private run(options: AttributeSeriesOptions): SeriesAttribution {
    return attributeSeries(
      {
        hotspots: this.hotspots as Hotspots,
        series: this.series as NonNullable<LiveState['series']>,
        stations: this.stations as Stations,
        wind: (this.wind as OpenedWind).field,
        ...(this.regions ? { regions: this.regions } : {}),
        ...(this.repeatBurn ? { areas: this.repeatBurn } : {}),
        ...(this.opts.facilities ? { facilities: this.opts.facilities } : {}),
      },
      options,
    );
  }

  private store(r: SeriesAttribution, only?: Set<string>): string[] {
    const contract = r.contract();
    const done: string[] = [];
    let k = 0;
    for (const e of r.episodes) {
      const ep = e.episode;
      if (only && !only.has(ep.id)) {
        if (e.status === 'attributed') k++;
        continue;
      }
      const entry: LiveEpisode = { id: ep.id, station: ep.station, start: toIsoUtc(ep.start), end: toIsoUtc(ep.end), peakTime: toIsoUtc(ep.peakTime), peakValue: ep.peakValue, status: e.status, ...(e.reason ? { reason: e.reason } : {}) };
      if (e.status === 'attributed') entry.shares = contract.episodes[k++] as ContractEpisode;
      this.episodes.set(ep.id, entry);
      done.push(ep.id);
    }
    return done;
  }

  /** Full attribution with calibration; its scales (and their intervals) then serve the incremental runs. */
  fullAttribution(c?: ChangeSummary): void {
    if (!this.attributable) return;
    const r = this.run(this.attrOpts());
    this.calibration = r.calibration;
    this.episodes.clear();
    const ids = this.store(r);
    this.attributionWarnings = r.contract().warnings;
    if (c) {
      c.fullRecompute = true;
      c.episodesRecomputed = ids;
    }
  }

  /** The options of an incremental run: the last full run's scales and intervals, nothing re-fitted. */
  private fixedOpts(): AttributeSeriesOptions {
    const o = this.attrOpts();
    const cal = this.calibration;
    if (!cal || cal.mode === 'defaults') return { ...o, calibrate: false };
    return { ...o, scales: cal.scales, scaleIntervals: cal.intervals };
  }

  /** Attribute just these episodes (grouped into runs of nearby local days, one library call per run). */
  private reattribute(eps: { id: string; start: number; end: number }[], c: ChangeSummary): void {
    if (eps.length === 0) return;
    const off = parseUtcOffset(this.attrOpts().utcOffset ?? '+07:00', 'utcOffset') * 60_000;
    const day = (t: number): string => new Date(t + off).toISOString().slice(0, 10);
    const sorted = [...eps].sort((a, b) => a.start - b.start);
    const groups: { from: number; to: number; ids: Set<string> }[] = [];
    for (const e of sorted) {
      const to = Math.max(e.end - 1, e.start);
      const g = groups[groups.length - 1];
      if (g && e.start <= g.to + 2 * DAY_MS) {
        g.to = Math.max(g.to, to);
        g.ids.add(e.id);
      } else groups.push({ from: e.start, to, ids: new Set([e.id]) });
    }
    for (const g of groups) {
      const r = this.run({ ...this.fixedOpts(), from: day(g.from), to: day(g.to) });
      c.episodesRecomputed.push(...this.store(r, g.ids));
    }
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
