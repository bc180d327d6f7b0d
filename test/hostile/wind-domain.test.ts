/**
 * Hostile-input corpus: honest wind domains — a point-wind (IDW) field has an extent, and trajectories that leave
 * it stop with a reason instead of "completing" on winds measured thousands of kilometres away.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WIND_LEFT_DOMAIN, WIND_OK, haversine } from '../../src/core/index.js';
import { DEFAULT_STATION_REACH_KM, readWindCsv, stationWind, traceTrajectory } from '../../src/wind/index.js';
import { expectHazetraceErrorSync } from './helpers.js';

const thai = readWindCsv(readFileSync(new URL('../fixtures/wind/wind_cm_cr_2025-04-20_to_24.csv', import.meta.url), 'utf8')).observations;
const T = Date.UTC(2025, 3, 22, 0);
const H = 3_600_000;
/** One site at (99, 18) with a steady 10 m/s easterly for 48 h. */
const steady = {
  site: Array.from({ length: 49 }, () => 's'),
  lng: new Array(49).fill(99),
  lat: new Array(49).fill(18),
  time: Array.from({ length: 49 }, (_, i) => T - 48 * H + i * H),
  speed: new Array(49).fill(10),
  direction: new Array(49).fill(90),
};

describe('hostile: point-wind extent', () => {
  it(`extent: the default reach is ${DEFAULT_STATION_REACH_KM} km from the nearest site`, () => {
    const f = stationWind(thai);
    expect(f.maxDistanceKm).toBe(500);
    const out = new Float64Array(2);
    expect(f.sample(99.3, 19.3, T, out)).toBe(WIND_OK);
    expect(f.sample(105.5, 19.3, T, out)).toBe(WIND_LEFT_DOMAIN); // ~600 km east of Chiang Rai
  });

  it('extent: a start at 10 E 50 N on Thai winds does not complete: E_DOMAIN naming the reach', () => {
    const e = expectHazetraceErrorSync(() => traceTrajectory(stationWind(thai), { lng: 10, lat: 50, time: T }, { hours: 24 }), 'E_DOMAIN');
    expect(e.message).toBe(
      'start (lng 10, lat 50, time 2025-04-22T00:00:00Z) is outside the wind field: more than 500 km from every wind site reporting then ' +
        "(the field's extent, option maxDistanceKm) (field time range 2025-04-20T00:00:00Z..2025-04-24T23:00:00Z)",
    );
  });

  it('extent: a back-trajectory carried out of the reach stops with left-domain at the edge', () => {
    const t = traceTrajectory(stationWind(steady), { lng: 99, lat: 18, time: T }, { hours: 48, stepMinutes: 10 });
    expect(t.stopReason).toBe('left-domain');
    const n = t.lng.length;
    const lastKm = haversine(t.lng[n - 1]!, t.lat[n - 1]!, 99, 18) / 1000;
    expect(lastKm).toBeLessThanOrEqual(500);
    expect(lastKm).toBeGreaterThan(490); // stopped at the edge, not earlier
    expect(t.ageHours[n - 1]).toBeLessThan(14); // 500 km at 10 m/s is 13.9 h
  });

  it('extent: maxDistanceKm Infinity restores IDW everywhere (the trajectory completes)', () => {
    const t = traceTrajectory(stationWind(steady, { maxDistanceKm: Infinity }), { lng: 99, lat: 18, time: T }, { hours: 48, stepMinutes: 10 });
    expect(t.stopReason).toBe('completed');
  });

  it('extent: a smaller reach is honoured (100 km)', () => {
    const f = stationWind(steady, { maxDistanceKm: 100 });
    const out = new Float64Array(2);
    expect(f.sample(99.8, 18, T, out)).toBe(WIND_OK); // ~85 km
    expect(f.sample(100.1, 18, T, out)).toBe(WIND_LEFT_DOMAIN); // ~116 km
  });

  it('extent: maxDistanceKm must be positive (0 is E_ARG)', () => {
    expectHazetraceErrorSync(() => stationWind(steady, { maxDistanceKm: 0 }), 'E_ARG');
  });
});
