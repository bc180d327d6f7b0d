/**
 * Defaults and kernel settings of {@link attribute}: the default category scales, {@link ATTRIBUTE_DEFAULTS}, the
 * kernel options and their validation into the internal {@link Kernel} the scoring loop reads. Why each default has
 * its value (the twin-experiment numbers) is in docs/attribution.md, "Tuning evidence for the defaults".
 */
import { argError, checkPositive, type SourceKind } from '../core/index.js';
import { checkString } from '../core/check.js';

/**
 * Default scale per category, putting kinds on one scale until calibrated: relative PM2.5 emission per unit of
 * weight. Fires (weight FRP, MW): 1 — FRP converts to dry matter burnt at ≈ 0.37 kg/MJ (Wooster et al. 2005),
 * ≈ 9 g PM2.5 per kg (Andreae 2019) → ≈ 3 g/s per MW FRP. Facilities (weight capacity MW × fuel factor): 0.01 — a
 * coal unit with particulate control emits ≈ 0.1 g PM2.5 per kWh → ≈ 0.03 g/s per MW, two orders below a fire per
 * MW. Citizen reports (weight 1 per report ≈ one small fire): 1 (a report weighs like a 1 MW hotspot). Areas
 * (weight unitless, e.g. burn frequency or a user weight): 0.1. These are order-of-magnitude defaults;
 * {@link calibrateScales} replaces them from data (see docs/attribution.md).
 *
 * @example
 * ```ts
 * import { defaultScale } from 'hazetrace/attribution';
 * defaultScale('fire_repeat_burn', 'hotspot'); // 1
 * defaultScale('facility', 'facility'); // 0.01
 * ```
 */
export function defaultScale(category: string, kind: SourceKind): number {
  checkString('category', category);
  if (category.startsWith('fire_') || kind === 'hotspot') return 1;
  if (kind === 'facility') return 0.01;
  if (kind === 'report') return 1;
  return 0.1;
}

/**
 * Defaults of {@link attribute}'s kernel and trajectory settings (frozen). Chosen on twin experiments with a known
 * truth (`npm run bench:skill`); the evidence for each value is in docs/attribution.md, "Tuning evidence for the
 * defaults".
 *
 * - `hours` 72: back-trajectory length and largest point age used, hours.
 * - `sigma0Km` 10: floor of the kernel scale σ, km.
 * - `sigmaKmPerHour` 2.5: growth of σ with point age, km/h (σ = max(σ0, rate × age)).
 * - `cutoffSigmas` 3: spatial cut, in σ.
 * - `timeSigmaHours` 3: width τ of the time kernel, hours.
 * - `timeCutoffSigmas` 3: time cut, in τ.
 * - `lifetimeHours` 72: first-order PM2.5 loss lifetime along the trajectory, hours.
 * - `detectionWindow` 0: no plateau on the time kernel (plain Gaussian); `'revisit'` or hours turn one on.
 * - `kernelShape` `'cauchy'`: radial shape of the spatial kernel (see {@link KernelShape}).
 * - `startStepHours` 1: hours between back-trajectory starts through an episode.
 * - `offsetDeg` 1: offset of the 9-member offset ensemble, degrees (only when `attribute` traces it).
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

/** Kernel and trajectory settings (defaults in {@link ATTRIBUTE_DEFAULTS}). */
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
   * detection times (overpasses found by clustering the detections' times of day); a number is a symmetric
   * half-width in hours, a pair is `[before, after]` hours; 0 is the plain Gaussian. Default in
   * {@link ATTRIBUTE_DEFAULTS}.
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

/** Validated kernel settings, in the units the scoring loop uses (internal; not exported from the package). */
export interface Kernel {
  /** Detection-window spec: `'revisit'` (resolved per layer when the layer is prepared) or [before, after] hours. */
  window: 'revisit' | readonly [number, number];
  /** Largest point age used, hours. */
  hours: number;
  /** σ floor, km. */
  sigma0: number;
  /** σ growth, km/h. */
  rate: number;
  /** Spatial cut, in σ. */
  cut: number;
  /** Time-kernel width τ, hours. */
  tau: number;
  /** Time cut, in τ. */
  tcut: number;
  /** 1 / lifetime, h⁻¹ (0: no loss). */
  loss: number;
  /** Brute-force scan instead of the index. */
  brute: boolean;
  /** 0 Gaussian, 1 Cauchy, 2 exponential. */
  shape: 0 | 1 | 2;
}

/** Kernel shapes by their {@link Kernel.shape} code. */
export const KERNEL_SHAPES: readonly KernelShape[] = Object.freeze(['gaussian', 'cauchy', 'exponential'] as const);

/**
 * ln of the radial factor of K_space (without its 1/(2πσ²) normalisation) for squared distance `d2` (km²) and
 * `inv` = 1/(2σ²) (km⁻²), for the shape code of {@link Kernel.shape} (see {@link KernelShape}).
 */
export function logSpace(shape: 0 | 1 | 2, d2: number, inv: number): number {
  if (shape === 0) return -d2 * inv;
  if (shape === 1) return -1.5 * Math.log1p(2 * d2 * inv);
  return -Math.sqrt(2 * d2 * inv);
}

/** 1 / lifetime; Infinity (no loss) → 0. */
function lossRate(lifetime: number): number {
  return lifetime === Infinity ? 0 : 1 / checkPositive('options.lifetimeHours', lifetime);
}

function shapeCode(s: KernelShape): 0 | 1 | 2 {
  const i = KERNEL_SHAPES.indexOf(s);
  if (i < 0) throw argError('options.kernelShape', s, "'gaussian', 'cauchy' or 'exponential'");
  return i as 0 | 1 | 2;
}

/** Validate kernel options (throwing `HazetraceError` E_ARG on bad values) and fill in {@link ATTRIBUTE_DEFAULTS}. */
export function resolveKernel(o: KernelOptions): Kernel {
  const D = ATTRIBUTE_DEFAULTS;
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
