/**
 * Contact weights: per back-trajectory point, the chance that the air there is in contact with smoke emitted at the
 * surface below it, and the fraction of that smoke which survives rain on the way to the receptor.
 *
 *   w_p = m_p × exp(−Λ · R_p)
 *
 * - m_p, the mixed-layer term: 1 when the point is at or below the mixing height (`mixedLayer` = 1); above it
 *   (`mixedLayer` = 0) exp(−(z_p − h_p)/`aboveScaleM`) with z the point's height and h the mixing height, both m above
 *   ground (the entrainment zone at the top of a convective boundary layer is ~0.2–0.4 h thick, Stull 1988 §11, so smoke
 *   fades out over a few hundred metres rather than at a wall); `aboveScaleM` 0 makes it a step (0 above). Unknown
 *   (`mixedLayer` = 255, no mixing height in the meteorology) → 1, counted in `unknownPoints`.
 * - R_p, the rain the air met between point 0 and point p, mm: the trapezoid sum of the precipitation rate sampled at
 *   the points (mm/h) times the time between them (h). For a back-trajectory point 0 is the receptor and smoke picked
 *   up at point p travelled p → 0; for a forward one smoke released at 0 reached p: either way the path is 0..p.
 * - Λ (`scavengingPerMm`), wet removal per mm of rain, default 0.3 mm⁻¹: HYSPLIT's in-cloud removal of particles,
 *   β = S·P/Δz with the scavenging ratio S = 3.2 × 10⁵ (the HYSPLIT User's Guide default for particles; Draxler & Hess
 *   1998, NOAA Tech. Memo. ERL ARL-224 §5.3), gives, through a Δz = 1 km rain layer, β·Δt = S·(P·Δt)/Δz = 0.32 per mm
 *   of rain. 0 turns rain-out off.
 */
import { HOUR_MS, type TrajectorySet } from '../core/index.js';
import { checkOneOf, checkOptions, checkTrajectorySet } from '../core/check.js';
import { argError, checkPositive } from '../core/errors.js';

/** Contact weighting of trajectory points in attribution: `'mixed-layer'` (weights of {@link contactWeights}) or `'none'`. */
export type ContactWeighting = 'mixed-layer' | 'none';

/**
 * Defaults of {@link contactWeights} (frozen): `aboveScaleM` 300 m, `scavengingPerMm` 0.3 per mm of rain. Evidence in
 * the file header of src/attribution/contact.ts and docs/attribution.md ("Mixed-layer and rain-out weighting").
 *
 * @example
 * ```ts
 * import { CONTACT_DEFAULTS } from 'hazetrace/attribution';
 * CONTACT_DEFAULTS.scavengingPerMm; // 0.3
 * ```
 */
export const CONTACT_DEFAULTS = Object.freeze({ aboveScaleM: 300, scavengingPerMm: 0.3 });

/** Options of {@link contactWeights}. */
export interface ContactOptions {
  /** e-folding depth of the weight above the mixing height, m. Default 300; 0 = weight 0 anywhere above it. */
  aboveScaleM?: number;
  /** Wet removal per mm of rain met on the way, mm⁻¹ (Λ). Default 0.3; 0 = no rain-out. */
  scavengingPerMm?: number;
}

/**
 * The 3-D columns contact weighting reads (a `TrajectorySet3D` from src/wind/trace3d.ts has them all):
 * `heightAgl` (m), `mixedLayer` (1 inside, 0 above, 255 unknown) and, when sampled, `met.mixingHeight` (m above
 * ground) and `met.precipitation` (mm/h).
 */
export interface ContactTrajectories extends TrajectorySet {
  heightAgl: ArrayLike<number>;
  mixedLayer: ArrayLike<number>;
  met?: Record<string, ArrayLike<number>>;
}

/** Output of {@link contactWeights}. */
export interface ContactWeights {
  /** Weight per point (index as the set's point columns), in [0, 1]. */
  weight: Float64Array;
  /** Points without a mixing height (`mixedLayer` 255), weighted 1. */
  unknownPoints: number;
  /** Points above the mixing height. */
  abovePoints: number;
  /** Points whose path from point 0 met rain (> 0 mm). */
  rainedPoints: number;
  /** Mean weight over all points (NaN for an empty set). */
  meanWeight: number;
  /** Which inputs were missing and how that was handled. */
  notes: string[];
}

