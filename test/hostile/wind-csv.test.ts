/**
 * Hostile-input corpus: point-wind CSV (readWindCsv, openWind on CSV text) — strict dates, decimal numbers,
 * missing codes, plausible ranges, declared units, and rejections that cite CSV rows.
 */
import { describe, expect, it } from 'vitest';
import { toMetresPerSecond } from '../../src/core/index.js';
import { openWind, readWindCsv, stationWind } from '../../src/wind/index.js';
import { expectHazetraceError, expectHazetraceErrorSync } from './helpers.js';

const HEAD = 'site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from';
const ok = (h: number, speed = '2', dir = '90'): string => `cm,18.8,99.03,2025-04-22T0${h}:00:00Z,${speed},${dir}`;
const csv = (...rows: string[]): string => [HEAD, ...rows].join('\n') + '\n';

describe('hostile: wind CSV values', () => {
  it('dates: 2025-02-30 is rejected on its CSV row, not rolled over to 2 March', () => {
    const r = readWindCsv(csv(ok(0), 'cm,18.8,99.03,2025-02-30T00:00:00Z,2,90'));
    expect(r.observations.length).toBe(1);
    expect(r.rejected).toEqual([
      { row: 2, column: 'time_utc', code: 'E_DATE', message: 'bad time "2025-02-30T00:00:00Z" (an ISO date and time that exists, e.g. 2025-04-22T06:00:00Z)' },
    ]);
  });

  it('dates: hour 25 is rejected', () => {
    const r = readWindCsv(csv('cm,18.8,99.03,2025-04-22T25:00:00Z,2,90'));
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[1, 'E_DATE']]);
  });

  it('numbers: a hexadecimal speed 0x10 is rejected, not read as 16 m/s', () => {
    const r = readWindCsv(csv(ok(0, '0x10')));
    expect(r.rejected).toEqual([{ row: 1, column: 'wind_speed_ms', code: 'E_NUMBER', message: 'bad wind value: "0x10" is a hexadecimal numeral, not a decimal number' }]);
  });

  it('numbers: Infinity and 1e400 are rejected', () => {
    const r = readWindCsv(csv(ok(0, 'Infinity'), ok(1, '1e400')));
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[1, 'E_NUMBER'], [2, 'E_NUMBER']]);
    expect(r.rejected[1]!.message).toBe('bad wind value: "1e400" overflows to Infinity');
  });

  it('missing: 9999 in the speed column is a missing-value code, rejected as missing', () => {
    const r = readWindCsv(csv(ok(0, '9999')));
    expect(r.rejected).toEqual([{ row: 1, column: 'wind_speed_ms', code: 'E_MISSING', message: 'missing-value code "9999"' }]);
  });

  it('missing: an empty direction cell is rejected as missing', () => {
    const r = readWindCsv(csv(ok(0, '2', '')));
    expect(r.rejected).toEqual([{ row: 1, column: 'wind_dir_deg_from', code: 'E_MISSING', message: 'wind value missing (empty cell)' }]);
  });

  it('range: 150 m/s is outside the plausible wind speed', () => {
    const r = readWindCsv(csv(ok(0, '150')));
    expect(r.rejected).toEqual([{ row: 1, column: 'wind_speed_ms', code: 'E_RANGE', message: 'wind speed 150 m/s is outside 0–100 m/s' }]);
  });

  it('range: a negative speed is rejected', () => {
    expect(readWindCsv(csv(ok(0, '-2'))).rejected.map((x) => x.code)).toEqual(['E_RANGE']);
  });

  it('range: direction 400 degrees is rejected', () => {
    const r = readWindCsv(csv(ok(0, '2', '400')));
    expect(r.rejected).toEqual([{ row: 1, column: 'wind_dir_deg_from', code: 'E_RANGE', message: 'wind direction 400 is outside 0–360 degrees' }]);
  });

  it('range: u/v components beyond ±100 m/s are rejected', () => {
    const r = readWindCsv('site,lat,lon,time,u,v\na,18,99,2025-04-22T00:00Z,3,-120\n');
    expect(r.rejected.map((x) => [x.row, x.column, x.code])).toEqual([[1, 'v', 'E_RANGE']]);
  });

  it('position: latitude 91 is rejected with the CSV row', () => {
    const r = readWindCsv(csv('cm,91,99.03,2025-04-22T00:00:00Z,2,90'));
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[1, 'E_COORD']]);
  });
});

