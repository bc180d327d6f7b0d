/**
 * Area roll-up and outputs: cells → any polygon layer (districts, provinces, reserves) with
 * area-weighted means and maxima and each area's top factors; GeoJSON hexagons, a CSV of
 * ranked areas, JSON for services.
 */
import { cellArea, cellToBoundary, cellToLatLng, isValidCell } from 'h3-js';
import { csvFormatRows } from 'd3-dsv';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { argError, checkInt } from '../core/errors.js';
import { polygonIndex } from '../attribution/index.js';
import { riskLevel, topFactors, DEFAULT_RISK_THRESHOLDS, type RiskLevel, type RiskScores } from './score.js';
import { checkBands, probabilityLevel, PROBABILITY_BANDS } from './levels.js';
import { explanationText, type ExplanationItem } from './explain.js';
import { checkOptions, checkShape } from '../core/check.js';

/** Options of {@link rollupCells}. */
export interface RollupOptions {
  /** Feature property used as the area id. Default (and when a feature lacks it): the feature's `id`, else its 0-based index as a string. */
  idProperty?: string;
  /**
   * Feature property used as the area name. Default: the first of {@link NAME_PROPERTIES} that some feature
   * carries (`name`, `NAME`, `name_en`, `ADM2_EN`, `amp_en`, …), else names stay ''. A property that no feature
   * carries throws `E_ARG` listing the properties the features do have.
   */
  nameProperty?: string;
}

/**
 * Properties tried, in order, for an area's name when `nameProperty` is not given: common spellings in
 * Natural Earth, geoBoundaries, HDX/OCHA (`ADMn_EN`) and Thai district layers (`amp_en`, `amphoe_e`).
 *
 * @example
 * ```ts
 * import { NAME_PROPERTIES } from 'hazetrace/risk';
 * NAME_PROPERTIES.includes('ADM2_EN'); // true
 * ```
 */
export const NAME_PROPERTIES: readonly string[] = [
  'name', 'NAME', 'Name', 'name_en', 'NAME_EN', 'name_th', 'shapeName',
  'ADM3_EN', 'ADM2_EN', 'ADM1_EN', 'ADM0_EN', 'NAME_3', 'NAME_2', 'NAME_1', 'NAME_0',
  'amp_en', 'amphoe_e', 'AMPHOE_E', 'prov_en', 'PROV_NAMT', 'ADMIN', 'admin',
];

/** The name property to use for `layer`: the given one (checked to exist), else the first of NAME_PROPERTIES present. */
function resolveNameProperty(layer: FeatureCollection, given: string | undefined): string | undefined {
  const has = (k: string): boolean => layer.features.some((f) => f.properties != null && f.properties[k] != null && f.properties[k] !== '');
  if (given !== undefined) {
    if (layer.features.length === 0 || has(given)) return given;
    const available = [...new Set(layer.features.flatMap((f) => Object.keys(f.properties ?? {})))];
    throw argError('nameProperty', given, `a property of the features (they have: ${available.join(', ') || 'no properties'})`);
  }
  return NAME_PROPERTIES.find(has);
}

/** Per-area statistics of cell columns. */
export interface AreaStats {
  id: string;
  name: string;
  /** Index of the feature in the layer. */
  feature: number;
  /** Cells of the input whose centre lies in the area. */
  cells: number;
  /** Area of those cells, km². */
  areaKm2: number;
  /** Area-weighted mean per column (NaN when no cell, or only NaN values). */
  mean: Record<string, number>;
  /** Maximum per column (NaN when no cell, or only NaN values). */
  max: Record<string, number>;
  /** Plain (unweighted) sum per column over the area's cells, NaN values skipped (0 when none). */
  sum: Record<string, number>;
}

