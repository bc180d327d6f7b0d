/**
 * Levels with an absolute meaning (bands of the burn probability), the burn-probability model, validation helpers and
 * explanations in words, on synthetic histories where the answer is known by construction.
 */
import { describe, expect, it } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import type { FeatureCollection } from '../../src/io/index.js';
import { createRng } from '../../src/core/rng.js';
import { haversine } from '../../src/core/geodesy.js';
import {
  PROBABILITY_BANDS,
  domainCells,
  explainCells,
  fitBurnModel,
  liftAtTop,
  predictBurnProbability,
  probabilityFeature,
  probabilityLevel,
  reliabilityCurve,
  scoreAreas,
} from '../../src/risk/index.js';

const square: FeatureCollection = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { id: 'west', name: 'West' }, geometry: { type: 'Polygon', coordinates: [[[98.7, 18.5], [99.0, 18.5], [99.0, 19.1], [98.7, 19.1], [98.7, 18.5]]] } },
    { type: 'Feature', properties: { id: 'east', name: 'East' }, geometry: { type: 'Polygon', coordinates: [[[99.0, 18.5], [99.3, 18.5], [99.3, 19.1], [99.0, 19.1], [99.0, 18.5]]] } },
  ],
};
const cells = domainCells(square, 6);
const centres = cells.map((c) => cellToLatLng(c));

/** Detections: for each season, each cell burns with probability `rate(cell index, season)` (1–3 detections at its centre). */
function history(seasons: number[], rate: (i: number, season: number) => number, seed: number) {
  const rng = createRng(seed);
  const lng: number[] = [];
  const lat: number[] = [];
  const time: number[] = [];
  for (const y of seasons) {
    centres.forEach(([la, lo], i) => {
      if (rng.next() >= rate(i, y)) return;
      const k = 1 + rng.int(3);
      for (let j = 0; j < k; j++) {
        lng.push(lo);
        lat.push(la);
        time.push(Date.UTC(y, 2, 10 + j, 6));
      }
    });
  }
  return { length: lng.length, lng: Float64Array.from(lng), lat: Float64Array.from(lat), time: Float64Array.from(time), frp: new Float64Array(lng.length).fill(10) };
}

const west = (i: number): boolean => centres[i]![1] < 99.0;

describe('probability levels', () => {
  it('bands are absolute: 5 / 15 / 30 %, lower bound inclusive; no evidence is low; NaN throws', () => {
    expect(PROBABILITY_BANDS).toEqual([0.05, 0.15, 0.3]);
    expect([0, 0.0499, 0.05, 0.1499, 0.15, 0.2999, 0.3, 1].map((p) => probabilityLevel(p))).toEqual(['low', 'low', 'moderate', 'moderate', 'high', 'high', 'very high', 'very high']);
    expect(probabilityLevel(0.9, { evidence: false })).toBe('low');
    expect(probabilityLevel(0.2, { bands: [0.1, 0.5, 0.9] })).toBe('moderate');
    for (const bad of [NaN, -0.1, 1.5]) expect(() => probabilityLevel(bad)).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it('a quiet last season gives fewer high cells than a bad one (same earlier history)', () => {
    const earlier = [2018, 2019, 2020, 2021, 2022];
    const base = (i: number): number => (west(i) ? 0.5 : 0.03);
    const run = (hot: number, cold: number) => {
      const a = history(earlier, base, 11);
      const b = history([2023], (i) => (west(i) ? hot : cold), 12);
      const join = (k: 'lng' | 'lat' | 'time' | 'frp') => Float64Array.from([...a[k], ...b[k]]);
      return scoreAreas({ hotspots: { length: a.length + b.length, lng: join('lng'), lat: join('lat'), time: join('time'), frp: join('frp') }, areas: square }, { res: 6, replicates: 50 });
    };
    const bad = run(0.9, 0.1);
    const quiet = run(0.03, 0);
    const high = (r: ReturnType<typeof run>): number => r.scores.level.filter((l) => l === 'high' || l === 'very high').length;
    const mean = (r: ReturnType<typeof run>): number => r.probability!.reduce((s, v) => s + v, 0) / cells.length;
    expect(bad.levels).toBe('probability');
    expect(quiet.levels).toBe('probability');
    expect(high(bad)).toBeGreaterThan(high(quiet) + 10);
    expect(mean(bad)).toBeGreaterThan(mean(quiet));
    // The percentile score cannot tell the two apart in the same way: it always spreads 0–100.
    expect(Math.max(...bad.scores.score)).toBeCloseTo(Math.max(...quiet.scores.score), 0);
    // West (burning every other season) outranks east in both.
    expect(bad.table.areas[0]!.id).toBe('west');
    expect(quiet.table.areas[0]!.id).toBe('west');
  });

  it('a cell without history, nearby detections or exposure is "low" even when the model gives it a high chance', () => {
    // Fires pop up anywhere (30 % of cells each season), so the model's no-evidence odds σ(intercept) are high; ring 0 so
    // "nearby" does not give every cell evidence.
    const h = history([2019, 2020, 2021], () => 0.3, 5);
    const r = scoreAreas({ hotspots: h, areas: square }, { res: 6, ring: 0, replicates: 50 });
    const burnt = new Set(Array.from({ length: h.length }, (_, i) => latLngToCell(h.lat[i]!, h.lng[i]!, 6)));
    let quiet = 0;
    cells.forEach((c, i) => {
      if (burnt.has(c)) return;
      quiet++;
      expect(r.evidence[i]).toBe(0);
      expect(r.probability![i]!).toBeGreaterThanOrEqual(PROBABILITY_BANDS[0]);
      expect(r.scores.level[i]).toBe('low');
      expect(r.explanations[i]).toBe('no detection in or within 0 km of the cell in 2019–2021');
    });
    expect(quiet).toBeGreaterThan(10);
  });
});

describe('burn-probability model', () => {
  it('keeps coefficients >= 0 by dropping a factor that lowers the odds, and predicts σ(intercept + Σ b·feature)', () => {
    const rng = createRng(3);
    const n = 400;
    const good = Float64Array.from({ length: n }, () => rng.next());
    const bad = Float64Array.from({ length: n }, () => rng.next());
    const y = Float64Array.from({ length: n }, (_, i) => (rng.next() < 1 / (1 + Math.exp(-(-2 + 4 * good[i]! - 3 * bad[i]!))) ? 1 : 0));
    const m = fitBurnModel([{ label: 'a→b', factors: { repeat_burn: good, user_protective: bad }, burnt: y }]);
    expect(m.removed).toEqual(['user_protective']);
    expect(m.coefficients.user_protective).toBe(0);
    expect(m.coefficients.repeat_burn).toBeGreaterThan(1);
    const p = predictBurnProbability(m, { repeat_burn: [0, 1], user_protective: [5, 5] });
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-m.intercept)), 12);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-(m.intercept + m.coefficients.repeat_burn!))), 12);
    expect(Array.from(probabilityFeature('hotspot_detections', [0, 3, NaN]))).toEqual([0, Math.log(4), 0]);
  });
});

