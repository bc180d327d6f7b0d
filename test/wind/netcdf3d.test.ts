/**
 * Pressure-level NetCDF (ERA5 / GFS) → the arrays of pressureLevelWind. Fixtures: scripts/fixtures/make-era5-pl.py
 * (analytic values; expected.json holds what netCDF4-python decodes at a few nodes).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { windFromNetcdf } from '../../src/wind/netcdf.js';
import { hasPressureLevels, readNetcdf3d, type Netcdf3dResult } from '../../src/wind/netcdf3d.js';
import { expectHazetraceError } from '../hostile/helpers.js';
import { writeNc3, type Nc3Var } from './nc3-writer.js';

const DIR = resolve(import.meta.dirname, '../fixtures/wind3d');
const bytes = (name: string): Uint8Array => readFileSync(resolve(DIR, name));
interface Node {
  frame: number;
  levelHpa: number;
  lat: number;
  lng: number;
}
const expected = JSON.parse(readFileSync(resolve(DIR, 'expected.json'), 'utf8')) as Record<string, Record<string, { values: (number | null)[]; scale_factor?: number }>> & { nodes: Node[] };
const NODES = expected.nodes;
const G = 9.80665;
const HEIGHTS: Record<number, number> = { 1000: 110, 925: 760, 850: 1460, 700: 3010, 500: 5570 };
const K: Record<number, number> = { 1000: 0, 925: 1, 850: 2, 700: 3, 500: 4 };

/** The analytic formulas of the fixture script. */
function analytic(name: string, n: Node): number {
  const x = n.lng - 98;
  const y = n.lat - 18;
  const k = K[n.levelHpa]!;
  const h = HEIGHTS[n.levelHpa]!;
  const ti = n.frame;
  switch (name) {
    case 'u':
      return 3 + 0.5 * k + 0.2 * x + 0.1 * ti;
    case 'v':
      return -2 + 0.3 * y - 0.1 * k + 0.05 * ti;
    case 'omega':
      return -0.05 + 0.01 * k + 0.002 * ti;
    case 'height':
      return h + 10 * x + 20 * y;
    case 't':
      return 300 - (6.5 * h) / 1000 + 0.5 * ti;
    case 'r':
      return 80 - 5 * k + y;
    case 'elevation':
      return 200 + 100 * x + 50 * y;
    case 'pressure':
      return 100000 - 10 * (200 + 100 * x + 50 * y) + 10 * ti;
    case 'mixingHeight':
      return 800 + 200 * ti + 50 * x;
    case 'precipitation':
      return 0.5 * ti * (y + 1); // tp [m per hour] × 1000
    default:
      throw new Error(name);
  }
}

/** Index of a node in a [t][k][row][col] (levels) or [t][row][col] array. */
function at(r: Netcdf3dResult, n: Node, levels: boolean): number {
  const a = r.arrays;
  const row = Math.round((n.lat - a.south) / a.dLat);
  const col = Math.round((n.lng - a.west) / a.dLng);
  const k = Array.from(a.levels).indexOf(n.levelHpa * 100);
  return levels ? ((n.frame * a.levels.length + k) * a.ny + row) * a.nx + col : (n.frame * a.ny + row) * a.nx + col;
}

function arrayOf(r: Netcdf3dResult, role: string): Float32Array | Float64Array {
  const a = r.arrays;
  const x = role === 'u' ? a.u : role === 'v' ? a.v : role === 'omega' ? a.omega : role === 'height' ? a.height : a.extra?.[role]?.values;
  if (!x) throw new Error(`no ${role}`);
  return x;
}

