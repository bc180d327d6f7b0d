/**
 * Station values → cells by inverse-distance weighting, with a great-circle
 * k-nearest search over a kdbush index (the approach of mourner's geokdbush:
 * best-first branch-and-bound over the kd-tree with a lower bound of the
 * great-circle distance to each node's lng/lat box; own implementation).
 */
import KDBush from 'kdbush';
import { cellToLatLng, getResolution, isValidCell } from 'h3-js';
import { argError, checkInt, checkPositive, showValue } from '../core/errors.js';
import { EARTH_RADIUS_M, haversine } from '../core/geodesy.js';
import type { CellGrid, RejectedRow } from '../core/types.js';
import { coverPolygon } from './polygons.js';
import { checkArrayLike } from '../core/check.js';

const RAD = Math.PI / 180;
const hav = (x: number): number => {
  const s = Math.sin(x / 2);
  return s * s;
};

/**
 * A great-circle nearest-neighbour index over lng/lat points (kdbush underneath).
 *
 * @example
 * ```ts
 * import { GeoIndex } from 'hazetrace/grid';
 * const idx = new GeoIndex([98.98, 99.84, 100.5], [18.79, 19.91, 13.75]);
 * idx.nearest(99.0, 18.8, 1); // [{ id: 0, distanceM: ≈2.3e3 }]
 * ```
 */
export class GeoIndex {
  private readonly index: KDBush;
  readonly length: number;

  /** Index the points (copied into kdbush; the arrays are not kept). */
  constructor(lng: ArrayLike<number>, lat: ArrayLike<number>) {
    checkArrayLike('lng', lng);
    checkArrayLike('lat', lat);
    if (lng.length !== lat.length) throw argError('lat', lat, `the same length as lng (${lng.length})`);
    this.length = lng.length;
    this.index = new KDBush(Math.max(1, lng.length), 16);
    for (let i = 0; i < lng.length; i++) this.index.add(lng[i]!, lat[i]!);
    if (lng.length === 0) this.index.add(NaN, NaN);
    this.index.finish();
  }

  /**
   * Up to `k` nearest points within `maxDistanceM` of (lng, lat), nearest first
   * (ties by id). Distances are haversine metres (core `haversine`).
   */
  nearest(lng: number, lat: number, k = Infinity, maxDistanceM = Infinity): { id: number; distanceM: number }[] {
    const out: { id: number; distanceM: number }[] = [];
    if (this.length === 0 || k <= 0) return out;
    const { ids, coords, nodeSize } = this.index as unknown as { ids: ArrayLike<number>; coords: ArrayLike<number>; nodeSize: number };
    const cosLat = Math.cos(lat * RAD);
    const maxHav = maxDistanceM === Infinity ? Infinity : hav(Math.min(Math.PI, maxDistanceM / EARTH_RADIUS_M));
    // heap items: points [id, lng, lat] or nodes [left, right, axis, minX, minY, maxX, maxY], keyed by a lower bound of hav(d)
    const heap = new MinHeap();
    heap.push(0, [0, this.index.numItems - 1, 0, -180, -90, 180, 90]);
    while (heap.size > 0) {
      const [bound, item] = heap.pop()!;
      if (bound > maxHav) break;
      if (item.length === 3) {
        // kdbush keeps coords in tree order, so points carry their own coordinates
        out.push({ id: item[0]!, distanceM: haversine(lng, lat, item[1]!, item[2]!) });
        if (out.length >= k) break;
        continue;
      }
      const [left, right, axis, x0, y0, x1, y1] = item as [number, number, number, number, number, number, number];
      if (right - left <= nodeSize) {
        for (let i = left; i <= right; i++) {
          const x = coords[2 * i]!, y = coords[2 * i + 1]!;
          const h = hav((y - lat) * RAD) + cosLat * Math.cos(y * RAD) * hav((x - lng) * RAD);
          if (h <= maxHav) heap.push(h, [ids[i]!, x, y]);
        }
        continue;
      }
      const m = (left + right) >> 1;
      const mx = coords[2 * m]!, my = coords[2 * m + 1]!;
      const h = hav((my - lat) * RAD) + cosLat * Math.cos(my * RAD) * hav((mx - lng) * RAD);
      if (h <= maxHav) heap.push(h, [ids[m]!, mx, my]);
      const na = 1 - axis;
      const l = axis === 0 ? [left, m - 1, na, x0, y0, mx, y1] : [left, m - 1, na, x0, y0, x1, my];
      const r = axis === 0 ? [m + 1, right, na, mx, y0, x1, y1] : [m + 1, right, na, x0, my, x1, y1];
      for (const c of [l, r]) {
        if (c[0]! > c[1]!) continue;
        const b = boxBound(lng, lat, cosLat, c[3]!, c[4]!, c[5]!, c[6]!);
        if (b <= maxHav) heap.push(b, c);
      }
    }
    // exact order: sort by distance then id (the heap pops by bound, ties arbitrary)
    out.sort((a, b) => a.distanceM - b.distanceM || a.id - b.id);
    return out;
  }
}

