/**
 * Polygons → H3 cells (docs/grid.md).
 *
 * Geometry assumptions (documented, and what the tests check):
 * - GeoJSON `Polygon`/`MultiPolygon`, `[lng, lat]` degrees, edges straight in
 *   lng/lat (RFC 7946 and H3's own point-in-polygon are both planar in lng/lat).
 * - A jump of more than 180° in longitude between consecutive vertices is read
 *   as crossing the antimeridian the short way (the ring is unwrapped, so
 *   170 → −170 continues to 190). A ring may also be given with longitudes
 *   beyond ±180. Any polygon that is then wider than 180° or leaves [−180, 180]
 *   is cut into strips at most 90° wide, each shifted back into [−180, 180]
 *   (h3-js would otherwise take the short way round and cover the wrong side).
 * - Holes are subtracted; rings may be either orientation.
 *
 * `centroid` mode is h3-js `polygonToCells` (cell centre inside) on each piece.
 * `fraction` mode takes every cell h3-js reports as overlapping a piece
 * (`polygonToCellsExperimental`, containmentOverlapping) and their neighbours, gives cells reported
 * as fully inside (containmentFull) fraction 1 and clips the others exactly:
 * the polygon's rings are clipped to the convex cell (Sutherland–Hodgman), and
 * areas are the exact spherical area of lng/lat-straight edges
 * (A = −R² ∮ sin φ dλ, Green's theorem), so the fractions of the cells that
 * tile a polygon add up to its area.
 */
import {
  POLYGON_TO_CELLS_FLAGS,
  cellArea,
  cellToBoundary,
  cellToLatLng,
  getHexagonEdgeLengthAvg,
  gridDisk,
  polygonToCells,
  polygonToCellsExperimental,
} from 'h3-js';
import Flatbush from 'flatbush';
import { argError, checkInt, HazetraceError, showValue } from '../core/errors.js';
import { EARTH_RADIUS_M, KM_PER_DEG } from '../core/geodesy.js';
import type { CellGrid } from '../core/types.js';
import { checkArray } from '../core/check.js';

type Ring = number[][];
/** GeoJSON Polygon or MultiPolygon geometry (or a Feature holding one). */
export type PolygonGeometry =
  | { type: 'Polygon'; coordinates: number[][][] }
  | { type: 'MultiPolygon'; coordinates: number[][][][] };
export type PolygonInput = PolygonGeometry | { type: 'Feature'; geometry: PolygonGeometry | null; properties?: unknown };

export interface CoverOptions {
  /** H3 resolution 0–15. */
  res: number;
  /** `'centroid'` (default): cells whose centre is inside (h3-js polygonToCells). `'fraction'`: every touching cell with its covered fraction. */
  mode?: 'centroid' | 'fraction';
}

/** A {@link CellGrid} with `fraction` (0–1 of the cell covered; 1 in centroid mode) and, in fraction mode, `area_m2` (covered area). */
export interface CoverGrid extends CellGrid {
  toJSON(): { res: number; cells: string[]; columns: Record<string, number[]> };
}

const DEG = Math.PI / 180;

function polygonsOf(input: PolygonInput, name: string): Ring[][] {
  if (!input || typeof input !== 'object') throw argError(name, input, 'a GeoJSON Polygon or MultiPolygon');
  const g = input.type === 'Feature' ? input.geometry : input;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) throw argError(name, (g as { type?: unknown } | null)?.type, 'a GeoJSON Polygon or MultiPolygon');
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polys)) throw argError(`${name}.coordinates`, polys, 'an array of rings');
  for (const p of polys) {
    if (!Array.isArray(p) || p.length === 0) throw argError(`${name}.coordinates`, p, 'a polygon as a non-empty array of rings');
    for (const ring of p) {
      if (!Array.isArray(ring) || ring.length < 4) throw argError(`${name}.coordinates`, ring, 'linear rings of at least 4 positions');
      for (const pt of ring) {
        if (!Array.isArray(pt) || !Number.isFinite(pt[0]) || !Number.isFinite(pt[1]) || Math.abs(pt[1]!) > 90) {
          throw new HazetraceError('E_INPUT', `${name} has an invalid position ${showValue(pt)}`, { argument: name, value: pt });
        }
      }
    }
  }
  return polys as Ring[][];
}