/**
 * Roll cell columns up to a polygon layer: a cell belongs to every area containing its centre —
 * the same rule as h3 `polygonToCells` — found through a flatbush index over the polygons'
 * bounding boxes and an exact even-odd test (`polygonIndex` of hazetrace/attribution), so the cost
 * is one lookup per cell rather than one polygon fill per area. Means are area-weighted (weights =
 * h3 `cellArea`, which varies by a few % across a country at one resolution). NaN values are left
 * out of that column's mean and max.
 *
 * @example
 * ```ts
 * import { rollupCells, domainCells } from 'hazetrace/risk';
 * const sq = { type: 'Polygon' as const, coordinates: [[[98.9, 18.7], [99.1, 18.7], [99.1, 18.9], [98.9, 18.9], [98.9, 18.7]]] };
 * const cells = domainCells(sq, 7);
 * const layer = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, id: 'a', properties: {}, geometry: sq }] };
 * rollupCells(cells, { v: new Float64Array(cells.length).fill(4) }, layer)[0].mean.v; // 4
 * ```
 */
export function rollupCells(
  cells: readonly string[],
  columns: Readonly<Record<string, ArrayLike<number>>>,
  layer: FeatureCollection,
  options: RollupOptions = {},
): AreaStats[] {
  if (!Array.isArray(cells) || cells.length === 0) throw argError('cells', cells, 'a non-empty array of H3 cell ids');
  if (!isValidCell(cells[0]!)) throw argError('cells[0]', cells[0], 'a valid H3 cell id');
  if (!layer || layer.type !== 'FeatureCollection' || !Array.isArray(layer.features)) throw argError('layer', layer, 'a GeoJSON FeatureCollection');
  const names = Object.keys(columns);
  const cols = names.map((k) => columns[k]!);
  for (const k of names) if (columns[k]!.length !== cells.length) throw argError(`columns.${k}`, columns[k]!.length, `length ${cells.length}`);
  const nf = layer.features.length;
  const nc = names.length;
  const nameProperty = resolveNameProperty(layer, options.nameProperty);
  // Accumulators, feature-major: sum of weights, sum of weight × value, max, per column.
  const sumW = new Float64Array(nf * nc);
  const sumWV = new Float64Array(nf * nc);
  const max = new Float64Array(nf * nc).fill(-Infinity);
  const sum = new Float64Array(nf * nc);
  const count = new Float64Array(nf);
  const areaKm2 = new Float64Array(nf);
  const index = polygonIndex(layer);
  for (let r = 0; r < cells.length; r++) {
    const c = cells[r]!;
    const [lat, lng] = cellToLatLng(c);
    const hits = index.featuresAt(lng, lat);
    if (hits.length === 0) continue;
    const a = cellArea(c, 'km2');
    for (const f of hits) {
      count[f] = count[f]! + 1;
      areaKm2[f] = areaKm2[f]! + a;
      const o = f * nc;
      for (let k = 0; k < nc; k++) {
        const v = cols[k]![r]!;
        if (v !== v) continue;
        sumW[o + k] = sumW[o + k]! + a;
        sumWV[o + k] = sumWV[o + k]! + a * v;
        sum[o + k] = sum[o + k]! + v;
        if (v > max[o + k]!) max[o + k] = v;
      }
    }
  }
  return layer.features.map((f: Feature, fi: number): AreaStats => {
    const props = f.properties ?? {};
    // A missing id property falls back to the feature's `id`, then its index, so every row stays addressable.
    const own = options.idProperty !== undefined ? props[options.idProperty] : undefined;
    const id = own !== undefined && own !== null ? String(own) : f.id !== undefined ? String(f.id) : String(fi);
    const name = nameProperty !== undefined ? String(props[nameProperty] ?? '') : '';
    const mean: Record<string, number> = {};
    const mx: Record<string, number> = {};
    const sm: Record<string, number> = {};
    for (let k = 0; k < nc; k++) {
      const o = fi * nc + k;
      sm[names[k]!] = sum[o]!;
      mean[names[k]!] = sumW[o]! > 0 ? sumWV[o]! / sumW[o]! : NaN;
      mx[names[k]!] = max[o] === -Infinity ? NaN : max[o]!;
    }
    return { id, name, feature: fi, cells: count[fi]!, areaKm2: areaKm2[fi]!, mean, max: mx, sum: sm };
  });
}

