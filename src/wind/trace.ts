/**
 * Trajectory integration (docs/wind.md "Trajectories"), after HYSPLIT (Draxler & Hess 1998;
 * HYSPLIT user's guide, "Trajectory model"): predictor–corrector (Heun)
 *   P' = P + V(P, t)·Δt;   P(t+Δt) = P + ½[V(P, t) + V(P', t+Δt)]·Δt
 * with Δt < 0 for back-trajectories, and classical RK4 as an option. Motion on the sphere:
 * dφ = v·Δt/R, dλ = u·Δt/(R·cos φ) (radians), longitudes wrapped into [-180, 180).
 *
 * The hot loop is allocation-free: one module-level Float64Array receives every wind sample
 * and points are written straight into growing columnar buffers.
 */
import { HazetraceError, argError, checkFinite, checkInt, checkPositive, showValue } from '../core/errors.js';
import { TRAJECTORY_EARTH_RADIUS_M, haversine, wrapLng } from '../core/geodesy.js';
import { HOUR_MS, toIsoUtc } from '../core/time.js';
import { createRng } from '../core/rng.js';
import type { Rng } from '../core/rng.js';
import { WIND_LEFT_DOMAIN, WIND_NO_DATA, WIND_OK, WIND_TIME_RANGE } from '../core/types.js';
import type { StopReason, Trajectory, TrajectorySet, WindField } from '../core/types.js';
import { GriddedWindField, OffsetWindField } from './fields.js';
import { checkArray, checkShape, checkTrajectorySet } from '../core/check.js';

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/**
 * HYSPLIT's TRATIO: the fastest wind may move a particle at most this fraction of a grid cell per step.
 *
 * @example
 * ```ts
 * import { HYSPLIT_TRATIO, hysplitStepMinutes } from 'hazetrace/wind';
 * hysplitStepMinutes(27_830, 20, HYSPLIT_TRATIO / 2); // 8.7: a stricter step
 * ```
 */
export const HYSPLIT_TRATIO = 0.75;
/**
 * Step for fields without a grid (uniform, station IDW), minutes. 10 min keeps the Heun truncation
 * error of a wind that turns over a few hours far below the 15–30 % error of real trajectories,
 * and is the step the benchmark uses.
 *
 * @example
 * ```ts
 * import { DEFAULT_STEP_MINUTES } from 'hazetrace/wind';
 * DEFAULT_STEP_MINUTES; // 10
 * ```
 */
export const DEFAULT_STEP_MINUTES = 10;
/**
 * Trajectories stop (`left-domain`) poleward of this latitude: the lat/lng metric dλ = u·Δt/(R·cos φ)
 * is singular at the poles, and smoke trajectories from the tropics never get there. A start there
 * throws `E_DOMAIN`; a trajectory that gets there stops with `left-domain`.
 *
 * @example
 * ```ts
 * import { POLAR_LIMIT_DEG } from 'hazetrace/wind';
 * POLAR_LIMIT_DEG; // 89
 * ```
 */
export const POLAR_LIMIT_DEG = 89;

/**
 * HYSPLIT's automatic time step: the largest Δt with `maxSpeed·Δt ≤ 0.75·gridSpacingM`, clamped
 * to 1–60 minutes (HYSPLIT user's guide, "Computational time step"). With the grid spacing a
 * 0.25° grid reports (27,830 m, see `METRES_PER_DEGREE_GRID`) and 20 m/s this is 17.39 min.
 *
 * @example
 * ```ts
 * import { hysplitStepMinutes } from 'hazetrace/wind';
 * hysplitStepMinutes(0.25 * 111_320, 20); // 17.39
 * ```
 */
export function hysplitStepMinutes(gridSpacingM: number, maxSpeed: number, ratio = HYSPLIT_TRATIO): number {
  checkPositive('gridSpacingM', gridSpacingM);
  checkPositive('maxSpeed', maxSpeed, true);
  checkPositive('ratio', ratio);
  if (maxSpeed === 0) return 60;
  const minutes = (ratio * gridSpacingM) / maxSpeed / 60;
  return Math.min(60, Math.max(1, minutes));
}

/**
 * The step {@link traceTrajectory} uses by default for a field: HYSPLIT's rule when the field
 * reports `gridSpacingM` and `maxSpeed`, otherwise {@link DEFAULT_STEP_MINUTES}.
 *
 * @example
 * ```ts
 * import { autoStepMinutes, uniformWind } from 'hazetrace/wind';
 * autoStepMinutes(uniformWind({ u: 5, v: 0 })); // 10
 * ```
 */
export function autoStepMinutes(field: WindField): number {
  checkShape('field', field, { sample: 'function' });
  if (field.gridSpacingM !== undefined && field.maxSpeed !== undefined && Number.isFinite(field.maxSpeed)) {
    return hysplitStepMinutes(field.gridSpacingM, field.maxSpeed);
  }
  return DEFAULT_STEP_MINUTES;
}

