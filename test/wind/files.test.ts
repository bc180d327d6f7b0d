import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HazetraceError } from '../../src/core/index.js';
import type { WindField } from '../../src/core/index.js';
import {
  getTrajectory,
  readTdump,
  traceTrajectories,
  trajectoriesToCsv,
  trajectoriesToGeoJson,
  uniformWind,
  writeTdump,
} from '../../src/wind/index.js';

const H = 3_600_000;
const fixture = (name: string): string => readFileSync(new URL(`../fixtures/wind/${name}`, import.meta.url), 'utf8');

const turning: WindField = {
  kind: 'formula',
  timeRange: [-Infinity, Infinity],
  sample(lng, lat, t, out) {
    out[0] = -4 + Math.sin(lat) * 2;
    out[1] = 1.5 * Math.cos(lng + t / 1e7);
    return 0;
  },
};

describe('HYSPLIT tdump', () => {
  it('parses the documented real layout (header records, then one line per point)', () => {
    const t = readTdump(fixture('tdump_real_layout.txt'), { receptor: 'cm' });
    expect(t.length).toBe(2);
    expect(t.rejected).toEqual([]);
    expect(t.grids).toEqual([
      { model: 'GDAS1', start: Date.UTC(2025, 3, 15), forecastHour: 0 },
      { model: 'GDAS1', start: Date.UTC(2025, 3, 22), forecastHour: 0 },
    ]);
    expect(t.direction).toBe('BACKWARD');
    expect(t.verticalMotion).toBe('OMEGA');
    expect(t.starts[1]).toEqual({ time: Date.UTC(2025, 3, 22, 6), lat: 19.91, lng: 99.841, heightM: 500 });
    expect(Object.keys(t.diagnostics)).toEqual(['PRESSURE', 'THETA', 'AIR_TEMP']);
    expect(Array.from(t.offsets)).toEqual([0, 5, 9]);
    const a = getTrajectory(t, 0);
    expect(Array.from(a.ageHours)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(a.lat)).toEqual([18.788, 18.841, 18.902, 18.97, 19.051]);
    expect(Array.from(a.lng)).toEqual([98.985, 99.112, 99.245, 99.389, 99.54]);
    expect(a.time[4]).toBe(Date.UTC(2025, 3, 22, 2));
    expect(t.heightM[4]).toBe(566.2);
    expect(t.diagnostics.THETA![5]).toBe(304.9); // trajectory 2, age 0
    expect(t.stopReason).toEqual(['completed', 'left-domain']);
    expect(t.receptor).toEqual(['cm', 'cm']);
    expect(Array.from(t.member)).toEqual([0, 1]);
    expect(t.startTime[1]).toBe(Date.UTC(2025, 3, 22, 6));
  });

  it('parses the pre-2005 layout with touching numbers across the antimeridian', () => {
    const t = readTdump(fixture('tdump_old_layout.txt'));
    expect(t.length).toBe(1);
    expect(Array.from(t.lng)).toEqual([-90, -179.987, 179.95]);
    expect(t.time[0]).toBe(Date.UTC(1995, 9, 18, 12));
    expect(trajectoriesToGeoJson(t).features[0]!.geometry.type).toBe('MultiLineString');
  });

  it('a written tdump reads back to the same points (to the format’s 0.001° and 1 min)', () => {
    const starts = [
      { lng: 98.985, lat: 18.788, time: Date.UTC(2025, 3, 22, 6) },
      { lng: 99.841, lat: 19.91, time: Date.UTC(2025, 3, 23, 0) },
      { lng: 179.5, lat: -10.25, time: Date.UTC(2025, 3, 22, 6, 30) },
    ];
    const set = traceTrajectories(turning, starts, { hours: 30, outputMinutes: 60 });
    const text = writeTdump(set);
    const back = readTdump(text);
    expect(back.rejected).toEqual([]);
    expect(back.length).toBe(3);
    expect(back.direction).toBe('BACKWARD');
    expect(Array.from(back.offsets)).toEqual(Array.from(set.offsets));
    for (let p = 0; p < set.lng.length; p++) {
      expect(Math.abs(back.lat[p]! - set.lat[p]!)).toBeLessThanOrEqual(0.0005 + 1e-12);
      const dl = Math.abs(((back.lng[p]! - set.lng[p]! + 540) % 360) - 180);
      expect(dl).toBeLessThanOrEqual(0.0005 + 1e-12);
      expect(Math.abs(back.time[p]! - set.time[p]!)).toBeLessThanOrEqual(30_000);
      expect(back.ageHours[p]).toBeCloseTo(set.ageHours[p]!, 6);
    }
    expect(back.stopReason).toEqual(set.stopReason);
    expect(back.startTime[0]).toBe(starts[0]!.time);
    // idempotent after one pass through the format
    expect(writeTdump(back)).toBe(text);
  });

  it('reports malformed point lines instead of dropping them, and rejects a broken header', () => {
    const lines = fixture('tdump_real_layout.txt').split('\n');
    lines[8] = lines[8]!.slice(0, 40); // truncated point line
    const t = readTdump(lines.join('\n'));
    expect(t.rejected).toHaveLength(1);
    expect(t.rejected[0]!.row).toBe(9);
    expect(t.rejected[0]!.code).toBe('E_COLUMNS');
    expect(t.lng.length + t.rejected.length).toBe(9);
    expect(() => readTdump('hello\nworld')).toThrow(HazetraceError);
    expect(() => readTdump('     1\n')).toThrow(/tdump line/);
  });
});