describe('readNetcdf3d: ERA5 and GFS pressure-level files', () => {
  const cases: [string, Record<string, string>][] = [
    ['era5_pl_packed.nc', { u: 'u', v: 'v', omega: 'w', height: 'z', t: 't', r: 'r' }],
    ['era5_pl.nc', { u: 'u', v: 'v', omega: 'w', height: 'z', t: 't', r: 'r' }],
    ['gfs_pl_thredds.nc', { u: 'u', v: 'v', omega: 'w', height: 'gh' }],
    ['gfs_pl_nomads.nc', { u: 'ugrdprs', v: 'vgrdprs', omega: 'vvelprs', height: 'hgtprs', t: 'tmpprs' }],
  ];
  for (const [file, vars] of cases) {
    it(`${file}: grid, times, levels bottom first in Pa, and the values netCDF4 decodes at every checked node`, async () => {
      const r = await readNetcdf3d(bytes(file));
      const a = r.arrays;
      expect([a.west, a.south, a.dLng, a.dLat, a.nx, a.ny]).toEqual([98, 17, 0.25, 0.25, 9, 9]);
      expect(Array.from(a.times)).toEqual([0, 1, 2, 3].map((h) => Date.UTC(2025, 3, 22, h)));
      expect(Array.from(a.levels)).toEqual([100000, 92500, 85000, 70000, 50000]);
      expect(r.variables).toMatchObject(vars);
      for (const [role, name] of Object.entries(vars)) {
        const want = expected[file]![name]!;
        const arr = arrayOf(r, role);
        NODES.forEach((n, i) => {
          const e = want.values[i]!;
          const got = arr[at(r, n, true)]!;
          if (e === null) return expect(got, `${role} at node ${i} is the fill value`).toBeNaN();
          const ref = role === 'height' && name === 'z' ? e / G : e;
          expect(Math.abs(got - ref), `${role} node ${i}: ${got} vs ${ref}`).toBeLessThanOrEqual(Math.abs(ref) * 2 ** -23 + 1e-12);
          // and the analytic value, to the packing's precision (½ scale_factor) or float32's
          const tol = (want.scale_factor ?? 0) / 2 / (role === 'height' && name === 'z' ? G : 1) + Math.abs(ref) * 2 ** -22 + 1e-9;
          expect(Math.abs(got - analytic(role, n)), `${role} node ${i} vs formula`).toBeLessThanOrEqual(tol);
        });
      }
    });
  }

  it('packed shorts: every value of the NetCDF3 file is its analytic value to ½ scale_factor, and the one fill is NaN', async () => {
    const r = await readNetcdf3d(bytes('era5_pl_packed.nc'));
    const a = r.arrays;
    const sf = expected['era5_pl_packed.nc']!['u']!.scale_factor!;
    let nan = 0;
    let worst = 0;
    for (let t = 0; t < 4; t++) {
      for (const [hpa] of Object.entries(K)) {
        for (let row = 0; row < 9; row++) {
          for (let col = 0; col < 9; col++) {
            const n = { frame: t, levelHpa: Number(hpa), lat: 17 + row * 0.25, lng: 98 + col * 0.25 };
            const got = a.u[at(r, n, true)]!;
            if (Number.isNaN(got)) {
              nan++;
              expect(n).toEqual({ frame: 1, levelHpa: 850, lat: 18.25, lng: 99 });
              continue;
            }
            worst = Math.max(worst, Math.abs(got - analytic('u', n)));
          }
        }
      }
    }
    expect(nan).toBe(1);
    expect(worst).toBeLessThanOrEqual(sf / 2 + 1e-6);
    expect(worst).toBeGreaterThan(0); // it really was packed
  });

  it('single-level file: elevation = z/g, sp in Pa, blh in m, tp (m per hour) → mm/h; extras t, r carry units', async () => {
    const r = await readNetcdf3d(bytes('era5_pl.nc'), { surface: bytes('era5_sl.nc') });
    const s = r.arrays.surface!;
    expect(r.variables).toMatchObject({ elevation: 'z', pressure: 'sp', mixingHeight: 'blh', precipitation: 'tp' });
    for (const n of NODES) {
      const i = at(r, n, false);
      const row = (i % 81);
      expect(s.elevation![row]).toBeCloseTo(analytic('elevation', n), 2);
      expect(s.pressure![i]).toBeCloseTo(analytic('pressure', n), 1);
      expect(s.mixingHeight![i]).toBeCloseTo(analytic('mixingHeight', n), 2);
      expect(s.precipitation![i]).toBeCloseTo(analytic('precipitation', n), 4);
    }
    expect(r.arrays.extra!['t']!.units).toBe('K');
    expect(r.arrays.extra!['r']!.units).toBe('%');
    expect(r.rejected).toEqual([]);
  });

  it('precipAccumulationHours divides accumulations (3-hourly buckets)', async () => {
    const one = await readNetcdf3d(bytes('era5_pl.nc'), { surface: bytes('era5_sl.nc') });
    const three = await readNetcdf3d(bytes('era5_pl.nc'), { surface: bytes('era5_sl.nc'), precipAccumulationHours: 3 });
    const i = at(one, NODES[2]!, false);
    expect(one.arrays.surface!.precipitation![i]).toBeGreaterThan(0);
    expect(three.arrays.surface!.precipitation![i]).toBeCloseTo(one.arrays.surface!.precipitation![i]! / 3, 6);
  });

  it('extra: names a single-level field (levels: false) and lists names found nowhere', async () => {
    const r = await readNetcdf3d(bytes('era5_pl.nc'), { surface: bytes('era5_sl.nc'), extra: ['t', 'blh', 'q'] });
    expect(r.arrays.extra!['t']!.levels).toBe(true);
    expect(r.arrays.extra!['blh']!.levels).toBe(false);
    expect(r.arrays.extra!['blh']!.values[at(r, NODES[3]!, false)]).toBeCloseTo(analytic('mixingHeight', NODES[3]!), 2);
    expect(r.missing).toEqual(['q']);
  });

  it('the 2-D reader takes one level of the packed NetCDF3 record file (netcdfjs record padding dropped)', async () => {
    // 9 × 9 int16 values per record level slab = an odd count: netcdfjs returns a padding value per record
    const f = await windFromNetcdf(bytes('era5_pl_packed.nc'), { uVar: 'u', vVar: 'v', level: 700 });
    const o = new Float64Array(2);
    for (const n of NODES.filter((x) => x.levelHpa === 700 || x.levelHpa === 925).map((x) => ({ ...x, levelHpa: 700 }))) {
      expect(f.sample(n.lng, n.lat, Date.UTC(2025, 3, 22, n.frame), o)).toBe(0);
      expect(o[0]).toBeCloseTo(analytic('u', n), 3);
      expect(o[1]).toBeCloseTo(analytic('v', n), 3);
    }
  });

  it('hasPressureLevels tells 3-D files from 2-D ones and garbage', async () => {
    expect(await hasPressureLevels(bytes('era5_pl_packed.nc'))).toBe(true);
    expect(await hasPressureLevels(bytes('gfs_pl_nomads.nc'))).toBe(true);
    expect(await hasPressureLevels(readFileSync(resolve(DIR, '../wind/era5_like_packed.nc')))).toBe(false);
    expect(await hasPressureLevels(new Uint8Array([1, 2, 3]))).toBe(false);
  });
});