describe('hostile: wind CSV units', () => {
  it('units: a wind_speed_kmh header is read as km/h (36 km/h = 10 m/s)', async () => {
    const text = 'site_id,lat,lon,time_utc,wind_speed_kmh,wind_dir_deg_from\ncm,18.8,99.03,2025-04-22T00:00:00Z,36,270\ncm,18.8,99.03,2025-04-22T01:00:00Z,36,270\n';
    const r = readWindCsv(text);
    expect(r.speedUnit).toBe('km/h');
    const out = new Float64Array(2);
    stationWind(r.observations).sample(99.03, 18.8, Date.UTC(2025, 3, 22, 0, 30), out);
    expect(out[0]).toBeCloseTo(10, 12);
  });

  it('units: speedUnit "knots" on a unitless wind_speed column converts knots', () => {
    const text = 'site,lat,lon,time,wind_speed,wd\ncm,18.8,99.03,2025-04-22T00:00Z,10,270\n';
    const r = readWindCsv(text, { speedUnit: 'knots' });
    const out = new Float64Array(2);
    stationWind(r.observations).sample(99.03, 18.8, Date.UTC(2025, 3, 22), out);
    expect(out[0]).toBeCloseTo(toMetresPerSecond(10, 'knots'), 12);
  });

  it('units: a declared unit that contradicts the header is E_ARG', () => {
    const e = expectHazetraceErrorSync(() => readWindCsv(csv(ok(0)), { speedUnit: 'km/h' }), 'E_ARG');
    expect(e.message).toBe('speedUnit "km/h" contradicts column "wind_speed_ms", which says m/s');
  });

  it('units: the plausible range applies after conversion (400 km/h rejected, 250 km/h kept)', () => {
    const text = 'site,lat,lon,time,wind_speed_kmh,wd\ncm,18.8,99.03,2025-04-22T00:00Z,400,270\ncm,18.8,99.03,2025-04-22T01:00Z,250,270\n';
    const r = readWindCsv(text);
    expect(r.observations.length).toBe(1);
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[1, 'E_RANGE']]);
  });

  it('units: stationWind refuses a unit that contradicts the observations\' own', () => {
    const r = readWindCsv('site,lat,lon,time,wind_speed_kmh,wd\ncm,18.8,99.03,2025-04-22T00:00Z,36,270\n');
    expectHazetraceErrorSync(() => stationWind(r.observations, { units: 'm/s' }), 'E_ARG');
  });

  it('units: openWind station.units declares the unit of a unitless CSV', async () => {
    const text = 'site,lat,lon,time,wind_speed,wd\ncm,18.8,99.03,2025-04-22T00:00Z,36,270\n';
    const w = await openWind(text, { station: { units: 'km/h' } });
    expect(w.describe).toMatch(/speeds read in km\/h/);
    const out = new Float64Array(2);
    w.field.sample(99.03, 18.8, Date.UTC(2025, 3, 22), out);
    expect(out[0]).toBeCloseTo(10, 12);
  });

  it('units: an unknown unit name is E_ARG listing the units', () => {
    const e = expectHazetraceErrorSync(() => readWindCsv(csv(ok(0)), { speedUnit: 'furlongs' as 'm/s' }), 'E_ARG');
    expect(e.message).toMatch(/"m\/s", "km\/h", "knots" or "mph"/);
  });
});

describe('hostile: wind CSV rows', () => {
  it('rows: rejections cite CSV data rows across blank lines', () => {
    const r = readWindCsv([HEAD, ok(0), '', ok(1, 'abc'), ok(2)].join('\n'));
    expect(r.rejected.map((x) => x.row)).toEqual([3]);
    expect(Array.from(r.observations.row)).toEqual([1, 4]);
  });

  it('rows: a duplicate time is reported by openWind with its CSV row, not its observation index', async () => {
    // row 2 is rejected by the reader, so the duplicate (CSV row 4) is observation 3
    const w = await openWind(csv(ok(0), ok(1, 'x'), ok(1), ok(1, '5')));
    expect(w.accepted).toBe(2);
    expect(w.rejected.map((x) => [x.row, x.code])).toEqual([[2, 'E_NUMBER'], [4, 'E_DUPLICATE']]);
  });

  it('rows: a site that moves is reported with its CSV row', async () => {
    const w = await openWind(csv(ok(0), 'cm,19.9,99.03,2025-04-22T01:00:00Z,2,90'));
    expect(w.rejected.map((x) => [x.row, x.code])).toEqual([[2, 'E_SITE']]);
  });

  it('rows: a short row is rejected with its row and field counts', () => {
    const r = readWindCsv(csv(ok(0), 'cm,18.8,99.03'));
    expect(r.rejected).toEqual([{ row: 2, code: 'E_COLUMNS', message: 'expected 6 fields, got 3' }]);
  });

  it('rows: an empty site id is rejected', () => {
    const r = readWindCsv(csv(',18.8,99.03,2025-04-22T00:00:00Z,2,90'));
    expect(r.rejected.map((x) => [x.row, x.code])).toEqual([[1, 'E_SITE']]);
  });

  it('rows: a CSV where every row is rejected is E_INPUT in openWind, naming the first problem', async () => {
    const e = await expectHazetraceError(() => openWind(csv(ok(0, '0x10'))), 'E_INPUT');
    expect(e.message).toMatch(/0 rows accepted, 1 rejected \(first problem: row 1 \(wind_speed_ms\)/);
  });
});
