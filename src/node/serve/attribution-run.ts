/**
 * One attribution run of the live state, the same in the main thread and in the attribution worker
 * (./attribution-worker.ts): `attributeSeries` on the working set, turned into the live episode entries. Also the
 * byte-bounded store of traced back-trajectory ensembles that the runs share (trajectories depend on the station,
 * the start time, the wind and the settings, never on the fires, so a FIRMS increment re-scores on stored ones).
 */
import { toIsoUtc, type Hotspots, type StationSeries, type Stations, type TrajectorySet, type WindField } from '../../core/index.js';
import type { FeatureCollection } from '../../io/index.js';
import { attributeSeries, type AttributeSeriesOptions, type ContractEpisode, type ScaleFit } from '../../attribution/index.js';
import { EpisodeScoreCache } from '../../attribution/index.js';
import { argError } from '../../core/errors.js';

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

/** The working set one run reads (all structured-clone-able except the wind field). */
export interface RunInputs {
  hotspots: Hotspots;
  series: { series: StationSeries; timeBasis: 'hour-end' | 'day-start' };
  stations: Stations;
  wind: WindField;
  regions?: FeatureCollection;
  repeatBurn?: FeatureCollection;
  facilities?: string;
}

/** What a run gives back: entries of the episodes run, the calibration and the contract warnings. */
export interface RunResult {
  episodes: LiveEpisode[];
  calibration: ScaleFit;
  warnings: string[];
}

/** Counters of a {@link TrajectoryStore}. */
export interface TrajectoryStoreStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  evicted: number;
  /** The per-episode row scores kept beside the ensembles (see `TrajectoryStore.scores`). */
  scores: ReturnType<EpisodeScoreCache['stats']>;
}

const setBytes = (s: TrajectorySet): number =>
  s.offsets.byteLength + s.lng.byteLength + s.lat.byteLength + s.time.byteLength + s.ageHours.byteLength + s.member.byteLength + s.startTime.byteLength + 64 * (s.length + 1);

/**
 * Least-recently-used store of traced ensembles (one entry per trajectory start) bounded in bytes; the
 * `trajectoryCache` of `attributeSeries`. Its keys do not name the wind: {@link TrajectoryStore.clear} it when the
 * wind (or the stations) change.
 *
 * @example
 * ```ts
 * import { TrajectoryStore } from 'hazetrace/node';
 * const store = new TrajectoryStore(1 << 20);
 * store.stats().maxBytes; // 1048576
 * ```
 */
export class TrajectoryStore {
  private readonly map = new Map<string, { set: TrajectorySet; bytes: number }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evicted = 0;

  /**
   * Per-episode row scores of the runs (handed to `attributeSeries` as `scoreCache`), so that a run after a
   * FIRMS batch scores only the new detections against an episode's stored ensembles; bit-identical to a full
   * scoring. Bounded by a quarter of `maxBytes`, on top of the ensembles. Emptied with them.
   */
  readonly scores: EpisodeScoreCache;

  /** @param maxBytes bound of the stored trajectory arrays, bytes (0 stores nothing); the row scores take up to maxBytes / 4 more. */
  constructor(readonly maxBytes: number) {
    if (typeof maxBytes !== 'number' || !(maxBytes >= 0) || maxBytes === Infinity) throw argError('maxBytes', maxBytes, 'a number of bytes ≥ 0');
    this.scores = new EpisodeScoreCache(Math.floor(maxBytes / 4));
  }

  get(key: string): TrajectorySet | undefined {
    const e = this.map.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, e);
    return e.set;
  }

  set(key: string, set: TrajectorySet): void {
    const bytes = setBytes(set);
    if (bytes > this.maxBytes) return;
    const old = this.map.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.map.delete(key);
    }
    this.map.set(key, { set, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.map) {
      if (this.bytes <= this.maxBytes) break;
      this.map.delete(k);
      this.bytes -= e.bytes;
      this.evicted++;
    }
  }

  /** Drop every entry and the row scores (the wind or the stations changed). */
  clear(): void {
    this.map.clear();
    this.bytes = 0;
    this.scores.clear();
  }

  stats(): TrajectoryStoreStats {
    return { entries: this.map.size, bytes: this.bytes, maxBytes: this.maxBytes, hits: this.hits, misses: this.misses, evicted: this.evicted, scores: this.scores.stats() };
  }
}

/** Run `attributeSeries` on the working set and return the live entries of the episodes run (all, or `only`). */
export function runAttribution(inputs: RunInputs, options: AttributeSeriesOptions, trajectories: TrajectoryStore | null): RunResult {
  const r = attributeSeries(
    {
      hotspots: inputs.hotspots,
      series: inputs.series,
      stations: inputs.stations,
      wind: inputs.wind,
      ...(inputs.regions ? { regions: inputs.regions } : {}),
      ...(inputs.repeatBurn ? { areas: inputs.repeatBurn } : {}),
      ...(inputs.facilities ? { facilities: inputs.facilities } : {}),
    },
    trajectories && trajectories.maxBytes > 0 ? { ...options, trajectoryCache: trajectories, scoreCache: trajectories.scores } : options,
  );
  const contract = r.contract();
  const episodes: LiveEpisode[] = [];
  let k = 0;
  for (const e of r.episodes) {
    const ep = e.episode;
    const entry: LiveEpisode = { id: ep.id, station: ep.station, start: toIsoUtc(ep.start), end: toIsoUtc(ep.end), peakTime: toIsoUtc(ep.peakTime), peakValue: ep.peakValue, status: e.status, ...(e.reason ? { reason: e.reason } : {}) };
    if (e.status === 'attributed') entry.shares = contract.episodes[k++] as ContractEpisode;
    episodes.push(entry);
  }
  return { episodes, calibration: r.calibration, warnings: contract.warnings };
}
