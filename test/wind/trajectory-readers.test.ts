import { describe, expect, it } from 'vitest';
import {
  readTrajectories,
  readTrajectoriesCsv,
  readTrajectoriesGeoJson,
  traceTrajectories,
  trajectoriesToCsv,
  trajectoriesToGeoJson,
  uniformWind,
  writeTdump,
} from '../../src/wind/index.js';
import type { TrajectorySet } from '../../src/core/types.js';

const HOUR = 3600e3;
const wind = uniformWind({ u: 6, v: -2 });
const set = traceTrajectories(
  wind,
  [
    { lng: 99, lat: 18.8, time: 10 * HOUR, receptor: 'cm' },
    { lng: 100, lat: 19.9, time: 16 * HOUR, receptor: 'cr' },
    { lng: 98.5, lat: 18.3, time: 22 * HOUR, receptor: 'cm' },
  ],
  { hours: 12 },
);

function expectSameSet(a: TrajectorySet, b: TrajectorySet, tol = 1e-6): void {
  expect(b.length).toBe(a.length);
  expect(Array.from(b.offsets)).toEqual(Array.from(a.offsets));
  expect(b.receptor).toEqual(a.receptor);
  expect(Array.from(b.startTime)).toEqual(Array.from(a.startTime));
  expect(b.stopReason).toEqual(a.stopReason);
  for (let p = 0; p < a.lng.length; p++) {
    expect(Math.abs(b.lng[p]! - a.lng[p]!)).toBeLessThan(tol);
    expect(Math.abs(b.lat[p]! - a.lat[p]!)).toBeLessThan(tol);
    expect(b.time[p]).toBe(a.time[p]);
    expect(Math.abs(b.ageHours[p]! - a.ageHours[p]!)).toBeLessThan(tol);
  }
}

describe('readTrajectoriesCsv', () => {
  it('reads back what trajectoriesToCsv wrote (to the 6 decimals written)', () => {
    const back = readTrajectoriesCsv(trajectoriesToCsv(set));
    expect(back.format).toBe('csv');
    expect(back.rejected).toEqual([]);
    expectSameSet(set, back);
  });

  it('rejects bad rows with their row, column and reason, keeping the rest', () => {
    const lines = trajectoriesToCsv(set).trimEnd().split('\n');
    const total = lines.length - 1;
    const f2 = lines[2]!.split(',');
    f2[6] = '0x10'; // hex longitude
    lines[2] = f2.join(',');
    lines[5] = lines[5]!.replace(/,completed$/, ',finished'); // unknown stop reason
    lines[7] = lines[7]!.replace(/T\d\d:00:00Z,[\d.]+,/, (m) => m.replace(/T\d\d/, 'T25')); // impossible hour
    const back = readTrajectoriesCsv(lines.join('\n'));
    expect(back.rejected.map((r) => [r.row, r.column])).toEqual([
      [2, 'lng/lat'],
      [5, 'stop_reason'],
      [7, 'time'],
    ]);
    expect(back.lng.length + back.rejected.length).toBe(total);
  });

  it('names missing columns', () => {
    expect(() => readTrajectoriesCsv('trajectory,lng,lat\n0,99,18\n')).toThrow(/missing column\(s\) receptor, member, start_time, time, age_hours, stop_reason/);
  });
});

describe('readTrajectoriesGeoJson', () => {
  it('with endpoint features, reads back times and ages exactly', () => {
    const back = readTrajectoriesGeoJson(JSON.stringify(trajectoriesToGeoJson(set, { points: true })));
    expect(back.format).toBe('geojson');
    expect(back.rejected).toEqual([]);
    expectSameSet(set, back, 1e-12);
  });

  it('from lines only, spaces the points evenly over the trajectory hours (hourly output → exact)', () => {
    const back = readTrajectoriesGeoJson(trajectoriesToGeoJson(set));
    expectSameSet(set, back, 1e-12);
  });

  it('joins a line split at the antimeridian back into one trajectory without the inserted crossing points', () => {
    const eastward = traceTrajectories(uniformWind({ u: 20, v: 0 }), [{ lng: 179.5, lat: 0, time: 0 }], { hours: 4, direction: 'forward' });
    const fc = trajectoriesToGeoJson(eastward);
    expect(fc.features[0]!.geometry.type).toBe('MultiLineString');
    const back = readTrajectoriesGeoJson(fc, { direction: 'forward' });
    expectSameSet(eastward, back, 1e-9);
  });

  it('rejects features without a usable geometry or start time, by feature index', () => {
    const fc = trajectoriesToGeoJson(set);
    const features: unknown[] = [...fc.features];
    features.push(null);
    features.push({ type: 'Feature', properties: { trajectory: 9, startTime: '2025-01-01T00:00:00Z' }, geometry: { type: 'Polygon', coordinates: [] } });
    features.push({ type: 'Feature', properties: { trajectory: 10, startTime: 'soon' }, geometry: { type: 'LineString', coordinates: [[99, 18], [98, 18]] } });
    const back = readTrajectoriesGeoJson({ type: 'FeatureCollection', features });
    expect(back.length).toBe(3);
    expect(back.rejected.map((r) => [r.row, r.code])).toEqual([
      [4, 'E_FEATURE'],
      [5, 'E_GEOMETRY'],
      [6, 'E_DATE'],
    ]);
  });
});

describe('readTrajectories', () => {
  it('tells tdump, CSV and GeoJSON apart by content and gives the same trajectories from each', () => {
    const tdump = readTrajectories(writeTdump(set));
    const csv = readTrajectories(trajectoriesToCsv(set));
    const geo = readTrajectories(JSON.stringify(trajectoriesToGeoJson(set)));
    expect([tdump.format, csv.format, geo.format]).toEqual(['tdump', 'csv', 'geojson']);
    expectSameSet(set, csv);
    expectSameSet(set, geo, 1e-9);
    // tdump keeps 3 decimals and has no receptor names
    expect(tdump.length).toBe(set.length);
    for (let p = 0; p < set.lng.length; p++) expect(Math.abs(tdump.lng[p]! - set.lng[p]!)).toBeLessThan(6e-4);
  });
});