/** Options of {@link traceTrajectory} and the batch calls. */
export interface TraceOptions {
  /** Duration, hours (> 0). */
  hours: number;
  /** `back` (default) integrates against time, `forward` with it. */
  direction?: 'back' | 'forward';
  /** `heun` (HYSPLIT's predictor–corrector, default) or `rk4`. */
  method?: 'heun' | 'rk4';
  /**
   * Largest integration step, minutes. Default: {@link autoStepMinutes}. The step actually used is
   * the output interval divided into equal parts no longer than this, so steps land on output times.
   */
  stepMinutes?: number;
  /** Interval between recorded points, minutes. Default 60. */
  outputMinutes?: number;
  /** Sphere radius, metres. Default 6,371,000 (HYSPLIT). */
  earthRadius?: number;
  /**
   * Batch calls only: reuse this {@link PointBuffer}'s memory for the points (no fresh allocation);
   * the result's point columns are views into it, overwritten by the next call that reuses it.
   */
  buffer?: PointBuffer;
}

/** A resolved integration plan: equal sub-steps inside each output segment (internal; also used by trace3d.ts). */
export interface Plan {
  /** +1 forward, -1 back. */
  sign: number;
  rk4: boolean;
  R: number;
  /** Number of full output segments. */
  nOut: number;
  /** Sub-steps per full segment and their length in seconds (unsigned). */
  nSub: number;
  dtSub: number;
  /** A final shorter segment (0 sub-steps when hours is a multiple of outputMinutes). */
  nLast: number;
  dtLast: number;
  /** Most points one trajectory can produce (start + outputs + one off-cadence stop point). */
  maxPoints: number;
}

/** Resolve the options of a trace call into a {@link Plan} (internal; also used by trace3d.ts). */
export function resolvePlan(field: WindField, options: TraceOptions): Plan {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { hours, ... }');
  const hours = checkPositive('hours', options.hours);
  const direction = options.direction ?? 'back';
  if (direction !== 'back' && direction !== 'forward') throw argError('direction', direction, '"back" or "forward"');
  const method = options.method ?? 'heun';
  if (method !== 'heun' && method !== 'rk4') throw argError('method', method, '"heun" or "rk4"');
  const outMin = options.outputMinutes === undefined ? 60 : checkPositive('outputMinutes', options.outputMinutes);
  const stepMin = options.stepMinutes === undefined ? autoStepMinutes(field) : checkPositive('stepMinutes', options.stepMinutes);
  const R = options.earthRadius === undefined ? TRAJECTORY_EARTH_RADIUS_M : checkPositive('earthRadius', options.earthRadius);
  const totalMin = hours * 60;
  // Tolerances absorb float noise such as 72 h / 60 min = 71.99999999.
  let nOut = Math.floor(totalMin / outMin + 1e-9);
  let lastMin = totalMin - nOut * outMin;
  if (lastMin < 1e-9 * outMin) lastMin = 0;
  if (nOut > 10_000_000) throw argError('hours / outputMinutes', nOut, 'at most 1e7 output points');
  const nSub = Math.max(1, Math.ceil(outMin / stepMin - 1e-9));
  const nLast = lastMin > 0 ? Math.max(1, Math.ceil(lastMin / stepMin - 1e-9)) : 0;
  if (nOut === 0 && nLast === 0) nOut = 1;
  return {
    sign: direction === 'back' ? -1 : 1,
    rk4: method === 'rk4',
    R,
    nOut,
    nSub,
    dtSub: (outMin * 60) / nSub,
    nLast,
    dtLast: nLast > 0 ? (lastMin * 60) / nLast : 0,
    maxPoints: nOut + (nLast > 0 ? 1 : 0) + 2,
  };
}

/**
 * Growing columnar point storage behind every batch call. Pass one as `buffer` to
 * {@link traceTrajectories} to reuse its memory across calls (heavy callers: attribution, simulation):
 * the returned set's point columns are then views into it, valid until the next call that reuses it.
 *
 * Internal: not exported from `hazetrace/wind` (benches import src/wind/trace.ts). For example:
 * ```ts
 * import { PointBuffer, traceTrajectories, uniformWind } from './trace.js';
 * const buffer = new PointBuffer();
 * const f = uniformWind({ u: 3, v: 0 });
 * for (let day = 0; day < 3; day++) {
 *   const set = traceTrajectories(f, [{ lng: 99, lat: 18, time: day * 86400e3 }], { hours: 24, buffer });
 *   // use set before the next iteration overwrites its points
 * }
 * ```
 */
export class PointBuffer {
  lng: Float64Array;
  lat: Float64Array;
  time: Float64Array;
  age: Float64Array;
  n = 0;
  constructor(capacity = 1024) {
    const c = Math.max(16, capacity);
    this.lng = new Float64Array(c);
    this.lat = new Float64Array(c);
    this.time = new Float64Array(c);
    this.age = new Float64Array(c);
  }
  /** Make room for `extra` more points. */
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.lng.length) return;
    let c = this.lng.length * 2;
    while (c < need) c *= 2;
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(c);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.lng = grow(this.lng);
    this.lat = grow(this.lat);
    this.time = grow(this.time);
    this.age = grow(this.age);
  }
}

