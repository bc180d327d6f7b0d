/**
 * 3-D wind on pressure levels (docs/wind-3d.md): u, v and vertical motion on a regular lat/lng grid at
 * several isobaric levels plus surface fields (terrain, surface pressure, mixing height, precipitation)
 * and any extra field to sample along trajectories. Bilinear in longitude/latitude, linear in time (as
 * {@link griddedWind}), linear in log-pressure between levels, as HYSPLIT interpolates its meteorology.
 *
 * Vertical coordinate: a height above mean sea level z is placed between two levels by the levels'
 * geopotential heights at that column and time (`height`); between two levels the hypsometric equation
 * with the layer's mean temperature makes ln p linear in z, so "linear in z between the level heights"
 * and "linear in log-pressure" are the same interpolation. Without `height` the levels sit at their
 * ICAO standard-atmosphere heights ({@link isaHeightM}), the same everywhere.
 */
import { HazetraceError, argError, checkFinite, checkInt, checkPositive, showValue } from '../core/errors.js';
import { upperBound } from '../core/stats.js';
import { wrapLng } from '../core/geodesy.js';
import { WIND_LEFT_DOMAIN, WIND_OK } from '../core/types.js';
import type { WindField, WindStatus } from '../core/types.js';
import { DEFAULT_MAX_GAP_HOURS, METRES_PER_DEGREE_GRID } from './fields.js';
import type { WindArray } from './fields.js';
import { cosLatitude } from './cos-latitude.js';
import { createHeun3dKernel } from './heun3d-kernel.js';
import type { Heun3dKernel } from './heun3d-kernel.js';

/**
 * Standard gravity, m/s² (WMO; ERA5 geopotential / this = geopotential height).
 *
 * @example
 * ```ts
 * import { GRAVITY } from 'hazetrace/wind';
 * 49033.25 / GRAVITY; // 5000 m: ERA5 geopotential 49,033 m²/s² is 5,000 m
 * ```
 */
export const GRAVITY = 9.80665;
/**
 * Gas constant of dry air, J/(kg·K) (the ICAO standard atmosphere's 287.05287).
 *
 * @example
 * ```ts
 * import { R_DRY_AIR } from 'hazetrace/wind';
 * 100000 / (R_DRY_AIR * 288.15); // 1.209 kg/m³: density of dry air at 1000 hPa, 15 °C
 * ```
 */
export const R_DRY_AIR = 287.05287;

const ISA_T0 = 288.15;
const ISA_P0 = 101_325;
const ISA_LAPSE = 0.0065;
const ISA_TROPOPAUSE_M = 11_000;
const ISA_T11 = ISA_T0 - ISA_LAPSE * ISA_TROPOPAUSE_M; // 216.65 K
const ISA_EXP = (GRAVITY / (R_DRY_AIR * ISA_LAPSE)); // 5.25588
const ISA_P11 = ISA_P0 * Math.pow(ISA_T11 / ISA_T0, ISA_EXP); // 22,632 Pa
const ISA_H11 = (R_DRY_AIR * ISA_T11) / GRAVITY; // scale height above the tropopause, m

/**
 * Height of a pressure in the ICAO standard atmosphere (troposphere lapse 6.5 K/km to 11 km, isothermal
 * 216.65 K above), geopotential metres. Used for level heights when a field has no `height` and for air
 * temperature when it has no `t`.
 *
 * @example
 * ```ts
 * import { isaHeightM } from 'hazetrace/wind';
 * isaHeightM(50_000); // 5574 m (500 hPa)
 * ```
 */
export function isaHeightM(pressurePa: number): number {
  if (typeof pressurePa !== 'number') throw argError('pressurePa', pressurePa, 'a pressure, Pa');
  if (pressurePa >= ISA_P11) return (ISA_T0 / ISA_LAPSE) * (1 - Math.pow(pressurePa / ISA_P0, 1 / ISA_EXP));
  return ISA_TROPOPAUSE_M + ISA_H11 * Math.log(ISA_P11 / pressurePa);
}

/**
 * Pressure at a geopotential height in the ICAO standard atmosphere, Pa (inverse of {@link isaHeightM}).
 *
 * @example
 * ```ts
 * import { isaPressurePa } from 'hazetrace/wind';
 * isaPressurePa(0); // 101325
 * ```
 */
export function isaPressurePa(heightM: number): number {
  if (typeof heightM !== 'number') throw argError('heightM', heightM, 'a height, m');
  if (heightM <= ISA_TROPOPAUSE_M) return ISA_P0 * Math.pow(1 - (ISA_LAPSE * heightM) / ISA_T0, ISA_EXP);
  return ISA_P11 * Math.exp(-(heightM - ISA_TROPOPAUSE_M) / ISA_H11);
}

/**
 * Temperature at a geopotential height in the ICAO standard atmosphere, K.
 *
 * @example
 * ```ts
 * import { isaTemperatureK } from 'hazetrace/wind';
 * isaTemperatureK(1000); // 281.65
 * ```
 */
export function isaTemperatureK(heightM: number): number {
  if (typeof heightM !== 'number') throw argError('heightM', heightM, 'a height, m');
  return heightM <= ISA_TROPOPAUSE_M ? ISA_T0 - ISA_LAPSE * heightM : ISA_T11;
}

/**
 * Status of a 3-D sample above the top level of the field (5): a trajectory reaching it stops with
 * `model-top`. The other statuses are the 2-D ones (`WIND_OK`, `WIND_LEFT_DOMAIN`, `WIND_TIME_RANGE`,
 * `WIND_NO_DATA`).
 *
 * @example
 * ```ts
 * import { WIND_ABOVE_TOP } from 'hazetrace/wind';
 * WIND_ABOVE_TOP; // 5
 * ```
 */
export const WIND_ABOVE_TOP = 5;

/**
 * Indices into the `out` array of the 3-D samplers: [u m/s, v m/s, w m/s upward (NaN without omega),
 * pressure Pa, terrain m AMSL, height above ground m].
 *
 * @example
 * ```ts
 * import { S3, SAMPLE3D_LENGTH } from 'hazetrace/wind';
 * const out = new Float64Array(SAMPLE3D_LENGTH);
 * S3.PRESSURE; // 3: out[S3.PRESSURE] is the pressure, Pa
 * ```
 */
export const S3 = { U: 0, V: 1, W: 2, PRESSURE: 3, TERRAIN: 4, HEIGHT_AGL: 5 } as const;
/**
 * Length of the `out` array the 3-D samplers write (6, see {@link S3}).
 *
 * @example
 * ```ts
 * import { SAMPLE3D_LENGTH } from 'hazetrace/wind';
 * new Float64Array(SAMPLE3D_LENGTH).length; // 6
 * ```
 */
export const SAMPLE3D_LENGTH = 6;

/** Arrays of a pressure-level field (see {@link pressureLevelWind}). */
export interface PressureLevelWindArrays {
  /** Longitude of column 0, degrees. Horizontal grid exactly as griddedWind: row 0 is the SOUTHERNMOST row, columns go east. */
  west: number;
  /** Latitude of row 0 (the southernmost), degrees. */
  south: number;
  /** Longitude step, degrees (> 0). */
  dLng: number;
  /** Latitude step, degrees (> 0). */
  dLat: number;
  /** Columns (≥ 2). */
  nx: number;
  /** Rows (≥ 2). */
  ny: number;
  /** Frame times, UTC ms, strictly ascending (one frame = steady). */
  times: ArrayLike<number>;
  /** Pressure of each level, Pa, strictly DESCENDING (bottom level first, e.g. 100000, 92500, ...); at least 2. */
  levels: ArrayLike<number>;
  /** Eastward wind, m/s; index `((t*nz + k)*ny + row)*nx + col`. */
  u: WindArray;
  /** Northward wind, m/s; same layout as `u`. */
  v: WindArray;
  /** Vertical velocity, Pa/s (ERA5 `w`, GFS `VVEL`); same layout. Turned into w (m/s) hydrostatically, see {@link pressureLevelWind}. */
  omega?: WindArray;
  /** Geopotential height of each level, m above mean sea level (ERA5 z / 9.80665, GFS gh); same layout. Default: standard atmosphere. */
  height?: WindArray;
  /** Surface fields. */
  surface?: {
    /** Terrain height m AMSL, [row][col]. */
    elevation?: WindArray;
    /** Surface pressure Pa, [t][row][col]. */
    pressure?: WindArray;
    /** Boundary-layer (mixed-layer) depth m above ground, [t][row][col]. */
    mixingHeight?: WindArray;
    /** Precipitation rate mm/h, [t][row][col]. */
    precipitation?: WindArray;
  };
  /** Other fields to sample along trajectories (temperature K as `t`, relative humidity %, ...). `levels: true` = same layout as u; false = [t][row][col]. */
  extra?: Record<string, { values: WindArray; levels: boolean; units?: string }>;
  /** Longest gap between frames interpolated in time, hours, as griddedWind (default max(6, 2 × median step)). */
  maxGapHours?: number;
  /** Height above ground of the 2-D `sample` (the WindField interface), m. Default 500. */
  defaultHeightAgl?: number;
  /** Global grid: longitude wraps (needs nx·dLng = 360). Default false. */
  wrapLng?: boolean;
  /**
   * Which Heun stepper traces this field: `'auto'` (default) the WebAssembly one where the platform has
   * WebAssembly SIMD and the field fits in 4 GiB, else JavaScript; `'js'` always JavaScript. Both give the
   * same numbers, bit for bit; the field's `kernel` says which one it has (docs/wind-3d.md "Speed").
   */
  kernel?: 'auto' | 'js';
}

