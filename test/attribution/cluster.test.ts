import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { adjustedRandIndex, clusterTrajectories, pam, suggestK, trajectoryDistances } from '../../src/attribution/index.js';
import { createRng } from '../../src/core/rng.js';
import { HazetraceError } from '../../src/core/errors.js';
import { makeTrajectorySet } from '../../src/wind/trace.js';
import { readStationSeriesCsv } from '../../src/io/index.js';
import { readWindCsv, stationWind, traceTrajectories } from '../../src/wind/index.js';
import type { TrajectorySet } from '../../src/core/types.js';

/** A TrajectorySet from per-trajectory lng/lat arrays (receptor first, hourly). */
function setOf(paths: { lng: ArrayLike<number>; lat: ArrayLike<number> }[]): TrajectorySet {
  const total = paths.reduce((s, p) => s + p.lng.length, 0);
  const offsets = new Uint32Array(paths.length + 1);
  const lng = new Float64Array(total);
  const lat = new Float64Array(total);
  const ageHours = new Float64Array(total);
  let q = 0;
  paths.forEach((p, t) => {
    for (let k = 0; k < p.lng.length; k++, q++) {
      lng[q] = p.lng[k]!;
      lat[q] = p.lat[k]!;
      ageHours[q] = k;
    }
    offsets[t + 1] = q;
  });
  return makeTrajectorySet({
    length: paths.length,
    offsets,
    lng,
    lat,
    time: new Float64Array(total),
    ageHours,
    receptor: paths.map(() => 'r'),
    member: new Int32Array(paths.length),
    startTime: Float64Array.from(paths, (_, i) => i * 3_600_000),
    stopReason: paths.map(() => 'completed' as const),
  });
}

interface RRun {
  k: number;
  medoids: number[];
  clustering: number[];
  objective: number[];
}
interface Fixture {
  nTraj: number;
  nPoints: number;
  lng: number[];
  lat: number[];
  'euclid-openair': { dist: number[]; pam: RRun[] };
  'angle-openair': { dist: number[]; pam: RRun[] };
}
const fx = JSON.parse(readFileSync(new URL('../fixtures/cluster/openair-pam.json', import.meta.url), 'utf8')) as Fixture;
const fixtureSet = setOf(
  Array.from({ length: fx.nTraj }, (_, t) => ({
    lng: fx.lng.slice(t * fx.nPoints, (t + 1) * fx.nPoints),
    lat: fx.lat.slice(t * fx.nPoints, (t + 1) * fx.nPoints),
  })),
);

describe('openair parity (fixtures from R cluster::pam, scripts/make-cluster-fixtures.R)', () => {
  for (const mode of ['euclid-openair', 'angle-openair'] as const) {
    it(`${mode}: distance matrix equals R's to 1e-12 (relative)`, () => {
      const { matrix, kept } = trajectoryDistances(fixtureSet, { distance: mode });
      expect(kept).toHaveLength(fx.nTraj);
      const want = fx[mode].dist;
      expect(matrix.length).toBe(want.length);
      let worst = 0;
      for (let q = 0; q < want.length; q++) worst = Math.max(worst, Math.abs(matrix[q]! - want[q]!) / Math.max(1e-300, Math.abs(want[q]!)));
      expect(worst).toBeLessThan(1e-12);
    });
    for (const run of fx[mode].pam) {
      it(`${mode}, k = ${run.k}: same medoids, assignment and objective as R`, () => {
        const r = clusterTrajectories(fixtureSet, { k: run.k, distance: mode, algorithm: 'pam' });
        expect(r.medoids).toEqual(run.medoids.map((m) => m - 1));
        expect(Array.from(r.assignment)).toEqual(run.clustering.map((c) => c - 1));
        expect(r.objective).toBeCloseTo(run.objective[1]!, 10);
        // PAM alone on R's own dissimilarities gives the same answer (the algorithm, independent of distance rounding)
        const p = pam(Float64Array.from(fx[mode].dist), fx.nTraj, run.k);
        expect(p.medoids).toEqual(run.medoids.map((m) => m - 1));
        expect(p.objective.build).toBeCloseTo(run.objective[0]!, 10);
      });
    }
  }

  it('the openair Euclid quirk: the latitude difference is scaled by cos(longitude), not cos(latitude)', () => {
    // two trajectories 1° of latitude apart at longitude 60°: openair's term is 110 * 1 * cos(60°) = 55 per point
    const s = setOf([
      { lng: [60, 60], lat: [10, 10] },
      { lng: [60, 60], lat: [11, 11] },
    ]);
    expect(trajectoryDistances(s, { distance: 'euclid-openair' }).matrix[0]).toBeCloseTo(2 * 55, 9);
    // the great-circle version: 2 × 1° of latitude ≈ 2 × 111.2 km
    expect(trajectoryDistances(s, { distance: 'euclid' }).matrix[0]).toBeCloseTo(2 * 111.195, 1);
  });
});

