/** `hazetrace risk`: burning-risk score per H3 cell from the hotspot history (and facilities), ranked by area. */
import type { Hotspots } from '../../core/index.js';
import type { FeatureCollection } from '../../io/index.js';
import { buildRiskFactors, calibrateRisk, historyPeriods, riskToGeoJson, rollupRisk, scoreRisk, type AreaRiskTable, type CalibrationResult, type RiskScores } from '../../risk/index.js';
import type { CommandSpec } from '../context.js';
import { inputError, usageError, withInput } from '../errors.js';
import { OutDir, numberOption, optionalOption, requireOption } from '../files.js';
import { describeRejected, loadFacilities, loadHotspots, loadPolygons, type InputNote } from '../inputs.js';

export interface RiskChainInput {
  hotspots: Hotspots;
  areas: FeatureCollection;
  res: number;
  facilities?: { lng: ArrayLike<number>; lat: ArrayLike<number>; weight: ArrayLike<number> };
  weights?: Record<string, number>;
  calibrate: boolean;
  idProperty: string;
  nameProperty: string;
  /** Local offset (minutes) used to put each detection in its burning-season year. */
  utcOffsetMinutes: number;
  seed: number;
}

export interface RiskChainResult {
  scores: RiskScores;
  table: AreaRiskTable;
  calibration: CalibrationResult | null;
  usedCalibrated: boolean;
  periods: number[];
  calibrationError?: string;
}

/**
 * Factors from the multi-year history over the areas' cells, optional calibration of the weights on
 * the history itself (rolling origin: each season predicted from the ones before), score and roll-up.
 */
export function runRiskChain(o: RiskChainInput): RiskChainResult {
  const h = o.hotspots;
  const period = Array.from({ length: h.length }, (_, i) => new Date((h.time[i] as number) + o.utcOffsetMinutes * 60_000).getUTCFullYear());
  const periods = [...new Set(period)].sort((a, b) => a - b);
  const set = buildRiskFactors({
    domain: o.areas,
    res: o.res,
    hotspotHistory: { hotspots: h, period, periods, ring: 1 },
    ...(o.facilities ? { facilities: { points: o.facilities } } : {}),
  });
  let calibration: CalibrationResult | null = null;
  let calibrationError: string | undefined;
  if (o.calibrate && !o.weights) {
    if (periods.length < 3) {
      calibrationError = `calibration needs at least 3 seasons of history, got ${periods.length} (${periods.join(', ')})`;
    } else {
      try {
        const extra = set.factors['facility_proximity'] ? { facility_proximity: set.factors['facility_proximity'] } : undefined;
        const ps = historyPeriods(h, { cells: set.cells, periods, period, ring: 1, ...(extra ? { extra } : {}) });
        calibration = calibrateRisk(ps, { bootstrap: { seed: o.seed } });
      } catch (e) {
        calibrationError = e instanceof Error ? e.message : String(e);
      }
    }
  }
  const usedCalibrated = calibration !== null && Object.values(calibration.weights).some((w) => w > 0);
  const weights = o.weights ?? (usedCalibrated && calibration ? calibration.weights : undefined);
  const scores = scoreRisk(set, weights ? { weights } : {});
  const table = rollupRisk(scores, o.areas, { idProperty: o.idProperty, nameProperty: o.nameProperty });
  return { scores, table, calibration, usedCalibrated, periods, ...(calibrationError ? { calibrationError } : {}) };
}

function parseWeights(s: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of s.split(',')) {
    const m = /^\s*([A-Za-z0-9_]+)\s*=\s*([0-9.eE+-]+)\s*$/.exec(part);
    const w = m ? Number(m[2]) : NaN;
    if (!m || !Number.isFinite(w) || w < 0) throw usageError(`--weights must be like "repeat_burn=3,hotspot_detections=2", got ${JSON.stringify(part)}`, '--weights');
    out[m[1] as string] = w;
  }
  return out;
}

