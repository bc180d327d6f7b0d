/**
 * The two reference methods the benchmark scores hazetrace's attribution
 * against, on the same candidate sources and the same back-trajectories:
 *
 * - **buffer count** — the classic practice in Thai and regional haze reports: count the hotspots detected
 *   within 72 h before the air arrived and within 50 km of its back-trajectory; every counted hotspot gets an
 *   equal share. It knows nothing of FRP, timing along the path, facilities or areas.
 * - **PSCF-weighted** — PSCF (openair `trajLevel`; m_ij / n_ij with the openair count weighting) from the
 *   episode's back-trajectories and the receptor's concentrations, then each candidate source active in the
 *   window gets `weight × PSCF(cell of the source)`.
 */
import { HOUR_MS } from '../core/index.js';
import type { SourceKind, TrajectorySet, WindField } from '../core/index.js';
import { pscf } from '../attribution/index.js';
import { traceTrajectories } from '../wind/index.js';
import type { TraceStart } from '../wind/index.js';
import { KM_PER_DEG } from '../core/index.js';
import { checkArrayLike, checkOptions, checkSameLength, checkShape } from '../core/check.js';
const checkCandidates = (c: unknown): void => void checkShape('c', c, { length: 'number', id: 'array', kinds: 'array', lng: 'arrayLike', lat: 'arrayLike', time: 'arrayLike', weight: 'arrayLike' });
const checkEpisodeTrajectories = (et: unknown): void => {
  checkShape('et', et, { trajectories: 'object', arrival: 'arrayLike', start: 'number', end: 'number' });
  checkShape('et.trajectories', (et as { trajectories: unknown }).trajectories, { length: 'number', offsets: 'arrayLike', lng: 'arrayLike', lat: 'arrayLike' });
};

/** The columns of a candidate source layer the methods read (attribution's `SourceLayer` has them all). */
export interface Candidates {
  length: number;
  id: string[];
  kinds: SourceKind[];
  lng: Float64Array;
  lat: Float64Array;
  /** UTC ms; NaN for steady sources. */
  time: Float64Array;
  weight: Float64Array;
}

/** One episode's back-trajectories and the concentration that arrived with each. */
export interface EpisodeTrajectories {
  trajectories: TrajectorySet;
  /** Observed PM2.5 at the receptor for each trajectory's start hour, µg/m³. */
  arrival: Float64Array;
  /** Episode window `[start, end)`, UTC ms. */
  start: number;
  end: number;
}

/** Options of {@link episodeTrajectories}. */
export interface EpisodeTrajectoryOptions {
  /** Back-trajectory length, hours. Default 72. */
  hours?: number;
}

/**
 * Hourly back-trajectories from a monitor through an episode (one per observed hour, started mid-hour,
 * since the value labelled `t` is the mean over `(t, t + 1 h]`).
 *
 * @example
 * ```ts
 * import { episodeTrajectories } from 'hazetrace/sim';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 2, 3);
 * const et = episodeTrajectories(uniformWind({ speed: 5, directionFrom: 270 }), { lng: 99, lat: 18.8 },
 *   [t0, t0 + 3_600_000], [40, 50], { hours: 24 });
 * et.trajectories.length; // 2
 * ```
 */
export function episodeTrajectories(
  wind: WindField,
  monitor: { lng: number; lat: number; id?: string },
  hourStarts: ArrayLike<number>,
  values: ArrayLike<number>,
  options: EpisodeTrajectoryOptions = {},
): EpisodeTrajectories {
  checkShape('wind', wind, { sample: 'function' });
  checkShape('monitor', monitor, { lng: 'finite', lat: 'finite' });
  checkArrayLike('hourStarts', hourStarts);
  checkArrayLike('values', values);
  checkSameLength('hourStarts', hourStarts.length, 'values', values.length);
  checkOptions('options', options);
  const starts: TraceStart[] = [];
  const arrival: number[] = [];
  for (let i = 0; i < hourStarts.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    starts.push({ lng: monitor.lng, lat: monitor.lat, time: hourStarts[i]! + HOUR_MS / 2, receptor: monitor.id ?? '' });
    arrival.push(values[i]!);
  }
  const trajectories = traceTrajectories(wind, starts, { hours: options.hours ?? 72 });
  const start = hourStarts.length ? hourStarts[0]! : NaN;
  const end = hourStarts.length ? hourStarts[hourStarts.length - 1]! + HOUR_MS : NaN;
  return { trajectories, arrival: Float64Array.from(arrival), start, end };
}

/** Options of {@link bufferCount}. */
export interface BufferCountOptions {
  /** Buffer around the back-trajectory, km. Default 50. */
  radiusKm?: number;
  /** Hotspots detected at most this long before the air arrived count, hours. Default 72. */
  hours?: number;
}

