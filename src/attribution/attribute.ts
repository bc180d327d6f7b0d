/**
 * Attribution per episode (DESIGN §4): back-trajectory ensembles from the receptor through the episode, then a
 * kernel sum per source
 *
 *   score_s = weight_s × scale(category_s) × Σ_k K_space(d_sk, σ(a_k)) × K_time(|t_k − t_s|) × exp(−a_k/L) × Δt_k,
 *
 * over trajectory points k of age a_k ≤ `hours` (default 72), with
 * - K_space(d, σ) = (1 + (d/σ)²)^(−3/2) / (2πσ²) (km⁻²; the bivariate Cauchy by default, `kernelShape` also offers
 *   SQTBA's Gaussian exp(−½ (d/σ)²) / (2πσ²) and an exponential), σ(a) = max(σ0, rate × a): SQTBA's linear growth with age
 *   (openair `trajLevel`, Zhou et al. 2004; SQTBA uses 1.5 km/h, the default here is 2.5 km/h to carry trajectory
 *   error) with a floor σ0 (default 10 km: a few MODIS 1 km pixels plus the receptor's own footprint) so young
 *   points still see a neighbourhood; cut at `cutoffSigmas` (default 3, where the Cauchy kernel is 3.2 % of its
 *   peak, the Gaussian 1.1 %);
 * - K_time(Δt) = exp(−½ (Δt/τ)²) with τ = 3 h by default: a detection stands for a fire burning a few hours around
 *   the overpass (fires burn ~4 h around the early-afternoon peak, Giglio 2006); cut at 3τ. Steady sources (areas,
 *   facilities) have K_time = 1;
 * - exp(−a/L) first-order loss of PM2.5 on the way (deposition), lifetime L = 72 h by default: with K_space and
 *   Δt this is a Lagrangian footprint with loss, the weight a unit emission at the source has at the receptor;
 * - Δt_k the time the trajectory spends around point k (half the gap to each neighbour, hours).
 * Every default is in {@link ATTRIBUTE_DEFAULTS}, chosen on the issue-6 twin experiments.
 * Shares are scores normalised over all sources; summed by category and region they give category and
 * cross-border shares, with a band from the spread of the same shares computed per ensemble member.
 */
import { argError, checkPositive, DAY_MS, HazetraceError, HOUR_MS, toIsoUtc, type SourceKind, type Stations, type TrajectorySet, type WindField } from '../core/index.js';
import { concatTrajectorySets, traceEnsemble, trajectoriesToGeoJson, type EnsembleOptions } from '../wind/index.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Episode } from './episodes.js';
import { SourceIndex, type SourceBin } from './sourceindex.js';
import type { SourceLayer } from './sources.js';
import { KM_PER_DEG, localDist2Km, quantileSorted7 } from './util.js';

/**
 * Default scale per category, putting kinds on one scale until calibrated (DESIGN §4 "Putting kinds on one
 * scale"): relative PM2.5 emission per unit of weight. Fires (weight FRP, MW): 1 — FRP converts to dry matter
 * burnt at ≈ 0.37 kg/MJ (Wooster et al. 2005), ≈ 9 g PM2.5 per kg (Andreae 2019) → ≈ 3 g/s per MW FRP.
 * Facilities (weight capacity MW × fuel factor): 0.01 — a coal unit with particulate control emits ≈ 0.1 g PM2.5 per
 * kWh → ≈ 0.03 g/s per MW, two orders below a fire per MW. Citizen reports (weight 1 per report ≈ one small fire):
 * 1 (a report weighs like a 1 MW hotspot). Areas (weight unitless, e.g. burn frequency or a user weight): 0.1.
 * These are order-of-magnitude defaults; {@link calibrateScales} replaces them from data.
 *
 * @example
 * ```ts
 * import { defaultScale } from 'hazetrace/attribution';
 * defaultScale('fire_repeat_burn', 'hotspot'); // 1
 * defaultScale('facility', 'facility'); // 0.01
 * ```
 */
export function defaultScale(category: string, kind: SourceKind): number {
  if (category.startsWith('fire_') || kind === 'hotspot') return 1;
  if (kind === 'facility') return 0.01;
  if (kind === 'report') return 1;
  return 0.1;
}

/**
 * Defaults of {@link attribute}'s kernel and trajectory settings, chosen on the twin experiments of issue 6
 * (`npm run bench:skill`: three scenarios × perfect/perturbed wind, scored against the known true per-source
 * contributions; numbers below are category-share error (pp) / Spearman ρ of per-source contributions, quick runs at
 * 800 particles/h with calibrated scales; notes/issue-6.md has the grids):
 *
 * - `timeSigmaHours` 3 (was 12): fires burn ~4 h around the afternoon peak; a 12-h kernel smears a 13:30 detection
 *   over a whole day and credits it for air that passed at night. The single largest win (cross-border scenario,
 *   perfect wind: category 5.5 → 1.6 pp, cross-border share 6.1 → 2.9 pp, ρ 0.59 → 0.83).
 * - `lifetimeHours` 72 (new; each trajectory point weighs exp(−age/lifetime)): PM2.5 is lost to deposition on the
 *   way, so a source 3 days upwind must weigh less than the same source an hour upwind at equal kernel density (the
 *   footprint × first-order loss, as in any Lagrangian concentration model; 3 days is a mid value of boundary-layer
 *   accumulation-mode lifetimes in the dry season, deliberately not the twin's own 48 h). With it, `hours` can stay
 *   72 and `sigma0Km` 10: local-burning category error 5.7 → 4.2 (perfect) and 5.9 → 4.7 (perturbed wind), ρ 0.51
 *   → 0.60 and 0.47 → 0.56, at a cost in the cross-border scenario with perturbed wind (category 4.2 → 4.8). Without
 *   the loss term 48-h trajectories and σ0 15 km had been best (old tails over-credited distant fires); a 48-h
 *   lifetime over-corrects (cross-border, perturbed: 6.1), 96 h is within noise of 72 h.
 * - `sigmaKmPerHour` 2.5 (was SQTBA's 1.5): a wider plume acknowledges 15–30 % trajectory error (DESIGN §4); 1.5–3
 *   moved results by about the episode-to-episode noise, 2.5 was the best compromise. `sigma0Km` stays 10 (6 km
 *   was clearly worse: local-burning 7.0 pp).
 * - `startStepHours` 1 (was 3): hourly starts follow the hourly PM2.5 the episode is made of.
 * - `ensemble.offsetDeg` 1° (was the wind grid step, 0.25° for ERA5): members that read the wind 1° away spread
 *   about as far as a 20° direction error displaces air in half a day, which is what carries wind error into the
 *   bands; with perturbed wind cross-border share error 9.1 → 4.5 pp and ρ 0.50 → 0.67 (cross-border scenario).
 *   Only for the offset ensemble; random-walk members keep src/wind's settings.
 * - `detectionWindow` 0 (option new in the detection-efficiency round; plain Gaussian K_time). A hotspot is a
 *   snapshot at an overpass and a quarter of the twin's fire smoke comes from fires no overpass saw, so a plateau
 *   covering the revisit gap (`'revisit'`: half the gap to the previous/next overpass found in the detections' own
 *   times of day; or fixed hours) was tried. It lowers the category error where steady sources compete with
 *   unseen fires (facility-plume 4.9 → 4.1 perfect, 5.9 → 4.2 perturbed, with `'revisit'`, τ 2 h and robust
 *   calibration) but raises the cross-border share error (summed over the six cases 17.2 → 19.0 pp), lowers
 *   Spearman ρ (summed −0.10) and worsens local-burning with perturbed wind (5.6 → 6.2): a trade, not a win, so
 *   it stays off by default. Fixed ±1.5–3 h windows behave the same, milder.
 * - `kernelShape` `'cauchy'` (option new in the kernel-shape round, notes/issue-6.md "Round 3"; was SQTBA's
 *   Gaussian). Under trajectory position error the true source often sits in the kernel's tail; the bivariate
 *   Cauchy (same σ, same 3σ cut) keeps more weight there. Full run, six twin cases: summed category error 25.6 →
 *   24.0 pp (lower in five cases, 3.26 → 3.27 in the sixth; facility-plume perfect wind 5.04 → 4.39), cross-border
 *   share 17.3 → 18.2 pp (cross-border scenario 2.9 → 3.4 and 5.5 → 5.7), ρ unchanged (summed 4.12 → 4.10). The
 *   exponential kernel and a "wind-spread" ensemble (the 9 offset members again through the wind turned ±δ and
 *   scaled 1 ± ε) were tried and dropped: the wind spread lowered ρ by up to 0.15 per case at δ 20°, ε 0.3.
 * Category scales stay {@link defaultScale} unless given; {@link calibrateScales} (needs observations) is the
 * recommended next step and what the twin experiments use; since the third tuning round it fits the factors by
 * Huber-reweighted NNLS (its `robust` option), which moved the summed category error of the six twin cases
 * 27.9 → 25.6 pp (full run) with cross-border share and ρ unchanged.
 *
 * @example
 * ```ts
 * import { ATTRIBUTE_DEFAULTS } from 'hazetrace/attribution';
 * ATTRIBUTE_DEFAULTS.timeSigmaHours; // 3
 * ```
 */
