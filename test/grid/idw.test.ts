import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { GeoIndex, idwToCells } from '../../src/grid/index.js';
import { haversine } from '../../src/core/geodesy.js';
import { createRng } from '../../src/core/rng.js';

describe('GeoIndex', () => {
  it('k-nearest equals brute force great-circle order (property, incl. antimeridian and poles)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12 }), (seed, n, k) => {
        const rng = createRng(seed);
        const lng = Array.from({ length: n }, () => rng.next() * 360 - 180);
        const lat = Array.from({ length: n }, () => Math.asin(2 * rng.next() - 1) * (180 / Math.PI));
        const ix = new GeoIndex(lng, lat);
        const qx = rng.next() < 0.3 ? 179.9 : rng.next() * 360 - 180, qy = rng.next() < 0.2 ? 89 : rng.next() * 180 - 90;
        const maxM = rng.next() < 0.5 ? Infinity : 3e6;
        const got = ix.nearest(qx, qy, k, maxM).map((x) => x.id);
        const want = lng
          .map((x, i) => ({ i, d: haversine(qx, qy, x, lat[i]!) }))
          .filter((x) => x.d <= maxM)
          .sort((a, b) => a.d - b.d || a.i - b.i)
          .slice(0, k)
          .map((x) => x.i);
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });
});

describe('idwToCells', () => {
  const stations = { lng: [98.9, 99.3, 99.0], lat: [18.7, 18.9, 19.3], value: [40, 80, 20] };

  it('matches a hand-computed weighted mean (power 2) and k = 1 gives the nearest station', () => {
    const cell = latLngToCell(18.95, 99.05, 7);
    const [lat, lng] = cellToLatLng(cell);
    const d = stations.lng.map((x, i) => haversine(lng, lat, x, stations.lat[i]!));
    const w = d.map((x) => 1 / (x * x));
    const want = (w[0]! * 40 + w[1]! * 80 + w[2]! * 20) / (w[0]! + w[1]! + w[2]!);
    const g = idwToCells(stations, [cell]);
    expect(g.columns.value![0]).toBeCloseTo(want, 10);
    expect(g.columns.n![0]).toBe(3);
    const near = idwToCells(stations, [cell], { k: 1 });
    const iMin = d.indexOf(Math.min(...d));
    expect(near.columns.value![0]).toBe(stations.value[iMin]);
    expect(near.columns.nearest_km![0]).toBeCloseTo(d[iMin]! / 1000, 9);
  });

  it('leaves cells beyond maxDistanceKm or below minPoints NaN and counts them', () => {
    const g = idwToCells(stations, { res: 4, bbox: [97, 17, 101, 21] }, { maxDistanceKm: 40, minPoints: 2 });
    expect(g.cells.length).toBeGreaterThan(5);
    let nan = 0;
    g.cells.forEach((_, i) => {
      if (Number.isNaN(g.columns.value![i]!)) nan++;
      else expect(g.columns.n![i]).toBeGreaterThanOrEqual(2);
    });
    expect(nan).toBe(g.uncovered);
    expect(nan).toBeGreaterThan(0);
    expect(JSON.parse(JSON.stringify(g)).uncovered).toBe(nan);
  });

  it('returns a station value exactly at its own cell centre, skips unusable stations, and rejects bad options', () => {
    const cell = latLngToCell(18.7, 98.9, 9);
    const [lat, lng] = cellToLatLng(cell);
    const g = idwToCells({ lng: [lng, 99.5, NaN], lat: [lat, 19, 18], value: [55, 10, 3] }, [cell]);
    expect(g.columns.value![0]).toBe(55);
    expect(g.rejected).toHaveLength(1);
    expect(() => idwToCells(stations, [cell], { power: -1 })).toThrow(/options.power/);
    expect(() => idwToCells(stations, ['zz'])).toThrow(/target\[0\]/);
  });
});
