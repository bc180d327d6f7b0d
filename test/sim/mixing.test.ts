import { describe, expect, it } from 'vitest';
import {
  buildScenario, generateMixing, generateWind, mixingTrajectories, perturbMixing, resolveScenarioConfig, runDispersion, sampleMixing, scoreTwin, setupTwin,
} from '../../src/sim/index.js';
import { griddedWind } from '../../src/wind/index.js';
import { HazetraceError } from '../../src/core/index.js';

const H = 3_600_000;

describe('mixing fields', () => {
  const cfg = resolveScenarioConfig({ name: 'mix', seed: 5, hours: 72, mixing: { rainEventsPerDay: 3 } });
  const wind = generateWind(cfg);
  it('are deterministic by seed and change with it', () => {
    const a = generateMixing(cfg, wind)!;
    const b = generateMixing(resolveScenarioConfig({ name: 'mix', seed: 5, hours: 72, mixing: { rainEventsPerDay: 3 } }), wind)!;
    expect(Array.from(a.mixingHeight)).toEqual(Array.from(b.mixingHeight));
    expect(Array.from(a.precipitation)).toEqual(Array.from(b.precipitation));
    const c = generateMixing(resolveScenarioConfig({ name: 'mix', seed: 6, hours: 72, mixing: { rainEventsPerDay: 3 } }), wind)!;
    expect(Array.from(c.mixingHeight)).not.toEqual(Array.from(a.mixingHeight));
    const pa = perturbMixing(a, cfg, 9), pb = perturbMixing(b, cfg, 9);
    expect(Array.from(pa.precipitation)).toEqual(Array.from(pb.precipitation));
    expect(Array.from(pa.mixingHeight)).not.toEqual(Array.from(a.mixingHeight));
  });
  it('follow the diurnal cycle: night value before the rise, largest mid-afternoon; rain falls somewhere', () => {
    const m = generateMixing(cfg, wind)!;
    // 2025-03-01T00Z = 07:00 local (+07:00): local 03:00 is t = 20 h, local 15:00 is t = 8 h.
    const night = sampleMixing(m, 'mixingHeight', 99, 19, cfg.startMs + 20 * H);
    const peak = sampleMixing(m, 'mixingHeight', 99, 19, cfg.startMs + 8 * H);
    const spatial = night / 150;
    expect(spatial).toBeGreaterThan(0.3);
    expect(peak / spatial).toBeCloseTo(1500, 6);
    expect(m.precipitation.some((p) => p > 0.1)).toBe(true);
    expect(m.precipitation.every((p) => p >= 0)).toBe(true);
  });
  it('leave the rest of the scenario untouched (own random stream); no section = no fields', () => {
    const plain = buildScenario({ name: 'mix', seed: 5, hours: 72 });
    const mixed = buildScenario({ name: 'mix', seed: 5, hours: 72, mixing: {} });
    expect(plain.mixing).toBeUndefined();
    expect('mixing' in plain.config).toBe(false);
    expect(mixed.mixing).toBeDefined();
    expect(Array.from(mixed.sources.lng)).toEqual(Array.from(plain.sources.lng));
    expect(Array.from(mixed.wind.u)).toEqual(Array.from(plain.wind.u));
  });
  it('config errors name the path', () => {
    expect(() => resolveScenarioConfig({ mixing: { heightM: [900, 100] } })).toThrow(/config\.mixing\.heightM/);
    expect(() => resolveScenarioConfig({ mixing: { bogus: 1 } as never })).toThrow(HazetraceError);
    expect(() => resolveScenarioConfig({ mixing: { cycleLocalHours: [15, 8, 19] } })).toThrow(/rise < peak < collapse/);
  });
});