/** Unwrap jumps of > 180° so the ring is continuous in longitude. */
function unwrapRing(ring: Ring): Ring {
  const out: Ring = [];
  let shift = 0;
  let prev = ring[0]![0]!;
  for (const p of ring) {
    let x = p[0]! + shift;
    while (x - prev > 180) { x -= 360; shift -= 360; }
    while (x - prev < -180) { x += 360; shift += 360; }
    out.push([x, p[1]!]);
    prev = x;
  }
  return out;
}

/** Sutherland–Hodgman clip of a ring against the half-plane a·x + b·y ≤ c. */
function clipHalfPlane(ring: Ring, a: number, b: number, c: number): Ring {
  const out: Ring = [];
  const n = ring.length;
  if (n === 0) return out;
  for (let i = 0; i < n; i++) {
    const P = ring[i]!, Q = ring[(i + 1) % n]!;
    const dp = a * P[0]! + b * P[1]! - c, dq = a * Q[0]! + b * Q[1]! - c;
    if (dp <= 0) out.push(P);
    if ((dp < 0 && dq > 0) || (dp > 0 && dq < 0)) {
      const t = dp / (dp - dq);
      out.push([P[0]! + t * (Q[0]! - P[0]!), P[1]! + t * (Q[1]! - P[1]!)]);
    }
  }
  return out;
}

function openRing(r: Ring): Ring {
  const a = r[0]!, b = r[r.length - 1]!;
  return a[0] === b[0] && a[1] === b[1] ? r.slice(0, -1) : r.slice();
}

function closeRing(r: Ring): Ring {
  return r.length ? [...r, r[0]!] : r;
}

/**
 * Split into pieces that each lie inside [−180, 180] and are narrower than 180°,
 * as polygons with closed rings (holes clipped the same way as their shell).
 *
 * @example
 * ```ts
 * import { splitAntimeridian } from 'hazetrace/grid';
 * splitAntimeridian({ type: 'Polygon', coordinates: [[[179, -17], [-179, -17], [-179, -16], [179, -16], [179, -17]]] });
 * // two pieces: 179..180 and −180..−179
 * ```
 */
