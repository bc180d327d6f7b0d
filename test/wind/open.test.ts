/**
 * openWind / openWindFile: every supported wind input is recognised from its content and gives the same field
 * as the direct reader (windFromNetcdf, readGeoTiff + windFromGeoTiff, readWindCsv + stationWind).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HazetraceError, type WindField } from '../../src/core/index.js';
import { readGeoTiff } from '../../src/io/index.js';
import { openWindFile } from '../../src/node/index.js';
import { GriddedWindField, isWindField3D, openWind, readWindCsv, stationWind, windFromGeoTiff, windFromGrib2, windFromNetcdf } from '../../src/wind/index.js';

const W = (f: string): string => new URL(`../fixtures/wind/${f}`, import.meta.url).pathname;
const C = (f: string): string => new URL(`../fixtures/cli/${f}`, import.meta.url).pathname;
const bytes = (p: string): Uint8Array => new Uint8Array(readFileSync(p));

/** Sample both fields on a lattice over the first field's bounds and time range: every status and value must agree. */
function expectSameField(a: WindField, b: WindField, box: [number, number, number, number]): void {
  expect(a.timeRange).toEqual(b.timeRange);
  const [w, s, e, n] = box;
  const oa = new Float64Array(2);
  const ob = new Float64Array(2);
  let ok = 0;
  for (let k = 0; k <= 4; k++) {
    const t = a.timeRange[0] + ((a.timeRange[1] - a.timeRange[0]) * k) / 4;
    for (let i = 0; i <= 6; i++) {
      for (let j = 0; j <= 6; j++) {
        const lng = w + ((e - w) * i) / 6;
        const lat = s + ((n - s) * j) / 6;
        const sa = a.sample(lng, lat, t, oa);
        const sb = b.sample(lng, lat, t, ob);
        expect(sa).toBe(sb);
        if (sa === 0) {
          ok++;
          expect(oa[0]).toBe(ob[0]);
          expect(oa[1]).toBe(ob[1]);
        }
      }
    }
  }
  expect(ok).toBeGreaterThan(20); // the lattice really sampled the field
}

/** The opened field is the direct reader's grid, value for value, and every frame counts as accepted. */
function expectSameGrid(w: { field: unknown; accepted: number }, direct: GriddedWindField): void {
  const f = w.field as GriddedWindField;
  expect([f.west, f.south, f.dLng, f.dLat, f.nx, f.ny]).toEqual([direct.west, direct.south, direct.dLng, direct.dLat, direct.nx, direct.ny]);
  expect(Array.from(f.times)).toEqual(Array.from(direct.times));
  expect(Array.from(f.u)).toEqual(Array.from(direct.u));
  expect(Array.from(f.v)).toEqual(Array.from(direct.v));
  expect(w.accepted).toBe(direct.times.length);
}

function gridBox(f: GriddedWindField): [number, number, number, number] {
  return [f.west, f.south, f.west + (f.nx - 1) * f.dLng, f.south + (f.ny - 1) * f.dLat];
}