/**
 * A 3-D wind field: the 2-D {@link WindField} (whose `sample` gives u, v at `defaultHeightAgl` metres
 * above ground) plus 3-D samplers. Every sampler returns a status: 0 ok, `WIND_LEFT_DOMAIN`,
 * `WIND_TIME_RANGE`, `WIND_NO_DATA`, or `WIND_ABOVE_TOP` (above the top level).
 */
export interface WindField3D extends WindField {
  readonly is3d: true;
  /** Level pressures, Pa, descending. */
  readonly levels: Float64Array;
  /** True when the field carries vertical motion (omega). */
  readonly hasVerticalMotion: boolean;
  /** Height above ground of the 2-D `sample`, m. */
  readonly defaultHeightAgl: number;
  /** Largest |w| of the field, m/s (0 without omega): the vertical part of the step rule. */
  readonly maxVerticalSpeed: number;
  /** Thinnest layer between two adjacent levels anywhere, m: the vertical part of the step rule. */
  readonly minLayerThicknessM: number;
  /** Sample at `heightAgl` m above ground. `out` (length ≥ 6) receives [u, v, w, pressure Pa, terrain m AMSL, heightAgl]. */
  sample3d(lng: number, lat: number, time: number, heightAgl: number, out: Float64Array): number;
  /** Sample at `heightMsl` m above mean sea level; same `out` layout. */
  sample3dMsl(lng: number, lat: number, time: number, heightMsl: number, out: Float64Array): number;
  /** Sample on the isobaric surface `pressure` Pa; same `out` layout (heightAgl may be negative when that surface is below ground). */
  sampleIsobaric(lng: number, lat: number, time: number, pressure: number, out: Float64Array): number;
  /** Terrain height, m AMSL (NaN outside the grid). */
  terrainAt(lng: number, lat: number): number;
  /** Height of the top level, m AMSL, at a place and time (NaN when it cannot be sampled). */
  topHeightAt(lng: number, lat: number, time: number): number;
  /** Names {@link sampleField} accepts: 'mixingHeight', 'precipitation', 'surfacePressure' when present, and every extra. */
  readonly fieldNames: readonly string[];
  /** Value of a named field at a place, time and height above ground (surface fields ignore the height); NaN when not available. */
  sampleField(name: string, lng: number, lat: number, time: number, heightAgl: number): number;
}

/**
 * True when a wind field is 3-D ({@link WindField3D}).
 *
 * @example
 * ```ts
 * import { isWindField3D, uniformWind } from 'hazetrace/wind';
 * isWindField3D(uniformWind({ u: 1, v: 0 })); // false
 * ```
 */
export function isWindField3D(f: WindField): f is WindField3D {
  return (
    f !== null &&
    typeof f === 'object' &&
    (f as Partial<WindField3D>).is3d === true &&
    typeof (f as Partial<WindField3D>).sample3d === 'function' &&
    typeof (f as Partial<WindField3D>).sampleIsobaric === 'function'
  );
}

/**
 * Linear in time (frame stride T, weight ft) at each of 4 nodes, then bilinear (weights w..): slot offset o.
 * The arithmetic of every 3-D read (PressureLevelWindField.heunSteps3d keeps the per-node time values of a
 * sample's nodes for the next sample at the same time in the same cell).
 */
function ip8(P: WindArray, o: number, n00: number, n10: number, n01: number, n11: number, w00: number, w10: number, w01: number, w11: number, ft: number, T: number): number {
  const t = ft > 0 ? o + T : o;
  const a00 = P[n00 + o]!;
  const a10 = P[n10 + o]!;
  const a01 = P[n01 + o]!;
  const a11 = P[n11 + o]!;
  return w00 * (a00 + ft * (P[n00 + t]! - a00)) + w10 * (a10 + ft * (P[n10 + t]! - a10)) + w01 * (a01 + ft * (P[n01 + t]! - a01)) + w11 * (a11 + ft * (P[n11 + t]! - a11));
}

/** The per-node time values (as ip8) of the `mask` slots of the level at offset o and the next (offset o + L) at 4 nodes into X[slot*4 + node]. */
function fillNodes(P: WindArray, o: number, L: number, mask: number, n00: number, n10: number, n01: number, n11: number, ft: number, Tf: number, X: Float64Array): void {
  for (let s = 0; s < 8; s++) {
    if (((mask >> s) & 1) === 0) continue;
    const j = s < 4 ? o + s : o + L + s - 4;
    const k = j + Tf;
    const b = s * 4;
    let a = P[n00 + j]!;
    X[b] = a + ft * (P[n00 + k]! - a);
    a = P[n10 + j]!;
    X[b + 1] = a + ft * (P[n10 + k]! - a);
    a = P[n01 + j]!;
    X[b + 2] = a + ft * (P[n01 + k]! - a);
    a = P[n11 + j]!;
    X[b + 3] = a + ft * (P[n11 + k]! - a);
  }
}

function defaultMaxGap(times: Float64Array): number {
  const n = times.length;
  if (n < 2) return DEFAULT_MAX_GAP_HOURS;
  const steps = new Float64Array(n - 1);
  for (let i = 1; i < n; i++) steps[i - 1] = times[i]! - times[i - 1]!;
  steps.sort();
  return Math.max(DEFAULT_MAX_GAP_HOURS, (2 * steps[(n - 2) >> 1]!) / 3_600_000);
}

function checkArrayLen(name: string, a: unknown, expected: number, layout: string): WindArray {
  if (!(a instanceof Float32Array || a instanceof Float64Array)) throw argError(name, a, 'a Float32Array or Float64Array');
  if (a.length !== expected) {
    throw new HazetraceError('E_ARG', `${name} has length ${a.length} but ${layout} = ${expected}`, { argument: name, value: a.length });
  }
  return a;
}

/**
 * A pressure-level wind field. Built by {@link pressureLevelWind}; see there for the interpolation,
 * the hydrostatic w and the fallbacks.
 *
 * @example
 * ```ts
 * import { PressureLevelWindField, pressureLevelWind } from 'hazetrace/wind';
 * const n = 2 * 2 * 2;
 * const f = pressureLevelWind({ west: 98, south: 18, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0], levels: [100000, 85000],
 *   u: new Float64Array(n).fill(3), v: new Float64Array(n) });
 * f instanceof PressureLevelWindField; // true
 * ```
 */
