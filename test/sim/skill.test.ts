import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sampleRankCorrelation } from 'simple-statistics';
import { buildScenario, scoreEpisode, spearman, summariseSkill, topKRecall } from '../../src/sim/index.js';

describe('skill metrics', () => {
  it('spearman matches simple-statistics sampleRankCorrelation (ties averaged)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })), { minLength: 3, maxLength: 40 }), (pairs) => {
        const a = pairs.map((p) => p[0]), b = pairs.map((p) => p[1]);
        const ours = spearman(a, b);
        const ref = sampleRankCorrelation(a, b);
        if (Number.isNaN(ours)) return !Number.isFinite(ref);
        return Math.abs(ours - ref) < 1e-9;
      }),
    );
    // Hand case: ranks (1,2,3,4) vs (1,3,2,4): rho = 1 - 6·Σd²/(n(n²-1)) = 1 - 6·2/60 = 0.8.
    expect(spearman([1, 2, 3, 4], [10, 30, 20, 40])).toBeCloseTo(0.8, 12);
  });
  it('top-k recall counts the true top k found in the attributed top k', () => {
    expect(topKRecall([5, 4, 0, 1], [1, 9, 0, 8], 2)).toBe(0.5);
    expect(topKRecall([0, 0], [1, 1], 2)).toBeNaN();
    expect(topKRecall([3, 2, 1], [3, 2, 1], 10)).toBe(1); // fewer than k contributors: all of them
  });
  it('scores category and cross-border shares in percentage points (hand-computed)', () => {
    const sc = buildScenario({
      hours: 24, seed: 3, fires: { patches: [], scatteredPerDay: {} },
      areas: [{ id: 'a', center: [99, 18.5], radiusKm: 5, emissionKgPerHour: 10 }],
      facilities: [
        { id: 'f-th', lng: 99.7, lat: 18.3, emissionKgPerHour: 10 },
        { id: 'f-mm', lng: 97.5, lat: 20.5, emissionKgPerHour: 10 },
      ],
    });
    // sources: 0 area (THA), 1 facility THA, 2 facility MMR
    expect(sc.sources.country).toEqual(['THA', 'THA', 'MMR']);
    const truth = [2, 1, 1]; // area 50 %, facility 50 %, cross-border 25 %
    const attr = [1, 1, 2]; // area 25 %, facility 75 %, cross-border 50 %
    const s = scoreEpisode(sc, truth, attr, 'THA');
    expect(s.categoryShareMaePp).toBeCloseTo(25, 9); // (|50-25| + |50-75|) / 2 categories present
    expect(s.crossBorderMaePp).toBeCloseTo(25, 9);
    expect(s.spearman).toBeCloseTo(spearman(truth, attr), 12);
    const perfect = scoreEpisode(sc, truth, truth, 'THA');
    expect(perfect).toEqual({ categoryShareMaePp: 0, crossBorderMaePp: 0, spearman: 1, top10Recall: 1 });
    // An attribution that found nothing: shares all 0, Spearman 0.
    const none = scoreEpisode(sc, truth, [0, 0, 0], 'THA');
    expect(none.categoryShareMaePp).toBeCloseTo(50, 9);
    expect(none.crossBorderMaePp).toBeCloseTo(25, 9);
    expect(none.spearman).toBe(0);
    // Invisible sources leave the ranking metrics but not the shares.
    const vis = scoreEpisode(sc, truth, [2, 1, 0], 'THA', [1, 1, 0]);
    expect(vis.spearman).toBeCloseTo(1, 12);
    expect(vis.crossBorderMaePp).toBeCloseTo(25, 9);
    expect(summariseSkill([s, perfect]).categoryShareMaePp).toBeCloseTo(12.5, 9);
  });
});