/** A small NetCDF3 pressure-level file for hostile cases. */
function pl(opts: { levels?: number[]; levelUnits?: string; omegaUnits?: string; u?: number[]; lat?: number[] } = {}): Uint8Array {
  const levels = opts.levels ?? [1000, 850];
  const lat = opts.lat ?? [18, 19];
  const n = 2 * levels.length * lat.length * 2;
  const base = (x: number): number[] => Array.from({ length: n }, () => x);
  const four = ['time', 'level', 'latitude', 'longitude'];
  const vars: Nc3Var[] = [
    { name: 'time', dims: ['time'], type: 'double', attrs: { units: 'hours since 2025-04-22 00:00' }, data: [0, 1] },
    { name: 'level', dims: ['level'], type: 'double', attrs: opts.levelUnits === undefined ? { units: 'hPa' } : { units: opts.levelUnits }, data: levels },
    { name: 'latitude', dims: ['latitude'], type: 'double', data: lat },
    { name: 'longitude', dims: ['longitude'], type: 'double', data: [98, 99] },
    { name: 'u', dims: four, type: 'float', data: opts.u ?? base(2) },
    { name: 'v', dims: four, type: 'float', data: base(1) },
    { name: 'w', dims: four, type: 'float', attrs: { units: opts.omegaUnits ?? 'Pa s**-1' }, data: base(0.1) },
  ];
  return writeNc3({ dims: { time: 2, level: levels.length, latitude: lat.length, longitude: 2 }, vars });
}

