import { describe, expect, it } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { categoryExposures, forecastCellsToGeoJson, forecastSmoke, forecastStationsToCsv, hotspotSources } from '../../src/attribution/index.js';
import type { ScaleFit } from '../../src/attribution/index.js';
import { HazetraceError, type Hotspots } from '../../src/core/index.js';
import { griddedWind, traceTrajectories, uniformWind } from '../../src/wind/index.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 3, 22, 6);
const LAT = 18;
/** 100 km east of 99°E on the trajectory sphere (R = 6371 km). */
const D_LNG = (100 / (6371 * Math.cos((LAT * Math.PI) / 180))) * (180 / Math.PI);

function hotspots(rows: { lng: number; lat: number; time: number; frp: number }[]): Hotspots {
  const n = rows.length;
  const f = (k: 'lng' | 'lat' | 'time' | 'frp'): Float64Array => Float64Array.from(rows, (r) => r[k]);
  return {
    length: n,
    lng: f('lng'),
    lat: f('lat'),
    time: f('time'),
    frp: f('frp'),
    brightness: new Float64Array(n).fill(NaN),
    brightness2: new Float64Array(n).fill(NaN),
    scan: new Float64Array(n).fill(1),
    track: new Float64Array(n).fill(1),
    confidence: rows.map(() => 'h'),
    confidenceNorm: new Float64Array(n).fill(90),
    satellite: rows.map(() => 'N'),
    instrument: rows.map(() => 'VIIRS' as const),
    daynight: rows.map(() => 'D'),
    version: rows.map(() => '2.0NRT'),
    extra: {},
  };
}

const fire = hotspots([{ lng: 99, lat: LAT, time: T0, frp: 50 }]);
const stations = { length: 3, id: ['down', 'up', 'side'], lng: Float64Array.of(99 + D_LNG, 99 - D_LNG, 99 + D_LNG), lat: Float64Array.of(LAT, LAT, LAT + 2) };
const east5 = uniformWind({ u: 5, v: 0 });

/** A gridded uniform 5 m/s westerly over [96, 104] × [15, 21] with hourly frames from T0 for `hours` hours. */
function griddedEast(hours: number, startOffsetH = 0) {
  const nx = 9, ny = 7, nt = hours + 1;
  const u = new Float64Array(nt * nx * ny).fill(5);
  const v = new Float64Array(nt * nx * ny);
  return griddedWind({ west: 96, south: 15, dLng: 1, dLat: 1, nx, ny, times: Array.from({ length: nt }, (_, k) => T0 + (startOffsetH + k) * H), u, v });
}