export function splitAntimeridian(input: PolygonInput): Ring[][] {
  return splitPieces(input, false);
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

/**
 * The first pair of edges of a polygon's (open, unwrapped) rings that cross each other, or null. Only proper
 * crossings count (each edge's interior cut by the other), so rings that touch at a vertex are fine. Edge boxes go
 * into a packed R-tree, so a ring of n vertices costs about n log n, not n².
 */
function firstCrossing(rings: readonly Ring[]): { ring: [number, number]; edge: [number, number]; at: [number, number] } | null {
  let n = 0;
  for (const r of rings) n += r.length;
  if (n < 4) return null;
  const ringOf = new Int32Array(n);
  const idxOf = new Int32Array(n);
  const ax = new Float64Array(n), ay = new Float64Array(n), bx = new Float64Array(n), by = new Float64Array(n);
  const index = new Flatbush(n);
  let k = 0;
  rings.forEach((r, ri) => {
    for (let i = 0; i < r.length; i++) {
      const P = r[i]!, Q = r[(i + 1) % r.length]!;
      ringOf[k] = ri;
      idxOf[k] = i;
      ax[k] = P[0]!; ay[k] = P[1]!; bx[k] = Q[0]!; by[k] = Q[1]!;
      index.add(Math.min(P[0]!, Q[0]!), Math.min(P[1]!, Q[1]!), Math.max(P[0]!, Q[0]!), Math.max(P[1]!, Q[1]!));
      k++;
    }
  });
  index.finish();
  for (let e = 0; e < n; e++) {
    const len = rings[ringOf[e]!]!.length;
    const hits = index.search(Math.min(ax[e]!, bx[e]!), Math.min(ay[e]!, by[e]!), Math.max(ax[e]!, bx[e]!), Math.max(ay[e]!, by[e]!));
    for (const f of hits) {
      if (f <= e) continue;
      if (ringOf[f] === ringOf[e]) {
        const d = Math.abs(idxOf[f]! - idxOf[e]!);
        if (d <= 1 || d === len - 1) continue; // neighbours share a vertex
      }
      const o1 = orient(ax[e]!, ay[e]!, bx[e]!, by[e]!, ax[f]!, ay[f]!);
      const o2 = orient(ax[e]!, ay[e]!, bx[e]!, by[e]!, bx[f]!, by[f]!);
      const o3 = orient(ax[f]!, ay[f]!, bx[f]!, by[f]!, ax[e]!, ay[e]!);
      const o4 = orient(ax[f]!, ay[f]!, bx[f]!, by[f]!, bx[e]!, by[e]!);
      if (o1 * o2 < 0 && o3 * o4 < 0) {
        const t = o3 / (o3 - o4);
        return { ring: [ringOf[e]!, ringOf[f]!], edge: [idxOf[e]!, idxOf[f]!], at: [ax[e]! + t * (bx[e]! - ax[e]!), ay[e]! + t * (by[e]! - ay[e]!)] };
      }
    }
  }
  return null;
}

/** Split into antimeridian-safe pieces; with `validate`, a polygon whose rings cross themselves or each other throws. */
function splitPieces(input: PolygonInput, validate: boolean): Ring[][] {
  const out: Ring[][] = [];
  let pi = -1;
  for (const poly of polygonsOf(input, 'geometry')) {
    pi++;
    const rings = poly.map((r) => unwrapRing(openRing(r)));
    if (validate) {
      const x = firstCrossing(rings);
      if (x) {
        const where = (ri: number, ei: number): string => `${ri === 0 ? 'outer ring' : `hole ${ri}`} edge ${ei + 1}`;
        const at = `(${+x.at[0].toFixed(6)}, ${+x.at[1].toFixed(6)})`;
        throw new HazetraceError(
          'E_INPUT',
          `polygon ${pi + 1} is self-intersecting: ${where(x.ring[0], x.edge[0])} crosses ${where(x.ring[1], x.edge[1])} at ${at}; its inside is undefined ` +
            '(a bow-tie has area 0 yet covers cells). Split it into simple rings (e.g. `mapshaper -clean`, PostGIS ST_MakeValid)',
          { argument: 'geometry', reason: 'self-intersection', polygon: pi + 1, at: x.at },
        );
      }
    }
    // shift so the shell starts inside [−180, 180]
    let lo = Infinity, hi = -Infinity;
    for (const p of rings[0]!) { lo = Math.min(lo, p[0]!); hi = Math.max(hi, p[0]!); }
    const k = Math.round(((lo + hi) / 2) / 360) * 360;
    if (k !== 0) for (const r of rings) for (const p of r) p[0] = p[0]! - k;
    lo -= k;
    hi -= k;
    if (lo >= -180 && hi <= 180 && hi - lo < 180) {
      out.push(rings.map(closeRing));
      continue;
    }
    for (let x0 = Math.floor(lo / 90) * 90; x0 < hi; x0 += 90) {
      const pieces = rings.map((r) => clipHalfPlane(clipHalfPlane(r, 1, 0, x0 + 90), -1, 0, -x0));
      if (pieces[0]!.length < 3) continue;
      const s = Math.floor((x0 + 180) / 360) * 360; // bring the strip into [−180, 180]
      out.push(pieces.filter((r) => r.length >= 3).map((r) => closeRing(r.map((p) => [p[0]! - s, p[1]!]))));
    }
  }
  return out;
}

/**
 * Exact area (m²) on the sphere of a ring whose edges are straight in lng/lat: |R² ∮ sin φ dλ|.
 *
 * @example
 * ```ts
 * import { ringAreaM2 } from 'hazetrace/grid';
 * ringAreaM2([[0, 0], [1, 0], [1, 1], [0, 1]]); // ≈ 1.2364e10 (a 1° square at the equator)
 * ```
 */
export function ringAreaM2(ring: Ring): number {
  checkArray('ring', ring);
  let s = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const P = ring[i]!, Q = ring[(i + 1) % n]!;
    const l1 = P[0]! * DEG, l2 = Q[0]! * DEG, p1 = P[1]! * DEG, p2 = Q[1]! * DEG;
    const h = (p2 - p1) / 2;
    s += (l2 - l1) * Math.sin((p1 + p2) / 2) * (h === 0 ? 1 : Math.sin(h) / h);
  }
  return Math.abs(s) * EARTH_RADIUS_M * EARTH_RADIUS_M;
}

