/**
 * Per-layer preparation for kernel attribution: effective weights (weight × category scale), integer codes for ids,
 * categories and regions, the space–time index and the detection windows. Source layers are treated as immutable
 * once built (like a finished kdbush), which lets repeated calls on one layer reuse this work through two
 * module-private caches (documented at {@link prepare} and {@link encode}); nothing here is exported from the package.
 */
import { argError, checkPositive, DAY_MS, encodeLabels, HOUR_MS, type SourceKind } from '../core/index.js';
import { defaultScale, type Kernel } from './defaults.js';
import { SourceIndex } from './sourceindex.js';
import type { SourceLayer } from './sources.js';

/** A string column as integer codes: `names[codes[i]]` is row i's value; names in order of first appearance. */
export interface Encoded {
  codes: Int32Array;
  names: string[];
}

/** A share dimension (category, region, or a further region level) as codes over the layer's rows, names sorted. */
export interface ShareDim extends Encoded {
  name: string;
}

/** Precomputed, per-layer state shared by all episodes of one call (and by later calls, see {@link prepare}). */
export interface Prepared {
  layer: SourceLayer;
  /** Weight × category scale per row; 0 for missing or non-positive weights (such rows never score). */
  effW: Float64Array;
  /** Rows grouped into sources by id. */
  group: Encoded;
  /** First row of each group (its representative). */
  groupRow: Int32Array;
  /** Share dimensions: category, region, then the layer's further region levels in `layer.regions` order. */
  dims: ShareDim[];
  /**
   * What {@link reduceRows} sums per member, as codes per row and the number of codes. `sums[0]` is the joint
   * category × region code `c · regions + r` (c, r the codes of `dims[0]` and `dims[1]`): its per-member sums laid
   * out `[m · size + code]` are an episode's `memberScores`, and the category and region sums are its marginals.
   * Then one entry per further region level, in `dims.slice(2)` order.
   */
  sums: { codes: Int32Array; size: number }[];
  /** Index over the rows with effW > 0 (null with the brute-force method). */
  index: SourceIndex | null;
  /** Index over every timed hotspot row, for the classic baseline (the kernel index when it holds them all). */
  hotspotIndex: SourceIndex | null;
  /** Scale used per category present in the layer. */
  scales: Record<string, number>;
  /** Detection window per row, ms before / after the source time (null: none), and the largest extent. */
  winBefore: Float64Array | null;
  winAfter: Float64Array | null;
  winMaxMs: number;
}

/**
 * Code cache for string columns. Key: the column array itself (e.g. `layer.id`, `layer.category`), held weakly, so
 * an entry lives exactly as long as its layer. Value: the column's length when encoded (a changed length is
 * treated as a miss) and its {@link Encoded} codes. Why: hashing a million id strings costs more than scoring a
 * hundred episodes, and the indexed and brute-force preparations of one layer, or several scale settings, share
 * the same columns.
 */
const encodeCache = new WeakMap<string[], { length: number } & Encoded>();

/** Integer codes for a string column, cached per column array (see {@link encodeCache}). */
export function encode(values: string[]): Encoded {
  const hit = encodeCache.get(values);
  if (hit && hit.length === values.length) return { codes: hit.codes, names: hit.names };
  const res = encodeLabels(values);
  encodeCache.set(values, { length: values.length, ...res });
  return res;
}

/**
 * Prepared-state cache. Key: the source layer object, held weakly (an entry lives as long as the layer). Value: a
 * map from the settings that change the prepared state — `JSON.stringify([layer.length, τ, time cut, brute,
 * detection window, scales option])` — to the {@link Prepared} state, at most 4 settings per layer (oldest dropped
 * first). Why: repeated calls on one layer (the CLI per station, a twin experiment per scenario,
 * `npm run bench:attribution` in chunks of 100 episodes) then build the space–time index once instead of per call.
 */
const prepareCache = new WeakMap<SourceLayer, Map<string, Prepared>>();