/** One row of the ranked area table. */
export interface AreaRisk {
  rank: number;
  id: string;
  name: string;
  /** Area-weighted mean score (0–100). */
  meanScore: number;
  /** Highest cell score in the area. */
  maxScore: number;
  /** Level: of the mean probability (`levels: 'probability'`) or of the mean score (`'percentile'`). */
  level: RiskLevel;
  /**
   * Area-weighted mean cell probability of burning next season (the expected share of its cells burning), when
   * probabilities were given; its band is the area's level, on the same scale as the cells' levels.
   */
  probability?: number;
  /** Expected number of its cells burning next season, `Σ p_cell` (exact by linearity, no independence needed); areas are ranked by it. */
  expectedCells?: number;
  /** Scored cells whose centre lies in the area. */
  cells: number;
  areaKm2: number;
  /** Area-weighted mean contribution per factor (sums to `meanScore`). */
  contributions: Record<string, number>;
  /** Largest mean contributions first. */
  topFactors: { factor: string; points: number }[];
  /** What drives the area, in words with values ('; '-separated), e.g. "burnt in 4 of 4 seasons (2017–2023); 38 detections in 2017–2023". '' when no explanation was given. */
  explanation: string;
  /** The explanation items (factor, value, unit, text). */
  explanationItems: ExplanationItem[];
}

/** Ranked area table with outputs. */
export interface AreaRiskTable {
  areas: AreaRisk[];
  /** Areas with no scored cell (left out of the ranking). */
  unscored: { id: string; name: string }[];
  /** CSV: rank, id, name, mean_score, max_score, level, cells, area_km2, top_factors, one `c_<factor>` column per factor, then probability, expected_cells and explanation. */
  toCsv(): string;
  toJSON(): { areas: AreaRisk[]; unscored: { id: string; name: string }[] };
  /** Notebook rendering (Deno/Jupyter): the top 20 areas as an HTML table. */
  [key: symbol]: unknown;
}

const escapeHtml = (t: string): string => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** Options of {@link rollupRisk}. */
export interface RollupRiskOptions extends RollupOptions {
  /** How many top factors to list per area. Default 3. */
  top?: number;
  /** Level thresholds for the area means. Default: the scores' own thresholds, else 25/50/75. */
  thresholds?: readonly [number, number, number];
  /** Burn probability per cell (aligned to `scores.cells`): areas then get their mean probability. */
  probability?: ArrayLike<number>;
  /**
   * `'probability'` (default when `probability` is given): rank by expected burning cells, level from the mean cell
   * probability's band ({@link PROBABILITY_BANDS}); `'percentile'`: rank and level by mean score.
   */
  levels?: 'probability' | 'percentile';
  /** Probability bands, default {@link PROBABILITY_BANDS}. */
  bands?: readonly [number, number, number];
  /** Explanation items per feature of `layer` (feature order), e.g. from `explainAreas`. */
  explanations?: readonly (readonly ExplanationItem[])[];
  /** Features with no evidence (no detection, exposure or nearby detection in any cell): level "low" in probability mode. */
  noEvidence?: readonly boolean[];
}

/**
 * Roll risk scores up to a polygon layer and rank the areas by area-weighted mean score (ties
 * by max score, then id). Each area's factor contributions are the area-weighted means of its
 * cells' contributions, so they add up to the area's mean score and name what drives it.
 *
 * @example
 * ```ts
 * import { rollupRisk, scoreRisk, domainCells } from 'hazetrace/risk';
 * const sq = { type: 'Polygon' as const, coordinates: [[[98.9, 18.7], [99.1, 18.7], [99.1, 18.9], [98.9, 18.9], [98.9, 18.7]]] };
 * const cells = domainCells(sq, 7);
 * const scores = scoreRisk({ cells, factors: { x: Float64Array.from(cells, (_, i) => i) } });
 * const table = rollupRisk(scores, { type: 'FeatureCollection', features: [{ type: 'Feature', id: 'sq', properties: {}, geometry: sq }] });
 * table.areas[0].meanScore; // ≈ 50
 * table.toCsv();
 * ```
 */