export const riskCommand: CommandSpec = {
  name: 'risk',
  summary: 'score burning risk per H3 cell from the hotspot history and rank areas (districts)',
  usage: 'hazetrace risk --hotspots FIRMS.csv --areas AREAS.geojson [--facilities FACILITIES.csv] [--res 6] [--calibrate] [--out DIR] [--json]',
  details:
    'Factors per cell (percentile-normalised): detections per season, FRP, repeat-burn frequency (seasons\n' +
    'burnt / seasons observed), detections in the neighbouring cells, and proximity to facilities (capacity ×\n' +
    'fuel factor). Seasons are the local calendar years of the detections. Weights: the defaults, --weights,\n' +
    'or with --calibrate a logistic fit of "burnt in season k" on the factors of seasons before k (held-out AUC\n' +
    'reported). Areas are ranked by their area-weighted mean score.\n' +
    'Files in --out: risk_cells.geojson, areas_ranked.csv, risk.json.\n' +
    'JSON on stdout: { res, cells, weights, areas: [{ rank, id, name, meanScore, maxScore, level, topFactors }], calibration, warnings }.',
  options: {
    hotspots: { type: 'string', help: 'multi-year FIRMS hotspots (CSV or GeoJSON)' },
    areas: { type: 'string', help: 'polygons to score and rank (e.g. districts), GeoJSON' },
    facilities: { type: 'string', help: 'facilities CSV (GPPD-style columns)' },
    res: { type: 'string', default: '6', help: 'H3 resolution of the risk cells' },
    'id-property': { type: 'string', default: 'id', help: 'area id property (falls back to the feature index)' },
    'name-property': { type: 'string', default: 'name', help: 'area name property' },
    weights: { type: 'string', help: 'factor weights, e.g. "repeat_burn=3,hotspot_detections=2"' },
    calibrate: { type: 'boolean', default: false, help: 'fit the weights on the history (needs ≥ 3 seasons)' },
    top: { type: 'string', default: '20', help: 'areas listed in the summary / JSON' },
    seed: { type: 'string', default: '1', help: 'seed of the bootstrap AUC intervals' },
  },
  examples: [
    'hazetrace risk --hotspots data/firms_modis_th_region.csv --areas data/th_districts_north_simplified.geojson \\\n      --id-property amp_code --name-property amp_en --facilities data/facilities_gppd_region.csv --calibrate --out out/risk',
  ],
  async run(ctx) {
    const v = ctx.values;
    const hotspotsPath = requireOption(v, 'hotspots', 'FIRMS hotspots');
    const areasPath = requireOption(v, 'areas', 'area polygons');
    const res = numberOption(v, 'res', 6, { integer: true, min: 0, max: 12 });
    const top = numberOption(v, 'top', 20, { integer: true, min: 1 });
    const seed = numberOption(v, 'seed', 1, { integer: true });
    const weightsArg = optionalOption(v, 'weights');
    const notes: InputNote[] = [];
    ctx.progress.stage('reading inputs');
    const { hotspots, note } = await loadHotspots('hotspots', hotspotsPath, ctx.cwd);
    const { fc: areas, note: an } = await loadPolygons('areas', areasPath, ctx.cwd);
    notes.push(note, an);
    let facilities: RiskChainInput['facilities'];
    const facPath = optionalOption(v, 'facilities');
    if (facPath) {
      const f = await loadFacilities('facilities', facPath, ctx.cwd, {});
      notes.push(f.note);
      facilities = { lng: f.layer.lng, lat: f.layer.lat, weight: f.layer.weight };
    }
    const idProperty = String(v['id-property'] ?? 'id');
    const nameProperty = String(v['name-property'] ?? 'name');
    if (!areas.features.some((f) => f.properties?.[nameProperty] !== undefined)) {
      throw inputError(`no area has the property "${nameProperty}"`, `--areas ${areasPath}`, `pass --name-property with one of: ${Object.keys(areas.features[0]?.properties ?? {}).join(', ')}`);
    }
    ctx.progress.stage('scoring');
    const r = await withInput(`--areas ${areasPath}`, () =>
      runRiskChain({
        hotspots,
        areas,
        res,
        ...(facilities ? { facilities } : {}),
        ...(weightsArg ? { weights: parseWeights(weightsArg) } : {}),
        calibrate: v['calibrate'] === true,
        idProperty,
        nameProperty,
        utcOffsetMinutes: 420,
        seed,
      }),
    );
    ctx.progress.done();
    const out = new OutDir(v, ctx.cwd);
    out.write('risk_cells.geojson', JSON.stringify(riskToGeoJson(r.scores)));
    out.write('areas_ranked.csv', r.table.toCsv());
    const json = {
      res,
      cells: r.scores.cells.length,
      seasons: r.periods,
      weights: r.scores.weights,
      weightsFrom: weightsArg ? 'option' : r.usedCalibrated ? 'calibrated' : 'default',
      areas: r.table.areas.slice(0, top).map((a) => ({ rank: a.rank, id: a.id, name: a.name, meanScore: a.meanScore, maxScore: a.maxScore, level: a.level, topFactors: a.topFactors })),
      unscored: r.table.unscored.length,
      calibration: r.calibration ? r.calibration.toJSON() : null,
      warnings: [...r.scores.warnings, ...(r.calibrationError ? [`calibration: ${r.calibrationError}`] : [])],
    };
    out.write('risk.json', JSON.stringify({ ...json, areas: r.table.toJSON() }, null, 1));
    if (ctx.json) {
      ctx.streams.stdout.write(JSON.stringify(json) + '\n');
      return;
    }
    const hold = r.calibration?.holdout[0];
    const lines = [
      `${r.scores.cells.length} cells at res ${res} over ${areas.features.length} areas; seasons ${r.periods.join(', ')}; weights ${json.weightsFrom}: ${Object.entries(r.scores.weights).map(([k, w]) => `${k} ${w.toFixed(2)}`).join(', ')}`,
      ...notes.map((n) => '  input ' + describeRejected(n)),
      ...(hold ? [`calibration: held-out ${hold.label} AUC ${hold.calibrated.auc.toFixed(2)} [${hold.calibrated.lo.toFixed(2)}, ${hold.calibrated.hi.toFixed(2)}], default weights ${hold.defaultWeights.auc.toFixed(2)}`] : []),
      ...(r.calibrationError ? [`calibration skipped: ${r.calibrationError}`] : []),
      '',
      ...r.table.areas.slice(0, top).map((a) => `${String(a.rank).padStart(3)}. ${a.name.padEnd(24)} ${a.meanScore.toFixed(1).padStart(5)}  ${a.level.padEnd(9)}  ${a.topFactors.map((f) => f.factor).join(', ')}`),
    ];
    if (out.written.length) lines.push('', `wrote ${out.written.join(', ')}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};
