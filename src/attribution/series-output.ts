/**
 * Outputs of {@link attributeSeries}: the contract JSON `hazetrace attribute --json` prints, the shares CSV,
 * shares and sources pooled over episodes, ranked sources as GeoJSON, and back-trajectories as GeoJSON (every
 * member or one ensemble-mean line per start). Each is a library function; the CLI only writes them.
 */
import { toIsoUtc, type TrajectorySet } from '../core/index.js';
import { toCsv } from '../io/index.js';
import { trajectoriesToGeoJson } from '../wind/index.js';
import type { BandedShare } from './types.js';
import type { SeriesAttribution, SeriesEpisode } from './pipeline.js';
import { checkArray, checkItems, checkOneOf, checkString, checkTrajectorySet } from '../core/check.js';
import { checkEpisodesResult } from './check.js';

/** One attributed episode in the contract shape (times ISO 8601 UTC, shares summing to 1). */
export interface ContractEpisode {
  station: string;
  start: string;
  end: string;
  peakTime: string;
  peakValue: number;
  sharesByCategory: Record<string, number>;
  sharesByRegion: Record<string, number>;
  sources: { id: string; kind: string; category: string; region: string; share: number }[];
}

/** The JSON `hazetrace attribute --json` prints and `attributeSeries(...).contract()` returns. */
export interface AttributeContract {
  episodes: ContractEpisode[];
  /** Episodes without shares, with their status (`insufficient-data` / `no-source-reached`) and the reason. */
  unattributed: { station: string; start: string; end: string; peakValue: number; status: string; reason: string }[];
  /** One line per kind of warning: count, kind and the first example (ISO times). */
  warnings: string[];
}

/** Warnings of one kind. */
export interface WarningGroup {
  kind: string;
  count: number;
  /** The first message of this kind. */
  first: string;
}

const KINDS: [RegExp, string][] = [
  [/insufficient data: wind/, 'insufficient-wind'],
  [/insufficient data: hotspot/, 'insufficient-hotspots'],
  [/insufficient data: no coordinates/, 'no-station-coordinates'],
  [/insufficient data/, 'insufficient-data'],
  [/outside the wind field/, 'start-outside-wind'],
  [/no trajectories for receptor/, 'no-trajectories'],
  [/no coordinates for receptor/, 'no-station-coordinates'],
  [/^calibration/, 'calibration'],
  [/^facilities/, 'rejected-rows'],
];

/**
 * Group warning messages by kind, counted, in first-seen order.
 *
 * @example
 * ```ts
 * import { groupWarnings } from 'hazetrace/attribution';
 * groupWarnings(['a: start 2025-01-01T00:00:00Z outside the wind field', 'b: start … outside the wind field'])[0]?.count; // 2
 * ```
 */
export function groupWarnings(messages: readonly string[]): WarningGroup[] {
  checkArray('messages', messages);
  const groups = new Map<string, WarningGroup>();
  for (const m of messages) {
    const kind = KINDS.find(([re]) => re.test(m))?.[1] ?? 'other';
    const g = groups.get(kind);
    if (g) g.count++;
    else groups.set(kind, { kind, count: 1, first: m });
  }
  return [...groups.values()];
}

/** Shares as plain numbers renormalised by their sum, largest first (the contract promises they sum to 1). */
function plainShares(rec: Record<string, BandedShare>): Record<string, number> {
  const entries = Object.entries(rec).filter(([, b]) => Number.isFinite(b.share) && b.share > 0);
  const sum = entries.reduce((s, [, b]) => s + b.share, 0);
  const out: Record<string, number> = {};
  for (const [k, b] of entries.sort((a, c) => c[1].share - a[1].share)) out[k] = b.share / sum;
  return out;
}

/**
 * The contract JSON of a run (see {@link AttributeContract}); `SeriesAttribution.contract()` calls this.
 *
 * @example
 * ```ts
 * import { contractOf } from 'hazetrace/attribution';
 * contractOf({ episodes: [], warnings: [] }); // { episodes: [], unattributed: [], warnings: [] }
 * ```
 */
