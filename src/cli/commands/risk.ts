/** `hazetrace risk`: burning-risk score per H3 cell from the hotspot history (and facilities), ranked by area. Reads, calls `scoreAreas`, writes, prints. */
import { riskToGeoJson, scoreAreas } from '../../risk/index.js';
import type { CommandSpec } from '../context.js';
import { usageError, withInput } from '../errors.js';
import { OutDir, numberOption, optionalOption, requireOption } from '../options.js';
import { describeRejected, loadFacilities, loadHotspots, loadPolygons, noteJson, type InputNote } from '../inputs.js';
import { jsonChunks } from '../json-stream.js';
import { areaCellEstimate, checkCellBudget } from '../budget.js';
import { featuresAreaM2 } from '../../grid/index.js';

/** Default `--max-cells`: 1 M cells (res 8 over the northern districts) score in minutes; res 9 (~1.8 M) ran for over 30 min on 2 busy cores (docs/cli.md), so it is refused unless raised. */
const RISK_MAX_CELLS = 1_000_000;
import { factorLayers } from '../../risk/index.js';
import { RISK_LAYER_OPTIONS, loadRiskLayers } from '../risk-layers.js';


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
  usage: 'hazetrace risk --hotspots FIRMS.csv --areas AREAS.geojson [--facilities FACILITIES.csv] [--res 6] [--levels probability|percentile] [--default-weights] [--out DIR] [--json]',
  details:
    'Factors per cell: detections per season, FRP, repeat-burn frequency (seasons burnt / seasons observed),\n' +
    'detections within a ring of cells, and proximity to facilities (capacity × fuel factor). Seasons are the\n' +
    'local calendar years of the detections. Calibrated by default (>= 2 seasons): a logistic model of "burnt in\n' +
    'season k" on the seasons before k gives each cell its chance of burning next season; levels are bands of\n' +
    'that chance, areas are ranked by their expected burning cells; with >= 3 seasons the last one is held out\n' +
    '(AUC with bootstrap interval, reliability curve, top-10 % lift). --default-weights: the documented default\n' +
    'weights and percentile levels instead. Every cell and area is explained in words with values.\n' +
    'Files in --out: risk_cells.geojson, areas_ranked.csv, risk.json.\n' +
    'The library call is scoreAreas (hazetrace/risk).\n' +
    'JSON on stdout: { res, cells, seasons, weights, weightsFrom, weightsReason, levels, bands, ring, ringNote, model, validation,\n' +
    'validationNote, areas: [{ rank, id, name, meanScore, maxScore, level, topFactors, probability, expectedCells,\n' +
    'explanation }], unscored, calibration, warnings, inputs, rejectedAreas }.',
  options: {
    hotspots: { type: 'string', help: 'multi-year FIRMS hotspots (CSV or GeoJSON)' },
    areas: { type: 'string', help: 'polygons to score and rank (e.g. districts), GeoJSON' },
    facilities: { type: 'string', help: 'facilities CSV (GPPD-style columns)' },
    res: { type: 'string', default: '6', help: 'H3 resolution of the risk cells' },
    'id-property': { type: 'string', default: 'id', help: 'area id property (falls back to the feature index)' },
    'name-property': { type: 'string', help: 'area name property (default: the first of name, NAME, name_en, ... the areas have)' },
    weights: { type: 'string', help: 'factor weights, e.g. "repeat_burn=3,hotspot_detections=2"' },
    calibrate: { type: 'boolean', default: false, help: 'kept for compatibility: calibration is the default (needs ≥ 2 seasons; ≥ 3 for a held-out validation)' },
    'default-weights': { type: 'boolean', default: false, help: 'skip calibration: documented default weights, percentile levels (a fallback, not a prediction)' },
    levels: { type: 'string', help: 'probability (default when calibrated: bands of the chance of burning next season) or percentile (25/50/75 of the score)' },
    top: { type: 'string', default: '20', help: 'areas listed in the summary / JSON' },
    seed: { type: 'string', default: '1', help: 'seed of the bootstrap AUC intervals' },
    'max-cells': { type: 'string', default: String(RISK_MAX_CELLS), help: 'refuse (E_BUDGET, exit 2) before scoring when the areas would cover more H3 cells than this at --res' },
    ...RISK_LAYER_OPTIONS,
  },
  examples: [
    'hazetrace risk --hotspots data/firms_modis_th_region.csv --areas data/th_districts_north_simplified.geojson \\\n      --id-property amp_code --name-property amp_en --facilities data/facilities_gppd_region.csv --out out/risk',
  ],
  async run(ctx) {
    const v = ctx.values;
    const hotspotsPath = requireOption(v, 'hotspots', 'FIRMS hotspots');
    const areasPath = requireOption(v, 'areas', 'area polygons');
    const res = numberOption(v, 'res', 6, { integer: true, min: 0, max: 12 });
    const top = numberOption(v, 'top', 20, { integer: true, min: 1 });
    const seed = numberOption(v, 'seed', 1, { integer: true });
    const weightsArg = optionalOption(v, 'weights');
    const levelsArg = optionalOption(v, 'levels');
    if (levelsArg !== undefined && levelsArg !== 'probability' && levelsArg !== 'percentile') throw usageError(`--levels must be probability or percentile, got ${JSON.stringify(levelsArg)}`, '--levels');
    const notes: InputNote[] = [];
    ctx.progress.stage('reading inputs');
    const { hotspots, note } = await loadHotspots('hotspots', hotspotsPath, ctx.cwd);
    const { fc: areas, note: an } = await loadPolygons('areas', areasPath, ctx.cwd);
    checkCellBudget(`${areas.features.length} areas`, areaCellEstimate(featuresAreaM2(areas.features)), res, numberOption(v, 'max-cells', RISK_MAX_CELLS, { integer: true, min: 1 }));
    notes.push(note, an);
    let facilities: { lng: ArrayLike<number>; lat: ArrayLike<number>; weight: ArrayLike<number>; name?: string[] } | undefined;
    const facPath = optionalOption(v, 'facilities');
    if (facPath) {
      const f = await loadFacilities('facilities', facPath, ctx.cwd, {});
      notes.push(f.note);
      const names = f.layer.extra?.['name'];
      facilities = { lng: f.layer.lng, lat: f.layer.lat, weight: f.layer.weight, ...(names ? { name: names } : {}) };
    }
    const layers = await loadRiskLayers(v, ctx.cwd, notes);
    ctx.progress.stage('scoring');
    const r = await withInput(
      `--areas ${areasPath}`,
      () =>
        scoreAreas(
          { hotspots, areas, ...(facilities ? { facilities } : {}), ...(layers.length ? { extraFactors: factorLayers(layers) } : {}) },
          {
            res,
            ...(weightsArg ? { weights: parseWeights(weightsArg) } : {}),
            calibrate: v['default-weights'] !== true,
            ...(levelsArg ? { levels: levelsArg as 'probability' | 'percentile' } : {}),
            idProperty: String(v['id-property'] ?? 'id'),
            ...(typeof v['name-property'] === 'string' ? { nameProperty: v['name-property'] } : {}),
            utcOffset: '+07:00',
            seed,
          },
        ),
      'check the areas file (Polygon/MultiPolygon features in WGS84) and --id-property / --name-property',
    );
    ctx.progress.done();
    const out = new OutDir(v, ctx.cwd);
    out.writeChunks('risk_cells.geojson', () => jsonChunks(riskToGeoJson(r.scores, { explanations: r.explanations, ...(r.probability ? { probability: r.probability } : {}) })));
    out.write('areas_ranked.csv', () => r.table.toCsv());
    const json = {
      res,
      cells: r.scores.cells.length,
      seasons: r.periods,
      weights: r.weights,
      weightsFrom: r.weightsFrom,
      weightsReason: r.weightsReason,
      levels: r.levels,
      bands: r.bands,
      ring: r.ring,
      ringNote: r.ringNote,
      model: r.model,
      validation: r.validation,
      validationNote: r.validationNote,
      areas: r.table.areas.slice(0, top).map((a) => ({
        rank: a.rank, id: a.id, name: a.name, meanScore: a.meanScore, maxScore: a.maxScore, level: a.level, topFactors: a.topFactors,
        ...(a.probability !== undefined ? { probability: a.probability, expectedCells: a.expectedCells } : {}),
        explanation: a.explanation,
      })),
      unscored: r.table.unscored.length,
      calibration: r.calibration ? r.calibration.toJSON() : null,
      warnings: [...r.warnings, ...r.scores.warnings, ...(r.calibrationError ? [`calibration: ${r.calibrationError}`] : [])],
      inputs: notes.map((n) => noteJson(n)),
      rejectedAreas: r.rejected.areas,
    };
    out.writeChunks('risk.json', () => jsonChunks({ ...json, areas: r.table.toJSON() }));
    if (ctx.json) {
      ctx.streams.stdout.write(JSON.stringify(json) + '\n');
      return;
    }
    const hold = r.calibration?.holdout[0];
    const val = r.validation;
    const ci = (x: { auc: number; lo: number; hi: number }): string => `${x.auc.toFixed(2)} [${x.lo.toFixed(2)}, ${x.hi.toFixed(2)}]`;
    const valLines = val
      ? [
          `validation (fit on ${val.fittedOn.join(', ')}, predict ${val.heldOut}): cell AUC ${ci(val.auc)} (burnt before: ${val.baselineAuc.auc.toFixed(2)})` +
            (val.areas ? `; area AUC ${ci(val.areas)} (area size alone: ${val.areas.sizeOnlyAuc.toFixed(2)})` : '') + `; ${val.replicates} bootstrap replicates, seed ${val.seed}`,
          `lift: the top ${(100 * val.lift.topShare).toFixed(0)} % of cells (${val.lift.cells}) held ${(100 * val.lift.detectionsShare).toFixed(0)} % of the ${val.heldOut} detections (${val.lift.detections} of ${val.lift.totalDetections}), ${val.lift.lift.toFixed(1)}× their area share`,
          `reliability (predicted → observed burnt share, by decile): ${val.reliability.map((b) => `${(100 * b.predicted).toFixed(1)}→${(100 * b.observed).toFixed(1)} %`).join(', ')}`,
        ]
      : [`validation: ${r.validationNote}`];
    const lines = [
      `${r.scores.cells.length} cells at res ${res} over ${areas.features.length} areas; seasons ${r.periods.join(', ')}; weights ${json.weightsFrom}: ${Object.entries(r.scores.weights).map(([k, w]) => `${k} ${w.toFixed(2)}`).join(', ')}`,
      ...notes.map((n) => '  input ' + describeRejected(n)),
      ...r.rejected.areas.map((x) => `  area left out: ${x.message}`),
      ...(hold ? [`calibration: held-out ${hold.label} AUC ${hold.calibrated.auc.toFixed(2)} [${hold.calibrated.lo.toFixed(2)}, ${hold.calibrated.hi.toFixed(2)}], default weights ${hold.defaultWeights.auc.toFixed(2)}`] : []),
      `weights: ${r.weightsReason}`,
      `levels: ${r.levels === 'probability' ? `chance of a detection next season, low < ${r.bands[0]} ≤ moderate < ${r.bands[1]} ≤ high < ${r.bands[2]} ≤ very high` : 'percentile score 25/50/75 (a rank within this history, not a chance)'}; ${r.ringNote}`,
      ...valLines,
      ...r.warnings.map((w) => `warning: ${w}`),
      '',
      ...r.table.areas
        .slice(0, top)
        .map((a) => `${String(a.rank).padStart(3)}. ${a.name.padEnd(24)} ${a.expectedCells !== undefined ? a.expectedCells.toFixed(1).padStart(5) : a.meanScore.toFixed(1).padStart(5)}  ${a.level.padEnd(9)}  ${a.explanation || a.topFactors.map((f) => f.factor).join(', ')}`),
    ];
    if (out.written.length) lines.push('', `wrote ${out.written.join(', ')}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};
