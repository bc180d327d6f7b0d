/**
 * 3-D trajectories (docs/wind-3d.md) on a {@link WindField3D}, after HYSPLIT (Draxler & Hess 1998; HYSPLIT
 * user's guide, "Trajectory model", "Vertical motion"): the 2-D scheme of trace.ts (Heun predictor–corrector
 * or RK4, steps landing on output times, motion on the sphere) with a vertical coordinate that moves with the
 * data's vertical velocity (`data`), stays on its pressure surface (`isobaric`) or stays at a constant height
 * above ground (`agl`). The ground reflects, the top level stops.
 */
import { HazetraceError, argError, checkPositive } from '../core/errors.js';
import { wrapLng } from '../core/geodesy.js';
import { HOUR_MS } from '../core/time.js';
import type { StopReason } from '../core/types.js';
import { isWindField3D, PressureLevelWindField, SAMPLE3D_LENGTH, WIND_ABOVE_TOP } from './field3d.js';
import type { WindField3D } from './field3d.js';
import { remapToHeightAgl, frameRange } from './remap3d.js';
import type { RemappedWind } from './remap3d.js';
import { autoStepMinutes, checkStarts, HYSPLIT_TRATIO, POLAR_LIMIT_DEG, resolvePlan, startColumns, TrajectorySetBuilder } from './trace.js';
import type { Plan, TraceOptions, TraceStart, TrajectorySetResult } from './trace.js';

/** HYSPLIT's vertical-motion options this tracer implements: model vertical velocity, isobaric, constant height above ground. */
export type VerticalMotion = 'data' | 'isobaric' | 'agl';

/** Options of {@link traceTrajectories3d}. */
export interface Trace3DOptions extends TraceOptions {
  /** Vertical motion. Default `data` when the field has omega, else `agl` (the result says which). */
  vertical?: VerticalMotion;
  /** Start height above ground, m. Default 500 (a start's `heightAgl` overrides). */
  startHeightM?: number;
  /** Met fields to record per point: 'mixingHeight', 'precipitation', 'surfacePressure' or any extra field name. */
  sample?: string[];
  /**
   * What the ground does to a parcel of `data` mode that would end a step below it: `reflect` (default: mirrored
   * above the ground by as much as it would have gone below, as HYSPLIT's dispersion particles) or `surface`
   * (put on the ground and carried on along it, as HYSPLIT's trajectory model does).
   */
  ground?: 'reflect' | 'surface';
  /**
   * `agl` with Heun steps on a pressure-level field only: trace on the wind remapped once onto each start's height
   * above ground at every node and frame (HYSPLIT's vertical-first remap, src/wind/remap3d.ts), so each step reads
   * a 2-D field. Faster only on the JavaScript stepper (`kernel: 'js'`: ≈ 1.2 × on a first call, ≈ 1.4 × when the
   * remap is reused, on bench:trace3d; with the default WebAssembly stepper the exact path is as fast); positions
   * differ from the default (exact) path by the interpolation order: on the measured cases 10–100 × the scheme's own
   * step error, well under a grid step (docs/wind-3d.md "Speed"). The remap is built in the call (over the frames
   * the trace needs) and kept on the field for the next call (the last 4 heights). Default false.
   */
  remap?: boolean;
}

/** A start of a 3-D trajectory. */
export interface TraceStart3D extends TraceStart {
  /** Start height above ground, m (default: the options' `startHeightM`). */
  heightAgl?: number;
}

/** What {@link traceTrajectories3d} returns: a TrajectorySet plus per-point vertical columns. */
export interface TrajectorySet3D extends TrajectorySetResult {
  /** Height above ground, m, per point. */
  heightAgl: Float64Array;
  /** Pressure, Pa, per point (NaN when the field cannot say). */
  pressure: Float64Array;
  /** Ground height, m AMSL, per point. */
  terrain: Float64Array;
  /** 1 = at or below the mixing height, 0 = above, 255 = unknown (no mixing height). */
  mixedLayer: Uint8Array;
  /** Each requested `sample` field, per point (NaN where not available). */
  met: Record<string, Float64Array>;
  /** The vertical motion used. */
  vertical: VerticalMotion;
}

