/**
 * The whole area-risk chain in one call: factors from a multi-year hotspot history (and optional
 * facilities) over the areas' H3 cells, optional weight calibration on that history, the 0–100 score
 * per cell, and the ranking of the areas. The CLI's `risk` command and the demo call this.
 */
import { HazetraceError, argError, checkInt, showValue } from '../core/errors.js';
import { parseUtcOffset } from '../core/time.js';
import type { Hotspots, RejectedRow } from '../core/types.js';
import type { FeatureCollection, GeoJsonLayerResult } from '../io/index.js';
import type { Geometry } from 'geojson';
import { facilitySources } from '../attribution/index.js';
import { latLngToCell } from 'h3-js';
import { rollupCells, rollupRisk, type AreaRiskTable } from './areas.js';
import { auc, bootstrapAuc, calibrateRisk, historyPeriods, type AucInterval, type CalibrationPeriod } from './calibrate.js';
import { buildRiskFactors, cellIndex, cellsInGeometry, facilityFactors } from './factors.js';
import { scoreRisk, type RiskScores } from './score.js';
import { checkBands, probabilityLevel, PROBABILITY_BANDS } from './levels.js';
import { fitBurnModel, predictBurnProbability, type BurnModel } from './probability.js';
import { liftAtTop, reliabilityCurve, type Lift, type ReliabilityBin } from './validation.js';
import { explainAreas, explainCells, explanationText, type ExplanationItem } from './explain.js';

/** Calibration result as `calibrateRisk` returns it. */
type Calibration = ReturnType<typeof calibrateRisk>;

/** Facilities for {@link scoreAreas}: facility CSV text (GPPD-style columns) or points with a weight each (and optional names). */
export type ScoreAreasFacilities = string | { lng: ArrayLike<number>; lat: ArrayLike<number>; weight?: ArrayLike<number>; name?: readonly string[] };

/** Static factor columns for a cell set (land cover, protected areas, user layers …), see {@link ScoreAreasInputs.extraFactors}. */
export interface ExtraFactors {
  /** Columns aligned to the cells, "higher = riskier" unless listed in `invert`. NaN = unknown (0 in the probability model). */
  factors: Record<string, Float64Array>;
  /** Protective factors (higher = less burning): inverted in the score, negated in the probability model. */
  invert?: string[];
  notes?: string[];
}

/** Inputs of {@link scoreAreas}, as the readers return them. */
export interface ScoreAreasInputs {
  /** Multi-year FIRMS detections (`readFirmsCsv(...).hotspots`); every local calendar year in them is one season. */
  hotspots: Pick<Hotspots, 'length' | 'lng' | 'lat' | 'time' | 'frp'>;
  /** Areas to score and rank (e.g. districts): a FeatureCollection or a `readGeoJsonLayer` result. Non-polygon features are left out. */
  areas: FeatureCollection | GeoJsonLayerResult;
  /**
   * Facilities → the `facility_proximity` factor. CSV text (`facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw`,
   * weight = capacity × fuel factor, as `facilitySources`) or points (weight default 1). Default: none.
   */
  facilities?: ScoreAreasFacilities;
  /**
   * Further static factors computed on the scored cells (called once with the cell set): land cover, protected areas,
   * user layers, fire weather. They enter the score, the calibration and the probability model like `facility_proximity`.
   */
  extraFactors?: (cells: readonly string[]) => ExtraFactors;
}

