/**
 * GeoJSON output for trajectory statistics (PSCF/CWT/SQTBA cells as H3 hexagons or openair boxes).
 */
import { cellToBoundary } from 'h3-js';
import type { FeatureCollection } from 'geojson';
import type { TrajStatResult } from './trajstats.js';
import { checkShape } from '../core/check.js';

/**
 * PSCF/CWT/SQTBA cells as GeoJSON polygons: H3 hexagons (property `h3`) or lat/lng boxes centred on the cell centre,
 * with `value`, `n`, `weight` (and `m` for PSCF).
 *
 * @example
 * ```ts
 * import { cwt, trajStatToGeoJson } from 'hazetrace/attribution';
 * const fc = trajStatToGeoJson(cwt({ lng: [99], lat: [19], value: [50] }, { grid: { type: 'h3', res: 5 } }));
 * fc.features[0]?.properties?.h3; // an h3 index string
 * ```
 */
export function trajStatToGeoJson(result: TrajStatResult): FeatureCollection {
  checkShape('result', result, { grid: 'object', cells: 'array' });
  const g = result.grid;
  return {
    type: 'FeatureCollection',
    features: result.cells.map((c) => {
      let ring: number[][];
      if (g.type === 'h3') {
        ring = cellToBoundary(c.id, true);
        ring.push(ring[0] as number[]);
      } else {
        const hx = (g.size ?? 1) / 2;
        const hy = (g.latSize ?? g.size ?? 1) / 2;
        ring = [
          [c.lng - hx, c.lat - hy],
          [c.lng + hx, c.lat - hy],
          [c.lng + hx, c.lat + hy],
          [c.lng - hx, c.lat + hy],
          [c.lng - hx, c.lat - hy],
        ];
      }
      return {
        type: 'Feature' as const,
        geometry: { type: 'Polygon' as const, coordinates: [ring] },
        properties: {
          ...(g.type === 'h3' ? { h3: c.id } : { cell: c.id }),
          statistic: result.statistic,
          value: c.value,
          n: c.n,
          weight: c.weight,
          ...(c.m !== undefined ? { m: c.m } : {}),
        },
      };
    }),
  };
}