/** Vertical coordinate q: height AMSL (data), height above ground (agl), pressure (isobaric): PressureLevelWindField.windAt's vmode. */
const MODE_DATA = 0;
const MODE_AGL = 1;
const MODE_ISOBARIC = 2;

/**
 * The default step of a 3-D trace: HYSPLIT's horizontal rule ({@link autoStepMinutes}) and, with vertical
 * motion from the data, the vertical one: the fastest |w| may cross at most TRATIO (0.75) of the thinnest
 * layer between two levels per step (HYSPLIT user's guide, "Computational time step"; Draxler & Hess 1998).
 * Clamped to 1–60 minutes.
 *
 * @example
 * ```ts
 * import { autoStepMinutes3d, pressureLevelWind } from 'hazetrace/wind';
 * const n = 2 * 2 * 2;
 * const f = pressureLevelWind({ west: 98, south: 18, dLng: 0.25, dLat: 0.25, nx: 2, ny: 2, times: [0], levels: [100000, 92500],
 *   u: new Float64Array(n).fill(10), v: new Float64Array(n), omega: new Float64Array(n).fill(-10) });
 * autoStepMinutes3d(f, 'data'); // ≈ 9.1 min: |w| ≈ 0.9 m/s across 0.75 of the 651 m layer, shorter than the horizontal 34.8 min
 * ```
 */
export function autoStepMinutes3d(field: WindField3D, vertical?: VerticalMotion): number {
  if (!isWindField3D(field)) throw argError('field', field, 'a 3-D wind field (see pressureLevelWind)');
  vertical ??= field.hasVerticalMotion ? 'data' : 'agl';
  const h = autoStepMinutes(field);
  if (vertical !== 'data' || !(field.maxVerticalSpeed > 0) || !(field.minLayerThicknessM > 0)) return h;
  const v = (HYSPLIT_TRATIO * field.minLayerThicknessM) / field.maxVerticalSpeed / 60;
  return Math.min(h, Math.min(60, Math.max(1, v)));
}

/** Growing per-point 3-D columns beside the builder's PointBuffer. */
class Columns3D {
  heightAgl: Float64Array;
  pressure: Float64Array;
  terrain: Float64Array;
  mixed: Uint8Array;
  met: Float64Array[];
  constructor(capacity: number, nMet: number) {
    const c = Math.max(16, capacity);
    this.heightAgl = new Float64Array(c);
    this.pressure = new Float64Array(c);
    this.terrain = new Float64Array(c);
    this.mixed = new Uint8Array(c);
    this.met = Array.from({ length: nMet }, () => new Float64Array(c));
  }
  reserve(need: number): void {
    if (need <= this.heightAgl.length) return;
    let c = this.heightAgl.length * 2;
    while (c < need) c *= 2;
    const g = <T extends Float64Array | Uint8Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(c);
      b.set(a);
      return b;
    };
    this.heightAgl = g(this.heightAgl);
    this.pressure = g(this.pressure);
    this.terrain = g(this.terrain);
    this.mixed = g(this.mixed);
    this.met = this.met.map(g);
  }
}

/** Scratch arrays: reused by every step, never reallocated. */
const SMP = new Float64Array(SAMPLE3D_LENGTH + 1);
const RATE = new Float64Array(3);
const POS = new Float64Array(5);
const COL = new Float64Array(2);
const POS2 = new Float64Array(4);

function reasonOf3d(status: number): StopReason {
  if (status === 1) return 'left-domain';
  if (status === 2) return 'time-range';
  if (status === WIND_ABOVE_TOP) return 'model-top';
  return 'no-data';
}

/** u, v and the rate of the vertical coordinate q at (lng, lat, t, q) into r. */
function rate(f: WindField3D, mode: number, lng: number, lat: number, t: number, q: number, r: Float64Array): number {
  if (f instanceof PressureLevelWindField) return f.windAt(lng, lat, t, mode, q, r);
  const s = SMP;
  let st: number;
  if (mode === MODE_DATA) {
    st = f.sample3dMsl(lng, lat, t, q, s);
    if (st !== 0) return st;
    const w = s[2]!;
    if (w !== w) return 3;
    r[2] = w;
  } else {
    st = mode === MODE_AGL ? f.sample3d(lng, lat, t, q, s) : f.sampleIsobaric(lng, lat, t, q, s);
    if (st !== 0) return st;
    r[2] = 0;
  }
  r[0] = s[0]!;
  r[1] = s[1]!;
  return 0;
}