describe('readNetcdf3d: hostile input', () => {
  it('the tiny writer file reads (control)', async () => {
    const r = await readNetcdf3d(pl());
    expect(Array.from(r.arrays.levels)).toEqual([100000, 85000]);
    expect(r.arrays.omega![0]).toBeCloseTo(0.1, 6);
  });
  it('format: a 2-D (u10/v10) file names windFromNetcdf', async () => {
    const e = await expectHazetraceError(() => readNetcdf3d(readFileSync(resolve(DIR, '../wind/era5_like_packed.nc'))), 'E_FORMAT');
    expect(e.message).toMatch(/no pressure-level wind/);
  });
  it('format: one level is not 3-D', async () => {
    const e = await expectHazetraceError(() => readNetcdf3d(pl({ levels: [850] })), 'E_FORMAT');
    expect(e.message).toMatch(/at least 2/);
  });
  it('format: level units that are not pressure', async () => {
    const e = await expectHazetraceError(() => readNetcdf3d(pl({ levelUnits: 'K' })), 'E_FORMAT');
    expect(e.message).toMatch(/units "K"/);
  });
  it('format: a repeated level', async () => {
    await expectHazetraceError(() => readNetcdf3d(pl({ levels: [850, 850] })), 'E_FORMAT');
  });
  it('format: a negative level', async () => {
    const e = await expectHazetraceError(() => readNetcdf3d(pl({ levels: [1000, -5] })), 'E_FORMAT');
    expect(e.details?.['row']).toBe(2);
  });
  it('format: geometric w (m/s) is not taken for omega', async () => {
    const e = await expectHazetraceError(() => readNetcdf3d(pl({ omegaUnits: 'm s-1' })), 'E_FORMAT');
    expect(e.message).toMatch(/Pa\/s/);
  });
  it('range: a wild u is NoData and counted per frame', async () => {
    const u = Array.from({ length: 16 }, () => 2);
    u[9] = 5000;
    const r = await readNetcdf3d(pl({ u }));
    expect(r.rejected).toEqual([expect.objectContaining({ row: 2, column: 'u', code: 'E_RANGE' })]);
    expect(r.arrays.u.filter((x) => Number.isNaN(x)).length).toBe(1);
  });
  it('truncated file → E_FORMAT', async () => {
    const b = bytes('era5_pl_packed.nc');
    await expectHazetraceError(() => readNetcdf3d(b.subarray(0, b.length - 1000)), 'E_FORMAT');
  });
  it('not NetCDF → E_FORMAT', async () => {
    await expectHazetraceError(() => readNetcdf3d(new TextEncoder().encode('time,u,v\n')), 'E_FORMAT');
  });
  it('surface grid with another step → E_FORMAT naming the surface file', async () => {
    const e = await expectHazetraceError(() => readNetcdf3d(bytes('era5_pl.nc'), { surface: pl() }), 'E_FORMAT');
    expect(e.message).toMatch(/surface file 1/);
  });
  it('surface file that lacks a frame time → NaN frame and E_DATE rejection', async () => {
    const sl = writeNc3({
      dims: { time: 1, latitude: 2, longitude: 2 },
      vars: [
        { name: 'time', dims: ['time'], type: 'double', attrs: { units: 'hours since 2025-04-22 00:00' }, data: [1] },
        { name: 'latitude', dims: ['latitude'], type: 'double', data: [19, 18] },
        { name: 'longitude', dims: ['longitude'], type: 'double', data: [98, 99] },
        { name: 'blh', dims: ['time', 'latitude', 'longitude'], type: 'float', attrs: { units: 'm' }, data: [500, 600, 700, 800] },
      ],
    });
    const r = await readNetcdf3d(pl(), { surface: sl });
    const blh = r.arrays.surface!.mixingHeight!;
    expect(Array.from(blh.subarray(0, 4)).every(Number.isNaN)).toBe(true);
    expect(Array.from(blh.subarray(4))).toEqual([700, 800, 500, 600]); // north→south flipped
    expect(r.rejected).toEqual([expect.objectContaining({ row: 1, column: 'blh', code: 'E_DATE' })]);
  });
  it('arguments: bad options → E_ARG', async () => {
    await expectHazetraceError(() => readNetcdf3d(pl(), { precipAccumulationHours: 0 }), 'E_ARG');
    await expectHazetraceError(() => readNetcdf3d(pl(), { extra: 't' as unknown as string[] }), 'E_ARG');
    await expectHazetraceError(() => readNetcdf3d(pl(), { surface: [42 as unknown as Uint8Array] }), 'E_ARG');
    await expectHazetraceError(() => readNetcdf3d('x' as unknown as Uint8Array), 'E_ARG');
  });
  it('format: uVar that is not in the file', async () => {
    await expectHazetraceError(() => readNetcdf3d(pl(), { uVar: 'ugrd' }), 'E_FORMAT');
  });
});
