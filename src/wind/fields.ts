/**
 * Wind fields behind the core {@link WindField} interface (docs/wind.md "Fields"):
 * `u` eastward, `v` northward, m/s. A sample outside the domain, outside the time
 * span or on NoData returns a non-zero status and is never invented.
 */
import { HazetraceError, argError, checkFinite, checkInt, checkPositive, showValue } from '../core/errors.js';
import { windToUV, wrapLng } from '../core/geodesy.js';
import { lowerBound, upperBound } from '../core/stats.js';
import { WIND_LEFT_DOMAIN, WIND_NO_DATA, WIND_OK, WIND_TIME_RANGE } from '../core/types.js';
import type { LngLatGrid, WindField, WindStatus } from '../core/types.js';
import { checkNumbers, checkShape } from '../core/check.js';

/**
 * Metres per degree used to turn a lat/lng grid step into the cell size of
 * HYSPLIT's step rule: 111,320 m, one degree of arc on the WGS84 equatorial
 * radius (6,378,137 m). With it a 0.25° grid and a 20 m/s maximum wind give
 * 0.75 × 27,830 m / 20 m/s = 17.39 min, the value the HYSPLIT guide quotes;
 * the 6,371 km mean radius would give 17.37 min.
 *
 * @example
 * ```ts
 * import { METRES_PER_DEGREE_GRID } from 'hazetrace/wind';
 * 0.25 * METRES_PER_DEGREE_GRID; // 27830 m: the cell size of a 0.25° grid in the step rule
 * ```
 */
export const METRES_PER_DEGREE_GRID = 111_320;

/** A typed array of wind components. Float32 halves memory for large reanalysis fields. */
export type WindArray = Float32Array | Float64Array;

/** Options of {@link uniformWind}: either `speed` + `directionFrom` (meteorological) or `u` + `v`. */
export interface UniformWindOptions {
  /** Wind speed, m/s (with `directionFrom`). */
  speed?: number;
  /** Direction the wind blows FROM, degrees clockwise from north (with `speed`). */
  directionFrom?: number;
  /** Eastward component, m/s (with `v`). */
  u?: number;
  /** Northward component, m/s (with `u`). */
  v?: number;
}

/**
 * A steady wind that is the same everywhere (analytic tests, quick looks). Built by {@link uniformWind}.
 *
 * @example
 * ```ts
 * import { UniformWindField } from 'hazetrace/wind';
 * new UniformWindField(-10, 0).maxSpeed; // 10
 * ```
 */
export class UniformWindField implements WindField {
  readonly kind = 'uniform';
  readonly timeRange: readonly [number, number] = [-Infinity, Infinity];
  readonly maxSpeed: number;
  readonly u: number;
  readonly v: number;

  constructor(u: number, v: number) {
    if (typeof u !== 'number' || typeof v !== 'number') checkNumbers(['u', 'v'], [u, v]);
    this.u = u;
    this.v = v;
    this.maxSpeed = Math.hypot(u, v);
  }

  sample(lng: number, lat: number, time: number, out: Float64Array): WindStatus {
    if (!(lat >= -90 && lat <= 90) || !Number.isFinite(lng)) return WIND_LEFT_DOMAIN;
    if (Number.isNaN(time)) return WIND_TIME_RANGE;
    out[0] = this.u;
    out[1] = this.v;
    return WIND_OK;
  }

  toJSON(): Record<string, unknown> {
    return { kind: this.kind, u: this.u, v: this.v };
  }
}

/**
 * A wind that is the same everywhere and at all times.
 *
 * @example
 * ```ts
 * import { uniformWind } from 'hazetrace/wind';
 * const f = uniformWind({ speed: 10, directionFrom: 90 }); // easterly: u = -10, v = 0
 * const out = new Float64Array(2);
 * f.sample(100, 15, Date.UTC(2025, 3, 22), out); // 0 (ok); out[0] ≈ -10
 * ```
 */