/** One Heun step (the arithmetic of trace.ts's heunStep, plus q). Writes [lng, lat, q] to pos. */
function heun3(f: WindField3D, mode: number, lng: number, lat: number, q: number, t: number, dt: number, R: number, pos: Float64Array): number {
  const rad = 0.017453292519943295;
  const r = RATE;
  let st = rate(f, mode, lng, lat, t, q, r);
  if (st !== 0) return st;
  const k = (dt / R) * 57.29577951308232;
  const rate1x = r[0]! / Math.cos(lat * rad);
  const rate1y = r[1]!;
  const rate1z = r[2]!;
  const latP = lat + rate1y * k;
  let lngP = lng + rate1x * k;
  if (lngP < -180 || lngP >= 180) lngP = wrapLng(lngP);
  st = rate(f, mode, lngP, latP, t + dt * 1000, q + rate1z * dt, r);
  if (st !== 0) return st;
  pos[0] = lng + 0.5 * (rate1x + r[0]! / Math.cos(latP * rad)) * k;
  pos[1] = lat + 0.5 * (rate1y + r[1]!) * k;
  pos[2] = q + 0.5 * (rate1z + r[2]!) * dt;
  return 0;
}

/** One classical RK4 step in (lng, lat, q) (the arithmetic of trace.ts's rk4Step, plus q). */
function rk43(f: WindField3D, mode: number, lng: number, lat: number, q: number, t: number, dt: number, R: number, pos: Float64Array): number {
  const rad = 0.017453292519943295;
  const c = 57.29577951308232 / R;
  const h = dt * 1000;
  const r = RATE;
  let st = rate(f, mode, lng, lat, t, q, r);
  if (st !== 0) return st;
  const ax = (r[0]! / Math.cos(lat * rad)) * c;
  const ay = r[1]! * c;
  const az = r[2]!;
  let x = lng + 0.5 * dt * ax;
  let y = lat + 0.5 * dt * ay;
  st = rate(f, mode, wrapLng(x), y, t + 0.5 * h, q + 0.5 * dt * az, r);
  if (st !== 0) return st;
  const bx = (r[0]! / Math.cos(y * rad)) * c;
  const by = r[1]! * c;
  const bz = r[2]!;
  x = lng + 0.5 * dt * bx;
  y = lat + 0.5 * dt * by;
  st = rate(f, mode, wrapLng(x), y, t + 0.5 * h, q + 0.5 * dt * bz, r);
  if (st !== 0) return st;
  const cx = (r[0]! / Math.cos(y * rad)) * c;
  const cy = r[1]! * c;
  const cz = r[2]!;
  x = lng + dt * cx;
  y = lat + dt * cy;
  st = rate(f, mode, wrapLng(x), y, t + h, q + dt * cz, r);
  if (st !== 0) return st;
  const dx = (r[0]! / Math.cos(y * rad)) * c;
  const dy = r[1]! * c;
  pos[0] = lng + (dt / 6) * (ax + 2 * bx + 2 * cx + dx);
  pos[1] = lat + (dt / 6) * (ay + 2 * by + 2 * cy + dy);
  pos[2] = q + (dt / 6) * (az + 2 * bz + 2 * cz + r[2]!);
  return 0;
}

/**
 * Per-block scratch columns of the lockstep tracer: parcel j of the block writes its k-th point at
 * j * maxPoints + k, so each trajectory's points are contiguous and in order when copied out.
 */
