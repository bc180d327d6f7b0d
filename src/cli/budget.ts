/**
 * Cell budgets for the CLI: operations whose size is known before they start (H3 cells of a resolution
 * over an area or a point set) refuse with `E_BUDGET` (exit 2) before allocating, suggesting the finest
 * `--res` that fits. Estimates are upper bounds (area / mean cell area, plus a margin).
 */
import { geoArea } from 'd3-geo';
import { getHexagonAreaAvg } from 'h3-js';
import { usageError } from './errors.js';

/** Mean Earth radius, km (IUGG). */
const R_KM = 6371.0088;

/** The finest resolution at or below `res` whose estimate fits `maxCells` (0 if none does). */
export function fittingRes(estimate: (r: number) => number, res: number, maxCells: number): number {
  let r = res;
  while (r > 0 && estimate(r) > maxCells) r--;
  return r;
}

/** Throw a usage error `[E_BUDGET]` naming --res when `estimate(res)` exceeds `maxCells`. */
export function checkCellBudget(what: string, estimate: (r: number) => number, res: number, maxCells: number, limitOption = '--max-cells'): void {
  const n = estimate(res);
  if (n <= maxCells) return;
  const fit = fittingRes(estimate, res, maxCells);
  const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
  throw usageError(
    `${what} at --res ${res} would make up to ${fmt(n)} H3 cells, over the budget of ${fmt(maxCells)} cells [E_BUDGET]`,
    '--res',
    `use --res ${fit} or coarser (~${fmt(estimate(fit))} cells), or raise ${limitOption} if you have the memory`,
  );
}

/** Area of GeoJSON polygon features in km² (either ring winding), for cell estimates. */
export function polygonsAreaKm2(features: readonly { geometry: unknown }[]): number {
  let sr = 0;
  for (const f of features) {
    if (!f.geometry) continue;
    let a = geoArea(f as Parameters<typeof geoArea>[0]);
    if (a > 2 * Math.PI) a = 4 * Math.PI - a; // ring wound the other way: d3 measured the outside
    if (Number.isFinite(a)) sr += a;
  }
  return sr * R_KM * R_KM;
}

/** Upper bound on the H3 cells covering `areaKm2` at resolution r (10 % margin plus `border` cells). */
export const areaCellEstimate = (areaKm2: number, border = 0) => (r: number): number => (areaKm2 / getHexagonAreaAvg(r, 'km2')) * 1.1 + border;
