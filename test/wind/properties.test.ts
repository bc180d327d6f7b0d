import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { haversine } from '../../src/core/index.js';
import { griddedWind, traceTrajectory, uniformWind } from '../../src/wind/index.js';

const H = 3_600_000;

describe('properties (fast-check)', () => {
  it('a gridded field of a function linear in lng, lat and t samples back that function exactly', () => {
    const nx = 9, ny = 7, nt = 4;
    fc.assert(
      fc.property(
        fc.record({ a: fc.double({ min: -10, max: 10, noNaN: true }), b: fc.double({ min: -2, max: 2, noNaN: true }), c: fc.double({ min: -2, max: 2, noNaN: true }), d: fc.double({ min: -1, max: 1, noNaN: true }) }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ a, b, c, d }, px, py, pt) => {
          const lin = (lng: number, lat: number, t: number): number => a + b * (lng - 95) + c * (lat - 10) + d * (t / H);
          const u = new Float64Array(nx * ny * nt);
          const v = new Float64Array(nx * ny * nt);
          for (let k = 0; k < nt; k++) for (let r = 0; r < ny; r++) for (let col = 0; col < nx; col++) {
            u[(k * ny + r) * nx + col] = lin(95 + col * 0.5, 10 + r * 0.5, k * 3 * H);
            v[(k * ny + r) * nx + col] = -lin(95 + col * 0.5, 10 + r * 0.5, k * 3 * H);
          }
          const f = griddedWind({ west: 95, south: 10, dLng: 0.5, dLat: 0.5, nx, ny, times: [0, 3 * H, 6 * H, 9 * H], u, v });
          const lng = 95 + px * 4;
          const lat = 10 + py * 3;
          const t = pt * 9 * H;
          const out = new Float64Array(2);
          expect(f.sample(lng, lat, t, out)).toBe(0);
          expect(Math.abs(out[0]! - lin(lng, lat, t))).toBeLessThan(1e-9);
          expect(Math.abs(out[1]! + lin(lng, lat, t))).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 200, seed: 4 },
    );
  });

  it('uniform wind anywhere off the poles: forward then back closes to < 0.1 % of the distance', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -180, max: 179.9, noNaN: true }),
        fc.double({ min: -60, max: 60, noNaN: true }),
        fc.double({ min: 0.5, max: 25, noNaN: true }),
        fc.double({ min: 0, max: 359.9, noNaN: true }),
        (lng, lat, speed, dir) => {
          const f = uniformWind({ speed, directionFrom: dir });
          const fwd = traceTrajectory(f, { lng, lat, time: 0 }, { hours: 12, direction: 'forward', stepMinutes: 10 });
          const n = fwd.lng.length - 1;
          if (fwd.stopReason !== 'completed') return; // reached the polar cap
          const back = traceTrajectory(f, { lng: fwd.lng[n]!, lat: fwd.lat[n]!, time: fwd.time[n]! }, { hours: 12, stepMinutes: 10 });
          const gap = haversine(back.lng[n]!, back.lat[n]!, lng, lat);
          expect(gap).toBeLessThan(1e-3 * speed * 12 * 3600);
          expect(back.time[n]).toBe(0);
        },
      ),
      { numRuns: 100, seed: 11 },
    );
  });
});