class BlockPoints {
  readonly lng: Float64Array;
  readonly lat: Float64Array;
  readonly time: Float64Array;
  readonly age: Float64Array;
  readonly heightAgl: Float64Array;
  readonly pressure: Float64Array;
  readonly terrain: Float64Array;
  readonly mixed: Uint8Array;
  readonly met: Float64Array[];
  constructor(n: number, nMet: number) {
    this.lng = new Float64Array(n);
    this.lat = new Float64Array(n);
    this.time = new Float64Array(n);
    this.age = new Float64Array(n);
    this.heightAgl = new Float64Array(n);
    this.pressure = new Float64Array(n);
    this.terrain = new Float64Array(n);
    this.mixed = new Uint8Array(n);
    this.met = Array.from({ length: nMet }, () => new Float64Array(n));
  }
}

/** Record one point at index n of the block's scratch columns. */
function record(
  f: WindField3D,
  mode: number,
  lng: number,
  lat: number,
  t: number,
  age: number,
  q: number,
  out: BlockPoints,
  n: number,
  met: readonly string[],
  hasMixing: boolean,
): void {
  const s = SMP;
  const fast = f instanceof PressureLevelWindField;
  const st = fast
    ? f.sampleWithMixing(lng, lat, t, mode, q, s)
    : mode === MODE_DATA
      ? f.sample3dMsl(lng, lat, t, q, s)
      : mode === MODE_AGL
        ? f.sample3d(lng, lat, t, q, s)
        : f.sampleIsobaric(lng, lat, t, q, s);
  writePoint(f, mode, lng, lat, t, age, q, out, n, met, hasMixing, st, fast);
}

/**
 * Write one point at index n of the block's scratch columns from its sample in SMP (status `st`; `withMixing`:
 * the sample holds the mixing height, as sampleWithMixing's does).
 */
function writePoint(
  f: WindField3D,
  mode: number,
  lng: number,
  lat: number,
  t: number,
  age: number,
  q: number,
  out: BlockPoints,
  n: number,
  met: readonly string[],
  hasMixing: boolean,
  st: number,
  withMixing: boolean,
): void {
  const s = SMP;
  out.lng[n] = lng;
  out.lat[n] = lat;
  out.time[n] = t;
  out.age[n] = age;
  let agl: number;
  let terrain: number;
  let p: number;
  if (st === 0) {
    terrain = s[4]!;
    agl = mode === MODE_AGL ? q : s[5]!;
    p = s[3]!;
  } else {
    terrain = f.terrainAt(lng, lat);
    agl = mode === MODE_AGL ? q : mode === MODE_DATA ? q - terrain : NaN;
    p = mode === MODE_ISOBARIC ? q : NaN;
  }
  // an isobaric surface below ground is recorded at the ground
  if (mode === MODE_ISOBARIC && agl < 0) agl = 0;
  out.heightAgl[n] = agl;
  out.pressure[n] = p;
  out.terrain[n] = terrain;
  if (hasMixing) {
    const mh = withMixing && st === 0 ? s[6]! : f.sampleField('mixingHeight', lng, lat, t, agl);
    out.mixed[n] = mh === mh && agl === agl ? (agl <= mh ? 1 : 0) : 255;
  } else out.mixed[n] = 255;
  for (let i = 0; i < met.length; i++) out.met[i]![n] = f.sampleField(met[i]!, lng, lat, t, agl);
}

/** Parcels per lockstep block (bench:trace3d, docs/wind-3d.md "Speed"). */
const DEFAULT_BLOCK = 1024;
/** Most points of a block's scratch columns (the block shrinks for very long trajectories). */
const BLOCK_POINTS = 1 << 18;

/**
 * Trace starts [from, from + m) of a block in lockstep: every live parcel records its point and takes
 * output segment `seg` before any parcel takes segment seg + 1, so all parcels read the same two time
 * frames of the field while they are in cache. Each parcel runs exactly the calls (and order of calls)
 * a trajectory traced on its own runs: record the point, step one segment, ...; the field's level-bracket
 * hint is per-parcel state (saved and restored around each parcel's calls), and its other caches are keyed
 * by place and time, so the interleaving does not change any number. Points go to `out` at j * maxPoints.
 */