describe('angle distances', () => {
  it("openair's NaN rule: a point on the first trajectory's origin makes the whole pair 0", () => {
    const s = setOf([
      { lng: [99, 98, 97], lat: [18, 18, 18] },
      { lng: [99, 99, 99], lat: [18, 19, 20] }, // due north: 90° from the first at every point
      { lng: [99, 99, 100], lat: [18, 18, 18] }, // its middle point sits on the origin
    ]);
    const m = trajectoryDistances(s, { distance: 'angle-openair' }).matrix;
    expect(m[0]).toBeCloseTo(Math.PI / 2, 12); // pair (0, 1)
    expect(m[1]).toBe(0); // pair (0, 2): NaN -> 0 as trajCluster does
    expect(m[2]).toBe(0); // pair (1, 2)
    // the spherical version counts the undefined point as 0 instead: (0, 2) ≈ (π + 0) / 2
    const a = trajectoryDistances(s, { distance: 'angle' }).matrix;
    expect(a[1]).toBeCloseTo(Math.PI / 2, 2); // (π − ε) / 2: great circles to due W and due E are not quite opposite
  });
});

describe('R pam tie rules on hand cases', () => {
  // R 4.2.2, cluster 2.1.4: for (x in cases) for (k in 1:2) { p <- pam(dist(x), k); print(p$id.med); print(p$clustering) }
  const cases: [number[], number, number[], number[]][] = [
    [[0, 1, 2, 3], 1, [3], [1, 1, 1, 1]],
    [[0, 1, 2, 3], 2, [2, 3], [1, 1, 2, 2]],
    [[0, 2, 4], 1, [2], [1, 1, 1]],
    [[0, 2, 4], 2, [2, 3], [1, 1, 2]],
    [[0, 1, 5, 9, 10], 1, [3], [1, 1, 1, 1, 1]],
    [[0, 1, 5, 9, 10], 2, [2, 5], [1, 1, 1, 2, 2]],
    [[0, 0, 1, 1, 2, 2], 1, [4], [1, 1, 1, 1, 1, 1]],
    [[0, 0, 1, 1, 2, 2], 2, [4, 6], [1, 1, 1, 1, 2, 2]],
  ];
  for (const [x, k, med, clu] of cases) {
    it(`pam(dist(c(${x.join(', ')})), ${k}) → medoids ${med.join(' ')}`, () => {
      const d: number[] = [];
      for (let i = 0; i < x.length; i++) for (let j = i + 1; j < x.length; j++) d.push(Math.abs(x[i]! - x[j]!));
      const r = pam(Float64Array.from(d), x.length, k);
      expect(r.medoids.map((m) => m + 1)).toEqual(med);
      expect(Array.from(r.assignment, (c) => c + 1)).toEqual(clu);
    });
  }

  it('points 0, 1, 10, 11 → medoids 2 and 3 in R (1-based)', () => {
    const r = pam(Float64Array.of(1, 10, 11, 9, 10, 1), 4, 2);
    expect(r.medoids).toEqual([1, 2]);
    expect(Array.from(r.assignment)).toEqual([0, 0, 1, 1]);
  });
});

/** Four wind regimes from the four quarters, with speed/direction noise; labels are the planted family. */
function fourRegimes(perFamily: number, seed: number, hours = 24) {
  const rng = createRng(seed);
  const paths: { lng: number[]; lat: number[] }[] = [];
  const labels: number[] = [];
  for (let f = 0; f < 4; f++) {
    for (let t = 0; t < perFamily; t++) {
      const bearing = ((f * 90 + 20 + rng.normal() * 8) * Math.PI) / 180;
      const speed = 0.12 * Math.exp(rng.normal() * 0.15); // degrees per hour
      const curl = rng.normal() * 0.01;
      const lng = [98.98];
      const lat = [18.79];
      for (let h = 1; h <= hours; h++) {
        const b = bearing + curl * h;
        lng.push(98.98 + (speed * h * Math.sin(b)) / Math.cos((18.79 * Math.PI) / 180) + rng.normal() * 0.03);
        lat.push(18.79 + speed * h * Math.cos(b) + rng.normal() * 0.03);
      }
      paths.push({ lng, lat });
      labels.push(f);
    }
  }
  return { set: setOf(paths), labels };
}

