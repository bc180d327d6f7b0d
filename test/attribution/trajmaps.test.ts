import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { differenceMap, trajectoryFrequency, trajMapToGeoJson, clusterStatistics, trajectoryConcentrations, subsetTrajectories } from '../../src/attribution/index.js';
import { HazetraceError, type TrajectorySet } from '../../src/core/index.js';
import { fanSet } from './trajmaps-fixtures.js';

/** Build a set from explicit trajectories [lng, lat, ageHours][]. */
function setOf(trajs: [number, number, number][][], receptor = 'r'): TrajectorySet {
  const pts = trajs.flat();
  const offsets = new Uint32Array(trajs.length + 1);
  trajs.forEach((tr, i) => (offsets[i + 1] = offsets[i]! + tr.length));
  return {
    length: trajs.length,
    offsets,
    lng: Float64Array.from(pts, (p) => p[0]),
    lat: Float64Array.from(pts, (p) => p[1]),
    time: Float64Array.from(pts, (p) => -p[2] * 3.6e6),
    ageHours: Float64Array.from(pts, (p) => p[2]),
    receptor: trajs.map(() => receptor),
    member: new Int32Array(trajs.length),
    startTime: Float64Array.from(trajs, (_, i) => i * 3.6e6),
    stopReason: trajs.map(() => 'completed' as const),
  };
}

// A: three points, two in box "0,0", one in "1,0"; hours by the midpoint rule 0.5, 1, 0.5.
// B: ages 0, 3, 6 through "0,0", "0,1", "0,2"; hours 1.5, 3, 1.5.
const A: [number, number, number][] = [[0, 0, 0], [0.2, 0, 1], [1, 0, 2]];
const B: [number, number, number][] = [[0, 0, 0], [0, 1, 3], [0, 2, 6]];
const deg = { type: 'degree' as const, size: 1 };
const byId = (cells: { id: string; value: number }[]) => Object.fromEntries(cells.map((c) => [c.id, c.value]));

describe('trajectoryFrequency', () => {
  it('normalises by trajectories, endpoints, residence time and (openair) the busiest cell, by hand', () => {
    const set = setOf([A, B]);
    expect(byId(trajectoryFrequency(set, { grid: deg, statistic: 'trajectories' }).cells)).toEqual({ '0,0': 100, '1,0': 50, '0,1': 50, '0,2': 50 });
    const ep = byId(trajectoryFrequency(set, { grid: deg, statistic: 'endpoints' }).cells);
    expect(ep['0,0']).toBeCloseTo(50, 12);
    expect(ep['1,0']).toBeCloseTo(100 / 6, 12);
    const rt = trajectoryFrequency(set, { grid: deg, statistic: 'residence-time' });
    expect(rt.totalHours).toBe(8);
    expect(byId(rt.cells)).toEqual({ '0,0': 37.5, '1,0': 6.25, '0,1': 37.5, '0,2': 18.75 });
    expect(Object.fromEntries(rt.cells.map((c) => [c.id, c.hours]))).toEqual({ '0,0': 3, '1,0': 0.5, '0,1': 3, '0,2': 1.5 });
    // openair frequency: relative to the busiest cell (2 trajectories); drop the receptor cell by moving B's start.
    const moved = setOf([A, [[0, 1, 0], [0, 2, 1]]]);
    expect(byId(trajectoryFrequency(moved, { grid: deg, statistic: 'frequency' }).cells)).toEqual({ '0,0': 100, '1,0': 100, '0,1': 100, '0,2': 100 });
    expect(byId(trajectoryFrequency(moved, { grid: deg, statistic: 'trajectories' }).cells)).toEqual({ '0,0': 50, '1,0': 50, '0,1': 50, '0,2': 50 });
  });

  it('uses H3 cells of the requested resolution and counts a trajectory once per cell', () => {
    const { set } = fanSet(40, 3);
    const r = trajectoryFrequency(set, { res: 4 });
    const home = latLngToCell(18.8, 99, 4);
    const cell = r.cells.find((c) => c.id === home)!;
    expect(cell.trajectories).toBe(40);
    expect(cell.value).toBe(100);
    expect(cell.endpoints).toBeGreaterThan(40); // several points of each trajectory near the receptor
    expect(r.cells.every((c) => c.trajectories <= 40 && c.value <= 100)).toBe(true);
    const total = r.cells.reduce((s, c) => s + c.endpoints, 0);
    expect(total).toBe(set.lng.length);
    expect(r.cells.reduce((s, c) => s + c.hours, 0)).toBeCloseTo(40 * 36, 9);
  });

  it('bins exactly as h3-js latLngToCell at several resolutions (fast path and numeric cell keys)', () => {
    const { set } = fanSet(60, 17, 48, 0.3);
    for (const res of [2, 5, 8, 11]) {
      const want = new Map<string, number>();
      for (let i = 0; i < set.lng.length; i++) {
        const id = latLngToCell(set.lat[i]!, set.lng[i]!, res);
        want.set(id, (want.get(id) ?? 0) + 1);
      }
      const got = trajectoryFrequency(set, { res, statistic: 'endpoints' });
      expect(new Map(got.cells.map((c) => [c.id, c.endpoints]))).toEqual(want);
    }
  });

  it('applies minBin and rejects bad options with E_ARG', () => {
    const set = setOf([A, B]);
    expect(trajectoryFrequency(set, { grid: deg, minBin: 2 }).cells.map((c) => c.id)).toEqual(['0,0']);
    expect(() => trajectoryFrequency(set, { statistic: 'pscf' as never })).toThrow(HazetraceError);
    expect(() => trajectoryFrequency(set, { res: 16 })).toThrow(/res/);
    expect(() => trajectoryFrequency({} as TrajectorySet)).toThrow(HazetraceError);
  });
});

