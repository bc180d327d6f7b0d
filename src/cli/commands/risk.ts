/** `hazetrace risk`: burning-risk score per H3 cell from the hotspot history (and facilities), ranked by area. Reads, calls `scoreAreas`, writes, prints. */
import { riskToGeoJson, scoreAreas } from '../../risk/index.js';
import type { CommandSpec } from '../context.js';
import { usageError, withInput } from '../errors.js';
import { OutDir, numberOption, optionalOption, requireOption } from '../options.js';
import { describeRejected, loadFacilities, loadHotspots, loadPolygons, type InputNote } from '../inputs.js';


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
    'The library call is scoreAreas (hazetrace/risk).\n' +
    'JSON on stdout: { res, cells, seasons, weights, weightsFrom, weightsReason, areas: [{ rank, id, name, meanScore, maxScore,\n' +
    'level, topFactors }], unscored, calibration, warnings }.',
  options: {
    hotspots: { type: 'string', help: 'multi-year FIRMS hotspots (CSV or GeoJSON)' },
    areas: { type: 'string', help: 'polygons to score and rank (e.g. districts), GeoJSON' },
    facilities: { type: 'string', help: 'facilities CSV (GPPD-style columns)' },
    res: { type: 'string', default: '6', help: 'H3 resolution of the risk cells' },
    'id-property': { type: 'string', default: 'id', help: 'area id property (falls back to the feature index)' },
    'name-property': { type: 'string', help: 'area name property (default: the first of name, NAME, name_en, ... the areas have)' },
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
    let facilities: { lng: ArrayLike<number>; lat: ArrayLike<number>; weight: ArrayLike<number> } | undefined;
    const facPath = optionalOption(v, 'facilities');
    if (facPath) {
      const f = await loadFacilities('facilities', facPath, ctx.cwd, {});
      notes.push(f.note);
      facilities = { lng: f.layer.lng, lat: f.layer.lat, weight: f.layer.weight };
    }
    ctx.progress.stage('scoring');
    const r = await withInput(
      `--areas ${areasPath}`,
      () =>
        scoreAreas(
          { hotspots, areas, ...(facilities ? { facilities } : {}) },
          {
            res,
            ...(weightsArg ? { weights: parseWeights(weightsArg) } : {}),
            calibrate: v['calibrate'] === true,
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
    out.write('risk_cells.geojson', JSON.stringify(riskToGeoJson(r.scores)));
    out.write('areas_ranked.csv', r.table.toCsv());
    const json = {
      res,
      cells: r.scores.cells.length,
      seasons: r.periods,
      weights: r.weights,
      weightsFrom: r.weightsFrom,
      weightsReason: r.weightsReason,
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
      `weights: ${r.weightsReason}`,
      '',
      ...r.table.areas.slice(0, top).map((a) => `${String(a.rank).padStart(3)}. ${a.name.padEnd(24)} ${a.meanScore.toFixed(1).padStart(5)}  ${a.level.padEnd(9)}  ${a.topFactors.map((f) => f.factor).join(', ')}`),
    ];
    if (out.written.length) lines.push('', `wrote ${out.written.join(', ')}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};