export function contractOf(r: Pick<SeriesAttribution, 'episodes' | 'warnings'>): AttributeContract {
  checkEpisodesResult('r', r);
  const episodes: ContractEpisode[] = [];
  const unattributed: AttributeContract['unattributed'] = [];
  for (const e of r.episodes) {
    const ep = e.episode;
    if (e.status !== 'attributed') {
      unattributed.push({ station: ep.station, start: toIsoUtc(ep.start), end: toIsoUtc(ep.end), peakValue: ep.peakValue, status: e.status, reason: e.reason ?? '' });
      continue;
    }
    episodes.push({
      station: ep.station,
      start: toIsoUtc(ep.start),
      end: toIsoUtc(ep.end),
      peakTime: toIsoUtc(ep.peakTime),
      peakValue: ep.peakValue,
      sharesByCategory: plainShares(e.sharesByCategory),
      sharesByRegion: plainShares(e.sharesByRegion),
      sources: e.sources.map((s) => ({ id: s.id, kind: s.kind, category: s.category, region: s.region, share: s.share })),
    });
  }
  return { episodes, unattributed, warnings: r.warnings.map((g) => `${g.count}× ${g.kind}: ${g.first}`) };
}

/**
 * Long CSV of every share of the attributed episodes with its band: one row per episode × dimension × key
 * (dimensions `category`, `region`, further region levels, `cross_border`).
 *
 * @example
 * ```ts
 * import { sharesToCsv } from 'hazetrace/attribution';
 * sharesToCsv({ episodes: [] }).split('\n')[0]; // 'episode,station,start_utc,end_utc,peak_ugm3,dimension,key,share,band_low,band_high'
 * ```
 */
export function sharesToCsv(r: Pick<SeriesAttribution, 'episodes'>): string {
  checkEpisodesResult('r', r);
  return toCsv([...SHARE_COLUMNS], shareRows(r).map((x) => [x.episode, x.station, toIsoUtc(x.start), toIsoUtc(x.end), x.peak, x.dimension, x.key, x.share, x.low, x.high]));
}

/** Columns of the per-episode shares table ({@link sharesToCsv}, `sharesToParquet`). */
export const SHARE_COLUMNS = ['episode', 'station', 'start_utc', 'end_utc', 'peak_ugm3', 'dimension', 'key', 'share', 'band_low', 'band_high'] as const;

/** One row of the per-episode shares table (times epoch ms UTC). */
export interface ShareRow {
  episode: string;
  station: string;
  start: number;
  end: number;
  peak: number;
  dimension: string;
  key: string;
  share: number;
  low: number;
  high: number;
}

/** The per-episode shares table as rows: attributed episodes in order; per dimension, keys by share, largest first. */
export function shareRows(r: Pick<SeriesAttribution, 'episodes'>): ShareRow[] {
  const rows: ShareRow[] = [];
  for (const e of r.episodes) {
    if (e.status !== 'attributed') continue;
    const ep = e.episode;
    const dims: [string, Record<string, BandedShare>][] = [['category', e.sharesByCategory], ['region', e.sharesByRegion], ...Object.entries(e.sharesByRegionLevel)];
    if (e.crossBorder) dims.push(['cross_border', { cross_border: e.crossBorder }]);
    for (const [dimension, rec] of dims) {
      for (const [key, b] of Object.entries(rec).sort((a, c) => c[1].share - a[1].share)) {
        rows.push({ episode: ep.id, station: ep.station, start: ep.start, end: ep.end, peak: ep.peakValue, dimension, key, share: b.share, low: b.low, high: b.high });
      }
    }
  }
  return rows;
}

/** A share pooled over the attributed episodes, each weighted by its peak PM2.5, with the pooled band. */
export interface PooledShare {
  key: string;
  share: number;
  low: number;
  high: number;
}

/**
 * Pool per-episode shares over the attributed episodes: Σ w·share / Σ w with w = the episode's peak value, so a
 * severe episode counts more than a marginal one; the band pools low/high the same way (a summary, not a formal
 * interval). `dimension`: `'category'`, `'region'` or a region level name.
 *
 * @example
 * ```ts
 * import { poolShares } from 'hazetrace/attribution';
 * poolShares({ episodes: [] }, 'category'); // []
 * ```
 */
export function poolShares(r: Pick<SeriesAttribution, 'episodes'>, dimension: string): PooledShare[] {
  checkEpisodesResult('r', r);
  checkString('dimension', dimension);
  const pick = (e: SeriesEpisode): Record<string, BandedShare> =>
    dimension === 'category' ? e.sharesByCategory : dimension === 'region' ? e.sharesByRegion : (e.sharesByRegionLevel[dimension] ?? {});
  const acc = new Map<string, { s: number; lo: number; hi: number }>();
  let wsum = 0;
  for (const e of r.episodes) {
    if (e.status !== 'attributed') continue;
    const w = e.episode.peakValue;
    wsum += w;
    for (const [k, b] of Object.entries(pick(e))) {
      const a = acc.get(k) ?? { s: 0, lo: 0, hi: 0 };
      a.s += w * b.share;
      a.lo += w * (Number.isFinite(b.low) ? b.low : b.share);
      a.hi += w * (Number.isFinite(b.high) ? b.high : b.share);
      acc.set(k, a);
    }
  }
  if (wsum === 0) return [];
  return [...acc.entries()]
    .map(([key, a]) => ({ key, share: a.s / wsum, low: Math.min(a.s, a.lo) / wsum, high: Math.max(a.s, a.hi) / wsum }))
    .sort((a, b) => b.share - a.share);
}