describe('differenceMap', () => {
  it('is the subset frequency minus all, in percentage points, by hand', () => {
    const all = setOf([A, B]);
    const d = differenceMap(setOf([A]), all, { grid: deg });
    expect(byId(d.cells)).toEqual({ '0,0': 0, '1,0': 50, '0,1': -50, '0,2': -50 });
    expect(d.nSubset).toBe(1);
    expect(differenceMap(setOf([A]), all, { grid: deg, minBin: 2 }).cells.map((c) => c.id)).toEqual(['0,0']);
    expect(() => differenceMap(all, setOf([A]), { grid: deg })).toThrow(/subset/);
  });

  it('shows where high-PM trajectories came from on a planted fan', () => {
    const { set, heading } = fanSet(200, 5);
    const idx = Array.from(heading.keys()).filter((t) => heading[t]! < 90);
    const sub = subsetTrajectories(set, idx);
    const d = differenceMap(sub, set, { res: 3 });
    const top = [...d.cells].sort((a, b) => b.value - a.value).slice(0, 5);
    for (const c of top) expect(c.lng > 99 && c.lat > 18.8).toBe(true); // north-east quadrant
  });
});

describe('trajMapToGeoJson', () => {
  it('writes one polygon per cell with the counts', () => {
    const fc = trajMapToGeoJson(trajectoryFrequency(setOf([A, B]), { grid: deg }));
    expect(fc.features).toHaveLength(4);
    const f = fc.features.find((x) => x.properties?.cell === '1,0')!;
    expect(f.properties).toMatchObject({ statistic: 'trajectories', value: 50, trajectories: 1, endpoints: 1, hours: 0.5 });
    expect((f.geometry as { coordinates: number[][][] }).coordinates[0]![0]).toEqual([0.5, -0.5]);
  });
});

