/**
 * Points → H3 cells with mergeable aggregates (docs/grid.md).
 *
 * Partial state per cell (and time bin) and value column, each kept only when
 * an aggregate needs it: n, sum, mean, M2 (sum of squared deviations, Welford),
 * min, max — all mergeable by Chan et al.'s pairwise update (means and M2 to
 * rounding) — plus, only when a percentile is requested,
 * the cell's values kept sorted, so percentiles merge exactly too (at the cost
 * of 8 bytes per value). Variance uses M2 rather than a raw sum of squares,
 * which loses digits when the mean is large against the spread.
 *
 * Row order is deterministic: by default the order in which cells (cell, time
 * bin pairs) first appear in the input — free to produce, and it makes
 * `mergeGrids(a, b)` come out in the same order as gridding `a`'s points then
 * `b`'s. `order: 'cell'` sorts by cell id (h3 hex strings of one resolution have
 * equal length, so this is numeric order), then by time bin.
 */
import { cellToParent, getResolution } from 'h3-js';
import { HazetraceError, argError, checkInt, showValue } from '../core/errors.js';
import { parseUtcOffset, DAY_MS, HOUR_MS } from '../core/time.js';
import { KeyInterner, quantileSorted } from '../core/stats.js';
import type { CellGrid, RejectedRow } from '../core/types.js';
import { CellInterner, CellTable } from './cellTable.js';
import { fastPathVerified } from './h3fast.js';

/** Aggregates a value column can ask for. `pNN` is the NN-th percentile (R type 7, linear), e.g. `p50`, `p90`, `p99.5`. */
export type Aggregate = 'count' | 'sum' | 'min' | 'max' | 'mean' | 'variance' | 'std' | `p${number}`;

/** Columnar points: `lng`, `lat` (degrees), optional `time` (UTC ms) and any numeric value columns. */
export interface PointsInput {
  lng: ArrayLike<number>;
  lat: ArrayLike<number>;
  time?: ArrayLike<number>;
}
// Value columns are further keys of the same object (numeric array-likes named in
// `options.values`); other keys, e.g. a Hotspots table's string columns, are ignored.
// binPoints is generic over the input so both object literals and interfaces fit.

/** Time binning: `'hour'`, `'day'` or a width in ms; bins start at multiples of the width in local time (`utcOffset`). */
export interface TimeBinOptions {
  bin: 'hour' | 'day' | number;
  /** Offset of the local clock for bin edges, e.g. `'+07:00'` (local days in Thailand). Default `'Z'`. */
  utcOffset?: string | number;
}

export interface BinPointsOptions {
  /** H3 resolution 0–15. */
  res: number;
  /** Value columns of `points` to aggregate, with the aggregates per column, e.g. `{ frp: ['sum', 'mean', 'p50'] }`. Default none (count only). */
  values?: Record<string, readonly Aggregate[]>;
  /** Grid per time bin as well (needs `points.time`). Default: no time bins. */
  time?: TimeBinOptions;
  /**
   * `'auto'` (default): the exact pure-TS cell computation when its self-check
   * against h3-js passed, h3-js otherwise; `'h3-js'`: always h3-js; `'fast'`: the
   * pure-TS path (throws if its self-check failed).
   */
  engine?: 'auto' | 'fast' | 'h3-js';
  /** Keep rejected rows as a list (1-based row numbers); default true. Counts are always kept. */
  keepRejectedRows?: boolean;
  /** Row order: `'first'` (default) first appearance in the input, or `'cell'` sorted by cell id then time. */
  order?: 'first' | 'cell';
}

/**
 * Per value column: n always; sum only with `sum`; mean with `mean` or a variance
 * (then also M2); min/max only when asked; sorted values only with percentiles.
 * Output columns may share these arrays (treat grid columns as read-only).
 */
interface ColumnState {
  n: Float64Array;
  sum?: Float64Array;
  mean?: Float64Array;
  m2?: Float64Array;
  min?: Float64Array;
  max?: Float64Array;
  values?: Float64Array[];
}