export const ATTRIBUTE_DEFAULTS = Object.freeze({
  hours: 72,
  sigma0Km: 10,
  sigmaKmPerHour: 2.5,
  cutoffSigmas: 3,
  timeSigmaHours: 3,
  timeCutoffSigmas: 3,
  lifetimeHours: 72,
  detectionWindow: 0 as 'revisit' | number | readonly [number, number],
  kernelShape: 'cauchy' as KernelShape,
  startStepHours: 1,
  offsetDeg: 1,
});

/**
 * Radial shape of K_space, each normalised to unit mass over the plane with scale σ: `'gaussian'`
 * exp(−½ d²/σ²)/(2πσ²); `'cauchy'` (1 + d²/σ²)^(−3/2)/(2πσ²), the bivariate Student-t with one degree of
 * freedom; `'exponential'` exp(−d/σ)/(2πσ²). All are cut at `cutoffSigmas` × σ.
 */
export type KernelShape = 'gaussian' | 'cauchy' | 'exponential';

/** Kernel and trajectory settings (defaults in {@link ATTRIBUTE_DEFAULTS}, with the twin-experiment reasons). */
export interface KernelOptions {
  /** Radial shape of K_space (see {@link KernelShape}); default in {@link ATTRIBUTE_DEFAULTS}. */
  kernelShape?: KernelShape;
  /** Back-trajectory length and largest age used, hours, default 72. */
  hours?: number;
  /** σ floor, km, default 10. */
  sigma0Km?: number;
  /** σ growth with age, km/h, default 2.5 (SQTBA uses 1.5; wider here for trajectory error). */
  sigmaKmPerHour?: number;
  /** Spatial cut, in σ, default 3. */
  cutoffSigmas?: number;
  /** Time-kernel width τ, hours, default 3. */
  timeSigmaHours?: number;
  /** Time cut, in τ, default 3. */
  timeCutoffSigmas?: number;
  /**
   * Detection window of timed sources: a plateau of the time kernel, `K_time = exp(−½ (max(0, excess)/τ)²)` where
   * `excess` is how far the air's passage lies outside `[t_s − before, t_s + after]`. `'revisit'` derives
   * before/after per detection as half the gap to the previous/next satellite overpass seen in the layer's own
   * detection times (overpasses found by clustering the detections' times of day); a number is a symmetric half-width in hours, a pair is
   * `[before, after]` hours; 0 is the plain Gaussian. Default in {@link ATTRIBUTE_DEFAULTS}.
   */
  detectionWindow?: 'revisit' | number | readonly [number, number];
  /**
   * First-order loss lifetime of PM2.5 along the trajectory, hours: each point weighs exp(−age/lifetime). Default
   * 72; `Infinity` turns the loss off.
   */
  lifetimeHours?: number;
  /** Scale per category (or per kind as a fallback key); missing ones use {@link defaultScale}. */
  scales?: Record<string, number>;
  /** `'index'` (default; kdbush per time bin) or `'brute'` (every source for every point: the reference/baseline). */
  method?: 'index' | 'brute';
}

/** Options for {@link attribute}. */
export interface AttributeOptions extends KernelOptions {
  /** Trajectories the caller already has (e.g. from `readTdump`), matched to episodes by receptor and start time. */
  trajectories?: TrajectorySet;
  /** A wind field: `attribute` back-traces ensembles itself (src/wind `traceEnsemble`). */
  wind?: WindField;
  /** Receptor coordinates by station id (lower case), needed with `wind`: `{ '35t': [98.97, 18.84] }` or a Stations table. */
  receptors?: Record<string, readonly [number, number]> | Stations;
  /**
   * Ensemble settings for `wind` (src/wind `EnsembleOptions` without `hours`); default HYSPLIT's 9-member offset
   * ensemble reading the wind `offsetDeg` = 1° away (see {@link ATTRIBUTE_DEFAULTS}).
   */
  ensemble?: Omit<EnsembleOptions, 'hours'>;
  /** Hours between back-trajectory starts through an episode (from its start, before its exclusive end), default 1. */
  startStepHours?: number;
  /** Ranked sources kept per episode, default 100 (shares always use all). */
  maxSources?: number;
  /** Quantiles of the per-member shares reported as the band, default [0.1, 0.9]. */
  band?: [number, number];
  /** Classic baseline: radius km (default 50) and trajectory hours (default 72). */
  baseline?: { radiusKm?: number; hours?: number };
  /** Region counted as domestic for the cross-border share (e.g. `'THA'`). */
  domesticRegion?: string;
}

/** A share with its ensemble band. */
export interface BandedShare {
  share: number;
  /** Band quantiles of the per-member shares (default 10 % and 90 %). */
  low: number;
  high: number;
  min: number;
  max: number;
}

/** Evidence behind a source's score. */
export interface SourceEvidence {
  /** Closest approach of any trajectory point (age ≤ hours) to the source, km. */
  closestKm: number;
  /** Age of that point, hours. */
  ageAtClosestHours: number;
  /** Ensemble members that gave it a non-zero score. */
  members: number;
}

/** One ranked source in an episode. */
export interface RankedSource {
  id: string;
  kind: SourceKind;
  category: string;
  region: string;
  score: number;
  share: number;
  /** Representative position (the source itself, or an area's first representative point). */
  lng: number;
  lat: number;
  time: number;
  evidence: SourceEvidence;
}

/** The classic baseline: hotspots within R km of the back-trajectory within H hours. */
export interface BaselineResult {
  radiusKm: number;
  hours: number;
  count: number;
  byCategory: Record<string, number>;
  byRegion: Record<string, number>;
  sharesByCategory: Record<string, number>;
  sharesByRegion: Record<string, number>;
}

/** Attribution of one episode. */
export interface EpisodeAttribution {
  episode: Episode;
  receptor: readonly [number, number] | null;
  /** Trajectories used and distinct ensemble members. */
  trajectoryCount: number;
  members: number;
  totalScore: number;
  /** Sources with a non-zero score. */
  sourceCount: number;
  sources: RankedSource[];
  sharesByCategory: Record<string, BandedShare>;
  sharesByRegion: Record<string, BandedShare>;
  /** Shares by further region levels (e.g. province). */
  sharesByRegionLevel: Record<string, Record<string, BandedShare>>;
  /** Share outside `domesticRegion` when given. */
  crossBorder?: BandedShare;
  baseline: BaselineResult;
  /** The trajectories used (for GeoJSON output). */
  trajectories: TrajectorySet;
  warnings: string[];
}

/** Result of {@link attribute}. */
export interface AttributionResult {
  episodes: EpisodeAttribution[];
  /** Scale used per category. */
  scales: Record<string, number>;
  settings: Required<Pick<KernelOptions, 'hours' | 'sigma0Km' | 'sigmaKmPerHour' | 'cutoffSigmas' | 'timeSigmaHours' | 'timeCutoffSigmas' | 'detectionWindow' | 'kernelShape'>>;
  warnings: string[];
  toJSON(): object;
}

// ---------------------------------------------------------------------------------------------------------

interface Kernel {
  /** Detection-window spec (resolved per layer in {@link prepare}). */
  window: 'revisit' | readonly [number, number];
  hours: number;
  sigma0: number;
  rate: number;
  cut: number;
  tau: number;
  tcut: number;
  /** 1 / lifetime, h⁻¹ (0: no loss). */
  loss: number;
  brute: boolean;
  /** 0 Gaussian, 1 Cauchy, 2 exponential. */
  shape: 0 | 1 | 2;
}

/** ln K_space / (2πσ²)-normalised radial factor for squared distance d2 and 1/(2σ²) `inv` (see {@link KernelShape}). */
function logSpace(shape: 0 | 1 | 2, d2: number, inv: number): number {
  if (shape === 0) return -d2 * inv;
  if (shape === 1) return -1.5 * Math.log1p(2 * d2 * inv);
  return -Math.sqrt(2 * d2 * inv);
}

