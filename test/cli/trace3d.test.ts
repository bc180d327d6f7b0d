/**
 * `hazetrace trace` on pressure-level wind: 3-D from the file's levels, --height / --vertical / --surface / --met,
 * tdump / CSV / GeoJSON with heights, pressures, the mixed-layer flag and the sampled met fields; and the refusals.
 * Fixtures: scripts/fixtures/make-era5-pl.py (analytic fields; terrain = 200 + 100 (lon-98) + 50 (lat-18) m,
 * blh = 800 + 200 frame + 50 (lon-98) m, tp → 0.5 frame (lat-17) mm/h).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWind } from '../../src/wind/open.js';
import { isWindField3D } from '../../src/wind/field3d.js';
import { readTdump } from '../../src/wind/trajectory-formats.js';
import { windFromGrib2 } from '../../src/wind/grib2.js';
import { traceTrajectories3d } from '../../src/wind/trace3d.js';
import { cli } from '../run-cli.js';

const PL = 'test/fixtures/wind3d/era5_pl_packed.nc';
const SL = 'test/fixtures/wind3d/era5_sl.nc';
const out = mkdtempSync(join(tmpdir(), 'hazetrace-trace3d-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const terrain = (lng: number, lat: number): number => 200 + 100 * (lng - 98) + 50 * (lat - 18);
const blh = (frame: number, lng: number): number => 800 + 200 * frame + 50 * (lng - 98);

describe('hazetrace trace with pressure-level wind', () => {
  it('writes tdump with real heights that parse back, and CSV/GeoJSON with height, pressure, mixed layer and --met columns', async () => {
    const dir = join(out, 'a');
    const r = await cli(['trace', '--wind', PL, '--surface', SL, '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--hours', '3', '--height', '300', '--met', 'blh,tp,t', '--out', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/3-D from 300 m above ground, vertical data, sampling mixingHeight, precipitation, t/);
    expect(r.stdout).toMatch(/5 levels 1000\.\.500 hPa/);

    const td = readTdump(readFileSync(join(dir, 'tdump.txt'), 'utf8'));
    expect(td.verticalMotion).toBe('OMEGA');
    expect(td.length).toBe(1);
    expect(td.heightM.length).toBe(4);
    expect(td.heightM[0]).toBe(300); // the start height, as written (F8.1)
    for (const h of td.heightM) expect(h).toBeGreaterThan(200); // omega is weak: the parcel stays near 300 m
    expect(Object.keys(td.diagnostics)).toEqual(['PRESSURE', 'TERR_MSL', 'MIXDEPTH', 'RAINFALL', 'AIR_TEMP']);
    expect(td.diagnostics['TERR_MSL']![0]).toBeCloseTo(terrain(99.5, 18.5), 0);
    expect(td.diagnostics['MIXDEPTH']![0]).toBeCloseTo(blh(3, 99.5), 0);
    // pressure at 300 m above 375 m terrain lies between the 1000 and 850 hPa levels
    expect(td.diagnostics['PRESSURE']![0]).toBeGreaterThan(850);
    expect(td.diagnostics['PRESSURE']![0]).toBeLessThan(1000);

    const csv = readFileSync(join(dir, 'trajectories.csv'), 'utf8').trim().split('\n');
    const head = csv[0]!.split(',');
    expect(head.slice(9)).toEqual(['height_agl', 'pressure_hpa', 'terrain_m', 'mixed_layer', 'mixing_height_m', 'precip_mm_h', 't']);
    const first = Object.fromEntries(head.map((k, i) => [k, csv[1]!.split(',')[i]]));
    expect(Number(first['height_agl'])).toBe(300);
    expect(Number(first['terrain_m'])).toBeCloseTo(terrain(99.5, 18.5), 1);
    expect(Number(first['mixing_height_m'])).toBeCloseTo(blh(3, 99.5), 1);
    expect(Number(first['precip_mm_h'])).toBeCloseTo(0.5 * 3 * 1.5, 3);
    expect(first['mixed_layer']).toBe('1'); // 300 m is inside a 1475 m mixed layer
    expect(Number(first['pressure_hpa'])).toBeCloseTo(td.diagnostics['PRESSURE']![0]!, 1);

    const gj = JSON.parse(readFileSync(join(dir, 'trajectories.geojson'), 'utf8')) as { features: { properties: Record<string, unknown> }[] };
    const p = gj.features[0]!.properties;
    expect((p['heightAgl'] as number[]).length).toBe(4);
    expect((p['heightAgl'] as number[])[0]).toBe(300);
    expect((p['mixedLayer'] as number[])[0]).toBe(1);
    expect(Object.keys(p['met'] as object)).toEqual(['mixingHeight', 'precipitation', 't']);
  });

  it('a pressure-level file alone traces in 3-D at 500 m (no flags needed); --vertical agl keeps 500 m', async () => {
    const auto = await cli(['trace', '--wind', 'test/fixtures/wind3d/era5_pl.nc', '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--hours', '2', '--json']);
    expect(auto.code).toBe(0);
    const f = (JSON.parse(auto.stdout) as { features: { properties: Record<string, unknown> }[] }).features[0]!.properties;
    expect((f['heightAgl'] as number[])[0]).toBe(500);
    const agl = await cli(['trace', '--wind', 'test/fixtures/wind3d/gfs_pl_nomads.nc', '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--hours', '2', '--vertical', 'agl', '--json']);
    expect(agl.code).toBe(0);
    const g = (JSON.parse(agl.stdout) as { features: { properties: Record<string, unknown> }[] }).features[0]!.properties;
    expect(g['heightAgl']).toEqual([500, 500, 500]);
  });

  it('--remap (with --vertical agl) gives the library\'s remap: true numbers; without agl it is refused', async () => {
    const PLW = 'test/fixtures/wind3d/gfs_pl_nomads.nc';
    const r = await cli(['trace', '--wind', PLW, '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--hours', '2', '--vertical', 'agl', '--remap', '--json']);
    expect(r.code).toBe(0);
    const fc = JSON.parse(r.stdout) as { features: { geometry: { coordinates: number[][] } }[] };
    const field = (await openWind(readFileSync(PLW))).field;
    if (!isWindField3D(field)) throw new Error(`${PLW} should open 3-D`);
    const start = [{ lng: 99.5, lat: 18.5, time: Date.UTC(2025, 3, 22, 3), heightAgl: 500 }];
    const lib = traceTrajectories3d(field, start, { hours: 2, vertical: 'agl', remap: true });
    const exact = traceTrajectories3d(field, start, { hours: 2, vertical: 'agl' });
    const n = lib.offsets[1]!;
    expect(fc.features[0]!.geometry.coordinates.length).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(fc.features[0]!.geometry.coordinates[i]![0]).toBeCloseTo(lib.lng[i]!, 6);
      expect(fc.features[0]!.geometry.coordinates[i]![1]).toBeCloseTo(lib.lat[i]!, 6);
    }
    // the remap is another interpolation order: close to the exact path
    expect(Math.abs(lib.lng[n - 1]! - exact.lng[n - 1]!)).toBeLessThan(0.05);
    const bad = await cli(['trace', '--wind', PLW, '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--hours', '2', '--remap']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--remap .* needs --vertical agl/);
  });

  it('3-D flags on u10/v10 wind: an input error that says 3-D needs pressure levels', async () => {
    const r = await cli(['trace', '--wind', 'test/fixtures/wind/era5_like_packed.nc', '--start', '99,23', '--time', '2025-04-22T03:00Z', '--hours', '3', '--height', '500']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no pressure-level wind/);
    expect(r.stderr).toMatch(/--height asks for a 3-D trace/);
  });

  it('--met a field the wind lacks, --vertical data without omega, and --ensemble are refused with the reason', async () => {
    const noBlh = await cli(['trace', '--wind', PL, '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--met', 'blh']);
    expect(noBlh.code).toBe(2);
    expect(noBlh.stderr).toMatch(/--met blh: the wind has no mixingHeight/);
    expect(noBlh.stderr).toMatch(/--surface/);
    const ens = await cli(['trace', '--wind', PL, '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--ensemble', 'offset']);
    expect(ens.code).toBe(2);
    expect(ens.stderr).toMatch(/2-D only/);
    const bad = await cli(['trace', '--wind', PL, '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--vertical', 'sigma']);
    expect(bad.code).toBe(2);
    const top = await cli(['trace', '--wind', PL, '--start', '99.5,18.5', '--time', '2025-04-22T03:00Z', '--height', '25000']);
    expect(top.code).toBe(2); // above the 500 hPa top: the start cannot be sampled
    expect(top.stderr).toMatch(/model-top[\s\S]*where: --height/);
  });

  it('openWind: a pressure-level NetCDF opens 3-D by itself, 2-D when netcdf3d is false', async () => {
    const b = readFileSync(PL);
    const w = await openWind(b, { label: 'pl' });
    expect(isWindField3D(w.field)).toBe(true);
    expect(w.kind).toBe('netcdf3');
    expect(w.describe).toMatch(/^NetCDF3 pressure-level wind pl: 9 × 9 grid at 0.25°, 5 levels 1000..500 hPa/);
    await expect(openWind(b, { netcdf3d: false })).rejects.toMatchObject({ code: 'E_FORMAT' }); // no u10 for 2-D
    const two = await openWind(b, { netcdf: { uVar: 'u', vVar: 'v', level: 850 } });
    expect(isWindField3D(two.field)).toBe(false);
    await expect(openWind('site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from\n', { netcdf3d: {} })).rejects.toMatchObject({ code: 'E_INPUT' });
  });
  it('GRIB2 pressure-level wind traces in 3-D with the same numbers as the library; --surface with GRIB2 is refused', async () => {
    const G = 'test/fixtures/grib2/gfs_like.grib2';
    const r = await cli(['trace', '--wind', G, '--start', '99,18.5', '--time', '2025-03-22T06:00Z', '--hours', '3', '--direction', 'forward', '--height', '500', '--met', 'blh', '--json']);
    expect(r.code).toBe(0);
    const fc = JSON.parse(r.stdout) as { features: { geometry: { coordinates: number[][] }; properties: Record<string, unknown> }[] };
    const field = await windFromGrib2(readFileSync(G));
    if (!isWindField3D(field)) throw new Error('gfs_like.grib2 should open 3-D');
    const lib = traceTrajectories3d(field, [{ lng: 99, lat: 18.5, time: Date.UTC(2025, 2, 22, 6), heightAgl: 500 }], { hours: 3, direction: 'forward', sample: ['mixingHeight'] });
    const n = lib.offsets[1]!;
    expect(fc.features[0]!.geometry.coordinates.length).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(fc.features[0]!.geometry.coordinates[i]![0]).toBeCloseTo(lib.lng[i]!, 6);
      expect(fc.features[0]!.geometry.coordinates[i]![1]).toBeCloseTo(lib.lat[i]!, 6);
      expect((fc.features[0]!.properties['heightAgl'] as number[])[i]).toBeCloseTo(lib.heightAgl[i]!, 1);
    }
    const bad = await cli(['trace', '--wind', G, '--surface', 'test/fixtures/wind3d/era5_sl.nc', '--start', '99,18.5', '--time', '2025-03-22T06:00Z', '--hours', '3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--surface is for NetCDF single-level files/);
  });
});