/**
 * The classic count: per candidate row 1 if it is a hotspot detected within `hours` before some trajectory's
 * arrival and within `radiusKm` of that trajectory, else 0.
 *
 * @example
 * ```ts
 * import { bufferCount, episodeTrajectories } from 'hazetrace/sim';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 2, 3);
 * const et = episodeTrajectories(uniformWind({ speed: 5, directionFrom: 270 }), { lng: 99, lat: 18.8 }, [t0], [60]);
 * const hotspots = { length: 1, id: ['h'], kinds: ['hotspot' as const], lng: Float64Array.of(98.5), lat: Float64Array.of(18.9),
 *   time: Float64Array.of(t0 - 6 * 3_600_000), weight: Float64Array.of(30) };
 * bufferCount(hotspots, et)[0]; // 1: 11 km from the westerly path, 6 h before arrival
 * ```
 */
export function bufferCount(c: Candidates, et: EpisodeTrajectories, options: BufferCountOptions = {}): Float64Array {
  checkCandidates(c);
  checkEpisodeTrajectories(et);
  checkOptions('options', options);
  const r = options.radiusKm ?? 50;
  const win = (options.hours ?? 72) * HOUR_MS;
  const r2 = r * r;
  const out = new Float64Array(c.length);
  const T = et.trajectories;
  for (let i = 0; i < c.length; i++) {
    if (c.kinds[i] !== 'hotspot') continue;
    const x = c.lng[i]!, y = c.lat[i]!, t = c.time[i]!;
    const cos = Math.cos((y * Math.PI) / 180);
    search: for (let k = 0; k < T.length; k++) {
      const t0 = T.startTime[k]!;
      if (!(t <= t0 && t >= t0 - win)) continue;
      for (let p = T.offsets[k]!; p < T.offsets[k + 1]!; p++) {
        const dx = (T.lng[p]! - x) * cos * KM_PER_DEG;
        const dy = (T.lat[p]! - y) * KM_PER_DEG;
        if (dx * dx + dy * dy <= r2) {
          out[i] = 1;
          break search;
        }
      }
    }
  }
  return out;
}

/** Options of {@link pscfWeighted}. */
export interface PscfWeightedOptions {
  /** PSCF box size, degrees. Default 0.5. */
  gridDeg?: number;
  /** Percentile of the episode's arrival concentrations above which a trajectory point counts as polluted. Default 50. */
  percentile?: number;
  /** Timed sources count when detected within this long before the episode starts (or during it), hours. Default 72. */
  hours?: number;
}

/**
 * PSCF-weighted attribution: `weight × PSCF(cell)` for every candidate row active in the episode window.
 *
 * @example
 * ```ts
 * import { pscfWeighted, episodeTrajectories } from 'hazetrace/sim';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 2, 3);
 * const et = episodeTrajectories(uniformWind({ speed: 5, directionFrom: 270 }), { lng: 99, lat: 18.8 }, [t0, t0 + 3_600_000], [80, 40]);
 * const c = { length: 1, id: ['h'], kinds: ['hotspot' as const], lng: Float64Array.of(98), lat: Float64Array.of(18.8),
 *   time: Float64Array.of(t0 - 6 * 3_600_000), weight: Float64Array.of(30) };
 * pscfWeighted(c, et, { gridDeg: 0.5 })[0]; // 30 × PSCF of the box the hotspot is in
 * ```
 */
export function pscfWeighted(c: Candidates, et: EpisodeTrajectories, options: PscfWeightedOptions = {}): Float64Array {
  checkCandidates(c);
  checkEpisodeTrajectories(et);
  checkOptions('options', options);
  const size = options.gridDeg ?? 0.5;
  const win = (options.hours ?? 72) * HOUR_MS;
  const T = et.trajectories;
  const n = T.offsets[T.length]!;
  const value = new Float64Array(n);
  for (let k = 0; k < T.length; k++) for (let p = T.offsets[k]!; p < T.offsets[k + 1]!; p++) value[p] = et.arrival[k]!;
  const res = pscf({ lng: T.lng.subarray(0, n), lat: T.lat.subarray(0, n), value }, { grid: { type: 'degree', size }, percentile: options.percentile ?? 50 });
  const byBox = new Map<string, number>();
  for (const cell of res.cells) byBox.set(`${Math.round(cell.lng / size)},${Math.round(cell.lat / size)}`, cell.value);
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const t = c.time[i]!;
    if (!Number.isNaN(t) && !(t >= et.start - win && t < et.end)) continue;
    const v = byBox.get(`${Math.round(c.lng[i]! / size)},${Math.round(c.lat[i]! / size)}`);
    if (v !== undefined) out[i] = c.weight[i]! * v;
  }
  return out;
}
