import { describe, expect, it } from 'vitest';
import { runTwin } from '../../src/sim/index.js';

describe('twin experiment', () => {
  it('scores three methods end to end; a lone facility is found by hazetrace, never by the hotspot count', () => {
    const r = runTwin(
      {
        name: 'lone-facility', seed: 8, hours: 72,
        wind: { speed: 3, directionFrom: 70, turnDegPerDay: 0, swingDeg: 10 },
        fires: { patches: [], scatteredPerDay: {} }, areas: [],
        facilities: [{ id: 'mae-moh', lng: 99.73, lat: 18.3, emissionKgPerHour: 5000 }],
        dispersion: { particlesPerHour: 400 },
        episodes: { thresholdUgm3: 20, spinupHours: 24, maxEpisodes: 4 },
      },
      { winds: ['perfect'] },
    );
    expect(r.episodes.length).toBeGreaterThan(0);
    const m = r.results[0]!.methods;
    expect(r.truthSummary.categoryShares['facility']).toBeCloseTo(1, 12);
    // One category present: hazetrace puts everything on the facility (error 0); the count sees no hotspot (error 100).
    expect(m.hazetrace.categoryShareMaePp).toBeCloseTo(0, 9);
    expect(m.buffer.categoryShareMaePp).toBeCloseTo(100, 9);
    expect(m.hazetrace.crossBorderMaePp).toBeCloseTo(0, 9);
    expect(m.hazetrace.top10Recall).toBe(1);
    const json = JSON.parse(JSON.stringify(r));
    expect(Object.keys(json.results[0].methods)).toEqual(['hazetrace', 'pscf', 'buffer']);
    expect(json.massBalance.relativeError).toBeLessThan(1e-9);
  });
});