describe('forward model with a mixed layer and rain', () => {
  const base = {
    name: 'fac', seed: 3, hours: 48, fires: { patches: [], scatteredPerDay: {} }, areas: [],
    facilities: [{ id: 'f', lng: 99.73, lat: 18.3, emissionKgPerHour: 1000 }], dispersion: { particlesPerHour: 200 },
  };
  it('a transport layer above the deepest mixed layer lifts nothing: no concentration anywhere', () => {
    const sc = buildScenario({ ...base, mixing: { transportHeightM: 5000, heightM: [100, 1000], spatialLogSd: 0, rainEventsPerDay: 0 } });
    const d = runDispersion(sc, griddedWind(sc.wind));
    expect(d.massBalance.notLiftedKg).toBeCloseTo(d.massBalance.emittedKg, 6);
    expect(d.conc.every((c) => c === 0)).toBe(true);
    expect(d.massBalance.relativeError).toBeLessThan(1e-9);
  });
  it('a steady facility is lifted only by day; rain washes mass out; the balance closes', () => {
    const plain = runDispersion(buildScenario(base), griddedWind(buildScenario(base).wind));
    const sc = buildScenario({ ...base, mixing: { spatialLogSd: 0, rainEventsPerDay: 20, rainRadiusKm: 150 } });
    const d = runDispersion(sc, griddedWind(sc.wind));
    const b = d.massBalance;
    // 500 m transport layer, 150 m nights, sin²/cos² day between 08 and 19 local: lifted ≈ 8.3 h of 24.
    expect(b.notLiftedKg! / b.emittedKg).toBeGreaterThan(0.55);
    expect(b.notLiftedKg! / b.emittedKg).toBeLessThan(0.75);
    expect(b.rainedOutKg).toBeGreaterThan(0);
    expect(b.relativeError).toBeLessThan(1e-9);
    expect('notLiftedKg' in plain.massBalance).toBe(false);
    const sum = (x: Float64Array) => x.reduce((p, q) => p + q, 0);
    expect(sum(d.conc)).toBeLessThan(sum(plain.conc));
  });
});

describe('3-D attribution on a mixing twin', () => {
  it('without weighting the 3-D path equals the 2-D path; weighting changes the scores; trajectories sample the fields', () => {
    const s = setupTwin(
      {
        name: 'mix-small', seed: 11, hours: 96,
        fires: { firesPerPatchPerDay: 6, peakLocalHour: 17, startSdHours: 3 },
        facilities: [{ id: 'mae-moh', lng: 99.73, lat: 18.3, emissionKgPerHour: 6000 }],
        mixing: {}, episodes: { thresholdUgm3: 20, spinupHours: 24, maxEpisodes: 6 },
      },
      { particlesPerHour: 300 },
    );
    expect(s.mixing).toBeDefined();
    expect(s.episodes.length).toBeGreaterThan(0);
    const tr = mixingTrajectories(s, 'perfect');
    expect(tr.attribution.heightAgl.every((z) => Math.abs(z - 500) < 1e-6)).toBe(true);
    expect(new Set(tr.attribution.member).size).toBe(9);
    expect(tr.attribution.mixedLayer.some((f) => f === 0) && tr.attribution.mixedLayer.some((f) => f === 1)).toBe(true);
    // mixedLayer agrees with the sampled mixing height at the start height.
    for (let p = 0; p < tr.attribution.lng.length; p += 97) {
      expect(tr.attribution.mixedLayer[p]).toBe(500 <= tr.attribution.met['mixingHeight']![p]! ? 1 : 0);
    }
    const flat = scoreTwin(s, 'perfect', {});
    const none = scoreTwin(s, 'perfect', { threeD: { contact: 'none', trajectories: tr } });
    const ml = scoreTwin(s, 'perfect', { threeD: { contact: 'mixed-layer', trajectories: tr } });
    expect(none.methods.hazetrace.categoryShareMaePp).toBeCloseTo(flat.methods.hazetrace.categoryShareMaePp, 9);
    expect(none.methods.hazetrace.spearman).toBeCloseTo(flat.methods.hazetrace.spearman, 9);
    expect(ml.methods.hazetrace.categoryShareMaePp).not.toBeCloseTo(none.methods.hazetrace.categoryShareMaePp, 6);
    expect(ml.methods.pscf).toEqual(none.methods.pscf);
  }, 120_000);
});