/** Options of {@link scoreAreas}. */
export interface ScoreAreasOptions {
  /** H3 resolution of the risk cells, default 6 (≈ 36 km² cells). */
  res?: number;
  /** Factor weights of the percentile score to use as they are (calibration of the score is then skipped). */
  weights?: Readonly<Record<string, number>>;
  /**
   * Calibrate on the history (rolling origin), default true: the burn-probability model needs ≥ 2 seasons (≥ 3 for a
   * held-out validation), the percentile-score weights ≥ 3 seasons. `false`: default weights, percentile levels.
   */
  calibrate?: boolean;
  /** `'probability'` (default when the probability model was fitted): levels are bands of the burn probability; `'percentile'`: 25/50/75 on the 0–100 score. */
  levels?: 'probability' | 'percentile';
  /** Probability bands, default `PROBABILITY_BANDS` [0.05, 0.15, 0.3]. */
  bands?: readonly [number, number, number];
  /**
   * Ring of `hotspot_nearby` (grid steps). Default `'auto'`: chosen among 1, 2, 3 on the training seasons only (fit on
   * the transitions before the last training one, best AUC on it) when there are ≥ 4 seasons, else 1.
   */
  ring?: number | 'auto';
  /** Area property used as id, default `'id'` (a feature without it gets its `id`, else its index). */
  idProperty?: string;
  /** Area property used as name, default `'name'`; when given, at least one area must have it (`E_INPUT`). */
  nameProperty?: string;
  /** UTC offset putting each detection in its local calendar year (season), default `'+07:00'` (or minutes east of UTC). */
  utcOffset?: string | number;
  /** Seed of the bootstrap AUC intervals, default 1. */
  seed?: number;
  /** Bootstrap replicates of the AUC intervals, default 1000. */
  replicates?: number;
}

/** Where the weights used came from. */
export type WeightsSource = 'option' | 'calibrated' | 'default';

/** Held-out validation of the burn-probability model (fit on seasons ≤ y−1, predict season y, y the last season). */
export interface RiskValidation {
  /** The held-out season and the transitions the validation model was fitted on. */
  heldOut: string;
  fittedOn: string[];
  cells: number;
  /** Cells that burnt in the held-out season. */
  positives: number;
  /** AUC of the predicted probability, with its seeded bootstrap interval. */
  auc: AucInterval;
  /** AUC of "burnt in any earlier season" (the naive baseline). */
  baselineAuc: AucInterval;
  /** AUC of the percentile score with its weights fitted on the same training transitions (when ≥ 2 training transitions). */
  percentileAuc?: AucInterval;
  /**
   * Areas: AUC for "the area had a detection in the held-out season" of its expected burning cells `Σ p` (what the
   * table ranks by), with interval; beside it the AUC of the mean cell probability and of the area's cell count alone
   * (big areas burn more often: the size baseline any area score has to beat).
   */
  areas?: AucInterval & { areas: number; positives: number; meanProbabilityAuc: number; sizeOnlyAuc: number };
  /** Predicted vs observed burning by decile of the prediction. */
  reliability: ReliabilityBin[];
  /** Share of the held-out season's detections in the top 10 % of cells by predicted probability. */
  lift: Lift;
  replicates: number;
  seed: number;
}

