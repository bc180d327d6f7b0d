/**
 * Windowed NetCDF3 wind (src/wind/netcdf.ts `openNetcdfWindFrames`, src/node/wind.ts `openNetcdfWindFile`): a field
 * that holds only the frames of a time range must sample and trace exactly as the whole file's field does there (bit
 * for bit: same time axis, same largest speed, so the same time step), and must refuse a time it did not read.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HazetraceError } from '../../src/core/index.js';
import { openNetcdfWindFile } from '../../src/node/wind.js';
import { windToNetcdf } from '../../src/sim/index.js';
import { OffsetWindField, readNetcdfWind, traceTrajectory } from '../../src/wind/index.js';
import { openNetcdfWindFrames } from '../../src/wind/netcdf.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 2, 1);

/** 20 days of hourly wind on a 12 × 10 grid that turns and varies in space (latitude written north→south). */
function windFile(): Uint8Array {
  const nx = 12, ny = 10, nt = 20 * 24;
  const u = new Float64Array(nt * nx * ny);
  const v = new Float64Array(nt * nx * ny);
  for (let t = 0; t < nt; t++) {
    for (let r = 0; r < ny; r++) {
      for (let c = 0; c < nx; c++) {
        const i = (t * ny + r) * nx + c;
        u[i] = 4 * Math.cos(t / 37 + r / 5) + 0.3 * c;
        v[i] = 3 * Math.sin(t / 23 - c / 7) - 0.2 * r;
      }
    }
  }
  // one very fast gust late in the file: the whole file's largest speed, far outside the windows below
  u[(nt - 3) * nx * ny + 5] = 40;
  return windToNetcdf({ west: 96, south: 14, dLng: 0.5, dLat: 0.5, nx, ny, times: Float64Array.from({ length: nt }, (_, k) => T0 + k * H), u, v });
}

