import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HazetraceError, WIND_NO_DATA } from '../../src/core/index.js';
import { parseCfTimeUnits, traceTrajectory, windFromNetcdf } from '../../src/wind/index.js';

// Fixtures from scripts/make-netcdf-fixtures.py: u = 5 + 0.1(lon − lon0) + t_index (+ 2·level_index), v = −3 + 0.2(lat − 22) − 0.5·t_index
const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/wind/${name}`, import.meta.url)));
const T0 = Date.UTC(2025, 3, 22);
const H = 3_600_000;

describe('windFromNetcdf', () => {
  it('reads the ERA5-like NetCDF4 file: valid_time, north→south latitude, packed int16, _FillValue', async () => {
    const f = await windFromNetcdf(bytes('era5_like_packed.nc'));
    expect([f.west, f.south, f.dLng, f.dLat, f.nx, f.ny]).toEqual([98, 22, 0.25, 0.25, 10, 10]);
    expect(Array.from(f.times)).toEqual([T0, T0 + H, T0 + 2 * H, T0 + 3 * H]);
    const out = new Float64Array(2);
    // linear formula ⇒ bilinear/linear interpolation is exact up to int16 packing (scale ≈ 5e-5) and float32
    for (const [lng, lat, t] of [[98.5, 23, T0 + H], [99.13, 22.77, T0 + 0.5 * H], [100.25, 24.25, T0 + 3 * H]] as const) {
      expect(f.sample(lng, lat, t, out)).toBe(0);
      const ti = (t - T0) / H;
      expect(out[0]).toBeCloseTo(5 + 0.1 * (lng - 98) + ti, 4);
      expect(out[1]).toBeCloseTo(-3 + 0.2 * (lat - 22) - 0.5 * ti, 4);
    }
    // fill at valid_time 1, northernmost row (24.25°N), west column (98°E)
    expect(f.sample(98.1, 24.2, T0 + H, out)).toBe(WIND_NO_DATA);
    expect(f.sample(98.1, 24.2, T0 + 0.5 * H, out)).toBe(WIND_NO_DATA); // interpolating toward the filled frame
    expect(f.sample(98.1, 24.2, T0, out)).toBe(0); // frame 0 alone is fine
    expect(f.sample(98.6, 24.2, T0 + H, out)).toBe(0);
    const t = traceTrajectory(f, { lng: 99, lat: 23, time: T0 + 3 * H }, { hours: 2 });
    expect(t.stopReason).toBe('completed');
  });

  it('reads GFS-like pressure levels with 0–360 longitudes and "hours since 1900-01-01"', async () => {
    await expect(windFromNetcdf(bytes('gfs_like.nc'), { uVar: 'u', vVar: 'v' })).rejects.toThrow(/level must be one of the file's levels \(1000, 850\)/);
    const f = await windFromNetcdf(bytes('gfs_like.nc'), { uVar: 'u', vVar: 'v', level: 850 });
    expect(f.west).toBe(-10);
    expect(f.south).toBe(18.75);
    expect(Array.from(f.times)).toEqual([T0, T0 + 3 * H, T0 + 6 * H]);
    const out = new Float64Array(2);
    for (const lng of [-9.5, 350.5]) {
      expect(f.sample(lng, 20, T0 + 3 * H, out)).toBe(0);
      expect(out[0]).toBeCloseTo(5 + 0.1 * 0.5 + 1 + 2, 5);
      expect(out[1]).toBeCloseTo(-3 + 0.2 * (20 - 22) - 0.5, 5);
    }
    await expect(windFromNetcdf(bytes('gfs_like.nc'), { uVar: 'u', vVar: 'v', level: 500 })).rejects.toThrow(HazetraceError);
  });

  it('reads NetCDF3 classic (netcdfjs) with a record time axis and _FillValue', async () => {
    const f = await windFromNetcdf(bytes('classic_nc3.nc').buffer as ArrayBuffer);
    expect([f.west, f.south, f.nx, f.ny]).toEqual([98, 18, 10, 10]);
    expect(Array.from(f.times)).toEqual([T0, T0 + 6 * H, T0 + 12 * H]);
    const out = new Float64Array(2);
    expect(f.sample(99.6, 19.4, T0 + 9 * H, out)).toBe(0);
    expect(out[0]).toBeCloseTo(5 + 0.16 + 1.5, 5);
    expect(out[1]).toBeCloseTo(-3 + 0.2 * (19.4 - 22) - 0.75, 5);
    expect(f.sample(99.05, 18.8, T0, out)).toBe(WIND_NO_DATA); // cell touching the filled node (99°E, 18.75°N)
  });

  it('names what is wrong', async () => {
    await expect(windFromNetcdf(bytes('era5_like_packed.nc'), { uVar: 'u' })).rejects.toThrow(/no variable "u"; variables: valid_time, latitude, longitude, u10, v10/);
    await expect(windFromNetcdf(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/neither NetCDF3/);
    expect(parseCfTimeUnits('hours since 1900-01-01 00:00:00.0')).toEqual([H, Date.UTC(1900, 0, 1)]);
    expect(parseCfTimeUnits('seconds since 1970-01-01')).toEqual([1000, 0]);
    expect(parseCfTimeUnits('days since 2000-01-01T06:00:00Z')).toEqual([24 * H, Date.UTC(2000, 0, 1, 6)]);
    expect(() => parseCfTimeUnits('fortnights')).toThrow(HazetraceError);
  });
});