/** Scratch for wind samples and the stepper's new position: reused by every step, never reallocated. */
const W = new Float64Array(2);
const S = new Float64Array(4);

function reasonOf(status: number): StopReason {
  if (status === WIND_LEFT_DOMAIN) return 'left-domain';
  if (status === WIND_TIME_RANGE) return 'time-range';
  if (status === WIND_NO_DATA) return 'no-data';
  return 'no-data';
}

/**
 * One Heun step from (lng, lat, t) over dt seconds (signed). Writes the new position to `pos`,
 * using `w` for wind samples. Returns the wind status of the first failing sample, or 0 (ok).
 * Constants are local and scratch arrays are arguments: module-level bindings cost a
 * temporal-dead-zone check on every access in optimised code.
 */
function heunStep(field: WindField, lng: number, lat: number, t: number, dt: number, R: number, w: Float64Array, pos: Float64Array): number {
  const rad = 0.017453292519943295;
  const deg = 57.29577951308232;
  let st = field.sample(lng, lat, t, w);
  if (st !== 0) return st;
  const k = (dt / R) * deg;
  const rate1x = w[0]! / Math.cos(lat * rad);
  const rate1y = w[1]!;
  const latP = lat + rate1y * k;
  let lngP = lng + rate1x * k;
  if (lngP < -180 || lngP >= 180) lngP = wrapLng(lngP);
  st = field.sample(lngP, latP, t + dt * 1000, w);
  if (st !== 0) return st;
  pos[0] = lng + 0.5 * (rate1x + w[0]! / Math.cos(latP * rad)) * k;
  pos[1] = lat + 0.5 * (rate1y + w[1]!) * k;
  return 0;
}

/** One classical RK4 step (rates in lng/lat degrees per second). Writes the new position to `pos`. */
function rk4Step(field: WindField, lng: number, lat: number, t: number, dt: number, R: number, w: Float64Array, pos: Float64Array): number {
  const rad = 0.017453292519943295;
  const c = 57.29577951308232 / R;
  const h = dt * 1000;
  let st = field.sample(lng, lat, t, w);
  if (st !== 0) return st;
  const ax = (w[0]! / Math.cos(lat * rad)) * c;
  const ay = w[1]! * c;
  let x = lng + 0.5 * dt * ax;
  let y = lat + 0.5 * dt * ay;
  st = field.sample(wrapLng(x), y, t + 0.5 * h, w);
  if (st !== 0) return st;
  const bx = (w[0]! / Math.cos(y * rad)) * c;
  const by = w[1]! * c;
  x = lng + 0.5 * dt * bx;
  y = lat + 0.5 * dt * by;
  st = field.sample(wrapLng(x), y, t + 0.5 * h, w);
  if (st !== 0) return st;
  const cx = (w[0]! / Math.cos(y * rad)) * c;
  const cy = w[1]! * c;
  x = lng + dt * cx;
  y = lat + dt * cy;
  st = field.sample(wrapLng(x), y, t + h, w);
  if (st !== 0) return st;
  const dx = (w[0]! / Math.cos(y * rad)) * c;
  const dy = w[1]! * c;
  pos[0] = lng + (dt / 6) * (ax + 2 * bx + 2 * cx + dx);
  pos[1] = lat + (dt / 6) * (ay + 2 * by + 2 * cy + dy);
  return 0;
}

/** Random-walk perturbation state: σ per √s is √(2K). */
interface Walk {
  rng: Rng;
  sqrt2K: number;
}

/**
 * Integrate one trajectory into `buf` (which must have room for plan.maxPoints more points).
 * The start point is written first. Returns why it stopped.
 */
