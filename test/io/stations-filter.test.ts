/**
 * readStationSeriesCsv's `stations` option: reading only some stations' records gives exactly the rows the whole
 * read gives for those stations (same order, times, values, duplicates resolved the same way), rejects exactly the
 * rows of those stations (plus rows whose station is unknown), and counts the rest in `stats.otherStations`.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStationSeriesCsv, type StationSeriesResult } from '../../src/io/index.js';
import { readStationSeriesCsvFile } from '../../src/node/index.js';
import { FIXTURES, expectCode, fixtureText } from './helpers.js';

/** The whole read's records of `ids` (in file order), as plain rows. */
function rowsOf(r: StationSeriesResult, ids: Set<string> | null): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < r.series.length; i++) {
    const st = r.series.station[i]!;
    if (ids && !ids.has(st)) continue;
    out.push([st, r.series.time[i], ...Object.values(r.series.values).map((v) => v[i])]);
  }
  return out;
}

function addsUp(r: StationSeriesResult): void {
  expect(r.stats.accepted + r.stats.duplicates + r.stats.rejected).toBe(r.stats.rows);
  expect(r.counts.rows).toBe(r.stats.rows);
}

describe('readStationSeriesCsv({ stations }): real Air4Thai slice', () => {
  const text = fixtureText('air4thai_hourly_slice.csv');
  const whole = readStationSeriesCsv(text);
  it('each station alone equals its rows of the whole read; the other records are counted, not rows', () => {
    const ids = [...new Set(whole.series.station)];
    expect(ids.length).toBe(3);
    let rows = 0;
    for (const id of ids) {
      const one = readStationSeriesCsv(text, { stations: [id.toUpperCase()] });
      expect(rowsOf(one, null)).toEqual(rowsOf(whole, new Set([id])));
      expect(Object.keys(one.series.values)).toEqual(Object.keys(whole.series.values));
      expect(one.timeBasis).toBe(whole.timeBasis);
      addsUp(one);
      expect(one.stats.rows + one.stats.otherStations).toBe(whole.stats.rows);
      rows += one.stats.rows;
    }
    expect(rows).toBe(whole.stats.rows);
    expect(whole.stats.otherStations).toBe(0);
  });
  it('the streamed file reader gives the same result', async () => {
    const a = readStationSeriesCsv(text, { stations: ['36t'] });
    const b = await readStationSeriesCsvFile(join(FIXTURES, 'air4thai_hourly_slice.csv'), { stations: ['36t'] });
    expect(rowsOf(b, null)).toEqual(rowsOf(a, null));
    expect(b.stats).toEqual(a.stats);
  });
  it('a station not in the file gives no rows, every record counted as another station', () => {
    const none = readStationSeriesCsv(text, { stations: ['zz9'] });
    expect(none.series.length).toBe(0);
    expect(none.stats.rows).toBe(0);
    expect(none.stats.otherStations).toBe(whole.stats.rows);
  });
  it('a bad stations option is an E_ARG', () => {
    for (const bad of [[], 'xx', [''], [3], {}, null]) expectCode(() => readStationSeriesCsv(text, { stations: bad as never }), 'E_ARG');
  });
});

describe('readStationSeriesCsv({ stations }): wide format', () => {
  const wide = 'date,35T,36T,57T\n2025-04-22,81.5,N/A,60\n2025-04-23,,-999,61.2\nbad-date,1,2,3\n2025-04-22,82,70,x\n2025-04-24,1,2\n';
  it('keeps the chosen columns; other columns are counted per line', () => {
    const whole = readStationSeriesCsv(wide, { valueName: 'pm25' });
    const r = readStationSeriesCsv(wide, { valueName: 'pm25', stations: ['57t', '35t'] });
    expect(rowsOf(r, null)).toEqual(rowsOf(whole, new Set(['35t', '57t'])));
    addsUp(r);
    // 4 parsed lines × 1 other column; the short line is rejected by the CSV layer for the 2 chosen columns
    expect(r.stats.otherStations).toBe(4);
    expect(r.rejected.map((x) => [x.row, x.code, x.column])).toEqual(whole.rejected.filter((x) => x.column !== '36T').map((x) => [x.row, x.code, x.column]));
  });
});

// A long CSV with a few stations, repeated times (duplicates), bad dates, bad values and empty station ids.
const cell = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 400 }).map(String) },
  { weight: 1, arbitrary: fc.constantFrom('', 'NA', '-999', 'x1', '-5') },
);
const line = fc.record({
  station: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('35T', '35t', '36t', ' 57T', 'a9') }, { weight: 1, arbitrary: fc.constant('') }),
  day: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 3 }).map((d) => `2025-04-0${d}`) }, { weight: 1, arbitrary: fc.constant('2025-02-30') }),
  hour: fc.integer({ min: 0, max: 3 }),
  pm25: cell,
  pm10: cell,
});

describe('readStationSeriesCsv({ stations }): property', () => {
  it('filtered = whole restricted to the stations; rejections and counts add up', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 0, maxLength: 60 }),
        fc.subarray(['35t', '36t', '57t', 'a9', 'nope'], { minLength: 1 }),
        fc.constantFrom<'last' | 'first' | 'reject'>('last', 'first', 'reject'),
        (lines, ids, duplicates) => {
          const csv = 'station_id,date_local,time_local,pm25_ugm3,pm10_ugm3\n' + lines.map((l) => `${l.station},${l.day},0${l.hour}:00,${l.pm25},${l.pm10}`).join('\n') + '\n';
          const whole = readStationSeriesCsv(csv, { duplicates });
          const r = readStationSeriesCsv(csv, { duplicates, stations: ids });
          const set = new Set(ids);
          expect(rowsOf(r, null)).toEqual(rowsOf(whole, set));
          addsUp(r);
          // rows of the chosen stations, and rows with an empty id, are read as before; the others are counted
          const stationOfRow = (row: number): string => lines[row - 1]!.station.trim().toLowerCase();
          const keep = (row: number): boolean => stationOfRow(row) === '' || set.has(stationOfRow(row));
          expect(r.rejected.map((x) => [x.row, x.code, x.column])).toEqual(whole.rejected.filter((x) => keep(x.row)).map((x) => [x.row, x.code, x.column]));
          const others = lines.filter((l) => l.station.trim() !== '' && !set.has(l.station.trim().toLowerCase())).length;
          expect(r.stats.otherStations).toBe(others);
          expect(r.stats.rows + others).toBe(whole.stats.rows);
        },
      ),
      { seed: 20261203, numRuns: 300 },
    );
  });
});