/** What {@link scoreAreas} returns. */
export interface ScoreAreasResult {
  /** Score per cell with its factor contributions (`riskToGeoJson` maps it); `level` follows `levels`. */
  scores: RiskScores;
  /** Areas ranked by expected burning cells (`levels: 'probability'`) or by mean score (`toCsv()`, `toJSON()`). */
  table: AreaRiskTable;
  /** Seasons found in the history (local calendar years), ascending. */
  periods: number[];
  /** Burn probability next season per cell (aligned to `scores.cells`), null when the model could not be fitted. */
  probability: Float64Array | null;
  /** How the levels were set. */
  levels: 'probability' | 'percentile';
  /** Probability bands used for the levels. */
  bands: [number, number, number];
  /** The burn-probability model (fitted on every transition of the history), null when not fitted. */
  model: BurnModel | null;
  /** Held-out validation of the model (≥ 3 seasons), else null (`validationNote` says why). */
  validation: RiskValidation | null;
  validationNote: string;
  /** Ring of `hotspot_nearby` used, and how it was chosen. */
  ring: number;
  ringNote: string;
  /** Explanation of each cell in words with values ('; '-separated top 3), aligned to `scores.cells`. */
  explanations: string[];
  /** The structured explanation items per cell. */
  explanationItems: ExplanationItem[][];
  /** Cells with evidence (history, nearby detections or exposure); the others are "low". */
  evidence: Uint8Array;
  /** The weights of the percentile score (`scores.weights`: rescaled to sum to 1 over the informative factors). */
  weights: Record<string, number>;
  /** Weights of the percentile score: `option` (given), `calibrated`, or `default`. */
  weightsFrom: WeightsSource;
  /** Alias of `weightsFrom`. */
  weightsSource: WeightsSource;
  /** Why those weights, in one sentence (e.g. why calibration was not used). */
  weightsReason: string;
  /** The calibration of the percentile-score weights when one was fitted (held-out AUC in `holdout`), else null. */
  calibration: Calibration | null;
  /** The calibration was fitted and its weights are used. */
  usedCalibrated: boolean;
  /** Why calibration was not possible, when asked for and not done. */
  calibrationError?: string;
  /** Facilities used (after rejected rows), 0 without facilities. */
  facilities: number;
  /** Fallbacks and caveats, in words (default weights used, no validation possible, …). */
  warnings: string[];
  /** Rejected input: area features that are not polygons (`row` = 1-based feature index) and facility CSV rows. */
  rejected: { areas: RejectedRow[]; facilities: RejectedRow[] };
}

function polygonAreas(areas: unknown): { fc: FeatureCollection; rejected: RejectedRow[] } {
  const feats = areas !== null && typeof areas === 'object' ? (areas as { features?: unknown }).features : undefined;
  if (!Array.isArray(feats)) throw argError('inputs.areas', areas, 'a GeoJSON FeatureCollection or a readGeoJsonLayer result');
  const rejected: RejectedRow[] = [];
  const keep: FeatureCollection['features'] = [];
  feats.forEach((f: { geometry?: { type?: string } | null } | null, i: number) => {
    const t = f?.geometry?.type;
    if (t === 'Polygon' || t === 'MultiPolygon') keep.push(f as FeatureCollection['features'][number]);
    else rejected.push({ row: i + 1, column: 'geometry', code: 'E_GEOMETRY', message: `feature ${i} is ${t ?? 'without geometry'}, not a Polygon/MultiPolygon` });
  });
  if (keep.length === 0) throw new HazetraceError('E_INPUT', `inputs.areas has no Polygon/MultiPolygon feature (${feats.length} feature(s))`, { argument: 'inputs.areas' });
  return { fc: { type: 'FeatureCollection', features: keep }, rejected };
}

function facilityPoints(f: ScoreAreasFacilities): { points: { lng: ArrayLike<number>; lat: ArrayLike<number>; weight?: ArrayLike<number>; name?: readonly string[] }; n: number; rejected: RejectedRow[] } {
  if (typeof f === 'string') {
    const r = facilitySources(f);
    if (r.layer.length === 0) {
      const first = r.rejected[0];
      throw new HazetraceError('E_INPUT', `no usable facility row: 0 accepted, ${r.rejected.length} rejected${first ? ` (first problem: ${first.message})` : ''}`, { argument: 'inputs.facilities' });
    }
    const names = r.layer.extra?.['name'] as string[] | undefined;
    return { points: { lng: r.layer.lng, lat: r.layer.lat, weight: r.layer.weight, ...(names ? { name: names } : {}) }, n: r.layer.length, rejected: r.rejected };
  }
  if (f === null || typeof f !== 'object' || typeof f.lng?.length !== 'number' || typeof f.lat?.length !== 'number') {
    throw argError('inputs.facilities', f, 'facility CSV text or points { lng, lat, weight? }');
  }
  return { points: f, n: f.lng.length, rejected: [] };
}