describe('GeoJSON and CSV', () => {
  it('GeoJSON: one LineString per trajectory, split at the antimeridian with matching latitudes', () => {
    const set = traceTrajectories(uniformWind({ u: 10, v: 2 }), [{ lng: 175, lat: 0, time: 0 }, { lng: 100, lat: 10, time: 0 }], {
      hours: 24,
      direction: 'forward',
    });
    const gj = trajectoriesToGeoJson(set);
    expect(gj.features).toHaveLength(2);
    const g0 = gj.features[0]!.geometry;
    expect(g0.type).toBe('MultiLineString');
    const parts = g0.coordinates as [number, number][][];
    expect(parts).toHaveLength(2);
    const end = parts[0]![parts[0]!.length - 1]!;
    const start = parts[1]![0]!;
    expect(end[0]).toBe(180);
    expect(start[0]).toBe(-180);
    expect(end[1]).toBe(start[1]);
    expect(parts[0]!.length + parts[1]!.length).toBe(25 + 2);
    expect(gj.features[1]!.geometry.type).toBe('LineString');
    expect(gj.features[1]!.properties).toMatchObject({ member: 0, stopReason: 'completed', hours: 24, startTime: '1970-01-01T00:00:00Z' });
    const withPts = trajectoriesToGeoJson(set, { points: true });
    expect(withPts.features).toHaveLength(2 + 50);
  });

  it('CSV: one row per point, receptor quoted when needed', () => {
    const set = traceTrajectories(uniformWind({ u: 1, v: 0 }), [{ lng: 99, lat: 18, time: 0, receptor: 'a,b' }], { hours: 2 });
    const rows = trajectoriesToCsv(set).trim().split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[0]).toBe('trajectory,receptor,member,start_time,time,age_hours,lng,lat,stop_reason');
    expect(rows[1]).toBe('0,"a,b",0,1970-01-01T00:00:00Z,1970-01-01T00:00:00Z,0,99,18,completed');
    expect(rows[3]!.split(',').slice(-5)).toEqual(['1969-12-31T22:00:00Z', '2', String(+(99 - (2 * 3600) / 6_371_000 / (Math.PI / 180) / Math.cos((18 * Math.PI) / 180)).toFixed(6)), '18', 'completed']);
  });
});