/**
 * Lower bound of hav(d) from (lng, lat) to any point in the box:
 * hav d = hav Δφ + cos φ1 cos φ2 hav Δλ, each term bounded below separately
 * (smallest latitude gap, smallest cos φ over the box — an endpoint — and smallest
 * longitude gap, allowing for wrap-around).
 */
function boxBound(lng: number, lat: number, cosLat: number, x0: number, y0: number, x1: number, y1: number): number {
  const dLat = lat < y0 ? y0 - lat : lat > y1 ? lat - y1 : 0;
  let dLng = 0;
  if (lng < x0 || lng > x1) {
    const a = Math.abs(lng - x0), b = Math.abs(lng - x1);
    dLng = Math.min(a, b, 360 - a, 360 - b);
    dLng = Math.max(0, Math.min(180, dLng));
  }
  const cmin = Math.max(0, Math.min(Math.cos(y0 * RAD), Math.cos(y1 * RAD)));
  return hav(dLat * RAD) + cosLat * cmin * hav(dLng * RAD);
}

class MinHeap {
  private keys: number[] = [];
  private vals: number[][] = [];
  get size(): number {
    return this.keys.length;
  }
  push(k: number, v: number[]): void {
    const K = this.keys, V = this.vals;
    let i = K.length;
    K.push(k);
    V.push(v);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (K[p]! <= k) break;
      K[i] = K[p]!;
      V[i] = V[p]!;
      i = p;
    }
    K[i] = k;
    V[i] = v;
  }
  pop(): [number, number[]] | undefined {
    const K = this.keys, V = this.vals;
    if (K.length === 0) return undefined;
    const top: [number, number[]] = [K[0]!, V[0]!];
    const k = K.pop()!, v = V.pop()!;
    const n = K.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && K[c + 1]! < K[c]!) c++;
        if (K[c]! >= k) break;
        K[i] = K[c]!;
        V[i] = V[c]!;
        i = c;
      }
      K[i] = k;
      V[i] = v;
    }
    return top;
  }
}

export interface IdwOptions {
  /** Distance exponent; default 2. */
  power?: number;
  /** Ignore stations farther than this (km); default no limit. */
  maxDistanceKm?: number;
  /** Use at most the k nearest stations; default all. */
  k?: number;
  /** Cells with fewer usable stations get NaN (and are counted in `uncovered`); default 1. */
  minPoints?: number;
}

/** Result of {@link idwToCells}: columns `value`, `n` (stations used) and `nearest_km`. */
export interface IdwGrid extends CellGrid {
  /** Cells left NaN because fewer than `minPoints` stations were in reach. */
  uncovered: number;
  /** Stations not used (NaN coordinates or value). */
  rejected: RejectedRow[];
  toJSON(): { res: number; cells: string[]; columns: Record<string, (number | null)[]>; uncovered: number };
}

/**
 * Inverse-distance weighting of station values onto H3 cell centres:
 * v = Σ wᵢ vᵢ / Σ wᵢ with wᵢ = 1 / dᵢ^power over the usable stations (great-circle
 * distances). A station within 1 mm of a centre gives its value directly.
 *
 * @example
 * ```ts
 * import { idwToCells } from 'hazetrace/grid';
 * const stations = { lng: [98.98, 99.82], lat: [18.79, 19.91], value: [80, 120] };
 * const g = idwToCells(stations, { res: 5, bbox: [98.5, 18.5, 100, 20] }, { power: 2, maxDistanceKm: 100 });
 * g.columns.value; // interpolated PM2.5 per cell (NaN beyond 100 km of any station)
 * ```
 */