function integrate(field: WindField, lng0: number, lat0: number, t0: number, plan: Plan, buf: PointBuffer, walk: Walk | null): StopReason {
  const bl = buf.lng;
  const bt = buf.lat;
  const bT = buf.time;
  const bA = buf.age;
  let n = buf.n;
  let lng = wrapLng(lng0);
  let lat = lat0;
  let t = t0;
  bl[n] = lng;
  bt[n] = lat;
  bT[n] = t;
  bA[n] = 0;
  n++;
  const sign = plan.sign;
  const R = plan.R;
  const rk4 = plan.rk4;
  const nSeg = plan.nOut + (plan.nLast > 0 ? 1 : 0);
  const hourMs = HOUR_MS;
  let reason: StopReason = 'completed';
  let moved = false; // a step completed since the last recorded point
  const w = W;
  const pos = S;
  const rad = 0.017453292519943295;
  const deg = 57.29577951308232;
  const polar = POLAR_LIMIT_DEG;
  // Gridded fields without a random walk run each output segment's Heun steps in one fused call
  // (same scheme and arithmetic as heunStep below, see GriddedWindField.heunSteps).
  let grid: GriddedWindField | null = null;
  let offLng = 0;
  let offLat = 0;
  if (!rk4 && walk === null) {
    if (field instanceof GriddedWindField) grid = field;
    else if (field instanceof OffsetWindField && field.base instanceof GriddedWindField) {
      grid = field.base;
      offLng = field.dLng;
      offLat = field.dLat;
    }
  }
  outer: for (let seg = 0; seg < nSeg; seg++) {
    const full = seg < plan.nOut;
    const nSub = full ? plan.nSub : plan.nLast;
    const dt = sign * (full ? plan.dtSub : plan.dtLast);
    if (grid !== null) {
      const st = grid.heunSteps(lng, lat, t, dt, R, nSub, pos, offLng, offLat);
      if (pos[3]! > 0) {
        lng = pos[0]!;
        lat = pos[1]!;
        t = pos[2]!;
        moved = true;
      }
      if (st !== 0) {
        reason = reasonOf(st);
        break outer;
      }
    }
    for (let s = 0; grid === null && s < nSub; s++) {
      const st = rk4 ? rk4Step(field, lng, lat, t, dt, R, w, pos) : heunStep(field, lng, lat, t, dt, R, w, pos);
      if (st !== 0) {
        reason = reasonOf(st);
        break outer;
      }
      lng = pos[0]!;
      lat = pos[1]!;
      if (walk !== null) {
        // Horizontal random walk: a Gaussian displacement with variance 2K|Δt| per axis.
        const sd = walk.sqrt2K * Math.sqrt(Math.abs(dt));
        lat += ((sd * walk.rng.normal()) / R) * deg;
        lng += ((sd * walk.rng.normal()) / (R * Math.cos(lat * rad))) * deg;
      }
      if (lng < -180 || lng >= 180) lng = wrapLng(lng);
      t += dt * 1000;
      moved = true;
      if (!(lat > -polar && lat < polar)) {
        reason = 'left-domain';
        break outer;
      }
    }
    bl[n] = lng;
    bt[n] = lat;
    bT[n] = t;
    bA[n] = Math.abs(t - t0) / hourMs;
    n++;
    moved = false;
  }
  if (reason !== 'completed' && moved) {
    // Keep where the particle got to: the last completed step, off the output cadence.
    bl[n] = lng;
    bt[n] = lat;
    bT[n] = t;
    bA[n] = Math.abs(t - t0) / hourMs;
    n++;
  }
  buf.n = n;
  return reason;
}

/** Where a trajectory starts. */
export interface TraceStart {
  lng: number;
  lat: number;
  /** UTC ms. */
  time: number;
  /** Receptor id carried into the result ('' when absent). */
  receptor?: string;
  /** Ensemble member index carried into the result (0 when absent). */
  member?: number;
}

function checkStart(field: WindField, s: TraceStart, label: string): void {
  if (s === null || typeof s !== 'object') throw argError(label, s, 'an object { lng, lat, time }');
  checkFinite(`${label}.lng`, s.lng);
  checkFinite(`${label}.lat`, s.lat);
  checkFinite(`${label}.time`, s.time);
  if (!(Math.abs(s.lat) < POLAR_LIMIT_DEG)) {
    throw new HazetraceError('E_DOMAIN', `${label}.lat must be within ±${POLAR_LIMIT_DEG}° (the lat/lng step is singular at the poles), got ${s.lat}`, {
      argument: `${label}.lat`,
      value: s.lat,
    });
  }
  const st = field.sample(s.lng, s.lat, s.time, W);
  if (st !== WIND_OK) {
    const iso = (t: number): string => (Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? toIsoUtc(t) : String(t));
    const reach = (field as { maxDistanceKm?: unknown }).maxDistanceKm;
    const why =
      st === WIND_LEFT_DOMAIN && typeof reach === 'number'
        ? `more than ${reach} km from every wind site reporting then (the field's extent, option maxDistanceKm)`
        : st === WIND_NO_DATA
          ? 'no wind there then (NoData, or inside a time hole longer than the field allows to interpolate)'
          : reasonOf(st);
    throw new HazetraceError(
      'E_DOMAIN',
      `${label} (lng ${s.lng}, lat ${s.lat}, time ${iso(s.time)}) is outside the wind field: ${why} (field time range ${iso(field.timeRange[0])}..${iso(field.timeRange[1])})`,
      { argument: label, value: { lng: s.lng, lat: s.lat, time: s.time }, reason: reasonOf(st) },
    );
  }
}

/** A {@link Trajectory} with `toJSON()`. */
export interface TrajectoryResult extends Trajectory {
  toJSON(): Record<string, unknown>;
}

function trajectoryJson(this: Trajectory): Record<string, unknown> {
  return {
    lng: Array.from(this.lng),
    lat: Array.from(this.lat),
    time: Array.from(this.time),
    ageHours: Array.from(this.ageHours),
    stopReason: this.stopReason,
    ...(this.receptor !== undefined ? { receptor: this.receptor } : {}),
    ...(this.member !== undefined ? { member: this.member } : {}),
  };
}

/**
 * One back- (default) or forward-trajectory from `start`. Returns columnar points, the start first,
 * one point per `outputMinutes`, and why it stopped. A trajectory that leaves the field's domain or
 * time span keeps the points it reached (the last one off the output cadence). Throws `E_ARG` on
 * bad options, `E_DOMAIN` when the start itself cannot be sampled.
 *
 * @example
 * ```ts
 * import { traceTrajectory, uniformWind } from 'hazetrace/wind';
 * const t = traceTrajectory(uniformWind({ speed: 10, directionFrom: 90 }), { lng: 0, lat: 0, time: 0 }, { hours: 24 });
 * t.lng[t.lng.length - 1]; // ≈ 7.770 (air from the east came from the east)
 * t.stopReason; // 'completed'
 * ```
 */