export class PressureLevelWindField implements WindField3D {
  readonly kind = 'pressure-levels';
  readonly is3d = true as const;
  readonly west: number;
  readonly south: number;
  readonly dLng: number;
  readonly dLat: number;
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly times: Float64Array;
  readonly levels: Float64Array;
  readonly u: WindArray;
  readonly v: WindArray;
  readonly height: WindArray | null;
  /** Terrain m AMSL, [row][col] (from surface.elevation, else derived, else 0: see pressureLevelWind). */
  readonly terrain: Float64Array;
  /** Where the terrain came from. */
  readonly terrainSource: 'elevation' | 'surface-pressure' | 'none';
  readonly surfacePressure: WindArray | null;
  readonly mixingHeight: WindArray | null;
  readonly precipitation: WindArray | null;
  readonly extra: Readonly<Record<string, { values: WindArray; levels: boolean; units?: string }>>;
  readonly fieldNames: readonly string[];
  readonly wrapLng: boolean;
  readonly timeRange: readonly [number, number];
  readonly gridSpacingM: number;
  readonly gridStepDeg: readonly [number, number];
  readonly maxSpeed: number;
  readonly maxVerticalSpeed: number;
  readonly minLayerThicknessM: number;
  readonly hasVerticalMotion: boolean;
  readonly defaultHeightAgl: number;
  readonly maxGapHours: number;
  /** Where the density behind w came from: the `t` extra field or the standard atmosphere. */
  readonly temperatureSource: 't' | 'standard-atmosphere' | 'none';
  /** The Heun stepper this field traces with: WebAssembly or JavaScript (the same numbers; see `kernel` in {@link PressureLevelWindArrays}). */
  readonly kernel: 'wasm' | 'js';
  /** The WebAssembly stepper, whose memory holds `packed` and `terrain`; null: JavaScript. */
  private readonly kern: Heun3dKernel | null;
  private readonly nt: number;
  private readonly frame: number;
  private readonly levelStride: number;
  private readonly invDLng: number;
  private readonly invDLat: number;
  private readonly invDt: number;
  private readonly gaps: Uint8Array | null;
  private readonly lnP: Float64Array;
  private readonly isaH: Float64Array;
  /**
   * u, v, w (m/s up, from omega; NaN without) and level height (m AMSL) of every node, interleaved so one
   * sample reads neighbouring memory: index (((t*nz + k)*ny + row)*nx + col)*4 + slot (level-major, so the
   * two levels around a parcel at neighbouring nodes share cache lines). Float32 when u is.
   */
  private readonly packed: WindArray;
  /** Node stride (nz·4) and frame stride (ny·nx·nz·4) in `packed`. */
  private readonly nodeStride: number;
  private readonly frameStride: number;
  /** Distance between one level's and the next level's slots of a node in `packed` (ny·nx·4). */
  private readonly slotLevelStride: number;
  private hint = 0;
  private n00 = 0;
  private n10 = 0;
  private n01 = 0;
  private n11 = 0;
  // --- located point (set by locate / locateZ for columnAt, topHeightAt, sampleField; plain fields, no allocation) ---
  private kt = 0;
  private ft = 0;
  private c00 = 0;
  private c10 = 0;
  private c01 = 0;
  private c11 = 0;
  private w00 = 0;
  private w10 = 0;
  private w01 = 0;
  private w11 = 0;
  private kz = 0;
  private fz = 0;
  /** Pressure and height AMSL of the located point. */
  private pz = 0;
  private hz = 0;
  private kzHint = 0;
  private readonly tmp = new Float64Array(SAMPLE3D_LENGTH);
  private readonly col = new Float64Array(2);
  /** The 8 slots of a sample's two levels (see probe3). */
  private readonly slots = new Float64Array(8);
  /** Per-node time values of the 8 slots at 4 nodes (see heunSteps3d). */
  private readonly nodeVals = new Float64Array(32);
  /** The last diagnostic sample (probe3 task 2/3): its place and mode, and the wind a Heun predictor takes there. */
  private cOk = false;
  private cMode = -1;
  private cLng = NaN;
  private cLat = NaN;
  private cQ = NaN;
  private cT = NaN;
  private cU = NaN;
  private cV = NaN;
  private cW = NaN;
  /** Highest terrain and lowest top-level height anywhere, m AMSL (shortcuts for the ground and top checks). */
  private readonly maxTerrain: number;
  private readonly minTopHeight: number;

  constructor(a: PressureLevelWindArrays) {
    if (a === null || typeof a !== 'object') throw argError('arrays', a, 'an object { west, south, dLng, dLat, nx, ny, times, levels, u, v }');
    this.west = checkFinite('west', a.west);
    this.south = checkFinite('south', a.south);
    this.dLng = checkPositive('dLng', a.dLng);
    this.dLat = checkPositive('dLat', a.dLat);
    this.nx = checkInt('nx', a.nx, 2, 1 << 24);
    this.ny = checkInt('ny', a.ny, 2, 1 << 24);
    if (this.south < -90 || this.south + (this.ny - 1) * this.dLat > 90 + 1e-9) {
      throw new HazetraceError('E_ARG', `grid rows must lie within latitude -90..90: south ${this.south}, dLat ${this.dLat}, ny ${this.ny}`, {
        argument: 'south',
        value: this.south,
      });
    }
    this.wrapLng = a.wrapLng ?? false;
    if (this.wrapLng && Math.abs(this.nx * this.dLng - 360) > 1e-6) {
      throw new HazetraceError('E_ARG', `wrapLng needs a global grid (nx·dLng = 360), got ${this.nx * this.dLng}`, { argument: 'wrapLng', value: this.nx * this.dLng });
    }
    if (!this.wrapLng && (this.nx - 1) * this.dLng > 360 + 1e-9) throw argError('nx·dLng', (this.nx - 1) * this.dLng, 'at most 360 degrees');
    if (a.times === null || typeof a.times !== 'object' || typeof a.times.length !== 'number' || a.times.length < 1) {
      throw argError('times', a.times, 'a non-empty array of UTC ms, ascending');
    }
    this.times = Float64Array.from(a.times);
    for (let i = 0; i < this.times.length; i++) {
      const t = this.times[i]!;
      if (!Number.isFinite(t)) throw new HazetraceError('E_ARG', `times[${i}] must be finite UTC ms, got ${showValue(t)}`, { argument: 'times', value: t });
      if (i > 0 && !(t > this.times[i - 1]!)) {
        throw new HazetraceError('E_ARG', `times must be strictly ascending: times[${i - 1}] = ${this.times[i - 1]} then times[${i}] = ${t}`, { argument: 'times', value: t });
      }
    }
    if (a.levels === null || typeof a.levels !== 'object' || typeof a.levels.length !== 'number' || a.levels.length < 2) {
      throw argError('levels', a.levels, 'at least 2 level pressures, Pa, descending');
    }
    this.levels = Float64Array.from(a.levels);
    for (let k = 0; k < this.levels.length; k++) {
      const p = this.levels[k]!;
      if (!(p > 0 && p < 2e5)) throw new HazetraceError('E_ARG', `levels[${k}] must be a pressure in Pa (0 < p < 200000), got ${showValue(p)}`, { argument: 'levels', value: p });
      if (k > 0 && !(p < this.levels[k - 1]!)) {
        throw new HazetraceError('E_ARG', `levels must be strictly descending pressures (bottom first): levels[${k - 1}] = ${this.levels[k - 1]} then levels[${k}] = ${p}`, {
          argument: 'levels',
          value: p,
        });
      }
    }
    const nt = (this.nt = this.times.length);
    const nz = (this.nz = this.levels.length);
    const frame = (this.frame = this.nx * this.ny);
    this.levelStride = nz * frame;
    this.invDLng = 1 / this.dLng;
    this.invDLat = 1 / this.dLat;
    let even = nt > 1;
    const step = nt > 1 ? (this.times[nt - 1]! - this.times[0]!) / (nt - 1) : 0;
    for (let i = 1; i < nt && even; i++) if (this.times[i]! - this.times[i - 1]! !== step) even = false;
    this.invDt = even ? 1 / step : 0;
    this.maxGapHours = a.maxGapHours === undefined ? defaultMaxGap(this.times) : checkPositive('maxGapHours', a.maxGapHours);
    let gaps: Uint8Array | null = null;
    for (let i = 1; i < nt; i++) {
      if (this.times[i]! - this.times[i - 1]! > this.maxGapHours * 3_600_000) {
        gaps ??= new Uint8Array(nt - 1);
        gaps[i - 1] = 1;
      }
    }
    this.gaps = gaps;
    this.defaultHeightAgl = a.defaultHeightAgl === undefined ? 500 : checkPositive('defaultHeightAgl', a.defaultHeightAgl, true);
    const n3 = nt * nz * frame;
    const layout3 = `times·levels·ny·nx = ${nt}·${nz}·${this.ny}·${this.nx}`;
    const layout2t = `times·ny·nx = ${nt}·${this.ny}·${this.nx}`;
    this.u = checkArrayLen('u', a.u, n3, layout3);
    this.v = checkArrayLen('v', a.v, n3, layout3);
    this.height = a.height === undefined ? null : checkArrayLen('height', a.height, n3, layout3);
    const s = a.surface ?? {};
    if (s === null || typeof s !== 'object') throw argError('surface', s, 'an object { elevation?, pressure?, mixingHeight?, precipitation? }');
    const elevation = s.elevation === undefined ? null : checkArrayLen('surface.elevation', s.elevation, frame, `ny·nx = ${this.ny}·${this.nx}`);
    this.surfacePressure = s.pressure === undefined ? null : checkArrayLen('surface.pressure', s.pressure, nt * frame, layout2t);
    this.mixingHeight = s.mixingHeight === undefined ? null : checkArrayLen('surface.mixingHeight', s.mixingHeight, nt * frame, layout2t);
    this.precipitation = s.precipitation === undefined ? null : checkArrayLen('surface.precipitation', s.precipitation, nt * frame, layout2t);
    const extra: Record<string, { values: WindArray; levels: boolean; units?: string }> = {};
    if (a.extra !== undefined) {
      if (a.extra === null || typeof a.extra !== 'object') throw argError('extra', a.extra, 'an object { name: { values, levels } }');
      for (const [name, e] of Object.entries(a.extra)) {
        if (e === null || typeof e !== 'object' || typeof e.levels !== 'boolean') throw argError(`extra.${name}`, e, 'an object { values, levels: boolean }');
        const values = checkArrayLen(`extra.${name}.values`, e.values, e.levels ? n3 : nt * frame, e.levels ? layout3 : layout2t);
        extra[name] = e.units === undefined ? { values, levels: e.levels } : { values, levels: e.levels, units: e.units };
      }
    }
    this.extra = extra;
    const names: string[] = [];
    if (this.mixingHeight) names.push('mixingHeight');
    if (this.precipitation) names.push('precipitation');
    if (this.surfacePressure) names.push('surfacePressure');
    for (const k of Object.keys(extra)) if (!names.includes(k)) names.push(k);
    this.fieldNames = names;

    this.lnP = Float64Array.from(this.levels, Math.log);
    this.isaH = Float64Array.from(this.levels, isaHeightM);

    const kernelOpt = a.kernel ?? 'auto';
    if (kernelOpt !== 'auto' && kernelOpt !== 'js') throw argError('kernel', kernelOpt, "'auto' or 'js'");
    const float32 = this.u instanceof Float32Array && this.v instanceof Float32Array;
    const kern = (this.kern = kernelOpt === 'auto' ? createHeun3dKernel(float32, nt, nz, frame, this.mixingHeight !== null) : null);
    this.kernel = kern === null ? 'js' : 'wasm';

    // --- terrain: elevation, else the height of the frame-0 surface pressure, else 0 ---
    const terrain = kern === null ? new Float64Array(frame) : kern.terrain;
    if (elevation) {
      terrain.set(elevation);
      this.terrainSource = 'elevation';
    } else if (this.surfacePressure) {
      for (let c = 0; c < frame; c++) terrain[c] = this.heightOfPressureAtNode(0, c, this.surfacePressure[c]!);
      this.terrainSource = 'surface-pressure';
    } else this.terrainSource = 'none';
    this.terrain = terrain;

    // --- interleave u, v, w, height; w from omega: w = −ω / (ρ g), ρ = p / (R_d T) ---
    const tField = extra['t'] && extra['t'].levels ? extra['t'].values : null;
    const omega = a.omega === undefined ? null : checkArrayLen('omega', a.omega, n3, layout3);
    const S = (this.nodeStride = 4);
    const LS = (this.slotLevelStride = frame * 4);
    this.frameStride = nz * LS;
    const packed = (this.packed = kern !== null ? kern.packed : float32 ? new Float32Array(n3 * 4) : new Float64Array(n3 * 4));
    const isaT = Float64Array.from(this.isaH, isaTemperatureK);
    const hArr = this.height;
    let maxW = 0;
    for (let t = 0; t < nt; t++) {
      for (let k = 0; k < nz; k++) {
        const p = this.levels[k]!;
        const base = (t * nz + k) * frame;
        const dst0 = t * nz * LS + k * LS;
        const isaHk = this.isaH[k]!;
        for (let c = 0; c < frame; c++) {
          const src = base + c;
          const dst = dst0 + c * S;
          packed[dst] = this.u[src]!;
          packed[dst + 1] = this.v[src]!;
          packed[dst + 3] = hArr === null ? isaHk : hArr[src]!;
          if (omega === null) packed[dst + 2] = NaN;
          else {
            const T = tField ? tField[src]! : isaT[k]!;
            const wi = (-omega[src]! * R_DRY_AIR * T) / (p * GRAVITY);
            packed[dst + 2] = wi;
            const aw = Math.abs(wi);
            if (aw > maxW) maxW = aw;
          }
        }
      }
    }
    this.maxVerticalSpeed = maxW;
    this.hasVerticalMotion = omega !== null;
    this.temperatureSource = omega === null ? 'none' : tField ? 't' : 'standard-atmosphere';

    let maxTerrain = -Infinity;
    for (let c = 0; c < frame; c++) if (terrain[c]! > maxTerrain) maxTerrain = terrain[c]!;
    this.maxTerrain = maxTerrain === maxTerrain ? maxTerrain : Infinity;
    let minTop = Infinity;
    for (let t = 0; t < nt; t++) {
      const top = t * nz * LS + (nz - 1) * LS;
      for (let i = top + 3; i < top + LS; i += 4) if (packed[i]! < minTop) minTop = packed[i]!;
    }
    this.minTopHeight = minTop === minTop ? minTop : -Infinity;

    // --- thinnest layer (vertical step rule) ---
    let minDz = Infinity;
    if (this.height) {
      const h = this.height;
      for (let t = 0; t < nt; t++) {
        for (let k = 0; k + 1 < nz; k++) {
          const b0 = (t * nz + k) * frame;
          const b1 = b0 + frame;
          for (let c = 0; c < frame; c++) {
            const d = h[b1 + c]! - h[b0 + c]!;
            if (d < minDz) minDz = d;
          }
        }
      }
      if (!(minDz > 0)) throw new HazetraceError('E_ARG', 'height must increase upward at every node (levels bottom first)', { argument: 'height', value: minDz });
    } else {
      for (let k = 0; k + 1 < nz; k++) minDz = Math.min(minDz, this.isaH[k + 1]! - this.isaH[k]!);
    }
    this.minLayerThicknessM = minDz;

    this.timeRange = nt === 1 ? [-Infinity, Infinity] : [this.times[0]!, this.times[nt - 1]!];
    this.gridStepDeg = [this.dLng, this.dLat];
    this.gridSpacingM = Math.min(this.dLng, this.dLat) * METRES_PER_DEGREE_GRID;
    let m = 0;
    for (let i = 0; i < n3; i++) {
      const sp = Math.hypot(this.u[i]!, this.v[i]!);
      if (sp > m) m = sp;
    }
    this.maxSpeed = m;
    kern?.init({
      nt, nx: this.nx, ny: this.ny, nz, west: this.west, south: this.south, invDLng: this.invDLng, invDLat: this.invDLat, invDt: this.invDt,
      wrapLng: this.wrapLng, isa: this.height === null, maxTerrain: this.maxTerrain, minTopHeight: this.minTopHeight, topIsaHeight: this.isaH[nz - 1]!,
      hasVerticalMotion: this.hasVerticalMotion, mixingHeight: this.mixingHeight,
      times: this.times, gaps: this.gaps, levels: this.levels, lnP: this.lnP,
      isaConstants: [ISA_P0, ISA_T0, ISA_LAPSE, ISA_EXP, ISA_TROPOPAUSE_M, ISA_P11, ISA_H11],
    });
  }