const D = ATTRIBUTE_DEFAULTS;

/** 1 / lifetime; Infinity (no loss) → 0. */
function lossRate(lifetime: number): number {
  return lifetime === Infinity ? 0 : 1 / checkPositive('options.lifetimeHours', lifetime);
}

function resolveKernel(o: KernelOptions): Kernel {
  const method = o.method ?? 'index';
  if (method !== 'index' && method !== 'brute') throw argError('options.method', method, "'index' or 'brute'");
  const w = o.detectionWindow ?? D.detectionWindow;
  let window: Kernel['window'];
  if (w === 'revisit') window = w;
  else if (typeof w === 'number') window = [checkPositive('options.detectionWindow', w, true), w];
  else if (Array.isArray(w) && w.length === 2) window = [checkPositive('options.detectionWindow[0]', w[0], true), checkPositive('options.detectionWindow[1]', w[1], true)];
  else throw argError('options.detectionWindow', w, "'revisit', hours ≥ 0, or [before, after] hours");
  return {
    window,
    hours: checkPositive('options.hours', o.hours ?? D.hours),
    sigma0: checkPositive('options.sigma0Km', o.sigma0Km ?? D.sigma0Km),
    rate: checkPositive('options.sigmaKmPerHour', o.sigmaKmPerHour ?? D.sigmaKmPerHour, true),
    cut: checkPositive('options.cutoffSigmas', o.cutoffSigmas ?? D.cutoffSigmas),
    tau: checkPositive('options.timeSigmaHours', o.timeSigmaHours ?? D.timeSigmaHours),
    tcut: checkPositive('options.timeCutoffSigmas', o.timeCutoffSigmas ?? D.timeCutoffSigmas),
    loss: lossRate(o.lifetimeHours ?? D.lifetimeHours),
    brute: method === 'brute',
    shape: shapeCode(o.kernelShape ?? D.kernelShape),
  };
}

const SHAPES: readonly KernelShape[] = ['gaussian', 'cauchy', 'exponential'];

function shapeCode(s: KernelShape): 0 | 1 | 2 {
  if (s === 'gaussian') return 0;
  if (s === 'cauchy') return 1;
  if (s === 'exponential') return 2;
  throw argError('options.kernelShape', s, "'gaussian', 'cauchy' or 'exponential'");
}

/**
 * Detection windows from the satellite revisit schedule. A polar-orbiter hotspot is a snapshot: the fire it sees
 * burns on between overpasses, and fires that start after one overpass and die before the next are never seen
 * (Giglio 2007 on MODIS diurnal sampling; GFAS/GFED spread each day's detected FRP over a diurnal cycle for the
 * same reason). So a detection stands for fire activity from half-way back to the previous overpass to half-way
 * on to the next one — a Voronoi cell in time of day. The overpasses are read from the detections themselves:
 * their UTC times of day in quarter-hour bins, clustered where consecutive occupied bins are ≤ 1.5 h apart (a
 * MODIS/VIIRS overpass drifts by tens of minutes from day to day). With one cluster around the whole clock
 * (e.g. a geostationary sensor) there is no revisit gap and the windows are 0. Physical prior only: nothing here
 * is fitted to a truth.
 */
