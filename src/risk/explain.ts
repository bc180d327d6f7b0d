/**
 * Explanations in words with values: what drives a cell's or an area's risk, as
 * `{ factor, value, unit, text }` items ("burnt in 3 of 4 seasons (2017–2023)", "38 detections within
 * 7 km in 2017–2023", "Mae Moh 12 km away"), never bare points (docs/risk.md).
 */
import { cellToLatLng, getHexagonEdgeLengthAvg, getResolution } from 'h3-js';
import type { FeatureCollection } from 'geojson';
import { argError } from '../core/errors.js';
import { haversine } from '../core/geodesy.js';
import { polygonIndex } from '../attribution/index.js';
import { checkItems, checkShape } from '../core/check.js';
import { checkInt } from '../core/errors.js';

/** One explanation item: a factor, its value in a unit, and a sentence. */
export interface ExplanationItem {
  factor: string;
  value: number;
  unit: string;
  text: string;
}

/** Inputs of {@link explainCells}. */
export interface ExplainInput {
  cells: readonly string[];
  /** Raw factor columns as `buildRiskFactors` / `hotspotHistoryFactors` give them (per-season means for hotspot_*). */
  factors: Readonly<Record<string, ArrayLike<number>>>;
  /** Season labels of the history, in order (e.g. `[2017, 2019, 2022, 2023]`). */
  periods: readonly (string | number)[];
  /** Ring of `hotspot_nearby`, grid steps. Default 1. */
  ring?: number;
  /** Facilities, to name the nearest one and its distance (`facility_proximity`). */
  facilities?: { lng: ArrayLike<number>; lat: ArrayLike<number>; name?: readonly string[] };
  /** A facility farther than this (km) is not mentioned. Default 50. */
  facilityWithinKm?: number;
  /** Importance per factor per cell (e.g. contributions); items are ordered by it, largest first. Default: the order of `factors`. */
  importance?: Readonly<Record<string, ArrayLike<number>>>;
}

const fmtInt = (x: number): string => String(Math.round(x));
const fmtNum = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(2));

function span(periods: readonly (string | number)[]): string {
  if (periods.length === 0) return '';
  const a = String(periods[0]);
  const b = String(periods[periods.length - 1]);
  return a === b ? a : `${a}–${b}`;
}

/** Nearest facility (index, km) of a point. */
function nearest(f: NonNullable<ExplainInput['facilities']>, lng: number, lat: number): { j: number; km: number } {
  let best = Infinity;
  let bj = -1;
  for (let j = 0; j < f.lng.length; j++) {
    const d = haversine(lng, lat, f.lng[j]!, f.lat[j]!);
    if (d < best) {
      best = d;
      bj = j;
    }
  }
  return { j: bj, km: best / 1000 };
}

/**
 * Explanation items per cell from the raw factors: `repeat_burn` → "burnt in k of P seasons",
 * `hotspot_detections` → "n detections in the cell", `hotspot_nearby` → "n detections within ≈ d km"
 * (d = ring × the distance between neighbouring cell centres), `hotspot_frp` → total FRP,
 * `facility_proximity` → nearest facility and its distance (within `facilityWithinKm`, default 50 km), other factors → "name = value". Factors
 * whose value is 0 are left out; a cell with nothing gets one item "no detection in or near the cell".
 *
 * @example
 * ```ts
 * import { latLngToCell } from 'h3-js';
 * import { explainCells } from 'hazetrace/risk';
 * const cells = [latLngToCell(18.8, 99, 6)];
 * explainCells({ cells, factors: { repeat_burn: [0.5], hotspot_detections: [3] }, periods: [2021, 2022, 2023, 2024] })[0][0].text;
 * // 'burnt in 2 of 4 seasons (2021–2024)'
 * ```
 */