/**
 * Area (m²) of a polygon (shell minus holes) with lng/lat-straight edges. A self-intersecting polygon (rings that
 * cross themselves or each other, e.g. a bow-tie) throws `E_INPUT` naming the crossing edges and point.
 *
 * @example
 * ```ts
 * import { polygonAreaM2 } from 'hazetrace/grid';
 * polygonAreaM2({ type: 'Polygon', coordinates: [[[98, 18], [99, 18], [99, 19], [98, 19], [98, 18]]] }); // m²
 * ```
 */
export function polygonAreaM2(input: PolygonInput): number {
  let a = 0;
  for (const poly of splitPieces(input, true)) {
    poly.forEach((r, i) => { a += (i === 0 ? 1 : -1) * ringAreaM2(openRing(r)); });
  }
  return a;
}

/** Cell boundary as an open ring, longitudes unwrapped and shifted next to `nearLng`. */
function cellRing(cell: string, nearLng: number): Ring {
  // open the ring before unwrapping: shifting by 360 can make the closing vertex differ from the first by an ulp
  const o = unwrapRing(openRing(cellToBoundary(cell, true).map((p) => [p[0]!, p[1]!])));
  let cx = 0;
  for (const p of o) cx += p[0]!;
  cx /= o.length;
  const k = Math.round((cx - nearLng) / 360) * 360;
  if (k !== 0) for (const p of o) p[0] = p[0]! - k;
  return o;
}

/** Clip signed rings (+1 shell, −1 hole) to the convex cell and return the covered area (m²). */
function coveredArea(rings: readonly Ring[], signs: readonly number[], cell: Ring): number {
  // orientation of the cell decides the inside side of each edge
  let s = 0;
  for (let i = 0; i < cell.length; i++) {
    const P = cell[i]!, Q = cell[(i + 1) % cell.length]!;
    s += P[0]! * Q[1]! - Q[0]! * P[1]!;
  }
  const sign = s > 0 ? 1 : -1;
  let area = 0;
  rings.forEach((ring, ri) => {
    let r = ring;
    for (let i = 0; i < cell.length && r.length > 0; i++) {
      const P = cell[i]!, Q = cell[(i + 1) % cell.length]!;
      // inside = left of P→Q for a ccw cell: cross((Q−P),(X−P)) ≥ 0 ⇔ a·x + b·y ≤ c
      const a = sign * (Q[1]! - P[1]!), b = -sign * (Q[0]! - P[0]!);
      if (a === 0 && b === 0) continue;
      r = clipHalfPlane(r, a, b, a * P[0]! + b * P[1]!);
    }
    if (r.length >= 3) area += signs[ri]! * ringAreaM2(r);
  });
  return area;
}

/**
 * Quadtree of a polygon piece pre-clipped to quadrants, so clipping one cell
 * touches only the few vertices near it instead of the whole province outline
 * (tiles partition the plane, so the areas of a cell's intersections with the
 * tiles it overlaps add up to its intersection with the polygon).
 */
