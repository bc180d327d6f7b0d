import { describe, expect, it } from 'vitest';
import { attribute, categoryExposures, contactWeights, hasContactColumns, hotspotSources, resolveContact } from '../../src/attribution/index.js';
import { HazetraceError } from '../../src/core/index.js';
import { episodeAt, H, hotspotsTable, straightSet } from './helpers.js';

const T0 = Date.UTC(2025, 3, 22, 6);

/** A 2-D straight back-trajectory (0.2°/h westward along the equator) dressed with 3-D columns. */
function set3d(hours: number, z: (k: number) => number, h: (k: number) => number, rain: (k: number) => number, flagOf?: (k: number) => number) {
  const base = straightSet({ lng0: 100, lat0: 0, t0: T0, hours, speedDeg: 0.2 });
  const n = hours + 1;
  const heightAgl = Float64Array.from({ length: n }, (_, k) => z(k));
  const mixingHeight = Float64Array.from({ length: n }, (_, k) => h(k));
  const mixedLayer = Uint8Array.from({ length: n }, (_, k) => (flagOf ? flagOf(k) : Number.isFinite(mixingHeight[k]!) ? (heightAgl[k]! <= mixingHeight[k]! ? 1 : 0) : 255));
  return { ...base, heightAgl, mixedLayer, met: { mixingHeight, precipitation: Float64Array.from({ length: n }, (_, k) => rain(k)) } };
}

describe('contactWeights by hand', () => {
  it('inside = 1, above = exp(-(z-h)/scale), unknown = 1 and counted', () => {
    // points: inside (500 m under 800 m), 600 m above a 300 m layer (z 900), unknown (no mixing height)
    const s = set3d(2, (k) => [500, 900, 500][k]!, (k) => [800, 300, NaN][k]!, () => 0);
    const w = contactWeights(s, { aboveScaleM: 300, scavengingPerMm: 0.3 });
    expect(w.weight[0]).toBe(1);
    expect(w.weight[1]).toBeCloseTo(Math.exp(-600 / 300), 12);
    expect(w.weight[2]).toBe(1);
    expect(w.unknownPoints).toBe(1);
    expect(w.abovePoints).toBe(1);
    expect(w.notes.join(' ')).toMatch(/mixedLayer 255/);
  });
  it('aboveScaleM 0 is a step: 0 above the mixed layer', () => {
    const s = set3d(1, () => 500, (k) => [800, 400][k]!, () => 0);
    expect(Array.from(contactWeights(s, { aboveScaleM: 0 }).weight)).toEqual([1, 0]);
  });
  it('above the layer without a sampled mixing height weighs 0 and says so', () => {
    const s = set3d(1, () => 500, (k) => [800, 100][k]!, () => 0);
    delete (s.met as Record<string, unknown>)['mixingHeight'];
    const w = contactWeights(s);
    expect(Array.from(w.weight)).toEqual([1, 0]);
    expect(w.notes.join(' ')).toMatch(/without a sampled mixingHeight/);
  });
  it('rain-out accumulates from point 0 (the receptor) outwards: trapezoid mm × Λ', () => {
    // Hourly points; rain 2 mm/h at points 1 and 2 only; all inside the mixed layer.
    const s = set3d(4, () => 100, () => 1000, (k) => (k === 1 || k === 2 ? 2 : 0));
    const w = contactWeights(s, { scavengingPerMm: 0.3 }).weight;
    // mm between 0..p: p=1: 0.5·(0+2) = 1; p=2: 1 + 2 = 3; p=3: 3 + 1 = 4; p=4: 4 + 0 = 4
    expect(w[0]).toBe(1);
    expect(w[1]).toBeCloseTo(Math.exp(-0.3 * 1), 12);
    expect(w[2]).toBeCloseTo(Math.exp(-0.3 * 3), 12);
    expect(w[3]).toBeCloseTo(Math.exp(-0.3 * 4), 12);
    expect(w[4]).toBeCloseTo(Math.exp(-0.3 * 4), 12);
    for (let p = 1; p < w.length; p++) expect(w[p]!).toBeLessThanOrEqual(w[p - 1]!);
    // Rain beyond a point does not reach it: rain only at the far end leaves the near points at 1.
    const far = contactWeights(set3d(4, () => 100, () => 1000, (k) => (k === 4 ? 5 : 0))).weight;
    expect(Array.from(far.subarray(0, 4))).toEqual([1, 1, 1, 1]);
    expect(far[4]).toBeLessThan(1);
  });
  it('scavengingPerMm 0 turns rain-out off; mixed-layer × rain multiply', () => {
    const s = set3d(2, (k) => [100, 100, 700][k]!, () => 400, () => 1);
    expect(contactWeights(s, { scavengingPerMm: 0 }).weight[1]).toBe(1);
    const w = contactWeights(s, { aboveScaleM: 300, scavengingPerMm: 0.5 }).weight;
    expect(w[2]).toBeCloseTo(Math.exp(-300 / 300) * Math.exp(-0.5 * 2), 12);
  });
  it('2-D sets and bad options are rejected with E_ARG', () => {
    const flat = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 3, speedDeg: 0.2 });
    expect(hasContactColumns(flat)).toBe(false);
    expect(() => contactWeights(flat)).toThrow(HazetraceError);
    const s = set3d(1, () => 1, () => 2, () => 0);
    expect(() => contactWeights(s, { aboveScaleM: -1 })).toThrow(/aboveScaleM/);
    expect(() => contactWeights(s, { scavengingPerMm: NaN })).toThrow(/scavengingPerMm/);
    expect(() => resolveContact(s, 'bogus' as never)).toThrow(/contact/);
  });
});