/** Mergeable partial state behind a {@link BinnedGrid}'s columns. */
export interface GridState {
  count: Float64Array;
  columns: Record<string, ColumnState>;
}

interface Spec {
  values: Record<string, readonly Aggregate[]>;
  order: 'first' | 'cell';
  timeBinMs?: number;
  utcOffsetMin?: number;
}

/** A {@link CellGrid} produced by {@link binPoints}: columns plus the mergeable state and the rejected rows. */
export interface BinnedGrid extends CellGrid {
  /** Points that were gridded. */
  accepted: number;
  /** Points that were not (NaN / out-of-range coordinates, missing time when binning by time). */
  rejectedCount: number;
  rejected: RejectedRow[];
  /** Partial aggregates for {@link mergeGrids} and {@link rollup}. */
  readonly state: GridState;
  readonly spec: Readonly<Spec>;
  toJSON(): { res: number; cells: string[]; columns: Record<string, number[]>; time?: number[]; accepted: number; rejectedCount: number };
}

const AGG_RE = /^(count|sum|min|max|mean|variance|std|p(\d+(?:\.\d+)?))$/;

function checkSpec(options: BinPointsOptions, points?: object): Spec {
  const values = options.values ?? {};
  if (typeof values !== 'object' || values === null) throw argError('options.values', values, 'an object of column → aggregates');
  for (const [col, aggs] of Object.entries(values)) {
    if (col === 'lng' || col === 'lat' || col === 'time' || col === 'count') throw argError('options.values', col, 'value columns other than lng, lat, time, count');
    if (!Array.isArray(aggs) || aggs.length === 0) throw argError(`options.values.${col}`, aggs, 'a non-empty array of aggregates');
    for (const a of aggs) {
      const m = typeof a === 'string' ? AGG_RE.exec(a) : null;
      if (!m || (m[2] !== undefined && Number(m[2]) > 100)) throw argError(`options.values.${col}`, a, 'count, sum, min, max, mean, variance, std or pNN with 0 ≤ NN ≤ 100');
    }
    if (points && (points as Record<string, unknown>)[col] === undefined) throw argError(`points.${col}`, undefined, `a numeric column (named in options.values)`);
  }
  const order = options.order ?? 'first';
  if (order !== 'first' && order !== 'cell') throw argError('options.order', order, "'first' or 'cell'");
  const spec: Spec = { values, order };
  if (options.time !== undefined) {
    const b = options.time.bin;
    const w = b === 'hour' ? HOUR_MS : b === 'day' ? DAY_MS : b;
    if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) throw argError('options.time.bin', b, "'hour', 'day' or a positive width in ms");
    spec.timeBinMs = w;
    spec.utcOffsetMin = parseUtcOffset(options.time.utcOffset ?? 'Z', 'options.time.utcOffset');
  }
  return spec;
}

function needs(aggs: readonly Aggregate[]): { sum: boolean; mean: boolean; variance: boolean; minmax: boolean; values: boolean } {
  return {
    sum: aggs.includes('sum'),
    mean: aggs.includes('mean') || aggs.includes('variance') || aggs.includes('std'),
    variance: aggs.includes('variance') || aggs.includes('std'),
    minmax: aggs.includes('min') || aggs.includes('max'),
    values: aggs.some((a) => a.startsWith('p')),
  };
}

function newColumnState(groups: number, aggs: readonly Aggregate[], n?: Float64Array): ColumnState {
  const need = needs(aggs);
  const st: ColumnState = { n: n ?? new Float64Array(groups) };
  if (need.sum) st.sum = new Float64Array(groups);
  if (need.mean) st.mean = new Float64Array(groups);
  if (need.variance) st.m2 = new Float64Array(groups);
  if (need.minmax) {
    st.min = new Float64Array(groups).fill(Infinity);
    st.max = new Float64Array(groups).fill(-Infinity);
  }
  if (need.values) st.values = new Array<Float64Array>(groups);
  return st;
}

