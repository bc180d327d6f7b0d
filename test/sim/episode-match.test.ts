import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectEpisodes, type Episode } from '../../src/attribution/index.js';
import { griddedWind } from '../../src/wind/index.js';
import { buildScenario, episodeDetectionSkill, matchEpisodes, observe, runDispersion, truthEpisodes, twinTrueSeries } from '../../src/sim/index.js';

const H = 3_600_000;
const T0 = Date.UTC(2025, 2, 1);

/** An hourly series at one station from T0 (hour starts). */
function series(values: number[], station = 'a'): { station: string[]; time: number[]; value: number[]; timeBasis: 'hour-start' } {
  return { station: values.map(() => station), time: values.map((_, h) => T0 + h * H), value: values, timeBasis: 'hour-start' };
}
const hours = (e: Episode): number[] => [(e.start - T0) / H, (e.end - T0) / H, (e.peakTime - T0) / H];

describe('truthEpisodes: exceedances of the centred 24-h mean on the noise-free series', () => {
  const B = 60;
  const base = (n: number, set: (h: number) => number | undefined): number[] => Array.from({ length: n }, (_, h) => set(h) ?? 10);

  it('a 20-h bump at 100 over 10 is one event over the bump, peak at the highest hour', () => {
    const v = base(200, (h) => (h === B + 4 ? 120 : h >= B && h < B + 20 ? 100 : undefined));
    const [e, ...rest] = truthEpisodes(series(v));
    expect(rest).toEqual([]);
    // Centred means exceed for hours B−5..B+23 (≥ 8 bump hours in i−11..i+12); their windows cover B−16..B+35,
    // of which the bump's hours are above 37.5.
    expect(hours(e!)).toEqual([B, B + 20, B + 4]);
    expect(e!.peakValue).toBe(120);
    expect(e!.samples).toBe(20);
    expect(e!.meanValue).toBeCloseTo((19 * 100 + 120) / 20, 12);
  });

  it('merge gap and minimum duration', () => {
    // Two 12-h bumps 8 h apart: one event across the gap by default, two with a shorter merge gap.
    const v = base(200, (h) => ((h >= B && h < B + 12) || (h >= B + 20 && h < B + 32) ? 100 : undefined));
    expect(truthEpisodes(series(v)).map(hours).map((x) => x.slice(0, 2))).toEqual([[B, B + 32]]);
    expect(truthEpisodes(series(v), { mergeGapHours: 6 }).map(hours).map((x) => x.slice(0, 2))).toEqual([[B, B + 12], [B + 20, B + 32]]);
    // Exceeding centred means run over hours B−5..B+35 (41 h): a 42-h minimum qualifies nothing.
    expect(truthEpisodes(series(v), { minDurationHours: 41 })).toHaveLength(1);
    expect(truthEpisodes(series(v), { minDurationHours: 42 })).toHaveLength(0);
    expect(truthEpisodes(series(v), { threshold: 100 })).toHaveLength(0);
  });

  it('a window needs 75 % (18) of its 24 hours: 17 hours of 100 are no event, 18 are', () => {
    expect(truthEpisodes(series(base(17, () => 100)))).toEqual([]);
    expect(truthEpisodes(series(base(18, () => 100))).map(hours)).toEqual([[0, 18, 0]]);
    // Missing hours inside an event: 10 missing (100..109) break the centred means for i in [94, 114], but the
    // hours either side are qualified and the 10-h hole is merged (≤ 12), not with mergeGapHours 6.
    const ten = base(200, () => 100).map((x, h) => (h >= 100 && h < 110 ? NaN : x));
    expect(truthEpisodes(series(ten)).map(hours).map((x) => x.slice(0, 2))).toEqual([[0, 200]]);
    expect(truthEpisodes(series(ten), { mergeGapHours: 6 }).map(hours).map((x) => x.slice(0, 2))).toEqual([[0, 100], [110, 200]]);
  });

  it('stations are separate and sorted; rejects what it cannot read', () => {
    const a = series(base(100, (h) => (h >= 40 && h < 60 ? 100 : undefined)), 'b');
    const b = series(base(100, () => 10), 'a');
    const both = { station: [...b.station, ...a.station], time: [...b.time, ...a.time], value: [...b.value, ...a.value], timeBasis: 'hour-start' as const };
    expect(truthEpisodes(both).map((e) => e.station)).toEqual(['b']);
    expect(() => truthEpisodes({ ...a, timeBasis: 'hour-end' as 'hour-start' })).toThrow(/series\.timeBasis/);
    expect(() => truthEpisodes({ ...a, time: a.time.map((t, i) => (i === 3 ? t + 60_000 : t)) })).toThrow(/series\.time/);
    expect(() => truthEpisodes(a, { windowHours: 23.5 })).toThrow(/options\.windowHours/);
  });

  it("agrees with detectEpisodes' 'event' averaging on the same series (two independent implementations, property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 120 }) }, { weight: 1, arbitrary: fc.constant(NaN) }), { minLength: 1, maxLength: 160 }),
        fc.integer({ min: 0, max: 24 }),
        (vals, gap) => {
          const s = series(vals);
          const truth = truthEpisodes(s, { mergeGapHours: gap });
          const det = detectEpisodes(s, { averaging: 'event', stepHours: 1, mergeGapHours: gap, minDurationHours: 0 }).episodes;
          expect(det.map((e) => [e.start, e.end, e.peakTime, e.peakValue, e.samples])).toEqual(truth.map((e) => [e.start, e.end, e.peakTime, e.peakValue, e.samples]));
          det.forEach((e, i) => expect(e.meanValue).toBeCloseTo(truth[i]!.meanValue, 9));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('matchEpisodes', () => {
  const ep = (station: string, start: number, end: number, peak: number): Episode => ({
    id: `${station}@${start}`, station, start: T0 + start * H, end: T0 + end * H, peakTime: T0 + peak * H, peakValue: 80, meanValue: 50, samples: 1, threshold: 37.5,
  });

  it('hand case: matched, extra, split, merged, peak-time errors', () => {
    const truth = [ep('a', 10, 30, 20), ep('a', 40, 60, 50), ep('a', 100, 120, 110), ep('b', 10, 30, 15), ep('c', 0, 5, 2)];
    const detected = [
      ep('A', 12, 45, 22), // overlaps a:10–30 (18 h) and a:40–60 (5 h): merged
      ep('a', 50, 58, 51), // overlaps a:40–60 (8 h, best pair for it): a:40–60 is split
      ep('b', 31, 40, 33), // no overlap (1 h after b's end)
      ep('d', 10, 30, 20), // no such truth station
    ];
    const m = matchEpisodes(detected, truth);
    expect(m).toMatchObject({ matched: 2, truthCount: 5, detectedCount: 4, extra: 2, split: 1, merged: 1 });
    expect(m.pairs).toEqual([
      { truth: 0, detected: 0, peakTimeErrorH: 2, overlapHours: 18 },
      { truth: 1, detected: 1, peakTimeErrorH: 1, overlapHours: 8 },
    ]);
    expect(m.medianPeakTimeErrorH).toBe(1.5);
    expect(m.recall).toBeCloseTo(0.4, 12);
    expect(m.extraFraction).toBeCloseTo(0.4, 12);
    // A 1-h tolerance lets b:31–40 meet b:10–30 (each widened by 1 h).
    const tol = matchEpisodes(detected, truth, { toleranceHours: 1 });
    expect([tol.matched, tol.extra]).toEqual([3, 1]);
    expect(tol.pairs[2]).toEqual({ truth: 3, detected: 2, peakTimeErrorH: 18, overlapHours: 0 });
  });

  it('empty lists and bad arguments', () => {
    const none = matchEpisodes([], []);
    expect([none.matched, none.extra, none.recall, none.medianPeakTimeErrorH]).toEqual([0, 0, NaN, NaN]);
    expect(matchEpisodes([ep('a', 0, 1, 0)], []).extra).toBe(1);
    expect(() => matchEpisodes({} as Episode[], [])).toThrow(/detected/);
    expect(() => matchEpisodes([], [], { toleranceHours: -1 })).toThrow(/options\.toleranceHours/);
  });
});

describe('twin: true series and detection skill', () => {
  const scenario = buildScenario({ seed: 11, hours: 96, dispersion: { particlesPerHour: 150 } });
  const dispersion = runDispersion(scenario, griddedWind(scenario.wind));
  const observations = observe(scenario, dispersion);

  it('the true series is background + dispersion at the observed rows; the noisy monitors scatter around it', () => {
    const truth = twinTrueSeries(scenario, dispersion, observations);
    expect(Array.from(truth.time)).toEqual(Array.from(observations.series.time));
    expect(truth.station).toEqual(observations.series.station);
    const obs = observations.series.values['pm25_ugm3']!;
    let d = 0;
    for (let i = 0; i < obs.length; i++) d += obs[i]! - truth.value[i]!;
    // Noise is zero-mean (10 % relative + 2 µg/m³ absolute, clipped at 0): the mean difference is small.
    expect(Math.abs(d / obs.length)).toBeLessThan(1);
    expect(() => twinTrueSeries(scenario, { ...dispersion, conc: dispersion.conc.subarray(1) }, observations)).toThrow(/same twin/);
  });

  it('detection on the noise-free series with the truth settings reproduces the truth exactly', () => {
    // A low threshold so this short run has episodes.
    const threshold = 20;
    const s = episodeDetectionSkill({ scenario, dispersion, observations }, { averaging: 'event', threshold });
    expect(s.truth.length).toBeGreaterThan(0);
    expect(s.match.truthCount).toBe(s.truth.length);
    expect(s.match.recall).toBeGreaterThan(0.5);
    const clean = detectEpisodes(twinTrueSeries(scenario, dispersion, observations), { averaging: 'event', threshold, minDurationHours: 0, mergeGapHours: 12 }).episodes;
    const m = matchEpisodes(clean, s.truth);
    expect([m.matched, m.extra, m.split, m.merged, m.medianPeakTimeErrorH]).toEqual([s.truth.length, 0, 0, 0, 0]);
  });
});
