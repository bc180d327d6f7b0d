/**
 * Shared data model (docs/architecture.md). Coordinates are [lng, lat] WGS84 degrees;
 * times are UTC epoch ms. Hot-path data are columnar: equal-length typed
 * arrays plus string columns, never an object per point.
 */

/** A row a reader could not accept: 1-based data row number (header excluded), the column, a code and a reason. */
export interface RejectedRow {
  /** 1-based data row (the first row after the header is 1; for GeoJSON the 1-based feature index). */
  row: number;
  /** Column (or property) that was bad, when one was. */
  column?: string;
  /** Stable code, e.g. `E_COORD`, `E_DATE`, `E_NUMBER`, `E_COLUMNS`. */
  code: string;
  /** Human-readable reason naming the bad value. */
  message: string;
}

/** Columnar FIRMS active-fire detections (MODIS or VIIRS). */
export interface Hotspots {
  /** Number of detections. */
  length: number;
  lng: Float64Array;
  lat: Float64Array;
  /** Acquisition time, UTC epoch ms. */
  time: Float64Array;
  /** Fire radiative power, MW (NaN when absent). */
  frp: Float64Array;
  /** MODIS `brightness` (band 21/22) or VIIRS `bright_ti4`, kelvin. */
  brightness: Float64Array;
  /** MODIS `bright_t31` or VIIRS `bright_ti5`, kelvin. */
  brightness2: Float64Array;
  scan: Float64Array;
  track: Float64Array;
  /** Confidence as given: MODIS `0`..`100`, VIIRS `l`/`n`/`h` (or `low`/`nominal`/`high`). */
  confidence: string[];
  /** Confidence on one 0–100 scale (VIIRS low 20, nominal 60, high 90; MODIS as is). */
  confidenceNorm: Float64Array;
  satellite: string[];
  instrument: ('MODIS' | 'VIIRS')[];
  /** `D` or `N` ('' when absent). */
  daynight: string[];
  version: string[];
  /** Any other columns kept verbatim (e.g. `snapshot_id`, `type`), by header name. */
  extra: Record<string, string[]>;
}

/** Columnar station time series (long form): one row per station and time. */
export interface StationSeries {
  length: number;
  /** Station id, normalised to lower case so `35T` and `35t` match. */
  station: string[];
  /** UTC epoch ms of the row's label time (see the reader's `hourLabel`). */
  time: Float64Array;
  /** Value columns by name (e.g. `pm25_ugm3`), NaN where missing. */
  values: Record<string, Float64Array>;
}

/** Station metadata. */
export interface Stations {
  length: number;
  /** Lower-case id. */
  id: string[];
  name: string[];
  lng: Float64Array;
  lat: Float64Array;
  extra: Record<string, string[]>;
}

/**
 * One resolution of H3 cells with aligned value columns. `cells` are h3-js hex strings.
 * When gridded per time bin, `time` holds each row's bin start (UTC ms) and a cell may repeat across bins.
 */
export interface CellGrid {
  res: number;
  cells: string[];
  columns: Record<string, Float64Array>;
  time?: Float64Array;
}

/**
 * A regular longitude/latitude grid of nodes (cell centres): column 0 at `west`, row 0 the SOUTHERNMOST row at
 * `south`, columns going east by `dLng`, rows north by `dLat`. Values on it are laid out `[row][col]` (one plane), or
 * `[t][row][col]` for a series: index `(t*ny + row)*nx + col`. The wind fields, the mixing-height fields and the
 * NetCDF/GRIB2 readers share it.
 */
export interface LngLatGrid {
  /** Longitude of column 0 (cell centre / grid node), degrees. */
  west: number;
  /** Latitude of row 0, the southernmost row, degrees. */
  south: number;
  /** Longitude step, degrees (> 0). */
  dLng: number;
  /** Latitude step, degrees (> 0). */
  dLat: number;
  /** Number of columns (>= 2). */
  nx: number;
  /** Number of rows (>= 2). */
  ny: number;
}

/** Why a trajectory stopped (`model-top`: a 3-D trajectory reached the top level of its field). */
export type StopReason = 'completed' | 'left-domain' | 'no-data' | 'time-range' | 'model-top';