/** Detections per cell of one season. */
function detectionsPerCell(h: ScoreAreasInputs['hotspots'], period: readonly number[], season: number, cells: readonly string[], res: number): Float64Array {
  const idx = cellIndex(cells);
  const out = new Float64Array(cells.length);
  for (let i = 0; i < h.length; i++) {
    if (period[i] !== season) continue;
    const r = idx.get(latLngToCell(h.lat[i]!, h.lng[i]!, res));
    if (r !== undefined) out[r] = out[r]! + 1;
  }
  return out;
}

const HISTORY_FACTORS = ['hotspot_detections', 'hotspot_frp', 'repeat_burn', 'hotspot_nearby', 'downwind_exposure'];

/**
 * Score burning risk per H3 cell over a set of areas and rank the areas, in one call (the CLI's `risk`):
 *
 * 1. factors per cell from the hotspot history — detections and FRP per season, repeat-burn frequency (seasons
 *    burnt / seasons observed), detections within `ring` cells — with seasons = local calendar years (`utcOffset`),
 *    plus `facility_proximity` when facilities are given and any `extraFactors`;
 * 2. **calibrated by default** (≥ 2 seasons): a burn-probability model (logistic, coefficients ≥ 0, absolute
 *    features) fitted rolling-origin on "burnt in season k" from the seasons before k, giving each cell its
 *    probability of burning next season; with ≥ 3 seasons a held-out validation (fit on seasons ≤ y−1, predict the
 *    last season y: AUC with a seeded bootstrap interval, reliability curve, top-10 % lift, area AUC) and calibrated
 *    weights for the percentile score. Fewer seasons or `calibrate: false`: the default weights, with a warning;
 * 3. levels: bands of the probability (`PROBABILITY_BANDS`; a cell without history, nearby detections or exposure is
 *    "low") or, with `levels: 'percentile'` or no model, 25/50/75 of the percentile score (a within-history rank);
 * 4. areas ranked by mean probability (or mean score), every cell and area explained in words with values.
 *
 * Errors: `E_ARG` for bad options, `E_INPUT` when the areas hold no polygon, no area has `nameProperty`, or the
 * facility CSV has no usable row.
 *
 * @example
 * ```ts
 * import { scoreAreas } from 'hazetrace/risk';
 * const square = (id: string, x: number) => ({ type: 'Feature' as const, properties: { id, name: id },
 *   geometry: { type: 'Polygon' as const, coordinates: [[[x, 18.6], [x + 0.3, 18.6], [x + 0.3, 18.9], [x, 18.9], [x, 18.6]]] } });
 * const areas = { type: 'FeatureCollection' as const, features: [square('west', 98.7), square('east', 99.1)] };
 * const t = (y: number) => Date.UTC(y, 2, 15);
 * const hotspots = { length: 4, lng: new Float64Array([98.8, 98.85, 98.8, 99.2]), lat: new Float64Array([18.7, 18.75, 18.7, 18.7]),
 *   time: new Float64Array([t(2021), t(2022), t(2023), t(2023)]), frp: new Float64Array([10, 20, 15, 5]) };
 * const r = scoreAreas({ hotspots, areas }, { res: 7, replicates: 100 });
 * r.table.areas[0].id; // 'west' (burnt in three seasons)
 * r.levels; // 'probability'
 * r.table.areas[0].explanation; // '≈ 1.0 of 176 cells expected to burn next season (0.6 % per cell); burnt in 3 of 3 seasons (2021–2023); …'
 * ```
 */
