/**
 * Hostile-input corpus for the CSV readers of hazetrace/io (FIRMS CSV, station series, station metadata,
 * generic points, the tokenizer). One `it('<class>: <what>')` per case, each asserting the exact outcome:
 * the accepted value, or the rejection's row/column/code (and the reason's key words), or the thrown code.
 *
 *   npx vitest run test/hostile/io-csv.test.ts
 */
import { describe, expect, it } from 'vitest';
import { parseCsvRows, readFirmsCsv, readPointsCsv, readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import { summarizeRejections } from '../../src/core/ranges.js';
import { expectHazetraceErrorSync } from './helpers.js';

const FIRMS_HEADER = 'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight';
const GOOD = '18.79,98.98,330.1,1,1,2025-04-22,0325,T,80,6.1NRT,300.2,25.4,D';
const firms = (...rows: string[]) => readFirmsCsv(`${FIRMS_HEADER}\n${rows.join('\n')}\n`);
/** A FIRMS row with one field replaced (by header name). */
function firmsRow(field: string, value: string): string {
  const names = FIRMS_HEADER.split(',');
  const cells = GOOD.split(',');
  cells[names.indexOf(field)] = value;
  return cells.join(',');
}
const rej = (r: { rejected: { row: number; column?: string; code: string }[] }) => r.rejected.map((x) => [x.row, x.column, x.code]);

const SERIES_HEADER = 'station_id,date_local,time_local,pm25_ugm3';
const series = (rows: string[], options = {}) => readStationSeriesCsv(`${SERIES_HEADER}\n${rows.join('\n')}\n`, options);
const iso = (ms: number) => new Date(ms).toISOString();

describe('hostile FIRMS CSV', () => {
  it('calendar: 2025-02-30 is rejected with row, column and reason (no rollover to 2 March)', () => {
    const r = firms(GOOD, firmsRow('acq_date', '2025-02-30'));
    expect(rej(r)).toEqual([[2, 'acq_date', 'E_DATE']]);
    expect(r.rejected[0]!.message).toMatch(/does not exist \(month 2 of 2025 has 28 days\)/);
    expect(r.hotspots.length).toBe(1);
  });
  it('calendar: 2024-02-29 (a leap day) is accepted', () => {
    const r = firms(firmsRow('acq_date', '2024-02-29'));
    expect(iso(r.hotspots.time[0]!)).toBe('2024-02-29T03:25:00.000Z');
  });
  it('calendar: ambiguous 04/05/2025 is rejected as ambiguous without dateOrder', () => {
    const r = firms(firmsRow('acq_date', '04/05/2025'));
    expect(rej(r)).toEqual([[1, 'acq_date', 'E_DATE']]);
    expect(r.rejected[0]!.message).toMatch(/ambiguous.*dateOrder/);
  });
  it('calendar: 04/05/2025 with dateOrder DMY is 4 May, with MDY is 5 April', () => {
    const text = `${FIRMS_HEADER}\n${firmsRow('acq_date', '04/05/2025')}\n`;
    expect(iso(readFirmsCsv(text, { dateOrder: 'DMY' }).hotspots.time[0]!)).toBe('2025-05-04T03:25:00.000Z');
    expect(iso(readFirmsCsv(text, { dateOrder: 'MDY' }).hotspots.time[0]!)).toBe('2025-04-05T03:25:00.000Z');
  });
  it('calendar: an invalid dateOrder option throws E_ARG', () => {
    expectHazetraceErrorSync(() => readFirmsCsv(`${FIRMS_HEADER}\n${GOOD}\n`, { dateOrder: 'YDM' as never }), 'E_ARG');
  });
  it('clock: acq_time 2460 is rejected (minutes 60)', () => {
    expect(rej(firms(firmsRow('acq_time', '2460')))).toEqual([[1, 'acq_time', 'E_DATE']]);
  });
  it('clock: acq_time 5 is 00:05 UTC (FIRMS drops leading zeros)', () => {
    expect(iso(firms(firmsRow('acq_time', '5')).hotspots.time[0]!)).toBe('2025-04-22T00:05:00.000Z');
  });
  it('impossible: frp 1e400 (Infinity) is rejected as overflow, not kept', () => {
    const r = firms(firmsRow('frp', '1e400'));
    expect(rej(r)).toEqual([[1, 'frp', 'E_NUMBER']]);
    expect(r.rejected[0]!.message).toMatch(/overflows to Infinity/);
  });
  it('impossible: frp 0x10 (hex) is rejected, not read as 16', () => {
    const r = firms(firmsRow('frp', '0x10'));
    expect(rej(r)).toEqual([[1, 'frp', 'E_NUMBER']]);
    expect(r.rejected[0]!.message).toMatch(/hexadecimal/);
  });
  it('impossible: frp 9999999 is outside the plausible FRP range (E_RANGE)', () => {
    const r = firms(firmsRow('frp', '9999999'));
    expect(rej(r)).toEqual([[1, 'frp', 'E_RANGE']]);
    expect(r.rejected[0]!.message).toMatch(/0\.\.50000 MW/);
  });
  it('impossible: negative frp is rejected (E_RANGE)', () => {
    expect(rej(firms(firmsRow('frp', '-3')))).toEqual([[1, 'frp', 'E_RANGE']]);
  });
  it('impossible: brightness 0 K (a sentinel) is rejected (E_RANGE)', () => {
    expect(rej(firms(firmsRow('brightness', '0')))).toEqual([[1, 'brightness', 'E_RANGE']]);
  });
  it('impossible: a quoted decimal comma "330,1" in brightness is rejected with the reason', () => {
    const r = firms(firmsRow('brightness', '"330,1"'));
    expect(rej(r)).toEqual([[1, 'brightness', 'E_NUMBER']]);
    expect(r.rejected[0]!.message).toMatch(/decimal comma/);
  });
  it('coordinates: latitude 95 is rejected (E_COORD)', () => {
    expect(rej(firms(firmsRow('latitude', '95')))).toEqual([[1, 'latitude', 'E_COORD']]);
  });
  it('coordinates: an empty longitude is rejected, never read as 0', () => {
    const r = firms(firmsRow('longitude', ''));
    expect(rej(r)).toEqual([[1, 'longitude', 'E_COORD']]);
    expect(r.rejected[0]!.message).toMatch(/empty/);
  });
  it('coordinates: NaN text in latitude is rejected', () => {
    expect(rej(firms(firmsRow('latitude', 'NaN')))).toEqual([[1, 'latitude', 'E_COORD']]);
  });
  it('structure: a row with an extra field is rejected (E_COLUMNS) and counted', () => {
    const r = firms(GOOD, GOOD + ',extra');
    expect(rej(r)).toEqual([[2, undefined, 'E_COLUMNS']]);
    expect(r.counts).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
  });
  it('structure: an unclosed quote is rejected (E_QUOTE), not swallowed', () => {
    const r = firms(GOOD, firmsRow('satellite', '"T'));
    expect(rej(r)).toEqual([[2, undefined, 'E_QUOTE']]);
  });
  it('structure: a header without acq_time throws E_COLUMNS naming it', () => {
    const e = expectHazetraceErrorSync(() => readFirmsCsv('latitude,longitude,acq_date\n1,2,2025-01-01\n'), 'E_COLUMNS');
    expect(e.message).toMatch(/acq_time/);
  });
  it('structure: binary input (a zip) throws E_BINARY', () => {
    expectHazetraceErrorSync(() => readFirmsCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])), 'E_BINARY');
  });
  it('structure: whitespace-only input throws E_EMPTY', () => {
    expectHazetraceErrorSync(() => readFirmsCsv('  \n \n'), 'E_EMPTY');
  });
  it('counts: accepted + rejected = data rows over a mixed file, and the summary says "and K more"', () => {
    const bad = ['2025-02-30', '2025-13-01', '1/2/2025', 'x', '2025-04-31', '2025-06-31', '2025-09-31'].map((d) => firmsRow('acq_date', d));
    const r = firms(GOOD, ...bad, GOOD);
    expect(r.counts).toEqual({ rows: 9, accepted: 2, rejected: 7, duplicates: 0, byCode: { E_DATE: 7 } });
    const s = summarizeRejections(r.rejected, { what: 'FIRMS CSV', max: 3 });
    expect(s).toMatch(/^FIRMS CSV: 7 rejected: row 2: .*; row 3: .*; row 4: .*; and 4 more$/);
  });
});