  /** Height AMSL of pressure p at grid node c of frame t (log-pressure interpolation between level heights; extrapolated past the ends). */
  private heightOfPressureAtNode(t: number, c: number, p: number): number {
    const nz = this.nz;
    const lp = Math.log(p);
    if (this.height === null) return isaHeightM(p);
    let k = 0;
    while (k < nz - 2 && this.levels[k + 1]! >= p) k++;
    const h0 = this.height[(t * nz + k) * this.frame + c]!;
    const h1 = this.height[(t * nz + k + 1) * this.frame + c]!;
    return h0 + ((lp - this.lnP[k]!) / (this.lnP[k + 1]! - this.lnP[k]!)) * (h1 - h0);
  }

  /** Horizontal and time location. Returns 0 or a wind status. */
  private locate(lng: number, lat: number, time: number): number {
    const nt = this.nt;
    let kt = 0;
    let ft = 0;
    if (nt > 1) {
      const times = this.times;
      if (!(time >= times[0]! && time <= times[nt - 1]!)) return 2;
      if (this.invDt > 0) {
        ft = (time - times[0]!) * this.invDt;
        kt = Math.floor(ft);
        if (kt > nt - 2) kt = nt - 2;
        ft -= kt;
      } else {
        kt = this.hint;
        if (!(time >= times[kt]! && time <= times[kt + 1]!)) {
          kt = upperBound(times, time, 1, nt - 1) - 1;
          this.hint = kt;
        }
        ft = (time - times[kt]!) / (times[kt + 1]! - times[kt]!);
      }
      if (ft >= 1) {
        kt++;
        ft = 0;
      }
      if (ft > 0 && this.gaps !== null && this.gaps[kt] === 1) return 3;
    } else if (time !== time) return 2;
    return this.locateXY(lng, lat, kt, ft);
  }

  private locateXY(lng: number, lat: number, kt: number, ft: number): number {
    const nx = this.nx;
    const ny = this.ny;
    let d = lng - this.west;
    if (d < 0 || d >= 360) d -= 360 * Math.floor(d / 360);
    let x = d * this.invDLng;
    const y = (lat - this.south) * this.invDLat;
    if (!(y >= 0 && y <= ny - 1)) return 1;
    let i0: number;
    let i1: number;
    if (this.wrapLng) {
      if (!(x >= 0)) return 1;
      if (x >= nx) x -= nx;
      i0 = Math.floor(x);
      i1 = i0 + 1 === nx ? 0 : i0 + 1;
    } else {
      if (!(x <= nx - 1)) return 1;
      i0 = Math.floor(x);
      if (i0 === nx - 1) i0 = nx - 2;
      i1 = i0 + 1;
    }
    const fx = x - i0;
    let j0 = Math.floor(y);
    if (j0 === ny - 1) j0 = ny - 2;
    const fy = y - j0;
    this.w00 = (1 - fx) * (1 - fy);
    this.w10 = fx * (1 - fy);
    this.w01 = (1 - fx) * fy;
    this.w11 = fx * fy;
    this.c00 = j0 * nx + i0;
    this.c10 = j0 * nx + i1;
    this.c01 = this.c00 + nx;
    this.c11 = this.c10 + nx;
    const S = this.nodeStride;
    this.n00 = kt * this.frameStride + this.c00 * S;
    this.n10 = kt * this.frameStride + this.c10 * S;
    this.n01 = kt * this.frameStride + this.c01 * S;
    this.n11 = kt * this.frameStride + this.c11 * S;
    this.kt = kt;
    this.ft = ft;
    return 0;
  }

