/**
 * Canadian Forest Fire Weather Index System (src/risk/fireweather.ts).
 *
 * The worked example is the 49-day test series of Van Wagner, C.E. & Pickett, T.L. (1985), "Equations and FORTRAN
 * program for the Canadian Forest Fire Weather Index System", Canadian Forestry Service, Forestry Technical Report 33
 * (inputs 13 April – 31 May, start-up FFMC 85, DMC 6, DC 15, standard day lengths), with the outputs printed to one
 * decimal as distributed with the CFS code (Wang, Anderson & Suddaby 2015, NOR-X-424; R package cffdrs `test_fwi`).
 * The table was transcribed from the copy in Ouranosinc/xclim `tests/test_fwi.py` (`CFS_data`) into
 * test/fixtures/risk/fwi_van_wagner_pickett_1985.csv. Every one of the 294 printed values must be reproduced to its
 * printed precision (|computed − printed| ≤ 0.05) by chaining the days from the start-up values.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { errorCodeOf as code } from '../hostile/helpers.js';
import {
  FWI_STARTUP,
  buildupIndex,
  dcDayLength,
  dmcDayLength,
  droughtCode,
  duffMoistureCode,
  fineFuelMoistureCode,
  fireWeatherIndex,
  fireWeatherLayer,
  fireWeatherSeason,
  fwiSeries,
  initialSpreadIndex,
  readWeatherCsv,
} from '../../src/risk/fireweather.js';

const table = readFileSync(new URL('../fixtures/risk/fwi_van_wagner_pickett_1985.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(',').map(Number));
const KEYS = ['ffmc', 'dmc', 'dc', 'isi', 'bui', 'fwi'] as const;


describe('Van Wagner & Pickett (1985) worked example', () => {
  it('has 49 days × 6 printed components', () => {
    expect(table.length).toBe(49);
    expect(table.every((r) => r.length === 12)).toBe(true);
  });

  it('the chained series reproduces every printed value to one decimal', () => {
    const s = fwiSeries(table.map((r) => ({ month: r[0]!, temp: r[2]!, rh: r[3]!, wind: r[4]!, rain: r[5]! })));
    const off: string[] = [];
    table.forEach((r, i) => {
      KEYS.forEach((k, j) => {
        const got = s[k][i]!;
        const printed = r[6 + j]!;
        if (!(Math.abs(got - printed) <= 0.05 + 1e-9)) off.push(`${r[0]}/${r[1]} ${k}: ${got.toFixed(3)} vs printed ${printed}`);
      });
    });
    expect(off).toEqual([]);
  });

  it('each component function reproduces day 1 (13 April) from the start-up values', () => {
    const ffmc = fineFuelMoistureCode(FWI_STARTUP.ffmc, 17, 42, 25, 0);
    const dmc = duffMoistureCode(FWI_STARTUP.dmc, 17, 42, 0, 4);
    const dc = droughtCode(FWI_STARTUP.dc, 17, 0, 4);
    const isi = initialSpreadIndex(ffmc, 25);
    const bui = buildupIndex(dmc, dc);
    expect([ffmc, dmc, dc, isi, bui, fireWeatherIndex(isi, bui)].map((v) => v.toFixed(1))).toEqual(['87.7', '8.5', '19.0', '10.9', '8.5', '10.1']);
  });

  it('a wrong start-up value is caught by the table (the test can fail)', () => {
    const s = fwiSeries(table.map((r) => ({ month: r[0]!, temp: r[2]!, rh: r[3]!, wind: r[4]!, rain: r[5]! })), { start: { dmc: 10 } });
    expect(Math.abs(s.dmc[0]! - table[0]![7]!)).toBeGreaterThan(0.05);
  });
});

describe('equation branches and latitude tables', () => {
  it('heavy rain on wet litter takes Eq. 3b and caps moisture at 250 % (FFMC stays in 0..101)', () => {
    const f = fineFuelMoistureCode(10, 10, 95, 0, 100);
    expect(f).toBeGreaterThanOrEqual(0);
    expect(f).toBeLessThan(10);
  });

  it('BUI uses Eq. 27b when DMC > 0.4 DC and is 0 for DMC = DC = 0; FWI uses Eq. 28b above BUI 80', () => {
    expect(buildupIndex(0, 0)).toBe(0);
    const u = buildupIndex(100, 100); // P > 0.4 D
    expect(u).toBeCloseTo(100 - (1 - 80 / 140) * (0.92 + (1.14) ** 1.7), 10);
    expect(fireWeatherIndex(10, 100)).toBeGreaterThan(fireWeatherIndex(10, 80));
  });

  it('day-length factors follow the latitude bands (Chiang Mai 18.8°N: 20°N DMC table, DC 1.4)', () => {
    expect(dmcDayLength(3)).toBe(9.0);
    expect(dmcDayLength(3, 18.8)).toBe(8.9);
    expect(dmcDayLength(3, 0)).toBe(9);
    expect(dmcDayLength(3, -20)).toBe(9.1);
    expect(dmcDayLength(3, -40)).toBe(9.2);
    expect(dcDayLength(3)).toBe(-1.6);
    expect(dcDayLength(3, 18.8)).toBe(1.4);
    expect(dcDayLength(3, -35)).toBe(2.4);
  });

  it('bad arguments throw E_ARG', () => {
    expect(code(() => fineFuelMoistureCode(102, 20, 40, 10, 0))).toBe('E_ARG');
    expect(code(() => fineFuelMoistureCode(85, 20, 140, 10, 0))).toBe('E_ARG');
    expect(code(() => duffMoistureCode(6, 20, 40, -1, 4))).toBe('E_ARG');
    expect(code(() => droughtCode(15, 20, 0, 13))).toBe('E_ARG');
    expect(code(() => fwiSeries([{ month: 4, temp: NaN, rh: 40, wind: 10, rain: 0 }]))).toBe('E_ARG');
  });
});

describe('weather CSV, season aggregation and the factor layer', () => {
  const csv = [
    'date,station,lat,lng,temp_c,rh_pct,wind_kmh,rain_mm',
    '2024-02-28,hot,18.8,99.0,36,20,20,0',
    '2024-02-29,hot,18.8,99.0,37,18,22,0',
    '2024-03-01,hot,18.8,99.0,38,15,25,0',
    '2024-03-03,hot,18.8,99.0,38,15,25,0', // gap: 2 March missing → restart
    '2024-02-28,wet,19.9,99.8,24,85,5,12',
    '2024-02-29,wet,19.9,99.8,25,80,5,8',
    '2024-03-01,wet,19.9,99.8,24,90,3,20',
    '2024-03-01,wet,19.9,99.8,24,90,3,20', // duplicate date
    '2024-03-02,wet,19.9,99.8,24,190,3,20', // RH out of range
    '2024-02-30,wet,19.9,99.8,24,90,3,20', // not a date
  ].join('\n');

  it('reads stations, restarts after gaps and rejects bad rows with row, column and code', () => {
    const r = readWeatherCsv(csv);
    expect(r.stations.map((s) => [s.id, s.days.length, s.restarts])).toEqual([
      ['hot', 4, [3]],
      ['wet', 3, []],
    ]);
    expect(r.rejected.map((x) => [x.row, x.column, x.code])).toEqual([
      [8, 'date', 'E_DUPLICATE'],
      [9, 'rh_pct', 'E_NUMBER'],
      [10, 'date', 'E_DATE'],
    ]);
  });

  it('missing columns throw E_COLUMNS; no usable row throws E_INPUT', () => {
    expect(code(() => readWeatherCsv('date,temp_c\n2024-01-01,30\n'))).toBe('E_COLUMNS');
    expect(code(() => readWeatherCsv('date,temp_c,rh_pct,wind_kmh,rain_mm\nx,1,1,1,1\n'))).toBe('E_INPUT');
  });

  it('the season summary counts only the season months and the FWI ≥ threshold days', () => {
    const hot = readWeatherCsv(csv).stations[0]!;
    const s = fireWeatherSeason(hot, { months: [3], threshold: 0 });
    expect(s.years).toEqual([{ year: 2024, days: 2, meanFwi: s.meanFwi, highDays: 2 }]);
    const all = fwiSeries(hot.days, { lat: 18.8, restarts: hot.restarts });
    expect(s.meanFwi).toBeCloseTo((all.fwi[2]! + all.fwi[3]!) / 2, 12);
    // the restart on 3 March makes that day start again from FFMC 85 instead of the dry 2-day-old state
    const noRestart = fwiSeries(hot.days, { lat: 18.8 });
    expect(noRestart.ffmc[3]).toBeGreaterThan(all.ffmc[3]!);
  });

  it('the layer spreads station seasons to cells: the hot dry station’s cells score higher', () => {
    const layer = fireWeatherLayer(csv, { months: [2, 3] });
    expect(layer.names).toEqual(['fwi_season_mean', 'fwi_high_days']);
    expect(layer.rejected?.length).toBe(3);
    const cells = [latLngToCell(18.8, 99.0, 6), latLngToCell(19.9, 99.8, 6), latLngToCell(19.3, 99.4, 6)];
    const r = layer.compute(cells);
    const m = r.factors.fwi_season_mean!;
    expect(m[0]!).toBeGreaterThan(m[2]!);
    expect(m[2]!).toBeGreaterThan(m[1]!);
    const near = fireWeatherLayer(csv, { months: [2, 3], spread: 'nearest' }).compute(cells).factors.fwi_season_mean!;
    expect(near[0]).toBe(fireWeatherSeason(readWeatherCsv(csv).stations[0]!, { months: [2, 3] }).meanFwi);
  });

  it('a weather record with no day in the season months throws E_INPUT when the layer is built', () => {
    expect(code(() => fireWeatherLayer(csv, { months: [8] }))).toBe('E_INPUT');
    expect(code(() => fireWeatherLayer(csv, { months: [13] }))).toBe('E_ARG');
  });

  it('one station (or none located) gives every cell the same value, which the notes call uninformative', () => {
    const one = 'date,temp_c,rh_pct,wind_kmh,rain_mm\n2024-03-01,36,25,20,0\n2024-03-02,37,20,22,0\n';
    const r = fireWeatherLayer(one, { months: [3] }).compute([latLngToCell(18.8, 99.0, 6), latLngToCell(19.9, 99.8, 6)]);
    expect(r.factors.fwi_season_mean![0]).toBe(r.factors.fwi_season_mean![1]);
    expect(r.notes.join(' ')).toMatch(/uninformative/);
  });
});
