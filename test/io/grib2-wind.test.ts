import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readGrib2 } from '../../src/io/grib2/index.js';
import { isWindField3D } from '../../src/wind/field3d.js';
import { GriddedWindField } from '../../src/wind/fields.js';
import { readGrib2Wind, windFromGrib2 } from '../../src/wind/grib2.js';

const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/grib2/${name}`, import.meta.url)));
const REF = Date.UTC(2025, 2, 22, 6);
const H = 3_600_000;

describe('windFromGrib2', () => {
  it('one level → griddedWind whose samples at the nodes equal the decoded values', async () => {
    const b = bytes('gfs_like.grib2');
    const f = await windFromGrib2(b, { level: 850 });
    expect(f).toBeInstanceOf(GriddedWindField);
    expect([f.west, f.south, f.dLng, f.dLat, f.nx, f.ny]).toEqual([97, 17, 0.25, 0.25, 17, 13]);
    expect(Array.from(f.times)).toEqual([REF, REF + 3 * H, REF + 6 * H]);
    const { messages } = await readGrib2(b);
    const out = new Float64Array(2);
    for (const [ti, fh] of [[0, 0], [1, 3], [2, 6]] as const) {
      const u = messages.find((m) => m.shortName === 'u' && m.level?.value === 85000 && m.forecastHours === fh)!;
      const v = messages.find((m) => m.shortName === 'v' && m.level?.value === 85000 && m.forecastHours === fh)!;
      for (const [row, col] of [[0, 0], [5, 7], [12, 16], [3, 11]] as const) {
        expect(f.sample(97 + col * 0.25, 17 + row * 0.25, f.times[ti]!, out)).toBe(0);
        expect(out[0]).toBeCloseTo(u.values[row * 17 + col]!, 5);
        expect(out[1]).toBeCloseTo(v.values[row * 17 + col]!, 5);
      }
    }
  });
  it('several levels → pressureLevelWind with omega, heights, terrain, sp, blh and precipitation rates', async () => {
    const b = bytes('gfs_like.grib2');
    const r = await readGrib2Wind(b);
    expect(r.kind).toBe('3d');
    expect(r.levels).toEqual([100000, 92500, 85000]);
    expect(r.used).toEqual(['u', 'v', 'w', 'gh', 'orog', 'sp', 'blh', 'tp']);
    const f = r.field;
    if (!isWindField3D(f)) throw new Error('not 3-D');
    const { messages } = await readGrib2(b);
    const out = new Float64Array(6);
    const u925 = messages.find((m) => m.shortName === 'u' && m.level?.value === 92500 && m.forecastHours === 3)!;
    expect(f.sampleIsobaric(97 + 5 * 0.25, 17 + 4 * 0.25, REF + 3 * H, 92500, out)).toBe(0);
    expect(out[0]).toBeCloseTo(u925.values[4 * 17 + 5]!, 4);
    const orog = messages.find((m) => m.shortName === 'orog')!;
    expect(f.terrainAt(97 + 2 * 0.25, 17 + 6 * 0.25)).toBeCloseTo(orog.values[6 * 17 + 2]!, 3);
    const blh = messages.find((m) => m.shortName === 'blh' && m.forecastHours === 6)!;
    expect(f.sampleField('mixingHeight', 97 + 0.25, 17 + 0.5, REF + 6 * H, 0)).toBeCloseTo(blh.values[2 * 17 + 1]!, 3);
    // APCP 0–3 h and 0–6 h: rate at +3 h = A03 / 3, at +6 h = (A06 − A03) / 3, analysis takes the first interval's rate
    const a03 = messages.find((m) => m.shortName === 'tp' && m.interval?.endHours === 3)!;
    const a06 = messages.find((m) => m.shortName === 'tp' && m.interval?.endHours === 6)!;
    const j = 7 * 17 + 9;
    const at = (t: number): number => f.sampleField('precipitation', 97 + 9 * 0.25, 17 + 7 * 0.25, t, 0);
    expect(at(REF + 3 * H)).toBeCloseTo(a03.values[j]! / 3, 4);
    expect(at(REF + 6 * H)).toBeCloseTo(Math.max(0, a06.values[j]! - a03.values[j]!) / 3, 4);
    expect(at(REF)).toBeCloseTo(a03.values[j]! / 3, 4);
  });
  it('ERA5-like: z / g as level heights, 0–360 longitudes, levels option, extras t and r', async () => {
    const r = await readGrib2Wind(bytes('era5_like.grib2'));
    expect(r.kind).toBe('3d');
    expect(r.used).toEqual(['u', 'v', 'w', 'z', 'z(surface)', 'sp', 'blh', 't', 'r']);
    const f = r.field;
    if (!isWindField3D(f)) throw new Error('not 3-D');
    expect(f.west).toBe(-10);
    expect(f.fieldNames).toContain('t');
  });
  it('bad options → E_ARG', async () => {
    await expect(windFromGrib2(bytes('gfs_like.grib2'), { level: 500 })).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(windFromGrib2(bytes('gfs_like.grib2'), { levels: [1000] })).rejects.toMatchObject({ code: 'E_ARG' });
  });
});