interface QuadNode {
  x0: number; y0: number; x1: number; y1: number;
  rings?: Ring[];
  signs?: number[];
  kids?: QuadNode[];
}

function buildQuad(rings: Ring[], signs: number[], x0: number, y0: number, x1: number, y1: number, minSize: number, depth: number): QuadNode {
  let nv = 0;
  for (const r of rings) nv += r.length;
  if (nv <= 64 || depth >= 16 || x1 - x0 <= minSize) return { x0, y0, x1, y1, rings, signs };
  const mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
  const kids: QuadNode[] = [];
  for (const [ax0, ay0, ax1, ay1] of [[x0, y0, mx, my], [mx, y0, x1, my], [x0, my, mx, y1], [mx, my, x1, y1]] as const) {
    const kr: Ring[] = [], ks: number[] = [];
    rings.forEach((r, i) => {
      let c = ax0 > x0 ? clipHalfPlane(r, -1, 0, -ax0) : r;
      if (ax1 < x1) c = clipHalfPlane(c, 1, 0, ax1);
      if (ay0 > y0) c = clipHalfPlane(c, 0, -1, -ay0);
      if (ay1 < y1) c = clipHalfPlane(c, 0, 1, ay1);
      if (c.length >= 3) { kr.push(c); ks.push(signs[i]!); }
    });
    if (kr.length > 0 && ks.includes(1)) kids.push(buildQuad(kr, ks, ax0, ay0, ax1, ay1, minSize, depth + 1));
  }
  return { x0, y0, x1, y1, kids };
}

function quadArea(node: QuadNode, cell: Ring, bx0: number, by0: number, bx1: number, by1: number): number {
  if (bx1 < node.x0 || bx0 > node.x1 || by1 < node.y0 || by0 > node.y1) return 0;
  if (node.rings) return coveredArea(node.rings, node.signs!, cell);
  let a = 0;
  for (const k of node.kids!) a += quadArea(k, cell, bx0, by0, bx1, by1);
  return a;
}

function quadFor(piece: Ring[], cellSizeDeg: number): QuadNode {
  const rings = piece.map(openRing);
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of rings[0]!) { x0 = Math.min(x0, p[0]!); x1 = Math.max(x1, p[0]!); y0 = Math.min(y0, p[1]!); y1 = Math.max(y1, p[1]!); }
  return buildQuad(rings, rings.map((_, i) => (i === 0 ? 1 : -1)), x0, y0, x1, y1, cellSizeDeg, 0);
}

function makeGrid(res: number, cells: string[], columns: Record<string, Float64Array>): CoverGrid {
  const g: CoverGrid = {
    res,
    cells,
    columns,
    toJSON() {
      const c: Record<string, number[]> = {};
      for (const [k, v] of Object.entries(columns)) c[k] = Array.from(v);
      return { res, cells, columns: c };
    },
  };
  Object.defineProperty(g, 'toJSON', { enumerable: false });
  return g;
}

/**
 * Cover a polygon with H3 cells: by centroid containment (equal to h3-js
 * `polygonToCells`) or by area fraction (every cell touching the polygon with
 * the fraction of the cell it covers, so Σ cell area × fraction = polygon area).
 * Cells are sorted by id. A self-intersecting polygon (a ring crossing itself or another ring, e.g. a bow-tie whose
 * signed area is 0) is rejected with `E_INPUT` naming the crossing edges and point, never covered.
 *
 * @example
 * ```ts
 * import { coverPolygon } from 'hazetrace/grid';
 * const square = { type: 'Polygon', coordinates: [[[98, 18], [99, 18], [99, 19], [98, 19], [98, 18]]] } as const;
 * coverPolygon(square, { res: 6 }).cells.length;                      // cells whose centre is inside
 * const f = coverPolygon(square, { res: 6, mode: 'fraction' });
 * f.columns.fraction; f.columns.area_m2;                              // Σ area_m2 ≈ area of the square
 * ```
 */