describe('clusterStatistics', () => {
  it('joins the series by receptor and nearest start time and summarises per cluster', () => {
    const set = setOf([A, B, A, B, A]); // start times 0, 1, 2, 3, 4 h
    const H = 3.6e6;
    const series = { station: ['R', 'R', 'R', 'R', 'other'], time: [0, H + 10 * 60e3, 2 * H, 3 * H, 4 * H], value: [10, 20, 30, 90, 999] };
    expect(Array.from(trajectoryConcentrations(set, series))).toEqual([10, 20, 30, 90, NaN]);
    expect(Array.from(trajectoryConcentrations(set, series, { maxTimeGapMinutes: 5 }))).toEqual([10, NaN, 30, 90, NaN]);
    const s = clusterStatistics(set, [0, 1, 0, 1, 0], series, { threshold: 25 });
    expect(s.clusters[0]).toMatchObject({ n: 3, percent: 60, matched: 2, mean: 20, p50: 20, aboveShare: 0.5 });
    expect(s.clusters[0]!.p10).toBeCloseTo(12, 12);
    expect(s.clusters[1]).toMatchObject({ n: 2, matched: 2, mean: 55, aboveShare: 0.5 });
    expect(s.clusters[1]!.p90).toBeCloseTo(83, 12);
    expect(s.unmatched).toBe(1);
    expect(JSON.parse(JSON.stringify(s)).clusters).toHaveLength(2);
    expect(() => clusterStatistics(set, [0, 1], series)).toThrow(HazetraceError);
  });

  it('credits attributed episode shares to the clusters of their trajectories', () => {
    const set = setOf([A, B, A, B]);
    const share = (s: number) => ({ share: s, low: s, high: s, min: s, max: s });
    const ep = (ts: number[], fire: number) => ({
      trajectories: { ...setOf(ts.map(() => A)), startTime: Float64Array.from(ts, (t) => t * 3.6e6) },
      sharesByCategory: { fire: share(fire), industry: share(1 - fire) },
      sharesByRegion: { TH: share(1) },
      totalScore: 1,
    });
    // Episode 1: trajectories starting at 0 h and 2 h (both cluster 0); episode 2: at 1 h (cluster 1) and 2 h (cluster 0).
    const s = clusterStatistics(set, [0, 1, 0, 1], { station: 'r', time: [0], value: [1] }, { attribution: [ep([0, 2], 0.8), ep([1, 2], 0.2)] });
    expect(s.clusters[0]!.episodes).toBeCloseTo(1.5, 12);
    expect(s.clusters[0]!.sharesByCategory!.fire).toBeCloseTo((0.8 + 0.5 * 0.2) / 1.5, 12);
    expect(s.clusters[1]!.sharesByCategory!.fire).toBeCloseTo(0.2, 12);
    expect(s.clusters[1]!.sharesByRegion).toEqual({ TH: 1 });
  });
});

describe('real data: Chiang Mai 35t, spring 2026 (committed fixtures)', () => {
  it('joins hourly PM2.5 to 3-hourly back-trajectories and maps residence time', async () => {
    const { readFileSync } = await import('node:fs');
    const { readStationSeriesCsv } = await import('../../src/io/index.js');
    const { readWindCsv, stationWind, traceTrajectories } = await import('../../src/wind/index.js');
    const fx = (name: string) => readFileSync(new URL(`../fixtures/attribution/${name}`, import.meta.url), 'utf8');
    const { series } = readStationSeriesCsv(fx('air4thai_35t_pm25_2026-01_04.csv'));
    const wind = stationWind(readWindCsv(fx('wind_cm_2026-01_04.csv')).observations);
    const starts = [];
    for (let t = Date.UTC(2026, 1, 1); t < Date.UTC(2026, 3, 30); t += 3 * 3.6e6) starts.push({ lng: 98.96978, lat: 18.840732, time: t, receptor: '35t' });
    const set = traceTrajectories(wind, starts, { hours: 72 });
    const pm = { station: series.station, time: series.time, value: series.values['pm25_ugm3']! };
    const values = trajectoryConcentrations(set, pm);
    const observed = new Set<number>();
    for (let i = 0; i < pm.time.length; i++) if (Number.isFinite(pm.value[i]!)) observed.add(pm.time[i]!);
    expect(Array.from(values).filter(Number.isFinite).length).toBe(starts.filter((s) => observed.has(s.time)).length);
    const rt = trajectoryFrequency(set, { res: 4, statistic: 'residence-time' });
    let hours = 0;
    for (let t = 0; t < set.length; t++) hours += set.ageHours[set.offsets[t + 1]! - 1]!;
    expect(rt.totalHours).toBeCloseTo(hours, 6);
    console.log(`35t spring 2026: ${set.length} trajectories, ${Array.from(values).filter(Number.isFinite).length} with PM2.5, ${rt.cells.length} H3 res-4 cells`);
  });
});