/**
 * Status a wind field returns for one sample; 0 means u/v were written.
 *
 * @example
 * ```ts
 * import { WIND_OK } from 'hazetrace';
 * import { uniformWind } from 'hazetrace/wind';
 * const out = new Float64Array(2);
 * uniformWind({ speed: 5, directionFrom: 90 }).sample(99, 18, 0, out) === WIND_OK; // true; out = [-5, ~0]
 * ```
 */
export const WIND_OK = 0;
/**
 * Wind sample status: the point is outside the field's domain.
 *
 * @example
 * ```ts
 * import { WIND_LEFT_DOMAIN } from 'hazetrace';
 * import { griddedWind } from 'hazetrace/wind';
 * const w = griddedWind({ west: 98, south: 18, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0], u: [1, 1, 1, 1], v: [0, 0, 0, 0] });
 * w.sample(120, 18.5, 0, new Float64Array(2)) === WIND_LEFT_DOMAIN; // true
 * ```
 */
export const WIND_LEFT_DOMAIN = 1;
/**
 * Wind sample status: the time is outside the field's time span.
 *
 * @example
 * ```ts
 * import { WIND_TIME_RANGE } from 'hazetrace';
 * import { griddedWind } from 'hazetrace/wind';
 * const w = griddedWind({ west: 98, south: 18, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0, 3600000], u: new Float64Array(8), v: new Float64Array(8) });
 * w.sample(98.5, 18.5, 7200000, new Float64Array(2)) === WIND_TIME_RANGE; // true
 * ```
 */
export const WIND_TIME_RANGE = 2;
/**
 * Wind sample status: the field has NoData (NaN) there.
 *
 * @example
 * ```ts
 * import { WIND_NO_DATA } from 'hazetrace';
 * import { griddedWind } from 'hazetrace/wind';
 * const w = griddedWind({ west: 98, south: 18, dLng: 1, dLat: 1, nx: 2, ny: 2, times: [0], u: [NaN, NaN, NaN, NaN], v: [0, 0, 0, 0] });
 * w.sample(98.5, 18.5, 0, new Float64Array(2)) === WIND_NO_DATA; // true
 * ```
 */
export const WIND_NO_DATA = 3;
export type WindStatus = typeof WIND_OK | typeof WIND_LEFT_DOMAIN | typeof WIND_TIME_RANGE | typeof WIND_NO_DATA;

/**
 * A wind field samples u (eastward) and v (northward), m/s, at a place and time.
 * It never invents: outside the domain, outside the time span or on NoData it returns a non-zero status.
 */
export interface WindField {
  /** Human-readable kind, e.g. `uniform`, `gridded`, `station`. */
  readonly kind: string;
  /**
   * Write u to `out[0]` and v to `out[1]` (out reused to avoid allocation on the hot path).
   */
  sample(lng: number, lat: number, time: number, out: Float64Array): WindStatus;
  /** Time span covered, UTC ms (may be ±Infinity for steady fields). */
  readonly timeRange: readonly [number, number];
  /** Grid spacing in metres along the smaller axis, for the HYSPLIT step rule; undefined for non-gridded fields. */
  readonly gridSpacingM?: number;
  /** Largest wind speed in the field, m/s, when known. */
  readonly maxSpeed?: number;
  /** Grid spacing in degrees [dLng, dLat] when the field is a regular lat/lng grid (for ±1-cell offset ensembles). */
  readonly gridStepDeg?: readonly [number, number];
}

/** A single trajectory: columnar endpoints, start point first. */
export interface Trajectory {
  lng: Float64Array;
  lat: Float64Array;
  time: Float64Array;
  /** Hours since the start (always >= 0, also for back-trajectories). */
  ageHours: Float64Array;
  stopReason: StopReason;
  receptor?: string;
  member?: number;
}

/**
 * Many trajectories in one columnar block. Trajectory `i` owns points `offsets[i]..offsets[i+1]-1`.
 */
export interface TrajectorySet {
  /** Number of trajectories. */
  length: number;
  offsets: Uint32Array;
  lng: Float64Array;
  lat: Float64Array;
  time: Float64Array;
  ageHours: Float64Array;
  /** Receptor id per trajectory ('' when none). */
  receptor: string[];
  /** Ensemble member per trajectory (0 for a single run). */
  member: Int32Array;
  /** Start time per trajectory, UTC ms. */
  startTime: Float64Array;
  stopReason: StopReason[];
}

/** Kinds of candidate source (docs/architecture.md). */
export type SourceKind = 'hotspot' | 'area' | 'facility' | 'report';