/**
 * The peak-weighted cross-border share over the attributed episodes (NaN when none has one).
 *
 * @example
 * ```ts
 * import { poolCrossBorder } from 'hazetrace/attribution';
 * poolCrossBorder({ episodes: [] }); // NaN
 * ```
 */
export function poolCrossBorder(r: Pick<SeriesAttribution, 'episodes'>): number {
  checkEpisodesResult('r', r);
  let s = 0;
  let w = 0;
  for (const e of r.episodes) {
    if (e.status !== 'attributed' || !e.crossBorder) continue;
    s += e.episode.peakValue * e.crossBorder.share;
    w += e.episode.peakValue;
  }
  return w > 0 ? s / w : NaN;
}

/** A source pooled over episodes. */
export interface PooledSource {
  id: string;
  kind: string;
  category: string;
  region: string;
  lng: number;
  lat: number;
  /** Peak-weighted mean share over the attributed episodes. */
  share: number;
  /** Episodes in which it was among the ranked sources. */
  episodes: number;
}

/**
 * Sources pooled over the attributed episodes (peak-weighted share), best first.
 *
 * @example
 * ```ts
 * import { poolSources } from 'hazetrace/attribution';
 * poolSources({ episodes: [] }); // []
 * ```
 */
export function poolSources(r: Pick<SeriesAttribution, 'episodes'>): PooledSource[] {
  checkEpisodesResult('r', r);
  const acc = new Map<string, PooledSource>();
  let wsum = 0;
  for (const e of r.episodes) if (e.status === 'attributed') wsum += e.episode.peakValue;
  if (wsum === 0) return [];
  for (const e of r.episodes) {
    if (e.status !== 'attributed') continue;
    const w = e.episode.peakValue / wsum;
    for (const s of e.sources) {
      const a = acc.get(s.id) ?? { id: s.id, kind: s.kind, category: s.category, region: s.region, lng: s.lng, lat: s.lat, share: 0, episodes: 0 };
      a.share += w * s.share;
      a.episodes += 1;
      acc.set(s.id, a);
    }
  }
  return [...acc.values()].sort((a, b) => b.share - a.share);
}

/**
 * Pooled sources as a GeoJSON FeatureCollection of points ranked by share.
 *
 * @example
 * ```ts
 * import { pooledSourcesToGeoJson } from 'hazetrace/attribution';
 * pooledSourcesToGeoJson([]).features.length; // 0
 * ```
 */
export function pooledSourcesToGeoJson(pooled: readonly PooledSource[]): { type: 'FeatureCollection'; features: object[] } {
  checkItems('pooled', pooled);
  return {
    type: 'FeatureCollection',
    features: pooled.map((s, i) => ({
      type: 'Feature',
      properties: { rank: i + 1, id: s.id, kind: s.kind, category: s.category, region: s.region, share: s.share, episodes: s.episodes },
      geometry: { type: 'Point', coordinates: [s.lng, s.lat] },
    })),
  };
}

/**
 * The ensemble-mean back-trajectory of each start (mean of the members' positions at each step while every member
 * is still running; members that never left their start are left out), as a TrajectorySet with member −1. Plain lng/lat averaging: fine away from the antimeridian.
 *
 * @example
 * ```ts
 * import { ensembleMeanTrajectories } from 'hazetrace/attribution';
 * import { traceEnsemble, uniformWind } from 'hazetrace/wind';
 * const ens = traceEnsemble(uniformWind({ speed: 3, directionFrom: 270 }), { lng: 99, lat: 18.8, time: 0 }, { hours: 6 });
 * ensembleMeanTrajectories(ens).length; // 1
 * ```
 */
