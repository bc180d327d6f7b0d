/**
 * Hostile-input corpus: gridded wind readers (NetCDF 3/4, GeoTIFF) — CF calendars, time holes, corrupt and
 * truncated files, implausible values. One case per `it`, each with its exact expected outcome.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WIND_NO_DATA, WIND_OK, toIsoUtc } from '../../src/core/index.js';
import { openWind, readNetcdfWind, traceTrajectory, windFromNetcdf } from '../../src/wind/index.js';
import { windNc3 } from '../wind/nc3-writer.js';
import { expectHazetraceError } from './helpers.js';

const W = (n: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/wind/${n}`, import.meta.url)));
const C = (n: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/cli/${n}`, import.meta.url)));
const H = 3_600_000;
const iso = (ts: ArrayLike<number>): string[] => Array.from(ts, (t) => toIsoUtc(t));
const days = [0, 58, 59, 60, 365];
const read = (cal: string | undefined, values = days, units = 'days since 2023-01-01') => readNetcdfWind(windNc3(values, units, cal));

describe('hostile: NetCDF calendars (CF §4.4.2)', () => {
  it('calendar: no calendar attribute is standard (Gregorian dates)', async () => {
    const r = await read(undefined);
    expect(r.calendar).toBe('standard');
    expect(iso(r.field.times)).toEqual(['2023-01-01T00:00:00Z', '2023-02-28T00:00:00Z', '2023-03-01T00:00:00Z', '2023-03-02T00:00:00Z', '2024-01-01T00:00:00Z']);
    expect(r.rejected).toEqual([]);
  });

  it('calendar: "gregorian" is read as standard', async () => {
    const r = await read('gregorian');
    expect(r.calendar).toBe('standard');
    expect(iso(r.field.times)[2]).toBe('2023-03-01T00:00:00Z');
  });

  it('calendar: standard before 1582 is Julian, proleptic_gregorian is not (2 days apart in year 1)', async () => {
    const std = await read('standard', [0, 1], 'days since 0001-01-01');
    const pro = await read('proleptic_gregorian', [0, 1], 'days since 0001-01-01');
    expect(toIsoUtc(std.field.times[0]!)).toBe('0000-12-30T00:00:00Z');
    expect(toIsoUtc(pro.field.times[0]!)).toBe('0001-01-01T00:00:00Z');
  });

  it('calendar: noleap day 59 of a leap year is 1 March (no 29 February), not 29 February', async () => {
    const r = await read('noleap', [0, 58, 59], 'days since 2024-01-01');
    expect(iso(r.field.times)).toEqual(['2024-01-01T00:00:00Z', '2024-02-28T00:00:00Z', '2024-03-01T00:00:00Z']);
  });

  it('calendar: 365_day is noleap', async () => {
    const r = await read('365_day', [0, 365], 'days since 2024-01-01');
    expect(r.calendar).toBe('noleap');
    expect(iso(r.field.times)).toEqual(['2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z']);
  });

  it('calendar: all_leap 29 February of a common year is left out with its frame number', async () => {
    const r = await read('all_leap');
    expect(iso(r.field.times)).toEqual(['2023-01-01T00:00:00Z', '2023-02-28T00:00:00Z', '2023-03-01T00:00:00Z', '2023-12-31T00:00:00Z']);
    expect(r.rejected).toEqual([{ row: 3, column: 'time', code: 'E_DATE', message: '2023-02-29 of the all_leap calendar has no real (Gregorian) date' }]);
  });

  it('calendar: 366_day is all_leap', async () => {
    expect((await read('366_day')).calendar).toBe('all_leap');
  });

  it('calendar: 360_day 29 and 30 February are left out; day 365 is 6 January of the next year', async () => {
    const r = await read('360_day');
    expect(iso(r.field.times)).toEqual(['2023-01-01T00:00:00Z', '2023-03-01T00:00:00Z', '2024-01-06T00:00:00Z']);
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[2, 'E_DATE'], [3, 'E_DATE']]);
  });

  it('calendar: julian 2023-01-01 is 2023-01-14 in UTC (13 days behind)', async () => {
    const r = await read('julian', [0, 1]);
    expect(toIsoUtc(r.field.times[0]!)).toBe('2023-01-14T00:00:00Z');
  });

  it('calendar: "none" is rejected with a reason', async () => {
    const e = await expectHazetraceError(() => read('none'), 'E_FORMAT');
    expect(e.message).toBe('time calendar "none" has no dates: the file\'s times cannot be placed in UTC');
  });

  it('calendar: an unknown calendar name is rejected listing the supported ones', async () => {
    const e = await expectHazetraceError(() => read('martian'), 'E_FORMAT');
    expect(e.message).toMatch(/^unknown CF calendar "martian"; supported: standard, gregorian, proleptic_gregorian, julian, noleap, 365_day, all_leap, 366_day, 360_day$/);
  });

  it('calendar: the model calendar is named in openWind describe', async () => {
    const w = await openWind(windNc3([0, 1, 2], 'hours since 2023-01-01', '360_day'));
    expect(w.describe).toMatch(/\(360_day calendar; a coarse grid\)$/);
  });
});

describe('hostile: NetCDF time axes', () => {
  it('clock: an impossible reference date in the units (2025-02-30) is E_FORMAT', async () => {
    const e = await expectHazetraceError(() => read(undefined, [0, 1], 'hours since 2025-02-30'), 'E_FORMAT');
    expect(e.message).toBe('time units "hours since 2025-02-30": 2025-2-30 does not exist in the standard calendar');
  });

  it('clock: "months since" is rejected with the reason', async () => {
    const e = await expectHazetraceError(() => read(undefined, [0, 1], 'months since 2025-01-01'), 'E_FORMAT');
    expect(e.message).toMatch(/months and years are not fixed lengths of time/);
  });

  it('clock: a time axis that goes backwards is E_FORMAT naming the frame', async () => {
    const e = await expectHazetraceError(() => read(undefined, [0, 2, 1]), 'E_FORMAT');
    expect(e.message).toBe('time axis time must increase: frame 3 is not after frame 2');
  });

  it('clock: years 1–99 in the units are not read as 1901–1999', async () => {
    const r = await read('proleptic_gregorian', [0, 1], 'hours since 0050-06-01');
    expect(toIsoUtc(r.field.times[0]!)).toBe('0050-06-01T00:00:00Z');
  });
});

describe('hostile: time holes are not interpolated', () => {
  // hourly frames 0..5 then 34..39: a 29-h hole (28 h missing)
  const hours = [0, 1, 2, 3, 4, 5, 34, 35, 36, 37, 38, 39];
  const t0 = Date.UTC(2023, 0, 1);

  it('gap: a sample inside a 28-h hole of an hourly file is WIND_NO_DATA; on a frame it is served', async () => {
    const f = await windFromNetcdf(windNc3(hours, 'hours since 2023-01-01'));
    const out = new Float64Array(2);
    expect(f.maxGapHours).toBe(6);
    expect(f.gapCount).toBe(1);
    expect(f.sample(98.5, 18.5, t0 + 20 * H, out)).toBe(WIND_NO_DATA);
    expect(f.sample(98.5, 18.5, t0 + 34 * H, out)).toBe(WIND_OK);
    expect(f.sample(98.5, 18.5, t0 + 4.5 * H, out)).toBe(WIND_OK);
  });

  it('gap: a back-trajectory reaching the hole stops with no-data at its edge', async () => {
    const f = await windFromNetcdf(windNc3(hours, 'hours since 2023-01-01', undefined, { u: new Array(hours.length * 4).fill(0) }));
    const t = traceTrajectory(f, { lng: 98.5, lat: 18.5, time: t0 + 36 * H }, { hours: 12, stepMinutes: 30 });
    expect(t.stopReason).toBe('no-data');
    expect(t.time[t.time.length - 1]).toBe(t0 + 34 * H);
  });

  it('gap: maxGapHours 30 bridges the hole on request', async () => {
    const f = await windFromNetcdf(windNc3(hours, 'hours since 2023-01-01'), { maxGapHours: 30 });
    expect(f.gapCount).toBe(0);
    expect(f.sample(98.5, 18.5, t0 + 20 * H, new Float64Array(2))).toBe(WIND_OK);
  });

  it('gap: a regular 6-hourly file is interpolated throughout (default twice the median step: 12 h)', async () => {
    const f = await windFromNetcdf(windNc3([0, 6, 12, 18], 'hours since 2023-01-01'));
    expect(f.maxGapHours).toBe(12);
    expect(f.sample(98.5, 18.5, t0 + 9 * H, new Float64Array(2))).toBe(WIND_OK);
  });

  it('gap: openWind describes the holes it will not interpolate', async () => {
    const w = await openWind(windNc3(hours, 'hours since 2023-01-01'));
    expect(w.describe).toMatch(/1 hole\(s\) longer than 6 h not interpolated/);
  });
});

describe('hostile: corrupt and truncated gridded wind files', () => {
  let writes: string[] = [];
  beforeEach(() => {
    writes = [];
    const capture = (chunk: unknown): boolean => {
      writes.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as typeof process.stderr.write);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as typeof process.stdout.write);
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void writes.push(a.join(' ')));
    vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void writes.push(a.join(' ')));
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void writes.push(a.join(' ')));
  });
  afterEach(() => vi.restoreAllMocks());

  it('corrupt: a NetCDF3 cut inside its header is E_FORMAT naming NetCDF3 and the header', async () => {
    const e = await expectHazetraceError(() => openWind(W('classic_nc3.nc').subarray(0, 100)), 'E_FORMAT');
    expect(e.message).toBe('NetCDF3: corrupt or truncated header at byte 64 (file of 100 bytes): claims 5 variables, more than the file can hold');
    expect(e.details).toMatchObject({ format: 'NetCDF3', section: 'header', offset: 64 });
  });

  it('corrupt: a NetCDF3 cut inside its data names the variable and byte range', async () => {
    const b = W('classic_nc3.nc');
    const e = await expectHazetraceError(() => openWind(b.subarray(0, b.length - 10)), 'E_FORMAT');
    expect(e.message).toBe(`NetCDF3: variable "v10" data at bytes 932..2948 lies beyond the end of the file (${b.length - 10} bytes): truncated or corrupt`);
    expect(e.details).toMatchObject({ offset: 932 });
  });

  it('corrupt: a NetCDF3 with garbage in the dimension list is E_FORMAT at the byte of the list', async () => {
    const b = W('classic_nc3.nc').slice();
    for (let i = 8; i < 60; i++) b[i] = 0xff;
    const e = await expectHazetraceError(() => openWind(b), 'E_FORMAT');
    expect(e.message).toBe('NetCDF3: corrupt or truncated header at byte 8 (file of 2948 bytes): dimension list has tag 4294967295, expected 10 (NC_DIMENSION) or absent');
  });

  it('corrupt: the 4-byte NetCDF3 magic alone is E_FORMAT', async () => {
    const e = await expectHazetraceError(() => openWind(Uint8Array.of(0x43, 0x44, 0x46, 0x01)), 'E_FORMAT');
    expect(e.message).toBe('NetCDF3: corrupt or truncated header at byte 4 (file of 4 bytes): record count runs past the end of the file');
  });

  it('memory: a NetCDF3 header claiming a 4-GB attribute is refused before any allocation', async () => {
    const b = W('classic_nc3.nc').slice();
    // the first attribute's value count (of variable "time"'s "units"): set it to 0xF2000000
    const dv = new DataView(b.buffer);
    let at = -1;
    for (let i = 0; i + 5 <= b.length; i++) if (String.fromCharCode(...b.subarray(i, i + 5)) === 'units') { at = i + 8 + 4; break; }
    dv.setUint32(at, 0xf2000000);
    const t0 = performance.now();
    const e = await expectHazetraceError(() => openWind(b), 'E_FORMAT');
    expect(e.message).toMatch(/^NetCDF3: corrupt or truncated header at byte \d+ \(file of 2948 bytes\): variable \d attribute 1 values \(\d+ bytes\) runs past the end of the file$/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('corrupt: a truncated NetCDF4 is E_FORMAT with HDF5\'s one-line reason and prints nothing', async () => {
    const b = C('wind_era5_valid_time.nc');
    const e = await expectHazetraceError(() => openWind(b.subarray(0, 5000)), 'E_FORMAT');
    expect(e.message).toBe(`NetCDF4/HDF5: cannot open the file (5000 bytes): truncated file: eof = 5000, sblock->base_addr = 0, stored_eof = ${b.length}`);
    expect(writes.join('')).toBe('');
  });

  it('corrupt: NetCDF4 metadata with a bad checksum is E_FORMAT and prints nothing', async () => {
    const b = C('wind_era5_valid_time.nc').slice();
    for (let i = 1000; i < 1200; i++) b[i] = b[i]! ^ 0xa5;
    const e = await expectHazetraceError(() => openWind(b), 'E_FORMAT');
    expect(e.message).toMatch(/^NetCDF4\/HDF5: cannot read .*incorrect metadata checksum/);
    expect(writes.join('')).toBe('');
  });

  it('impossible: wind values beyond 100 m/s (corrupt data) become NoData and are counted per frame', async () => {
    const u = [1, 1, 1, 1, 1e30, 1, 1, 1];
    const r = await readNetcdfWind(windNc3([0, 1], 'hours since 2023-01-01', undefined, { u }));
    expect(r.rejected).toEqual([{ row: 2, column: 'u10', code: 'E_RANGE', message: '1 value(s) of u10 in frame 2 beyond ±100 m/s (the plausible wind speed) read as NoData' }]);
    expect(Number.isNaN(r.field.u[4]!)).toBe(true);
    expect(r.field.maxSpeed).toBe(1);
  });

  it('corrupt: a GeoTIFF cut inside its IFD is E_FORMAT naming GeoTIFF', async () => {
    const e = await expectHazetraceError(() => openWind({ u: W('wind_u_4326.tif').subarray(0, 300), v: W('wind_v_4326.tif') }), 'E_FORMAT');
    expect(e.message).toMatch(/^GeoTIFF/);
  });

  it('corrupt: a GeoTIFF whose strip runs past the end names the strip and offset', async () => {
    const e = await expectHazetraceError(() => openWind({ u: W('wind_u_4326.tif').subarray(0, 1000), v: W('wind_v_4326.tif') }), 'E_FORMAT');
    expect(e.message).toMatch(/strip 0 \(\d+ bytes at byte offset \d+\) runs past the end of the file \(1000 bytes\)/);
  });

  it('corrupt: a U/V GeoTIFF pair on different grids is E_FORMAT (the files, not an argument, are at fault)', async () => {
    const e = await expectHazetraceError(() => openWind({ u: W('wind_u_4326.tif'), v: W('wind_uv_32647.tif') }), 'E_FORMAT');
    expect(e.message).toMatch(/^GeoTIFF wind: /);
  });

  it('corrupt: a NetCDF whose latitude axis runs past 90° is E_FORMAT naming the grid, not E_ARG', async () => {
    const { writeNc3 } = await import('../wind/nc3-writer.js');
    const b = writeNc3({
      dims: { time: 2, latitude: 2, longitude: 2 },
      vars: [
        { name: 'time', dims: ['time'], type: 'double', attrs: { units: 'hours since 2023-01-01' }, data: [0, 1] },
        { name: 'latitude', dims: ['latitude'], type: 'double', data: [80, 100] },
        { name: 'longitude', dims: ['longitude'], type: 'double', data: [98, 99] },
        { name: 'u10', dims: ['time', 'latitude', 'longitude'], type: 'float', data: new Array(8).fill(1) },
        { name: 'v10', dims: ['time', 'latitude', 'longitude'], type: 'float', data: new Array(8).fill(0) },
      ],
    });
    const e = await expectHazetraceError(() => openWind(b), 'E_FORMAT');
    expect(e.message).toMatch(/^the file's grid is not usable: grid rows must lie within latitude -90\.\.90/);
  });

  it('corrupt: a GeoTIFF with garbage field types in its IFD is E_FORMAT', async () => {
    const b = W('wind_u_4326.tif').slice();
    for (let i = 8; i < 200; i++) b[i] = 0xff;
    await expectHazetraceError(() => openWind({ u: b, v: W('wind_v_4326.tif') }), 'E_FORMAT');
  });
});