/**
 * Grid points onto H3 cells.
 *
 * Points with NaN/infinite coordinates, |lat| > 90 or |lng| > 180 (or, when
 * binning by time, a non-finite time) are rejected and counted, never dropped
 * silently: `accepted + rejectedCount === points.lng.length`. NaN in a value
 * column only leaves that value out of that column's aggregates
 * (`<col>_count` counts the values used). Columns: `count` (points per row) and
 * `<col>_<agg>` per requested aggregate (`variance`/`std` are the sample (n − 1)
 * versions, NaN below 2 values; percentiles interpolate linearly, R type 7).
 *
 * @example
 * ```ts
 * import { binPoints } from 'hazetrace/grid';
 * const g = binPoints(
 *   { lng: [98.98, 98.99, 100.5], lat: [18.79, 18.79, 13.75], frp: [12, 30, 8] },
 *   { res: 7, values: { frp: ['sum', 'mean', 'p50'] } },
 * );
 * g.cells;            // ['87...', ...] h3-js hex strings, in order of first appearance
 * g.columns.count;    // Float64Array aligned with cells
 * g.columns.frp_mean; // mean FRP per cell
 * ```
 */
export function binPoints<P extends PointsInput>(points: P, options: BinPointsOptions): BinnedGrid {
  if (typeof points !== 'object' || points === null) throw argError('points', points, 'an object with lng and lat arrays');
  if (typeof options !== 'object' || options === null) throw argError('options', options, 'an object with res');
  const res = checkInt('options.res', options.res, 0, 15);
  const { lng, lat } = points;
  if (!lng || typeof lng.length !== 'number') throw argError('points.lng', lng, 'an array of longitudes');
  if (!lat || typeof lat.length !== 'number') throw argError('points.lat', lat, 'an array of latitudes');
  const N = lng.length;
  if (lat.length !== N) throw argError('points.lat', lat, `the same length as points.lng (${N})`);
  const spec = checkSpec(options, points);
  const valueCols = Object.keys(spec.values);
  const cols: Record<string, ArrayLike<number>> = {};
  for (const c of valueCols) {
    const col = (points as unknown as Record<string, unknown>)[c] as ArrayLike<number> | undefined;
    if (!col || typeof col !== 'object' || typeof col.length !== 'number' || col.length !== N || (N > 0 && typeof col[0] !== 'number')) {
      throw argError(`points.${c}`, col, `a numeric array of length ${N}`);
    }
    cols[c] = col;
  }
  const time = points.time;
  if (spec.timeBinMs !== undefined) {
    if (!time || time.length !== N) throw argError('points.time', time, `an array of ${N} UTC ms times (options.time is set)`);
  }
  const engine = options.engine ?? 'auto';
  if (engine !== 'auto' && engine !== 'fast' && engine !== 'h3-js') throw argError('options.engine', engine, "'auto', 'fast' or 'h3-js'");
  const useFast = engine === 'h3-js' ? false : fastPathVerified();
  if (engine === 'fast' && !useFast) throw new HazetraceError('E_UNAVAILABLE', 'the fast latLngToCell path failed its self-check against h3-js; use engine "auto" or "h3-js"');
  const keepRows = options.keepRejectedRows ?? true;

  // 1. group id per point
  const rejected: RejectedRow[] = [];
  let rejectedCount = 0;
  // Strings are made last (after aggregation, once the per-point group ids are
  // dropped) from exact-size key arrays: that order keeps the peak memory down.
  const ids = new CellInterner(res, useFast);
  let nCells = 0;
  // Grouping and aggregation run in their own scope so the per-point group ids
  // (4 bytes a point) are garbage once it returns, before the strings are made.
  const { groupCell, groupTime, state } = ((): { groupCell: Int32Array; groupTime: Float64Array | undefined; state: GridState } => {
    const group = new Int32Array(N);
    const reject = (p: number, column: string, code: string, message: string): void => {
      group[p] = -1;
      rejectedCount++;
      if (keepRows) rejected.push({ row: p + 1, column, code, message });
    };
    for (let p = 0; p < N; p++) {
      const x = lng[p]!, y = lat[p]!;
      if (!(x >= -180 && x <= 180) || !(y >= -90 && y <= 90)) {
        reject(p, !(y >= -90 && y <= 90) ? 'lat' : 'lng', 'E_COORD', `coordinate out of range or not a number: lng ${showValue(x)}, lat ${showValue(y)}`);
        continue;
      }
      group[p] = ids.add(y, x);
    }
    ids.seal(); // the probe table can be collected now
    nCells = ids.size;

    // 2. optional time bins: (cell slot, bin) → group
    let groupCell: Int32Array;
    let groupTime: Float64Array | undefined;
    let G: number;
    if (spec.timeBinMs !== undefined) {
      const w = spec.timeBinMs, off = spec.utcOffsetMin! * 60_000;
      const t2 = new CellTable(nCells * 4);
      // bin number → dense bin id (bins may exceed 32 bits, e.g. 1-ms widths), then (cell, bin id) → group
      const bins = new CellTable(64);
      const binOf: number[] = [];
      for (let p = 0; p < N; p++) {
        const s = group[p]!;
        if (s < 0) continue;
        const t = time![p]!;
        if (!Number.isFinite(t)) {
          reject(p, 'time', 'E_TIME', `time is not a finite UTC ms value: ${showValue(t)}`);
          continue;
        }
        const b = Math.floor((t + off) / w);
        const bHi = Math.floor(b / 4294967296);
        const bi = bins.insert(bHi, b - bHi * 4294967296);
        const g = t2.insert(s, bi);
        if (g === binOf.length) binOf.push(b);
        group[p] = g;
      }
      G = t2.size;
      groupCell = new Int32Array(G);
      groupTime = new Float64Array(G);
      for (let g = 0; g < G; g++) {
        groupCell[g] = t2.keysHi[g]!;
        groupTime[g] = binOf[g]! * w - off;
      }
    } else {
      G = nCells;
      groupCell = new Int32Array(G);
      for (let g = 0; g < G; g++) groupCell[g] = g;
    }

    // 3. aggregate
    const state: GridState = { count: new Float64Array(G), columns: {} };
    const count = state.count;
    for (let p = 0; p < N; p++) {
      const g = group[p]!;
      if (g >= 0) count[g]!++;
    }
    for (const c of valueCols) {
      const v = cols[c]!;
      let hasNaN = false;
      for (let p = 0; p < N; p++) {
        if (v[p] !== v[p]) {
          hasNaN = true;
          break;
        }
      }
      // without missing values n is the point count itself (shared, never mutated: merges build new arrays)
      const st = newColumnState(G, spec.values[c]!, hasNaN ? undefined : count);
      const { mean, m2, min, max } = st;
      // Separate passes per need (Welford's running M2 costs a division per value).
      // Sums accumulate into `sum`, or, when only a mean is wanted, straight into
      // `mean`, which is then divided in place (one array fewer per cell).
      const acc = st.sum ?? (mean && !m2 ? mean : undefined);
      if (hasNaN) {
        const n = st.n;
        for (let p = 0; p < N; p++) {
          const g = group[p]!;
          if (g < 0) continue;
          const x = v[p]!;
          if (Number.isNaN(x)) continue;
          n[g]!++;
          if (acc) acc[g]! += x;
        }
      } else if (acc) {
        // no missing values: n is the point count (one random write per point fewer)
        for (let p = 0; p < N; p++) {
          const g = group[p]!;
          if (g >= 0) acc[g]! += v[p]!;
        }
      }
      const n = st.n;
      if (mean && !m2) for (let g = 0; g < G; g++) mean[g] = n[g]! > 0 ? acc![g]! / n[g]! : 0;
      if (mean && m2) {
        const k = new Float64Array(G);
        for (let p = 0; p < N; p++) {
          const g = group[p]!;
          if (g < 0) continue;
          const x = v[p]!;
          if (Number.isNaN(x)) continue;
          const d = x - mean[g]!;
          mean[g]! += d / ++k[g]!;
          m2[g]! += d * (x - mean[g]!);
        }
      }
      if (min && max) {
        for (let p = 0; p < N; p++) {
          const g = group[p]!;
          if (g < 0) continue;
          const x = v[p]!;
          if (x < min[g]!) min[g] = x;
          if (x > max[g]!) max[g] = x;
        }
      }
      if (st.values) {
        // counting sort of values by group, then sort each group's run
        const start = new Float64Array(G + 1);
        for (let g = 0; g < G; g++) start[g + 1] = start[g]! + n[g]!;
        const all = new Float64Array(start[G]!);
        const fill = start.slice(0, G);
        for (let p = 0; p < N; p++) {
          const g = group[p]!;
          if (g < 0) continue;
          const x = v[p]!;
          if (Number.isNaN(x)) continue;
          all[fill[g]!++] = x;
        }
        for (let g = 0; g < G; g++) st.values[g] = all.subarray(start[g]!, start[g + 1]!).sort();
      }
      state.columns[c] = st;
    }

    return { groupCell, groupTime, state };
  })();
  return finish(res, spec, ids.cells(), groupCell, groupTime, state, N - rejectedCount, rejectedCount, rejected);
}