export function ensembleMeanTrajectories(set: TrajectorySet): TrajectorySet {
  checkTrajectorySet('set', set);
  const lng: number[] = [];
  const lat: number[] = [];
  const time: number[] = [];
  const age: number[] = [];
  const offsets: number[] = [0];
  const receptor: string[] = [];
  const startTime: number[] = [];
  const stopReason: TrajectorySet['stopReason'][number][] = [];
  for (const { members: js, length: len } of ensembleGroups(set)) {
    const j0 = js[0] as number;
    const a0 = set.offsets[j0] as number;
    for (let k = 0; k < len; k++) {
      let x = 0;
      let y = 0;
      for (const j of js) {
        x += set.lng[(set.offsets[j] as number) + k] as number;
        y += set.lat[(set.offsets[j] as number) + k] as number;
      }
      lng.push(x / js.length);
      lat.push(y / js.length);
      time.push(set.time[a0 + k] as number);
      age.push(set.ageHours[a0 + k] as number);
    }
    offsets.push(lng.length);
    receptor.push(set.receptor[j0] ?? '');
    startTime.push(set.startTime[j0] as number);
    stopReason.push(set.stopReason[j0] as TrajectorySet['stopReason'][number]);
  }
  return {
    length: receptor.length,
    offsets: Uint32Array.from(offsets),
    lng: Float64Array.from(lng),
    lat: Float64Array.from(lat),
    time: Float64Array.from(time),
    ageHours: Float64Array.from(age),
    receptor,
    member: new Int32Array(receptor.length).fill(-1),
    startTime: Float64Array.from(startTime),
    stopReason,
  } as TrajectorySet;
}

type Feature = { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };

/**
 * The ensembles of a trajectory set, one per (receptor, start time) in first-seen order: the members that moved
 * (all of them when none did — a member that never left its start, e.g. an offset outside the wind grid, would
 * collapse a mean to a point) and the number of points they all have.
 */
export function ensembleGroups(set: TrajectorySet): { members: number[]; length: number }[] {
  const byStart = new Map<string, number[]>();
  for (let j = 0; j < set.length; j++) {
    const key = `${set.receptor[j] ?? ''}\u0000${set.startTime[j] as number}`;
    const js = byStart.get(key);
    if (js) js.push(j);
    else byStart.set(key, [j]);
  }
  const points = (j: number): number => (set.offsets[j + 1] as number) - (set.offsets[j] as number);
  return [...byStart.values()].map((all) => {
    const moving = all.filter((j) => points(j) > 1);
    const members = moving.length ? moving : all;
    return { members, length: Math.min(...members.map(points)) };
  });
}

/**
 * The back-trajectories of every episode as GeoJSON features (wind's `trajectoriesToGeoJson`), each tagged with
 * its episode id, one episode at a time so a season's output can be streamed: every member (`'all'`) or one
 * ensemble-mean line per start (`'mean'`). Coordinates are rounded to 1e-4° (~11 m) when `round4` is true
 * (default): back-trajectories are uncertain by km to 100+ km, and full doubles double a season's file.
 *
 * @example
 * ```ts
 * import { episodeTrajectoryFeatures } from 'hazetrace/attribution';
 * [...episodeTrajectoryFeatures({ episodes: [] })].length; // 0
 * ```
 */
export function* episodeTrajectoryFeatures(r: Pick<SeriesAttribution, 'episodes'>, which: 'all' | 'mean' = 'all', round4 = true): Generator<Feature> {
  for (const e of r.episodes) {
    if (e.trajectories.length === 0) continue;
    const set = which === 'mean' ? ensembleMeanTrajectories(e.trajectories) : e.trajectories;
    for (const f of trajectoriesToGeoJson(set).features) {
      yield { ...f, geometry: round4 ? { ...f.geometry, coordinates: roundCoords(f.geometry.coordinates) } : f.geometry, properties: { episode: e.episode.id, ...f.properties, ...(which === 'mean' ? { member: undefined, members: e.members } : {}) } };
    }
  }
}

/**
 * Every episode's back-trajectories as one FeatureCollection (see {@link episodeTrajectoryFeatures}; for a season,
 * stream the features instead).
 *
 * @example
 * ```ts
 * import { episodeTrajectoriesToGeoJson } from 'hazetrace/attribution';
 * episodeTrajectoriesToGeoJson({ episodes: [] }).features.length; // 0
 * ```
 */
export function episodeTrajectoriesToGeoJson(r: Pick<SeriesAttribution, 'episodes'>, which: 'all' | 'mean' = 'all'): { type: 'FeatureCollection'; features: Feature[] } {
  checkEpisodesResult('r', r);
  checkOneOf('which', which, ['all', 'mean']);
  return { type: 'FeatureCollection', features: [...episodeTrajectoryFeatures(r, which)] };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;
function roundCoords(c: unknown): unknown {
  return typeof c === 'number' ? round4(c) : Array.isArray(c) ? c.map(roundCoords) : c;
}