describe('contact weighting in attribute', () => {
  // Back-trajectory: 500 m AGL; the mixed layer is 1000 m deep for the first 24 h of age, 200 m beyond (a night).
  const s = set3d(72, () => 500, (k) => (k <= 24 ? 1000 : 200), () => 0);
  // Two equal fires under the path: A at age 12 h (inside the mixed layer), B at age 36 h (air 300 m above it).
  const layer = hotspotSources(hotspotsTable([
    { lng: 100 - 0.2 * 12, lat: 0, time: T0 - 12 * H, frp: 50 },
    { lng: 100 - 0.2 * 36, lat: 0, time: T0 - 36 * H, frp: 50 },
  ]));
  const shareOf = (r: ReturnType<typeof attribute>, row: number): number => {
    const src = r.episodes[0]!.sources;
    const total = src.reduce((p, q) => p + q.score, 0);
    return (src.find((x) => x.id === layer.id[row])?.score ?? 0) / total;
  };
  it('a fire under a parcel above the mixed layer loses its share', () => {
    const none = attribute(episodeAt(T0), layer, { trajectories: s });
    const ml = attribute(episodeAt(T0), layer, { trajectories: s, contact: 'mixed-layer', contactOptions: { aboveScaleM: 300 } });
    expect(shareOf(none, 1)).toBeGreaterThan(0.1);
    expect(shareOf(ml, 1)).toBeLessThan(shareOf(none, 1));
    expect(shareOf(ml, 0)).toBeGreaterThan(shareOf(none, 0));
    // B's score is scaled by exactly its points' weight exp(-300/300) (all its kernel-reaching points are above).
    const sc = (r: ReturnType<typeof attribute>) => r.episodes[0]!.sources.find((x) => x.id === layer.id[1])!.score;
    expect(sc(ml) / sc(none)).toBeCloseTo(Math.exp(-1), 2);
    expect(ml.contact?.weighting).toBe('mixed-layer');
    expect(none.contact?.weighting).toBe('none');
    expect((ml.toJSON() as { contact?: { weighting: string } }).contact?.weighting).toBe('mixed-layer');
    expect('contact' in (none.toJSON() as object)).toBe(false);
  });
  it('2-D trajectories: no weighting, and the result says why', () => {
    const flat = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 72, speedDeg: 0.2 });
    const r = attribute(episodeAt(T0), layer, { trajectories: flat, contact: 'mixed-layer' });
    const plain = attribute(episodeAt(T0), layer, { trajectories: flat });
    expect(r.contact?.weighting).toBe('none');
    expect(r.contact?.reason).toMatch(/2-D/);
    expect(r.episodes[0]!.sources.map((x) => x.score)).toEqual(plain.episodes[0]!.sources.map((x) => x.score));
  });
  it('categoryExposures applies the same weights', () => {
    const e0 = categoryExposures(s, layer);
    const e1 = categoryExposures(s, layer, { contact: 'mixed-layer' });
    const c = e0.categories[0]!;
    expect(e1.exposure[c]![0]!).toBeLessThan(e0.exposure[c]![0]!);
    expect(e1.contact?.weighting).toBe('mixed-layer');
  });
});