export function uniformWind(options: UniformWindOptions): UniformWindField {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object { speed, directionFrom } or { u, v }');
  if (options.u !== undefined || options.v !== undefined) {
    if (options.speed !== undefined || options.directionFrom !== undefined) {
      throw new HazetraceError('E_ARG', 'uniformWind takes either { speed, directionFrom } or { u, v }, not both', { value: options });
    }
    return new UniformWindField(checkFinite('u', options.u), checkFinite('v', options.v));
  }
  const speed = checkPositive('speed', options.speed, true);
  const dir = checkFinite('directionFrom', options.directionFrom);
  const [u, v] = windToUV(speed, dir);
  return new UniformWindField(u, v);
}

/** Options of {@link griddedWind}. */
export interface GriddedWindOptions extends LngLatGrid {
  /** Frame times, UTC ms, strictly ascending. One frame means a steady field. */
  times: ArrayLike<number>;
  /** Eastward wind, m/s, laid out `[t][row][col]`, row 0 southernmost: index `(t*ny + row)*nx + col`. */
  u: WindArray | ArrayLike<number>;
  /** Northward wind, m/s, same layout as `u`. */
  v: WindArray | ArrayLike<number>;
  /** Global grid: longitude wraps (column nx-1 neighbours column 0). Requires `nx·dLng = 360`. Default false. */
  wrapLng?: boolean;
  /** Value that marks missing data (NaN always does). */
  noData?: number;
  /**
   * Longest gap between two frames that is interpolated linearly in time, hours. A sample between two frames
   * further apart returns `WIND_NO_DATA` (a trajectory reaching the hole stops with `no-data`); a sample exactly
   * on a frame is always served. Default: the larger of {@link DEFAULT_MAX_GAP_HOURS} (6 h) and twice the median
   * frame step, so a regular 6-hourly or daily file is interpolated throughout but a 28-h hole in hourly data is not.
   */
  maxGapHours?: number;
}

/**
 * The smallest default maximum gap between wind frames that is interpolated in time, hours (6): see
 * `GriddedWindOptions.maxGapHours`.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_GAP_HOURS } from 'hazetrace/wind';
 * DEFAULT_MAX_GAP_HOURS; // 6
 * ```
 */
export const DEFAULT_MAX_GAP_HOURS = 6;

/** Default maximum interpolated gap for frame times `times` (UTC ms, ascending), hours. */
/**
 * The frames of an ascending time axis (UTC ms) that cover [from, to]: k0 the last frame at or before `from`, k1 the
 * first at or after `to`, clamped to the axis (k1 ≥ k0). Internal (windowed NetCDF reading, the 3-D remap).
 */
export function framesCovering(times: Float64Array, from: number, to: number): [number, number] {
  const k0 = Math.max(0, upperBound(times, from) - 1);
  const k1 = Math.min(times.length - 1, lowerBound(times, to));
  return [k0, Math.max(k0, k1)];
}

function defaultMaxGapHours(times: Float64Array): number {
  const n = times.length;
  if (n < 2) return DEFAULT_MAX_GAP_HOURS;
  const steps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) steps[i - 1] = times[i]! - times[i - 1]!;
  steps.sort();
  const median = steps[(n - 2) >> 1]!;
  return Math.max(DEFAULT_MAX_GAP_HOURS, (2 * median) / 3_600_000);
}

/**
 * A gridded field's arrays in plain, structured-clone-able form: {@link GriddedWindOptions} with typed
 * arrays, as generators produce them and worker threads receive them.
 */
export interface GriddedWindArrays extends GriddedWindOptions {
  times: Float64Array;
  u: WindArray;
  v: WindArray;
}

function toWindArray(name: string, a: WindArray | ArrayLike<number>, noData: number | undefined): WindArray {
  let arr: WindArray;
  if (a instanceof Float32Array || a instanceof Float64Array) arr = a;
  else if (a !== null && typeof a === 'object' && typeof (a as ArrayLike<number>).length === 'number') arr = Float64Array.from(a as ArrayLike<number>);
  else throw argError(name, a, 'a Float32Array, Float64Array or array of numbers');
  if (noData !== undefined && !Number.isNaN(noData)) {
    // Replace NoData by NaN once, so the hot path only has to look for NaN.
    let copied = false;
    for (let i = 0; i < arr.length; i++) {
      if (arr[i] === noData) {
        if (!copied) {
          arr = arr.slice();
          copied = true;
        }
        arr[i] = NaN;
      }
    }
  }
  return arr;
}