function revisitWindows(time: Float64Array, isDetection: (i: number) => boolean): { before: Float64Array; after: Float64Array } {
  const n = time.length;
  const before = new Float64Array(n);
  const after = new Float64Array(n);
  const BINS = 96;
  const todH = (t: number): number => ((((t % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
  const present = new Uint8Array(BINS);
  for (let i = 0; i < n; i++) if (isDetection(i) && Number.isFinite(time[i])) present[Math.floor(todH(time[i] as number) * 4) % BINS] = 1;
  const P: number[] = [];
  for (let b = 0; b < BINS; b++) if (present[b]) P.push(b);
  if (P.length === 0) return { before, after };
  const MERGE = 6; // bins (1.5 h)
  // Cluster starts: occupied bins whose circular gap to the previous occupied bin exceeds MERGE.
  const startsAt: number[] = [];
  for (let j = 0; j < P.length; j++) {
    const prev = P[(j - 1 + P.length) % P.length] as number;
    const gap = ((P[j] as number) - prev + BINS) % BINS || BINS;
    if (gap > MERGE) startsAt.push(j);
  }
  if (startsAt.length === 0) return { before, after };
  // Per occupied bin: its cluster's index; per cluster: first and last bin (hours, bin edges).
  const clusterOfBin = new Int32Array(BINS).fill(-1);
  const first: number[] = [];
  const last: number[] = [];
  for (let c = 0; c < startsAt.length; c++) {
    const j0 = startsAt[c] as number;
    const j1 = (startsAt[(c + 1) % startsAt.length] as number);
    first.push((P[j0] as number) / 4);
    let j = j0;
    do {
      clusterOfBin[P[j] as number] = c;
      last[c] = ((P[j] as number) + 1) / 4;
      j = (j + 1) % P.length;
    } while (j !== j1);
  }
  const C = startsAt.length;
  for (let i = 0; i < n; i++) {
    if (!isDetection(i) || !Number.isFinite(time[i])) continue;
    const x = todH(time[i] as number);
    const c = clusterOfBin[Math.floor(x * 4) % BINS] as number;
    const prevEnd = last[(c - 1 + C) % C] as number;
    const nextStart = first[(c + 1) % C] as number;
    before[i] = ((((x - prevEnd) % 24) + 24) % 24 / 2) * HOUR_MS;
    after[i] = ((((nextStart - x) % 24) + 24) % 24 / 2) * HOUR_MS;
  }
  return { before, after };
}

function checkLayer(s: SourceLayer): void {
  if (!s || typeof s.length !== 'number' || !(s.lng instanceof Float64Array) || !(s.weight instanceof Float64Array) || !Array.isArray(s.id)) {
    throw argError('sources', s, 'a SourceLayer (hotspotSources / areaSources / facilitySources / reportSources / mergeSources)');
  }
}

/**
 * Integer codes for a string column. Cached per column array (source layers are treated as immutable once built,
 * like a finished kdbush): hashing a million id strings costs more than scoring a hundred episodes.
 */
const encodeCache = new WeakMap<string[], { length: number; codes: Int32Array; names: string[] }>();
function encode(values: string[]): { codes: Int32Array; names: string[] } {
  const hit = encodeCache.get(values);
  if (hit && hit.length === values.length) return { codes: hit.codes, names: hit.names };
  const res = encodeUncached(values);
  encodeCache.set(values, { length: values.length, ...res });
  return res;
}
function encodeUncached(values: string[]): { codes: Int32Array; names: string[] } {
  const map = new Map<string, number>();
  const codes = new Int32Array(values.length);
  const names: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as string;
    let c = map.get(v);
    if (c === undefined) {
      c = names.length;
      map.set(v, c);
      names.push(v);
    }
    codes[i] = c;
  }
  return { codes, names };
}

/** Precomputed, per-layer state shared by all episodes of one call. */
interface Prepared {
  layer: SourceLayer;
  effW: Float64Array;
  group: { codes: Int32Array; names: string[] };
  /** First row of each group (representative). */
  groupRow: Int32Array;
  /** Dimensions for shares: category, region, then region levels. */
  dims: { name: string; codes: Int32Array; names: string[] }[];
  index: SourceIndex | null;
  hotspotIndex: SourceIndex | null;
  scales: Record<string, number>;
  /** Detection window per row, ms before / after the source time (null: none), and the largest extent. */
  winBefore: Float64Array | null;
  winAfter: Float64Array | null;
  winMaxMs: number;
}

/**
 * Prepared state per layer, reused by later calls with the same kernel time settings, method and scales (source
 * layers are treated as immutable once built). Repeated calls — the CLI per station, the twin experiment per
 * scenario, a benchmark in chunks — then build the space–time index once.
 */
const prepareCache = new WeakMap<SourceLayer, Map<string, Prepared>>();

function prepare(layer: SourceLayer, k: Kernel, scalesOpt: Record<string, number> | undefined): Prepared {
  checkLayer(layer);
  const key = JSON.stringify([layer.length, k.tau, k.tcut, k.brute, k.window, scalesOpt ?? null]);
  let perLayer = prepareCache.get(layer);
  if (!perLayer) prepareCache.set(layer, (perLayer = new Map()));
  const hit = perLayer.get(key);
  if (hit) return hit;
  const prep = prepareUncached(layer, k, scalesOpt);
  // A few settings per layer at most (e.g. indexed and brute force, or a handful of tuned kernels).
  if (perLayer.size >= 4) perLayer.delete(perLayer.keys().next().value as string);
  perLayer.set(key, prep);
  return prep;
}

function prepareUncached(layer: SourceLayer, k: Kernel, scalesOpt: Record<string, number> | undefined): Prepared {
  const scales: Record<string, number> = {};
  const effW = new Float64Array(layer.length);
  for (let i = 0; i < layer.length; i++) {
    const cat = layer.category[i] as string;
    const kind = layer.kinds[i] as SourceKind;
    let s = scales[cat];
    if (s === undefined) {
      s = scalesOpt?.[cat] ?? scalesOpt?.[kind] ?? defaultScale(cat, kind);
      checkPositive(`options.scales.${cat}`, s, true);
      scales[cat] = s;
    }
    const w = layer.weight[i] as number;
    effW[i] = Number.isFinite(w) && w > 0 ? w * s : 0;
  }
  const group = encode(layer.id);
  const groupRow = new Int32Array(group.names.length).fill(-1);
  for (let i = 0; i < layer.length; i++) if ((groupRow[group.codes[i] as number] as number) < 0) groupRow[group.codes[i] as number] = i;
  const dims = [
    { name: 'category', ...encode(layer.category) },
    { name: 'region', ...encode(layer.region) },
    ...Object.entries(layer.regions).map(([name, v]) => ({ name, ...encode(v) })),
  ];
  // Bins of min(12 h, 3τ): a ±3τ window (±9 h at the default τ = 3 h) then reads 2–3 bins, at most one bin of
  // hotspots more than it needs.
  const index = k.brute ? null : new SourceIndex(layer.lng, layer.lat, layer.time, effW, (i) => (effW[i] as number) > 0, Math.min(12, k.tau * k.tcut));
  // The baseline counts every hotspot (whatever its weight); the kernel index serves when it holds them all.
  const isHotspot = (i: number): boolean => layer.kinds[i] === 'hotspot' && Number.isFinite(layer.time[i]);
  let allIndexed = index !== null;
  for (let i = 0; i < layer.length && allIndexed; i++) if (isHotspot(i) && !((effW[i] as number) > 0)) allIndexed = false;
  const hotspotIndex = allIndexed ? index : new SourceIndex(layer.lng, layer.lat, layer.time, effW, isHotspot, 24);
  let winBefore: Float64Array | null = null;
  let winAfter: Float64Array | null = null;
  let winMaxMs = 0;
  if (k.window === 'revisit') {
    const r = revisitWindows(layer.time, (i) => layer.kinds[i] === 'hotspot');
    winBefore = r.before;
    winAfter = r.after;
  } else if (k.window[0] > 0 || k.window[1] > 0) {
    winBefore = new Float64Array(layer.length).fill(k.window[0] * HOUR_MS);
    winAfter = new Float64Array(layer.length).fill(k.window[1] * HOUR_MS);
  }
  if (winBefore && winAfter) for (let i = 0; i < layer.length; i++) winMaxMs = Math.max(winMaxMs, winBefore[i] as number, winAfter[i] as number);
  return { layer, effW, group, groupRow, dims, index, hotspotIndex, scales, winBefore, winAfter, winMaxMs };
}

function bandOf(values: number[], q: [number, number]): { low: number; high: number; min: number; max: number } {
  if (values.length === 0) return { low: NaN, high: NaN, min: NaN, max: NaN };
  const s = [...values].sort((a, b) => a - b);
  return { low: quantileSorted7(s, q[0]), high: quantileSorted7(s, q[1]), min: s[0] as number, max: s[s.length - 1] as number };
}

/**
 * Scratch buffers reused across episodes. The hot loop only records, per touched layer row, its score per
 * ensemble member and its closest approach; {@link reduceRows} then folds rows into sources (by id) and into the
 * per-member category/region sums once per episode, which keeps the per-contribution work to a few array writes.
 */
class Scratch {
  // Per layer row (allocated once).
  readonly rowStamp: Int32Array;
  readonly rowLocal: Int32Array;
  // Per touched row (grown on demand): local index → row, member scores, closest approach.
  touchedRows: Int32Array;
  memberScore: Float64Array;
  rowMinD2: Float64Array;
  rowAge: Float64Array;
  nRows = 0;
  nMembers = 1;
  epoch = 0;
  // Per source group (allocated once), filled by reduceRows.
  readonly total: Float64Array;
  readonly minD2: Float64Array;
  readonly ageAtMin: Float64Array;
  readonly memberCount: Int32Array;
  readonly groupStamp: Int32Array;
  readonly touched: Int32Array;
  groupBits = new Uint8Array(0);
  nTouched = 0;
  constructor(nGroups: number, nLayerRows: number) {
    this.rowStamp = new Int32Array(nLayerRows);
    this.rowLocal = new Int32Array(nLayerRows);
    this.touchedRows = new Int32Array(1024);
    this.memberScore = new Float64Array(1024);
    this.rowMinD2 = new Float64Array(1024);
    this.rowAge = new Float64Array(1024);
    this.total = new Float64Array(nGroups);
    this.minD2 = new Float64Array(nGroups);
    this.ageAtMin = new Float64Array(nGroups);
    this.memberCount = new Int32Array(nGroups);
    this.groupStamp = new Int32Array(nGroups);
    this.touched = new Int32Array(nGroups);
  }
  /** Start an episode with `members` member slots. */
  begin(members: number): void {
    this.epoch++;
    this.nRows = 0;
    this.nTouched = 0;
    this.nMembers = Math.max(1, members);
    if (this.memberScore.length < this.touchedRows.length * this.nMembers) this.memberScore = new Float64Array(this.touchedRows.length * this.nMembers);
  }
  /** Local index of layer row s, registering it on first touch. */
  local(s: number): number {
    if (this.rowStamp[s] === this.epoch) return this.rowLocal[s] as number;
    const L = this.nRows++;
    if (L >= this.touchedRows.length) this.grow();
    this.rowStamp[s] = this.epoch;
    this.rowLocal[s] = L;
    this.touchedRows[L] = s;
    this.memberScore.fill(0, L * this.nMembers, (L + 1) * this.nMembers);
    this.rowMinD2[L] = Infinity;
    this.rowAge[L] = NaN;
    return L;
  }
  private grow(): void {
    const cap = this.touchedRows.length * 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.touchedRows = grow(this.touchedRows, cap);
    this.rowMinD2 = grow(this.rowMinD2, cap);
    this.rowAge = grow(this.rowAge, cap);
    this.memberScore = grow(this.memberScore, cap * this.nMembers);
  }
}

/**
 * Fold the touched rows of one episode into sources (group by id: total over members, closest approach, members
 * that reached it) and into per-member sums by each share dimension (`memberDims[d][slot · size_d + code]`).
 */
function reduceRows(prep: Prepared, scratch: Scratch, memberDims: Float64Array[]): void {
  const gcodes = prep.group.codes;
  const nM = scratch.nMembers;
  const dimCodes = prep.dims.map((d) => d.codes);
  const dimSizes = prep.dims.map((d) => d.names.length);
  const { total, minD2, ageAtMin, memberCount, groupStamp, touched, memberScore, rowMinD2, rowAge, touchedRows } = scratch;
  const epoch = scratch.epoch;
  // Members that reached a group: one byte per group and member, cleared on the group's first touch.
  if (scratch.groupBits.length < scratch.total.length * nM) scratch.groupBits = new Uint8Array(scratch.total.length * nM);
  const bits = scratch.groupBits;
  for (let L = 0; L < scratch.nRows; L++) {
    const s = touchedRows[L] as number;
    const g = gcodes[s] as number;
    if (groupStamp[g] !== epoch) {
      groupStamp[g] = epoch;
      touched[scratch.nTouched++] = g;
      total[g] = 0;
      minD2[g] = Infinity;
      ageAtMin[g] = NaN;
      memberCount[g] = 0;
      bits.fill(0, g * nM, (g + 1) * nM);
    }
    if ((rowMinD2[L] as number) < (minD2[g] as number)) {
      minD2[g] = rowMinD2[L] as number;
      ageAtMin[g] = rowAge[L] as number;
    }
    for (let m = 0; m < nM; m++) {
      const v = memberScore[L * nM + m] as number;
      if (!(v > 0)) continue;
      total[g] = (total[g] as number) + v;
      if (bits[g * nM + m] === 0) {
        bits[g * nM + m] = 1;
        memberCount[g] = (memberCount[g] as number) + 1;
      }
      for (let d = 0; d < dimCodes.length; d++) {
        const arr = memberDims[d] as Float64Array;
        const idx = m * (dimSizes[d] as number) + ((dimCodes[d] as Int32Array)[s] as number);
        arr[idx] = (arr[idx] as number) + v;
      }
    }
  }
}

/**
 * Last start time (inclusive) an episode uses: `Episode.end` is exclusive, so starts lie in [start, end); an instant
 * episode (end ≤ start) uses its start alone.
 */
function lastStart(ep: Episode): number {
  return ep.end > ep.start ? ep.end - 1 : ep.start;
}

/** Pick the trajectories of `set` that belong to an episode: same receptor (case-insensitive) and start inside [start, end). */
function trajectoriesFor(set: TrajectorySet, byReceptor: Map<string, number[]>, ep: Episode, singleEpisode: boolean): number[] {
  const list = byReceptor.get(ep.station.toLowerCase()) ?? (singleEpisode && byReceptor.size === 1 && byReceptor.has('') ? byReceptor.get('') : undefined) ?? [];
  // list is sorted by start time: binary search the window.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((set.startTime[list[mid] as number] as number) < ep.start) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let i = lo; i < list.length; i++) {
    const j = list[i] as number;
    if ((set.startTime[j] as number) > lastStart(ep)) break;
    out.push(j);
  }
  return out;
}

/**
 * Copy selected trajectories (by index) into a new TrajectorySet.
 *
 * @example
 * ```ts
 * import { subsetTrajectories } from 'hazetrace/attribution';
 * import { traceEnsemble, uniformWind } from 'hazetrace/wind';
 * const set = traceEnsemble(uniformWind({ speed: 4, directionFrom: 300 }), { lng: 99, lat: 18.8, time: 0 }, { hours: 24 });
 * subsetTrajectories(set, [0, 1]).length; // 2
 * ```
 */
export function subsetTrajectories(set: TrajectorySet, which: number[]): TrajectorySet {
  let n = 0;
  for (const j of which) n += (set.offsets[j + 1] as number) - (set.offsets[j] as number);
  const out: TrajectorySet = {
    length: which.length,
    offsets: new Uint32Array(which.length + 1),
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    time: new Float64Array(n),
    ageHours: new Float64Array(n),
    receptor: [],
    member: new Int32Array(which.length),
    startTime: new Float64Array(which.length),
    stopReason: [],
  };
  let o = 0;
  which.forEach((j, i) => {
    const a = set.offsets[j] as number;
    const b = set.offsets[j + 1] as number;
    out.lng.set(set.lng.subarray(a, b), o);
    out.lat.set(set.lat.subarray(a, b), o);
    out.time.set(set.time.subarray(a, b), o);
    out.ageHours.set(set.ageHours.subarray(a, b), o);
    o += b - a;
    out.offsets[i + 1] = o;
    out.receptor.push(set.receptor[j] ?? '');
    out.member[i] = set.member[j] as number;
    out.startTime[i] = set.startTime[j] as number;
    out.stopReason.push(set.stopReason[j] ?? 'completed');
  });
  return out;
}

function receptorOf(receptors: AttributeOptions['receptors'], station: string): readonly [number, number] | null {
  if (!receptors) return null;
  const id = station.toLowerCase();
  if ('id' in receptors && Array.isArray((receptors as Stations).id) && (receptors as Stations).lng instanceof Float64Array) {
    const st = receptors as Stations;
    const i = st.id.findIndex((s) => s.toLowerCase() === id);
    if (i < 0 || !Number.isFinite(st.lng[i]) || !Number.isFinite(st.lat[i])) return null;
    return [st.lng[i] as number, st.lat[i] as number];
  }
  const r = receptors as Record<string, readonly [number, number]>;
  return r[station] ?? r[id] ?? r[station.toUpperCase()] ?? null;
}

/** Distance (km) from P to segment AB in a local equirectangular frame around P; also the fraction along AB of the closest point. */
function segmentDistKm(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const c = Math.cos((py * Math.PI) / 180) * KM_PER_DEG;
  const x1 = (ax - px) * c;
  const y1 = (ay - py) * KM_PER_DEG;
  const x2 = (bx - px) * c;
  const y2 = (by - py) * KM_PER_DEG;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const L2 = dx * dx + dy * dy;
  let f = L2 > 0 ? -(x1 * dx + y1 * dy) / L2 : 0;
  if (f < 0) f = 0;
  else if (f > 1) f = 1;
  return Math.hypot(x1 + f * dx, y1 + f * dy);
}

/**
 * Score every source against a set of trajectories (the core loop, shared by {@link attribute} and
 * {@link categoryExposures}).
 *
 * The members of one ensemble start together and stay close, so their points of the same index are handled
 * together: one box query (the union of the members' discs) per point index and time bin, then every hit is
 * tested against each member's point. That cuts the index queries by the ensemble size and keeps each hit's
 * columns in cache while the members are scored.
 */
function scoreTrajectories(
  prep: Prepared,
  k: Kernel,
  set: TrajectorySet,
  trajIdx: number[],
  scratch: Scratch,
  memberDims: Float64Array[],
  memberSlot: (j: number) => number,
  nMembers: number,
): void {
  scoreRows(prep, k, set, trajIdx, scratch, memberSlot, nMembers);
  reduceRows(prep, scratch, memberDims);
}

/** The hot loop: kernel contributions per touched layer row and member. */
function scoreRows(prep: Prepared, k: Kernel, set: TrajectorySet, trajIdx: number[], scratch: Scratch, memberSlot: (j: number) => number, nMembers: number): void {
  const { layer, effW } = prep;
  const tauMs = k.tau * HOUR_MS;
  const tcutMs = k.tau * k.tcut * HOUR_MS;
  const inv2tau2 = 1 / (2 * tauMs * tauMs);
  const { winBefore, winAfter } = prep;
  // Time offset beyond the detection window (u = air passage − source time), ms.
  const excess = (s: number, u: number): number => {
    if (!winBefore || !winAfter) return u;
    if (u > 0) return Math.max(0, u - (winAfter[s] as number));
    return Math.min(0, u + (winBefore[s] as number));
  };
  const tReach = tcutMs + prep.winMaxMs;
  scratch.begin(nMembers);
  const nM = scratch.nMembers;
  // Add one contribution c of layer row s (squared distance d2, point age `age`, member slot `slot`).
  const add = (s: number, c: number, d2: number, age: number, slot: number): void => {
    const L = scratch.local(s);
    const i = L * nM + slot;
    scratch.memberScore[i] = (scratch.memberScore[i] as number) + c;
    if (d2 < (scratch.rowMinD2[L] as number)) {
      scratch.rowMinD2[L] = d2;
      scratch.rowAge[L] = age;
    }
  };
  // Per point index: the members' points (struct of arrays, reused).
  const cap = Math.max(1, trajIdx.length);
  const Px = new Float64Array(cap);
  const Py = new Float64Array(cap);
  const Pt = new Float64Array(cap);
  const Pcos = new Float64Array(cap);
  const Pr2 = new Float64Array(cap);
  const Pinv = new Float64Array(cap);
  const Pscale = new Float64Array(cap);
  const Page = new Float64Array(cap);
  const Pslot = new Int32Array(cap);
  let m = 0;
  // Kernel over the hits of one box query in one bin against the m current member points.
  const shape = k.shape;
  const scanBin = (bin: SourceBin, ids: number[]): void => {
    const blng = bin.lng;
    const blat = bin.lat;
    const btime = bin.time;
    const bw = bin.weight;
    const steady = bin.steady;
    for (let q = 0; q < ids.length; q++) {
      const kk = ids[q] as number;
      const sx = blng[kk] as number;
      const sy = blat[kk] as number;
      const st = btime[kk] as number;
      for (let i = 0; i < m; i++) {
        const d2 = localDist2Km(Px[i] as number, Py[i] as number, sx, sy, Pcos[i] as number);
        if (d2 > (Pr2[i] as number)) continue;
        let e = logSpace(shape, d2, Pinv[i] as number);
        if (!steady) {
          const dt = excess(bin.rows[kk] as number, (Pt[i] as number) - st);
          if (dt > tcutMs || dt < -tcutMs) continue;
          e -= dt * dt * inv2tau2; // K_space × K_time in one exponential
        }
        const c = (bw[kk] as number) * (Pscale[i] as number) * Math.exp(e);
        if (c > 0) add(bin.rows[kk] as number, c, d2, Page[i] as number, Pslot[i] as number);
      }
    }
  };
  // Ensembles: trajectories sharing a start time.
  const starts = new Map<number, number[]>();
  for (const j of trajIdx) {
    const t = set.startTime[j] as number;
    let arr = starts.get(t);
    if (!arr) starts.set(t, (arr = []));
    arr.push(j);
  }
  const index = prep.index;
  for (const ens of starts.values()) {
    let maxLen = 0;
    for (const j of ens) maxLen = Math.max(maxLen, (set.offsets[j + 1] as number) - (set.offsets[j] as number));
    for (let q = 0; q < maxLen; q++) {
      m = 0;
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      let tLo = Infinity;
      let tHi = -Infinity;
      for (const j of ens) {
        const a = set.offsets[j] as number;
        const b = set.offsets[j + 1] as number;
        const p = a + q;
        if (p >= b) continue;
        const age = Math.abs(set.ageHours[p] as number);
        if (!(age <= k.hours)) continue;
        const px = set.lng[p] as number;
        const py = set.lat[p] as number;
        const pt = set.time[p] as number;
        if (!Number.isFinite(px) || !Number.isFinite(py) || !Number.isFinite(pt)) continue;
        const tPrev = p > a ? (set.time[p - 1] as number) : pt;
        const tNext = p + 1 < b && Math.abs(set.ageHours[p + 1] as number) <= k.hours ? (set.time[p + 1] as number) : pt;
        const dtH = Math.abs(tNext - tPrev) / 2 / HOUR_MS;
        if (!(dtH > 0)) continue;
        const sigma = Math.max(k.sigma0, k.rate * age);
        const sigma2 = sigma * sigma;
        const r = k.cut * sigma;
        Px[m] = px;
        Py[m] = py;
        Pt[m] = pt;
        Pcos[m] = Math.cos((py * Math.PI) / 180);
        Pr2[m] = r * r;
        Pinv[m] = 1 / (2 * sigma2);
        // K_space normalisation 1/(2πσ²) and the residence time Δt folded into one factor.
        Pscale[m] = (dtH / (2 * Math.PI * sigma2)) * (k.loss > 0 ? Math.exp(-age * k.loss) : 1);
        Page[m] = age;
        Pslot[m] = memberSlot(j);
        m++;
        if (index) {
          const bx = SourceIndex.box(px, py, r);
          if (bx[0] < x0) x0 = bx[0];
          if (bx[1] < y0) y0 = bx[1];
          if (bx[2] > x1) x1 = bx[2];
          if (bx[3] > y1) y1 = bx[3];
          if (pt < tLo) tLo = pt;
          if (pt > tHi) tHi = pt;
        }
      }
      if (m === 0) continue;
      if (index) {
        if (index.steady) scanBin(index.steady, index.steady.tree.range(x0, y0, x1, y1));
        const [b0, b1] = index.binRange(tLo - tReach, tHi + tReach);
        for (let bi = b0; bi <= b1; bi++) {
          const bin = index.bins[bi] as SourceBin;
          if (bin.rows.length) scanBin(bin, bin.tree.range(x0, y0, x1, y1));
        }
      } else {
        // Brute force: every source for every point, same kernel (the benchmark's baseline and the tests' oracle).
        for (let i = 0; i < m; i++) {
          const px = Px[i] as number;
          const py = Py[i] as number;
          const pt = Pt[i] as number;
          const cosLat = Pcos[i] as number;
          const r2 = Pr2[i] as number;
          for (let s = 0; s < layer.length; s++) {
            const w = effW[s] as number;
            if (!(w > 0)) continue;
            const d2 = localDist2Km(px, py, layer.lng[s] as number, layer.lat[s] as number, cosLat);
            if (d2 > r2) continue;
            const ts = layer.time[s] as number;
            let e = logSpace(shape, d2, Pinv[i] as number);
            if (ts === ts) {
              const dt = excess(s, pt - ts);
              if (dt > tcutMs || dt < -tcutMs) continue;
              e -= dt * dt * inv2tau2;
            }
            const c = w * (Pscale[i] as number) * Math.exp(e);
            if (c > 0) add(s, c, d2, Page[i] as number, Pslot[i] as number);
          }
        }
      }
    }
  }
}

function classicBaseline(prep: Prepared, set: TrajectorySet, trajIdx: number[], ep: Episode, radiusKm: number, hours: number, seen: Int32Array, stampVal: number): BaselineResult {
  const { layer } = prep;
  const byCategory: Record<string, number> = {};
  const byRegion: Record<string, number> = {};
  let count = 0;
  const tMin = ep.start - hours * HOUR_MS;
  const tMax = ep.end;
  let ax = 0;
  let ay = 0;
  let bx = 0;
  let by = 0;
  const visit = (bin: SourceBin, kk: number): void => {
    const s = bin.rows[kk] as number;
    if (seen[s] === stampVal || layer.kinds[s] !== 'hotspot') return;
    const ts = layer.time[s] as number;
    if (ts < tMin || ts > tMax) return;
    if (segmentDistKm(layer.lng[s] as number, layer.lat[s] as number, ax, ay, bx, by) > radiusKm) return;
    seen[s] = stampVal;
    count++;
    const c = layer.category[s] as string;
    const r = layer.region[s] as string;
    byCategory[c] = (byCategory[c] ?? 0) + 1;
    byRegion[r] = (byRegion[r] ?? 0) + 1;
  };
  for (const j of trajIdx) {
    const a = set.offsets[j] as number;
    const b = set.offsets[j + 1] as number;
    for (let p = a; p < b; p++) {
      const ageA = Math.abs(set.ageHours[p] as number);
      if (!(ageA <= hours)) break;
      ax = set.lng[p] as number;
      ay = set.lat[p] as number;
      if (p + 1 < b && Math.abs(set.ageHours[p + 1] as number) > ageA) {
        const ageB = Math.abs(set.ageHours[p + 1] as number);
        // Truncate the last segment at exactly `hours` of age.
        const f = ageB > hours ? (hours - ageA) / (ageB - ageA) : 1;
        bx = ax + f * ((set.lng[p + 1] as number) - ax);
        by = ay + f * ((set.lat[p + 1] as number) - ay);
      } else {
        bx = ax;
        by = ay;
      }
      if (!Number.isFinite(ax) || !Number.isFinite(ay) || !Number.isFinite(bx) || !Number.isFinite(by)) continue;
      const mx = (ax + bx) / 2;
      const my = (ay + by) / 2;
      const half = Math.hypot((bx - ax) * Math.cos((my * Math.PI) / 180), by - ay) * KM_PER_DEG / 2;
      prep.hotspotIndex?.query(mx, my, radiusKm + half + 1e-6, tMin, tMax, visit);
    }
  }
  const shares = (rec: Record<string, number>): Record<string, number> => {
    const o: Record<string, number> = {};
    for (const [key, v] of Object.entries(rec)) o[key] = count > 0 ? v / count : 0;
    return o;
  };
  return { radiusKm, hours, count, byCategory, byRegion, sharesByCategory: shares(byCategory), sharesByRegion: shares(byRegion) };
}

function traceForEpisodes(episodes: Episode[], options: AttributeOptions, k: Kernel, warnings: string[]): TrajectorySet {
  const wind = options.wind as WindField;
  const step = checkPositive('options.startStepHours', options.startStepHours ?? D.startStepHours) * HOUR_MS;
  const ens = options.ensemble ?? {};
  // The 1° offset default applies to the offset ensemble only (random-walk members have no offset).
  const ensemble = (ens.members ?? 'offset') === 'offset' && ens.offsetDeg === undefined ? { ...ens, offsetDeg: D.offsetDeg } : ens;
  const sets: TrajectorySet[] = [];
  for (const ep of episodes) {
    const rc = receptorOf(options.receptors, ep.station);
    if (!rc) {
      warnings.push(`${ep.id}: no coordinates for receptor "${ep.station}" in options.receptors; episode skipped`);
      continue;
    }
    for (let t = ep.start; t <= lastStart(ep); t += step) {
      try {
        sets.push(traceEnsemble(wind, { lng: rc[0], lat: rc[1], time: t, receptor: ep.station.toLowerCase() }, { ...ensemble, hours: k.hours, direction: 'back' }));
      } catch (e) {
        if (e instanceof HazetraceError && e.code === 'E_DOMAIN') warnings.push(`${ep.id}: start ${toIsoUtc(t)} outside the wind field (${e.message})`);
        else throw e;
      }
    }
  }
  return concatTrajectorySets(sets);
}

/**
 * Attribute each episode to sources: ranked sources with evidence, shares by category and region with ensemble
 * bands, and the classic baseline (hotspots within 50 km of the back-trajectory within 72 h) beside it.
 * Give either `trajectories` (e.g. from `readTdump`) or `wind` + `receptors` (ensembles are traced here: starts every
 * `startStepHours` from the episode start up to, not including, its exclusive end — an instant episode with
 * end = start gets one start —, each a `traceEnsemble` of `hours` back). Defaults: {@link ATTRIBUTE_DEFAULTS}.
 * Source layers are treated as immutable once built: the space–time index over a layer is cached and reused by
 * later calls with the same time kernel, method and scales.
 *
 * @example
 * ```ts
 * import { attribute, reportSources } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22, 6);
 * const episode = { id: 'e1', station: '35t', start: t0, end: t0, peakTime: t0, peakValue: 80, meanValue: 80, samples: 1, threshold: 37.5 };
 * const sources = reportSources({ lng: [98.8], lat: [19.2], time: [t0 - 12 * 3_600_000] });
 * const r = attribute([episode], sources, { wind: uniformWind({ speed: 3, directionFrom: 330 }), receptors: { '35t': [98.97, 18.84] } });
 * r.episodes[0]?.sharesByCategory.report?.share; // 1
 * ```
 */
export function attribute(episodes: Episode | Episode[], sources: SourceLayer, options: AttributeOptions = {}): AttributionResult {
  const eps = Array.isArray(episodes) ? episodes : [episodes];
  for (const [i, e] of eps.entries()) {
    if (!e || typeof e.station !== 'string' || !Number.isFinite(e.start) || !Number.isFinite(e.end)) throw argError(`episodes[${i}]`, e, 'an Episode { station, start, end, ... }');
  }
  const k = resolveKernel(options);
  const warnings: string[] = [];
  if (!options.trajectories && !options.wind) throw argError('options', options, 'an object with trajectories (a TrajectorySet) or wind (a WindField) and receptors');
  const set = options.trajectories ?? traceForEpisodes(eps, options, k, warnings);
  const prep = prepare(sources, k, options.scales);
  const maxSources = options.maxSources ?? 100;
  const bandQ = options.band ?? [0.1, 0.9];
  const baseR = checkPositive('options.baseline.radiusKm', options.baseline?.radiusKm ?? 50);
  const baseH = checkPositive('options.baseline.hours', options.baseline?.hours ?? 72);
  const byReceptor = new Map<string, number[]>();
  for (let j = 0; j < set.length; j++) {
    const r = (set.receptor[j] ?? '').toLowerCase();
    let arr = byReceptor.get(r);
    if (!arr) byReceptor.set(r, (arr = []));
    arr.push(j);
  }
  for (const arr of byReceptor.values()) arr.sort((a, b) => (set.startTime[a] as number) - (set.startTime[b] as number));
  const scratch = new Scratch(prep.group.names.length, sources.length);
  const seen = new Int32Array(sources.length);
  const out: EpisodeAttribution[] = [];
  eps.forEach((ep, ei) => {
    const epWarn: string[] = [];
    const idx = trajectoriesFor(set, byReceptor, ep, eps.length === 1);
    if (idx.length === 0) epWarn.push(`${ep.id}: no trajectories for receptor "${ep.station}" starting in ${toIsoUtc(ep.start)}..${toIsoUtc(ep.end)}`);
    idx.sort((a, b) => (set.member[a] as number) - (set.member[b] as number) || a - b);
    const memberIds = [...new Set(idx.map((j) => set.member[j] as number))];
    const slotOf = new Map(memberIds.map((m, i) => [m, i]));
    const nM = memberIds.length;
    const memberDims = prep.dims.map((d) => new Float64Array(Math.max(1, nM) * d.names.length));
    scoreTrajectories(prep, k, set, idx, scratch, memberDims, (j) => slotOf.get(set.member[j] as number) as number, nM);
    let total = 0;
    const touched = Array.from(scratch.touched.subarray(0, scratch.nTouched));
    for (const g of touched) total += (scratch.total[g] as number) / Math.max(1, nM);
    touched.sort((a, b) => (scratch.total[b] as number) - (scratch.total[a] as number) || a - b);
    const ranked: RankedSource[] = touched.slice(0, maxSources).map((g) => {
      const row = prep.groupRow[g] as number;
      const score = (scratch.total[g] as number) / Math.max(1, nM);
      return {
        id: prep.group.names[g] as string,
        kind: sources.kinds[row] as SourceKind,
        category: sources.category[row] as string,
        region: sources.region[row] as string,
        score,
        share: total > 0 ? score / total : 0,
        lng: sources.lng[row] as number,
        lat: sources.lat[row] as number,
        time: sources.time[row] as number,
        evidence: { closestKm: Math.sqrt(scratch.minD2[g] as number), ageAtClosestHours: scratch.ageAtMin[g] as number, members: scratch.memberCount[g] as number },
      };
    });
    const dimShares = prep.dims.map((d, di) => {
      const arr = memberDims[di] as Float64Array;
      const nV = d.names.length;
      const memberTotals = new Float64Array(nM);
      for (let m = 0; m < nM; m++) for (let v = 0; v < nV; v++) memberTotals[m] = (memberTotals[m] as number) + (arr[m * nV + v] as number);
      let grand = 0;
      for (let i = 0; i < arr.length; i++) grand += arr[i] as number;
      const res: Record<string, BandedShare> = {};
      for (let v = 0; v < nV; v++) {
        let s = 0;
        const per: number[] = [];
        for (let m = 0; m < nM; m++) {
          s += arr[m * nV + v] as number;
          if ((memberTotals[m] as number) > 0) per.push((arr[m * nV + v] as number) / (memberTotals[m] as number));
        }
        if (s > 0) res[d.names[v] as string] = { share: s / grand, ...bandOf(per, bandQ) };
      }
      return { res, arr, nV, memberTotals, grand };
    });
    let crossBorder: BandedShare | undefined;
    if (options.domesticRegion !== undefined) {
      const rd = prep.dims[1] as { names: string[] };
      const dom = rd.names.indexOf(options.domesticRegion);
      const info = dimShares[1] as { arr: Float64Array; nV: number; memberTotals: Float64Array; grand: number };
      let domTotal = 0;
      const per: number[] = [];
      for (let m = 0; m < nM; m++) {
        const dm = dom >= 0 ? (info.arr[m * info.nV + dom] as number) : 0;
        domTotal += dm;
        if ((info.memberTotals[m] as number) > 0) per.push(1 - dm / (info.memberTotals[m] as number));
      }
      if (info.grand > 0) crossBorder = { share: 1 - domTotal / info.grand, ...bandOf(per, bandQ) };
    }
    const levels: Record<string, Record<string, BandedShare>> = {};
    prep.dims.slice(2).forEach((d, i) => (levels[d.name] = (dimShares[i + 2] as { res: Record<string, BandedShare> }).res));
    const base = classicBaseline(prep, set, idx, ep, baseR, baseH, seen, ei + 1);
    const receptor = receptorOf(options.receptors, ep.station) ?? (idx.length ? ([set.lng[set.offsets[idx[0] as number] as number] as number, set.lat[set.offsets[idx[0] as number] as number] as number] as const) : null);
    out.push({
      episode: ep,
      receptor,
      trajectoryCount: idx.length,
      members: nM,
      totalScore: total,
      sourceCount: touched.length,
      sources: ranked,
      sharesByCategory: (dimShares[0] as { res: Record<string, BandedShare> }).res,
      sharesByRegion: (dimShares[1] as { res: Record<string, BandedShare> }).res,
      sharesByRegionLevel: levels,
      ...(crossBorder ? { crossBorder } : {}),
      baseline: base,
      trajectories: subsetTrajectories(set, idx),
      warnings: epWarn,
    });
    warnings.push(...epWarn);
  });
  const settings = { hours: k.hours, sigma0Km: k.sigma0, sigmaKmPerHour: k.rate, cutoffSigmas: k.cut, timeSigmaHours: k.tau, timeCutoffSigmas: k.tcut, detectionWindow: k.window, kernelShape: SHAPES[k.shape] as KernelShape };
  return {
    episodes: out,
    scales: prep.scales,
    settings,
    warnings,
    toJSON: () => ({ settings, scales: prep.scales, warnings, episodes: out.map(episodeJson) }),
    // Deno/Jupyter rich display: one line per episode with its top categories and the baseline beside them.
    [Symbol.for('Jupyter.display')]() {
      const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
      const lines = out.map((e) => {
        const cats = Object.entries(e.sharesByCategory)
          .sort((a, b) => b[1].share - a[1].share)
          .slice(0, 4)
          .map(([c, b]) => `${c} ${pct(b.share)} [${pct(b.low)}–${pct(b.high)}]`)
          .join(', ');
        return `${e.episode.id}: ${e.sourceCount} sources; ${cats || 'no source reached'}; baseline ${e.baseline.count} hotspots`;
      });
      return { 'text/plain': `AttributionResult: ${out.length} episode(s)\n${lines.join('\n')}${warnings.length ? `\nwarnings: ${warnings.join(' | ')}` : ''}` };
    },
  };
}

const iso = (t: number): string | null => (Number.isFinite(t) ? toIsoUtc(t) : null);
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
function bandJson(rec: Record<string, BandedShare>): Record<string, object> {
  const o: Record<string, object> = {};
  for (const [k, b] of Object.entries(rec)) o[k] = { share: b.share, low: num(b.low), high: num(b.high), min: num(b.min), max: num(b.max) };
  return o;
}

function episodeJson(e: EpisodeAttribution): object {
  const levels: Record<string, object> = {};
  for (const [k, v] of Object.entries(e.sharesByRegionLevel)) levels[k] = bandJson(v);
  return {
    episode: { ...e.episode, start: iso(e.episode.start), end: iso(e.episode.end), peakTime: iso(e.episode.peakTime) },
    receptor: e.receptor,
    trajectoryCount: e.trajectoryCount,
    members: e.members,
    totalScore: e.totalScore,
    sourceCount: e.sourceCount,
    sources: e.sources.map((s) => ({
      ...s,
      time: iso(s.time),
      evidence: { closestKm: num(s.evidence.closestKm), ageAtClosestHours: num(s.evidence.ageAtClosestHours), members: s.evidence.members },
    })),
    sharesByCategory: bandJson(e.sharesByCategory),
    sharesByRegion: bandJson(e.sharesByRegion),
    sharesByRegionLevel: levels,
    ...(e.crossBorder ? { crossBorder: bandJson({ x: e.crossBorder })['x'] } : {}),
    baseline: e.baseline,
    warnings: e.warnings,
  };
}

/**
 * The ranked sources of one episode as GeoJSON (areas with their outline when known, others as points), with
 * `share`, `score`, `category`, `region` and the evidence as properties.
 *
 * @example
 * ```ts
 * import { attribute, reportSources, sourcesToGeoJson } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22, 6);
 * const episode = { id: 'e1', station: '35t', start: t0, end: t0, peakTime: t0, peakValue: 80, meanValue: 80, samples: 1, threshold: 37.5 };
 * const sources = reportSources({ lng: [98.8], lat: [18.9], time: [t0 - 6 * 3_600_000] });
 * const result = attribute([episode], sources, { wind: uniformWind({ speed: 3, directionFrom: 270 }), receptors: { '35t': [98.97, 18.84] } });
 * sourcesToGeoJson(result, 0, sources).features[0]?.properties?.share; // 1
 * ```
 */
export function sourcesToGeoJson(result: AttributionResult, episodeIndex = 0, layer?: SourceLayer): FeatureCollection {
  const e = result.episodes[episodeIndex];
  if (!e) throw argError('episodeIndex', episodeIndex, `an index in 0..${result.episodes.length - 1}`);
  const features: Feature[] = e.sources.map((s, rank) => {
    const geometry: Geometry = layer?.geometries[s.id] ?? { type: 'Point', coordinates: [s.lng, s.lat] };
    return {
      type: 'Feature',
      geometry,
      properties: {
        rank: rank + 1,
        id: s.id,
        kind: s.kind,
        category: s.category,
        region: s.region,
        share: s.share,
        score: s.score,
        time: iso(s.time),
        closest_km: num(s.evidence.closestKm),
        age_at_closest_h: num(s.evidence.ageAtClosestHours),
        members: s.evidence.members,
        episode: e.episode.id,
      },
    };
  });
  return { type: 'FeatureCollection', features };
}

/**
 * The back-trajectories of one episode as GeoJSON LineStrings (src/wind's `trajectoriesToGeoJson`, split at the
 * antimeridian), each feature also carrying the episode id.
 *
 * @example
 * ```ts
 * import { attribute, reportSources, trajectoriesGeoJson } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22, 6);
 * const episode = { id: 'e1', station: '35t', start: t0, end: t0, peakTime: t0, peakValue: 80, meanValue: 80, samples: 1, threshold: 37.5 };
 * const sources = reportSources({ lng: [98.8], lat: [18.9], time: [t0 - 6 * 3_600_000] });
 * const result = attribute([episode], sources, { wind: uniformWind({ speed: 3, directionFrom: 270 }), receptors: { '35t': [98.97, 18.84] } });
 * trajectoriesGeoJson(result, 0).features.length; // 9: one LineString per member (one start)
 * ```
 */
export function trajectoriesGeoJson(result: AttributionResult, episodeIndex = 0): ReturnType<typeof trajectoriesToGeoJson> {
  const e = result.episodes[episodeIndex];
  if (!e) throw argError('episodeIndex', episodeIndex, `an index in 0..${result.episodes.length - 1}`);
  const fc = trajectoriesToGeoJson(e.trajectories);
  for (const f of fc.features) f.properties['episode'] = e.episode.id;
  return fc;
}

// ---------------------------------------------------------------------------------------------------------
// Exposures for calibration / regression

/** Per-start exposures by category, from {@link categoryExposures}. */
export interface CategoryExposures {
  /** Receptor per row (one row per receptor and start time). */
  receptor: string[];
  /** Start time per row, UTC ms. */
  time: Float64Array;
  categories: string[];
  /** Kernel sum (mean over members) per category, with the given scales (default: all 1 = raw weights). */
  exposure: Record<string, Float64Array>;
}

/**
 * Trajectory-weighted exposure per category for every (receptor, start time) in a TrajectorySet — the predictors of
 * {@link calibrateScales} and {@link apportion}. Uses the same kernel as {@link attribute}; scales default to 1 so
 * the exposures are in raw weight units.
 *
 * @example
 * ```ts
 * import { categoryExposures, reportSources } from 'hazetrace/attribution';
 * import { traceEnsemble, uniformWind } from 'hazetrace/wind';
 * const set = traceEnsemble(uniformWind({ speed: 3, directionFrom: 270 }), { lng: 99, lat: 18.8, time: 0, receptor: '35t' }, { hours: 24 });
 * const X = categoryExposures(set, reportSources({ lng: [98.8], lat: [18.8], time: [-6 * 3_600_000] }));
 * X.exposure.report?.[0]; // > 0: the air passed over the report
 * ```
 */
export function categoryExposures(trajectories: TrajectorySet, sources: SourceLayer, options: KernelOptions = {}): CategoryExposures {
  const k = resolveKernel(options);
  const scales: Record<string, number> = {};
  for (const c of new Set(sources.category)) scales[c] = options.scales?.[c] ?? 1;
  const prep = prepare(sources, k, scales);
  const keyOf = (j: number): string => `${(trajectories.receptor[j] ?? '').toLowerCase()}\u0000${trajectories.startTime[j] as number}`;
  const groups = new Map<string, number[]>();
  for (let j = 0; j < trajectories.length; j++) {
    const key = keyOf(j);
    let arr = groups.get(key);
    if (!arr) groups.set(key, (arr = []));
    arr.push(j);
  }
  const cats = prep.dims[0] as { names: string[] };
  const n = groups.size;
  const exposure: Record<string, Float64Array> = {};
  for (const c of cats.names) exposure[c] = new Float64Array(n);
  const receptor: string[] = [];
  const time = new Float64Array(n);
  const scratch = new Scratch(prep.group.names.length, sources.length);
  let row = 0;
  for (const idx of groups.values()) {
    idx.sort((a, b) => (trajectories.member[a] as number) - (trajectories.member[b] as number));
    const members = [...new Set(idx.map((j) => trajectories.member[j] as number))];
    const slotOf = new Map(members.map((m, i) => [m, i]));
    const memberDims = prep.dims.map((d) => new Float64Array(members.length * d.names.length));
    scoreTrajectories(prep, k, trajectories, idx, scratch, memberDims, (j) => slotOf.get(trajectories.member[j] as number) as number, members.length);
    const arr = memberDims[0] as Float64Array;
    const nV = cats.names.length;
    for (let v = 0; v < nV; v++) {
      let s = 0;
      for (let m = 0; m < members.length; m++) s += arr[m * nV + v] as number;
      (exposure[cats.names[v] as string] as Float64Array)[row] = s / members.length;
    }
    const j0 = idx[0] as number;
    receptor.push((trajectories.receptor[j0] ?? '').toLowerCase());
    time[row] = trajectories.startTime[j0] as number;
    row++;
  }
  return { receptor, time, categories: cats.names, exposure };
}