export function coverPolygon(geometry: PolygonInput, options: CoverOptions): CoverGrid {
  if (typeof options !== 'object' || options === null) throw argError('options', options, 'an object with res');
  const res = checkInt('options.res', options.res, 0, 15);
  const mode = options.mode ?? 'centroid';
  if (mode !== 'centroid' && mode !== 'fraction') throw argError('options.mode', mode, "'centroid' or 'fraction'");
  const pieces = splitPieces(geometry, true);
  if (mode === 'centroid') {
    const set = new Set<string>();
    for (const piece of pieces) for (const c of polygonToCells(piece, res, true)) set.add(c);
    const cells = [...set].sort();
    return makeGrid(res, cells, { fraction: new Float64Array(cells.length).fill(1) });
  }
  const area = new Map<string, number>();
  for (const piece of pieces) {
    const full = new Set(polygonToCellsExperimental(piece, res, POLYGON_TO_CELLS_FLAGS.containmentFull, true));
    const touching = new Set(polygonToCellsExperimental(piece, res, POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true));
    // h3-js's overlap test misses cells that straddle ±180° next to a piece cut
    // there; every cell the polygon touches is a neighbour of a partial cell,
    // so add those neighbours as candidates (exact clipping drops non-touching ones).
    for (const c of [...touching]) if (!full.has(c)) for (const nb of gridDisk(c, 1)) touching.add(nb);
    let lo = Infinity, hi = -Infinity;
    for (const p of piece[0]!) { lo = Math.min(lo, p[0]!); hi = Math.max(hi, p[0]!); }
    const mid = (lo + hi) / 2;
    // quadtree leaves down to ~2 cell widths (edge length in degrees at the equator × 4)
    const quad = quadFor(piece, (getHexagonEdgeLengthAvg(res, 'km') / 111.32) * 4);
    for (const c of touching) {
      const ring = cellRing(c, mid);
      let a: number;
      if (full.has(c)) a = ringAreaM2(ring);
      else {
        let bx0 = Infinity, by0 = Infinity, bx1 = -Infinity, by1 = -Infinity;
        for (const p of ring) { bx0 = Math.min(bx0, p[0]!); bx1 = Math.max(bx1, p[0]!); by0 = Math.min(by0, p[1]!); by1 = Math.max(by1, p[1]!); }
        a = Math.max(0, quadArea(quad, ring, bx0, by0, bx1, by1));
      }
      if (a > 0) area.set(c, (area.get(c) ?? 0) + a);
    }
  }
  // drop floating-point slivers (degenerate clip bridges along a cell edge leave ~1e-12 of a cell)
  const kept: [string, number][] = [];
  for (const [c, a] of area) {
    const f = Math.min(1, a / ringAreaM2(cellRing(c, cellToLatLng(c)[1])));
    if (f > 1e-9) kept.push([c, f]);
  }
  kept.sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const cells = kept.map((x) => x[0]);
  const fraction = Float64Array.from(kept, (x) => x[1]);
  const covered = Float64Array.from(kept, (x) => x[1] * cellArea(x[0], 'm2'));
  return makeGrid(res, cells, { fraction, area_m2: covered });
}