describe('forecastSmoke: analytic uniform wind', () => {
  const f = forecastSmoke({ hotspots: fire, wind: east5, stations }, { ensemble: 'offset' });
  const [down, up, side] = f.stations;

  it('smoke from a fire 100 km upwind at 5 m/s arrives after 100 km / 5 m/s = 5.56 h, probability 1 within 24 and 48 h', () => {
    for (const h of down!.horizons) {
      expect(h.status).toBe('ok');
      expect(h.probability).toBe(1);
      expect((h.arrival! - T0) / H).toBeCloseTo(100_000 / 5 / 3600, 2);
      expect(h.earliestArrival).toBe(h.arrival);
    }
  });

  it('a station upwind, and one 222 km to the side, get probability 0 and no arrival', () => {
    for (const s of [up!, side!]) {
      for (const h of s.horizons) {
        expect(h.probability).toBe(0);
        expect(h.arrival).toBeNull();
        expect(h.exposure).toBe(0);
      }
    }
  });

  it('without scales the increment is absent and the status says uncalibrated', () => {
    expect(f.status).toBe('uncalibrated');
    expect(f.incrementStatus).toBe('uncalibrated');
    expect(down!.horizons[0]!.increment).toBeUndefined();
    expect(down!.horizons[0]!.exposure).toBeGreaterThan(0);
    const defaults: ScaleFit = { mode: 'defaults', scales: { fire_other: 1 }, background: null, r2: null, rows: 0, intervals: {}, fallback: 'x' };
    const g = forecastSmoke({ hotspots: fire, wind: east5, stations }, { ensemble: 'offset', cells: false, scales: defaults });
    expect(g.status).toBe('uncalibrated');
    expect(g.stations[0]!.horizons[0]!.increment).toBeUndefined();
  });

  it('provenance names the hotspots, window, wind, members and horizon coverage', () => {
    const p = f.provenance;
    expect(p.hotspotsUsed).toBe(1);
    expect(p.window).toEqual({ start: '2025-04-21T06:00:00Z', end: '2025-04-22T06:00:00Z', hours: 24 });
    expect(p.ensemble).toEqual({ kind: 'offset', members: 9, offsetDeg: 1 });
    expect(p.horizonCoverage).toEqual([{ hours: 24, covered: true }, { hours: 48, covered: true }]);
    // Daily persistence: released at T0, T0 + 24 h and T0 + 48 h (traced to the horizon + the 9-h time-kernel reach).
    expect(p.releases).toBe(3);
    expect(p.wind.kind).toBe('uniform');
  });

  it('cells: the station\'s cell is reached by every member, the upwind station\'s by none; exposure is relative (max 1)', () => {
    const c = f.cells!;
    const iDown = c.cells.indexOf(latLngToCell(LAT, 99 + D_LNG, 6));
    expect(iDown).toBeGreaterThanOrEqual(0);
    expect(c.probability['24']![iDown]).toBe(1);
    expect(c.cells.indexOf(latLngToCell(LAT, 99 - D_LNG, 6))).toBe(-1);
    expect(Math.max(...c.exposure['48']!)).toBe(1);
    // Every reached cell lies within the radius (plus a cell) of the path along 18°N, east of the fire.
    for (const cell of c.cells) {
      const [y, x] = cellToLatLng(cell);
      expect(Math.abs(y - LAT) * 111.2).toBeLessThan(20 + 8);
      expect(x).toBeGreaterThan(99 - 0.3);
    }
    const gj = forecastCellsToGeoJson(f);
    expect(gj.features.length).toBe(c.cells.length);
    const ring = (gj.features[0] as { geometry: { coordinates: number[][][] } }).geometry.coordinates[0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
  });
});

describe('forecastSmoke: increment', () => {
  it('equals attribution\'s back-trajectory exposure (the same kernel, run forward) times the fire scale', () => {
    const scale = 80;
    const f = forecastSmoke({ hotspots: fire, wind: east5, stations }, { ensemble: 'offset', cells: false, horizons: [24], scales: { fire_other: scale } });
    const inc = f.stations[0]!.horizons[0]!.increment!;
    expect(f.status).toBe('ok');
    // Back-trajectories from the station every hour of the horizon against the persisted sources (T0 and T0 + 24 h).
    const layer = hotspotSources(hotspots([{ lng: 99, lat: LAT, time: T0, frp: 50 }, { lng: 99, lat: LAT, time: T0 + 24 * H, frp: 50 }]));
    const starts = Array.from({ length: 24 }, (_, q) => ({ lng: 99 + D_LNG, lat: LAT, time: T0 + (q + 1) * H, receptor: 'down' }));
    const back = categoryExposures(traceTrajectories(east5, starts, { hours: 72 }), layer, { method: "brute" });
    const e = Array.from(back.exposure['fire_other']!);
    const mean = e.reduce((a, b) => a + b, 0) / e.length;
    expect(mean).toBeGreaterThan(0);
    expect(inc.mean / scale).toBeCloseTo(mean, 9);
    expect(inc.peak / scale).toBeCloseTo(Math.max(...e), 9);
    expect(inc.peakTime).toBe(T0 + (e.indexOf(Math.max(...e)) + 1) * H);
    // One wind realisation in a uniform field: no spread.
    expect(inc.low).toBeCloseTo(inc.mean, 9);
    expect(inc.high).toBeCloseTo(inc.mean, 9);
  });

  it('is linear in FRP and in the scale; a calibrated ScaleFit carries its mode, interval and background', () => {
    const fit: ScaleFit = { mode: 'calibrated', scales: { fire_other: 40, facility: 0 }, background: 30, r2: 0.5, rows: 50, intervals: { fire_other: [30, 55] } };
    const a = forecastSmoke({ hotspots: fire, wind: east5, stations }, { ensemble: 'offset', cells: false, scales: fit });
    const b = forecastSmoke({ hotspots: hotspots([{ lng: 99, lat: LAT, time: T0, frp: 100 }]), wind: east5, stations }, { ensemble: 'offset', cells: false, scales: { fire_other: 80 } });
    expect(b.stations[0]!.horizons[1]!.increment!.mean).toBeCloseTo(4 * a.stations[0]!.horizons[1]!.increment!.mean, 9);
    expect(a.provenance.calibration).toEqual({ mode: 'calibrated', fireScale: 40, interval: [30, 55], background: 30 });
    expect(b.provenance.calibration.mode).toBe('given');
  });
});

describe('forecastSmoke: probability of at least X µg/m³ (minIncrementUgm3)', () => {
  it('counts a member when its hourly increment reaches the threshold; the arrival is the end of that hour', () => {
    const base = { ensemble: 'offset' as const, cells: false, horizons: [24], scales: { fire_other: 80 } };
    const peak = forecastSmoke({ hotspots: fire, wind: east5, stations }, base).stations[0]!.horizons[0]!.increment!;
    const below = forecastSmoke({ hotspots: fire, wind: east5, stations }, { ...base, minIncrementUgm3: peak.peak * 0.999 });
    const h = below.stations[0]!.horizons[0]!;
    expect(h.probability).toBe(1);
    expect(h.arrival).toBe(peak.peakTime);
    expect(below.provenance.probabilityRule).toContain('increment reaches');
    const above = forecastSmoke({ hotspots: fire, wind: east5, stations }, { ...base, minIncrementUgm3: peak.peak * 1.001 });
    expect(above.stations[0]!.horizons[0]!.probability).toBe(0);
    expect(above.stations[0]!.horizons[0]!.arrival).toBeNull();
  });

  it('without calibrated scales falls back to the passage rule and says so', () => {
    const f = forecastSmoke({ hotspots: fire, wind: east5, stations }, { ensemble: 'offset', cells: false, minIncrementUgm3: 1e9 });
    expect(f.stations[0]!.horizons[0]!.probability).toBe(1);
    expect(f.provenance.probabilityRule).toContain('ignored: no calibrated scales');
  });
});

describe('forecastSmoke: wind coverage', () => {
  it('a wind that ends before the 48-h horizon: 24 h is forecast, 48 h has status insufficient-wind and no numbers', () => {
    const f = forecastSmoke({ hotspots: fire, wind: griddedEast(30), stations }, { ensemble: 'offset' });
    expect(f.status).toBe('partial');
    expect(f.horizons.map((h) => h.status)).toEqual(['ok', 'insufficient-wind']);
    expect(f.horizons[1]!.reason).toContain('2025-04-24T06:00:00Z');
    const h48 = f.stations[0]!.horizons[1]!;
    expect(h48).toMatchObject({ status: 'insufficient-wind', probability: null, arrival: null, exposure: null });
    expect(f.stations[0]!.horizons[0]!.probability).toBe(1);
    expect(Object.keys(f.cells!.probability)).toEqual(['24']);
    expect(f.provenance.horizonCoverage).toEqual([{ hours: 24, covered: true }, { hours: 48, covered: false }]);
  });

  it('a wind that ends before the first horizon: insufficient-wind, no station number at all', () => {
    const f = forecastSmoke({ hotspots: fire, wind: griddedEast(12), stations }, { ensemble: 'offset', scales: { fire_other: 80 } });
    expect(f.status).toBe('insufficient-wind');
    for (const s of f.stations) for (const h of s.horizons) expect(h).toMatchObject({ status: 'insufficient-wind', probability: null });
    expect(f.cells).toBeNull();
    expect(forecastStationsToCsv(f).split('\n')[1]).toBe(`down,${Math.round((99 + D_LNG) * 1e4) / 1e4},18,24,insufficient-wind,,,,,,,,,`);
  });

  it('detections before the wind starts are counted, not traced from a wrong time', () => {
    const early = hotspots([{ lng: 99, lat: LAT, time: T0 - 6 * H, frp: 50 }, { lng: 99, lat: LAT, time: T0, frp: 50 }]);
    const f = forecastSmoke({ hotspots: early, wind: griddedEast(48), stations }, { ensemble: 'offset', cells: false });
    expect(f.provenance.releasesSkipped.beforeWind).toBe(1);
    // Traced: T0, T0 + 18 h, T0 + 24 h, T0 + 42 h (the end of the 48-h forecast); T0 − 6 h is before the wind.
    expect(f.provenance.releases).toBe(4);
  });

  it('no detection in the window: status no-hotspots', () => {
    const f = forecastSmoke({ hotspots: fire, wind: east5, stations }, { issueTime: T0 + 48 * H, cells: false });
    expect(f.status).toBe('no-hotspots');
    expect(f.stations[0]!.horizons[0]!.probability).toBe(0);
  });
});

describe('forecastSmoke: determinism and arguments', () => {
  it('the seeded random-walk ensemble gives identical results for the same seed', () => {
    const run = (seed: number) => JSON.stringify(forecastSmoke({ hotspots: fire, wind: east5, stations }, { seed, horizons: [12] }).toJSON());
    expect(run(3)).toBe(run(3));
    const rw = forecastSmoke({ hotspots: fire, wind: east5, stations }, { seed: 3, horizons: [12], cells: false });
    expect(rw.provenance.ensemble).toEqual({ kind: 'random-walk', members: 9, seed: 3 });
  });

  it('a horizon\'s numbers do not depend on which other horizons are asked for (random walk, calibrated)', () => {
    const two = hotspots([{ lng: 99, lat: LAT, time: T0 - 5 * H, frp: 20 }, { lng: 99.3, lat: LAT + 0.1, time: T0, frp: 50 }]);
    const o = { seed: 5, cells: false, scales: { fire_other: 80 } };
    const a = forecastSmoke({ hotspots: two, wind: east5, stations }, { ...o, horizons: [24] });
    const b = forecastSmoke({ hotspots: two, wind: east5, stations }, { ...o, horizons: [24, 48] });
    expect(a.stations.map((s) => s.horizons[0])).toEqual(b.stations.map((s) => s.horizons[0]));
  });

  it('invalid options throw HazetraceError E_ARG', () => {
    const bad: Record<string, unknown>[] = [{ horizons: [] }, { horizons: [-1] }, { radiusKm: 0 }, { res: 16 }, { ensemble: 'x' }, { scales: { facility: 1 } }, { fromHours: 0 }];
    for (const o of bad) {
      try {
        forecastSmoke({ hotspots: fire, wind: east5, stations }, o as never);
        expect.unreachable(JSON.stringify(o));
      } catch (e) {
        expect(e).toBeInstanceOf(HazetraceError);
        expect((e as HazetraceError).code).toBe('E_ARG');
      }
    }
  });
});