/**
 * A regular lat/lng grid of u and v frames, bilinear in space and linear in time (as HYSPLIT
 * interpolates its meteorology). Built by {@link griddedWind}; its fields are public and read-only
 * so it can be serialised (e.g. for worker threads).
 *
 * @example
 * ```ts
 * import { GriddedWindField, griddedWind } from 'hazetrace/wind';
 * const f = griddedWind({ west: 98, south: 18, dLng: 0.25, dLat: 0.25, nx: 2, ny: 2, times: [0], u: [1, 1, 1, 1], v: [0, 0, 0, 0] });
 * f instanceof GriddedWindField; // true
 * f.gridSpacingM; // 27830
 * ```
 */
export class GriddedWindField implements WindField {
  readonly kind = 'gridded';
  readonly west: number;
  readonly south: number;
  readonly dLng: number;
  readonly dLat: number;
  readonly nx: number;
  readonly ny: number;
  readonly times: Float64Array;
  readonly u: WindArray;
  readonly v: WindArray;
  readonly wrapLng: boolean;
  readonly timeRange: readonly [number, number];
  readonly gridSpacingM: number;
  readonly maxSpeed: number;
  readonly gridStepDeg: readonly [number, number];
  /** Longest gap between frames interpolated in time, hours (see `GriddedWindOptions.maxGapHours`). */
  readonly maxGapHours: number;
  /** Number of frame intervals longer than `maxGapHours` (holes a sample cannot cross). */
  readonly gapCount: number;
  /** gaps[k] = 1 when frames k and k+1 are further apart than maxGapHours; null when there is no such hole. */
  private readonly gaps: Uint8Array | null;
  private readonly nt: number;
  private readonly frame: number;
  private readonly invDLng: number;
  private readonly invDLat: number;
  /** 1 / frame spacing when frames are evenly spaced (the usual case): index by arithmetic, not search. */
  private readonly invDt: number;
  /** Last frame index used: trajectories walk monotonically in time, so this hint avoids a search. */
  private hint = 0;
  /**
   * Frames of the time axis before the first one held in `u`/`v` (0: all held). Only a windowed field
   * (`FrameWindowField`) holds fewer; the frame index is still computed on the whole axis, then shifted.
   */
  protected frameBase = 0;