export function rollupRisk(
  scores: Pick<RiskScores, 'cells' | 'score' | 'contributions'> & { thresholds?: readonly [number, number, number] },
  layer: FeatureCollection,
  options: RollupRiskOptions = {},
): AreaRiskTable {
  checkShape('scores', scores, { cells: 'array', score: 'arrayLike', contributions: 'object' });
  checkOptions('options', options);
  const top = checkInt('top', options.top ?? 3, 0, 1000);
  const thresholds = options.thresholds ?? scores.thresholds ?? DEFAULT_RISK_THRESHOLDS;
  const factorNames = Object.keys(scores.contributions);
  const prob = options.probability;
  if (prob !== undefined && prob.length !== scores.cells.length) throw argError('probability', prob.length, `length ${scores.cells.length} (one per cell)`);
  const levels = options.levels ?? (prob ? 'probability' : 'percentile');
  if (levels !== 'probability' && levels !== 'percentile') throw argError('levels', levels, '"probability" or "percentile"');
  if (levels === 'probability' && !prob) throw argError('levels', levels, '"percentile" when no probability is given');
  const bands = checkBands(options.bands ?? PROBABILITY_BANDS);
  const cols: Record<string, ArrayLike<number>> = { '\u0000score': scores.score };
  if (prob) cols['\u0000p'] = prob;
  for (const k of factorNames) cols[k] = scores.contributions[k]!;
  const stats = rollupCells(scores.cells, cols, layer, options);
  const areas: AreaRisk[] = [];
  const unscored: { id: string; name: string }[] = [];
  for (const s of stats) {
    const mean = s.mean['\u0000score']!;
    if (s.cells === 0 || mean !== mean) {
      unscored.push({ id: s.id, name: s.name });
      continue;
    }
    const contributions: Record<string, number> = {};
    const one: Record<string, number[]> = {};
    for (const k of factorNames) {
      contributions[k] = s.mean[k]!;
      one[k] = [s.mean[k]!];
    }
    const p = prob ? s.mean['\u0000p']! : undefined;
    const expected = prob ? s.sum['\u0000p']! : undefined;
    const items = (options.explanations?.[s.feature] ?? []).slice();
    if (p !== undefined && items.length > 0) {
      items.unshift({ factor: 'probability', value: expected!, unit: 'cells', text: `≈ ${expected!.toFixed(1)} of ${s.cells} cells expected to burn next season (${(100 * p).toFixed(p < 0.1 ? 1 : 0)} % per cell)` });
    }
    areas.push({
      rank: 0,
      id: s.id,
      name: s.name,
      meanScore: mean,
      maxScore: s.max['\u0000score']!,
      level: levels === 'probability' ? probabilityLevel(p!, { bands, evidence: options.noEvidence?.[s.feature] !== true }) : riskLevel(mean, thresholds),
      ...(p !== undefined ? { probability: p, expectedCells: expected! } : {}),
      cells: s.cells,
      areaKm2: s.areaKm2,
      contributions,
      topFactors: topFactors(one, 0, top),
      explanation: explanationText(items, items.length),
      explanationItems: items,
    });
  }
  const byScore = (a: AreaRisk, b: AreaRisk): number => b.meanScore - a.meanScore || b.maxScore - a.maxScore || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  areas.sort(levels === 'probability' ? (a, b) => b.expectedCells! - a.expectedCells! || b.probability! - a.probability! || byScore(a, b) : byScore);
  areas.forEach((a, i) => (a.rank = i + 1));
  return {
    areas,
    unscored,
    toCsv(): string {
      const header = ['rank', 'id', 'name', 'mean_score', 'max_score', 'level', 'cells', 'area_km2', 'top_factors', ...factorNames.map((k) => `c_${k}`), 'probability', 'expected_cells', 'explanation'];
      const rows = areas.map((a) => [
        String(a.rank),
        a.id,
        a.name,
        a.meanScore.toFixed(3),
        a.maxScore.toFixed(3),
        a.level,
        String(a.cells),
        a.areaKm2.toFixed(3),
        a.topFactors.map((t) => t.factor).join(';'),
        ...factorNames.map((k) => a.contributions[k]!.toFixed(3)),
        a.probability === undefined ? '' : a.probability.toFixed(4),
        a.expectedCells === undefined ? '' : a.expectedCells.toFixed(3),
        a.explanation,
      ]);
      return csvFormatRows([header, ...rows]) + '\n';
    },
    toJSON() {
      return { areas, unscored };
    },
    [Symbol.for('Jupyter.display')]() {
      const rows = areas
        .slice(0, 20)
        .map((a) => `<tr><td>${a.rank}</td><td>${escapeHtml(a.name || a.id)}</td><td>${a.meanScore.toFixed(1)}</td><td>${a.maxScore.toFixed(1)}</td><td>${a.level}</td><td>${escapeHtml(a.topFactors.map((t) => t.factor).join(', '))}</td></tr>`)
        .join('');
      return {
        'text/html': `<table><tr><th>rank</th><th>area</th><th>mean</th><th>max</th><th>level</th><th>top factors</th></tr>${rows}</table><p>${areas.length} areas ranked, ${unscored.length} without scored cells</p>`,
      };
    },
  };
}