export function explainCells(input: ExplainInput): ExplanationItem[][] {
  checkShape('input', input, { cells: 'array', periods: 'array' });
  const { cells, factors, periods } = input;
  if (!Array.isArray(cells)) throw argError('input.cells', cells, 'an array of H3 cells');
  const P = periods.length;
  if (P === 0) throw argError('input.periods', periods, 'at least one season');
  const sp = span(periods);
  const ring = input.ring ?? 1;
  const res = cells.length > 0 ? getResolution(cells[0]!) : 0;
  const stepKm = cells.length > 0 ? getHexagonEdgeLengthAvg(res, 'km') * Math.sqrt(3) : 0;
  const names = Object.keys(factors);
  return cells.map((cell, i) => {
    const items: { item: ExplanationItem; w: number }[] = [];
    names.forEach((name, order) => {
      const v = factors[name]![i]!;
      if (!(v > 0)) return;
      const w = input.importance?.[name]?.[i] ?? -order;
      let item: ExplanationItem;
      if (name === 'repeat_burn') {
        const k = Math.round(v * P);
        item = { factor: name, value: k, unit: 'seasons', text: `burnt in ${k} of ${P} seasons (${sp})` };
      } else if (name === 'hotspot_detections') {
        const n = Math.round(v * P);
        item = { factor: name, value: n, unit: 'detections', text: `${fmtInt(n)} detection${n === 1 ? '' : 's'} in the cell in ${sp}` };
      } else if (name === 'hotspot_nearby') {
        const n = Math.round(v * P);
        const km = ring * stepKm;
        item = { factor: name, value: n, unit: 'detections', text: `${fmtInt(n)} detection${n === 1 ? '' : 's'} within ${km.toFixed(0)} km in ${sp}` };
      } else if (name === 'hotspot_frp') {
        const mw = v * P;
        item = { factor: name, value: mw, unit: 'MW', text: `fire radiative power ${fmtNum(mw)} MW in total in ${sp}` };
      } else if (name === 'facility_proximity' && input.facilities && input.facilities.lng.length > 0) {
        const [lat, lng] = cellToLatLng(cell);
        const { j, km } = nearest(input.facilities, lng, lat);
        if (!(km <= (input.facilityWithinKm ?? 50))) return;
        const nm = input.facilities.name?.[j] || 'nearest facility';
        item = { factor: name, value: km, unit: 'km', text: `${nm} ${km.toFixed(0)} km away` };
      } else {
        item = { factor: name, value: v, unit: '', text: `${name} ${fmtNum(v)}` };
      }
      items.push({ item, w });
    });
    if (items.length === 0) {
      const km = ring * stepKm;
      return [{ factor: 'none', value: 0, unit: '', text: `no detection in or within ${km.toFixed(0)} km of the cell in ${sp}` }];
    }
    items.sort((a, b) => b.w - a.w);
    return items.map((x) => x.item);
  });
}

/** Inputs of {@link explainAreas}. */
export interface ExplainAreasInput {
  /** The areas (one explanation per feature, in feature order). */
  areas: FeatureCollection;
  /** Detections of the history with their season label. */
  hotspots: { length: number; lng: ArrayLike<number>; lat: ArrayLike<number> };
  period: ArrayLike<string | number>;
  /** History seasons, in order. */
  periods: readonly (string | number)[];
  /** Facilities, to name the nearest one to each area's cells. */
  facilities?: { lng: ArrayLike<number>; lat: ArrayLike<number>; name?: readonly string[] };
  /** A facility farther than this (km) is not mentioned. Default 50. */
  facilityWithinKm?: number;
  /** The scored cells: an area's nearest facility is measured from the centres of its cells (centre inside the area). */
  cells?: readonly string[];
}

