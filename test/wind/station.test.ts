import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HazetraceError, haversine, windToUV, WIND_TIME_RANGE, WIND_NO_DATA } from '../../src/core/index.js';
import { readWindCsv, stationWind, traceTrajectories, traceTrajectory } from '../../src/wind/index.js';
import { SHARED_DATA, needsSharedData } from '../shared-data.js';

const H = 3_600_000;
const fixture = readFileSync(new URL('../fixtures/wind/wind_cm_cr_2025-04-20_to_24.csv', import.meta.url), 'utf8');

describe('readWindCsv + stationWind on the Chiang Mai / Chiang Rai slice', () => {
  const { observations, rejected } = readWindCsv(fixture);
  const field = stationWind(observations);
  const rows = fixture.trim().split('\n').slice(1).map((l) => l.split(','));

  it('reads every row (240 = 2 sites × 120 h) and reproduces each observation at its site and hour', () => {
    expect(rejected).toEqual([]);
    expect(observations.length).toBe(240);
    expect(field.sites.map((s) => s.id)).toEqual(['chiang_mai', 'chiang_rai']);
    const out = new Float64Array(2);
    for (const r of [rows[0]!, rows[57]!, rows[200]!]) {
      const t = Date.parse(r[3]!);
      expect(field.sample(Number(r[2]), Number(r[1]), t, out)).toBe(0);
      const [u, v] = windToUV(Number(r[4]), Number(r[5]));
      expect(out[0]).toBeCloseTo(u, 12);
      expect(out[1]).toBeCloseTo(v, 12);
    }
  });

  it('is linear in time and IDW (power 2) on u and v separately in space', () => {
    const cm = rows.filter((r) => r[0] === 'chiang_mai');
    const cr = rows.filter((r) => r[0] === 'chiang_rai');
    const k = 30;
    const t = Date.parse(cm[k]![3]!) + 0.25 * H;
    const uv = (r: string[]): [number, number] => windToUV(Number(r[4]), Number(r[5]));
    const lerp = (a: [number, number], b: [number, number]): [number, number] => [a[0] + 0.25 * (b[0] - a[0]), a[1] + 0.25 * (b[1] - a[1])];
    const a = lerp(uv(cm[k]!), uv(cm[k + 1]!));
    const b = lerp(uv(cr[k]!), uv(cr[k + 1]!));
    const p = [99.3, 19.2] as const;
    const wa = 1 / haversine(p[0], p[1], 99.02655, 18.80492) ** 2;
    const wb = 1 / haversine(p[0], p[1], 99.8002, 19.9297) ** 2;
    const out = new Float64Array(2);
    expect(field.sample(p[0], p[1], t, out)).toBe(0);
    expect(out[0]).toBeCloseTo((wa * a[0] + wb * b[0]) / (wa + wb), 12);
    expect(out[1]).toBeCloseTo((wa * a[1] + wb * b[1]) / (wa + wb), 12);
    expect(field.sample(p[0], p[1], Date.UTC(2025, 3, 25, 0, 1), out)).toBe(WIND_TIME_RANGE);
  });

  it('traces back-trajectories from Chiang Mai with the default 10-min step', () => {
    const starts = [0, 6, 12, 18].map((h) => ({ lng: 98.9853, lat: 18.7883, time: Date.UTC(2025, 3, 23, h), receptor: 'chiang_mai' }));
    const set = traceTrajectories(field, starts, { hours: 24 });
    expect(set.stopReason.every((r) => r === 'completed')).toBe(true);
    expect(set.offsets[4]).toBe(4 * 25);
    // 48 h back from 2025-04-21T00Z runs out of data at 2025-04-20T00Z
    const t = traceTrajectory(field, starts[0]!, { hours: 96 });
    expect(t.stopReason).toBe('time-range');
    expect(t.time[t.time.length - 1]).toBeGreaterThanOrEqual(Date.UTC(2025, 3, 20));
  });
});

