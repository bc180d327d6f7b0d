/**
 * Real data (docs/risk.md): FIRMS MODIS 24-h snapshots 2017, 2019, 2022, 2023 as history,
 * 2025 as the target, upper-northern Thai districts, GPPD combustion plants. Runs on the committed
 * fixture slices (test/fixtures/risk/SOURCES.md); the cross-check against the full shared files skips
 * cleanly when ../shared/data is absent. Prints the numbers reported in docs/risk.md.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { csvParse } from 'd3-dsv';
import type { FeatureCollection } from 'geojson';
import { readFirmsCsv } from '../../src/io/index.js';
import type { Hotspots } from '../../src/core/types.js';
import {
  auc,
  bootstrapAuc,
  burntCells,
  calibrateRisk,
  cellsInGeometry,
  scoreAreas,
  domainCells,
  facilityFactors,
  historyPeriods,
  hotspotHistoryFactors,
  rollupRisk,
  scoreRisk,
  type AucInterval,
} from '../../src/risk/index.js';
import { SHARED_DATA, needsSharedData } from '../shared-data.js';

const here = dirname(fileURLToPath(import.meta.url));
const fx = join(here, '../fixtures/risk');
const shared = SHARED_DATA;

const YEARS = [2017, 2019, 2022, 2023, 2025];
const RINGS = [0, 1, 2, 3, 5];
const fmt = (x: AucInterval | undefined): string => (x ? `${x.auc.toFixed(3)} [${x.lo.toFixed(3)}, ${x.hi.toFixed(3)}]` : '-');

const firms = readFirmsCsv(readFileSync(join(fx, 'firms_modis_upper_north.csv')));
const hs = firms.hotspots;
const allDistricts = JSON.parse(readFileSync(join(fx, 'th_upper_north_districts.geojson'), 'utf8')) as FeatureCollection;
// Districts grid can cover: when grid rejects self-intersecting polygons, the simplified 5704 Thoeng is left out (as
// scoreAreas leaves it out, with a rejection row).
const districts: FeatureCollection = {
  ...allDistricts,
  features: allDistricts.features.filter((f) => {
    try {
      cellsInGeometry(f.geometry, 6);
      return true;
    } catch {
      return false;
    }
  }),
};
const plants = csvParse(readFileSync(join(fx, 'gppd_upper_north.csv'), 'utf8')).filter((r) => ['Coal', 'Gas', 'Oil', 'Biomass'].includes(r.primary_fuel!));
const yearOf = (i: number): number => new Date(hs.time[i]!).getUTCFullYear();
const subset = (keep: (i: number) => boolean): Hotspots => {
  const idx = Array.from({ length: hs.length }, (_, i) => i).filter(keep);
  return {
    ...hs,
    length: idx.length,
    lng: Float64Array.from(idx, (i) => hs.lng[i]!),
    lat: Float64Array.from(idx, (i) => hs.lat[i]!),
    time: Float64Array.from(idx, (i) => hs.time[i]!),
    frp: Float64Array.from(idx, (i) => hs.frp[i]!),
  };
};

const cache = new Map<number, ReturnType<typeof evaluateUncached>>();
const evaluate = (res: number): ReturnType<typeof evaluateUncached> => {
  if (!cache.has(res)) cache.set(res, evaluateUncached(res));
  return cache.get(res)!;
};

function evaluateUncached(res: number) {
  const cells = domainCells(districts, res);
  const fac = facilityFactors(
    { lng: plants.map((r) => +r.longitude!), lat: plants.map((r) => +r.latitude!), weight: plants.map((r) => +r.capacity_mw!) },
    { cells, scaleKm: 30 },
  ).factors.facility_proximity;
  const periodsByRing = new Map(
    RINGS.map((ring) => [ring, historyPeriods(hs, { cells, periods: YEARS, extra: { facility_proximity: fac }, ...(ring > 0 ? { ring } : {}) })] as const),
  );
  // Choose the neighbourhood ring on the training periods only: fit on 2017→2019 and 2019→2022,
  // validate on 2022→2023. The 2025 target is never looked at while choosing.
  const inner = RINGS.map((ring) => {
    const c = calibrateRisk(periodsByRing.get(ring)!.slice(0, 3), { bootstrap: { replicates: 1, seed: 1 } });
    return { ring, validationAuc: c.holdout[0]!.calibrated.auc };
  });
  const chosen = inner.reduce((a, b) => (b.validationAuc > a.validationAuc ? b : a));
  // 1000 bootstrap replicates for the chosen ring, 200 for the others (shown for context only).
  const all = RINGS.map((ring) => ({
    ring,
    cal: calibrateRisk(periodsByRing.get(ring)!, { bootstrap: { replicates: ring === chosen.ring ? 1000 : 200, seed: 7 } }),
  }));
  const main = all.find((a) => a.ring === chosen.ring)!.cal;
  return { cells, fac, inner, chosen, all, main };
}

describe('real data: upper-northern Thailand, FIRMS 2017–2023 → 2025', () => {
  it('the fixture FIRMS slice reads without rejects and holds all five seasons', () => {
    expect(firms.rejected).toEqual([]);
    expect(hs.length).toBe(1910);
    expect(new Set(Array.from({ length: hs.length }, (_, i) => yearOf(i)))).toEqual(new Set(YEARS));
    expect(allDistricts.features).toHaveLength(112);
    expect(districts.features.length).toBeGreaterThanOrEqual(111);
  });

  // With the defaults: scoreAreas calibrates (rolling origin), holds out 2025, and reports the validation.
  for (const res of [6, 7]) {
    it(`with the defaults at res ${res}: held-out 2025 AUC, district AUC, lift and reliability`, () => {
      const r = scoreAreas(
        { hotspots: hs, areas: allDistricts as Parameters<typeof scoreAreas>[0]['areas'], facilities: { lng: plants.map((p) => +p.longitude!), lat: plants.map((p) => +p.latitude!), weight: plants.map((p) => +p.capacity_mw!), name: plants.map((p) => p.name!) } },
        { res, idProperty: 'amp_code', nameProperty: 'amp_en', seed: 7 },
      );
      const v = r.validation!;
      const a = v.areas!;
      console.log(
        [
          `defaults, res ${res}: ${v.cells} cells (${r.rejected.areas.length} district(s) rejected: ${r.rejected.areas.map((x) => x.message.slice(0, 60)).join('; ')}), ${v.positives} burnt in 2025; ${r.ringNote}`,
          `  weights ${r.weightsFrom}; model trained on ${r.model!.trainedOn.join(', ')}: intercept ${r.model!.intercept.toFixed(3)}, ${Object.entries(r.model!.coefficients).map(([k, b]) => `${k} ${b.toFixed(3)}`).join(', ')} (removed: ${r.model!.removed.join(', ') || 'none'})`,
          `  held-out 2025 (fit on ${v.fittedOn.join(', ')}): cell AUC ${fmt(v.auc)} | burnt-before ${fmt(v.baselineAuc)} | percentile score ${fmt(v.percentileAuc)}`,
          `  districts: AUC of expected burning cells ${fmt(a)} (${a.positives} of ${a.areas} burnt) | mean cell probability ${a.meanProbabilityAuc.toFixed(3)} | district size alone ${a.sizeOnlyAuc.toFixed(3)}`,
          `  lift: top ${v.lift.cells} cells (10 %) hold ${v.lift.detections} of ${v.lift.totalDetections} detections = ${(100 * v.lift.detectionsShare).toFixed(1)} %, ${v.lift.lift.toFixed(2)}× their area share`,
          `  reliability (predicted → observed, %): ${v.reliability.map((b) => `${(100 * b.predicted).toFixed(2)}→${(100 * b.observed).toFixed(1)} (${b.cells})`).join(', ')}`,
          `  levels: ${['low', 'moderate', 'high', 'very high'].map((l) => `${l} ${r.scores.level.filter((x) => x === l).length}`).join(', ')}; top districts: ${r.table.areas.slice(0, 5).map((x) => `${x.name} ${x.expectedCells!.toFixed(2)} cells (${(100 * x.probability!).toFixed(1)} %) ${x.level}`).join(', ')}`,
          `  #1 explained: ${r.table.areas[0]!.explanation}`,
        ].join('\n'),
      );
      expect(r.weightsFrom).toBe('calibrated');
      expect(r.levels).toBe('probability');
      expect(v.heldOut).toBe('2025');
      for (const x of [v.auc, v.baselineAuc, a]) {
        expect(x.lo).toBeLessThanOrEqual(x.auc);
        expect(x.hi).toBeGreaterThanOrEqual(x.auc);
      }
      // What docs/risk.md reports: better than chance and than "burnt before" on cells, a lift above 1.5× — and, honestly,
      // below the issue's 0.70 cell AUC and 3× lift targets on this snapshot history.
      expect(v.auc.lo).toBeGreaterThan(0.5);
      expect(v.auc.auc).toBeGreaterThan(v.baselineAuc.auc);
      expect(v.lift.lift).toBeGreaterThan(1.5);
      expect(a.auc).toBeGreaterThan(0.75);
    }, 120_000);
  }

  for (const res of [6, 7]) {
    it(`calibrates at res ${res} and reports held-out AUC beside the burnt-before baseline`, () => {
      const { cells, inner, chosen, all, main } = evaluate(res);
      const h = main.holdout[0]!;
      expect(h.label).toBe('2023→2025');
      expect(h.cells).toBe(cells.length);
      const burnt2023 = burntCells(subset((i) => yearOf(i) === 2023), cells);
      const last = bootstrapAuc([burnt2023], burntCells(subset((i) => yearOf(i) === 2025), cells), { replicates: 1000, seed: 7 }).scores[0]!;
      const lines = [
        `res ${res}: ${cells.length} cells, ${h.positives} burnt in the 2025 snapshot`,
        `ring chosen on 2022→2023 validation: ${chosen.ring} (${inner.map((x) => `${x.ring}:${x.validationAuc.toFixed(3)}`).join(' ')})`,
        `weights ${JSON.stringify(Object.fromEntries(Object.entries(main.weights).map(([k, v]) => [k, +v.toFixed(3)])))}`,
        `held-out AUC calibrated ${fmt(h.calibrated)} | burnt-before ${fmt(h.baseline)} | burnt-2023 ${fmt(last)} | default weights ${fmt(h.defaultWeights)} | calibrated − burnt-before ${fmt(h.difference)}`,
        ...all.map((a) => `  ring ${a.ring}: calibrated ${fmt(a.cal.holdout[0]!.calibrated)} default ${fmt(a.cal.holdout[0]!.defaultWeights)}`),
      ];
      console.log(lines.join('\n'));
      for (const x of [h.calibrated, h.baseline!, h.defaultWeights, last]) {
        expect(x.auc).toBeGreaterThanOrEqual(0);
        expect(x.auc).toBeLessThanOrEqual(1);
        expect(x.lo).toBeLessThanOrEqual(x.auc);
        expect(x.hi).toBeGreaterThanOrEqual(x.auc);
      }
      // The finding recorded in docs/risk.md: with a neighbourhood factor the calibrated score beats
      // "burnt before" on the held-out 2025 snapshot (paired bootstrap interval above 0). If data or method
      // change so this no longer holds, the note must change too.
      expect(chosen.ring).toBeGreaterThan(0);
      expect(h.difference!.lo).toBeGreaterThan(0);
      // The burnt-before baseline recomputed independently of historyPeriods: any 2017–2023 detection in the cell.
      const before = burntCells(subset((i) => yearOf(i) < 2025), cells);
      expect(auc(before, burntCells(subset((i) => yearOf(i) === 2025), cells))).toBeCloseTo(h.baseline!.auc, 12);
    });
  }

  it('ranks the northern districts on 2017–2023 history with the calibrated weights', () => {
    const { cells, fac, chosen, main } = evaluate(6);
    const hist = hotspotHistoryFactors(subset((i) => yearOf(i) < 2025), { cells, periods: YEARS.slice(0, 4), ...(chosen.ring > 0 ? { ring: chosen.ring } : {}) });
    const factors: Record<string, Float64Array> = { ...(hist.factors as Record<string, Float64Array>), facility_proximity: fac };
    const scores = scoreRisk({ cells, factors }, { weights: main.weights });
    const table = rollupRisk(scores, districts, { idProperty: 'amp_code', nameProperty: 'amp_en' });
    expect(table.areas.length + table.unscored.length).toBe(districts.features.length);
    for (const a of table.areas) expect(Object.values(a.contributions).reduce((s, v) => s + v, 0)).toBeCloseTo(a.meanScore, 9);
    // District-level skill: did districts with 2025 detections rank higher? (AUC over districts)
    const burnt25 = new Set<string>();
    const target = subset((i) => yearOf(i) === 2025);
    const b = burntCells(target, cells);
    const byDistrict = rollupRisk({ cells, score: b, contributions: {} }, districts, { idProperty: 'amp_code' });
    for (const a of byDistrict.areas) if (a.maxScore > 0) burnt25.add(a.id);
    const dAuc = auc(
      table.areas.map((a) => a.meanScore),
      table.areas.map((a) => (burnt25.has(a.id) ? 1 : 0)),
    );
    console.log(
      [
        `top 10 upper-northern districts (res 6, weights calibrated on 2017–2023):`,
        ...table.areas.slice(0, 10).map((a) => `  ${a.rank}. ${a.name} (${a.id}) mean ${a.meanScore.toFixed(1)} max ${a.maxScore.toFixed(1)} ${a.level}; top ${a.topFactors.map((t) => t.factor).join(', ')}`),
        `district-level AUC (mean score vs any 2025 detection): ${dAuc.toFixed(3)}; ${burnt25.size} of ${table.areas.length} districts burnt in the 2025 snapshot`,
      ].join('\n'),
    );
    expect(dAuc).toBeGreaterThan(0);
    expect(table.toCsv().split('\n')[1]!.startsWith('1,')).toBe(true);
  });

  it.skipIf(!needsSharedData('test/risk/realdata.test.ts "the fixture slices match the full shared files"'))('the fixture slices match the full shared files', () => {
    const full = readFirmsCsv(readFileSync(join(shared!, 'firms_modis_c6_nrt_24h_snapshots_SEA.csv'))).hotspots;
    let n = 0;
    for (let i = 0; i < full.length; i++) {
      const x = full.lng[i]!;
      const y = full.lat[i]!;
      if (x >= 97.2 && x <= 101.5 && y >= 17.1 && y <= 20.6) n++;
    }
    expect(n).toBe(hs.length);
    // The simplified districts cover (nearly) the same res-6 cells as the full-resolution ones.
    const fullD = JSON.parse(readFileSync(join(shared!, 'th_districts_2020.geojson'), 'utf8')) as FeatureCollection;
    const kept = new Set(districts.features.map((f) => String(f.properties!['amp_code'])));
    const north = { ...fullD, features: fullD.features.filter((f) => f.properties!.reg_nesdb === 'UpperNorth' && kept.has(String(f.properties!['amp_code']))) };
    const a = new Set(domainCells(north, 6));
    const b = domainCells(districts, 6);
    const common = b.filter((c) => a.has(c)).length;
    expect(common / Math.max(a.size, b.length)).toBeGreaterThan(0.99);
  });
});