describe('validation helpers', () => {
  it('reliabilityCurve: equal-count bins, ties kept together, means recomputed by hand', () => {
    const p = [0.1, 0.1, 0.1, 0.2, 0.3, 0.4, 0.5, 0.9];
    const y = [0, 0, 1, 0, 1, 0, 1, 1];
    const r = reliabilityCurve(p, y, 4);
    expect(r.map((b) => b.cells)).toEqual([3, 1, 2, 2]); // the three 0.1s stay in one bin
    expect(r[0]!.predicted).toBeCloseTo(0.1, 12);
    expect(r[0]!.observed).toBeCloseTo(1 / 3, 12);
    expect(r[3]!.predicted).toBeCloseTo(0.7, 12);
    expect(r[3]!.observed).toBe(1);
    expect(() => reliabilityCurve([NaN], [0])).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });

  it('liftAtTop: share of detections in the top cells vs a brute-force count', () => {
    const rng = createRng(9);
    const n = 200;
    const s = Float64Array.from({ length: n }, () => rng.next());
    const d = Float64Array.from(s, (v) => (v > 0.8 ? 3 : v > 0.5 ? 1 : 0));
    const l = liftAtTop(s, d, 0.1);
    const top = Array.from(s.keys()).sort((a, b) => s[b]! - s[a]!).slice(0, 20);
    expect(l.cells).toBe(20);
    expect(l.detections).toBe(top.reduce((t, i) => t + d[i]!, 0));
    expect(l.lift).toBeCloseTo(l.detectionsShare / 0.1, 12);
    // Ties at the cut are all taken.
    expect(liftAtTop([1, 1, 1, 0], [1, 1, 1, 1], 0.25).cells).toBe(3);
  });
});

describe('explanations', () => {
  it('say what a factor means with its value and the seasons', () => {
    const c = [latLngToCell(18.8, 99, 6), latLngToCell(18.9, 99.1, 6)];
    const km = (cell: string): number => {
      const [la, lo] = cellToLatLng(cell);
      return haversine(lo, la, 99.05, 18.8) / 1000;
    };
    const e = explainCells({
      cells: c,
      factors: { repeat_burn: [0.75, 0], hotspot_detections: [2.5, 0], hotspot_nearby: [9.5, 0], facility_proximity: [0.5, 0.1] },
      periods: [2017, 2019, 2022, 2023],
      ring: 2,
      facilities: { lng: [99.05], lat: [18.8], name: ['Mae Moh'] },
    });
    expect(e[0]!.map((x) => x.text)).toEqual([
      'burnt in 3 of 4 seasons (2017–2023)',
      '10 detections in the cell in 2017–2023',
      '38 detections within 13 km in 2017–2023',
      `Mae Moh ${km(c[0]!).toFixed(0)} km away`,
    ]);
    expect(e[0]![0]).toEqual({ factor: 'repeat_burn', value: 3, unit: 'seasons', text: 'burnt in 3 of 4 seasons (2017–2023)' });
    expect(e[1]!.map((x) => x.text)).toEqual([`Mae Moh ${km(c[1]!).toFixed(0)} km away`]);
    expect(km(c[1]!)).toBeGreaterThan(8); // the two cells name different distances
    expect(km(c[0]!)).toBeLessThan(8);
    // Beyond facilityWithinKm a facility is not mentioned: the cell then has nothing to say.
    const far = explainCells({ cells: [c[1]!], factors: { facility_proximity: [0.1] }, periods: [2023], facilities: { lng: [99.05], lat: [18.8], name: ['Mae Moh'] }, facilityWithinKm: 5 });
    expect(far[0]!.map((x) => x.factor)).toEqual(['none']);
  });
});
