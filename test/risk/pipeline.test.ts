/**
 * scoreAreas: the risk chain in one call. It must give the previous chain's numbers (the CLI's former
 * runRiskChain, spelled out below from the primitives) on the embedded sample in data/, and `risk --json`
 * must print what scoreAreas returns.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Hotspots } from '../../src/core/index.js';
import { readFirmsCsv, readGeoJsonLayer, type FeatureCollection } from '../../src/io/index.js';
import { facilitySources } from '../../src/attribution/index.js';
import { gridDisk, latLngToCell } from 'h3-js';
import { csvParse } from 'd3-dsv';
import {
  auc, buildRiskFactors, calibrateRisk, cellsInGeometry, fitBurnModel, historyPeriods, predictBurnProbability, probabilityLevel, riskToGeoJson, rollupRisk,
  scoreAreas, scoreRisk, type ScoreAreasResult,
} from '../../src/risk/index.js';
import { cli } from '../run-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const D = (f: string): string => join(ROOT, 'data', f);
const { hotspots } = readFirmsCsv(readFileSync(D('firms_modis_th_region.csv'), 'utf8'));
const districts = JSON.parse(readFileSync(D('th_districts_north_simplified.geojson'), 'utf8')) as FeatureCollection;
const facilitiesCsv = readFileSync(D('facilities_gppd_region.csv'), 'utf8');
const fac = facilitySources(facilitiesCsv).layer;
const facPoints = { lng: fac.lng, lat: fac.lat, weight: fac.weight };
const AREA = { idProperty: 'amp_code', nameProperty: 'amp_en' };

/** The percentile chain spelled out from the primitives (ring 1, as the CLI ran it before scoreAreas, commit 711dfb4). */
function previousChain(h: Hotspots, calibrate: boolean, facilities?: typeof facPoints) {
  const period = Array.from({ length: h.length }, (_, i) => new Date(h.time[i]! + 420 * 60_000).getUTCFullYear());
  const periods = [...new Set(period)].sort((a, b) => a - b);
  const set = buildRiskFactors({ domain: districts, res: 6, hotspotHistory: { hotspots: h, period, periods, ring: 1 }, ...(facilities ? { facilities: { points: facilities } } : {}) });
  let calibration: ReturnType<typeof calibrateRisk> | null = null;
  if (calibrate && periods.length >= 3) {
    const extra = set.factors['facility_proximity'] ? { facility_proximity: set.factors['facility_proximity'] } : undefined;
    calibration = calibrateRisk(historyPeriods(h, { cells: set.cells, periods, period, ring: 1, ...(extra ? { extra } : {}) }), { bootstrap: { seed: 1 } });
  }
  const used = calibration !== null && Object.values(calibration.weights).some((w) => w > 0);
  const scores = scoreRisk(set, used && calibration ? { weights: calibration.weights } : {});
  return { scores, table: rollupRisk(scores, districts, AREA), calibration, used, periods, set, period };
}

function expectSame(r: ScoreAreasResult, p: ReturnType<typeof previousChain>): void {
  expect(r.periods).toEqual(p.periods);
  expect(r.scores.cells).toEqual(p.scores.cells);
  expect(Array.from(r.scores.score)).toEqual(Array.from(p.scores.score));
  expect(r.weights).toEqual(p.scores.weights);
  expect(r.usedCalibrated).toBe(p.used);
  expect(r.table.areas.map((a) => [a.id, a.rank, a.meanScore, a.maxScore, a.level])).toEqual(p.table.areas.map((a) => [a.id, a.rank, a.meanScore, a.maxScore, a.level]));
  expect(r.table.unscored).toEqual(p.table.unscored);
  expect(r.calibration ? r.calibration.toJSON() : null).toEqual(p.calibration ? p.calibration.toJSON() : null);
}

