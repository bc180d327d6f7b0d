import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HazetraceError, WIND_NO_DATA } from '../../src/core/index.js';
import { readGeoTiff } from '../../src/io/index.js';
import { traceTrajectory, windFromGeoTiff } from '../../src/wind/index.js';

// Fixtures from scripts/make-netcdf-fixtures.py (GDAL): u = 5 + 0.1(lng − 98) + k, v = −3 + 0.2(lat − 18) − 0.5k, band k = hour k
const tif = (name: string) => readGeoTiff(readFileSync(new URL(`../fixtures/wind/${name}`, import.meta.url)));
const T0 = Date.UTC(2025, 3, 22);
const H = 3_600_000;
const U = (lng: number, k: number): number => 5 + 0.1 * (lng - 98) + k;
const V = (lat: number, k: number): number => -3 + 0.2 * (lat - 18) - 0.5 * k;

describe('windFromGeoTiff', () => {
  it('EPSG:4326 U.tif,V.tif, one band per hour, band description = ISO time, NoData respected', async () => {
    const f = windFromGeoTiff(await tif('wind_u_4326.tif'), await tif('wind_v_4326.tif'));
    expect([f.west, f.south, f.dLng, f.dLat, f.nx, f.ny]).toEqual([98.125, 18.125, 0.25, 0.25, 8, 6]);
    expect(Array.from(f.times)).toEqual([T0, T0 + H, T0 + 2 * H]);
    const out = new Float64Array(2);
    for (const [lng, lat, k] of [[98.125, 18.125, 0], [99.3, 19.1, 1.5], [99.875, 19.375, 2]] as const) {
      expect(f.sample(lng, lat, T0 + k * H, out)).toBe(0);
      expect(out[0]).toBeCloseTo(U(lng, k), 5);
      expect(out[1]).toBeCloseTo(V(lat, k), 5);
    }
    // NoData at band 1, raster row 2 (centre lat 19.5 − 0.625 = 18.875), col 3 (centre lng 98.875)
    expect(f.sample(98.9, 18.9, T0 + H, out)).toBe(WIND_NO_DATA);
    expect(f.sample(98.9, 18.9, T0, out)).toBe(0);
    expect(traceTrajectory(f, { lng: 99.6, lat: 18.9, time: T0 + 2 * H }, { hours: 2, stepMinutes: 10 }).stopReason).toBe('completed');
    // from (99.35, 18.8) the back-trajectory runs into the NoData pixel of hour 1 and stops there, keeping its path
    const nd = traceTrajectory(f, { lng: 99.35, lat: 18.8, time: T0 + 2 * H }, { hours: 2, stepMinutes: 10 });
    expect(nd.stopReason).toBe('no-data');
    expect(nd.lng.length).toBeGreaterThan(1);
  });

  it('EPSG:32647 (UTM 47N), u and v as bands of one file, resampled to lat/lng through proj4', async () => {
    const r = await tif('wind_uv_32647.tif');
    const f = windFromGeoTiff(r, r, { uBands: [0, 2], vBands: [1, 3] });
    expect(Array.from(f.times)).toEqual([T0, T0 + H]);
    expect(f.dLat).toBeCloseTo(10000 / 111320, 12);
    const out = new Float64Array(2);
    // inside the UTM raster: the formula is linear in lng/lat, UTM is near-affine over 50 km ⇒ agreement to ~1e-3
    let n = 0;
    for (let lng = 98.85; lng <= 99.2; lng += 0.07) {
      for (let lat = 18.85; lat <= 19.1; lat += 0.05) {
        if (f.sample(lng, lat, T0 + 0.5 * H, out) !== 0) continue;
        n++;
        expect(Math.abs(out[0]! - U(lng, 0.5))).toBeLessThan(1e-3);
        expect(Math.abs(out[1]! - V(lat, 0.5))).toBeLessThan(1e-3);
      }
    }
    expect(n).toBeGreaterThan(10);
  });

  it('names what is wrong', async () => {
    const u = await tif('wind_u_4326.tif');
    const v = await tif('wind_v_4326.tif');
    expect(() => windFromGeoTiff(u, v, { vBands: [0, 1] })).toThrow(/u has 3 band\(s\) but v has 2/);
    expect(() => windFromGeoTiff(u, v, { times: [0, 1] })).toThrow(HazetraceError);
    expect(() => windFromGeoTiff(u, v, { vBands: [0, 2, 1] })).toThrow(/must pair up in time/);
    const f = windFromGeoTiff(u, v, { times: [0, H, 2 * H] });
    expect(f.timeRange).toEqual([0, 2 * H]);
  });
});