/**
 * True when `set` carries the per-point 3-D columns contact weighting needs (`heightAgl` and `mixedLayer` as long as
 * the point columns), as a `TrajectorySet3D` does; false for a 2-D TrajectorySet.
 *
 * @example
 * ```ts
 * import { hasContactColumns } from 'hazetrace/attribution';
 * import { traceEnsemble, uniformWind } from 'hazetrace/wind';
 * hasContactColumns(traceEnsemble(uniformWind({ speed: 3, directionFrom: 270 }), { lng: 99, lat: 18.8, time: 0 }, { hours: 6 })); // false
 * ```
 */
export function hasContactColumns(set: TrajectorySet): set is ContactTrajectories {
  if (set === null || typeof set !== 'object' || !set.offsets) return false;
  const s = set as Partial<ContactTrajectories>;
  const n = set.offsets[set.length] ?? 0;
  return s.heightAgl != null && s.mixedLayer != null && s.heightAgl.length >= n && s.mixedLayer.length >= n;
}

/**
 * Per-point contact weights of a 3-D trajectory set: mixed-layer term × rain-out since point 0 (formula, defaults
 * and references in the header of src/attribution/contact.ts). Throws `E_ARG` when the set lacks `heightAgl` /
 * `mixedLayer` (a 2-D set) or an option is out of range.
 *
 * @example
 * ```ts
 * import { contactWeights } from 'hazetrace/attribution';
 * // One back-trajectory, 3 hourly points: inside, at 600 m over a 300 m mixed layer, unknown; 2 mm/h of rain at the end.
 * const set = { length: 1, offsets: Uint32Array.of(0, 3), lng: new Float64Array(3), lat: new Float64Array(3),
 *   time: Float64Array.of(0, -3_600_000, -7_200_000), ageHours: Float64Array.of(0, 1, 2), receptor: [''], member: Int32Array.of(0),
 *   startTime: Float64Array.of(0), stopReason: ['completed'], heightAgl: Float64Array.of(500, 600, 500),
 *   mixedLayer: Uint8Array.of(1, 0, 255), met: { mixingHeight: Float64Array.of(800, 300, NaN), precipitation: Float64Array.of(0, 0, 2) } };
 * const w = contactWeights(set, { aboveScaleM: 300, scavengingPerMm: 0.3 }).weight;
 * // [1, exp(-1) ≈ 0.368, exp(-0.3 · 1 mm) ≈ 0.741]
 * ```
 */
export function contactWeights(set: TrajectorySet, options: ContactOptions = {}): ContactWeights {
  checkTrajectorySet('set', set);
  checkOptions('options', options);
  if (!hasContactColumns(set)) throw argError('set', set, 'a 3-D trajectory set with heightAgl and mixedLayer per point (traceTrajectories3d)');
  const scale = checkPositive('options.aboveScaleM', options.aboveScaleM ?? CONTACT_DEFAULTS.aboveScaleM, true);
  const lambda = checkPositive('options.scavengingPerMm', options.scavengingPerMm ?? CONTACT_DEFAULTS.scavengingPerMm, true);
  const n = set.offsets[set.length] ?? 0;
  const weight = new Float64Array(n);
  const z = set.heightAgl, flag = set.mixedLayer;
  const h = set.met?.['mixingHeight'];
  const rain = set.met?.['precipitation'];
  const notes: string[] = [];
  let unknownPoints = 0, abovePoints = 0, rainedPoints = 0, noDepth = 0, noRain = 0, sum = 0;
  if (lambda > 0 && rain === undefined) notes.push('no precipitation sampled along the trajectories (sample: [\'precipitation\']): no rain-out applied');
  for (let j = 0; j < set.length; j++) {
    const a = set.offsets[j] as number, b = set.offsets[j + 1] as number;
    let mm = 0;
    for (let p = a; p < b; p++) {
      if (rain !== undefined && lambda > 0 && p > a) {
        const r0 = rain[p - 1] as number, r1 = rain[p] as number;
        const dtH = Math.abs((set.time[p] as number) - (set.time[p - 1] as number)) / HOUR_MS;
        if (!Number.isFinite(r1)) noRain++;
        const seg = 0.5 * ((Number.isFinite(r0) && r0 > 0 ? r0 : 0) + (Number.isFinite(r1) && r1 > 0 ? r1 : 0)) * (Number.isFinite(dtH) ? dtH : 0);
        mm += seg;
      }
      let m = 1;
      const f = flag[p] as number;
      if (f === 0) {
        abovePoints++;
        const hp = h?.[p] as number | undefined;
        const zp = z[p] as number;
        if (scale > 0 && hp !== undefined && Number.isFinite(hp) && Number.isFinite(zp)) m = Math.exp(-Math.max(0, zp - hp) / scale);
        else {
          m = 0;
          if (scale > 0) noDepth++;
        }
      } else if (f !== 1) unknownPoints++;
      if (mm > 0) rainedPoints++;
      const w = lambda > 0 && mm > 0 ? m * Math.exp(-lambda * mm) : m;
      weight[p] = w;
      sum += w;
    }
  }
  if (noDepth > 0) notes.push(`${noDepth} point(s) above the mixed layer without a sampled mixingHeight (sample: ['mixingHeight']): weighted 0`);
  if (noRain > 0) notes.push(`${noRain} point(s) without a precipitation value: counted as no rain`);
  if (unknownPoints > 0) notes.push(`${unknownPoints} point(s) with no mixing height in the meteorology (mixedLayer 255): weighted 1`);
  return { weight, unknownPoints, abovePoints, rainedPoints, meanWeight: n > 0 ? sum / n : NaN, notes };
}

