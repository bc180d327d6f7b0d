import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HazetraceError } from '../../src/core/index.js';
import { griddedWind, uniformWind } from '../../src/wind/index.js';
import { buildScenario, resolveScenarioConfig, runDispersion, observe, generateWind, countryOf } from '../../src/sim/index.js';

const small = { hours: 48, dispersion: { particlesPerHour: 300 } } as const;

describe('scenario', () => {
  it('fills documented defaults and rejects bad values naming the path', () => {
    const c = resolveScenarioConfig({});
    expect(c.domain).toEqual([96, 16, 103, 23]);
    expect(c.observation.windSpeedErrorSd).toBe(1.5);
    expect(c.observation.windDirErrorSd).toBe(20);
    expect(() => resolveScenarioConfig({ wind: { speed: -1 } })).toThrow(/config\.wind\.speed/);
    expect(() => resolveScenarioConfig({ hours: 1.5 })).toThrow(HazetraceError);
    expect(() => resolveScenarioConfig({ wind: { sped: 3 } } as never)).toThrow(/config\.wind\.sped/);
  });
  it('puts patch fires in the configured countries (both sides of the border)', () => {
    const sc = buildScenario({ seed: 5, hours: 48 });
    const byCountry = new Map<string, number>();
    for (let i = 0; i < sc.sources.length; i++) {
      if (sc.sources.category[i] !== 'fire_repeat_burn') continue;
      const p = sc.patches[sc.sources.patch[i]!]!;
      byCountry.set(p.country, (byCountry.get(p.country) ?? 0) + 1);
    }
    expect(byCountry.get('MMR')).toBeGreaterThan(0);
    expect(byCountry.get('THA')).toBeGreaterThan(0);
    expect(byCountry.get('LAO')).toBeGreaterThan(0);
    // Patch centres lie in their country (Natural Earth slice).
    for (const p of sc.patches) expect(countryOf(p.lng, p.lat)).toBe(p.country);
    // Known points: Chiang Mai in Thailand, Taunggyi in Myanmar, Luang Prabang in Laos.
    expect(countryOf(98.99, 18.79)).toBe('THA');
    expect(countryOf(97.04, 20.79)).toBe('MMR');
    expect(countryOf(102.14, 19.89)).toBe('LAO');
    // Default monitors are the real northern Air4Thai stations.
    expect(sc.monitors.find((m) => m.id === '35t')).toMatchObject({ lng: 98.96978, lat: 18.840732, country: 'THA' });
  });
  it('generates the configured synoptic wind when eddies and shear are off', () => {
    const cfg = resolveScenarioConfig({ hours: 24, wind: { speed: 5, directionFrom: 270, turnDegPerDay: 0, swingDeg: 0, diurnalSpeed: 0, shearPerDeg: 0, eddies: { count: 0 } } });
    const w = generateWind(cfg);
    for (let i = 0; i < w.u.length; i += 97) {
      expect(w.u[i]).toBeCloseTo(5, 12); // westerly: blows toward the east
      expect(w.v[i]).toBeCloseTo(0, 12);
    }
  });
});

describe('dispersion', () => {
  it('conserves mass: emitted = airborne + decayed + exported + retired within 1e-9', () => {
    const sc = buildScenario({ ...small, seed: 2, dispersion: { particlesPerHour: 300, maxAgeHours: 20 } });
    const r = runDispersion(sc, griddedWind(sc.wind));
    const b = r.massBalance;
    expect(b.emittedKg).toBeGreaterThan(0);
    expect(b.retiredKg).toBeGreaterThan(0); // the 20-h age limit was hit, so all four terms are exercised
    expect(b.decayedKg).toBeGreaterThan(0);
    expect(b.relativeError).toBeLessThan(1e-9);
    expect(Math.abs(b.emittedKg - (b.airborneKg + b.decayedKg + b.exportedKg + b.retiredKg)) / b.emittedKg).toBeLessThan(1e-9);
    // Per-source emissions add up to the total, and the per-source truth adds up to the concentration.
    expect(r.emittedBySourceKg.reduce((a, x) => a + x, 0)).toBeCloseTo(b.emittedKg, 3);
    r.contributions.forEach((m, k) => {
      const s = m ? [...m.values()].reduce((a, x) => a + x, 0) : 0;
      expect(s).toBeCloseTo(r.conc[k]!, 9);
    });
  });
  it('same seed gives the same bytes; another seed does not', () => {
    const hash = (seed: number): string => {
      const sc = buildScenario({ ...small, seed });
      const d = runDispersion(sc, griddedWind(sc.wind));
      const o = observe(sc, d);
      return createHash('sha256').update(JSON.stringify({ sc, d, o })).digest('hex');
    };
    expect(hash(9)).toBe(hash(9));
    expect(hash(9)).not.toBe(hash(10));
  });
  it('matches the analytic plume of a steady point source in uniform wind (no diffusion, no loss)', () => {
    // 5 m/s westerly, 10-min steps: particle clumps every 3 km downwind. A 15-km receptor centred 61.5 km
    // downwind holds exactly the clumps 16..25 (10 clumps of E/6 kg each) — see the derivation in docs/validation.md.
    const E = 600; // kg/h
    const H = 500;
    const dxDeg = (61.5 / ((Math.PI / 180) * 6371.0)) ; // trajectory sphere (R = 6,371,000 m) at the equator
    const sc = buildScenario({
      seed: 1, hours: 30, domain: [0, -1, 5, 1],
      fires: { patches: [], scatteredPerDay: {} }, areas: [],
      facilities: [{ id: 'f', lng: 0.5, lat: 0, emissionKgPerHour: E }],
      monitors: [['m', 0.5 + dxDeg, 0]],
      dispersion: { particlesPerHour: 6000, diffusivityM2s: 0, lifetimeHours: 1e5, mixingHeightM: [H, H], receptorRadiusKm: 15 },
    });
    const r = runDispersion(sc, uniformWind({ u: 5, v: 0 }));
    const expected = (10 * (E / 6) * 1e9) / (Math.PI * 15e3 * 15e3 * H);
    let mean = 0;
    for (let h = 10; h < 30; h++) mean += r.conc[h]! / 20; // after the plume has passed the receptor (> 4.3 h)
    expect(mean / expected).toBeGreaterThan(0.98);
    expect(mean / expected).toBeLessThan(1.02);
    expect(r.contributions[15]!.get(0)).toBeCloseTo(r.conc[15]!, 9);
  });
});