  constructor(o: GriddedWindOptions) {
    if (o === null || typeof o !== 'object') throw argError('options', o, 'an object { west, south, dLng, dLat, nx, ny, times, u, v }');
    this.west = checkFinite('west', o.west);
    this.south = checkFinite('south', o.south);
    this.dLng = checkPositive('dLng', o.dLng);
    this.dLat = checkPositive('dLat', o.dLat);
    this.nx = checkInt('nx', o.nx, 2, 1 << 24);
    this.ny = checkInt('ny', o.ny, 2, 1 << 24);
    if (this.south < -90 || this.south + (this.ny - 1) * this.dLat > 90 + 1e-9) {
      throw new HazetraceError(
        'E_ARG',
        `grid rows must lie within latitude -90..90: south ${this.south}, dLat ${this.dLat}, ny ${this.ny} reach ${this.south + (this.ny - 1) * this.dLat}`,
        { argument: 'south', value: this.south },
      );
    }
    this.wrapLng = o.wrapLng ?? false;
    if (this.wrapLng && Math.abs(this.nx * this.dLng - 360) > 1e-6) {
      throw new HazetraceError('E_ARG', `wrapLng needs a global grid (nx·dLng = 360), got nx ${this.nx} × dLng ${this.dLng} = ${this.nx * this.dLng}`, {
        argument: 'wrapLng',
        value: this.nx * this.dLng,
      });
    }
    if (!this.wrapLng && (this.nx - 1) * this.dLng > 360 + 1e-9) {
      throw argError('nx·dLng', (this.nx - 1) * this.dLng, 'at most 360 degrees');
    }
    if (o.times === null || typeof o.times !== 'object' || typeof o.times.length !== 'number' || o.times.length < 1) {
      throw argError('times', o.times, 'a non-empty array of UTC ms, ascending');
    }
    this.times = Float64Array.from(o.times);
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times[i]!;
      if (!Number.isFinite(t)) throw new HazetraceError('E_ARG', `times[${i}] must be finite UTC ms, got ${showValue(t)}`, { argument: 'times', value: t });
      if (i > 0 && !(t > this.times[i - 1]!)) {
        throw new HazetraceError('E_ARG', `times must be strictly ascending: times[${i - 1}] = ${this.times[i - 1]} then times[${i}] = ${t}`, {
          argument: 'times',
          value: t,
        });
      }
    }
    this.nt = this.times.length;
    this.frame = this.nx * this.ny;
    this.invDLng = 1 / this.dLng;
    this.invDLat = 1 / this.dLat;
    let even = this.nt > 1;
    const step = this.nt > 1 ? (this.times[this.nt - 1]! - this.times[0]!) / (this.nt - 1) : 0;
    for (let i = 1; i < this.nt && even; i++) if (this.times[i]! - this.times[i - 1]! !== step) even = false;
    this.invDt = even ? 1 / step : 0;
    this.maxGapHours = o.maxGapHours === undefined ? defaultMaxGapHours(this.times) : checkPositive('maxGapHours', o.maxGapHours);
    const maxGapMs = this.maxGapHours * 3_600_000;
    let gaps: Uint8Array | null = null;
    let gapCount = 0;
    for (let i = 1; i < this.nt; i++) {
      if (this.times[i]! - this.times[i - 1]! > maxGapMs) {
        gaps ??= new Uint8Array(this.nt - 1);
        gaps[i - 1] = 1;
        gapCount++;
      }
    }
    this.gaps = gaps;
    this.gapCount = gapCount;
    const noData = o.noData;
    if (noData !== undefined && typeof noData !== 'number') throw argError('noData', noData, 'a number');
    this.u = toWindArray('u', o.u, noData);
    this.v = toWindArray('v', o.v, noData);
    const expected = this.frame * this.nt;
    for (const [name, arr] of [['u', this.u], ['v', this.v]] as const) {
      if (arr.length !== expected) {
        throw new HazetraceError(
          'E_ARG',
          `${name} has length ${arr.length} but nx·ny·times.length = ${this.nx}·${this.ny}·${this.nt} = ${expected} (layout [t][row][col])`,
          { argument: name, value: arr.length },
        );
      }
    }
    // A single frame is a steady field valid at every time.
    this.timeRange = this.nt === 1 ? [-Infinity, Infinity] : [this.times[0]!, this.times[this.nt - 1]!];
    this.gridStepDeg = [this.dLng, this.dLat];
    this.gridSpacingM = Math.min(this.dLng, this.dLat) * METRES_PER_DEGREE_GRID;
    let m = 0;
    for (let i = 0; i < expected; i++) {
      const s = Math.hypot(this.u[i]!, this.v[i]!);
      if (s > m) m = s;
    }
    this.maxSpeed = m;
  }

  sample(lng: number, lat: number, time: number, out: Float64Array): WindStatus {
    return this.run(lng, lat, time, 0, 1, 1, out, false, 0, 0) as WindStatus;
  }

  /**
   * `steps` HYSPLIT Heun steps (the scheme of `traceTrajectory`, see trace.ts) with both wind samples
   * of each step done inside this one function: V8 cannot inline a full bilinear-in-space,
   * linear-in-time sample (~1 kB of bytecode) twice into the trajectory loop, and those calls cost
   * ~30 % of the run time. After the call `pos` holds [lng (wrapped), lat, time, steps completed]
   * of the last completed step; returns 0, the failing sample's status, or 1 (left-domain) when a
   * step ends poleward of ±89°. `offLng`/`offLat` (degrees) read the wind that far from the particle
   * (the meteorological-offset ensemble, see OffsetWindField).
   */
  heunSteps(lng: number, lat: number, time: number, dt: number, R: number, steps: number, pos: Float64Array, offLng = 0, offLat = 0): number {
    return this.run(lng, lat, time, dt, R, steps, pos, true, offLng, offLat);
  }

  /** Sample once (`heun` false: u, v to out) or take Heun steps (`heun` true: see heunSteps). */
  private run(lng: number, lat: number, time: number, dt: number, R: number, steps: number, out: Float64Array, heun: boolean, offLng: number, offLat: number): number {
    const rad = 0.017453292519943295;
    const k = (dt / R) * 57.29577951308232;
    const times = this.times;
    const nt = this.nt;
    const nx = this.nx;
    const ny = this.ny;
    const u = this.u;
    const v = this.v;
    // every field read once, into locals the optimiser can keep in registers
    const west = this.west;
    const south = this.south;
    const invDLng = this.invDLng;
    const invDLat = this.invDLat;
    const invDt = this.invDt;
    const t0 = times[0]!;
    const tN = times[nt - 1]!;
    const wrap = this.wrapLng;
    const frame = this.frame;
    const base = this.frameBase;
    const gaps = this.gaps;
    let px = lng;
    let py = lat;
    let pt = time;
    let r1x = 0;
    let r1y = 0;
    let done = 0;
    let st = 0;
    walk: for (let pass = 0; done < steps; pass ^= 1) {
      // --- time: frame kt and weight ft of frame kt+1 ---
      let kt = 0;
      let ft = 0;
      if (nt > 1) {
        if (!(pt >= t0 && pt <= tN)) {
          st = 2; // WIND_TIME_RANGE
          break walk;
        }
        if (invDt > 0) {
          // evenly spaced frames: index by arithmetic
          ft = (pt - t0) * invDt;
          kt = Math.floor(ft);
          if (kt > nt - 2) kt = nt - 2;
          ft -= kt;
        } else {
          kt = this.hint;
          if (!(pt >= times[kt]! && pt <= times[kt + 1]!)) {
            // last frame at or before the time, within [0, nt − 2]
            kt = upperBound(times, pt, 1, nt - 1) - 1;
            this.hint = kt;
          }
          ft = (pt - times[kt]!) / (times[kt + 1]! - times[kt]!);
        }
        if (ft >= 1) {
          // exactly on frame kt+1: use it alone, so NoData in frame kt can't leak through a zero weight
          kt++;
          ft = 0;
        }
        if (ft > 0 && gaps !== null && gaps[kt] === 1) {
          st = 3; // WIND_NO_DATA: inside a hole longer than maxGapHours, never interpolated
          break walk;
        }
      } else if (Number.isNaN(pt)) {
        st = 2; // WIND_TIME_RANGE
        break walk;
      }

      // --- space: longitude taken modulo 360 so 0–360 and −180–180 conventions both work ---
      let d = px + offLng - west;
      if (d < 0 || d >= 360) d -= 360 * Math.floor(d / 360);
      let x = d * invDLng;
      const y = (py + offLat - south) * invDLat;
      if (!(y >= 0 && y <= ny - 1)) {
        st = 1; // WIND_LEFT_DOMAIN
        break walk;
      }
      let i0: number;
      let i1: number;
      if (wrap) {
        if (!(x >= 0)) {
          st = 1; // NaN longitude
          break walk;
        }
        if (x >= nx) x -= nx;
        i0 = Math.floor(x);
        i1 = i0 + 1 === nx ? 0 : i0 + 1;
      } else {
        if (!(x <= nx - 1)) {
          st = 1;
          break walk;
        }
        i0 = Math.floor(x);
        if (i0 === nx - 1) i0 = nx - 2;
        i1 = i0 + 1;
      }
      const fx = x - i0;
      let j0 = Math.floor(y);
      if (j0 === ny - 1) j0 = ny - 2;
      const fy = y - j0;
      const w00 = (1 - fx) * (1 - fy);
      const w10 = fx * (1 - fy);
      const w01 = (1 - fx) * fy;
      const w11 = fx * fy;
      const b = (kt - base) * frame + j0 * nx;
      let p00 = b + i0;
      let p10 = b + i1;
      let p01 = p00 + nx;
      let p11 = p10 + nx;
      let uu = w00 * u[p00]! + w10 * u[p10]! + w01 * u[p01]! + w11 * u[p11]!;
      let vv = w00 * v[p00]! + w10 * v[p10]! + w01 * v[p01]! + w11 * v[p11]!;
      if (ft > 0) {
        p00 += frame;
        p10 += frame;
        p01 += frame;
        p11 += frame;
        const u2 = w00 * u[p00]! + w10 * u[p10]! + w01 * u[p01]! + w11 * u[p11]!;
        const v2 = w00 * v[p00]! + w10 * v[p10]! + w01 * v[p01]! + w11 * v[p11]!;
        uu += ft * (u2 - uu);
        vv += ft * (v2 - vv);
      }
      // NaN (or NoData, replaced by NaN at construction) at any surrounding node poisons the sum.
      if (uu !== uu || vv !== vv) {
        st = 3; // WIND_NO_DATA
        break walk;
      }
      if (!heun) {
        out[0] = uu;
        out[1] = vv;
        return 0;
      }
      if (pass === 0) {
        // predictor P' = P + V(P, t)·Δt, in degrees on the sphere
        r1x = uu / Math.cos(py * rad);
        r1y = vv;
        px = lng + r1x * k;
        py = lat + r1y * k;
        pt = time + dt * 1000;
        continue;
      }
      // corrector P(t+Δt) = P + ½[V(P, t) + V(P', t+Δt)]·Δt
      lng += 0.5 * (r1x + uu / Math.cos(py * rad)) * k;
      lat += 0.5 * (r1y + vv) * k;
      if (lng < -180 || lng >= 180) lng = wrapLng(lng);
      time = pt;
      done++;
      if (!(lat > -89 && lat < 89)) {
        st = 1; // POLAR_LIMIT_DEG in trace.ts: the lat/lng step is singular at the poles
        break;
      }
      px = lng;
      py = lat;
    }
    if (heun) {
      // the last completed step (the start when none completed)
      out[0] = lng;
      out[1] = lat;
      out[2] = time;
      out[3] = done;
    }
    return st;
  }

  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      west: this.west,
      south: this.south,
      dLng: this.dLng,
      dLat: this.dLat,
      nx: this.nx,
      ny: this.ny,
      times: this.nt,
      timeRange: this.timeRange,
      wrapLng: this.wrapLng,
      maxSpeed: this.maxSpeed,
      maxGapHours: this.maxGapHours,
      gaps: this.gapCount,
    };
  }
}

