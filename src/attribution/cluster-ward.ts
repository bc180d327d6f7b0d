/**
 * HYSPLIT-style agglomerative trajectory clustering (docs/trajectory-clustering.md): Ward's minimum increase of
 * total spatial variance (TSV) on Earth-centred km coordinates, by the nearest-neighbour chain. Internal helpers
 * of cluster.ts.
 */
import { pairIndex } from './cluster-distance.js';
import type { Tracks } from './cluster-distance.js';

/** Unit-sphere points scaled to km (3-D, Earth-centred), trajectory-major, oldest point first. */
export function ecef(tr: Tracks): Float64Array {
  const R = 6371.0088;
  const out = new Float64Array(tr.n * tr.m * 3);
  for (let q = 0; q < tr.n * tr.m; q++) {
    const p = (tr.lat[q]! * Math.PI) / 180;
    const l = (tr.lng[q]! * Math.PI) / 180;
    out[3 * q] = R * Math.cos(p) * Math.cos(l);
    out[3 * q + 1] = R * Math.cos(p) * Math.sin(l);
    out[3 * q + 2] = R * Math.sin(p);
  }
  return out;
}

/** Ward (minimum TSV increase) agglomeration by the nearest-neighbour chain; merges sorted by cost. */
export function wardMerges(X: Float64Array, n: number, dim: number): { a: number; b: number; cost: number }[] {
  const D = new Float64Array((n * (n - 1)) / 2);
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let t = 0; t < dim; t++) {
        const v = X[i * dim + t]! - X[j * dim + t]!;
        s += v * v;
      }
      D[q++] = s / 2;
    }
  }
  const get = (i: number, j: number): number => (i < j ? D[pairIndex(n, i, j)]! : D[pairIndex(n, j, i)]!);
  const set = (i: number, j: number, v: number): void => {
    D[i < j ? pairIndex(n, i, j) : pairIndex(n, j, i)] = v;
  };
  const size = new Float64Array(n).fill(1);
  const active = new Uint8Array(n).fill(1);
  const merges: { a: number; b: number; cost: number }[] = [];
  const chain: number[] = [];
  let remaining = n;
  let scan = 0;
  while (remaining > 1) {
    if (chain.length === 0) {
      while (!active[scan]) scan++;
      chain.push(scan);
    }
    const a = chain[chain.length - 1]!;
    const prev = chain.length > 1 ? chain[chain.length - 2]! : -1;
    let b = prev;
    let best = prev >= 0 ? get(a, prev) : Infinity;
    for (let c = 0; c < n; c++) {
      if (!active[c] || c === a) continue;
      const v = get(a, c);
      if (v < best) {
        best = v;
        b = c;
      }
    }
    if (b !== prev) {
      chain.push(b);
      continue;
    }
    chain.pop();
    chain.pop();
    const keep = Math.min(a, b);
    const gone = Math.max(a, b);
    const na = size[a]!;
    const nb = size[b]!;
    for (let c = 0; c < n; c++) {
      if (!active[c] || c === a || c === b) continue;
      const nc = size[c]!;
      set(keep, c, ((na + nc) * get(a, c) + (nb + nc) * get(b, c) - nc * best) / (na + nb + nc));
    }
    active[gone] = 0;
    size[keep] = na + nb;
    merges.push({ a: keep, b: gone, cost: best });
    remaining--;
  }
  return merges.sort((x, y) => x.cost - y.cost);
}

/** Cut sorted Ward merges at k clusters; labels by first appearance. */
export function cutMerges(n: number, merges: readonly { a: number; b: number }[], k: number): Int32Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  for (let s = 0; s < n - k; s++) parent[find(merges[s]!.b)] = find(merges[s]!.a);
  const label = new Map<number, number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let c = label.get(r);
    if (c === undefined) label.set(r, (c = label.size));
    out[i] = c;
  }
  return out;
}

/** Total spatial variance (km²): squared distance of every trajectory point to its cluster's mean point, summed. */
export function totalSpatialVariance(X: Float64Array, n: number, dim: number, assignment: Int32Array, k: number): number {
  const mean = new Float64Array(k * dim);
  const cnt = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = assignment[i]!;
    cnt[c]!++;
    for (let t = 0; t < dim; t++) mean[c * dim + t] = mean[c * dim + t]! + X[i * dim + t]!;
  }
  for (let c = 0; c < k; c++) for (let t = 0; t < dim; t++) mean[c * dim + t] = mean[c * dim + t]! / cnt[c]!;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const c = assignment[i]!;
    for (let t = 0; t < dim; t++) {
      const v = X[i * dim + t]! - mean[c * dim + t]!;
      s += v * v;
    }
  }
  return s;
}

