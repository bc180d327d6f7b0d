/**
 * Test helper: `PressureLevelWindArrays` filled from formulas of (frame, level, row, col), for the analytic 3-D
 * cases of field3d.test.ts and trace3d.test.ts. Layout `[t][level][row][col]`, row 0 southernmost.
 */
import type { PressureLevelWindArrays } from '../../src/wind/index.js';

/** Standard levels, Pa, bottom first. */
export const LEVELS = [100000, 92500, 85000, 70000, 50000, 30000];

type Formula = (t: number, k: number, row: number, col: number) => number;

/** What a case sets; anything left out takes the grid's default. u and v default to 0; omega and height are left out. */
export interface PressureLevelSpec {
  nx?: number;
  ny?: number;
  /** Grid step, degrees (both axes). */
  dDeg?: number;
  times?: number[];
  levels?: number[];
  u?: Formula;
  v?: Formula;
  omega?: Formula;
  height?: Formula;
}

/** The grid a test file uses by default: south-west node, step, size and frame times. */
export interface GridDefaults {
  west: number;
  south: number;
  dDeg: number;
  nx: number;
  ny: number;
  times: number[];
}

/** Arrays for `pressureLevelWind` from the spec over the file's default grid; `more` overrides any field. */
export function pressureLevelArrays(s: PressureLevelSpec, grid: GridDefaults, more: Partial<PressureLevelWindArrays> = {}): PressureLevelWindArrays {
  const nx = s.nx ?? grid.nx;
  const ny = s.ny ?? grid.ny;
  const times = s.times ?? grid.times;
  const levels = s.levels ?? LEVELS;
  const nz = levels.length;
  const n = times.length * nz * ny * nx;
  const fill = (fn: Formula): Float64Array => {
    const a = new Float64Array(n);
    for (let t = 0; t < times.length; t++)
      for (let k = 0; k < nz; k++)
        for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) a[((t * nz + k) * ny + r) * nx + c] = fn(t, k, r, c);
    return a;
  };
  const d = s.dDeg ?? grid.dDeg;
  const a: PressureLevelWindArrays = {
    west: grid.west,
    south: grid.south,
    dLng: d,
    dLat: d,
    nx,
    ny,
    times,
    levels,
    u: fill(s.u ?? (() => 0)),
    v: fill(s.v ?? (() => 0)),
    ...more,
  };
  if (s.omega) a.omega = fill(s.omega);
  if (s.height) a.height = fill(s.height);
  return a;
}
