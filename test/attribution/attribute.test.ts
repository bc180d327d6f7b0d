import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  attribute,
  areaSources,
  categoryExposures,
  facilitySources,
  hotspotSources,
  mergeSources,
  polygonIndex,
  reportSources,
  sourcesToGeoJson,
} from '../../src/attribution/index.js';
import { griddedWind, trajectoriesToGeoJson, uniformWind } from '../../src/wind/index.js';
import { episodeAt, H, hotspotsTable, KM_PER_DEG, straightSet } from './helpers.js';

const T0 = Date.UTC(2025, 3, 22, 6);
// Westward back-trajectory along the equator: 0.2°/h (≈ 22 km/h), 72 h.
const line = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 72, speedDeg: 0.2 });
const abeam = (age: number, dKm: number) => ({ lng: 100 - 0.2 * age, lat: dKm / KM_PER_DEG, time: T0 - age * H });

describe('classic baseline geometry', () => {
  const ages = [12, 36, 60];
  const dists = [10, 30, 60];
  const pts = ages.flatMap((a) => dists.map((d) => abeam(a, d)));
  const layer = hotspotSources(hotspotsTable(pts));
  for (const R of [25, 50, 75]) {
    for (const Hh of [24, 48, 72]) {
      it(`R = ${R} km, H = ${Hh} h`, () => {
        const r = attribute(episodeAt(T0), layer, { trajectories: line, baseline: { radiusKm: R, hours: Hh } });
        const expected = dists.filter((d) => d <= R).length * ages.filter((a) => a <= Hh).length;
        expect(r.episodes[0]!.baseline.count).toBe(expected);
      });
    }
  }
  it('hotspots detected outside the back-trajectory period are not counted', () => {
    const late = hotspotSources(hotspotsTable([{ ...abeam(12, 10), time: T0 + 30 * H }, { ...abeam(12, 10), time: T0 - 100 * H }]));
    expect(attribute(episodeAt(T0), late, { trajectories: line }).episodes[0]!.baseline.count).toBe(0);
  });
});

// The three radial shapes of K_space, written out independently of the library (unit mass over the plane).
const SPACE_KERNELS = {
  gaussian: (d: number, s: number) => Math.exp(-(d * d) / (2 * s * s)) / (2 * Math.PI * s * s),
  cauchy: (d: number, s: number) => (1 + (d * d) / (s * s)) ** -1.5 / (2 * Math.PI * s * s),
  exponential: (d: number, s: number) => Math.exp(-d / s) / (2 * Math.PI * s * s),
} as const;
/** K_space of the default shape (ATTRIBUTE_DEFAULTS.kernelShape, 'cauchy'). */
const ksDefault = SPACE_KERNELS.cauchy;