// The embedded district layer holds one self-intersecting district (5704 Thoeng) when grid validates polygons; the
// primitives below run on the districts grid can cover, as scoreAreas does (it rejects the others with a row).
const coverable = (() => {
  const keep = districts.features.filter((f) => {
    try {
      cellsInGeometry(f.geometry, 6);
      return true;
    } catch {
      return false;
    }
  });
  return { ...districts, features: keep } as FeatureCollection;
})();
districts.features = coverable.features;

describe('scoreAreas on the embedded sample (data/): the percentile path equals the primitives', () => {
  it('with calibrate: false, ring 1 and percentile levels it equals buildRiskFactors → scoreRisk → rollupRisk (default weights)', () => {
    const r = scoreAreas({ hotspots, areas: districts }, { ...AREA, calibrate: false, ring: 1, replicates: 10 });
    expectSame(r, previousChain(hotspots, false));
    expect([r.weightsFrom, r.weightsSource, r.weightsReason, r.levels]).toEqual(['default', 'default', 'default weights (calibration switched off)', 'percentile']);
    expect(r.probability).toBeNull();
    expect(r.warnings.join(' ')).toMatch(/documented default weights/);
    expect(Object.keys(r.weights)).not.toContain('facility_proximity');
  });

  it('with ring 1 and percentile levels the calibrated score weights equal calibrateRisk on the same transitions', () => {
    const r = scoreAreas({ hotspots, areas: districts, facilities: facPoints }, { ...AREA, ring: 1, levels: 'percentile', utcOffset: '+07:00', seed: 1 });
    expectSame(r, previousChain(hotspots, true, facPoints));
    expect(r.weightsFrom).toBe('calibrated');
    expect(r.weightsReason).toMatch(/^calibrated on .*held-out .* AUC \d\.\d\d \(default weights \d\.\d\d\)$/);
  }, 60_000);
});