describe('openWind recognises the content and matches the direct readers', () => {
  it.each([
    ['wind/classic_nc3.nc', W('classic_nc3.nc'), 'netcdf3'],
    ['wind/era5_like_packed.nc', W('era5_like_packed.nc'), 'netcdf4'],
    ['cli/wind_era5_time.nc', C('wind_era5_time.nc'), 'netcdf3'],
    ['cli/wind_era5_valid_time.nc', C('wind_era5_valid_time.nc'), 'netcdf4'],
  ])('NetCDF %s', async (_name, path, kind) => {
    const direct = await windFromNetcdf(bytes(path));
    const w = await openWind(bytes(path));
    expect(w.kind).toBe(kind);
    expect(w.field).toBeInstanceOf(GriddedWindField);
    expectSameGrid(w, direct);
    expect(w.rejected).toEqual([]);
    expect(w.coarse).toBe(Math.max(direct.dLng, direct.dLat) >= 1);
    expect(w.describe).toMatch(new RegExp(`^NetCDF${kind === 'netcdf3' ? 3 : 4} wind: ${direct.nx} × ${direct.ny} grid`));
    // an ArrayBuffer works as well as a Uint8Array
    const b = bytes(path);
    const again = await openWind(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
    expect(Array.from((again.field as GriddedWindField).u)).toEqual(Array.from(direct.u));
  });

  it('passes NetCDF options through (GFS-like pressure levels)', async () => {
    const b = bytes(W('gfs_like.nc'));
    await expect(openWind(b, { netcdf: { uVar: 'u', vVar: 'v' } })).rejects.toThrow(/level must be one of the file's levels \(1000, 850\)/);
    const direct = await windFromNetcdf(b, { uVar: 'u', vVar: 'v', level: 850 });
    const w = await openWind(b, { netcdf: { uVar: 'u', vVar: 'v', level: 850 } });
    expect(Array.from((w.field as GriddedWindField).u)).toEqual(Array.from(direct.u));
    expectSameField(w.field, direct, gridBox(direct));
  });

  it.each([
    ['wind fixtures', W('wind_u_4326.tif'), W('wind_v_4326.tif')],
    ['cli fixtures', C('wind_u.tif'), C('wind_v.tif')],
  ])('GeoTIFF pair { u, v } (%s)', async (_n, up, vp) => {
    const direct = windFromGeoTiff(await readGeoTiff(bytes(up)), await readGeoTiff(bytes(vp)));
    const w = await openWind({ u: bytes(up), v: bytes(vp) });
    expect(w.kind).toBe('geotiff');
    expectSameGrid(w, direct);
    expect(w.coarse).toBe(Math.max(direct.dLng, direct.dLat) >= 1);
  });

  it('one GeoTIFF holding u and v bands opens with uBands/vBands; without them it asks for the pair', async () => {
    const b = bytes(W('wind_uv_32647.tif'));
    const r = await readGeoTiff(b);
    const direct = windFromGeoTiff(r, r, { uBands: [0, 2], vBands: [1, 3] });
    const w = await openWind(b, { geotiff: { uBands: [0, 2], vBands: [1, 3] } });
    expect(Array.from((w.field as GriddedWindField).u)).toEqual(Array.from(direct.u));
    await expect(openWind(b)).rejects.toThrow(/needs two GeoTIFFs, U and V/);
  });

  it.each([
    ['cli/real_wind_2pt.csv', C('real_wind_2pt.csv')],
    ['wind/wind_cm_cr_2025-04-20_to_24.csv', W('wind_cm_cr_2025-04-20_to_24.csv')],
  ])('point-wind CSV %s, as text and as bytes', async (_n, path) => {
    const text = readFileSync(path, 'utf8');
    const r = readWindCsv(text);
    const direct = stationWind(r.observations);
    const sites = new Set(Array.from(r.observations.site)).size;
    for (const input of [text, bytes(path)]) {
      const w = await openWind(input);
      expect(w.kind).toBe('point-csv');
      expect(w.sites).toBe(sites);
      expect(w.accepted).toBe(r.observations.length);
      expect(w.rejected).toEqual(r.rejected);
      expect(w.coarse).toBe(sites <= 2);
      // the field's extent (default 500 km from a site) is part of what was read
      expect(w.describe).toBe(`point wind from ${sites} site(s) (IDW of u and v within 500 km of a site${sites <= 2 ? '; a coarse field' : ''})`);
      expectSameField(w.field, direct, [98.5, 18.2, 100.3, 20.4]);
    }
  });

  it('point wind from 3 sites is not coarse; station options pass through', async () => {
    // a header without a unit (wind_speed): station.units declares it; on wind_speed_ms it would contradict the header
    const rows = ['site_id,lat,lon,time_utc,wind_speed,wind_dir_deg_from'];
    for (const [id, lat, lon] of [['a', 18, 99], ['b', 19, 99.5], ['c', 18.5, 100]] as const) {
      for (const h of [0, 1, 2]) rows.push(`${id},${lat},${lon},2025-04-22T0${h}:00:00Z,10,90`);
    }
    const w = await openWind(rows.join('\n'), { station: { units: 'km/h' } });
    expect(w.sites).toBe(3);
    expect(w.coarse).toBe(false);
    const out = new Float64Array(2);
    expect(w.field.sample(99, 18, Date.UTC(2025, 3, 22, 1), out)).toBe(0);
    expect(out[0]).toBeCloseTo(-10 / 3.6, 9); // 10 km/h from the east
  });

  it('rejected CSV rows are returned; no accepted row is E_INPUT', async () => {
    const head = 'site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from';
    const w = await openWind(`${head}\ncm,18.8,99,2025-04-22T00:00:00Z,2,90\ncm,18.8,99,not-a-time,2,90\ncm,18.8,99,2025-04-22T01:00:00Z,2,90\n`);
    expect(w.accepted).toBe(2);
    expect(w.rejected.map((r) => [r.row, r.code])).toEqual([[2, 'E_DATE']]);
    const none = openWind(`${head}\ncm,18.8,99,not-a-time,2,90\n`);
    await expect(none).rejects.toMatchObject({ code: 'E_INPUT' });
    await expect(openWind(`${head}\ncm,18.8,99,not-a-time,2,90\n`)).rejects.toThrow(/no usable wind observation.*first problem: row 1 \(time_utc\)/);
  });

  it('unknown content is E_INPUT listing the supported formats; bad arguments are E_ARG', async () => {
    const cases: [unknown, RegExp][] = [
      [new Uint8Array([0, 1, 2, 3, 4, 5]), /unrecognised binary content/],
      [new TextEncoder().encode('GRIB....'), /GRIB file of edition byte 46 \(malformed\)/],
      [new Uint8Array([0x47, 0x52, 0x49, 0x42, 0, 0, 0, 1]), /GRIB file of edition 1; only GRIB edition 2/],
      [new Uint8Array([0x1f, 0x8b, 8, 0]), /gzip archive/],
      [new Uint8Array([0x43, 0x44, 0x46, 5, 0, 0]), /CDF-5/],
      ['era5.nc', /not a CSV.*openWindFile/],
      [{ u: bytes(C('wind_u.tif')), v: bytes(C('wind_era5_time.nc')) }, /input\.v is not a GeoTIFF/],
    ];
    for (const [input, msg] of cases) {
      const p = openWind(input as never);
      await expect(p).rejects.toBeInstanceOf(HazetraceError);
      await expect(openWind(input as never)).rejects.toMatchObject({ code: 'E_INPUT' });
      await expect(openWind(input as never)).rejects.toThrow(msg);
      await expect(openWind(input as never)).rejects.toThrow(/Supported wind inputs: NetCDF 3 or NetCDF 4\/HDF5.*GeoTIFF pair.*point-wind CSV/);
    }
    await expect(openWind(42 as never)).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(openWind('a,b\n1,2\n')).rejects.toMatchObject({ code: 'E_COLUMNS' }); // a CSV, but not of wind
    await expect(openWind(bytes(C('wind_era5_time.nc')), { coarseDeg: 0 })).rejects.toMatchObject({ code: 'E_ARG' });
  });

  it('GRIB2 bytes open through the same entry point as windFromGrib2 (3-D, one level, options passed on)', async () => {
    const g = bytes(new URL('../fixtures/grib2/gfs_like.grib2', import.meta.url).pathname);
    const w = await openWind(g, { label: 'gfs' });
    expect(w.kind).toBe('grib2');
    expect(isWindField3D(w.field)).toBe(true);
    expect(w.describe).toMatch(/^GRIB2 pressure-level wind, 3 levels 1000\.\.850 hPa gfs: 17 × /);
    const direct = await windFromGrib2(g);
    const t = direct.times[1]!;
    const a = new Float64Array(2);
    const b = new Float64Array(2);
    expect(w.field.sample(99.1, 18.6, t, a)).toBe(direct.sample(99.1, 18.6, t, b));
    expect(a).toEqual(b);
    expect(Math.hypot(a[0]!, a[1]!)).toBeGreaterThan(0);
    const one = await openWind(g, { grib2: { level: 850 } });
    expect(isWindField3D(one.field)).toBe(false);
    expect(one.describe).toMatch(/GRIB2 wind at 850 hPa/);
    await expect(openWind(g, { grib2: { level: -1 } })).rejects.toMatchObject({ code: 'E_ARG' });
  });

  it('coarseDeg decides when a grid is coarse', async () => {
    const b = bytes(W('era5_like_packed.nc')); // 0.25° grid
    expect((await openWind(b)).coarse).toBe(false);
    const w = await openWind(b, { coarseDeg: 0.25 });
    expect(w.coarse).toBe(true);
    expect(w.describe).toMatch(/\(a coarse grid\)$/);
  });
});

describe('openWindFile', () => {
  it('reads one file or a U,V pair in every accepted form, same fields as openWind on the bytes', async () => {
    const nc = await openWindFile(C('wind_era5_valid_time.nc'));
    expect(nc.kind).toBe('netcdf4');
    expect(nc.describe).toContain(C('wind_era5_valid_time.nc'));
    expect(Array.from((nc.field as GriddedWindField).u)).toEqual(Array.from((await windFromNetcdf(bytes(C('wind_era5_valid_time.nc')))).u));
    const direct = (await openWind({ u: bytes(C('wind_u.tif')), v: bytes(C('wind_v.tif')) })).field as GriddedWindField;
    for (const p of [`${C('wind_u.tif')},${C('wind_v.tif')}`, [C('wind_u.tif'), C('wind_v.tif')], { u: C('wind_u.tif'), v: C('wind_v.tif') }] as const) {
      const w = await openWindFile(p);
      expect(w.kind).toBe('geotiff');
      expect(Array.from((w.field as GriddedWindField).u)).toEqual(Array.from(direct.u));
    }
    const csv = await openWindFile(C('real_wind_2pt.csv'), { label: 'two points' });
    expect(csv.describe).toBe('point wind from 2 site(s) in two points (IDW of u and v within 500 km of a site; a coarse field)');
  });

  it('errors: a missing file, three paths, a lone GeoTIFF', async () => {
    await expect(openWindFile('/no/such/wind.nc')).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    await expect(openWindFile('a.tif,b.tif,c.tif')).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(openWindFile('')).rejects.toMatchObject({ code: 'E_ARG' });
    const lone = openWindFile(C('wind_u.tif'));
    await expect(lone).rejects.toMatchObject({ code: 'E_INPUT' });
    await expect(openWindFile(C('wind_u.tif'))).rejects.toThrow(/wind_u\.tif: wind from GeoTIFF needs two GeoTIFFs, U and V: pass two paths "U\.tif,V\.tif"/);
  });
});