describe('windowed NetCDF3 wind', () => {
  const bytes = windFile();
  const dir = mkdtempSync(join(tmpdir(), 'hazetrace-wwin-'));
  const path = join(dir, 'wind.nc');
  writeFileSync(path, bytes);

  it('reads the same axis, largest speed and values as readNetcdfWind', async () => {
    const full = await readNetcdfWind(readFileSync(path));
    const frames = await openNetcdfWindFile(path);
    expect(Array.from(frames.times)).toEqual(Array.from(full.field.times));
    expect(frames.maxSpeed).toBe(full.field.maxSpeed);
    expect(frames.rejected).toEqual(full.rejected);
    const f = await frames.field(T0 + 100 * H, T0 + 150 * H);
    expect(f.loaded).toEqual([T0 + 100 * H, T0 + 150 * H]);
    expect(f.maxSpeed).toBe(full.field.maxSpeed);
    const frame = f.nx * f.ny;
    // u, v hold the loaded frames and one more each side, nothing else
    expect(f.firstFrame).toBe(99);
    expect(f.u.length).toBe(53 * frame);
    for (let i = 99 * frame; i < 152 * frame; i++) {
      expect(f.u[i - 99 * frame]).toBe(full.field.u[i]);
      expect(f.v[i - 99 * frame]).toBe(full.field.v[i]);
    }
  });

  it('back-trajectories on the windowed field equal the whole field, bit for bit (offset members too)', async () => {
    const full = (await readNetcdfWind(bytes)).field;
    const frames = await openNetcdfWindFrames({ size: bytes.byteLength, read: async (o, n) => bytes.slice(o, o + n) });
    const starts = [T0 + 200 * H + 1_800_000, T0 + 230 * H, T0 + 260 * H];
    // an earlier window first: later windows are made from the first field (withFrames)
    await frames.field(T0, T0 + 10 * H);
    // what a batch window reads: from 72 h before the first start to the last start, plus a margin
    const win = await frames.field(starts[0]! - 78 * H, starts[2]! + 6 * H);
    let compared = 0;
    for (const t of starts) {
      for (const [dLng, dLat] of [[0, 0], [0.25, 0], [0, -0.25]] as const) {
        const a = traceTrajectory(dLng || dLat ? new OffsetWindField(full, dLng, dLat) : full, { lng: 98.4, lat: 16.2, time: t }, { hours: 72, direction: 'back' });
        const b = traceTrajectory(dLng || dLat ? new OffsetWindField(win, dLng, dLat) : win, { lng: 98.4, lat: 16.2, time: t }, { hours: 72, direction: 'back' });
        expect(b.stopReason).toBe(a.stopReason);
        expect(Array.from(b.lng)).toEqual(Array.from(a.lng));
        expect(Array.from(b.lat)).toEqual(Array.from(a.lat));
        expect(Array.from(b.time)).toEqual(Array.from(a.time));
        compared += a.lng.length;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('successive windows: an earlier window still traces as the whole file after later reads', async () => {
    const full = (await readNetcdfWind(bytes)).field;
    const frames = await openNetcdfWindFrames({ size: bytes.byteLength, read: async (o, n) => bytes.slice(o, o + n) });
    const t = T0 + 230 * H;
    const a = await frames.field(t - 80 * H, t + 6 * H);
    const before = traceTrajectory(a, { lng: 98.4, lat: 16.2, time: t }, { hours: 72, direction: 'back' });
    // later windows, overlapping and not, written into the same arrays
    const b = await frames.field(t - 40 * H, t + 100 * H);
    await frames.field(T0, T0 + 30 * H);
    const ref = traceTrajectory(full, { lng: 98.4, lat: 16.2, time: t }, { hours: 72, direction: 'back' });
    for (const f of [a, b]) {
      const tr = traceTrajectory(f, { lng: 98.4, lat: 16.2, time: t }, { hours: f === b ? 36 : 72, direction: 'back' });
      const n = tr.lng.length;
      expect(Array.from(tr.lng)).toEqual(Array.from(ref.lng).slice(0, n));
      expect(Array.from(tr.lat)).toEqual(Array.from(ref.lat).slice(0, n));
    }
    expect(Array.from(before.lng)).toEqual(Array.from(ref.lng));
    // each field still refuses what it did not read itself
    expect(() => b.sample(98.4, 16.2, t - 60 * H, new Float64Array(2))).toThrow(HazetraceError);
  });

  it('a field of fewer frames would step differently: the whole file\'s largest speed is kept', async () => {
    const frames = await openNetcdfWindFile(path);
    const f = await frames.field(T0 + 10 * H, T0 + 20 * H);
    let own = 0;
    const frame = f.nx * f.ny;
    for (let i = 0; i < f.u.length; i++) own = Math.max(own, Math.hypot(f.u[i]!, f.v[i]!));
    expect(f.u.length).toBe(13 * frame); // frames 9..21
    expect(own).toBeLessThan(20);
    expect(f.maxSpeed).toBeGreaterThanOrEqual(40);
  });

  it('refuses a time inside the file but outside the frames read (E_DOMAIN); outside the file it is the usual time-range status', async () => {
    const frames = await openNetcdfWindFile(path);
    const f = await frames.field(T0 + 100 * H, T0 + 120 * H);
    const out = new Float64Array(2);
    expect(f.sample(98, 16, T0 + 110 * H, out)).toBe(0);
    let err: unknown;
    try {
      f.sample(98, 16, T0 + 50 * H, out);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HazetraceError);
    expect((err as HazetraceError).code).toBe('E_DOMAIN');
    expect(() => traceTrajectory(f, { lng: 98.4, lat: 16.2, time: T0 + 110 * H }, { hours: 72, direction: 'back' })).toThrow(/outside the frames read/);
    expect(f.sample(98, 16, T0 - 10 * H, out)).toBe(2); // before the file: WIND_TIME_RANGE, as the whole field
  });

  it('options.scan (an earlier pass, through JSON) skips the pass and gives the same frames, bit for bit', async () => {
    const first = await openNetcdfWindFile(path);
    expect(first.scan.maxSpeed).toBe(first.maxSpeed);
    const scan = JSON.parse(JSON.stringify(first.scan)) as typeof first.scan;
    let read = 0;
    const counted = { size: bytes.byteLength, read: async (o: number, n: number) => ((read += n), bytes.subarray(o, o + n)) };
    await openNetcdfWindFrames(counted);
    const withPass = read;
    read = 0;
    const again = await openNetcdfWindFrames(counted, { scan });
    expect(withPass).toBeGreaterThan(bytes.byteLength * 0.9); // the pass reads all of u and v
    expect(read).toBeLessThan(withPass / 5); // header and coordinates only
    expect(again.maxSpeed).toBe(first.maxSpeed);
    expect(again.rejected).toEqual(first.rejected);
    const [a, b] = [await first.field(T0 + 40 * H, T0 + 90 * H), await again.field(T0 + 40 * H, T0 + 90 * H)];
    expect(b.maxSpeed).toBe(a.maxSpeed);
    expect(Buffer.compare(Buffer.from(b.u.buffer), Buffer.from(a.u.buffer))).toBe(0);
    // a wrong maxSpeed would change the trajectory step: it is what the scan carries, so it is used as given
    const fake = await openNetcdfWindFrames(counted, { scan: { maxSpeed: 7, implausible: [] } });
    expect(fake.maxSpeed).toBe(7);
    for (const bad of [null, 5, {}, { maxSpeed: -1, implausible: [] }, { maxSpeed: Number.NaN, implausible: [] }, { maxSpeed: 3 }]) {
      await expect(openNetcdfWindFrames(counted, { scan: bad as never })).rejects.toMatchObject({ code: 'E_ARG' });
    }
  });

  it('rejects NetCDF4 and bad arguments', async () => {
    const h5 = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'wind', 'era5_like_packed.nc'));
    await expect(openNetcdfWindFrames({ size: h5.byteLength, read: async (o, n) => h5.subarray(o, o + n) })).rejects.toMatchObject({ code: 'E_FORMAT' });
    await expect(openNetcdfWindFrames(null as never)).rejects.toMatchObject({ code: 'E_ARG' });
    const frames = await openNetcdfWindFile(path);
    await expect(frames.field(5, 1)).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(openNetcdfWindFile(join(dir, 'missing.nc'))).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
