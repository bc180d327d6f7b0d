import { describe, expect, it } from 'vitest';
import { clusterStatistics, clusterTrajectories, pollutedDifference } from '../../src/attribution/index.js';
import { quantile } from '../../src/core/stats.js';
import { clusterReportHtml, clusterSectionHtml } from '../../src/report/index.js';
import { traceTrajectories, uniformWind, concatTrajectorySets } from '../../src/wind/index.js';

const HOUR = 3600e3;
// Two wind regimes: 12 trajectories from the west, 8 from the north.
// Within a family the speed and direction vary a little, so the families are tight but not identical.
const one = (u: number, v: number, h: number) => traceTrajectories(uniformWind({ u, v }), [{ lng: 99, lat: 18.8, time: h * HOUR, receptor: 'cm' }], { hours: 24 });
const west = Array.from({ length: 12 }, (_, i) => one(6 + 0.1 * i, 0.2 * ((i % 3) - 1), i * 6));
const north = Array.from({ length: 8 }, (_, i) => one(0.2 * ((i % 3) - 1), -6 - 0.1 * i, 100 + i * 6));
const set = concatTrajectorySets([...west, ...north]);
const times = Array.from({ length: 20 }, (_, i) => set.startTime[i]!);
const values = times.map((_, i) => (i < 12 ? 20 + i : 60 + 5 * (i - 12)));

describe('clusterSectionHtml', () => {
  const result = clusterTrajectories(set, { k: 2 });
  const stats = clusterStatistics(set, result.assignment, { station: 'cm', time: times, value: values }, { threshold: 37.5 });

  it('labels each cluster with its share and draws box plots from the joined values', () => {
    const html = clusterSectionHtml({ result, statistics: stats });
    result.percent.forEach((p, c) => expect(html).toContain(`C${c + 1} ${p.toFixed(1)} %`));
    expect(result.percent.slice().sort()).toEqual([40, 60]);
    // the hover text of each box states the quartiles computed from that cluster's values
    for (let c = 0; c < 2; c++) {
      const vs = values.filter((_, t) => result.assignment[t] === c);
      expect(html).toContain(`cluster ${c + 1}: p10 ${quantile(vs, 0.1).toFixed(1)}, p25 ${quantile(vs, 0.25).toFixed(1)}, median ${quantile(vs, 0.5).toFixed(1)}`);
    }
    expect(html).toContain('threshold 37.5');
    expect(html).not.toContain('Total spatial variance'); // PAM: no TSV curve
  });

  it('shows the TSV curve and the suggested k for the HYSPLIT algorithm', () => {
    const h = clusterTrajectories(set, { k: 'auto', algorithm: 'hysplit' });
    const html = clusterSectionHtml({ result: h });
    expect(html).toContain('Total spatial variance');
    expect(html).toContain(`suggested k = ${h.k}`);
    expect(h.k).toBe(2);
  });

  it('outlines exactly the significant cells of the difference map', () => {
    const d = pollutedDifference(set, values, { threshold: 37.5, permutations: 199, res: 3 });
    expect(d.flagged).toBeGreaterThan(0);
    const html = clusterReportHtml({ result, statistics: stats, difference: d });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect((html.match(/, significant \(q = /g) ?? []).length).toBe(d.cells.filter((c) => c.significant).length);
    expect(html).toContain(`${d.flagged} of ${d.cells.length} cells`);
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it('refuses what is not a cluster result', () => {
    expect(() => clusterSectionHtml({} as never)).toThrow(/input.result/);
  });
});

describe('pollutedDifference', () => {
  it('leaves out trajectories without a value and flags the polluted pathway', () => {
    const v = values.slice();
    v[3] = NaN;
    const d = pollutedDifference(set, v, { threshold: 37.5, permutations: 99, res: 3 });
    expect(d.nAll).toBe(19);
    expect(d.nSubset).toBe(8);
  });
});