export function traceTrajectory(field: WindField, start: TraceStart, options: TraceOptions): TrajectoryResult {
  checkField(field);
  const plan = resolvePlan(field, options);
  checkStart(field, start, 'start');
  const buf = new PointBuffer(plan.maxPoints);
  const reason = integrate(field, start.lng, start.lat, start.time, plan, buf, null);
  const n = buf.n;
  const out: TrajectoryResult = {
    lng: buf.lng.slice(0, n),
    lat: buf.lat.slice(0, n),
    time: buf.time.slice(0, n),
    ageHours: buf.age.slice(0, n),
    stopReason: reason,
    toJSON: trajectoryJson,
  };
  if (start.receptor !== undefined) out.receptor = start.receptor;
  if (start.member !== undefined) out.member = start.member;
  return out;
}

function checkField(field: WindField): void {
  if (field === null || typeof field !== 'object' || typeof field.sample !== 'function') {
    throw argError('field', field, 'a WindField (uniformWind, griddedWind, stationWind, ...)');
  }
}

/** A {@link TrajectorySet} with `toJSON()`. */
export interface TrajectorySetResult extends TrajectorySet {
  toJSON(): Record<string, unknown>;
}

function setJson(this: TrajectorySet): Record<string, unknown> {
  return {
    length: this.length,
    offsets: Array.from(this.offsets),
    lng: Array.from(this.lng),
    lat: Array.from(this.lat),
    time: Array.from(this.time),
    ageHours: Array.from(this.ageHours),
    receptor: this.receptor,
    member: Array.from(this.member),
    startTime: Array.from(this.startTime),
    stopReason: this.stopReason,
  };
}

/** Collects trajectories into one columnar {@link TrajectorySet}. */
export class TrajectorySetBuilder {
  readonly points: PointBuffer;
  private offsets: number[] = [0];
  private receptor: string[] = [];
  private member: number[] = [];
  private startTime: number[] = [];
  private stopReason: StopReason[] = [];
  private readonly reused: boolean;
  constructor(capacity = 1024, buffer?: PointBuffer) {
    this.reused = buffer !== undefined;
    if (buffer) {
      buffer.n = 0;
      buffer.reserve(capacity);
      this.points = buffer;
    } else this.points = new PointBuffer(capacity);
  }
  /** Close the trajectory whose points were just appended to `points`. */
  close(receptor: string, member: number, startTime: number, stopReason: StopReason): void {
    this.offsets.push(this.points.n);
    this.receptor.push(receptor);
    this.member.push(member);
    this.startTime.push(startTime);
    this.stopReason.push(stopReason);
  }
  finish(): TrajectorySetResult {
    const p = this.points;
    // A nearly full buffer is handed out as views (no copy); a mostly empty one is trimmed.
    const trim = (a: Float64Array): Float64Array =>
      p.n === a.length ? a : this.reused || p.n >= 0.75 * a.length ? a.subarray(0, p.n) : a.slice(0, p.n);
    return makeTrajectorySet({
      length: this.receptor.length,
      offsets: Uint32Array.from(this.offsets),
      lng: trim(p.lng),
      lat: trim(p.lat),
      time: trim(p.time),
      ageHours: trim(p.age),
      receptor: this.receptor,
      member: Int32Array.from(this.member),
      startTime: Float64Array.from(this.startTime),
      stopReason: this.stopReason,
    });
  }
}

/**
 * Attach `toJSON()` to plain TrajectorySet columns (e.g. ones merged from worker threads).
 *
 * @example
 * ```ts
 * import { makeTrajectorySet } from 'hazetrace/wind';
 * const set = makeTrajectorySet({
 *   length: 1, offsets: Uint32Array.from([0, 1]), lng: Float64Array.of(99), lat: Float64Array.of(18),
 *   time: Float64Array.of(0), ageHours: Float64Array.of(0), receptor: [''], member: Int32Array.of(0),
 *   startTime: Float64Array.of(0), stopReason: ['completed'],
 * });
 * JSON.stringify(set); // '{"length":1,"offsets":[0,1],...}'
 * ```
 */
export function makeTrajectorySet(s: TrajectorySet): TrajectorySetResult {
  return { ...s, toJSON: setJson };
}

/**
 * Join trajectory sets end to end into one columnar set (e.g. one batch per episode or per receptor).
 * Point columns are copied once; trajectory order is the order of `sets`.
 *
 * @example
 * ```ts
 * import { concatTrajectorySets, traceTrajectories, uniformWind } from 'hazetrace/wind';
 * const w = uniformWind({ u: 5, v: 0 });
 * const a = traceTrajectories(w, [{ lng: 99, lat: 18, time: 0 }], { hours: 6 });
 * const b = traceTrajectories(w, [{ lng: 100, lat: 19, time: 0, receptor: 'x' }], { hours: 3 });
 * concatTrajectorySets([a, b]).length; // 2 (7 + 4 points)
 * ```
 */