describe('pathway families', () => {
  const { set, labels } = fourRegimes(40, 7);

  it('great-circle Euclid + PAM recovers 4 planted families (ARI ≥ 0.95)', () => {
    const r = clusterTrajectories(set, { k: 4 });
    expect(adjustedRandIndex(r.assignment, labels)).toBeGreaterThanOrEqual(0.95);
    expect(r.size.reduce((a, b) => a + b, 0)).toBe(160);
    expect(r.percent.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 9);
    expect(r.meanPaths).toHaveLength(4);
    expect(r.meanPaths[0]!.lng[0]).toBeCloseTo(98.98, 6); // receptor first
  });

  it('toJSON gives plain arrays', () => {
    const j = JSON.parse(JSON.stringify(clusterTrajectories(set, { k: 4 }))) as Record<string, unknown>;
    expect((j['assignment'] as number[]).length).toBe(160);
    expect((j['meanPaths'] as { lng: number[] }[])[0]!.lng).toHaveLength(25);
    expect(j['distance']).toBe('euclid');
  });

  it('angle distance + PAM recovers them too', () => {
    const r = clusterTrajectories(set, { k: 4, distance: 'angle' });
    expect(adjustedRandIndex(r.assignment, labels)).toBeGreaterThanOrEqual(0.95);
  });

  it('hysplit TSV rule picks the planted k = 4 and recovers the families', () => {
    const r = clusterTrajectories(set, { k: 'auto', algorithm: 'hysplit' });
    expect(r.k).toBe(4);
    expect(r.tsv).toHaveLength(20);
    for (let c = 1; c < r.tsv!.length; c++) expect(r.tsv![c]!).toBeLessThanOrEqual(r.tsv![c - 1]! * (1 + 1e-12));
    expect(adjustedRandIndex(r.assignment, labels)).toBeGreaterThanOrEqual(0.95);
  });

  it('CLARA (seeded) recovers them and is deterministic', () => {
    const a = clusterTrajectories(set, { k: 4, algorithm: 'clara', sampleSize: 60, seed: 3 });
    const b = clusterTrajectories(set, { k: 4, algorithm: 'clara', sampleSize: 60, seed: 3 });
    expect(Array.from(a.assignment)).toEqual(Array.from(b.assignment));
    expect(adjustedRandIndex(a.assignment, labels)).toBeGreaterThanOrEqual(0.95);
  });

  it('a 3-family world gives k = 3 (the rule is not stuck on 4)', () => {
    const three = fourRegimes(30, 11);
    const keep = three.labels.map((l, i) => (l < 3 ? i : -1)).filter((i) => i >= 0);
    const paths = keep.map((i) => ({
      lng: three.set.lng.subarray(three.set.offsets[i]!, three.set.offsets[i + 1]!),
      lat: three.set.lat.subarray(three.set.offsets[i]!, three.set.offsets[i + 1]!),
    }));
    expect(clusterTrajectories(setOf(paths), { k: 'auto', algorithm: 'hysplit' }).k).toBe(3);
  });
});

describe('unequal lengths', () => {
  it('keeps the most common length and reports the dropped trajectories with cluster -1', () => {
    const { set } = fourRegimes(5, 2, 6);
    const paths = Array.from({ length: set.length }, (_, i) => ({
      lng: set.lng.subarray(set.offsets[i]!, set.offsets[i + 1]! - (i === 3 ? 2 : 0)),
      lat: set.lat.subarray(set.offsets[i]!, set.offsets[i + 1]! - (i === 3 ? 2 : 0)),
    }));
    const r = clusterTrajectories(setOf(paths), { k: 2 });
    expect(r.dropped).toEqual([3]);
    expect(r.assignment[3]).toBe(-1);
    expect(r.kept).toHaveLength(19);
    expect(() => clusterTrajectories(setOf(paths), { k: 2, lengths: 'error' })).toThrow(HazetraceError);
  });
});

describe('suggestK and ARI', () => {
  it('suggestK picks the k before the largest relative TSV jump', () => {
    expect(suggestK([900, 500, 200, 20, 18, 16])).toBe(4);
    expect(suggestK([100, 10, 9, 8])).toBe(2);
  });
  it('ARI on a hand case: (2·4 − 3.6) / (6.5 − 3.6)', () => {
    // a = [0,0,0,1,1,1], b = [0,0,1,1,2,2]: index = 2, sa = 6, sb = 3, expected = 18/15 = 1.2, max = 4.5
    expect(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2])).toBeCloseTo((2 - 1.2) / (4.5 - 1.2), 12);
    expect(adjustedRandIndex([0, 0, 1, 1], [5, 5, 7, 7])).toBe(1);
  });
});