/** Prepared state for a layer and kernel, from the cache when the same layer was prepared with the same settings. */
export function prepare(layer: SourceLayer, k: Kernel, scalesOpt: Record<string, number> | undefined): Prepared {
  checkLayer(layer);
  const key = JSON.stringify([layer.length, k.tau, k.tcut, k.brute, k.window, scalesOpt ?? null]);
  let perLayer = prepareCache.get(layer);
  if (!perLayer) prepareCache.set(layer, (perLayer = new Map()));
  const hit = perLayer.get(key);
  if (hit) return hit;
  const prep = prepareUncached(layer, k, scalesOpt);
  if (perLayer.size >= 4) perLayer.delete(perLayer.keys().next().value as string);
  perLayer.set(key, prep);
  return prep;
}

/**
 * The same codes renumbered so `names` are in sorted (code-unit) order. Share dimensions use it: their per-name sums
 * are added in code order, so sorted codes make the sums — to the last bit — and the order of the share keys depend
 * only on which names occur, not on which row happens to come first (a time slice of a season's hotspots gives the
 * same shares as the whole season; docs/batch.md, "Memory as the season grows").
 */
function sortedCodes(e: Encoded): Encoded {
  const order = e.names.map((_, i) => i).sort((a, b) => (e.names[a]! < e.names[b]! ? -1 : e.names[a]! > e.names[b]! ? 1 : 0));
  const rank = new Int32Array(order.length);
  order.forEach((o, r) => (rank[o] = r));
  return { names: order.map((o) => e.names[o]!), codes: e.codes.map((c) => rank[c]!) };
}

function checkLayer(s: SourceLayer): void {
  if (!s || typeof s.length !== 'number' || !(s.lng instanceof Float64Array) || !(s.weight instanceof Float64Array) || !Array.isArray(s.id)) {
    throw argError('sources', s, 'a SourceLayer (hotspotSources / areaSources / facilitySources / reportSources / mergeSources)');
  }
}

function prepareUncached(layer: SourceLayer, k: Kernel, scalesOpt: Record<string, number> | undefined): Prepared {
  const scales: Record<string, number> = {};
  const effW = new Float64Array(layer.length);
  for (let i = 0; i < layer.length; i++) {
    const cat = layer.category[i] as string;
    const kind = layer.kinds[i] as SourceKind;
    let s = scales[cat];
    if (s === undefined) {
      s = scalesOpt?.[cat] ?? scalesOpt?.[kind] ?? defaultScale(cat, kind);
      checkPositive(`options.scales.${cat}`, s, true);
      scales[cat] = s;
    }
    const w = layer.weight[i] as number;
    effW[i] = Number.isFinite(w) && w > 0 ? w * s : 0;
  }
  const group = encode(layer.id);
  const groupRow = new Int32Array(group.names.length).fill(-1);
  for (let i = 0; i < layer.length; i++) if ((groupRow[group.codes[i] as number] as number) < 0) groupRow[group.codes[i] as number] = i;
  const dims: ShareDim[] = [
    { name: 'category', ...sortedCodes(encode(layer.category)) },
    { name: 'region', ...sortedCodes(encode(layer.region)) },
    ...Object.entries(layer.regions).map(([name, v]) => ({ name, ...sortedCodes(encode(v)) })),
  ];
  const cat = dims[0] as ShareDim;
  const reg = dims[1] as ShareDim;
  const nR = reg.names.length;
  const catRegion = new Int32Array(layer.length);
  for (let i = 0; i < layer.length; i++) catRegion[i] = (cat.codes[i] as number) * nR + (reg.codes[i] as number);
  const sums = [{ codes: catRegion, size: cat.names.length * nR }, ...dims.slice(2).map((d) => ({ codes: d.codes, size: d.names.length }))];
  // Bins of min(12 h, 3τ): a ±3τ window (±9 h at the default τ = 3 h) then reads 2–3 bins, at most one bin of
  // hotspots more than it needs.
  const index = k.brute ? null : new SourceIndex(layer.lng, layer.lat, layer.time, effW, (i) => (effW[i] as number) > 0, Math.min(12, k.tau * k.tcut));
  // The baseline counts every hotspot (whatever its weight); the kernel index serves when it holds them all.
  const isHotspot = (i: number): boolean => layer.kinds[i] === 'hotspot' && Number.isFinite(layer.time[i]);
  let allIndexed = index !== null;
  for (let i = 0; i < layer.length && allIndexed; i++) if (isHotspot(i) && !((effW[i] as number) > 0)) allIndexed = false;
  const hotspotIndex = allIndexed ? index : new SourceIndex(layer.lng, layer.lat, layer.time, effW, isHotspot, 24);
  let winBefore: Float64Array | null = null;
  let winAfter: Float64Array | null = null;
  let winMaxMs = 0;
  if (k.window === 'revisit') {
    const r = revisitWindows(layer.time, (i) => layer.kinds[i] === 'hotspot');
    winBefore = r.before;
    winAfter = r.after;
  } else if (k.window[0] > 0 || k.window[1] > 0) {
    winBefore = new Float64Array(layer.length).fill(k.window[0] * HOUR_MS);
    winAfter = new Float64Array(layer.length).fill(k.window[1] * HOUR_MS);
  }
  if (winBefore && winAfter) for (let i = 0; i < layer.length; i++) winMaxMs = Math.max(winMaxMs, winBefore[i] as number, winAfter[i] as number);
  return { layer, effW, group, groupRow, dims, sums, index, hotspotIndex, scales, winBefore, winAfter, winMaxMs };
}