export function concatTrajectorySets(sets: readonly TrajectorySet[]): TrajectorySetResult {
  checkArray('sets', sets).forEach((s, i) => checkTrajectorySet(`sets[${i}]`, s));
  let points = 0;
  let n = 0;
  for (const s of sets) {
    points += s.lng.length;
    n += s.length;
  }
  const out: TrajectorySet = {
    length: n,
    offsets: new Uint32Array(n + 1),
    lng: new Float64Array(points),
    lat: new Float64Array(points),
    time: new Float64Array(points),
    ageHours: new Float64Array(points),
    receptor: [],
    member: new Int32Array(n),
    startTime: new Float64Array(n),
    stopReason: [],
  };
  let p = 0;
  let t = 0;
  for (const s of sets) {
    out.lng.set(s.lng, p);
    out.lat.set(s.lat, p);
    out.time.set(s.time, p);
    out.ageHours.set(s.ageHours, p);
    for (let j = 0; j < s.length; j++, t++) {
      out.offsets[t + 1] = p + s.offsets[j + 1]!;
      out.member[t] = s.member[j]!;
      out.startTime[t] = s.startTime[j]!;
      out.receptor.push(s.receptor[j] ?? '');
      out.stopReason.push(s.stopReason[j] ?? 'completed');
    }
    p += s.lng.length;
  }
  return makeTrajectorySet(out);
}

/**
 * Trajectory `i` of a set as a {@link Trajectory} of subarray views (no copy).
 *
 * @example
 * ```ts
 * import { getTrajectory, traceTrajectories, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18, time: 0 }], { hours: 6 });
 * getTrajectory(set, 0).lng.length; // 7
 * ```
 */
export function getTrajectory(set: TrajectorySet, i: number): Trajectory {
  checkTrajectorySet('set', set);
  checkInt('i', i, 0, set.length - 1);
  const a = set.offsets[i]!;
  const b = set.offsets[i + 1]!;
  return {
    lng: set.lng.subarray(a, b),
    lat: set.lat.subarray(a, b),
    time: set.time.subarray(a, b),
    ageHours: set.ageHours.subarray(a, b),
    stopReason: set.stopReason[i]!,
    receptor: set.receptor[i]!,
    member: set.member[i]!,
  };
}

/** Many starts as columns (receptors × times), as an alternative to an array of {@link TraceStart}. */
export interface TraceStartColumns {
  lng: ArrayLike<number>;
  lat: ArrayLike<number>;
  time: ArrayLike<number>;
  receptor?: ArrayLike<string>;
  member?: ArrayLike<number>;
}

/** Normalise starts to columns without building objects. */
export function startColumns(starts: readonly TraceStart[] | TraceStartColumns): Required<TraceStartColumns> & { length: number } {
  if (Array.isArray(starts)) {
    const arr = starts as readonly TraceStart[];
    const n = arr.length;
    const lng = new Float64Array(n);
    const lat = new Float64Array(n);
    const time = new Float64Array(n);
    const receptor: string[] = new Array<string>(n);
    const member = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const s = arr[i];
      if (s === null || typeof s !== 'object') throw argError(`starts[${i}]`, s, 'an object { lng, lat, time }');
      lng[i] = s.lng;
      lat[i] = s.lat;
      time[i] = s.time;
      receptor[i] = s.receptor ?? '';
      member[i] = s.member ?? 0;
    }
    return { length: n, lng, lat, time, receptor, member };
  }
  const cols = starts as TraceStartColumns;
  if (cols === null || typeof cols !== 'object' || cols.lng === undefined || cols.lat === undefined || cols.time === undefined) {
    throw argError('starts', starts, 'an array of { lng, lat, time } or columns { lng, lat, time }');
  }
  return columnsOf(cols);
}

function columnsOf(starts: TraceStartColumns): Required<TraceStartColumns> & { length: number } {
  const n = starts.lng.length;
  if (starts.lat.length !== n || starts.time.length !== n) {
    throw new HazetraceError('E_ARG', `starts columns must have equal lengths: lng ${n}, lat ${starts.lat.length}, time ${starts.time.length}`, {
      argument: 'starts',
    });
  }
  const receptor = starts.receptor ?? Array.from({ length: n }, () => '');
  const member = starts.member ?? new Int32Array(n);
  if (receptor.length !== n || member.length !== n) throw argError('starts.receptor/member', receptor.length, `length ${n}`);
  return { length: n, lng: starts.lng, lat: starts.lat, time: starts.time, receptor, member };
}

/**
 * Validate every start of a batch against a field: finite, off the poles, and sampleable there.
 * Throws `E_ARG`/`E_DOMAIN` naming the first bad start's index (offset by `indexOffset`).
 *
 * Internal: not exported from `hazetrace/wind`. For example:
 * ```ts
 * import { checkStarts, uniformWind } from './trace.js';
 * checkStarts(uniformWind({ u: 1, v: 0 }), { lng: [99], lat: [18], time: [0] }); // ok, returns nothing
 * ```
 */