/** Sort groups by (cell, time), permute state, compute output columns. */
function finish(
  res: number,
  spec: Spec,
  cellStrings: string[],
  groupCell: Int32Array,
  groupTime: Float64Array | undefined,
  state: GridState,
  accepted: number,
  rejectedCount: number,
  rejected: RejectedRow[],
): BinnedGrid {
  const G = groupCell.length;
  let order: number[] | null = null;
  if (spec.order === 'cell') {
    order = Array.from({ length: G }, (_, g) => g);
    order.sort((a, b) => {
      const ca = cellStrings[groupCell[a]!]!, cb = cellStrings[groupCell[b]!]!;
      if (ca !== cb) return ca < cb ? -1 : 1;
      return groupTime ? groupTime[a]! - groupTime[b]! : 0;
    });
  }
  const perm = (x: Float64Array | undefined): Float64Array | undefined => {
    if (!x || !order) return x;
    const o = new Float64Array(G);
    for (let r = 0; r < G; r++) o[r] = x[order[r]!]!;
    return o;
  };
  const sorted: GridState = { count: perm(state.count)!, columns: {} };
  for (const [c, st] of Object.entries(state.columns)) {
    const s2: ColumnState = { n: perm(st.n)! };
    if (st.sum) s2.sum = perm(st.sum)!;
    if (st.mean) s2.mean = perm(st.mean)!;
    if (st.m2) s2.m2 = perm(st.m2)!;
    if (st.min) s2.min = perm(st.min)!;
    if (st.max) s2.max = perm(st.max)!;
    if (st.values) s2.values = order ? order.map((g) => st.values![g]!) : st.values;
    sorted.columns[c] = s2;
  }
  let cells: string[];
  if (order) cells = order.map((g) => cellStrings[groupCell[g]!]!);
  else if (!groupTime) cells = cellStrings; // one row per cell, already in first-appearance order
  else cells = Array.from(groupCell, (c) => cellStrings[c]!);
  const columns = outputColumns(spec, sorted);
  const grid: BinnedGrid = {
    res,
    cells,
    columns,
    accepted,
    rejectedCount,
    rejected,
    state: sorted,
    spec,
    toJSON() {
      const cols: Record<string, number[]> = {};
      for (const [k, v] of Object.entries(columns)) cols[k] = Array.from(v);
      const out: ReturnType<BinnedGrid['toJSON']> = { res, cells, columns: cols, accepted, rejectedCount };
      if (grid.time) out.time = Array.from(grid.time);
      return out;
    },
  };
  if (groupTime) grid.time = perm(groupTime)!;
  Object.defineProperty(grid, 'state', { enumerable: false });
  Object.defineProperty(grid, 'spec', { enumerable: false });
  Object.defineProperty(grid, 'toJSON', { enumerable: false });
  return grid;
}