/** Even-odd point-in-polygon on lng/lat-straight edges over all pieces. */
function inPieces(pieces: Ring[][], lng: number, lat: number): boolean {
  let inside = false;
  for (const piece of pieces) {
    for (const ring of piece) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const xi = ring[i]![0]!, yi = ring[i]![1]!, xj = ring[j]![0]!, yj = ring[j]![1]!;
        if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** Point → polygon lookup built by {@link polygonLookup}. */
export interface PolygonLookup {
  /** Number of features given (skipped ones included, so indices match the input). */
  length: number;
  /** Features skipped because they hold no Polygon/MultiPolygon (only with `skipInvalid`). */
  skipped: number;
  /** Indices of the features containing (lng, lat), ascending (usually zero or one; overlapping layers give more). */
  featuresAt(lng: number, lat: number): number[];
  /**
   * The feature whose boundary is nearest to (lng, lat) within `maxKm` (distance to the polygon's edges on a local
   * equirectangular projection, accurate to well under 1 % at these ranges), or null. Meant for points that fall
   * just outside simplified boundaries (coasts, generalised borders); a point inside a feature is at distance 0.
   */
  nearestWithin(lng: number, lat: number, maxKm: number): { feature: number; distanceKm: number } | null;
}

/**
 * Index Polygon/MultiPolygon features for point lookups: each feature is split at the antimeridian
 * ({@link splitAntimeridian}), a packed R-tree (flatbush) holds the pieces' boxes, and an exact even-odd test runs
 * only on the few candidate pieces — so tagging many points against districts or countries never loops over
 * every polygon. Shared by cell → area mapping here and source tagging in hazetrace/attribution.
 *
 * @example
 * ```ts
 * import { polygonLookup } from 'hazetrace/grid';
 * const sq = (x: number) => ({ type: 'Polygon' as const, coordinates: [[[x, 18], [x + 1, 18], [x + 1, 19], [x, 19], [x, 18]]] });
 * const idx = polygonLookup([sq(98), sq(99)]);
 * idx.featuresAt(99.5, 18.5); // [1]
 * idx.nearestWithin(100.05, 18.5, 10); // { feature: 1, distanceKm: ≈5.3 }: just east of the second square
 * ```
 */
export function polygonLookup(
  features: readonly (PolygonInput | null | undefined)[],
  options: { skipInvalid?: boolean } = {},
): PolygonLookup {
  if (!Array.isArray(features)) throw argError('features', features, 'an array of GeoJSON Polygon/MultiPolygon features');
  const pieceRings: Ring[][] = [];
  const pieceFeature: number[] = [];
  let skipped = 0;
  features.forEach((f, i) => {
    const g = f && typeof f === 'object' && f.type === 'Feature' ? f.geometry : f;
    if (options.skipInvalid && (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon'))) {
      skipped++;
      return;
    }
    for (const piece of splitAntimeridian(checkFeature(f, i))) {
      pieceRings.push(piece);
      pieceFeature.push(i);
    }
  });
  const index = new Flatbush(Math.max(1, pieceRings.length));
  for (const piece of pieceRings) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const q of piece[0]!) { x0 = Math.min(x0, q[0]!); x1 = Math.max(x1, q[0]!); y0 = Math.min(y0, q[1]!); y1 = Math.max(y1, q[1]!); }
    index.add(x0, y0, x1, y1);
  }
  if (pieceRings.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  return {
    length: features.length,
    skipped,
    featuresAt(lng, lat) {
      const out: number[] = [];
      if (pieceRings.length === 0) return out;
      for (const p of index.search(lng, lat, lng, lat)) {
        const f = pieceFeature[p]!;
        if (!out.includes(f) && inPieces([pieceRings[p]!], lng, lat)) out.push(f);
      }
      return out.sort((a, b) => a - b);
    },
    nearestWithin(lng, lat, maxKm) {
      if (pieceRings.length === 0 || !(maxKm >= 0)) return null;
      const inside = this.featuresAt(lng, lat)[0];
      if (inside !== undefined) return { feature: inside, distanceKm: 0 };
      const kmY = KM_PER_DEG;
      const kmX = kmY * Math.cos(lat * DEG);
      const dLat = maxKm / kmY;
      const dLng = kmX > 1e-9 ? Math.min(180, maxKm / kmX) : 180;
      let best: { feature: number; distanceKm: number } | null = null;
      for (const p of index.search(lng - dLng, lat - dLat, lng + dLng, lat + dLat)) {
        for (const ring of pieceRings[p]!) {
          for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
            // point-to-segment distance in km on the local tangent plane at the query point
            const ax = (ring[j]![0]! - lng) * kmX, ay = (ring[j]![1]! - lat) * kmY;
            const bx = (ring[i]![0]! - lng) * kmX, by = (ring[i]![1]! - lat) * kmY;
            const ex = bx - ax, ey = by - ay;
            const len2 = ex * ex + ey * ey;
            const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * ex + ay * ey) / len2)) : 0;
            const d = Math.hypot(ax + t * ex, ay + t * ey);
            if (d <= maxKm && (best === null || d < best.distanceKm || (d === best.distanceKm && pieceFeature[p]! < best.feature))) {
              best = { feature: pieceFeature[p]!, distanceKm: d };
            }
          }
        }
      }
      return best;
    },
  };
}