function traceBlock(
  f: WindField3D,
  mode: number,
  reflect: boolean,
  from: number,
  m: number,
  lng0: ArrayLike<number>,
  lat0: ArrayLike<number>,
  time0: ArrayLike<number>,
  q0: Float64Array,
  kz0: Int32Array,
  plan: Plan,
  out: BlockPoints,
  np: Int32Array,
  reasons: StopReason[],
  met: readonly string[],
  hasMixing: boolean,
  flat: readonly (RemappedWind | null)[] | null,
): void {
  const L = new Float64Array(m);
  const A = new Float64Array(m);
  const Q = new Float64Array(m);
  const T = new Float64Array(m);
  const K = new Int32Array(m);
  const live = new Uint8Array(m);
  for (let j = 0; j < m; j++) {
    const i = from + j;
    L[j] = wrapLng(lng0[i]!);
    A[j] = lat0[i]!;
    T[j] = time0[i]!;
    Q[j] = q0[i]!;
    K[j] = kz0[i]!;
    np[j] = 0;
    reasons[j] = 'completed';
    live[j] = 1;
  }
  const MP = plan.maxPoints;
  const sign = plan.sign;
  const R = plan.R;
  const rk4 = plan.rk4;
  const nSeg = plan.nOut + (plan.nLast > 0 ? 1 : 0);
  const pos = POS;
  const polar = POLAR_LIMIT_DEG;
  const pl = f instanceof PressureLevelWindField ? f : null;
  // A pressure-level field runs each output segment's Heun steps in one fused call (same scheme and arithmetic as heun3)
  const fused = !rk4 ? pl : null;
  let alive = m;
  for (let seg = 0; seg <= nSeg && alive > 0; seg++) {
    const full = seg < plan.nOut;
    const nSub = full ? plan.nSub : plan.nLast;
    const dt = sign * (full ? plan.dtSub : plan.dtLast);
    for (let j = 0; j < m; j++) {
      if (live[j] === 0) continue;
      let lng = L[j]!;
      let lat = A[j]!;
      let q = Q[j]!;
      let t = T[j]!;
      const t0 = time0[from + j]!;
      if (pl !== null) pl.levelHint = K[j]!;
      const age = seg === 0 ? 0 : Math.abs(t - t0) / HOUR_MS;
      const g2 = flat === null ? null : flat[from + j]!;
      // the point reached (the start at seg 0), then the segment from it: a pressure-level field (Heun, not
      // remapped) samples the point and takes the segment's steps in one call (the same calls, see sampleThenSteps3d)
      let fusedStatus = 0;
      if (fused !== null && g2 === null) {
        const r = fused.sampleThenSteps3d(lng, lat, q, t, dt, R, seg === nSeg ? 0 : nSub, mode, SMP, pos, reflect);
        writePoint(f, mode, lng, lat, t, age, q, out, j * MP + np[j]!++, met, hasMixing, r & 255, true);
        fusedStatus = r >> 8;
      } else record(f, mode, lng, lat, t, age, q, out, j * MP + np[j]!++, met, hasMixing);
      if (seg === nSeg) {
        live[j] = 0;
        alive--;
        continue;
      }
      let reason: StopReason = 'completed';
      let moved = false;
      if (g2 !== null) {
        // remapped (agl): the 2-D fused Heun steps on the wind at this parcel's height above ground
        const p2 = POS2;
        const st = g2.field.heunSteps(lng, lat, t, dt, R, nSub, p2);
        if (p2[3]! > 0) {
          lng = p2[0]!;
          lat = p2[1]!;
          t = p2[2]!;
          moved = true;
        }
        if (st !== 0) reason = reasonOf3d(st);
        else if (g2.aboveTop && pl!.windAt(lng, lat, t, mode, q, RATE) === WIND_ABOVE_TOP) {
          // the remap holds the top level's wind above it; the exact field says where the top is: the segment
          // that ends above it is not kept (the trajectory stops at the point before, with model-top)
          reason = 'model-top';
          moved = false;
        }
      } else if (fused !== null) {
        const st = fusedStatus;
        if (pos[4]! > 0) {
          lng = pos[0]!;
          lat = pos[1]!;
          q = pos[2]!;
          t = pos[3]!;
          moved = true;
        }
        if (st !== 0) reason = reasonOf3d(st);
      }
      for (let s = 0; fused === null && s < nSub; s++) {
        const st = rk4 ? rk43(f, mode, lng, lat, q, t, dt, R, pos) : heun3(f, mode, lng, lat, q, t, dt, R, pos);
        if (st !== 0) {
          reason = reasonOf3d(st);
          break;
        }
        let x = pos[0]!;
        const y = pos[1]!;
        let z = pos[2]!;
        if (x < -180 || x >= 180) x = wrapLng(x);
        const tn = t + dt * 1000;
        if (mode === MODE_DATA) {
          // the ground reflects: a parcel that would end below ground is mirrored above it
          let g: number;
          let top: number;
          if (pl !== null) {
            pl.columnAt(x, y, tn, COL);
            g = COL[0]!;
            top = COL[1]!;
          } else {
            g = f.terrainAt(x, y);
            top = f.topHeightAt(x, y, tn);
          }
          // (NaN outside the grid: the step is taken and the next sample stops the trajectory)
          if (z < g) z = reflect ? 2 * g - z : g;
          // the top level stops: the step that would end above it is not taken
          if (z > top) {
            reason = 'model-top';
            break;
          }
        }
        lng = x;
        lat = y;
        q = z;
        t = tn;
        moved = true;
        if (!(lat > -polar && lat < polar)) {
          reason = 'left-domain';
          break;
        }
      }
      if (reason !== 'completed') {
        // a parcel that moved before it stopped keeps the point it reached
        if (moved) record(f, mode, lng, lat, t, Math.abs(t - t0) / HOUR_MS, q, out, j * MP + np[j]!++, met, hasMixing);
        reasons[j] = reason;
        live[j] = 0;
        alive--;
        continue;
      }
      L[j] = lng;
      A[j] = lat;
      Q[j] = q;
      T[j] = t;
      if (pl !== null) K[j] = pl.levelHint;
    }
  }
}