describe('PAM objective (property)', () => {
  it("PAM's objective is ≤ that of any random medoid set", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 6, maxLength: 25 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1e6 }),
        (pts, k, seed) => {
          const n = pts.length;
          const d = new Float64Array((n * (n - 1)) / 2);
          let q = 0;
          for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d[q++] = Math.hypot(pts[i]![0] - pts[j]![0], pts[i]![1] - pts[j]![1]);
          const r = pam(d, n, k);
          const rng = createRng(seed);
          const meds = new Set<number>();
          while (meds.size < k) meds.add(rng.int(n));
          let total = 0;
          for (let j = 0; j < n; j++) {
            let best = Infinity;
            for (const i of meds) best = Math.min(best, i === j ? 0 : d[i < j ? i * n - (i * (i + 1)) / 2 + j - i - 1 : j * n - (j * (j + 1)) / 2 + i - j - 1]!);
            total += best;
          }
          expect(r.objective.swap).toBeLessThanOrEqual(total / n + 1e-9);
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });
});

describe('argument errors', () => {
  it('throws E_ARG for a bad k, distance or algorithm', () => {
    const { set } = fourRegimes(3, 1, 4);
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return (e as HazetraceError).code;
      }
      return undefined;
    };
    expect(code(() => clusterTrajectories(set, { k: 0 }))).toBe('E_ARG');
    expect(code(() => clusterTrajectories(set, { k: 12 }))).toBe('E_ARG');
    expect(code(() => clusterTrajectories(set, { k: 2, distance: 'manhattan' as never }))).toBe('E_ARG');
    expect(code(() => clusterTrajectories(set, { k: 2, algorithm: 'kmeans' as never }))).toBe('E_ARG');
    expect(code(() => clusterTrajectories(set, { k: 'auto' }))).toBe('E_ARG');
    expect(code(() => clusterTrajectories(set, { k: 2, maxMatrixTrajectories: 5 }))).toBe('E_BUDGET');
  });
});

describe('real data: Chiang Mai (35t) spring 2026 back-trajectories, PM2.5 per pathway', () => {
  it('clusters 72-h back-trajectories every 6 h (Feb–Apr) and prints PM2.5 per cluster', () => {
    const fx = (name: string): string => readFileSync(new URL(`../fixtures/attribution/${name}`, import.meta.url), 'utf8');
    const { series } = readStationSeriesCsv(fx('air4thai_35t_pm25_2026-01_04.csv'));
    const wind = stationWind(readWindCsv(fx('wind_cm_2026-01_04.csv')).observations);
    const starts: { lng: number; lat: number; time: number; receptor: string }[] = [];
    for (let t = Date.UTC(2026, 1, 1); t < Date.UTC(2026, 4, 1); t += 6 * 3_600_000) starts.push({ lng: 98.9853, lat: 18.7883, time: t, receptor: '35t' });
    const set = traceTrajectories(wind, starts, { hours: 72 });
    const pm = new Map<number, number>();
    const v = series.values['pm25_ugm3']!;
    for (let i = 0; i < series.length; i++) if (Number.isFinite(v[i]!)) pm.set(series.time[i]!, v[i]!);
    for (const options of [{ k: 4 }, { k: 'auto', algorithm: 'hysplit' }] as const) {
      const r = clusterTrajectories(set, options);
      expect(r.kept.length + r.dropped.length).toBe(set.length);
      expect(r.size.reduce((a, b) => a + b, 0)).toBe(r.kept.length);
      const lines: string[] = [];
      for (let c = 0; c < r.k; c++) {
        // the hourly series has gaps: take the reading at the start hour, else the one an hour before or after
        const at = (t: number): number | undefined => pm.get(t) ?? pm.get(t - 3_600_000) ?? pm.get(t + 3_600_000);
        const vals = r.kept.filter((i) => r.assignment[i] === c && at(set.startTime[i]!) !== undefined).map((i) => at(set.startTime[i]!)!);
        const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
        const end = r.meanPaths[c]!.lng.length - 1;
        lines.push(
          `  C${c + 1}: ${r.percent[c]!.toFixed(1)}% (${r.size[c]} traj, ${vals.length} with PM2.5) mean ${mean.toFixed(1)} µg/m³, ` +
            `> 37.5 in ${((100 * vals.filter((x) => x > 37.5).length) / vals.length).toFixed(0)}%; 72-h mean-path end ${r.meanPaths[c]!.lng[end]!.toFixed(2)}E ${r.meanPaths[c]!.lat[end]!.toFixed(2)}N`,
        );
      }
      console.log(`35t spring 2026, ${r.algorithm} k = ${r.k} (${set.length} trajectories):\n${lines.join('\n')}`);
    }
  });
});
