/**
 * The whole area-risk chain in one call: factors from a multi-year hotspot history (and optional
 * facilities) over the areas' H3 cells, optional weight calibration on that history, the 0–100 score
 * per cell, and the ranking of the areas. The CLI's `risk` command and the demo call this.
 */
import { HazetraceError, argError, checkInt, showValue } from '../core/errors.js';
import { parseUtcOffset } from '../core/time.js';
import type { Hotspots, RejectedRow } from '../core/types.js';
import type { FeatureCollection, GeoJsonLayerResult } from '../io/index.js';
import { facilitySources } from '../attribution/index.js';
import { rollupRisk, type AreaRiskTable } from './areas.js';
import { calibrateRisk, historyPeriods } from './calibrate.js';
import { buildRiskFactors } from './factors.js';
import { scoreRisk, type RiskScores } from './score.js';

/** Calibration result as `calibrateRisk` returns it. */
type Calibration = ReturnType<typeof calibrateRisk>;

/** Facilities for {@link scoreAreas}: facility CSV text (GPPD-style columns) or points with a weight each. */
export type ScoreAreasFacilities = string | { lng: ArrayLike<number>; lat: ArrayLike<number>; weight?: ArrayLike<number> };

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
}

/** Options of {@link scoreAreas}. */
export interface ScoreAreasOptions {
  /** H3 resolution of the risk cells, default 6 (≈ 36 km² cells). */
  res?: number;
  /** Factor weights to use as they are (calibration is then skipped). Default: calibrated when `calibrate`, else `DEFAULT_RISK_WEIGHTS`. */
  weights?: Readonly<Record<string, number>>;
  /** Fit the weights on the history (rolling origin, needs ≥ 3 seasons; last season held out), default false. */
  calibrate?: boolean;
  /** Area property used as id, default `'id'` (a feature without it gets its `id`, else its index). */
  idProperty?: string;
  /** Area property used as name, default `'name'`; when given, at least one area must have it (`E_INPUT`). */
  nameProperty?: string;
  /** UTC offset putting each detection in its local calendar year (season), default `'+07:00'` (or minutes east of UTC). */
  utcOffset?: string | number;
  /** Seed of the bootstrap AUC intervals of the calibration, default 1. */
  seed?: number;
}

/** Where the weights used came from. */
export type WeightsSource = 'option' | 'calibrated' | 'default';