export function idwToCells(
  stations: { lng: ArrayLike<number>; lat: ArrayLike<number>; value: ArrayLike<number> },
  target: readonly string[] | { res: number; bbox: readonly [number, number, number, number] },
  options: IdwOptions = {},
): IdwGrid {
  if (!stations || typeof stations !== 'object') throw argError('stations', stations, 'an object with lng, lat, value arrays');
  const n = stations.lng?.length;
  if (typeof n !== 'number' || stations.lat?.length !== n || stations.value?.length !== n) {
    throw argError('stations', stations, 'lng, lat and value arrays of equal length');
  }
  const power = options.power === undefined ? 2 : checkPositive('options.power', options.power);
  const maxM = options.maxDistanceKm === undefined ? Infinity : checkPositive('options.maxDistanceKm', options.maxDistanceKm) * 1000;
  const k = options.k === undefined ? Infinity : checkInt('options.k', options.k, 1, Number.MAX_SAFE_INTEGER);
  const minPoints = options.minPoints === undefined ? 1 : checkInt('options.minPoints', options.minPoints, 1, Number.MAX_SAFE_INTEGER);

  let cells: string[];
  let res: number;
  if (Array.isArray(target)) {
    cells = target.slice();
    cells.forEach((c, i) => {
      if (typeof c !== 'string' || !isValidCell(c)) throw argError(`target[${i}]`, c, 'an H3 cell (hex string)');
    });
    res = cells.length ? getResolution(cells[0]!) : 0;
  } else if (target && typeof target === 'object' && 'bbox' in target) {
    res = checkInt('target.res', target.res, 0, 15);
    const b = target.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every(Number.isFinite) || b[0] >= b[2] || b[1] >= b[3]) {
      throw argError('target.bbox', b, '[west, south, east, north] with west < east and south < north');
    }
    const [w, s, e, nn] = b;
    cells = coverPolygon({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, nn], [w, nn], [w, s]]] }, { res }).cells;
  } else {
    throw argError('target', target, 'an array of H3 cells or { res, bbox }');
  }

  const rejected: RejectedRow[] = [];
  const useLng: number[] = [], useLat: number[] = [], useVal: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = stations.lng[i]!, y = stations.lat[i]!, v = stations.value[i]!;
    if (!(Math.abs(x) <= 180 && Math.abs(y) <= 90)) rejected.push({ row: i + 1, column: 'lng/lat', code: 'E_COORD', message: `station coordinates not usable: ${showValue(x)}, ${showValue(y)}` });
    else if (!Number.isFinite(v)) rejected.push({ row: i + 1, column: 'value', code: 'E_NUMBER', message: `station value not finite: ${showValue(v)}` });
    else {
      useLng.push(x);
      useLat.push(y);
      useVal.push(v);
    }
  }
  const index = new GeoIndex(useLng, useLat);
  const value = new Float64Array(cells.length);
  const used = new Float64Array(cells.length);
  const nearestKm = new Float64Array(cells.length);
  let uncovered = 0;
  cells.forEach((c, i) => {
    const [lat, lng] = cellToLatLng(c);
    const nb = index.nearest(lng, lat, k, maxM);
    used[i] = nb.length;
    nearestKm[i] = nb.length ? nb[0]!.distanceM / 1000 : NaN;
    if (nb.length < minPoints || nb.length === 0) {
      value[i] = NaN;
      uncovered++;
      return;
    }
    if (nb[0]!.distanceM < 1e-3) {
      // coincident station(s): their mean, not a division by zero
      let s = 0, m = 0;
      for (const x of nb) if (x.distanceM < 1e-3) { s += useVal[x.id]!; m++; }
      value[i] = s / m;
      return;
    }
    let sw = 0, swv = 0;
    for (const x of nb) {
      const w = 1 / Math.pow(x.distanceM, power);
      sw += w;
      swv += w * useVal[x.id]!;
    }
    value[i] = swv / sw;
  });
  const columns = { value, n: used, nearest_km: nearestKm };
  const grid: IdwGrid = {
    res,
    cells,
    columns,
    uncovered,
    rejected,
    toJSON() {
      const c: Record<string, (number | null)[]> = {};
      for (const [key, v] of Object.entries(columns)) c[key] = Array.from(v, (x) => (Number.isFinite(x) ? x : null));
      return { res, cells, columns: c, uncovered };
    },
  };
  Object.defineProperty(grid, 'toJSON', { enumerable: false });
  return grid;
}
