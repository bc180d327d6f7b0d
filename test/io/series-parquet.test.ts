/**
 * Station series as Parquet: the round trip is exact (times, values, NaN, order, time basis), DuckDB reads the same
 * numbers (an independent reader), and bad input gets a clear error.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { readStationSeriesCsv, readStationSeriesParquet, stationSeriesToParquet, tableToParquet } from '../../src/io/index.js';
import type { StationSeries } from '../../src/core/types.js';
import { expectCode, fixtureText } from './helpers.js';

const expectAsyncCode = async (p: Promise<unknown>, code: string): Promise<void> => {
  await expect(p).rejects.toMatchObject({ code });
};

function same(a: StationSeries, b: StationSeries): void {
  expect(b.length).toBe(a.length);
  expect(b.station).toEqual(a.station);
  expect(Array.from(b.time)).toEqual(Array.from(a.time));
  expect(Object.keys(b.values)).toEqual(Object.keys(a.values));
  for (const k of Object.keys(a.values)) {
    const x = a.values[k]!;
    const y = b.values[k]!;
    for (let i = 0; i < x.length; i++) expect(Object.is(x[i], y[i]) || (Number.isNaN(x[i]!) && Number.isNaN(y[i]!))).toBe(true);
  }
}

describe('stationSeriesToParquet / readStationSeriesParquet', () => {
  it('round-trips the real Air4Thai slice exactly, with its time basis', async () => {
    const r = readStationSeriesCsv(fixtureText('air4thai_hourly_slice.csv'));
    const back = await readStationSeriesParquet(stationSeriesToParquet(r));
    same(r.series, back.series);
    expect(back.timeBasis).toBe('hour-end');
    expect(back.counts).toMatchObject({ rows: r.series.length, accepted: r.series.length, rejected: 0 });
    const daily = readStationSeriesCsv(fixtureText('pcd_pm25_daily_slice.csv'));
    expect(daily.timeBasis).toBe('day-start');
    expect((await readStationSeriesParquet(stationSeriesToParquet(daily))).timeBasis).toBe('day-start');
  });

  it('property: any series of whole-ms times and doubles (NaN, ±0, extremes) comes back bit for bit', async () => {
    const value = fc.oneof(fc.double(), fc.constant(NaN), fc.constant(-0), fc.integer({ min: 0, max: 999 }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ st: fc.constantFrom('35t', '36t', 'ab12'), t: fc.integer({ min: -2e12, max: 4e12 }), a: value, b: value }), { maxLength: 50 }),
        async (rows) => {
          const s: StationSeries = {
            length: rows.length,
            station: rows.map((r) => r.st),
            time: Float64Array.from(rows, (r) => r.t),
            values: { pm25: Float64Array.from(rows, (r) => r.a), pm10: Float64Array.from(rows, (r) => r.b) },
          };
          same(s, (await readStationSeriesParquet(stationSeriesToParquet(s))).series);
        },
      ),
      { seed: 20261203, numRuns: 100 },
    );
  });

  it('DuckDB reads the same stations, times and values', async () => {
    const r = readStationSeriesCsv(fixtureText('air4thai_hourly_slice.csv'));
    const dir = mkdtempSync(join(tmpdir(), 'hz-seriespq-'));
    const f = join(dir, 's.parquet');
    writeFileSync(f, stationSeriesToParquet(r));
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      const rows = (await c.runAndReadAll(`SELECT station, epoch_ms(time) AS ms, pm25_ugm3 FROM read_parquet('${f}')`)).getRowObjects();
      expect(rows.length).toBe(r.series.length);
      rows.forEach((x, i) => {
        expect(x['station']).toBe(r.series.station[i]);
        expect(Number(x['ms'])).toBe(r.series.time[i]);
        const v = r.series.values['pm25_ugm3']![i]!;
        expect(x['pm25_ugm3']).toBe(Number.isNaN(v) ? null : v);
      });
    } finally {
      c.closeSync();
    }
  });

  it('rows with no station or time are rejected with row, column and reason; counts add up', async () => {
    const bytes = tableToParquet([
      { name: 'station', type: 'STRING', values: ['35t', null, '36t', '36t'] },
      { name: 'time', type: 'TIMESTAMP', values: [0, 3_600_000, NaN, 7_200_000] },
      { name: 'pm25', type: 'DOUBLE', values: [1, 2, 3, NaN] },
    ]);
    const r = await readStationSeriesParquet(bytes);
    expect(r.series.station).toEqual(['35t', '36t']);
    expect(r.rejected.map((x) => [x.row, x.column, x.code])).toEqual([[2, 'station', 'E_VALUE'], [3, 'time', 'E_DATE']]);
    expect(r.counts).toMatchObject({ rows: 4, accepted: 2, rejected: 2 });
  });

  it('bad input: E_ARG, E_FORMAT, E_COLUMNS', async () => {
    const s: StationSeries = { length: 1, station: ['a'], time: new Float64Array([0.5]), values: {} };
    expectCode(() => stationSeriesToParquet(s), 'E_ARG');
    expectCode(() => stationSeriesToParquet(null as never), 'E_ARG');
    expectCode(() => stationSeriesToParquet({ ...s, time: new Float64Array([0]), values: { time: new Float64Array([1]) } }), 'E_ARG');
    await expectAsyncCode(readStationSeriesParquet(new Uint8Array([1, 2, 3, 4])), 'E_FORMAT');
    await expectAsyncCode(readStationSeriesParquet('x' as never), 'E_ARG');
    await expectAsyncCode(readStationSeriesParquet(tableToParquet([{ name: 'pm25', type: 'DOUBLE', values: [1] }])), 'E_COLUMNS');
  });
});