function outputColumns(spec: Spec, st: GridState): Record<string, Float64Array> {
  const G = st.count.length;
  const cols: Record<string, Float64Array> = { count: st.count };
  for (const [c, aggs] of Object.entries(spec.values)) {
    const s = st.columns[c]!;
    let empty = false; // a row whose values were all NaN
    for (let g = 0; g < G && !empty; g++) empty = s.n[g] === 0;
    for (const a of aggs) {
      // sums and means are the state arrays themselves unless NaN must be shown for empty rows
      if (a === 'sum') {
        cols[`${c}_${a}`] = s.sum!;
        continue;
      }
      if (a === 'mean' && !empty) {
        cols[`${c}_${a}`] = s.mean!;
        continue;
      }
      const out = new Float64Array(G);
      for (let g = 0; g < G; g++) {
        const n = s.n[g]!;
        let x: number;
        switch (a) {
          case 'count': x = n; break;
          case 'min': x = n > 0 ? s.min![g]! : NaN; break;
          case 'max': x = n > 0 ? s.max![g]! : NaN; break;
          case 'mean': x = n > 0 ? s.mean![g]! : NaN; break;
          case 'variance': x = n > 1 ? s.m2![g]! / (n - 1) : NaN; break;
          case 'std': x = n > 1 ? Math.sqrt(s.m2![g]! / (n - 1)) : NaN; break;
          default: x = quantileSorted(s.values![g]!, Number(a.slice(1)) / 100);
        }
        out[g] = x;
      }
      cols[`${c}_${a}`] = out;
    }
  }
  return cols;
}

