/**
 * Size a gridding job before running it: an upper bound on the number of H3 cells that cover an area, so a
 * caller (the CLI's `--max-cells`, a service's request limit) can refuse or coarsen before allocating.
 */
import { getHexagonAreaAvg } from 'h3-js';
import { EARTH_RADIUS_M } from '../core/geodesy.js';
import { argError, checkFinite, checkInt } from '../core/errors.js';
import { polygonAreaM2 } from './polygons.js';
import type { PolygonInput } from './polygons.js';

const DEG = Math.PI / 180;

/** Margin on the area ratio: cells along the edge and the spread of H3 cell areas around their mean. */
const CELL_COUNT_MARGIN = 1.1;

/**
 * Upper bound on the H3 cells at resolution `res` that cover `areaM2` square metres: the area over the mean cell
 * area of that resolution, plus 10 %, plus `border` cells (e.g. the perimeter of a raster in pixels).
 *
 * @param areaM2 area to cover, m² (≥ 0)
 * @param res H3 resolution 0–15
 * @param border extra cells for the edge, default 0
 * @example
 * ```ts
 * import { cellCountBound } from 'hazetrace/grid';
 * Math.round(cellCountBound(1e10, 6)); // ≈ 303: 10,000 km² of res-6 cells (mean 36.3 km²) with 10 % margin
 * ```
 */
export function cellCountBound(areaM2: number, res: number, border = 0): number {
  checkFinite('areaM2', areaM2);
  checkInt('res', res, 0, 15);
  checkFinite('border', border);
  return (Math.max(0, areaM2) / getHexagonAreaAvg(res, 'm2')) * CELL_COUNT_MARGIN + border;
}

/**
 * Area, m², of the lng/lat box between two meridians and two parallels on the sphere (R = 6,371,008.8 m):
 * R² · Δλ · |sin φ₂ − sin φ₁|. Longitudes are not wrapped: a box wider than 360° counts 360°.
 *
 * @example
 * ```ts
 * import { boxAreaM2 } from 'hazetrace/grid';
 * boxAreaM2(98, 18, 99, 19) / 1e6; // ≈ 11,700 km²: one degree square at 18.5° N
 * ```
 */
export function boxAreaM2(west: number, south: number, east: number, north: number): number {
  for (const [k, x] of [['west', west], ['south', south], ['east', east], ['north', north]] as const) checkFinite(k, x);
  const dLng = Math.min(360, Math.abs(east - west)) * DEG;
  const s1 = Math.sin(Math.max(-90, Math.min(90, south)) * DEG);
  const s2 = Math.sin(Math.max(-90, Math.min(90, north)) * DEG);
  return EARTH_RADIUS_M * EARTH_RADIUS_M * dLng * Math.abs(s2 - s1);
}

/**
 * Total area, m², of the polygon features of a GeoJSON-like list (Polygon and MultiPolygon geometries; features
 * without geometry count 0). Overlaps are counted twice, which keeps it an upper bound for cell budgets.
 *
 * @example
 * ```ts
 * import { featuresAreaM2 } from 'hazetrace/grid';
 * featuresAreaM2([{ geometry: { type: 'Polygon', coordinates: [[[98, 18], [99, 18], [99, 19], [98, 19], [98, 18]]] } }]) / 1e6; // ≈ 11,700 km²
 * ```
 */
export function featuresAreaM2(features: readonly { geometry?: unknown }[]): number {
  if (!Array.isArray(features)) throw argError('features', features, 'an array of GeoJSON features');
  let a = 0;
  for (const f of features) {
    const g = f?.geometry as { type?: string } | null | undefined;
    if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon')) a += polygonAreaM2(g as PolygonInput);
  }
  return a;
}