/**
 * Explanation items per area (feature order): seasons with at least one detection inside the area
 * ("burnt in 5 of 6 seasons (2017–2023)"), the number of detections inside it, and the nearest
 * facility to any of its cells. An area without detection gets "no detection in 2017–2023".
 *
 * @example
 * ```ts
 * import { explainAreas } from 'hazetrace/risk';
 * const areas = { type: 'FeatureCollection' as const, features: [{ type: 'Feature' as const, properties: {},
 *   geometry: { type: 'Polygon' as const, coordinates: [[[98, 18], [99, 18], [99, 19], [98, 19], [98, 18]]] } }] };
 * explainAreas({ areas, hotspots: { length: 2, lng: [98.5, 98.6], lat: [18.5, 18.5] }, period: [2022, 2022], periods: [2021, 2022] })[0].map((x) => x.text);
 * // ['burnt in 1 of 2 seasons (2021–2022)', '2 detections in 2021–2022']
 * ```
 */
export function explainAreas(input: ExplainAreasInput): ExplanationItem[][] {
  checkShape('input', input, { areas: 'object', periods: 'array' });
  checkShape('input.areas', input.areas, { features: 'array' });
  const nf = input.areas.features.length;
  const P = input.periods.length;
  const sp = span(input.periods);
  const index = polygonIndex(input.areas);
  const count = new Float64Array(nf);
  const seasons: Set<string>[] = Array.from({ length: nf }, () => new Set<string>());
  const h = input.hotspots;
  for (let i = 0; i < h.length; i++) {
    for (const f of index.featuresAt(h.lng[i]!, h.lat[i]!)) {
      count[f] = count[f]! + 1;
      seasons[f]!.add(String(input.period[i]));
    }
  }
  const cellsByArea: string[][] = Array.from({ length: nf }, () => []);
  if (input.facilities && input.facilities.lng.length > 0) {
    for (const c of input.cells ?? []) {
      const [lat, lng] = cellToLatLng(c);
      for (const f of index.featuresAt(lng, lat)) cellsByArea[f]!.push(c);
    }
  }
  return input.areas.features.map((_, f) => {
    const items: ExplanationItem[] = [];
    const k = seasons[f]!.size;
    if (k > 0) {
      items.push({ factor: 'repeat_burn', value: k, unit: 'seasons', text: `burnt in ${k} of ${P} seasons (${sp})` });
      const n = count[f]!;
      items.push({ factor: 'hotspot_detections', value: n, unit: 'detections', text: `${n} detection${n === 1 ? '' : 's'} in ${sp}` });
    } else {
      items.push({ factor: 'none', value: 0, unit: 'detections', text: `no detection in ${sp}` });
    }
    const fac = input.facilities;
    const cells = cellsByArea[f];
    if (fac && fac.lng.length > 0 && cells && cells.length > 0) {
      let best = { j: -1, km: Infinity };
      for (const c of cells) {
        const [lat, lng] = cellToLatLng(c);
        const nb = nearest(fac, lng, lat);
        if (nb.km < best.km) best = nb;
      }
      const nm = fac.name?.[best.j] || 'nearest facility';
      if (best.km <= (input.facilityWithinKm ?? 50)) items.push({ factor: 'facility_proximity', value: best.km, unit: 'km', text: `${nm} ${best.km.toFixed(0)} km away` });
    }
    return items;
  });
}

/**
 * Join the first `k` items' texts into one string (`'; '`-separated): the `explanation` column of cells and areas.
 *
 * @example
 * ```ts
 * import { explanationText } from 'hazetrace/risk';
 * explanationText([{ factor: 'repeat_burn', value: 2, unit: 'seasons', text: 'burnt in 2 of 4 seasons (2021–2024)' },
 *   { factor: 'hotspot_detections', value: 5, unit: 'detections', text: '5 detections in the cell in 2021–2024' }]);
 * // 'burnt in 2 of 4 seasons (2021–2024); 5 detections in the cell in 2021–2024'
 * ```
 */
export function explanationText(items: readonly ExplanationItem[], k = 3): string {
  checkItems('items', items);
  checkInt('k', k, 0, Number.MAX_SAFE_INTEGER);
  return items
    .slice(0, k)
    .map((x) => x.text)
    .join('; ');
}