  /** Linear in time, then bilinear (as ip8) at the located point: `off` = offset of frame kt's plane, `tStride` = distance to frame kt+1's. */
  private at(arr: WindArray, off: number, tStride: number): number {
    return ip8(arr, off, this.c00, this.c10, this.c01, this.c11, this.w00, this.w10, this.w01, this.w11, this.ft, tStride);
  }

  /** Slot offset `o` of the interleaved array at the located point (the arithmetic of ip8 and the tracer). */
  private ip(o: number): number {
    return ip8(this.packed, o, this.n00, this.n10, this.n01, this.n11, this.w00, this.w10, this.w01, this.w11, this.ft, this.frameStride);
  }

  /** Terrain at the located point. */
  private terrainHere(): number {
    const t = this.terrain;
    return this.w00 * t[this.c00]! + this.w10 * t[this.c10]! + this.w01 * t[this.c01]! + this.w11 * t[this.c11]!;
  }

  /** Height AMSL of level k at the located point. */
  private levelHeight(k: number): number {
    if (this.height === null) return this.isaH[k]!;
    return this.ip(k * this.slotLevelStride + 3);
  }

  /** Vertical location of height z (m AMSL) at the located point: sets kz, fz, pz, hz. Returns 0, 3 (NaN heights) or WIND_ABOVE_TOP. */
  private locateZ(z: number, full = true): number {
    const nz = this.nz;
    if (!(z === z)) return 3;
    this.hz = z;
    if (this.height === null) {
      const p = isaPressurePa(z); // exact log-pressure interpolation in the standard atmosphere
      this.pz = p;
      if (p >= this.levels[0]!) {
        this.kz = 0;
        this.fz = 0;
        return 0;
      }
      if (p < this.levels[nz - 1]!) return WIND_ABOVE_TOP;
      let k = this.kzHint;
      if (k > nz - 2) k = nz - 2;
      while (k > 0 && p > this.levels[k]!) k--;
      while (k < nz - 2 && p <= this.levels[k + 1]!) k++;
      this.kzHint = k;
      this.kz = k;
      this.fz = (Math.log(p) - this.lnP[k]!) / (this.lnP[k + 1]! - this.lnP[k]!);
      return 0;
    }
    let k = this.kzHint;
    if (k > nz - 2) k = nz - 2;
    let h0 = this.levelHeight(k);
    let h1 = this.levelHeight(k + 1);
    while (k > 0 && z < h0) {
      k--;
      h1 = h0;
      h0 = this.levelHeight(k);
    }
    while (k < nz - 2 && z > h1) {
      k++;
      h0 = h1;
      h1 = this.levelHeight(k + 1);
    }
    if (!(h0 === h0 && h1 === h1)) return 3;
    if (z > h1) return WIND_ABOVE_TOP;
    this.kzHint = k;
    this.kz = k;
    const f = (z - h0) / (h1 - h0);
    // ln p linear in z within the layer (hypsometric equation, layer-mean temperature); below the lowest level extrapolated the same way
    if (full) this.pz = Math.exp(this.lnP[k]! + f * (this.lnP[k + 1]! - this.lnP[k]!));
    this.fz = f < 0 ? 0 : f;
    return 0;
  }

  /** A level field at the located point and vertical location. */
  private atLevel(arr: WindArray): number {
    const off = (this.kt * this.nz + this.kz) * this.frame;
    const a = this.at(arr, off, this.levelStride);
    const fz = this.fz;
    if (fz === 0) return a;
    return a + fz * (this.at(arr, off + this.frame, this.levelStride) - a);
  }

  /**
   * The level bracket (lower level index) the next sample's vertical search starts from; every sample leaves
   * its own there. Internal: the lockstep tracer (trace3d.ts) keeps it per parcel, so interleaved parcels
   * search exactly as a parcel traced alone would.
   */
  get levelHint(): number {
    return this.kzHint;
  }
  set levelHint(k: number) {
    this.kzHint = k;
  }

  /** u, v at `defaultHeightAgl` above ground (the 2-D WindField interface). Above the top level: `WIND_LEFT_DOMAIN`. */
  sample(lng: number, lat: number, time: number, out: Float64Array): WindStatus {
    const st = this.probe3(lng, lat, this.defaultHeightAgl, time, 1, this.tmp, 2);
    if (st !== 0) return (st === WIND_ABOVE_TOP ? WIND_LEFT_DOMAIN : st) as WindStatus;
    out[0] = this.tmp[0]!;
    out[1] = this.tmp[1]!;
    return WIND_OK;
  }

  sample3d(lng: number, lat: number, time: number, heightAgl: number, out: Float64Array): number {
    return this.probe3(lng, lat, heightAgl, time, 1, out, 2);
  }

  sample3dMsl(lng: number, lat: number, time: number, heightMsl: number, out: Float64Array): number {
    return this.probe3(lng, lat, heightMsl, time, 0, out, 2);
  }

  sampleIsobaric(lng: number, lat: number, time: number, pressure: number, out: Float64Array): number {
    return this.probe3(lng, lat, pressure, time, 2, out, 2);
  }

  /**
   * The tracer's fast path: u, v (and w when `vmode` is 0) only, into out[0..2]. `vmode` 0: `q` is the
   * height AMSL (w from the data); 1: `q` is the height above ground; 2: `q` is the pressure, Pa (w = 0 for
   * 1 and 2). Returns 0 or a status; NaN w in mode 0 is `WIND_NO_DATA`.
   */
  windAt(lng: number, lat: number, time: number, vmode: number, q: number, out: Float64Array): number {
    return this.probe3(lng, lat, q, time, vmode, out, 1);
  }