/** Result of {@link cellsToPolygons}. */
export interface CellPolygonIndex {
  /** Feature index containing each cell's centre, −1 when none. Aligned with the input cells. */
  feature: Int32Array;
}

/**
 * For each cell, the index of the first feature whose polygon contains the
 * cell's centre (−1 if none): maps cells to provinces, districts or countries
 * through {@link polygonLookup}.
 *
 * @example
 * ```ts
 * import { cellsToPolygons } from 'hazetrace/grid';
 * const provinces = [{ type: 'Feature', properties: { name: 'A' }, geometry: { type: 'Polygon', coordinates: [[[98, 18], [99, 18], [99, 19], [98, 19], [98, 18]]] } }] as const;
 * cellsToPolygons(['8665a4a57ffffff'], provinces).feature; // Int32Array [0] or [-1]
 * ```
 */
export function cellsToPolygons(cells: readonly string[], features: readonly PolygonInput[]): CellPolygonIndex {
  if (!Array.isArray(cells)) throw argError('cells', cells, 'an array of H3 cells');
  const lookup = polygonLookup(features);
  const feature = new Int32Array(cells.length).fill(-1);
  cells.forEach((c, i) => {
    const [lat, lng] = cellToLatLng(c);
    feature[i] = lookup.featuresAt(lng, lat)[0] ?? -1;
  });
  return { feature };
}

function checkFeature(f: PolygonInput | null | undefined, i: number): PolygonInput {
  if (!f || typeof f !== 'object') throw argError(`features[${i}]`, f, 'a GeoJSON Polygon/MultiPolygon (feature)');
  return f;
}

/** Result of {@link assignCellsToPolygons}: every cell of every feature (by centroid), with its feature index. */
export interface PolygonCells {
  res: number;
  cells: string[];
  feature: Int32Array;
  /** Feature index of a cell, −1 when it is in none. */
  lookup(cell: string): number;
}

/**
 * Cover each feature by centroid containment and list (cell, feature) pairs:
 * a cell → province/district/country table at one resolution. Features that
 * overlap give a cell to the first of them.
 *
 * @example
 * ```ts
 * import { assignCellsToPolygons } from 'hazetrace/grid';
 * const sq = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 18], [x + 1, 18], [x + 1, 19], [x, 19], [x, 18]]] }) as const;
 * const t = assignCellsToPolygons([sq(98), sq(99)], 5);
 * t.lookup(t.cells[0]!); // 0 or 1
 * ```
 */
export function assignCellsToPolygons(features: readonly PolygonInput[], res: number): PolygonCells {
  if (!Array.isArray(features)) throw argError('features', features, 'an array of GeoJSON Polygon/MultiPolygon features');
  checkInt('res', res, 0, 15);
  const map = new Map<string, number>();
  features.forEach((f, i) => {
    for (const c of coverPolygon(checkFeature(f, i), { res }).cells) if (!map.has(c)) map.set(c, i);
  });
  const cells = [...map.keys()].sort();
  const feature = Int32Array.from(cells, (c) => map.get(c)!);
  return { res, cells, feature, lookup: (c: string) => map.get(c) ?? -1 };
}