/** Options of {@link riskToGeoJson}. */
export interface RiskGeoJsonOptions {
  /** How many top factors per hexagon. Default 3. */
  top?: number;
  /** Also write each factor's contribution as `c_<factor>`. Default true. */
  contributions?: boolean;
  /** Burn probability per cell → property `probability`. */
  probability?: ArrayLike<number>;
  /** Explanation per cell (e.g. `scoreAreas(...).explanations`) → property `explanation` (string). */
  explanations?: readonly string[];
}

/**
 * Scored cells as a GeoJSON FeatureCollection of hexagons (kepler.gl / deck.gl ready): properties
 * `h3`, `score`, `level`, `top_factors` (names joined by `;`), `c_<factor>` contributions, and when
 * given `probability` and `explanation` (words with values, e.g. "burnt in 3 of 4 seasons (2017–2023)").
 *
 * @example
 * ```ts
 * import { riskToGeoJson, scoreRisk } from 'hazetrace/risk';
 * const s = scoreRisk({ cells: ['87648a4a3ffffff', '87648a4a2ffffff'], factors: { x: new Float64Array([1, 2]) } });
 * riskToGeoJson(s).features[1].properties.level; // 'very high'
 * ```
 */
export function riskToGeoJson(
  scores: Pick<RiskScores, 'cells' | 'score' | 'level' | 'contributions'>,
  options: RiskGeoJsonOptions = {},
): FeatureCollection<Polygon> {
  checkShape('scores', scores, { cells: 'array', score: 'arrayLike', level: 'array', contributions: 'object' });
  checkOptions('options', options);
  const top = checkInt('top', options.top ?? 3, 0, 1000);
  const withC = options.contributions ?? true;
  const names = Object.keys(scores.contributions);
  const n = scores.cells.length;
  if (options.probability && options.probability.length !== n) throw argError('options.probability', options.probability.length, `length ${n} (one per cell)`);
  if (options.explanations && options.explanations.length !== n) throw argError('options.explanations', options.explanations.length, `length ${n} (one per cell)`);
  const features: Feature<Polygon>[] = scores.cells.map((h3, i) => {
    const ring = cellToBoundary(h3, true);
    const props: Record<string, unknown> = {
      h3,
      score: scores.score[i]!,
      level: scores.level[i]!,
      top_factors: topFactors(scores.contributions, i, top)
        .map((t) => t.factor)
        .join(';'),
    };
    if (withC) for (const k of names) props[`c_${k}`] = scores.contributions[k]![i]!;
    if (options.probability) props['probability'] = options.probability[i]!;
    if (options.explanations) props['explanation'] = options.explanations[i] ?? '';
    return { type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: [ring] } };
  });
  return { type: 'FeatureCollection', features };
}