/**
 * Detection windows from the satellite revisit schedule, ms before / after each detection (0 for non-detections).
 * A polar-orbiter hotspot is a snapshot: the fire it sees burns on between overpasses, and fires that start after
 * one overpass and die before the next are never seen (Giglio 2007 on MODIS diurnal sampling; GFAS/GFED spread each
 * day's detected FRP over a diurnal cycle for the same reason). So a detection stands for fire activity from
 * half-way back to the previous overpass to half-way on to the next one — a Voronoi cell in time of day. The
 * overpasses are read from the detections themselves: their UTC times of day in quarter-hour bins, clustered where
 * consecutive occupied bins are ≤ 1.5 h apart (a MODIS/VIIRS overpass drifts by tens of minutes from day to day).
 * With one cluster around the whole clock (e.g. a geostationary sensor) there is no revisit gap and the windows
 * are 0. Physical prior only: nothing here is fitted to a truth.
 */
export function revisitWindows(time: Float64Array, isDetection: (i: number) => boolean): { before: Float64Array; after: Float64Array } {
  const n = time.length;
  const before = new Float64Array(n);
  const after = new Float64Array(n);
  const BINS = 96;
  const todH = (t: number): number => (((t % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  const present = new Uint8Array(BINS);
  for (let i = 0; i < n; i++) if (isDetection(i) && Number.isFinite(time[i])) present[Math.floor(todH(time[i] as number) * 4) % BINS] = 1;
  const P: number[] = [];
  for (let b = 0; b < BINS; b++) if (present[b]) P.push(b);
  if (P.length === 0) return { before, after };
  const MERGE = 6; // bins (1.5 h)
  // Cluster starts: occupied bins whose circular gap to the previous occupied bin exceeds MERGE.
  const startsAt: number[] = [];
  for (let j = 0; j < P.length; j++) {
    const prev = P[(j - 1 + P.length) % P.length] as number;
    const gap = ((P[j] as number) - prev + BINS) % BINS || BINS;
    if (gap > MERGE) startsAt.push(j);
  }
  if (startsAt.length === 0) return { before, after };
  // Per occupied bin: its cluster's index; per cluster: first and last bin (hours, bin edges).
  const clusterOfBin = new Int32Array(BINS).fill(-1);
  const first: number[] = [];
  const last: number[] = [];
  for (let c = 0; c < startsAt.length; c++) {
    const j0 = startsAt[c] as number;
    const j1 = startsAt[(c + 1) % startsAt.length] as number;
    first.push((P[j0] as number) / 4);
    let j = j0;
    do {
      clusterOfBin[P[j] as number] = c;
      last[c] = ((P[j] as number) + 1) / 4;
      j = (j + 1) % P.length;
    } while (j !== j1);
  }
  const C = startsAt.length;
  for (let i = 0; i < n; i++) {
    if (!isDetection(i) || !Number.isFinite(time[i])) continue;
    const x = todH(time[i] as number);
    const c = clusterOfBin[Math.floor(x * 4) % BINS] as number;
    const prevEnd = last[(c - 1 + C) % C] as number;
    const nextStart = first[(c + 1) % C] as number;
    before[i] = (((((x - prevEnd) % 24) + 24) % 24) / 2) * HOUR_MS;
    after[i] = (((((nextStart - x) % 24) + 24) % 24) / 2) * HOUR_MS;
  }
  return { before, after };
}