function sameSpec(a: Spec, b: Spec): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function requireBinned(name: string, g: unknown): BinnedGrid {
  const x = g as BinnedGrid;
  if (!x || typeof x !== 'object' || !x.state || !x.spec || !Array.isArray(x.cells)) {
    throw argError(name, g, 'a grid returned by binPoints/mergeGrids/rollup (it carries the mergeable state)');
  }
  return x;
}

/**
 * Combine groups of one or more source grids into target rows keyed by
 * (cell, time): the exact pairwise merge of Chan, Golub & LeVeque (1979) for
 * mean and M2; sums, counts, min and max add up; sorted values are merged.
 */
function combine(res: number, spec: Spec, parts: { grid: BinnedGrid; cellOf: (cell: string) => string }[]): BinnedGrid {
  const keyIds = new KeyInterner<string>();
  const cellIds = new KeyInterner<string>();
  const cellStrings = cellIds.keys;
  const gCell: number[] = [];
  const gTime: number[] = [];
  const src: { part: number; row: number; g: number }[] = [];
  parts.forEach(({ grid, cellOf }, pi) => {
    for (let r = 0; r < grid.cells.length; r++) {
      const cell = cellOf(grid.cells[r]!);
      const t = grid.time ? grid.time[r]! : 0;
      const g = keyIds.intern(grid.time ? `${cell}|${t}` : cell);
      if (g === gCell.length) {
        gCell.push(cellIds.intern(cell));
        gTime.push(t);
      }
      src.push({ part: pi, row: r, g });
    }
  });
  const G = gCell.length;
  const state: GridState = { count: new Float64Array(G), columns: {} };
  for (const { part, row, g } of src) state.count[g]! += parts[part]!.grid.state.count[row]!;
  for (const c of Object.keys(spec.values)) {
    const st = newColumnState(G, spec.values[c]!);
    const lists: Float64Array[][] = st.values ? Array.from({ length: G }, () => []) : [];
    for (const { part, row, g } of src) {
      const s = parts[part]!.grid.state.columns[c]!;
      const nb = s.n[row]!;
      if (nb === 0) continue;
      const na = st.n[g]!;
      const n = na + nb;
      if (st.mean) {
        const delta = s.mean![row]! - st.mean[g]!;
        if (st.m2) st.m2[g] = st.m2[g]! + s.m2![row]! + (delta * delta * na * nb) / n;
        st.mean[g] = st.mean[g]! + (delta * nb) / n;
      }
      st.n[g] = n;
      if (st.sum) st.sum[g]! += s.sum![row]!;
      if (st.min && st.max) {
        if (s.min![row]! < st.min[g]!) st.min[g] = s.min![row]!;
        if (s.max![row]! > st.max[g]!) st.max[g] = s.max![row]!;
      }
      if (st.values) lists[g]!.push(s.values![row]!);
    }
    if (st.values) {
      for (let g = 0; g < G; g++) {
        const l = lists[g]!;
        if (l.length === 1) {
          st.values[g] = l[0]!;
        } else {
          const tot = l.reduce((a, x) => a + x.length, 0);
          const all = new Float64Array(tot);
          let o = 0;
          for (const x of l) {
            all.set(x, o);
            o += x.length;
          }
          st.values[g] = all.sort();
        }
      }
    }
    state.columns[c] = st;
  }
  const accepted = parts.reduce((a, p) => a + p.grid.accepted, 0);
  const rejectedCount = parts.reduce((a, p) => a + p.grid.rejectedCount, 0);
  const hasTime = spec.timeBinMs !== undefined;
  return finish(res, spec, cellStrings, Int32Array.from(gCell), hasTime ? Float64Array.from(gTime) : undefined, state, accepted, rejectedCount, []);
}