export function checkStarts(field: WindField, c: TraceStartColumns, indexOffset = 0): void {
  const tmp: TraceStart = { lng: 0, lat: 0, time: 0 };
  for (let i = 0; i < c.lng.length; i++) {
    tmp.lng = c.lng[i]!;
    tmp.lat = c.lat[i]!;
    tmp.time = c.time[i]!;
    checkStart(field, tmp, `starts[${i + indexOffset}]`);
  }
}

/**
 * Trajectories for many starts (receptors × times) in one columnar {@link TrajectorySet}.
 * Every start is validated first (a bad one throws naming its index), then all run through the
 * same allocation-free loop. For several threads see `traceTrajectoriesParallel` in `hazetrace/node`.
 *
 * @example
 * ```ts
 * import { traceTrajectories, uniformWind } from 'hazetrace/wind';
 * const f = uniformWind({ speed: 4, directionFrom: 45 });
 * const set = traceTrajectories(f, [
 *   { lng: 98.99, lat: 18.79, time: Date.UTC(2025, 3, 22, 6), receptor: 'cm' },
 *   { lng: 99.83, lat: 19.91, time: Date.UTC(2025, 3, 22, 6), receptor: 'cr' },
 * ], { hours: 48 });
 * set.length; // 2
 * set.offsets[2]; // 98 points in all (49 each)
 * ```
 */
export function traceTrajectories(field: WindField, starts: readonly TraceStart[] | TraceStartColumns, options: TraceOptions): TrajectorySetResult {
  checkField(field);
  const plan = resolvePlan(field, options);
  const c = startColumns(starts);
  checkStarts(field, c);
  const b = new TrajectorySetBuilder(Math.min(c.length * plan.maxPoints, 1 << 24), options.buffer);
  for (let i = 0; i < c.length; i++) {
    b.points.reserve(plan.maxPoints);
    const reason = integrate(field, c.lng[i]!, c.lat[i]!, c.time[i]!, plan, b.points, null);
    b.close(c.receptor[i]!, c.member[i]!, c.time[i]!, reason);
  }
  return b.finish();
}

/** Options of {@link traceEnsemble}. */
export interface EnsembleOptions extends TraceOptions {
  /**
   * `offset` (default): HYSPLIT's meteorological-offset ensemble in 2-D — 9 members reading the
   * wind at 0/±1 grid cell in longitude and latitude. `random-walk`: `count` members with a seeded
   * horizontal random walk of diffusivity `diffusivity`.
   */
  members?: 'offset' | 'random-walk';
  /** Random-walk members (default 27, like HYSPLIT's full 3-D offset ensemble). Offset ensembles have 9. */
  count?: number;
  /**
   * Horizontal diffusivity for random-walk members, m²/s. Default 5,000 — a mid value of mesoscale
   * horizontal eddy diffusivities (10³–10⁴ m²/s): σ = √(2Kt) ≈ 29 km after 24 h, 51 km after 72 h.
   */
  diffusivity?: number;
  /** Seed of the random walk (default 1). */
  seed?: number;
  /**
   * Offset of one ensemble step, degrees [dLng, dLat] (or one number for both). Default: the field's
   * grid step; for fields without a grid (uniform, station) 0.25°, i.e. one ERA5 cell (~28 km).
   */
  offsetDeg?: number | readonly [number, number];
}

/** Offsets (in cells) of the 9 members: member 0 is the unperturbed run. */
const OFFSETS_2D: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
];

/**
 * An ensemble of trajectories from one start: HYSPLIT's meteorological-offset members
 * (member 0 is the unperturbed run; members 1–8 read the wind one cell east, west, north, south
 * and diagonally) or seeded random-walk members. A member whose offset wind can't be sampled
 * stops with its reason (possibly at the start point).
 *
 * @example
 * ```ts
 * import { traceEnsemble, ensembleSpread, uniformWind } from 'hazetrace/wind';
 * const f = uniformWind({ speed: 5, directionFrom: 0 });
 * const ens = traceEnsemble(f, { lng: 99, lat: 18.8, time: 0 }, { hours: 24, members: 'random-walk', count: 20, seed: 7 });
 * ens.length; // 20
 * ensembleSpread(ens).spreadKm[24]; // ~27 km here; expected √2·√(2·5000 m²/s·86400 s) ≈ 41 km, 20 members scatter
 * ```
 */