describe('scoreAreas: calibrated by default, probability levels, validation, explanations (data/)', () => {
  const r = scoreAreas({ hotspots, areas: districts, facilities: facilitiesCsv }, { ...AREA, replicates: 200 });
  const cells = r.scores.cells;

  it('fits the burn-probability model on every transition and predicts each cell with it', () => {
    expect(r.weightsFrom).toBe('calibrated');
    expect(r.levels).toBe('probability');
    expect(r.model!.trainedOn).toEqual(['2017→2019', '2019→2022', '2022→2023', '2023→2025']);
    for (const v of Object.values(r.model!.coefficients)) expect(v).toBeGreaterThanOrEqual(0);
    // Recompute the probability from the model and the factors (a different path: buildRiskFactors with the chosen ring).
    const set = buildRiskFactors({ cells, hotspotHistory: { hotspots, period: Array.from(hotspots.time, (t) => new Date(t + 7 * 3_600_000).getUTCFullYear()), periods: r.periods, ring: r.ring }, facilities: { points: facPoints } });
    const p = predictBurnProbability(r.model!, set.factors);
    expect(Array.from(r.probability!)).toEqual(Array.from(p));
    expect(r.ringNote).toMatch(/chosen on the training seasons only \(fit on 2017→2019, 2019→2022; AUC on 2022→2023/);
  });

  it('holds out the last season: AUC with interval, reliability bins covering every cell, lift recomputed independently', () => {
    const v = r.validation!;
    expect([v.heldOut, v.fittedOn]).toEqual(['2025', ['2017→2019', '2019→2022', '2022→2023']]);
    expect(v.auc.lo).toBeLessThanOrEqual(v.auc.auc);
    expect(v.auc.hi).toBeGreaterThanOrEqual(v.auc.auc);
    expect(v.reliability.reduce((s, b) => s + b.cells, 0)).toBe(cells.length);
    // Independent: refit on the first three transitions, predict 2025, count detections in the top 10 % of cells.
    const period = Array.from(hotspots.time, (t) => new Date(t + 7 * 3_600_000).getUTCFullYear());
    const T = historyPeriods(hotspots, { cells, periods: r.periods, period, ring: r.ring, extra: { facility_proximity: buildRiskFactors({ cells, facilities: { points: facPoints } }).factors.facility_proximity! } });
    const pv = predictBurnProbability(fitBurnModel(T.slice(0, -1)), T[3]!.factors);
    expect(v.auc.auc).toBeCloseTo(auc(pv, T[3]!.burnt), 12);
    const det = new Map<string, number>();
    for (let i = 0; i < hotspots.length; i++) if (period[i] === 2025) { const c = latLngToCell(hotspots.lat[i]!, hotspots.lng[i]!, 6); det.set(c, (det.get(c) ?? 0) + 1); }
    const total = cells.reduce((s, c) => s + (det.get(c) ?? 0), 0);
    const order = cells.map((_, i) => i).sort((a, b) => pv[b]! - pv[a]!);
    const top = order.slice(0, v.lift.cells);
    expect(pv[order[v.lift.cells - 1]!]!).toBeGreaterThan(pv[order[v.lift.cells]!]!); // the cut falls between distinct values
    expect(v.lift.detections).toBe(top.reduce((s, i) => s + (det.get(cells[i]!) ?? 0), 0));
    expect(v.lift.totalDetections).toBe(total);
  }, 60_000);

  it('a cell with no detection in it or within its ring in any season is "low"; levels are bands of the probability', () => {
    const period = Array.from(hotspots.time, (t) => new Date(t + 7 * 3_600_000).getUTCFullYear());
    const near = new Set<string>();
    for (let i = 0; i < hotspots.length; i++) for (const c of gridDisk(latLngToCell(hotspots.lat[i]!, hotspots.lng[i]!, 6), r.ring)) near.add(c);
    let quiet = 0;
    cells.forEach((c, i) => {
      if (!near.has(c)) {
        quiet++;
        expect(r.evidence[i]).toBe(0);
        expect(r.scores.level[i]).toBe('low');
      } else expect(r.scores.level[i]).toBe(probabilityLevel(r.probability![i]!));
    });
    expect(quiet).toBeGreaterThan(100);
    expect(period.length).toBe(hotspots.length);
  });

  it('explains cells and areas in words with values, in the table, the CSV and the GeoJSON', () => {
    const i = r.scores.cells.findIndex((_, k) => r.scores.level[k] !== 'low' || r.explanationItems[k]!.some((x) => x.factor === 'repeat_burn' && x.value >= 2));
    const items = r.explanationItems[i]!;
    const rb = items.find((x) => x.factor === 'repeat_burn')!;
    expect(rb.text).toBe(`burnt in ${rb.value} of 5 seasons (2017–2025)`);
    expect(r.explanations[i]).toContain(rb.text);
    const a = r.table.areas[0]!;
    expect(a.explanation).toMatch(/^≈ \d+\.\d of \d+ cells expected to burn next season \(\d+(\.\d)? % per cell\); burnt in \d of 5 seasons \(2017–2025\); \d+ detections? in 2017–2025/);
    const csv = csvParse(r.table.toCsv());
    expect(csv[0]!['explanation']).toBe(a.explanation);
    expect(Number(csv[0]!['probability'])).toBeCloseTo(a.probability!, 4);
    const gj = riskToGeoJson(r.scores, { explanations: r.explanations, probability: r.probability! });
    expect(gj.features[i]!.properties!['explanation']).toBe(r.explanations[i]);
    // Areas rank by their expected burning cells, Σ p over their cells.
    for (let k = 1; k < r.table.areas.length; k++) expect(r.table.areas[k - 1]!.expectedCells!).toBeGreaterThanOrEqual(r.table.areas[k]!.expectedCells!);
    expect(r.table.areas.every((x) => x.explanation.length > 0)).toBe(true);
  });

  it('rejects the self-intersecting district with a row instead of failing (when grid validates polygons)', () => {
    const all = JSON.parse(readFileSync(D('th_districts_north_simplified.geojson'), 'utf8')) as FeatureCollection;
    const x = scoreAreas({ hotspots, areas: all }, { ...AREA, calibrate: false, ring: 1 });
    expect(x.table.areas.length + x.table.unscored.length + x.rejected.areas.length).toBe(all.features.length);
    for (const row of x.rejected.areas) expect(row.code).toBe('E_GEOMETRY');
  });

  it('`risk --json` prints what scoreAreas returns, validation included', async () => {
    const c = await cli(['risk', '--hotspots', D('firms_modis_th_region.csv'), '--areas', D('th_districts_north_simplified.geojson'), '--id-property', 'amp_code',
      '--name-property', 'amp_en', '--facilities', D('facilities_gppd_region.csv'), '--top', '1000', '--json']);
    expect(c.code, c.stderr).toBe(0);
    const full = scoreAreas({ hotspots, areas: JSON.parse(readFileSync(D('th_districts_north_simplified.geojson'), 'utf8')) as FeatureCollection, facilities: facilitiesCsv }, { ...AREA, utcOffset: '+07:00', seed: 1 });
    const j = JSON.parse(c.stdout) as Record<string, unknown> & { areas: { id: string; rank: number; probability: number; level: string; explanation: string }[] };
    expect(j['cells']).toBe(full.scores.cells.length);
    expect(j['seasons']).toEqual(full.periods);
    expect(j['weightsFrom']).toBe('calibrated');
    expect(j['levels']).toBe('probability');
    expect(j['validation']).toEqual(JSON.parse(JSON.stringify(full.validation)));
    expect(j.areas.map((a) => [a.id, a.rank, a.level, a.explanation])).toEqual(full.table.areas.map((a) => [a.id, a.rank, a.level, a.explanation]));
    j.areas.forEach((a, k) => expect(a.probability).toBeCloseTo(full.table.areas[k]!.probability!, 12));
  }, 120_000);
});

describe('scoreAreas: which weights and why, inputs and errors', () => {
  // Two seasons of fires in a small square: enough to score, too few to calibrate.
  const sq = (id: string, x: number) => ({ type: 'Feature' as const, properties: { id, name: `area ${id}` },
    geometry: { type: 'Polygon' as const, coordinates: [[[x, 18.6], [x + 0.3, 18.6], [x + 0.3, 18.9], [x, 18.9], [x, 18.6]]] } });
  const areas: FeatureCollection = { type: 'FeatureCollection', features: [sq('w', 98.7), sq('e', 99.1)] };
  const t = (y: number, hUtc = 6): number => Date.UTC(y, 2, 15, hUtc);
  const h = { length: 3, lng: Float64Array.from([98.8, 98.8, 99.2]), lat: Float64Array.from([18.7, 18.7, 18.7]), time: Float64Array.from([t(2022), t(2023), t(2023)]), frp: Float64Array.from([10, 20, 5]) };

  it('says why the defaults were used when calibration cannot run, and that given weights win', () => {
    const r = scoreAreas({ hotspots: h, areas }, { res: 7 });
    expect(r.weightsFrom).toBe('default');
    expect(r.calibrationError).toBe('calibration needs at least 3 seasons of history, got 2 (2022, 2023)');
    expect(r.weightsReason).toBe('default weights because calibration was not possible: calibration needs at least 3 seasons of history, got 2 (2022, 2023)');
    // Two seasons: the probability model is fitted on 2022→2023 (in sample), with no held-out season to validate on.
    expect(r.model!.trainedOn).toEqual(['2022→2023']);
    expect(r.validation).toBeNull();
    expect(r.validationNote).toBe('no held-out validation: it needs at least 3 seasons (one to hold out, two to fit on), got 2');
    expect(r.warnings).toContain(r.validationNote);
    expect(r.table.areas[0]!.id).toBe('w'); // burnt in both seasons
    const given = scoreAreas({ hotspots: h, areas }, { res: 7, weights: { hotspot_detections: 1, hotspot_frp: 0, repeat_burn: 0, hotspot_nearby: 0 } });
    expect([given.weightsFrom, given.weightsReason, given.calibration]).toEqual(['option', 'weights given in options (calibration of the score weights skipped)', null]);
    expect(given.weights['hotspot_detections']).toBe(1);
    // One season: nothing to fit on; default weights and percentile levels, said in the warnings.
    const one = scoreAreas({ hotspots: { ...h, length: 1, lng: h.lng.slice(0, 1), lat: h.lat.slice(0, 1), time: h.time.slice(0, 1), frp: h.frp.slice(0, 1) }, areas }, { res: 7 });
    expect([one.weightsFrom, one.levels, one.probability, one.model]).toEqual(['default', 'percentile', null, null]);
    expect(one.warnings.some((w) => w.startsWith('levels are percentile ranks of the score within this history, not chances of burning: the burn-probability model needs at least 2 seasons'))).toBe(true);
  });

  it('puts detections in local calendar years (utcOffset)', () => {
    // 31 Dec 2022 20:00 UTC is 1 Jan 2023 03:00 at +07:00 but still 2022 at −05:00.
    const edge = { ...h, time: Float64Array.from([t(2022), Date.UTC(2022, 11, 31, 20), t(2023)]) };
    expect(scoreAreas({ hotspots: edge, areas }, { res: 7 }).periods).toEqual([2022, 2023]);
    expect(scoreAreas({ hotspots: edge, areas }, { res: 7, utcOffset: -300 }).periods).toEqual([2022, 2023]);
    const only = { ...h, length: 1, lng: h.lng.slice(0, 1), lat: h.lat.slice(0, 1), frp: h.frp.slice(0, 1), time: Float64Array.from([Date.UTC(2022, 11, 31, 20)]) };
    expect(scoreAreas({ hotspots: only, areas }, { res: 7 }).periods).toEqual([2023]);
    expect(scoreAreas({ hotspots: only, areas }, { res: 7, utcOffset: '-05:00' }).periods).toEqual([2022]);
  });

  it('leaves non-polygon features out and reports them', () => {
    const withPoint = { type: 'FeatureCollection', features: [...areas.features, { type: 'Feature', properties: { id: 'p' }, geometry: { type: 'Point', coordinates: [99, 18.7] } }] } as FeatureCollection;
    const r = scoreAreas({ hotspots: h, areas: withPoint }, { res: 7 });
    expect(r.rejected.areas.map((x) => [x.row, x.code])).toEqual([[3, 'E_GEOMETRY']]);
    expect(r.table.areas.map((a) => a.id).sort()).toEqual(['e', 'w']);
  });

  it('throws E_INPUT / E_ARG with the reason', () => {
    const points = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [99, 18.7] } }] } as FeatureCollection;
    expect(() => scoreAreas({ hotspots: h, areas: points }, { res: 7 })).toThrow(expect.objectContaining({ code: 'E_INPUT' }));
    expect(() => scoreAreas({ hotspots: h, areas }, { res: 7, nameProperty: 'amp_en' })).toThrow(/no area has the property "amp_en" \(properties: id, name\)/);
    expect(() => scoreAreas({ hotspots: h, areas, facilities: 'facility_id,name,latitude,longitude\nf1,x,999,99\n' }, { res: 7 })).toThrow(/no usable facility row/);
    expect(() => scoreAreas({ hotspots: h, areas }, { res: 16 })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => scoreAreas({ hotspots: h, areas }, { utcOffset: '7h' })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => scoreAreas({ hotspots: h, areas }, { levels: 'rank' as 'percentile' })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => scoreAreas({ hotspots: h, areas }, { bands: [0.3, 0.2, 0.1] })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => scoreAreas({ hotspots: h, areas }, { calibrate: 'yes' as unknown as boolean })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
    expect(() => scoreAreas({ hotspots: h, areas: {} as FeatureCollection })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
