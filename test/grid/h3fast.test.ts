import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { latLngToCellHiLo, latLngToCellHiLoReplica, HI_LO, hiLoToString, verificationPoints, fastPathStatus, fastLatLngToCell } from '../../src/grid/h3fast.js';

describe('pure-TS latLngToCell', () => {
  it('passes its own self-check', () => {
    const s = fastPathStatus();
    expect(s.report).toContain('agreed');
    expect(s.verified).toBe(true);
  });

  it('equals h3-js bit for bit on 1,000,000 seeded points (globe, pentagons, poles, antimeridian), every res', () => {
    // Each point is checked at one resolution (cycling 0..15) so all 16 are covered
    // 62,500 times each; a further 8,000 points are checked at all 16.
    const N = 1_000_000;
    const pts = verificationPoints(N, 20261127);
    const bad: string[] = [];
    for (let n = 0; n < N; n++) {
      const lat = pts[n * 2]!, lng = pts[n * 2 + 1]!;
      const res = n % 16;
      expect(latLngToCellHiLo(lat, lng, res)).toBe(true);
      const got = hiLoToString(HI_LO[0]!, HI_LO[1]!);
      const want = latLngToCell(lat, lng, res);
      if (got !== want && bad.length < 5) bad.push(`${lat},${lng}@${res}: ${got} != ${want}`);
    }
    for (let n = 0; n < 8_000; n++) {
      const lat = pts[n * 2]!, lng = pts[n * 2 + 1]!;
      for (let res = 0; res <= 15; res++) {
        latLngToCellHiLo(lat, lng, res);
        const got = hiLoToString(HI_LO[0]!, HI_LO[1]!);
        const want = latLngToCell(lat, lng, res);
        if (got !== want && bad.length < 5) bad.push(`${lat},${lng}@${res}: ${got} != ${want}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the exact replica of H3\'s floating-point sequence (the fast path\'s fallback) also equals h3-js on 100,000 points', () => {
    const pts = verificationPoints(100_000, 777);
    const bad: string[] = [];
    for (let n = 0; n < 100_000; n++) {
      const lat = pts[n * 2]!, lng = pts[n * 2 + 1]!, res = (n * 7) % 16;
      latLngToCellHiLoReplica(lat, lng, res);
      const got = hiLoToString(HI_LO[0]!, HI_LO[1]!);
      const want = latLngToCell(lat, lng, res);
      if (got !== want && bad.length < 5) bad.push(`${lat},${lng}@${res}: ${got} != ${want}`);
    }
    expect(bad).toEqual([]);
  });

  it('handles exact special points: poles, pentagon centres, face centres, the antimeridian, ±0', () => {
    const special: [number, number][] = [[90, 0], [-90, 0], [90, 180], [0, 180], [0, -180], [0, 0], [-0, -0], [45, 180], [-45, -180]];
    for (const [lat, lng] of special) {
      for (let res = 0; res <= 15; res++) expect(fastLatLngToCell(lat, lng, res)).toBe(latLngToCell(lat, lng, res));
    }
  });

  it('refuses non-finite input instead of inventing a cell', () => {
    expect(latLngToCellHiLo(NaN, 0, 5)).toBe(false);
    expect(latLngToCellHiLo(0, Infinity, 5)).toBe(false);
  });
});