describe('hostile station series CSV', () => {
  it('clock: an hour column 13 means 13:00 local (hour-ending), not 00:13', () => {
    const r = readStationSeriesCsv('station_id,date,hour,pm25\n35t,2025-04-22,13,20\n');
    expect(iso(r.series.time[0]!)).toBe('2025-04-22T06:00:00.000Z');
  });
  it('clock: hour 24 is the end of the day; hour 25 is rejected on the hour column', () => {
    const r = readStationSeriesCsv('station_id,date,hour,pm25\n35t,2025-04-22,24,20\n35t,2025-04-22,25,20\n');
    expect(iso(r.series.time[0]!)).toBe('2025-04-22T17:00:00.000Z');
    expect(rej(r)).toEqual([[2, 'hour', 'E_DATE']]);
  });
  it('clock: a time_utc column without a zone is UTC, not +07:00', () => {
    const r = readStationSeriesCsv('station_id,time_utc,pm25\n35t,2025-04-22 13:00,20\n');
    expect(iso(r.series.time[0]!)).toBe('2025-04-22T13:00:00.000Z');
    expect(r.clock).toBe('utc');
    expect(r.utcOffsetMinutes).toBe(0);
  });
  it('clock: a local file says its clock and offset', () => {
    const r = series(['35t,2025-04-22,13:00,20']);
    expect([r.clock, r.utcOffsetMinutes, r.timeBasis]).toEqual(['local', 420, 'hour-end']);
  });
  it('clock: a cell with its own offset wins over utcOffset (zoned)', () => {
    const r = readStationSeriesCsv('station_id,datetime,pm25\n35t,2025-04-22T13:00+07:00,20\n', { utcOffset: '-05:00' });
    expect(iso(r.series.time[0]!)).toBe('2025-04-22T06:00:00.000Z');
    expect(r.clock).toBe('zoned');
  });
  it('calendar: DD/MM/YYYY is rejected as ambiguous without dateOrder (same rule as FIRMS)', () => {
    const r = series(['35t,22/04/2025,13:00,20']);
    expect(rej(r)).toEqual([[1, 'date_local', 'E_DATE']]);
    expect(r.rejected[0]!.message).toMatch(/ambiguous.*dateOrder/);
  });
  it('calendar: DD/MM/YYYY with dateOrder DMY is read day-first', () => {
    const r = series(['35t,22/04/2025,13:00,20'], { dateOrder: 'DMY' });
    expect(iso(r.series.time[0]!)).toBe('2025-04-22T06:00:00.000Z');
  });
  it('calendar: 2025-02-30 is rejected with the reason, no rollover', () => {
    const r = series(['35t,2025-02-30,13:00,20']);
    expect(rej(r)).toEqual([[1, 'date_local', 'E_DATE']]);
    expect(r.rejected[0]!.message).toMatch(/does not exist/);
  });
  it('calendar: a zoned date-time 2025-02-30T01:00Z is rejected (strict ISO parse)', () => {
    const r = readStationSeriesCsv('station_id,datetime,pm25\n35t,2025-02-30T01:00Z,20\n');
    expect(rej(r)).toEqual([[1, 'datetime', 'E_DATE']]);
  });
  it('missing: PM2.5 9999 and -999 are missing codes (NaN), counted per code', () => {
    const r = series(['35t,2025-04-22,13:00,9999', '35t,2025-04-22,14:00,-999', '35t,2025-04-22,15:00,-9999.0']);
    expect(Array.from(r.series.values['pm25_ugm3']!)).toEqual([NaN, NaN, NaN]);
    expect(r.stats.missingCodes).toEqual({ '9999': 1, '-999': 1, '-9999.0': 1 });
    expect(r.stats.missingValues['pm25_ugm3']).toBe(3);
  });
  it('impossible: negative PM2.5 is rejected (E_RANGE), not kept', () => {
    const r = series(['35t,2025-04-22,13:00,-5']);
    expect(rej(r)).toEqual([[1, 'pm25_ugm3', 'E_RANGE']]);
  });
  it('impossible: PM2.5 2500 µg/m³ is rejected as implausible', () => {
    const r = series(['35t,2025-04-22,13:00,2500']);
    expect(rej(r)).toEqual([[1, 'pm25_ugm3', 'E_RANGE']]);
    expect(r.rejected[0]!.message).toMatch(/0\.\.2000/);
  });
  it('impossible: PM2.5 1e400 (Infinity) is rejected', () => {
    const r = series(['35t,2025-04-22,13:00,1e400']);
    expect(rej(r)).toEqual([[1, 'pm25_ugm3', 'E_NUMBER']]);
    expect(r.rejected[0]!.message).toMatch(/Infinity/);
  });
  it('impossible: PM2.5 0x10 is rejected, not read as 16', () => {
    const r = series(['35t,2025-04-22,13:00,0x10']);
    expect(rej(r)).toEqual([[1, 'pm25_ugm3', 'E_NUMBER']]);
  });
  it('impossible: PM2.5 with a unit suffix "35ug" is rejected with the reason', () => {
    const r = series(['35t,2025-04-22,13:00,35ug']);
    expect(r.rejected[0]!.message).toMatch(/unit or suffix/);
  });
  it('hidden: a duplicate with different values is counted and listed, the last kept by default', () => {
    const r = series(['35t,2025-04-22,13:00,20', '35T,2025-04-22,13:00,30']);
    expect(Array.from(r.series.values['pm25_ugm3']!)).toEqual([30]);
    expect(r.stats).toMatchObject({ rows: 2, accepted: 1, duplicates: 1, conflictingDuplicates: 1, rejected: 0 });
    expect(r.duplicates).toEqual([expect.objectContaining({ row: 2, firstRow: 1, station: '35t', kept: 'last' })]);
  });
  it('hidden: duplicates "first" keeps the first values', () => {
    const r = series(['35t,2025-04-22,13:00,20', '35t,2025-04-22,13:00,30'], { duplicates: 'first' });
    expect(Array.from(r.series.values['pm25_ugm3']!)).toEqual([20]);
    expect(r.duplicates[0]!.kept).toBe('first');
  });
  it('hidden: duplicates "reject" rejects the later record with E_DUPLICATE', () => {
    const r = series(['35t,2025-04-22,13:00,20', '35t,2025-04-22,13:00,30'], { duplicates: 'reject' });
    expect(rej(r)).toEqual([[2, 'date_local', 'E_DUPLICATE']]);
    expect(r.counts).toMatchObject({ rows: 2, accepted: 1, rejected: 1, duplicates: 0 });
  });
  it('hidden: an identical duplicate is counted but not listed as a conflict', () => {
    const r = series(['35t,2025-04-22,13:00,20', '35t,2025-04-22,13:00,20']);
    expect(r.stats.duplicates).toBe(1);
    expect(r.stats.conflictingDuplicates).toBe(0);
    expect(r.duplicates).toEqual([]);
  });
  it('counts: rows = accepted + duplicates + rejected over a hostile mix', () => {
    const r = series(['35t,2025-04-22,13:00,20', '35t,2025-04-22,13:00,21', '35t,2025-02-30,13:00,20', '35t,2025-04-22,14:00,-1', '35t,2025-04-22,15:00,x', '36t,2025-04-22,13:00']);
    expect(r.counts.rows).toBe(6);
    expect(r.counts.accepted + r.counts.duplicates + r.counts.rejected).toBe(6);
    expect(r.counts.byCode).toEqual({ E_DATE: 1, E_NUMBER: 1, E_COLUMNS: 1 });
  });
  it('arguments: duplicates "newest" throws E_ARG', () => {
    expectHazetraceErrorSync(() => series(['35t,2025-04-22,13:00,20'], { duplicates: 'newest' }), 'E_ARG');
  });
});