export function traceEnsemble(field: WindField, start: TraceStart, options: EnsembleOptions): TrajectorySetResult {
  checkField(field);
  const plan = resolvePlan(field, options);
  checkStart(field, start, 'start');
  const kind = options.members ?? 'offset';
  const receptor = start.receptor ?? '';
  if (kind === 'offset') {
    if (options.count !== undefined && options.count !== 9) throw argError('count', options.count, '9 (or omitted) for the 2-D offset ensemble');
    let step: readonly [number, number];
    const o = options.offsetDeg;
    if (o === undefined) step = field.gridStepDeg ?? [0.25, 0.25];
    else if (typeof o === 'number') step = [checkPositive('offsetDeg', o), o];
    else step = [checkPositive('offsetDeg[0]', o[0]), checkPositive('offsetDeg[1]', o[1])];
    const b = new TrajectorySetBuilder(9 * plan.maxPoints, options.buffer);
    for (let m = 0; m < OFFSETS_2D.length; m++) {
      const [ox, oy] = OFFSETS_2D[m]!;
      const f = ox === 0 && oy === 0 ? field : new OffsetWindField(field, ox * step[0], oy * step[1]);
      b.points.reserve(plan.maxPoints);
      const reason = integrate(f, start.lng, start.lat, start.time, plan, b.points, null);
      b.close(receptor, m, start.time, reason);
    }
    return b.finish();
  }
  if (kind !== 'random-walk') throw argError('members', kind, '"offset" or "random-walk"');
  const count = options.count === undefined ? 27 : checkInt('count', options.count, 1, 1_000_000);
  const K = options.diffusivity === undefined ? 5000 : checkPositive('diffusivity', options.diffusivity, true);
  const seed = options.seed === undefined ? 1 : checkFinite('seed', options.seed);
  const root = createRng(seed);
  const b = new TrajectorySetBuilder(count * plan.maxPoints, options.buffer);
  for (let m = 0; m < count; m++) {
    const walk: Walk = { rng: root.fork(m), sqrt2K: Math.sqrt(2 * K) };
    b.points.reserve(plan.maxPoints);
    const reason = integrate(field, start.lng, start.lat, start.time, plan, b.points, walk);
    b.close(receptor, m, start.time, reason);
  }
  return b.finish();
}

/** Ensemble spread by trajectory age. */
export interface EnsembleSpread {
  /** Ages, hours, ascending. */
  ageHours: Float64Array;
  /** Spread at each age, km (see {@link ensembleSpread}). */
  spreadKm: Float64Array;
  /** Members that reached each age (summed over groups). */
  members: Uint32Array;
  toJSON(): Record<string, unknown>;
}

/**
 * Spread of an ensemble by age: at each age, the root-mean-square great-circle distance (km) of
 * the members from their centroid (the normalised mean of their unit vectors, so the antimeridian
 * is harmless). Trajectories are grouped by (receptor, start time); ages where fewer than two
 * members of a group remain are skipped for that group; the result averages the groups.
 *
 * @example
 * ```ts
 * import { traceEnsemble, ensembleSpread, uniformWind } from 'hazetrace/wind';
 * const ens = traceEnsemble(uniformWind({ u: 3, v: 0 }), { lng: 99, lat: 18, time: 0 }, { hours: 12, members: 'random-walk', count: 10 });
 * const s = ensembleSpread(ens);
 * s.spreadKm[0]; // ≈ 0 at the start
 * ```
 */
export function ensembleSpread(set: TrajectorySet): EnsembleSpread {
  checkTrajectorySet('set', set);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < set.length; i++) {
    const key = `${set.receptor[i]}\u0000${set.startTime[i]}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  // age (rounded to 1 µh so 0.999999 and 1 match) -> accumulators
  const acc = new Map<number, { sum: number; groups: number; members: number }>();
  for (const g of groups.values()) {
    const byAge = new Map<number, number[]>();
    for (const i of g) {
      for (let p = set.offsets[i]!; p < set.offsets[i + 1]!; p++) {
        const a = Math.round(set.ageHours[p]! * 1e6) / 1e6;
        let l = byAge.get(a);
        if (!l) byAge.set(a, (l = []));
        l.push(p);
      }
    }
    for (const [age, pts] of byAge) {
      if (pts.length < 2) continue;
      let x = 0, y = 0, z = 0;
      for (const p of pts) {
        const la = set.lat[p]! * RAD;
        const lo = set.lng[p]! * RAD;
        x += Math.cos(la) * Math.cos(lo);
        y += Math.cos(la) * Math.sin(lo);
        z += Math.sin(la);
      }
      const cLat = Math.atan2(z, Math.hypot(x, y)) * DEG;
      const cLng = Math.atan2(y, x) * DEG;
      let ss = 0;
      for (const p of pts) {
        const d = haversine(cLng, cLat, set.lng[p]!, set.lat[p]!) / 1000;
        ss += d * d;
      }
      const r = Math.sqrt(ss / pts.length);
      const e = acc.get(age) ?? { sum: 0, groups: 0, members: 0 };
      e.sum += r;
      e.groups += 1;
      e.members += pts.length;
      acc.set(age, e);
    }
  }
  const ages = [...acc.keys()].sort((a, b) => a - b);
  const ageHours = Float64Array.from(ages);
  const spreadKm = Float64Array.from(ages, (a) => acc.get(a)!.sum / acc.get(a)!.groups);
  const members = Uint32Array.from(ages, (a) => acc.get(a)!.members);
  return {
    ageHours,
    spreadKm,
    members,
    toJSON() {
      return { ageHours: Array.from(ageHours), spreadKm: Array.from(spreadKm), members: Array.from(members) };
    },
  };
}