/**
 * A regular lat/lng wind grid: `u`/`v` laid out `[t][row][col]` with row 0 the southernmost,
 * bilinear in space, linear in time. Throws `E_ARG` when lengths don't match `nx·ny·times.length`
 * or times are not ascending.
 *
 * @example
 * ```ts
 * import { griddedWind } from 'hazetrace/wind';
 * const f = griddedWind({
 *   west: 98, south: 18, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0],
 *   u: new Float32Array([1, 2, 3, 4]), v: new Float32Array(4),
 * });
 * const out = new Float64Array(2);
 * f.sample(98.5, 18.5, 0, out); // 0 (ok); out[0] = 2.5
 * ```
 */
export function griddedWind(options: GriddedWindOptions): GriddedWindField {
  return new GriddedWindField(options);
}

/**
 * A field that samples another one at a fixed offset (HYSPLIT's meteorological-offset ensemble:
 * the particle stays where it is but reads the wind `dLng`, `dLat` degrees away).
 *
 * @example
 * ```ts
 * import { OffsetWindField, uniformWind } from 'hazetrace/wind';
 * const east = new OffsetWindField(uniformWind({ u: 2, v: 0 }), 0.25, 0); // reads the wind 0.25° east
 * east.sample(99, 18, 0, new Float64Array(2)); // 0 (ok)
 * ```
 */
export class OffsetWindField implements WindField {
  readonly kind = 'offset';
  readonly timeRange: readonly [number, number];
  readonly gridSpacingM?: number;
  readonly maxSpeed?: number;
  readonly gridStepDeg?: readonly [number, number];
  constructor(
    readonly base: WindField,
    readonly dLng: number,
    readonly dLat: number,
  ) {
    checkShape('base', base, { sample: 'function' });
    checkNumbers(['dLng', 'dLat'], [dLng, dLat]);
    this.timeRange = base.timeRange;
    if (base.gridSpacingM !== undefined) this.gridSpacingM = base.gridSpacingM;
    if (base.maxSpeed !== undefined) this.maxSpeed = base.maxSpeed;
    if (base.gridStepDeg !== undefined) this.gridStepDeg = base.gridStepDeg;
  }
  sample(lng: number, lat: number, time: number, out: Float64Array): WindStatus {
    return this.base.sample(lng + this.dLng, lat + this.dLat, time, out);
  }
}
