/**
 * Cell budgets for the CLI: operations whose size is known before they start (H3 cells of a resolution
 * over an area or a point set) refuse with `E_BUDGET` (exit 2) before allocating, suggesting the finest
 * `--res` that fits. Estimates are upper bounds (area / mean cell area, plus a margin).
 */
import { cellCountBound } from '../grid/index.js';
import { usageError } from './errors.js';

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

/** The budget estimate of an area: {@link cellCountBound} of hazetrace/grid as a function of the resolution. */
export const areaCellEstimate = (areaM2: number, border = 0) => (r: number): number => cellCountBound(areaM2, r, border);