describe('kernel attribution', () => {
  it('matches the analytic kernel for a stationary trajectory, for every kernel shape', () => {
    const set = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 2, speedDeg: 0 });
    const d = 8;
    const T = T0 - 5 * H;
    const layer = hotspotSources(hotspotsTable([{ lng: 100, lat: d / KM_PER_DEG, time: T, frp: 7 }]));
    const sigma = 10; // default σ0 (ages ≤ 2 h: 2.5 km/h × age < σ0)
    const kt = (dtH: number) => Math.exp(-0.5 * (dtH / 3) ** 2); // default τ = 3 h
    const loss = (age: number) => Math.exp(-age / 72); // default lifetime 72 h
    const temporal = kt(5) * 0.5 + kt(4) * 1 * loss(1) + kt(3) * 0.5 * loss(2);
    const r = attribute(episodeAt(T0), layer, { trajectories: set });
    expect(r.episodes[0]!.sources[0]!.score).toBeCloseTo(7 * ksDefault(d, sigma) * temporal, 12);
    expect(r.episodes[0]!.sources[0]!.evidence.closestKm).toBeCloseTo(d, 9);
    expect(r.settings.kernelShape).toBe('cauchy');
    for (const shape of ['gaussian', 'cauchy', 'exponential'] as const) {
      const rs = attribute(episodeAt(T0), layer, { trajectories: set, kernelShape: shape });
      expect(rs.episodes[0]!.sources[0]!.score).toBeCloseTo(7 * SPACE_KERNELS[shape](d, sigma) * temporal, 12);
      const rb = attribute(episodeAt(T0), layer, { trajectories: set, kernelShape: shape, method: 'brute' });
      expect(rb.episodes[0]!.sources[0]!.score).toBeCloseTo(7 * SPACE_KERNELS[shape](d, sigma) * temporal, 12);
    }
    expect(() => attribute(episodeAt(T0), layer, { trajectories: set, kernelShape: 'box' as 'cauchy' })).toThrow(/kernelShape/);
  });

  it('first-order loss: each point weighs exp(−age / lifetime)', () => {
    const set = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 2, speedDeg: 0 });
    const d = 8;
    const T = T0 - 1 * H;
    const layer = hotspotSources(hotspotsTable([{ lng: 100, lat: d / KM_PER_DEG, time: T, frp: 7 }]));
    const L = 10;
    const r = attribute(episodeAt(T0), layer, { trajectories: set, lifetimeHours: L, timeSigmaHours: 2 });
    const ks = ksDefault(d, 10);
    const kt = (dtH: number) => Math.exp(-0.5 * (dtH / 2) ** 2);
    // ages 0, 1, 2 h at times T0, T0 − 1 h, T0 − 2 h; residence 0.5, 1, 0.5 h
    const expected = 7 * ks * (kt(1) * 0.5 + kt(0) * 1 * Math.exp(-1 / L) + kt(1) * 0.5 * Math.exp(-2 / L));
    expect(r.episodes[0]!.sources[0]!.score).toBeCloseTo(expected, 12);
    expect(() => attribute(episodeAt(T0), layer, { trajectories: set, lifetimeHours: -1 })).toThrow(/lifetimeHours/);
    const off = attribute(episodeAt(T0), layer, { trajectories: set, lifetimeHours: Infinity, timeSigmaHours: 2 });
    expect(off.episodes[0]!.sources[0]!.score).toBeCloseTo(7 * ks * (kt(1) * 0.5 + kt(0) + kt(1) * 0.5), 12);
  });

  it('detection window: a plateau of the time kernel, fixed or from the overpass schedule', () => {
    const set = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 2, speedDeg: 0 });
    const d = 8;
    const T = T0 - 5 * H; // 01:00 UTC; the air passes 5, 4, 3 h after the detection (ages 0, 1, 2)
    const ks = ksDefault(d, 10);
    const kt = (dtH: number) => Math.exp(-0.5 * (dtH / 3) ** 2);
    const loss = (age: number) => Math.exp(-age / 72);
    const score = (ex: [number, number, number], layer = hotspotSources(hotspotsTable([{ lng: 100, lat: d / KM_PER_DEG, time: T, frp: 7 }])), w: unknown = 0) =>
      [attribute(episodeAt(T0), layer, { trajectories: set, detectionWindow: w as 2 }).episodes[0]!.sources[0]!.score, 7 * ks * (kt(ex[0]) * 0.5 + kt(ex[1]) * loss(1) + kt(ex[2]) * 0.5 * loss(2))];
    // Symmetric 2 h: the excess beyond the window is 3, 2, 1 h.
    let [got, want] = score([3, 2, 1], undefined, 2);
    expect(got).toBeCloseTo(want!, 12);
    // [before, after]: only `after` applies to air passing after the detection.
    [got, want] = score([5, 4, 3], undefined, [10, 0]);
    expect(got).toBeCloseTo(want!, 12);
    [got, want] = score([1, 0, 0], undefined, [0, 4]);
    expect(got).toBeCloseTo(want!, 12);
    // 'revisit': overpasses at 01:00 and 10:00 UTC (a second detection far away, 20° east, gives the schedule).
    // After the 01:00 pass the next is 9 h later → after = 4.5 h; excess 0.5, 0, 0.
    const two = hotspotSources(hotspotsTable([{ lng: 100, lat: d / KM_PER_DEG, time: T, frp: 7 }, { lng: 120, lat: 0, time: T + 9 * H, frp: 7 }]));
    [got, want] = score([0.5, 0, 0], two, 'revisit');
    expect(got).toBeCloseTo(want!, 12);
    expect(() => attribute(episodeAt(T0), two, { trajectories: set, detectionWindow: -1 })).toThrow(/detectionWindow/);
  });

  it('steady sources get K_time = 1 and the time cut applies to timed ones', () => {
    const set = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 2, speedDeg: 0 });
    const fac = facilitySources([{ facility_id: 'f', latitude: 0, longitude: 100, primary_fuel: 'Coal', capacity_mw: 100 }]).layer;
    const far = hotspotSources(hotspotsTable([{ lng: 100, lat: 0, time: T0 - 40 * H }]));
    const r = attribute(episodeAt(T0), mergeSources(fac, far), { trajectories: set, scales: { facility: 1 } });
    const e = r.episodes[0]!;
    expect(e.sources.map((s) => s.id)).toEqual(['f']); // the hotspot is > 3τ = 9 h from every point
    const ks0 = 1 / (2 * Math.PI * 10 * 10); // σ0 = 10 km
    // residence 0.5, 1, 0.5 h at ages 0, 1, 2 h, each with the default 72-h loss
    expect(e.sources[0]!.score).toBeCloseTo(100 * ks0 * (0.5 + Math.exp(-1 / 72) + 0.5 * Math.exp(-2 / 72)), 12);
  });

  it('evidence: closest approach, its age and member count', () => {
    const set = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 72, speedDeg: 0.2, members: [0, 1, 2], memberLatOffsetDeg: -2 });
    const layer = hotspotSources(hotspotsTable([abeam(12, 30)]));
    const r = attribute(episodeAt(T0), layer, { trajectories: set });
    const s = r.episodes[0]!.sources[0]!;
    expect(s.evidence.closestKm).toBeCloseTo(30, 6);
    expect(s.evidence.ageAtClosestHours).toBe(12);
    // Members 1 and 2 drift south: at age 12 member 1 is 0.33° (37 km) south of member 0, i.e. 67 km from the
    // source, inside the 3σ = 90 km cut (σ = 2.5 km/h × 12 h = 30 km); member 2 is 0.67° (74 km) south, 104 km
    // from the source at age 12 and, its offset growing with age, beyond the cut at every age.
    expect(s.evidence.members).toBe(2);
    expect(r.episodes[0]!.members).toBe(3);
  });

  it('half the hotspots across a border: cross-border share is 50 %, baseline too; shares sum to 1', () => {
    const countries = polygonIndex({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { iso_a3: 'THA' }, geometry: { type: 'Polygon', coordinates: [[[80, -10], [110, -10], [110, 0], [80, 0], [80, -10]]] } },
        { type: 'Feature', properties: { iso_a3: 'MMR' }, geometry: { type: 'Polygon', coordinates: [[[80, 0], [110, 0], [110, 10], [80, 10], [80, 0]]] } },
      ],
    });
    const pts = [10, 20, 40].flatMap((a) => [abeam(a, 15), abeam(a, -15)]);
    const layer = hotspotSources(hotspotsTable(pts), { regions: countries });
    expect(layer.region.filter((r) => r === 'MMR')).toHaveLength(3);
    const r = attribute(episodeAt(T0), layer, { trajectories: line, domesticRegion: 'THA' });
    const e = r.episodes[0]!;
    expect(e.crossBorder!.share).toBeCloseTo(0.5, 12);
    expect(e.sharesByRegion['MMR']!.share).toBeCloseTo(0.5, 12);
    expect(e.baseline.sharesByRegion['MMR']).toBe(0.5);
    expect(Object.values(e.sharesByRegion).reduce((s, b) => s + b.share, 0)).toBeCloseTo(1, 12);
    expect(e.sources.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 12);
  });

  it('property: shares sum to 1 and indexed scores equal the brute-force scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ age: fc.double({ min: 0, max: 80, noNaN: true }), d: fc.double({ min: -400, max: 400, noNaN: true }), dt: fc.double({ min: -50, max: 50, noNaN: true }), frp: fc.double({ min: 0.1, max: 500, noNaN: true }) }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 3 }),
        (spec, nFac) => {
          const pts = spec.map((s) => ({ ...abeam(s.age, s.d), time: T0 - (s.age + s.dt) * H, frp: s.frp }));
          const hs = hotspotSources(hotspotsTable(pts));
          const fac = facilitySources(Array.from({ length: nFac }, (_, i) => ({ facility_id: `f${i}`, latitude: 0.3 * i, longitude: 99 - i, primary_fuel: 'Coal', capacity_mw: 50 }))).layer;
          const layer = nFac ? mergeSources(hs, fac) : hs;
          const a = attribute(episodeAt(T0), layer, { trajectories: line, maxSources: 1000 }).episodes[0]!;
          const b = attribute(episodeAt(T0), layer, { trajectories: line, maxSources: 1000, method: 'brute' }).episodes[0]!;
          expect(a.sourceCount).toBe(b.sourceCount);
          const bs = new Map(b.sources.map((s) => [s.id, s.score]));
          for (const s of a.sources) expect(s.score).toBeCloseTo(bs.get(s.id)!, 10);
          if (a.sourceCount > 0) {
            expect(a.sources.reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 9);
            expect(Object.values(a.sharesByCategory).reduce((s, x) => s + x.share, 0)).toBeCloseTo(1, 9);
          }
        },
      ),
      { numRuns: 40, seed: 11 },
    );
  });

  it('property: moving a source farther from every trajectory never raises its share', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 70, noNaN: true }),
        fc.double({ min: 0, max: 150, noNaN: true }),
        fc.double({ min: 0, max: 200, noNaN: true }),
        fc.array(fc.record({ age: fc.double({ min: 0, max: 72, noNaN: true }), d: fc.double({ min: -100, max: 100, noNaN: true }) }), { minLength: 1, maxLength: 10 }),
        (age, d, extra, others) => {
          const mk = (dist: number) => hotspotSources(hotspotsTable([abeam(age, dist), ...others.map((o) => abeam(o.age, o.d))]));
          const near = attribute(episodeAt(T0), mk(d), { trajectories: line }).episodes[0]!;
          const far = attribute(episodeAt(T0), mk(d + extra), { trajectories: line }).episodes[0]!;
          const share = (e: typeof near) => e.sources.find((s) => s.id === 'hotspot:0')?.share ?? 0;
          expect(share(far)).toBeLessThanOrEqual(share(near) + 1e-12);
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });

  it('areas and repeat-burn categories; JSON and GeoJSON output', () => {
    const area = areaSources({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'reserve', class: 'forest_reserve', weight: 100 }, geometry: { type: 'Polygon', coordinates: [[[95.5, -0.5], [96.5, -0.5], [96.5, 0.5], [95.5, 0.5], [95.5, -0.5]]] } }] }, { res: 5 });
    expect(area.length).toBeGreaterThan(5);
    const rep = reportSources({ lng: [98], lat: [0.1], time: [T0 - 10 * H] });
    const r = attribute(episodeAt(T0), mergeSources(area, rep), { trajectories: line });
    const e = r.episodes[0]!;
    expect(Object.keys(e.sharesByCategory).sort()).toEqual(['forest_reserve', 'report']);
    expect(e.sources.find((s) => s.id === 'reserve')).toBeDefined();
    const display = (r as unknown as Record<symbol, () => { 'text/plain': string }>)[Symbol.for('Jupyter.display')]!();
    expect(display['text/plain']).toMatch(/forest_reserve/);
    const json = JSON.parse(JSON.stringify(r));
    expect(json.episodes[0].episode.start).toBe('2025-04-22T06:00:00Z');
    const gj = sourcesToGeoJson(r, 0, mergeSources(area, rep));
    expect(gj.features.find((f) => f.properties?.['id'] === 'reserve')?.geometry.type).toBe('Polygon');
  });

  it('traces ensembles itself from a wind field', () => {
    // Wind from the west (270°) at 5 m/s: back-trajectories run west of the receptor.
    const wind = uniformWind({ speed: 5, directionFrom: 270 });
    const up = reportSources({ lng: [98.5], lat: [18.8], time: [T0 - 6 * H] });
    const down = reportSources({ lng: [99.5], lat: [18.8], time: [T0 - 6 * H] }, { category: 'report_east' });
    const r = attribute(episodeAt(T0, '35t'), mergeSources(up, down), { wind, receptors: { '35t': [99, 18.8] }, startStepHours: 3 });
    const e = r.episodes[0]!;
    expect(e.members).toBe(9);
    expect(e.trajectoryCount).toBe(9);
    expect(e.sharesByCategory['report']!.share).toBeGreaterThan(0.99);
    expect(e.sources[0]!.evidence.members).toBe(9);
    const lines = trajectoriesToGeoJson(e.trajectories);
    expect(lines.features).toHaveLength(9);
    expect(lines.features[0]!.geometry.type).toBe('LineString');
    expect(() => attribute(episodeAt(T0), up, {})).toThrow(/trajectories/);
    // The episode end is exclusive: [T0, T0 + 6 h) every 3 h starts at T0 and T0 + 3 h only.
    const six = { ...episodeAt(T0, '35t'), end: T0 + 6 * H };
    const r6 = attribute(six, up, { wind, receptors: { '35t': [99, 18.8] }, startStepHours: 3 });
    expect([...new Set(r6.episodes[0]!.trajectories.startTime)]).toEqual([T0, T0 + 3 * H]);
    // Given trajectories are matched the same way: one starting at the end belongs to the next episode.
    const atEnd = straightSet({ lng0: 99, lat0: 18.8, t0: T0 + 6 * H, hours: 24, speedDeg: 0.1, receptor: '35t' });
    expect(attribute(six, up, { trajectories: atEnd }).episodes[0]!.trajectoryCount).toBe(0);
    // Default offset ensemble reads the wind 1° away (ATTRIBUTE_DEFAULTS.offsetDeg): on a 0.25° grid whose westerly
    // strengthens northward, the default equals an explicit 1° and differs from the grid step.
    const nx = 41, ny = 41;
    const u = new Float32Array(nx * ny);
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) u[j * nx + i] = 2 + 0.5 * j;
    const grid = griddedWind({ west: 94, south: 14, dLng: 0.25, dLat: 0.25, nx, ny, times: [T0 - 100 * H, T0 + 10 * H], u: Float32Array.from([...u, ...u]), v: new Float32Array(2 * nx * ny) });
    const run = (ensemble?: { offsetDeg: number }) => attribute(episodeAt(T0, '35t'), up, { wind: grid, receptors: { '35t': [99, 18.8] }, hours: 12, ...(ensemble ? { ensemble } : {}) }).episodes[0]!.trajectories.lng;
    expect(run()).toEqual(run({ offsetDeg: 1 }));
    expect(run()).not.toEqual(run({ offsetDeg: 0.25 }));
  });

  describe('memberScores: per-member scores on the category × region grid', () => {
    const countries = polygonIndex({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { iso_a3: 'THA' }, geometry: { type: 'Polygon', coordinates: [[[80, -10], [110, -10], [110, 0], [80, 0], [80, -10]]] } },
        { type: 'Feature', properties: { iso_a3: 'MMR' }, geometry: { type: 'Polygon', coordinates: [[[80, 0], [110, 0], [110, 10], [80, 10], [80, 0]]] } },
      ],
    });
    // Three members fanning north (0, 0.5°, 1° at 72 h): each sees the sources at its own distances, so the
    // per-member sums differ and a wrong member index would show in the bands.
    const fan = straightSet({ lng0: 100, lat0: 0, t0: T0, hours: 72, speedDeg: 0.2, members: [0, 1, 2], memberLatOffsetDeg: 0.5 });
    const hs = hotspotSources(hotspotsTable([abeam(10, 15), abeam(20, -15), abeam(30, 25), abeam(45, -5), abeam(60, 40)].map((p, i) => ({ ...p, frp: 5 + 7 * i }))), { regions: countries });
    const rep = reportSources({ lng: [98, 96.5], lat: [0.15, -0.1], time: [T0 - 10 * H, T0 - 17 * H] }, { regions: countries });
    const fac = facilitySources([{ facility_id: 'f0', latitude: 0.2, longitude: 97, primary_fuel: 'Coal', capacity_mw: 500 }], { regions: countries }).layer;
    const layer = mergeSources(hs, rep, fac);
    const run = (scales?: Record<string, number>) => attribute(episodeAt(T0), layer, { trajectories: fan, maxSources: 1000, ...(scales ? { scales } : {}) });
    const r = run();
    const e = r.episodes[0]!;
    const { categories, regions, members, scores } = e.memberScores;
    const C = categories.length;
    const R = regions.length;
    const at = (m: number, c: number, g: number) => scores[(m * C + c) * R + g]!;
    const grand = scores.reduce((a, b) => a + b, 0);

    it('has the documented shape over every category and region of the layer', () => {
      expect(members).toBe(3);
      expect(e.members).toBe(3);
      expect([...categories].sort()).toEqual(['facility', 'fire_other', 'report']);
      expect([...regions].sort()).toEqual(['MMR', 'THA']);
      expect(scores).toHaveLength(members * C * R);
      expect(grand).toBeGreaterThan(0);
      // The means over members of the grid sum to the episode's total score.
      expect(grand / members).toBeCloseTo(e.totalScore, 9);
    });

    it('summed over regions and members gives sharesByCategory; over categories, sharesByRegion', () => {
      // Independent reference: the ranked sources' own shares (from per-source totals), summed by category / region.
      const bySource = (key: 'category' | 'region', v: string) => e.sources.filter((x) => x[key] === v).reduce((a, x) => a + x.share, 0);
      expect(e.sources).toHaveLength(e.sourceCount);
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let m = 0; m < members; m++) for (let g = 0; g < R; g++) s += at(m, c, g);
        expect(Math.abs(s / grand - (e.sharesByCategory[categories[c]!]?.share ?? 0))).toBeLessThan(1e-12);
        expect(Math.abs(s / grand - bySource('category', categories[c]!))).toBeLessThan(1e-12);
      }
      for (let g = 0; g < R; g++) {
        let s = 0;
        for (let m = 0; m < members; m++) for (let c = 0; c < C; c++) s += at(m, c, g);
        expect(Math.abs(s / grand - (e.sharesByRegion[regions[g]!]?.share ?? 0))).toBeLessThan(1e-12);
        expect(Math.abs(s / grand - bySource('region', regions[g]!))).toBeLessThan(1e-12);
      }
      // Every category and region got a score here, so the checks above compared real shares.
      expect(Object.keys(e.sharesByCategory)).toHaveLength(C);
      expect(Object.keys(e.sharesByRegion)).toHaveLength(R);
    });

    it('per member it reproduces the band extremes of the category shares', () => {
      for (let c = 0; c < C; c++) {
        const per: number[] = [];
        for (let m = 0; m < members; m++) {
          let mc = 0;
          let mt = 0;
          for (let cc = 0; cc < C; cc++) for (let g = 0; g < R; g++) (mt += at(m, cc, g)), cc === c && (mc += at(m, cc, g));
          per.push(mc / mt);
        }
        const b = e.sharesByCategory[categories[c]!]!;
        expect(Math.abs(Math.min(...per) - b.min)).toBeLessThan(1e-12);
        expect(Math.abs(Math.max(...per) - b.max)).toBeLessThan(1e-12);
      }
      // The members really differ (otherwise the check above could not tell members apart).
      const b = e.sharesByCategory['fire_other']!;
      expect(b.max - b.min).toBeGreaterThan(1e-3);
    });

    it('rescaling a category in memberScores equals attributing with that scale', () => {
      const k = 3;
      const e2 = run({ report: r.scales['report']! * k }).episodes[0]!;
      const c0 = categories.indexOf('report');
      const rescaled = Array.from(scores, (v, i) => (Math.floor(i / R) % C === c0 ? v * k : v));
      const g2 = rescaled.reduce((a, b) => a + b, 0);
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let m = 0; m < members; m++) for (let g = 0; g < R; g++) s += rescaled[(m * C + c) * R + g]!;
        expect(Math.abs(s / g2 - e2.sharesByCategory[categories[c]!]!.share)).toBeLessThan(1e-12);
      }
      expect(e2.sharesByCategory['report']!.share).toBeGreaterThan(e.sharesByCategory['report']!.share);
    });

    it('is left out of toJSON', () => {
      const json = JSON.parse(JSON.stringify(r));
      expect(json.episodes[0]).not.toHaveProperty('memberScores');
      expect(json.episodes[0]).toHaveProperty('sharesByCategory');
    });
  });

  it('categoryExposures sums per start time', () => {
    const layer = hotspotSources(hotspotsTable([abeam(10, 5)]));
    const X = categoryExposures(line, layer);
    expect(X.categories).toEqual(['fire_other']);
    const r = attribute(episodeAt(T0), layer, { trajectories: line });
    expect(X.exposure['fire_other']![0]).toBeCloseTo(r.episodes[0]!.totalScore, 12);
  });
});
