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
import { buildRiskFactors, calibrateRisk, historyPeriods, rollupRisk, scoreAreas, scoreRisk, type ScoreAreasResult } from '../../src/risk/index.js';
import { cli } from '../run-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const D = (f: string): string => join(ROOT, 'data', f);
const { hotspots } = readFirmsCsv(readFileSync(D('firms_modis_th_region.csv'), 'utf8'));
const districts = JSON.parse(readFileSync(D('th_districts_north_simplified.geojson'), 'utf8')) as FeatureCollection;
const facilitiesCsv = readFileSync(D('facilities_gppd_region.csv'), 'utf8');
const fac = facilitySources(facilitiesCsv).layer;
const facPoints = { lng: fac.lng, lat: fac.lat, weight: fac.weight };
const AREA = { idProperty: 'amp_code', nameProperty: 'amp_en' };

/** The chain as src/cli/commands/risk.ts ran it before scoreAreas (commit 711dfb4), step by step. */
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
  return { scores, table: rollupRisk(scores, districts, AREA), calibration, used, periods };
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


describe('scoreAreas on the embedded sample (data/)', () => {
  const calibrated = scoreAreas({ hotspots, areas: districts, facilities: facPoints }, { res: 6, calibrate: true, ...AREA, utcOffset: '+07:00', seed: 1 });

  it('equals the previous chain with facilities and calibration (the demo and `risk --calibrate` setting)', () => {
    expectSame(calibrated, previousChain(hotspots, true, facPoints));
    expect(calibrated.weightsFrom).toBe('calibrated');
    expect(calibrated.weightsReason).toMatch(/^calibrated on .*held-out .* AUC \d\.\d\d \(default weights \d\.\d\d\)$/);
    expect(calibrated.facilities).toBe(fac.length);
    expect(calibrated.table.areas.length).toBeGreaterThan(100);
  });

  it('equals the previous chain with the default weights and no facilities', () => {
    const r = scoreAreas({ hotspots, areas: districts }, { ...AREA });
    expectSame(r, previousChain(hotspots, false));
    expect([r.weightsFrom, r.weightsReason]).toEqual(['default', 'default weights (calibration not requested)']);
    expect(Object.keys(r.weights)).not.toContain('facility_proximity');
  });

  it('takes facilities as CSV text (same numbers as the parsed points) and areas as a readGeoJsonLayer result', () => {
    const layer = readGeoJsonLayer(readFileSync(D('th_districts_north_simplified.geojson'), 'utf8'));
    const r = scoreAreas({ hotspots, areas: layer, facilities: facilitiesCsv }, { calibrate: true, ...AREA });
    expect(Array.from(r.scores.score)).toEqual(Array.from(calibrated.scores.score));
    expect(r.table.areas.map((a) => a.meanScore)).toEqual(calibrated.table.areas.map((a) => a.meanScore));
    expect(r.rejected.facilities).toEqual(facilitySources(facilitiesCsv).rejected);
  });

  it('`risk --json` prints what scoreAreas returns', async () => {
    const c = await cli(['risk', '--hotspots', D('firms_modis_th_region.csv'), '--areas', D('th_districts_north_simplified.geojson'), '--id-property', 'amp_code',
      '--name-property', 'amp_en', '--facilities', D('facilities_gppd_region.csv'), '--calibrate', '--top', '1000', '--json']);
    expect(c.code, c.stderr).toBe(0);
    const j = JSON.parse(c.stdout) as Record<string, unknown> & { areas: { id: string; rank: number; meanScore: number; maxScore: number; level: string }[] };
    expect(j['cells']).toBe(calibrated.scores.cells.length);
    expect(j['seasons']).toEqual(calibrated.periods);
    expect(j['weights']).toEqual(calibrated.weights);
    expect(j['weightsFrom']).toBe('calibrated');
    expect(j['weightsReason']).toBe(calibrated.weightsReason);
    expect(j['calibration']).toEqual(JSON.parse(JSON.stringify(calibrated.calibration!.toJSON())));
    expect(j.areas.map((a) => [a.id, a.rank, a.meanScore, a.maxScore, a.level])).toEqual(calibrated.table.areas.map((a) => [a.id, a.rank, a.meanScore, a.maxScore, a.level]));
  }, 60_000);
});

describe('scoreAreas: which weights and why, inputs and errors', () => {
  // Two seasons of fires in a small square: enough to score, too few to calibrate.
  const sq = (id: string, x: number) => ({ type: 'Feature' as const, properties: { id, name: `area ${id}` },
    geometry: { type: 'Polygon' as const, coordinates: [[[x, 18.6], [x + 0.3, 18.6], [x + 0.3, 18.9], [x, 18.9], [x, 18.6]]] } });
  const areas: FeatureCollection = { type: 'FeatureCollection', features: [sq('w', 98.7), sq('e', 99.1)] };
  const t = (y: number, hUtc = 6): number => Date.UTC(y, 2, 15, hUtc);
  const h = { length: 3, lng: Float64Array.from([98.8, 98.8, 99.2]), lat: Float64Array.from([18.7, 18.7, 18.7]), time: Float64Array.from([t(2022), t(2023), t(2023)]), frp: Float64Array.from([10, 20, 5]) };

  it('says why the defaults were used when calibration cannot run, and that given weights win', () => {
    const r = scoreAreas({ hotspots: h, areas }, { res: 7, calibrate: true });
    expect(r.weightsFrom).toBe('default');
    expect(r.calibrationError).toBe('calibration needs at least 3 seasons of history, got 2 (2022, 2023)');
    expect(r.weightsReason).toBe('default weights because calibration was not possible: calibration needs at least 3 seasons of history, got 2 (2022, 2023)');
    expect(r.table.areas[0]!.id).toBe('w'); // burnt in both seasons
    const given = scoreAreas({ hotspots: h, areas }, { res: 7, calibrate: true, weights: { hotspot_detections: 1, hotspot_frp: 0, repeat_burn: 0, hotspot_nearby: 0 } });
    expect([given.weightsFrom, given.weightsReason, given.calibration]).toEqual(['option', 'weights given in options (calibrate ignored)', null]);
    expect(given.weights['hotspot_detections']).toBe(1);
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
    expect(() => scoreAreas({ hotspots: h, areas: {} as FeatureCollection })).toThrow(expect.objectContaining({ code: 'E_ARG' }));
  });
});