/** What contact weighting an attribution used (on `AttributionResult.contact`). */
export interface ContactProvenance {
  /** The weighting applied: `'mixed-layer'` only when asked for AND the trajectories were 3-D. */
  weighting: ContactWeighting;
  /** What was asked for (`options.contact`, default `'none'`). */
  requested: ContactWeighting;
  /** Why the applied weighting is what it is. */
  reason: string;
  /** Settings used (when applied). */
  aboveScaleM?: number;
  scavengingPerMm?: number;
  /** Mean point weight and counts from {@link contactWeights} (when applied). */
  meanWeight?: number;
  abovePoints?: number;
  unknownPoints?: number;
  rainedPoints?: number;
  notes?: string[];
}

/**
 * Resolve an attribution's `contact` option against its trajectories: the per-point weights to apply (null = none)
 * and the provenance for the result. `'mixed-layer'` on a 2-D set applies nothing and says so.
 *
 * @example
 * ```ts
 * import { resolveContact } from 'hazetrace/attribution';
 * import { traceEnsemble, uniformWind } from 'hazetrace/wind';
 * const set = traceEnsemble(uniformWind({ speed: 3, directionFrom: 270 }), { lng: 99, lat: 18.8, time: 0 }, { hours: 6 });
 * resolveContact(set, 'mixed-layer').provenance.weighting; // 'none' (2-D trajectories)
 * ```
 */
export function resolveContact(
  set: TrajectorySet,
  mode: ContactWeighting | undefined,
  options: ContactOptions = {},
): { weights: Float64Array | null; provenance: ContactProvenance } {
  const requested = checkOneOf('options.contact', mode ?? 'none', ['mixed-layer', 'none']) as ContactWeighting;
  if (requested === 'none') return { weights: null, provenance: { weighting: 'none', requested, reason: 'contact weighting not requested (options.contact \'none\', the default)' } };
  if (!hasContactColumns(set)) {
    return { weights: null, provenance: { weighting: 'none', requested, reason: '2-D trajectories (no heightAgl / mixedLayer per point): no mixed-layer or rain-out weighting applied' } };
  }
  const cw = contactWeights(set, options);
  return {
    weights: cw.weight,
    provenance: {
      weighting: 'mixed-layer', requested, reason: '3-D trajectories: each point weighted by its mixed-layer contact and the rain-out since point 0',
      aboveScaleM: options.aboveScaleM ?? CONTACT_DEFAULTS.aboveScaleM, scavengingPerMm: options.scavengingPerMm ?? CONTACT_DEFAULTS.scavengingPerMm,
      meanWeight: cw.meanWeight, abovePoints: cw.abovePoints, unknownPoints: cw.unknownPoints, rainedPoints: cw.rainedPoints, notes: cw.notes,
    },
  };
}