  /**
   * `steps` Heun steps of a 3-D trajectory (the scheme of traceTrajectories3d, see trace3d.ts) with both
   * samples of each step done inside one function, as GriddedWindField.heunSteps does in 2-D. `vmode` and
   * `q` as {@link windAt}. In mode 0 a step ending below ground is mirrored above it (`reflect`, default) or
   * put on the ground (`reflect` false), and a step ending above the top level is not taken (returns
   * `WIND_ABOVE_TOP`). After the call `pos` holds [lng, lat, q, time, steps completed]; returns 0 or the
   * failing status (1 also when a step ends poleward of ±89°). When the start is the point the last
   * {@link sampleWithMixing} sampled (the tracer records each output point, then steps on from it), that
   * sample's wind is the first predictor's: the same arithmetic, not computed twice.
   */
  heunSteps3d(lng: number, lat: number, q: number, time: number, dt: number, R: number, steps: number, vmode: number, pos: Float64Array, reflect = true): number {
    const kern = this.kern;
    if (kern !== null) {
      // the WebAssembly stepper: this function's arithmetic, bit for bit (wasm/heun3d.ts)
      const hit = this.cOk && this.cMode === vmode && this.cLng === lng && this.cLat === lat && this.cQ === q && this.cT === time;
      const st = kern.heun(lng, lat, q, time, dt, R, steps, vmode, reflect, hit, this.cU, this.cV, this.cW, this.kzHint, this.hint);
      this.takeSteps(kern, pos);
      return st;
    }
    const rad = 0.017453292519943295;
    const kdeg = (dt / R) * 57.29577951308232;
    const times = this.times;
    const nt = this.nt;
    const nx = this.nx;
    const ny = this.ny;
    const nz = this.nz;
    const west = this.west;
    const south = this.south;
    const invDLng = this.invDLng;
    const invDLat = this.invDLat;
    const invDt = this.invDt;
    const t0 = times[0]!;
    const tN = times[nt - 1]!;
    const wrap = this.wrapLng;
    const frame = this.frame;
    const gaps = this.gaps;
    const P = this.packed;
    const S = this.nodeStride;
    const T = this.frameStride;
    const LS = this.slotLevelStride;
    const terrain = this.terrain;
    const levels = this.levels;
    const lnP = this.lnP;
    const isa = this.height === null;
    const maxTerrain = this.maxTerrain;
    const minTop = this.minTopHeight;
    let kz = this.kzHint;
    let px = lng;
    let py = lat;
    let pq = q;
    let pt = time;
    let r1x = 0;
    let r1y = 0;
    let r1z = 0;
    let done = 0;
    let st = 0;
    // isobaric: the level pair and weight of a pressure are computed once
    let lastP = NaN;
    let lastF = 0;
    // slots read: u, v; w in data mode; the level heights unless isobaric or standard-atmosphere
    const mask = (vmode === 0 ? 0x77 : 0x33) | (vmode !== 2 && !isa ? 0x88 : 0);
    // per-node time values of the last filled nodes (X[slot*4 + node]): the corrector of a step and the
    // predictor of the next are at the same time, nearly always in the same cell, so the second reuses them
    const X = this.nodeVals;
    let ko = -1;
    let k00 = -1;
    let k10 = -1;
    let kft = -1;
    // the first predictor sample is the point the last diagnostic sample (sampleWithMixing: the recorded point) took
    let hit = this.cOk && this.cMode === vmode && this.cLng === lng && this.cLat === lat && this.cQ === q && this.cT === time;
    walk: for (let pass = 0; done < steps; pass ^= 1) {
      let uu: number;
      let vv: number;
      let ww = 0;
      if (hit) {
        hit = false;
        uu = this.cU;
        vv = this.cV;
        ww = this.cW;
      } else {
        // --- time ---
        let kt = 0;
        let ft = 0;
        if (nt > 1) {
          if (!(pt >= t0 && pt <= tN)) {
            st = 2;
            break walk;
          }
          if (invDt > 0) {
            ft = (pt - t0) * invDt;
            kt = Math.floor(ft);
            if (kt > nt - 2) kt = nt - 2;
            ft -= kt;
          } else {
            kt = this.hint;
            if (!(pt >= times[kt]! && pt <= times[kt + 1]!)) {
              kt = upperBound(times, pt, 1, nt - 1) - 1;
              this.hint = kt;
            }
            ft = (pt - times[kt]!) / (times[kt + 1]! - times[kt]!);
          }
          if (ft >= 1) {
            kt++;
            ft = 0;
          }
          if (ft > 0 && gaps !== null && gaps[kt] === 1) {
            st = 3;
            break walk;
          }
        } else if (pt !== pt) {
          st = 2;
          break walk;
        }
        // --- space ---
        let d = px - west;
        if (d < 0 || d >= 360) d -= 360 * Math.floor(d / 360);
        let x = d * invDLng;
        const y = (py - south) * invDLat;
        if (!(y >= 0 && y <= ny - 1)) {
          st = 1;
          break walk;
        }
        let i0: number;
        let i1: number;
        if (wrap) {
          if (!(x >= 0)) {
            st = 1;
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
        const c00 = j0 * nx + i0;
        const c10 = j0 * nx + i1;
        const f0 = kt * frame;
        const n00 = kt * T + c00 * S;
        const n10 = kt * T + c10 * S;
        const n01 = n00 + nx * S;
        const n11 = n10 + nx * S;
        // the next frame's nodes (the same ones on a frame: ft = 0 then adds exactly 0)
        const Tf = ft > 0 ? T : 0;
        const m00 = n00 + Tf;
        const m10 = n10 + Tf;
        const m01 = n01 + Tf;
        const m11 = n11 + Tf;
        // --- vertical: level pair kz, kz+1 and weight fz ---
        let fz = 0;
        if (vmode === 2) {
          if (pq !== lastP) {
            if (!(pq > 0)) {
              st = 3;
              break walk;
            }
            if (pq < levels[nz - 1]!) {
              st = WIND_ABOVE_TOP;
              break walk;
            }
            if (kz > nz - 2) kz = nz - 2;
            while (kz > 0 && pq > levels[kz]!) kz--;
            while (kz < nz - 2 && pq <= levels[kz + 1]!) kz++;
            const f = (Math.log(pq) - lnP[kz]!) / (lnP[kz + 1]! - lnP[kz]!);
            lastF = f < 0 ? 0 : f;
            lastP = pq;
          }
          fz = lastF;
        } else {
          let z = pq;
          if (vmode === 1) z += w00 * terrain[c00]! + w10 * terrain[c10]! + w01 * terrain[c00 + nx]! + w11 * terrain[c10 + nx]!;
          if (!(z === z)) {
            st = 3;
            break walk;
          }
          if (kz > nz - 2) kz = nz - 2;
          if (isa) {
            const p = isaPressurePa(z);
            if (p < levels[nz - 1]!) {
              st = WIND_ABOVE_TOP;
              break walk;
            }
            if (p >= levels[0]!) {
              kz = 0;
              fz = 0;
            } else {
              while (kz > 0 && p > levels[kz]!) kz--;
              while (kz < nz - 2 && p <= levels[kz + 1]!) kz++;
              fz = (Math.log(p) - lnP[kz]!) / (lnP[kz + 1]! - lnP[kz]!);
            }
          } else {
            // heights of levels kz, kz+1 here (kz is the last sample's: parcels move little per step)
            const o = kz * LS;
            if (o !== ko || n00 !== k00 || n10 !== k10 || ft !== kft) {
              fillNodes(P, o, LS, mask, n00, n10, n01, n11, ft, Tf, X);
              ko = o;
              k00 = n00;
              k10 = n10;
              kft = ft;
            }
            let h0 = w00 * X[12]! + w10 * X[13]! + w01 * X[14]! + w11 * X[15]!;
            let h1 = w00 * X[28]! + w10 * X[29]! + w01 * X[30]! + w11 * X[31]!;
            if ((kz > 0 && z < h0) || (kz < nz - 2 && z > h1)) {
              while (kz > 0 && z < h0) {
                kz--;
                h1 = h0;
                h0 = ip8(P, kz * LS + 3, n00, n10, n01, n11, w00, w10, w01, w11, ft, T);
              }
              while (kz < nz - 2 && z > h1) {
                kz++;
                h0 = h1;
                h1 = ip8(P, kz * LS + LS + 3, n00, n10, n01, n11, w00, w10, w01, w11, ft, T);
              }
            }
            if (!(h0 === h0 && h1 === h1)) {
              st = 3;
              break walk;
            }
            if (z > h1) {
              st = WIND_ABOVE_TOP;
              break walk;
            }
            fz = (z - h0) / (h1 - h0);
            if (fz < 0) fz = 0;
          }
        }
        // --- u, v (w) of levels kz and kz+1 ---
        const o = kz * LS;
        if (o !== ko || n00 !== k00 || n10 !== k10 || ft !== kft) {
          fillNodes(P, o, LS, mask, n00, n10, n01, n11, ft, Tf, X);
          ko = o;
          k00 = n00;
          k10 = n10;
          kft = ft;
        }
        uu = w00 * X[0]! + w10 * X[1]! + w01 * X[2]! + w11 * X[3]!;
        vv = w00 * X[4]! + w10 * X[5]! + w01 * X[6]! + w11 * X[7]!;
        if (fz !== 0) {
          uu += fz * (w00 * X[16]! + w10 * X[17]! + w01 * X[18]! + w11 * X[19]! - uu);
          vv += fz * (w00 * X[20]! + w10 * X[21]! + w01 * X[22]! + w11 * X[23]! - vv);
        }
        if (vmode === 0) {
          ww = w00 * X[8]! + w10 * X[9]! + w01 * X[10]! + w11 * X[11]!;
          if (fz !== 0) ww += fz * (w00 * X[24]! + w10 * X[25]! + w01 * X[26]! + w11 * X[27]! - ww);
        }
      }
      if (uu !== uu || vv !== vv || ww !== ww) {
        st = 3;
        break walk;
      }
      if (pass === 0) {
        // predictor
        r1x = uu / cosLatitude(py * rad);
        r1y = vv;
        r1z = ww;
        px = lng + r1x * kdeg;
        py = lat + r1y * kdeg;
        pq = q + r1z * dt;
        pt = time + dt * 1000;
        continue;
      }
      // corrector
      let nl = lng + 0.5 * (r1x + uu / cosLatitude(py * rad)) * kdeg;
      const na = lat + 0.5 * (r1y + vv) * kdeg;
      let nq = q + 0.5 * (r1z + ww) * dt;
      if (nl < -180 || nl >= 180) nl = wrapLng(nl);
      if (vmode === 0) {
        // the ground reflects; the top level stops (the step is not taken)
        // (outside the grid the step is taken, as in 2-D: the next sample stops the trajectory).
        // Terrain is looked up only below the highest ground, the top only above the lowest top.
        if (nq < maxTerrain) {
          const g = this.groundAt(nl, na);
          if (nq < g) nq = reflect ? 2 * g - nq : g;
        }
        if (nq > minTop && this.columnAt(nl, na, pt, this.col) === 0 && nq > this.col[1]!) {
          st = WIND_ABOVE_TOP;
          break walk;
        }
      }
      lng = nl;
      lat = na;
      q = nq;
      time = pt;
      done++;
      if (!(lat > -89 && lat < 89)) {
        st = 1;
        break;
      }
      px = lng;
      py = lat;
      pq = q;
    }
    this.kzHint = kz;
    pos[0] = lng;
    pos[1] = lat;
    pos[2] = q;
    pos[3] = time;
    pos[4] = done;
    return st;
  }

  /**
   * The tracer's output segment in one call: {@link sampleWithMixing} at the point into `sample` (the point's
   * record), then `steps` {@link heunSteps3d} from it into `pos` (none when `steps` is 0). Returns the sample's
   * status | the steps' status << 8. The same calls, in the same order, as the two methods one after the other
   * (which is what the JavaScript stepper does); the WebAssembly one makes them one call.
   */
  sampleThenSteps3d(lng: number, lat: number, q: number, time: number, dt: number, R: number, steps: number, vmode: number, sample: Float64Array, pos: Float64Array, reflect = true): number {
    const kern = this.kern;
    if (kern === null) {
      const ps = this.probe3(lng, lat, q, time, vmode, sample, 3);
      const st = this.heunSteps3d(lng, lat, q, time, dt, R, steps, vmode, pos, reflect);
      return ps | (st << 8);
    }
    const r = kern.segment(lng, lat, q, time, dt, R, steps, vmode, reflect, this.kzHint, this.hint);
    if ((r & 255) === 0) {
      const x = kern.sample;
      for (let i = 0; i < 7; i++) sample[i] = x[i]!;
    }
    this.takeSteps(kern, pos);
    return r;
  }

  /** The kernel's steps into `pos` ([lng, lat, q, time, steps done], as heunSteps3d) and its hints into the field. */
  private takeSteps(kern: Heun3dKernel, pos: Float64Array): void {
    const o = kern.out;
    pos[0] = o[0]!;
    pos[1] = o[1]!;
    pos[2] = o[2]!;
    pos[3] = o[3]!;
    pos[4] = o[4]!;
    this.kzHint = kern.hints[0]!;
    this.hint = kern.hints[1]!;
  }

  /**
   * The tracer's per-point diagnostics: the full 3-D sample (vmode/q as {@link windAt}) into out[0..5] and the
   * mixing height (m above ground, NaN without) into out[6], with one location. Returns 0 or a status.
   */
  sampleWithMixing(lng: number, lat: number, time: number, vmode: number, q: number, out: Float64Array): number {
    return this.probe3(lng, lat, q, time, vmode, out, 3);
  }

  /**
   * One 3-D sample, with locals only (no allocation): the time frame and weight, the four horizontal nodes and
   * weights, the vertical bracket (levels kz, kz+1, searched from the last sample's kz) and every needed slot of
   * both levels in one pass over the interleaved array (`mask`: bit s = slot s of [u, v, w, h of kz, u, v, w, h
   * of kz+1]). The arithmetic of each value is that of {@link heunSteps3d}, so a diagnostic sample's wind is
   * the wind a step from that point takes. `vmode` and `q` as {@link windAt}. `task` 1: out[0..2] = u, v, w
   * (w 0 unless vmode 0; NaN w in mode 0 is `WIND_NO_DATA`); 2: out[0..5] = [u, v, w (NaN without omega),
   * pressure Pa, terrain m AMSL, height above ground m]; 3: as 2 plus out[6] = mixing height (m above ground,
   * NaN without). Returns 0 or a status.
   */
  private probe3(lng: number, lat: number, q: number, time: number, vmode: number, out: Float64Array, task: number): number {
    const kern = this.kern;
    if (kern !== null) {
      // the WebAssembly sampler: this function's arithmetic, bit for bit (wasm/heun3d.ts)
      const st = kern.probe(lng, lat, q, time, vmode, task, this.kzHint, this.hint);
      this.kzHint = kern.sampleHints[0]!;
      this.hint = kern.sampleHints[1]!;
      if (st !== 0) return st;
      const r = kern.sample;
      const n = task === 1 ? 3 : task === 2 ? 6 : 7;
      for (let i = 0; i < n; i++) out[i] = r[i]!;
      if (task >= 2) {
        this.cOk = true;
        this.cMode = vmode;
        this.cLng = lng;
        this.cLat = lat;
        this.cQ = q;
        this.cT = time;
        this.cU = r[0]!;
        this.cV = r[1]!;
        this.cW = vmode === 0 ? r[2]! : 0;
      }
      return 0;
    }
    const nt = this.nt;
    const nx = this.nx;
    const ny = this.ny;
    const nz = this.nz;
    const P = this.packed;
    const S = this.nodeStride;
    const T = this.frameStride;
    const LS = this.slotLevelStride;
    const levels = this.levels;
    const lnP = this.lnP;
    const isa = this.height === null;
    const diag = task >= 2;
    const A = this.slots;
    // slots read: u, v always; w for data mode (and diagnostics); heights to place a height between levels (and for diagnostics)
    let mask = 0x33;
    if (vmode === 0 || (diag && this.hasVerticalMotion)) mask |= 0x44;
    if (!isa && (vmode !== 2 || diag)) mask |= 0x88;
    // --- time ---
    let kt = 0;
    let ft = 0;
    if (nt > 1) {
      const times = this.times;
      if (!(time >= times[0]! && time <= times[nt - 1]!)) return 2;
      if (this.invDt > 0) {
        ft = (time - times[0]!) * this.invDt;
        kt = Math.floor(ft);
        if (kt > nt - 2) kt = nt - 2;
        ft -= kt;
      } else {
        kt = this.hint;
        if (!(time >= times[kt]! && time <= times[kt + 1]!)) {
          kt = upperBound(times, time, 1, nt - 1) - 1;
          this.hint = kt;
        }
        ft = (time - times[kt]!) / (times[kt + 1]! - times[kt]!);
      }
      if (ft >= 1) {
        kt++;
        ft = 0;
      }
      if (ft > 0 && this.gaps !== null && this.gaps[kt] === 1) return 3;
    } else if (time !== time) return 2;
    // --- space ---
    let d = lng - this.west;
    if (d < 0 || d >= 360) d -= 360 * Math.floor(d / 360);
    let x = d * this.invDLng;
    const y = (lat - this.south) * this.invDLat;
    if (!(y >= 0 && y <= ny - 1)) return 1;
    let i0: number;
    let i1: number;
    if (this.wrapLng) {
      if (!(x >= 0)) return 1;
      if (x >= nx) x -= nx;
      i0 = Math.floor(x);
      i1 = i0 + 1 === nx ? 0 : i0 + 1;
    } else {
      if (!(x <= nx - 1)) return 1;
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
    const c00 = j0 * nx + i0;
    const c10 = j0 * nx + i1;
    const f0 = kt * this.frame;
    const n00 = kt * T + c00 * S;
    const n10 = kt * T + c10 * S;
    const n01 = n00 + nx * S;
    const n11 = n10 + nx * S;
    const terrain = this.terrain;
    const g = vmode === 1 || diag ? w00 * terrain[c00]! + w10 * terrain[c10]! + w01 * terrain[c00 + nx]! + w11 * terrain[c10 + nx]! : 0;
    // --- vertical, when known before the reads: a pressure (isobaric) or a standard-atmosphere height ---
    let kz = this.kzHint;
    if (kz > nz - 2) kz = nz - 2;
    let fz = 0;
    let f = 0; // fz before clamping at the lowest level (for the diagnostic pressure / height)
    let z = NaN;
    let p = NaN;
    if (vmode === 2) {
      if (!(q > 0)) return 3;
      if (q < levels[nz - 1]!) return WIND_ABOVE_TOP;
      while (kz > 0 && q > levels[kz]!) kz--;
      while (kz < nz - 2 && q <= levels[kz + 1]!) kz++;
      f = (Math.log(q) - lnP[kz]!) / (lnP[kz + 1]! - lnP[kz]!);
      fz = f < 0 ? 0 : f;
      p = q;
    } else {
      z = vmode === 1 ? q + g : q;
      if (!(z === z)) return 3;
      if (isa) {
        p = isaPressurePa(z);
        if (p < levels[nz - 1]!) return WIND_ABOVE_TOP;
        if (p >= levels[0]!) kz = 0;
        else {
          while (kz > 0 && p > levels[kz]!) kz--;
          while (kz < nz - 2 && p <= levels[kz + 1]!) kz++;
          fz = f = (Math.log(p) - lnP[kz]!) / (lnP[kz + 1]! - lnP[kz]!);
        }
      }
    }
    // --- every needed slot of levels kz and kz+1 in one pass (with heights: kz is the last sample's, checked below) ---
    for (let s = 0; s < 8; s++) {
      if (((mask >> s) & 1) === 0) continue;
      A[s] = ip8(P, kz * LS + (s & 3) + (s >> 2) * LS, n00, n10, n01, n11, w00, w10, w01, w11, ft, T);
    }
    if (vmode !== 2 && !isa) {
      // place z between the level heights of this column; a bracket that moved is found level by level
      let h0 = A[3]!;
      let h1 = A[7]!;
      if ((kz > 0 && z < h0) || (kz < nz - 2 && z > h1)) {
        while (kz > 0 && z < h0) {
          kz--;
          h1 = h0;
          h0 = ip8(P, kz * LS + 3, n00, n10, n01, n11, w00, w10, w01, w11, ft, T);
        }
        while (kz < nz - 2 && z > h1) {
          kz++;
          h0 = h1;
          h1 = ip8(P, kz * LS + LS + 3, n00, n10, n01, n11, w00, w10, w01, w11, ft, T);
        }
        for (let s = 0; s < 8; s++) if (((mask >> s) & 1) !== 0 && (s & 3) !== 3) A[s] = ip8(P, kz * LS + (s & 3) + (s >> 2) * LS, n00, n10, n01, n11, w00, w10, w01, w11, ft, T);
        A[3] = h0;
        A[7] = h1;
      }
      if (!(h0 === h0 && h1 === h1)) return 3;
      if (z > h1) return WIND_ABOVE_TOP;
      f = (z - h0) / (h1 - h0);
      fz = f < 0 ? 0 : f;
    }
    this.kzHint = kz;
    // --- u, v (w) ---
    let uu = A[0]!;
    let vv = A[1]!;
    let ww = (mask & 4) !== 0 ? A[2]! : NaN;
    if (fz !== 0) {
      uu += fz * (A[4]! - uu);
      vv += fz * (A[5]! - vv);
      ww += fz * (A[6]! - ww);
    }
    if (!diag) {
      if (vmode !== 0) ww = 0;
      if (uu !== uu || vv !== vv || ww !== ww) return 3;
      out[0] = uu;
      out[1] = vv;
      out[2] = ww;
      return 0;
    }
    // [u, v, w, pressure, terrain, height above ground] (+ mixing height); the point's wind is kept for a step from it
    if (uu !== uu || vv !== vv) return 3;
    let hz = z;
    if (vmode === 2) hz = isa ? isaHeightM(p) : A[3]! + f * (A[7]! - A[3]!);
    else if (!isa) p = Math.exp(lnP[kz]! + f * (lnP[kz + 1]! - lnP[kz]!));
    out[0] = uu;
    out[1] = vv;
    out[2] = this.hasVerticalMotion ? ww : NaN;
    out[3] = p;
    out[4] = g;
    out[5] = hz - g;
    if (task === 3) {
      const mh = this.mixingHeight;
      out[6] = mh === null ? NaN : ip8(mh, 0, f0 + c00, f0 + c10, f0 + c00 + nx, f0 + c10 + nx, w00, w10, w01, w11, ft, this.frame);
    }
    this.cOk = true;
    this.cMode = vmode;
    this.cLng = lng;
    this.cLat = lat;
    this.cQ = q;
    this.cT = time;
    this.cU = uu;
    this.cV = vv;
    this.cW = vmode === 0 ? ww : 0;
    return 0;
  }

  /** Terrain height m AMSL at a place, bilinear (NaN outside the grid); locals only. */
  private groundAt(lng: number, lat: number): number {
    const nx = this.nx;
    const ny = this.ny;
    let d = lng - this.west;
    if (d < 0 || d >= 360) d -= 360 * Math.floor(d / 360);
    let x = d * this.invDLng;
    const y = (lat - this.south) * this.invDLat;
    if (!(y >= 0 && y <= ny - 1)) return NaN;
    let i0: number;
    let i1: number;
    if (this.wrapLng) {
      if (!(x >= 0)) return NaN;
      if (x >= nx) x -= nx;
      i0 = Math.floor(x);
      i1 = i0 + 1 === nx ? 0 : i0 + 1;
    } else {
      if (!(x <= nx - 1)) return NaN;
      i0 = Math.floor(x);
      if (i0 === nx - 1) i0 = nx - 2;
      i1 = i0 + 1;
    }
    const fx = x - i0;
    let j0 = Math.floor(y);
    if (j0 === ny - 1) j0 = ny - 2;
    const fy = y - j0;
    const c00 = j0 * nx + i0;
    const c10 = j0 * nx + i1;
    const t = this.terrain;
    return (1 - fx) * (1 - fy) * t[c00]! + fx * (1 - fy) * t[c10]! + (1 - fx) * fy * t[c00 + nx]! + fx * fy * t[c10 + nx]!;
  }

  /** Terrain (out[0], m AMSL) and top-level height (out[1], m AMSL) at a place and time; returns 0 or a status. */
  columnAt(lng: number, lat: number, time: number, out: Float64Array): number {
    const st = this.locate(lng, lat, time);
    if (st !== 0) return st;
    out[0] = this.terrainHere();
    out[1] = this.levelHeight(this.nz - 1);
    return 0;
  }

  terrainAt(lng: number, lat: number): number {
    return this.groundAt(lng, lat);
  }

  topHeightAt(lng: number, lat: number, time: number): number {
    if (this.locate(lng, lat, time) !== 0) return NaN;
    return this.levelHeight(this.nz - 1);
  }

  sampleField(name: string, lng: number, lat: number, time: number, heightAgl: number): number {
    let arr: WindArray | null = null;
    let levels = false;
    if (name === 'mixingHeight') arr = this.mixingHeight;
    else if (name === 'precipitation') arr = this.precipitation;
    else if (name === 'surfacePressure') arr = this.surfacePressure;
    else {
      const e = this.extra[name];
      if (e !== undefined && Object.prototype.hasOwnProperty.call(this.extra, name)) {
        arr = e.values;
        levels = e.levels;
      }
    }
    if (arr === null) return NaN;
    if (this.locate(lng, lat, time) !== 0) return NaN;
    if (!levels) return this.at(arr, this.kt * this.frame, this.frame);
    if (this.locateZ(this.terrainHere() + heightAgl) !== 0) return NaN;
    return this.atLevel(arr);
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
      levels: Array.from(this.levels),
      times: this.nt,
      timeRange: this.timeRange,
      wrapLng: this.wrapLng,
      maxSpeed: this.maxSpeed,
      maxVerticalSpeed: this.maxVerticalSpeed,
      hasHeight: this.height !== null,
      terrainSource: this.terrainSource,
      temperatureSource: this.temperatureSource,
      fields: this.fieldNames,
      defaultHeightAgl: this.defaultHeightAgl,
      kernel: this.kernel,
    };
  }
}

/**
 * A 3-D wind field on pressure levels (ERA5 pressure levels, GFS isobaric): bilinear in x, y, linear
 * in time (frames further apart than `maxGapHours` are not interpolated, as griddedWind), linear in
 * log-pressure between levels. Throws `E_ARG` on bad shapes, non-ascending times or non-descending levels.
 *
 * - Heights: a point's height is placed between the levels' geopotential heights of its column
 *   (`height`); without `height` the levels are at their ICAO standard-atmosphere heights everywhere.
 *   Below the lowest level the lowest level's values are used; above the top level samples return
 *   `WIND_ABOVE_TOP` (a trajectory stops there with `model-top`).
 * - Terrain: `surface.elevation`; else the height of the first frame's surface pressure in each column
 *   (from the level heights, or the standard atmosphere); else 0 (sea level).
 * - Vertical motion: omega (Pa/s) becomes w = −ω / (ρ g) with ρ = p / (R_d T), hydrostatically, at every
 *   grid node; T is the extra level field `t` (K) when given, else the standard-atmosphere temperature of
 *   the level. w is then interpolated like u and v.
 * - The 2-D `sample` (WindField) gives u, v at `defaultHeightAgl` (500 m) above ground.
 *
 * @example
 * ```ts
 * import { pressureLevelWind } from 'hazetrace/wind';
 * const levels = [100000, 85000, 70000];
 * const n = 1 * 3 * 2 * 2; // times · levels · ny · nx
 * const u = new Float64Array(n);
 * for (let k = 0; k < 3; k++) u.fill(2 + 4 * k, k * 4, k * 4 + 4); // 2, 6, 10 m/s on the three levels
 * const f = pressureLevelWind({ west: 98, south: 18, dLng: 0.25, dLat: 0.25, nx: 2, ny: 2, times: [0], levels, u, v: new Float64Array(n) });
 * const out = new Float64Array(6);
 * f.sampleIsobaric(98.1, 18.1, 0, 85000, out); // 0 (ok); out[0] = 6 m/s, out[5] ≈ 1457 m above ground (standard atmosphere)
 * f.sample(98.1, 18.1, 0, out); // 0; u at 500 m above ground, between the 1000 and 850 hPa values
 * ```
 */
export function pressureLevelWind(a: PressureLevelWindArrays): PressureLevelWindField {
  return new PressureLevelWindField(a);
}
