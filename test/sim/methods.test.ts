import { describe, expect, it } from 'vitest';
import { uniformWind } from '../../src/wind/index.js';
import { bufferCount, episodeTrajectories, offsetKm, pscfWeighted } from '../../src/sim/index.js';
import type { Candidates } from '../../src/sim/index.js';

const H = 3_600_000;
const t0 = Date.UTC(2025, 2, 5, 0);
// 5 m/s westerly: the air arriving at the monitor came from due west, 18 km per hour of age.
const wind = uniformWind({ speed: 5, directionFrom: 270 });
const mon = { lng: 99, lat: 18.8, id: 'm' };

function cands(rows: { dx: number; dy: number; hoursBefore: number; kind?: 'hotspot' | 'facility'; w?: number }[]): Candidates {
  const ll = rows.map((r) => offsetKm(mon.lng, mon.lat, r.dx, r.dy));
  return {
    length: rows.length,
    id: rows.map((_, i) => `c${i}`),
    kinds: rows.map((r) => r.kind ?? 'hotspot'),
    lng: Float64Array.from(ll, (p) => p[0]),
    lat: Float64Array.from(ll, (p) => p[1]),
    time: Float64Array.from(rows, (r) => (r.kind === 'facility' ? NaN : t0 - r.hoursBefore * H)),
    weight: Float64Array.from(rows, (r) => r.w ?? 1),
  };
}

describe('baseline methods', () => {
  it('buffer count: hotspots within 50 km of the path and 72 h of arrival count 1, others 0', () => {
    const et = episodeTrajectories(wind, mon, [t0], [60], { hours: 72 });
    expect(et.trajectories.length).toBe(1);
    const c = cands([
      { dx: -200, dy: 30, hoursBefore: 10 }, // 30 km north of the path: in
      { dx: -200, dy: 60, hoursBefore: 10 }, // 60 km off: out
      { dx: -200, dy: 0, hoursBefore: 80 }, // on the path but 80 h old: out
      { dx: -200, dy: 0, hoursBefore: -5 }, // detected after the air arrived: out
      { dx: -200, dy: 0, hoursBefore: 0, kind: 'facility' }, // not a hotspot: the classic count ignores it
      { dx: 40, dy: 0, hoursBefore: 1 }, // 40 km downwind of the monitor: within 50 km of the start point, in
    ]);
    expect(Array.from(bufferCount(c, et))).toEqual([1, 0, 0, 0, 0, 1]);
    expect(Array.from(bufferCount(c, et, { radiusKm: 70 }))).toEqual([1, 1, 0, 0, 0, 1]);
  });
  it('PSCF-weighted: weight × PSCF of the source box; sources off the polluted paths get 0', () => {
    // Two arrivals: a polluted one with westerly air and a clean one with easterly air (separate runs).
    const west = episodeTrajectories(wind, mon, [t0], [100], { hours: 24 });
    const east = episodeTrajectories(uniformWind({ speed: 5, directionFrom: 90 }), mon, [t0 + H], [10], { hours: 24 });
    // Merge the two into one episode's trajectories.
    const a = west.trajectories, b = east.trajectories;
    const n1 = a.offsets[1]!, n2 = b.offsets[1]!;
    const cat = (x: Float64Array, y: Float64Array): Float64Array => { const o = new Float64Array(n1 + n2); o.set(x.subarray(0, n1)); o.set(y.subarray(0, n2), n1); return o; };
    const et = {
      trajectories: { ...a, length: 2, offsets: Uint32Array.from([0, n1, n1 + n2]), lng: cat(a.lng, b.lng), lat: cat(a.lat, b.lat), time: cat(a.time, b.time), ageHours: cat(a.ageHours, b.ageHours), receptor: ['m', 'm'], member: Int32Array.from([0, 0]), startTime: Float64Array.from([t0 + H / 2, t0 + 1.5 * H]), stopReason: a.stopReason.concat(b.stopReason) },
      arrival: Float64Array.from([100, 10]), start: t0, end: t0 + 2 * H,
    };
    const c = cands([
      { dx: -300, dy: 0, hoursBefore: 10, w: 40 }, // upwind on the polluted path: box visited only by polluted points
      { dx: 300, dy: 0, hoursBefore: 10, w: 40 }, // on the clean path: PSCF 0
      { dx: 0, dy: 300, hoursBefore: 10, w: 40 }, // no trajectory: no box
      { dx: -300, dy: 0, hoursBefore: 200, w: 40 }, // too old
    ]);
    const r = pscfWeighted(c, et, { gridDeg: 0.5, percentile: 50 });
    // PSCF = m/n = 1 in the polluted box, times openair's count weight (0.15 .. 1) — positive and at most the weight.
    expect(r[0]).toBeGreaterThan(0);
    expect(r[0]).toBeLessThanOrEqual(40);
    expect(Array.from(r.subarray(1))).toEqual([0, 0, 0]);
  });
});