/**
 * Merge grids of the same resolution and aggregates (e.g. shards, workers,
 * files gridded apart): the result equals gridding the union of their points
 * (sums to floating-point rounding). Rejected rows are summed as counts; their
 * row numbers referred to each part's own input, so the merged list is empty.
 *
 * @example
 * ```ts
 * import { binPoints, mergeGrids } from 'hazetrace/grid';
 * const a = binPoints({ lng: [98.9], lat: [18.7] }, { res: 5 });
 * const b = binPoints({ lng: [98.9, 99.5], lat: [18.7, 19.1] }, { res: 5 });
 * mergeGrids(a, b).columns.count; // counts of all three points
 * ```
 */
export function mergeGrids(...grids: CellGrid[]): BinnedGrid {
  if (grids.length === 0) throw argError('grids', grids, 'at least one grid');
  const bs = grids.map((g, i) => requireBinned(`grids[${i}]`, g));
  const first = bs[0]!;
  for (let i = 1; i < bs.length; i++) {
    if (bs[i]!.res !== first.res) throw argError(`grids[${i}].res`, bs[i]!.res, `the same resolution as grids[0] (${first.res})`);
    if (!sameSpec(bs[i]!.spec, first.spec)) throw argError(`grids[${i}]`, bs[i]!.spec, `the same aggregates and time bins as grids[0] (${JSON.stringify(first.spec)})`);
  }
  return combine(first.res, first.spec, bs.map((grid) => ({ grid, cellOf: (c: string) => c })));
}

/**
 * Aggregate a grid to a coarser resolution through the H3 hierarchy
 * (`cellToParent`). Note H3 cells do not nest exactly: a point near a child's
 * edge can lie outside its parent's hexagon, so re-gridding the raw points at
 * `parentRes` may differ slightly near parent edges; rollup follows the hierarchy.
 *
 * @example
 * ```ts
 * import { binPoints, rollup } from 'hazetrace/grid';
 * const g9 = binPoints({ lng: [98.98, 98.99], lat: [18.79, 18.80] }, { res: 9 });
 * rollup(g9, 6).columns.count; // per res-6 parent
 * ```
 */
export function rollup(grid: CellGrid, parentRes: number): BinnedGrid {
  const g = requireBinned('grid', grid);
  checkInt('parentRes', parentRes, 0, g.res);
  return combine(parentRes, g.spec, [{ grid: g, cellOf: (c: string) => (getResolution(c) === parentRes ? c : cellToParent(c, parentRes)) }]);
}
