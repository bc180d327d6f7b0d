/**
 * Spherical geodesy. hazetrace uses one sphere everywhere distances matter:
 * the IUGG mean Earth radius R1 = 6,371,008.8 m (Moritz 2000, Geodetic
 * Reference System 1980), which keeps haversine errors below ~0.5 % of the
 * ellipsoidal distance — far below trajectory error (15–30 % of distance).
 * Trajectory integration uses R = 6,371,000 m (HYSPLIT's value; docs/wind.md), exported
 * separately as {@link TRAJECTORY_EARTH_RADIUS_M}.
 */
import { checkNumbers } from './check.js';

/**
 * IUGG mean Earth radius in metres.
 *
 * @example
 * ```ts
 * import { EARTH_RADIUS_M } from 'hazetrace';
 * (2 * Math.PI * EARTH_RADIUS_M) / 360; // ≈ 111195 m per degree of great circle
 * ```
 */
export const EARTH_RADIUS_M = 6_371_008.8;
/**
 * Earth radius HYSPLIT-style trajectory integration uses, metres.
 *
 * @example
 * ```ts
 * import { TRAJECTORY_EARTH_RADIUS_M } from 'hazetrace';
 * (10 * 3600) / TRAJECTORY_EARTH_RADIUS_M * (180 / Math.PI); // ≈ 0.324° of latitude per hour at 10 m/s
 * ```
 */
export const TRAJECTORY_EARTH_RADIUS_M = 6_371_000;

/**
 * Kilometres per degree of latitude (and of longitude at the equator) on the sphere of
 * {@link EARTH_RADIUS_M}: `π/180 · R / 1000` ≈ 111.195 km. Used for local equirectangular
 * distances and for turning a search radius in km into degrees.
 *
 * @example
 * ```ts
 * import { KM_PER_DEG } from 'hazetrace';
 * 50 / KM_PER_DEG; // ≈ 0.4497° of latitude for a 50 km radius
 * ```
 */
export const KM_PER_DEG = (Math.PI / 180) * (EARTH_RADIUS_M / 1000);

const RAD = Math.PI / 180;
const DEG = 180 / Math.PI;

/**
 * Great-circle distance in metres between two points given as lng/lat degrees (haversine).
 *
 * @example
 * ```ts
 * import { haversine } from 'hazetrace';
 * haversine(98.9853, 18.7883, 100.5018, 13.7563); // Chiang Mai -> Bangkok ≈ 5.82e5 m
 * ```
 */
export function haversine(lng1: number, lat1: number, lng2: number, lat2: number, radius = EARTH_RADIUS_M): number {
  if (typeof lng1 !== 'number' || typeof lat1 !== 'number' || typeof lng2 !== 'number' || typeof lat2 !== 'number' || typeof radius !== 'number') {
    checkNumbers(['lng1', 'lat1', 'lng2', 'lat2', 'radius'], [lng1, lat1, lng2, lat2, radius]);
  }
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dp = p2 - p1;
  const dl = (lng2 - lng1) * RAD;
  const s1 = Math.sin(dp / 2);
  const s2 = Math.sin(dl / 2);
  const a = s1 * s1 + Math.cos(p1) * Math.cos(p2) * s2 * s2;
  return 2 * radius * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Initial bearing (forward azimuth) from point 1 to point 2, degrees clockwise from north in [0, 360).
 *
 * @example
 * ```ts
 * import { initialBearing } from 'hazetrace';
 * initialBearing(0, 0, 1, 0); // 90 (due east)
 * ```
 */
export function initialBearing(lng1: number, lat1: number, lng2: number, lat2: number): number {
  if (typeof lng1 !== 'number' || typeof lat1 !== 'number' || typeof lng2 !== 'number' || typeof lat2 !== 'number') {
    checkNumbers(['lng1', 'lat1', 'lng2', 'lat2'], [lng1, lat1, lng2, lat2]);
  }
  const p1 = lat1 * RAD;
  const p2 = lat2 * RAD;
  const dl = (lng2 - lng1) * RAD;
  const y = Math.sin(dl) * Math.cos(p2);
  const x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  const b = Math.atan2(y, x) * DEG;
  return (b + 360) % 360;
}

/**
 * Destination point reached from (lng, lat) after `distance` metres along the great circle
 * with initial `bearing` (degrees from north). Returns `[lng, lat]` with lng wrapped to [-180, 180).
 *
 * @example
 * ```ts
 * import { destination } from 'hazetrace';
 * destination(0, 0, 90, 111195); // ≈ [1, 0]
 * ```
 */
export function destination(lng: number, lat: number, bearing: number, distance: number, radius = EARTH_RADIUS_M): [number, number] {
  if (typeof lng !== 'number' || typeof lat !== 'number' || typeof bearing !== 'number' || typeof distance !== 'number' || typeof radius !== 'number') {
    checkNumbers(['lng', 'lat', 'bearing', 'distance', 'radius'], [lng, lat, bearing, distance, radius]);
  }
  const d = distance / radius;
  const t = bearing * RAD;
  const p1 = lat * RAD;
  const l1 = lng * RAD;
  const sp2 = Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(t);
  const p2 = Math.asin(Math.max(-1, Math.min(1, sp2)));
  const l2 = l1 + Math.atan2(Math.sin(t) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * sp2);
  return [wrapLng(l2 * DEG), p2 * DEG];
}

/**
 * Wrap a longitude into [-180, 180).
 *
 * @example
 * ```ts
 * import { wrapLng } from 'hazetrace';
 * wrapLng(190); // -170
 * ```
 */
export function wrapLng(lng: number): number {
  if (typeof lng !== 'number') checkNumbers(['lng'], [lng]);
  if (lng >= -180 && lng < 180) return lng;
  const w = ((((lng + 180) % 360) + 360) % 360) - 180;
  return w;
}

/**
 * Convert meteorological wind (speed, direction the wind blows FROM, degrees) to u (east) and v (north).
 * `u = -s·sin θ`, `v = -s·cos θ`.
 *
 * @example
 * ```ts
 * import { windToUV } from 'hazetrace';
 * windToUV(10, 90); // [-10, ~0]: wind from the east blows westward
 * ```
 */
export function windToUV(speed: number, directionFrom: number): [number, number] {
  if (typeof speed !== 'number' || typeof directionFrom !== 'number') checkNumbers(['speed', 'directionFrom'], [speed, directionFrom]);
  const t = directionFrom * RAD;
  return [-speed * Math.sin(t), -speed * Math.cos(t)];
}

/**
 * Convert u/v back to meteorological speed and FROM-direction in [0, 360).
 *
 * @example
 * ```ts
 * import { uvToWind } from 'hazetrace';
 * uvToWind(-10, 0); // [10, 90]
 * ```
 */
export function uvToWind(u: number, v: number): [number, number] {
  if (typeof u !== 'number' || typeof v !== 'number') checkNumbers(['u', 'v'], [u, v]);
  const s = Math.hypot(u, v);
  let d = Math.atan2(-u, -v) * DEG;
  if (d < 0) d += 360;
  if (d >= 360) d -= 360;
  return [s, d + 0]; // + 0 turns -0 into 0
}