describe('hostile stations and points CSV', () => {
  it('coordinates: a station with hex latitude is rejected with the reason', () => {
    const r = readStationsCsv('station_id,lat,lon\n35t,0x12,98.9\n');
    expect(rej(r)).toEqual([[1, 'lat', 'E_COORD']]);
    expect(r.rejected[0]!.message).toMatch(/hexadecimal/);
  });
  it('hidden: a repeated station id is rejected with the row of the first (counted)', () => {
    const r = readStationsCsv('station_id,lat,lon\n35t,18.8,98.9\n35T,18.9,99.0\n');
    expect(rej(r)).toEqual([[2, 'station_id', 'E_DUPLICATE']]);
    expect(r.counts).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
  });
  it('coordinates: a point with latitude Infinity (1e400) is rejected, not placed', () => {
    const r = readPointsCsv('name,latitude,longitude\nA,1e400,99\n');
    expect(rej(r)).toEqual([[1, 'latitude', 'E_COORD']]);
    expect(r.rejected[0]!.message).toMatch(/overflows/);
  });
  it('impossible: an attribute column with 1e400 stays text rather than becoming Infinity', () => {
    const r = readPointsCsv('name,latitude,longitude,capacity\nA,18,99,1e400\nB,18,99,5\n');
    expect(r.points.columns['capacity']).toEqual(['1e400', '5']);
  });
  it('arguments: points textColumns not an array throws E_ARG', () => {
    expectHazetraceErrorSync(() => readPointsCsv('latitude,longitude\n1,2\n', { textColumns: 'id' as never }), 'E_ARG');
  });
  it('tokenizer: a quoted field with CR, LF and "" escapes round-trips', () => {
    expect(parseCsvRows('a,"x\r\ny ""z"""\n')).toEqual([['a', 'x\r\ny "z"']]);
  });
  it('tokenizer: 100,000 commas in one line gives one record of 100,001 empty fields', () => {
    const rows = parseCsvRows(','.repeat(100_000));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveLength(100_001);
  });
});