/** What {@link scoreAreas} returns. */
export interface ScoreAreasResult {
  /** Score per cell with its factor contributions (`riskToGeoJson` maps it). */
  scores: RiskScores;
  /** Areas ranked by area-weighted mean score (`toCsv()`, `toJSON()`). */
  table: AreaRiskTable;
  /** Seasons found in the history (local calendar years), ascending. */
  periods: number[];
  /** The weights used (`scores.weights`: rescaled to sum to 1 over the informative factors). */
  weights: Record<string, number>;
  /** `option` (given), `calibrated`, or `default`. */
  weightsFrom: WeightsSource;
  /** Why those weights, in one sentence (e.g. why calibration was not used). */
  weightsReason: string;
  /** The calibration when one was fitted (held-out AUC in `holdout`), else null. */
  calibration: Calibration | null;
  /** The calibration was fitted and its weights are used. */
  usedCalibrated: boolean;
  /** Why calibration was not possible, when asked for and not done. */
  calibrationError?: string;
  /** Facilities used (after rejected rows), 0 without facilities. */
  facilities: number;
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

function facilityPoints(f: ScoreAreasFacilities): { points: { lng: ArrayLike<number>; lat: ArrayLike<number>; weight?: ArrayLike<number> }; n: number; rejected: RejectedRow[] } {
  if (typeof f === 'string') {
    const r = facilitySources(f);
    if (r.layer.length === 0) {
      const first = r.rejected[0];
      throw new HazetraceError('E_INPUT', `no usable facility row: 0 accepted, ${r.rejected.length} rejected${first ? ` (first problem: ${first.message})` : ''}`, { argument: 'inputs.facilities' });
    }
    return { points: { lng: r.layer.lng, lat: r.layer.lat, weight: r.layer.weight }, n: r.layer.length, rejected: r.rejected };
  }
  if (f === null || typeof f !== 'object' || typeof f.lng?.length !== 'number' || typeof f.lat?.length !== 'number') {
    throw argError('inputs.facilities', f, 'facility CSV text or points { lng, lat, weight? }');
  }
  return { points: f, n: f.lng.length, rejected: [] };
}

/**
 * Score burning risk per H3 cell over a set of areas and rank the areas, in one call (the CLI's `risk`):
 *
 * 1. factors per cell from the hotspot history — detections and FRP per season, repeat-burn frequency (seasons
 *    burnt / seasons observed), detections in the neighbouring cells — with seasons = local calendar years
 *    (`utcOffset`), plus `facility_proximity` when facilities are given;
 * 2. weights: `options.weights` as given; else with `calibrate` a logistic fit of "burnt in season k" on the
 *    factors of the seasons before k (needs ≥ 3 seasons; held-out AUC with bootstrap interval, `seed`); else the
 *    defaults. `weightsFrom` / `weightsReason` say which and why (a failed or all-zero calibration falls back to
 *    the defaults, with the reason);
 * 3. the percentile-normalised weighted 0–100 score, rolled up to the areas (area-weighted mean, ties by max).
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
 * const r = scoreAreas({ hotspots, areas }, { res: 7 });
 * r.table.areas[0].id; // 'west' (burnt in three seasons)
 * r.weightsFrom; // 'default'
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
  const offsetMin = parseUtcOffset(options.utcOffset ?? '+07:00');
  const idProperty = options.idProperty ?? 'id';
  const nameProperty = options.nameProperty ?? 'name';
  const { fc: areas, rejected: areasRejected } = polygonAreas(inputs.areas);
  if (options.nameProperty !== undefined && !areas.features.some((f) => f.properties?.[nameProperty] !== undefined)) {
    const keys = Object.keys(areas.features[0]?.properties ?? {});
    throw new HazetraceError('E_INPUT', `no area has the property ${showValue(nameProperty)} (properties: ${keys.join(', ') || 'none'})`, { argument: 'nameProperty', value: nameProperty });
  }
  const fac = inputs.facilities === undefined ? undefined : facilityPoints(inputs.facilities);

  // Seasons: the local calendar year of each detection.
  const period = Array.from({ length: h.length }, (_, i) => new Date(h.time[i]! + offsetMin * 60_000).getUTCFullYear());
  const periods = [...new Set(period)].sort((a, b) => a - b);
  const set = buildRiskFactors({
    domain: areas,
    res,
    hotspotHistory: { hotspots: h, period, periods, ring: 1 },
    ...(fac ? { facilities: { points: fac.points } } : {}),
  });

  let calibration: Calibration | null = null;
  let calibrationError: string | undefined;
  if (options.calibrate && !options.weights) {
    if (periods.length < 3) {
      calibrationError = `calibration needs at least 3 seasons of history, got ${periods.length} (${periods.join(', ')})`;
    } else {
      try {
        const extra = set.factors['facility_proximity'] ? { facility_proximity: set.factors['facility_proximity'] } : undefined;
        const ps = historyPeriods(h, { cells: set.cells, periods, period, ring: 1, ...(extra ? { extra } : {}) });
        calibration = calibrateRisk(ps, { bootstrap: { seed } });
      } catch (e) {
        calibrationError = e instanceof Error ? e.message : String(e);
      }
    }
  }
  const usedCalibrated = calibration !== null && Object.values(calibration.weights).some((w) => w > 0);
  const weights = options.weights ?? (usedCalibrated && calibration ? calibration.weights : undefined);
  const scores = scoreRisk(set, weights ? { weights } : {});
  const table = rollupRisk(scores, areas, { idProperty, ...(options.nameProperty !== undefined ? { nameProperty } : {}) });

  let weightsFrom: WeightsSource;
  let weightsReason: string;
  if (options.weights) {
    weightsFrom = 'option';
    weightsReason = `weights given in options${options.calibrate ? ' (calibrate ignored)' : ''}`;
  } else if (usedCalibrated && calibration) {
    const hold = calibration.holdout[0];
    weightsFrom = 'calibrated';
    weightsReason = `calibrated on ${calibration.train.join(', ')}${hold ? `, held-out ${hold.label} AUC ${hold.calibrated.auc.toFixed(2)} (default weights ${hold.defaultWeights.auc.toFixed(2)})` : ''}`;
  } else {
    weightsFrom = 'default';
    weightsReason = !options.calibrate
      ? 'default weights (calibration not requested)'
      : calibrationError !== undefined
        ? `default weights because calibration was not possible: ${calibrationError}`
        : 'default weights because every calibrated weight was 0 (no factor predicted later burning)';
  }
  return {
    scores,
    table,
    periods,
    weights: scores.weights,
    weightsFrom,
    weightsReason,
    calibration,
    usedCalibrated,
    ...(calibrationError !== undefined ? { calibrationError } : {}),
    facilities: fac?.n ?? 0,
    rejected: { areas: areasRejected, facilities: fac?.rejected ?? [] },
  };
}