export function scoreAreas(inputs: ScoreAreasInputs, options: ScoreAreasOptions = {}): ScoreAreasResult {
  if (inputs === null || typeof inputs !== 'object') throw argError('inputs', inputs, 'an object { hotspots, areas, facilities? }');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const h = inputs.hotspots;
  if (h === null || typeof h !== 'object' || typeof h.length !== 'number' || !h.time || !h.lng || !h.lat) {
    throw argError('inputs.hotspots', h, 'hotspots { length, lng, lat, time, frp } from readFirmsCsv');
  }
  const res = checkInt('res', options.res ?? 6, 0, 15);
  const seed = checkInt('seed', options.seed ?? 1, -(2 ** 53), 2 ** 53);
  const replicates = checkInt('replicates', options.replicates ?? 1000, 1, 1_000_000);
  const calibrate = options.calibrate ?? true;
  if (typeof calibrate !== 'boolean') throw argError('calibrate', calibrate, 'true or false');
  if (options.levels !== undefined && options.levels !== 'probability' && options.levels !== 'percentile') throw argError('levels', options.levels, '"probability" or "percentile"');
  const bands = checkBands(options.bands ?? PROBABILITY_BANDS);
  const ringOpt = options.ring ?? 'auto';
  if (ringOpt !== 'auto') checkInt('ring', ringOpt, 0, 20);
  const offsetMin = parseUtcOffset(options.utcOffset ?? '+07:00');
  const idProperty = options.idProperty ?? 'id';
  const nameProperty = options.nameProperty ?? 'name';
  const pa = polygonAreas(inputs.areas);
  let areas = pa.fc;
  const areasRejected = pa.rejected;
  if (options.nameProperty !== undefined && !areas.features.some((f) => f.properties?.[nameProperty] !== undefined)) {
    const keys = Object.keys(areas.features[0]?.properties ?? {});
    throw new HazetraceError('E_INPUT', `no area has the property ${showValue(nameProperty)} (properties: ${keys.join(', ') || 'none'})`, { argument: 'nameProperty', value: nameProperty });
  }
  const fac = inputs.facilities === undefined ? undefined : facilityPoints(inputs.facilities);
  const warnings: string[] = [];

  // Seasons: the local calendar year of each detection.
  const period = Array.from({ length: h.length }, (_, i) => new Date(h.time[i]! + offsetMin * 60_000).getUTCFullYear());
  const periods = [...new Set(period)].sort((a, b) => a - b);
  // Cells of the areas (centre containment); a feature grid cannot cover (e.g. self-intersecting) is rejected, not fatal.
  const cellSet = new Set<string>();
  const coverable: FeatureCollection['features'] = [];
  areas.features.forEach((f, i) => {
    try {
      for (const c of cellsInGeometry(f.geometry as Geometry, res)) cellSet.add(c);
      coverable.push(f);
    } catch (e) {
      if (!(e instanceof HazetraceError) || e.code !== 'E_INPUT') throw e;
      areasRejected.push({ row: i + 1, column: 'geometry', code: 'E_GEOMETRY', message: `feature ${i} left out: ${e.message}` });
    }
  });
  if (coverable.length < areas.features.length) areas = { type: 'FeatureCollection', features: coverable };
  const cells = Array.from(cellSet).sort();
  if (cells.length === 0) throw new HazetraceError('E_INPUT', `inputs.areas cover no cell centre at res ${res}`, { argument: 'inputs.areas' });

  // Static factors: facilities and the caller's extra layers ("higher = riskier" copies for calibration).
  const staticCols: Record<string, Float64Array> = {};
  const invert: string[] = [];
  const extraNotes: string[] = [];
  if (fac) staticCols['facility_proximity'] = facilityFactors(fac.points, { cells }).factors.facility_proximity;
  if (inputs.extraFactors !== undefined) {
    if (typeof inputs.extraFactors !== 'function') throw argError('inputs.extraFactors', inputs.extraFactors, 'a function (cells) => { factors, invert?, notes? }');
    const x = inputs.extraFactors(cells);
    for (const [name, col] of Object.entries(x?.factors ?? {})) {
      if (staticCols[name] || HISTORY_FACTORS.includes(name)) throw new HazetraceError('E_ARG', `extra factor "${name}" is produced twice (rename it)`, { argument: 'inputs.extraFactors', value: name });
      if (!col || col.length !== cells.length) throw argError(`inputs.extraFactors.${name}`, col?.length, `a column of ${cells.length} values (one per cell)`);
      staticCols[name] = col;
    }
    for (const name of x?.invert ?? []) {
      if (!staticCols[name]) throw argError('inputs.extraFactors.invert', name, 'names of its factors');
      invert.push(name);
    }
    extraNotes.push(...(x?.notes ?? []));
  }
  const oriented = (cols: Readonly<Record<string, ArrayLike<number>>>): Record<string, ArrayLike<number>> => {
    const out: Record<string, ArrayLike<number>> = { ...cols };
    for (const name of invert) out[name] = Float64Array.from(cols[name]!, (v) => -v);
    return out;
  };
  const staticCal = oriented(staticCols) as Record<string, Float64Array>;
  const transitionCache = new Map<number, CalibrationPeriod[]>();
  const transitionsFor = (ring: number): CalibrationPeriod[] => {
    let t = transitionCache.get(ring);
    if (!t) {
      t = historyPeriods(h, { cells, periods, period, ...(ring > 0 ? { ring } : {}), ...(Object.keys(staticCal).length ? { extra: staticCal } : {}) });
      transitionCache.set(ring, t);
    }
    return t;
  };

  // Ring of hotspot_nearby: chosen on the training seasons only.
  let ring = 1;
  let ringNote = 'ring 1 (default: with fewer than 4 seasons there is no training season left to choose it on)';
  if (ringOpt !== 'auto') {
    ring = ringOpt;
    ringNote = `ring ${ring} (given)`;
  } else if (!calibrate) {
    ringNote = 'ring 1 (default; calibration off)';
  } else if (periods.length >= 4) {
    const scored = [1, 2, 3].map((r) => {
      const t = transitionsFor(r);
      const val = t[t.length - 2]!;
      try {
        const m = fitBurnModel(t.slice(0, -2));
        return { r, auc: auc(predictBurnProbability(m, val.factors), val.burnt), label: val.label, fit: t.slice(0, -2).map((p) => p.label) };
      } catch {
        return { r, auc: NaN, label: val.label, fit: t.slice(0, -2).map((p) => p.label) };
      }
    });
    const best = scored.reduce((a, b) => (b.auc > a.auc || !(a.auc === a.auc) ? b : a));
    if (best.auc === best.auc) {
      ring = best.r;
      ringNote = `ring ${ring} chosen on the training seasons only (fit on ${best.fit.join(', ')}; AUC on ${best.label}: ${scored.map((x) => `ring ${x.r} ${x.auc.toFixed(3)}`).join(', ')})`;
    } else ringNote = 'ring 1 (default; no candidate ring could be fitted on the training seasons)';
  }

  const set = buildRiskFactors({ cells, hotspotHistory: { hotspots: h, period, periods, ...(ring > 0 ? { ring } : {}) } });
  for (const [name, col] of Object.entries(staticCols)) set.factors[name] = col;
  const transitions = calibrate && periods.length >= 2 ? transitionsFor(ring) : [];

  // The burn-probability model, on every transition of the history.
  let model: BurnModel | null = null;
  let modelError = '';
  if (!calibrate) modelError = 'calibration switched off (calibrate: false)';
  else if (periods.length < 2) modelError = `the burn-probability model needs at least 2 seasons of history, got ${periods.length} (${periods.join(', ')})`;
  else {
    try {
      model = fitBurnModel(transitions);
    } catch (e) {
      modelError = e instanceof Error ? e.message : String(e);
    }
  }
  const probability = model ? predictBurnProbability(model, oriented(set.factors)) : null;

  // Weights of the percentile score: given, calibrated (≥ 3 seasons) or the defaults.
  let calibration: Calibration | null = null;
  let calibrationError: string | undefined;
  if (calibrate && !options.weights) {
    if (periods.length < 3) {
      calibrationError = `calibration needs at least 3 seasons of history, got ${periods.length} (${periods.join(', ')})`;
    } else {
      try {
        calibration = calibrateRisk(transitions, { bootstrap: { seed, replicates } });
      } catch (e) {
        calibrationError = e instanceof Error ? e.message : String(e);
      }
    }
  }
  let usedCalibrated = calibration !== null && Object.values(calibration.weights).some((w) => w > 0);
  let weights: Readonly<Record<string, number>> | undefined = options.weights ?? (usedCalibrated && calibration ? calibration.weights : undefined);
  // Calibrated weights name the calibration factors; a factor absent there (none today) gets 0.
  if (weights && !options.weights) weights = Object.fromEntries(Object.keys(set.factors).map((k) => [k, weights![k] ?? 0]));
  let scores: RiskScores;
  try {
    scores = scoreRisk(set, { ...(weights ? { weights } : {}), ...(invert.length ? { invert } : {}) });
  } catch (e) {
    // Calibrated weights whose positive factors are constant over these cells cannot rank them: use the defaults.
    if (options.weights || !(e instanceof HazetraceError) || e.code !== 'E_ARG' || !usedCalibrated) throw e;
    calibrationError = `the calibrated weights cannot rank these cells (${e.message})`;
    usedCalibrated = false;
    scores = scoreRisk(set, invert.length ? { invert } : {});
  }

  let weightsFrom: WeightsSource;
  let weightsReason: string;
  if (options.weights) {
    weightsFrom = 'option';
    weightsReason = 'weights given in options (calibration of the score weights skipped)';
  } else if (usedCalibrated && calibration) {
    const hold = calibration.holdout[0];
    weightsFrom = 'calibrated';
    weightsReason = `calibrated on ${calibration.train.join(', ')}${hold ? `, held-out ${hold.label} AUC ${hold.calibrated.auc.toFixed(2)} (default weights ${hold.defaultWeights.auc.toFixed(2)})` : ''}`;
  } else {
    weightsFrom = 'default';
    weightsReason = !calibrate
      ? 'default weights (calibration switched off)'
      : calibrationError !== undefined
        ? `default weights because calibration was not possible: ${calibrationError}`
        : 'default weights because every calibrated weight was 0 (no factor predicted later burning)';
    warnings.push(`the percentile score uses the documented default weights, not weights fitted on this history: ${weightsReason}`);
  }

  // Held-out validation: fit on transitions up to the one before the last season, predict the last season.
  let validation: RiskValidation | null = null;
  let validationNote: string;
  if (!model) validationNote = `no validation: no burn-probability model (${modelError})`;
  else if (transitions.length < 2) validationNote = `no held-out validation: it needs at least 3 seasons (one to hold out, two to fit on), got ${periods.length}`;
  else {
    const test = transitions[transitions.length - 1]!;
    const train = transitions.slice(0, -1);
    try {
      const vm = fitBurnModel(train);
      const pv = predictBurnProbability(vm, test.factors);
      const bs = bootstrapAuc([pv, test.baseline!], test.burnt, { replicates, seed });
      const last = periods[periods.length - 1]!;
      const det = detectionsPerCell(h, period, last, cells, res);
      let positives = 0;
      for (let i = 0; i < test.burnt.length; i++) positives += test.burnt[i]!;
      validation = {
        heldOut: String(last),
        fittedOn: vm.trainedOn,
        cells: cells.length,
        positives,
        auc: bs.scores[0]!,
        baselineAuc: bs.scores[1]!,
        ...(calibration?.holdout[0] ? { percentileAuc: calibration.holdout[0].calibrated } : {}),
        reliability: reliabilityCurve(pv, test.burnt, 10),
        lift: liftAtTop(pv, det, 0.1),
        replicates,
        seed,
      };
      const byArea = rollupCells(cells, { p: pv, b: test.burnt }, areas).filter((a) => a.cells > 0);
      const labels = byArea.map((a) => (a.max['b']! > 0 ? 1 : 0));
      const pos = labels.reduce<number>((s, v) => s + v, 0);
      if (pos > 0 && pos < labels.length) {
        const ab = bootstrapAuc([byArea.map((a) => a.sum['p']!)], labels, { replicates, seed }).scores[0]!;
        validation.areas = {
          ...ab,
          areas: labels.length,
          positives: pos,
          meanProbabilityAuc: auc(byArea.map((a) => a.mean['p']!), labels),
          sizeOnlyAuc: auc(byArea.map((a) => a.cells), labels),
        };
      }
      validationNote = `held out ${last}: model fitted on ${vm.trainedOn.join(', ')}`;
    } catch (e) {
      validationNote = `no held-out validation: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  if (!validation) warnings.push(validationNote);

  // Evidence and levels.
  const evidence = new Uint8Array(cells.length);
  for (const name of HISTORY_FACTORS) {
    const col = set.factors[name];
    if (col) for (let i = 0; i < cells.length; i++) if (col[i]! > 0) evidence[i] = 1;
  }
  const levels: 'probability' | 'percentile' = probability ? (options.levels ?? 'probability') : 'percentile';
  if (!probability) warnings.push(`levels are percentile ranks of the score within this history, not chances of burning: ${modelError}`);
  if (levels === 'probability' && probability) {
    for (let i = 0; i < cells.length; i++) scores.level[i] = probabilityLevel(probability[i]!, { bands, evidence: evidence[i] === 1 });
  }

  // Explanations: ordered by the model's log-odds contribution (probability) or the score contribution.
  let importance: Record<string, ArrayLike<number>> = scores.contributions;
  if (levels === 'probability' && model) {
    const o = oriented(set.factors);
    importance = {};
    for (const [name, b] of Object.entries(model.coefficients)) {
      const x = o[name];
      if (x) importance[name] = Float64Array.from(x, (v) => b * (v === v ? v : 0));
    }
    // Factors the model dropped still explain (after the ones it uses).
    for (const name of Object.keys(set.factors)) if (!importance[name]) importance[name] = new Float64Array(cells.length).fill(-1);
  }
  // Facilities named in explanations: the ones that count (weight > 0, e.g. not hydro or solar plants).
  let facNamed: { lng: number[]; lat: number[]; name: string[] } | undefined;
  if (fac) {
    const w = fac.points.weight;
    facNamed = { lng: [], lat: [], name: [] };
    for (let j = 0; j < fac.n; j++) {
      if (w && !(w[j]! > 0)) continue;
      facNamed.lng.push(fac.points.lng[j]!);
      facNamed.lat.push(fac.points.lat[j]!);
      facNamed.name.push(fac.points.name?.[j] || 'nearest facility');
    }
  }
  const explanationItems = explainCells({ cells, factors: set.factors, periods, ring, importance, ...(facNamed ? { facilities: facNamed } : {}) });
  const explanations = explanationItems.map((x) => explanationText(x, 3));
  const areaItems = explainAreas({ areas, hotspots: h, period, periods, cells, ...(facNamed ? { facilities: facNamed } : {}) });
  const areaEvidence = rollupCells(cells, { e: evidence }, areas).map((a) => !(a.max['e']! > 0));
  const table = rollupRisk(scores, areas, {
    idProperty,
    ...(options.nameProperty !== undefined ? { nameProperty } : {}),
    ...(probability ? { probability } : {}),
    levels,
    bands,
    explanations: areaItems,
    noEvidence: areaEvidence,
  });
  return {
    scores,
    table,
    periods,
    probability,
    levels,
    bands,
    model,
    validation,
    validationNote,
    ring,
    ringNote,
    explanations,
    explanationItems,
    evidence,
    weights: scores.weights,
    weightsFrom,
    weightsSource: weightsFrom,
    weightsReason,
    calibration,
    usedCalibrated,
    ...(calibrationError !== undefined ? { calibrationError } : {}),
    facilities: fac?.n ?? 0,
    warnings: [...warnings, ...extraNotes.map((n) => `extra factors: ${n}`)],
    rejected: { areas: areasRejected, facilities: fac?.rejected ?? [] },
  };
}
