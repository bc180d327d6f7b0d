import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HazetraceError, createRng, destination, firmsTime, haversine, initialBearing, localToUtc, parseUtcOffset,
  uvToWind, windToUV, wrapLng, toIsoUtc, parseIsoUtc, checkInt,
} from '../../src/core/index.js';

describe('geodesy', () => {
  it('haversine matches published great-circle distances (R = 6371.0088 km)', () => {
    // Paris (2.3508E, 48.8567N) to Moscow... use Movable Type's worked example: 50°03′59″N 005°42′53″W to 58°38′38″N 003°04′12″W = 968.9 km (R=6371 km).
    const d = haversine(-(5 + 42 / 60 + 53 / 3600), 50 + 3 / 60 + 59 / 3600, -(3 + 4 / 60 + 12 / 3600), 58 + 38 / 60 + 38 / 3600, 6_371_000);
    expect(d / 1000).toBeCloseTo(968.9, 1);
    // One degree of longitude on the equator with the IUGG mean radius: 2πR/360 = 111195.08 m.
    expect(haversine(0, 0, 1, 0)).toBeCloseTo((2 * Math.PI * 6_371_008.8) / 360, 3);
    expect(haversine(10, 10, 10, 10)).toBe(0);
    expect(haversine(0, 90, 0, -90)).toBeCloseTo(Math.PI * 6_371_008.8, 3);
  });
  it('initial bearing matches the Movable Type example (009°07′11″)', () => {
    const b = initialBearing(-(5 + 42 / 60 + 53 / 3600), 50 + 3 / 60 + 59 / 3600, -(3 + 4 / 60 + 12 / 3600), 58 + 38 / 60 + 38 / 3600);
    expect(b).toBeCloseTo(9 + 7 / 60 + 11 / 3600, 3);
    expect(initialBearing(0, 0, 0, 1)).toBeCloseTo(0, 12);
    expect(initialBearing(0, 0, -1, 0)).toBeCloseTo(270, 12);
  });
  it('destination inverts distance + bearing (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -179, max: 179, noNaN: true }), fc.double({ min: -80, max: 80, noNaN: true }),
        fc.double({ min: 0, max: 359.9, noNaN: true }), fc.double({ min: 1, max: 2_000_000, noNaN: true }),
        (lng, lat, brg, dist) => {
          const [l2, p2] = destination(lng, lat, brg, dist);
          expect(haversine(lng, lat, l2, p2) / dist).toBeCloseTo(1, 6);
        },
      ),
    );
  });
  it('wraps longitudes and converts wind directions', () => {
    expect(wrapLng(190)).toBe(-170);
    expect(wrapLng(-190)).toBe(170);
    expect(wrapLng(180)).toBe(-180);
    const [u, v] = windToUV(10, 90);
    expect(u).toBeCloseTo(-10, 12);
    expect(v).toBeCloseTo(0, 12);
    const [s, d] = uvToWind(0, -5); // blowing south = from north
    expect(s).toBe(5);
    expect(d).toBe(0);
  });
});

describe('time', () => {
  it('parses FIRMS acq_date + acq_time, padded or not', () => {
    expect(toIsoUtc(firmsTime('2025-04-22', '0325'))).toBe('2025-04-22T03:25:00Z');
    expect(firmsTime('2025-04-22', '325')).toBe(firmsTime('2025-04-22', 325));
    expect(firmsTime('2019-07-17', 600)).toBe(Date.UTC(2019, 6, 17, 6, 0));
    expect(firmsTime('2025-02-30', '0100')).toBeNaN();
    expect(firmsTime('2025-04-22', '2460')).toBeNaN();
    expect(firmsTime('22 April', '0100')).toBeNaN();
  });
  it('converts local Thai time with an explicit offset', () => {
    expect(parseUtcOffset('+07:00')).toBe(420);
    expect(parseUtcOffset('-0530')).toBe(-330);
    expect(toIsoUtc(localToUtc('2026-01-01', '07:00', '+07:00'))).toBe('2026-01-01T00:00:00Z');
    expect(toIsoUtc(localToUtc('2026-01-01', '24:00', '+07:00'))).toBe('2026-01-01T17:00:00Z');
    expect(() => parseUtcOffset('Bangkok')).toThrow(HazetraceError);
    expect(parseIsoUtc('2025-04-22T06:00')).toBe(Date.UTC(2025, 3, 22, 6));
  });
});

describe('rng and errors', () => {
  it('is deterministic per seed and roughly uniform/normal', () => {
    const a = createRng(7), b = createRng(7), c = createRng(8);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(xa).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(xa).not.toEqual(Array.from({ length: 5 }, () => c.next()));
    const r = createRng(1);
    let s = 0, s2 = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) { const z = r.normal(); s += z; s2 += z * z; }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
  });
  it('errors carry a code and name the argument and value', () => {
    try { checkInt('res', 16, 0, 15); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(HazetraceError);
      expect((e as HazetraceError).code).toBe('E_ARG');
      expect((e as Error).message).toContain('res');
      expect((e as Error).message).toContain('16');
    }
  });
});