function setJson3d(this: TrajectorySet3D, base: () => Record<string, unknown>): Record<string, unknown> {
  return {
    ...base.call(this),
    heightAgl: Array.from(this.heightAgl),
    pressure: Array.from(this.pressure, (p) => (Number.isFinite(p) ? p : null)),
    terrain: Array.from(this.terrain),
    mixedLayer: Array.from(this.mixedLayer),
    met: Object.fromEntries(Object.entries(this.met).map(([k, v]) => [k, Array.from(v, (x) => (Number.isFinite(x) ? x : null))])),
    vertical: this.vertical,
  };
}

/**
 * 3-D back- (default) or forward-trajectories from many starts on a {@link WindField3D}, in one columnar
 * set. Each start begins `heightAgl` (default `startHeightM`, 500 m) above ground. Vertical motion:
 * `data` (the field's w from omega, HYSPLIT's default), `isobaric` (stays on the start's pressure) or `agl`
 * (stays at the start height above ground, following terrain). In `data` mode a step that would end below
 * ground is mirrored above it (reflection) and a step that would end above the top level is not taken:
 * the trajectory stops with `model-top`. Each point records height above ground, pressure, terrain, the
 * mixed-layer flag (against the field's mixing height) and the requested `sample` fields.
 * The default step is {@link autoStepMinutes3d}. Throws `E_ARG` on bad options (or `data` without omega),
 * `E_DOMAIN` when a start cannot be sampled (outside, or above the top level).
 *
 * @example
 * ```ts
 * import { pressureLevelWind, traceTrajectories3d } from 'hazetrace/wind';
 * const levels = [100000, 85000, 70000];
 * const n = 3 * 2 * 2;
 * const f = pressureLevelWind({ west: 98, south: 17, dLng: 2, dLat: 2, nx: 2, ny: 2, times: [0], levels,
 *   u: new Float64Array(n).fill(-3), v: new Float64Array(n), surface: { mixingHeight: new Float64Array(4).fill(800) } });
 * const set = traceTrajectories3d(f, [{ lng: 99, lat: 18, time: 0, heightAgl: 500 }], { hours: 6, sample: ['mixingHeight'] });
 * set.vertical; // 'agl' (no omega)
 * set.heightAgl[6]; // 500
 * set.mixedLayer[6]; // 1 (500 m is inside the 800 m mixed layer)
 * ```
 */