describe('stationWind options and errors', () => {
  const t0 = Date.UTC(2025, 3, 22);
  const obs = {
    site: ['a', 'a', 'a', 'b'],
    lng: [99, 99, 99, 100],
    lat: [18, 18, 18, 19],
    time: [t0, t0 + H, t0 + 6 * H, t0],
    speed: [10, 20, 20, 5],
    direction: [270, 270, 270, 180],
  };

  it('converts knots and km/h, and does not bridge gaps longer than maxGapHours', () => {
    const out = new Float64Array(2);
    stationWind(obs, { units: 'knots' }).sample(99, 18, t0, out);
    expect(out[0]).toBeCloseTo(10 * 0.514444, 5);
    stationWind(obs, { units: 'km/h' }).sample(99, 18, t0 + 0.5 * H, out);
    expect(out[0]).toBeCloseTo(15 / 3.6, 12);
    const f = stationWind(obs, { maxGapHours: 3 });
    expect(f.sample(99, 18, t0 + 3 * H, out)).toBe(WIND_NO_DATA);
    expect(stationWind(obs, { maxGapHours: 6 }).sample(99, 18, t0 + 3 * H, out)).toBe(0);
  });

  it('reports bad observations and bad arguments', () => {
    const f = stationWind({ ...obs, speed: [10, NaN, 20, 5] });
    expect(f.rejected).toHaveLength(1);
    expect(f.rejected[0]).toMatchObject({ row: 2, code: 'E_NUMBER' });
    // mph is a unit since core/units.ts; a name that is no unit still throws E_ARG listing the units
    expect(() => stationWind(obs, { units: 'furlongs' as 'm/s' })).toThrow(/units must be a wind speed unit: "m\/s", "km\/h", "knots" or "mph", got "furlongs"/);
    expect(() => stationWind({ ...obs, lat: [18, 18] })).toThrow(HazetraceError);
    const uv = stationWind({ site: ['x'], lng: [0], lat: [0], time: [0], u: [3], v: [4] });
    const out = new Float64Array(2);
    expect(uv.sample(1, 1, 0, out)).toBe(0);
    expect(out[0]).toBeCloseTo(3, 12);
    expect(out[1]).toBeCloseTo(4, 12);
  });

  it('readWindCsv keeps count: accepted + rejected = data rows', () => {
    const text = fixture.split('\n').slice(0, 6).join('\n') + '\nchiang_mai,18.8,99.0,not-a-time,1,2,10,x\nchiang_mai,18.8,99.0,2025-04-22T00:00:00Z,,2,10,x\n';
    const r = readWindCsv(text);
    expect(r.observations.length).toBe(5);
    // an empty speed cell is a missing value (E_MISSING, core isMissingCode), not a malformed number
    expect(r.rejected.map((x) => x.code)).toEqual(['E_DATE', 'E_MISSING']);
    expect(r.rejected.map((x) => x.row)).toEqual([6, 7]);
    expect(() => readWindCsv('a,b\n1,2\n')).toThrow(/missing column/);
  });
});

const shared = SHARED_DATA;
describe.skipIf(!needsSharedData('test/wind/station.test.ts "full shared hourly wind"'))('full shared hourly wind (skips without the shared data: set HAZETRACE_SHARED_DATA)', () => {
  it('reads all 5,760 rows of 2026-01..04 and traces 72 h back-trajectories through March', () => {
    const text = readFileSync(`${shared}/wind_hourly_openmeteo_era5_chiangmai_chiangrai_2026-01-01_to_2026-04-30.csv`, 'utf8');
    const { observations, rejected } = readWindCsv(text);
    expect(observations.length + rejected.length).toBe(5760);
    expect(rejected).toEqual([]);
    const field = stationWind(observations);
    const starts = Array.from({ length: 31 }, (_, d) => ({ lng: 98.9853, lat: 18.7883, time: Date.UTC(2026, 2, d + 1, 6) }));
    const set = traceTrajectories(field, starts, { hours: 72 });
    expect(set.stopReason.every((r) => r === 'completed')).toBe(true);
  });
});
