/**
 * Small planar helpers for the synthetic world: which country a point is in
 * (even-odd ray casting on the embedded Natural Earth rings — exact enough at
 * a 2-km simplification for deciding which side of a border a fire burns), and
 * local km <-> degree conversions for discs a few tens of km across.
 */
import { KM_PER_DEG } from '../core/index.js';
import { COUNTRY_RINGS } from './embedded.js';
import { checkArray, checkNumbers } from '../core/check.js';
import { checkInt } from '../core/errors.js';


/**
 * Even-odd point-in-ring test (ring is an open or closed list of `[lng, lat]`).
 *
 * @example
 * ```ts
 * import { pointInRing } from 'hazetrace/sim';
 * pointInRing(0.5, 0.5, [[0, 0], [1, 0], [1, 1], [0, 1]]); // true
 * ```
 */
export function pointInRing(lng: number, lat: number, ring: readonly (readonly [number, number])[]): boolean {
  if (typeof lng !== 'number' || typeof lat !== 'number') checkNumbers(['lng', 'lat'], [lng, lat]);
  if (!Array.isArray(ring)) checkArray('ring', ring);
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * ISO-3 code of the country containing the point (from the embedded Natural Earth slice), or `''` outside them all.
 *
 * @example
 * ```ts
 * import { countryOf } from 'hazetrace/sim';
 * countryOf(98.99, 18.79); // 'THA' (Chiang Mai)
 * countryOf(97.5, 20.5);   // 'MMR'
 * ```
 */
export function countryOf(lng: number, lat: number): string {
  if (typeof lng !== 'number' || typeof lat !== 'number') checkNumbers(['lng', 'lat'], [lng, lat]);
  for (const [iso, rings] of Object.entries(COUNTRY_RINGS)) {
    for (const ring of rings) if (pointInRing(lng, lat, ring)) return iso;
  }
  return '';
}

/**
 * Offset `[lng, lat]` by `dxKm` east and `dyKm` north (local tangent plane; fine below ~100 km).
 *
 * @example
 * ```ts
 * import { offsetKm } from 'hazetrace/sim';
 * offsetKm(99, 18, 0, 111.195); // ≈ [99, 19]
 * ```
 */
export function offsetKm(lng: number, lat: number, dxKm: number, dyKm: number): [number, number] {
  if (typeof lng !== 'number' || typeof lat !== 'number' || typeof dxKm !== 'number' || typeof dyKm !== 'number') checkNumbers(['lng', 'lat', 'dxKm', 'dyKm'], [lng, lat, dxKm, dyKm]);
  return [lng + dxKm / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180)), lat + dyKm / KM_PER_DEG];
}

/**
 * A closed GeoJSON-style ring approximating a disc of `radiusKm` with `n` vertices.
 *
 * @example
 * ```ts
 * import { discRing } from 'hazetrace/sim';
 * discRing(99, 18, 6).length; // 25 (24 vertices + closing point)
 * ```
 */
export function discRing(lng: number, lat: number, radiusKm: number, n = 24): [number, number][] {
  checkNumbers(['lng', 'lat', 'radiusKm'], [lng, lat, radiusKm]);
  checkInt('n', n, 3, 100_000);
  const ring: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    const a = (2 * Math.PI * k) / n;
    ring.push(offsetKm(lng, lat, radiusKm * Math.sin(a), radiusKm * Math.cos(a)));
  }
  ring.push(ring[0]!);
  return ring;
}