export function traceTrajectories3d(field: WindField3D, starts: readonly TraceStart3D[], options: Trace3DOptions): TrajectorySet3D {
  return traceTrajectories3dInBlocks(field, starts, options, DEFAULT_BLOCK);
}

/**
 * {@link traceTrajectories3d} with `blockSize` parcels traced in lockstep (internal: not exported from
 * `hazetrace/wind`; tests compare block sizes, 1 being one trajectory at a time). Every block size gives
 * the same numbers. Fields other than {@link PressureLevelWindField} are traced one at a time.
 */
export function traceTrajectories3dInBlocks(field: WindField3D, starts: readonly TraceStart3D[], options: Trace3DOptions, blockSize: number): TrajectorySet3D {
  if (!isWindField3D(field)) throw argError('field', field, 'a 3-D wind field (pressureLevelWind)');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { hours, ... }');
  if (!Array.isArray(starts)) throw argError('starts', starts, 'an array of { lng, lat, time, heightAgl? }');
  const vertical: VerticalMotion = options.vertical ?? (field.hasVerticalMotion ? 'data' : 'agl');
  if (vertical !== 'data' && vertical !== 'isobaric' && vertical !== 'agl') throw argError('vertical', vertical, '"data", "isobaric" or "agl"');
  if (vertical === 'data' && !field.hasVerticalMotion) {
    throw new HazetraceError('E_ARG', 'vertical "data" needs vertical motion (omega) in the field; use "isobaric" or "agl"', { argument: 'vertical', value: vertical });
  }
  const mode = vertical === 'data' ? MODE_DATA : vertical === 'isobaric' ? MODE_ISOBARIC : MODE_AGL;
  const h0 = options.startHeightM === undefined ? 500 : checkPositive('startHeightM', options.startHeightM, true);
  const met = options.sample ?? [];
  if (!Array.isArray(met) || met.some((m) => typeof m !== 'string')) throw argError('sample', met, 'an array of field names');
  for (const m of met) {
    if (!field.fieldNames.includes(m)) {
      throw new HazetraceError('E_ARG', `sample: the field has no "${m}" (it has: ${field.fieldNames.join(', ') || 'none'})`, { argument: 'sample', value: m });
    }
  }
  const hasMixing = field.fieldNames.includes('mixingHeight');
  const ground = options.ground ?? 'reflect';
  if (ground !== 'reflect' && ground !== 'surface') throw argError('ground', ground, '"reflect" or "surface"');
  const reflect = ground === 'reflect';
  const plan = resolvePlan(field, options.stepMinutes === undefined ? { ...options, stepMinutes: autoStepMinutes3d(field, vertical) } : options);
  const c = startColumns(starts);
  checkStarts(field, { lng: c.lng, lat: c.lat, time: c.time });
  // vertical start coordinate: z AMSL (data), pressure (isobaric) or height above ground (agl)
  const q0 = new Float64Array(c.length);
  // each parcel's level-bracket hint starts from its own start sample (searched from the lowest level), so a
  // trajectory depends on its start only, not on which trajectory (or call) used the field before it
  const pl = field instanceof PressureLevelWindField ? field : null;
  const kz0 = new Int32Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const h = starts[i]!.heightAgl === undefined ? h0 : checkPositive(`starts[${i}].heightAgl`, starts[i]!.heightAgl, true);
    if (pl !== null) pl.levelHint = 0;
    const st = field.sample3d(c.lng[i]!, c.lat[i]!, c.time[i]!, h, SMP);
    if (st !== 0) {
      throw new HazetraceError('E_DOMAIN', `starts[${i}] at ${h} m above ground cannot be sampled: ${reasonOf3d(st)}`, {
        argument: `starts[${i}].heightAgl`,
        value: h,
        reason: reasonOf3d(st),
      });
    }
    q0[i] = mode === MODE_DATA ? SMP[4]! + h : mode === MODE_ISOBARIC ? SMP[3]! : h;
    if (pl !== null) kz0[i] = pl.levelHint;
  }
  // remap (agl, Heun, pressure-level field): one 2-D field per distinct start height over the frames the trace needs
  const remap = options.remap ?? false;
  if (remap !== true && remap !== false) throw argError('remap', remap, 'true or false');
  let flat: (RemappedWind | null)[] | null = null;
  if (remap) {
    if (mode !== MODE_AGL || pl === null || plan.rk4) {
      throw new HazetraceError('E_ARG', 'remap needs vertical "agl", method "heun" and a pressure-level field (pressureLevelWind)', { argument: 'remap', value: remap });
    }
    let tMin = Infinity;
    let tMax = -Infinity;
    for (let i = 0; i < c.length; i++) {
      if (c.time[i]! < tMin) tMin = c.time[i]!;
      if (c.time[i]! > tMax) tMax = c.time[i]!;
    }
    const span = plan.sign * options.hours * HOUR_MS;
    const [k0, k1] = frameRange(pl.times, Math.min(tMin, tMin + span), Math.max(tMax, tMax + span));
    const byHeight = new Map<number, RemappedWind>();
    flat = new Array<RemappedWind | null>(c.length);
    for (let i = 0; i < c.length; i++) {
      const h = q0[i]!;
      let g = byHeight.get(h);
      if (g === undefined) byHeight.set(h, (g = remapToHeightAgl(pl, h, k0, k1)));
      flat[i] = g;
    }
  }
  const b = new TrajectorySetBuilder(Math.min(c.length * plan.maxPoints, 1 << 24), options.buffer);
  const cols = new Columns3D(Math.min(c.length * plan.maxPoints, 1 << 24), met.length);
  // lockstep blocks (one parcel at a time for other fields, whose caches this module does not know)
  const MP = plan.maxPoints;
  let B = pl === null ? 1 : Math.floor(blockSize);
  if (!(B >= 1)) B = 1;
  B = Math.max(1, Math.min(B, c.length, Math.floor(BLOCK_POINTS / MP)));
  const scratch = new BlockPoints(B * MP, met.length);
  const np = new Int32Array(B);
  const reasons: StopReason[] = new Array<StopReason>(B).fill('completed');
  const pts = b.points;
  for (let from = 0; from < c.length; from += B) {
    const m = Math.min(B, c.length - from);
    traceBlock(field, mode, reflect, from, m, c.lng, c.lat, c.time, q0, kz0, plan, scratch, np, reasons, met, hasMixing, flat);
    // copy each trajectory's points out in trajectory order
    for (let j = 0; j < m; j++) {
      const k = np[j]!;
      const a = j * MP;
      const e = a + k;
      pts.reserve(k);
      cols.reserve(pts.n + k);
      const n0 = pts.n;
      pts.lng.set(scratch.lng.subarray(a, e), n0);
      pts.lat.set(scratch.lat.subarray(a, e), n0);
      pts.time.set(scratch.time.subarray(a, e), n0);
      pts.age.set(scratch.age.subarray(a, e), n0);
      cols.heightAgl.set(scratch.heightAgl.subarray(a, e), n0);
      cols.pressure.set(scratch.pressure.subarray(a, e), n0);
      cols.terrain.set(scratch.terrain.subarray(a, e), n0);
      cols.mixed.set(scratch.mixed.subarray(a, e), n0);
      for (let i = 0; i < met.length; i++) cols.met[i]!.set(scratch.met[i]!.subarray(a, e), n0);
      pts.n = n0 + k;
      const i = from + j;
      b.close(c.receptor[i]!, c.member[i]!, c.time[i]!, reasons[j]!);
    }
  }
  const n = b.points.n;
  const set = b.finish();
  const metOut: Record<string, Float64Array> = {};
  met.forEach((m, i) => (metOut[m] = cols.met[i]!.slice(0, n)));
  const base = set.toJSON;
  const out: TrajectorySet3D = {
    ...set,
    heightAgl: cols.heightAgl.slice(0, n),
    pressure: cols.pressure.slice(0, n),
    terrain: cols.terrain.slice(0, n),
    mixedLayer: cols.mixed.slice(0, n),
    met: metOut,
    vertical,
    toJSON(this: TrajectorySet3D) {
      return setJson3d.call(this, base);
    },
  };
  return out;
}
