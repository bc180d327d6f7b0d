/**
 * The kernel sum of attribution: score every source row against a set of back-trajectories,
 *
 *   score_s = weight_s × scale(category_s) × Σ_k K_space(d_sk, σ(a_k)) × K_time(|t_k − t_s|) × exp(−a_k/L) × Δt_k,
 *
 * over trajectory points k of age a_k ≤ `hours` (default 72), with
 * - K_space(d, σ) = (1 + (d/σ)²)^(−3/2) / (2πσ²) (km⁻²; the bivariate Cauchy by default, `kernelShape` also offers
 *   SQTBA's Gaussian exp(−½ (d/σ)²) / (2πσ²) and an exponential), σ(a) = max(σ0, rate × a): SQTBA's linear growth with age
 *   (openair `trajLevel`, Zhou et al. 2004; SQTBA uses 1.5 km/h, the default here is 2.5 km/h to carry trajectory
 *   error) with a floor σ0 (default 10 km: a few MODIS 1 km pixels plus the receptor's own footprint) so young
 *   points still see a neighbourhood; cut at `cutoffSigmas` (default 3, where the Cauchy kernel is 3.2 % of its
 *   peak, the Gaussian 1.1 %);
 * - K_time(Δt) = exp(−½ (Δt/τ)²) with τ = 3 h by default: a detection stands for a fire burning a few hours around
 *   the overpass (fires burn ~4 h around the early-afternoon peak, Giglio 2006); cut at 3τ. Steady sources (areas,
 *   facilities) have K_time = 1;
 * - exp(−a/L) first-order loss of PM2.5 on the way (deposition), lifetime L = 72 h by default: with K_space and
 *   Δt this is a Lagrangian footprint with loss, the weight a unit emission at the source has at the receptor;
 * - Δt_k the time the trajectory spends around point k (half the gap to each neighbour, hours).
 * Scores are kept per ensemble member, then the rows are folded into sources (by id) and into per-member sums by
 * category, region, region level and category × region. Defaults: {@link ATTRIBUTE_DEFAULTS}; the evidence for them
 * is in docs/attribution.md.
 */
import { HOUR_MS, argError, type TrajectorySet } from '../core/index.js';
import { logSpace, type Kernel } from './defaults.js';
import type { Prepared } from './prepare.js';
import { SourceIndex, type SourceBin } from './sourceindex.js';
import { localDist2Km } from './util.js';

/**
 * Scratch buffers reused across episodes. The hot loop only records, per touched layer row, its score per
 * ensemble member and its closest approach; {@link reduceRows} then folds rows into sources (by id) and into the
 * per-member sums of {@link Prepared.sums} once per episode, which keeps the per-contribution work to a few array
 * writes. Sized for one layer: allocate one per call and reuse it for every episode of that call.
 */
export class Scratch {
  // Per layer row (allocated once).
  readonly rowStamp: Int32Array;
  readonly rowLocal: Int32Array;
  // Per touched row (grown on demand): local index → row, member scores, closest approach.
  touchedRows: Int32Array;
  memberScore: Float64Array;
  rowMinD2: Float64Array;
  rowAge: Float64Array;
  nRows = 0;
  nMembers = 1;
  epoch = 0;
  // Per source group (allocated once), filled by reduceRows.
  readonly total: Float64Array;
  readonly minD2: Float64Array;
  readonly ageAtMin: Float64Array;
  readonly memberCount: Int32Array;
  readonly groupStamp: Int32Array;
  readonly touched: Int32Array;
  groupBits = new Uint8Array(0);
  nTouched = 0;
  constructor(nGroups: number, nLayerRows: number) {
    this.rowStamp = new Int32Array(nLayerRows);
    this.rowLocal = new Int32Array(nLayerRows);
    this.touchedRows = new Int32Array(1024);
    this.memberScore = new Float64Array(1024);
    this.rowMinD2 = new Float64Array(1024);
    this.rowAge = new Float64Array(1024);
    this.total = new Float64Array(nGroups);
    this.minD2 = new Float64Array(nGroups);
    this.ageAtMin = new Float64Array(nGroups);
    this.memberCount = new Int32Array(nGroups);
    this.groupStamp = new Int32Array(nGroups);
    this.touched = new Int32Array(nGroups);
  }
  /** Start an episode with `members` member slots. */
  begin(members: number): void {
    this.epoch++;
    this.nRows = 0;
    this.nTouched = 0;
    this.nMembers = Math.max(1, members);
    if (this.memberScore.length < this.touchedRows.length * this.nMembers) this.memberScore = new Float64Array(this.touchedRows.length * this.nMembers);
  }
  /** Local index of layer row s, registering it on first touch. */
  local(s: number): number {
    if (this.rowStamp[s] === this.epoch) return this.rowLocal[s] as number;
    const L = this.nRows++;
    if (L >= this.touchedRows.length) this.grow();
    this.rowStamp[s] = this.epoch;
    this.rowLocal[s] = L;
    this.touchedRows[L] = s;
    this.memberScore.fill(0, L * this.nMembers, (L + 1) * this.nMembers);
    this.rowMinD2[L] = Infinity;
    this.rowAge[L] = NaN;
    return L;
  }
  private grow(): void {
    const cap = this.touchedRows.length * 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.touchedRows = grow(this.touchedRows, cap);
    this.rowMinD2 = grow(this.rowMinD2, cap);
    this.rowAge = grow(this.rowAge, cap);
    this.memberScore = grow(this.memberScore, cap * this.nMembers);
  }
}

/**
 * Fold the touched rows of one episode into sources (group by id: total over members, closest approach, members
 * that reached it) and into per-member sums by each entry of {@link Prepared.sums}
 * (`memberSums[d][slot · size_d + code]`).
 */
function reduceRows(prep: Prepared, scratch: Scratch, memberSums: Float64Array[]): void {
  const gcodes = prep.group.codes;
  const nM = scratch.nMembers;
  const dimCodes = prep.sums.map((d) => d.codes);
  const dimSizes = prep.sums.map((d) => d.size);
  const { total, minD2, ageAtMin, memberCount, groupStamp, touched, memberScore, rowMinD2, rowAge, touchedRows } = scratch;
  const epoch = scratch.epoch;
  // Members that reached a group: one byte per group and member, cleared on the group's first touch.
  if (scratch.groupBits.length < scratch.total.length * nM) scratch.groupBits = new Uint8Array(scratch.total.length * nM);
  const bits = scratch.groupBits;
  // Canonical order: rows fold in ascending layer-row order, whatever order the index returned them in, so the
  // sums do not depend on which rows were scored in this call and which were restored from an EpisodeScoreCache.
  const order = touchedRows.slice(0, scratch.nRows).sort();
  const rowLocal = scratch.rowLocal;
  for (let oi = 0; oi < order.length; oi++) {
    const s = order[oi] as number;
    const L = rowLocal[s] as number;
    const g = gcodes[s] as number;
    if (groupStamp[g] !== epoch) {
      groupStamp[g] = epoch;
      touched[scratch.nTouched++] = g;
      total[g] = 0;
      minD2[g] = Infinity;
      ageAtMin[g] = NaN;
      memberCount[g] = 0;
      bits.fill(0, g * nM, (g + 1) * nM);
    }
    if ((rowMinD2[L] as number) < (minD2[g] as number)) {
      minD2[g] = rowMinD2[L] as number;
      ageAtMin[g] = rowAge[L] as number;
    }
    for (let m = 0; m < nM; m++) {
      const v = memberScore[L * nM + m] as number;
      if (!(v > 0)) continue;
      total[g] = (total[g] as number) + v;
      if (bits[g * nM + m] === 0) {
        bits[g * nM + m] = 1;
        memberCount[g] = (memberCount[g] as number) + 1;
      }
      for (let d = 0; d < dimCodes.length; d++) {
        const arr = memberSums[d] as Float64Array;
        const idx = m * (dimSizes[d] as number) + ((dimCodes[d] as Int32Array)[s] as number);
        arr[idx] = (arr[idx] as number) + v;
      }
    }
  }
}

/**
 * Score every source against a set of trajectories (the core loop, shared by {@link attribute} and
 * {@link categoryExposures}): `memberSums[d]` (one per entry of `prep.sums`, each `nMembers × size_d` long and
 * zeroed by the caller) receives the per-member sums; `scratch` then holds the per-source totals, closest approach
 * and member counts of its `touched` groups. `memberSlot(j)` maps trajectory j to its member slot in [0, nMembers).
 * `pointWeight` (optional, indexed like the set's point columns) multiplies every contribution of a point (contact
 * weighting, ./contact.ts); a point weighted 0 is skipped.
 *
 * The members of one ensemble start together and stay close, so their points of the same index are handled
 * together: one box query (the union of the members' discs) per point index and time bin, then every hit is
 * tested against each member's point. That cuts the index queries by the ensemble size and keeps each hit's
 * columns in cache while the members are scored.
 */
export function scoreTrajectories(
  prep: Prepared,
  k: Kernel,
  set: TrajectorySet,
  trajIdx: number[],
  scratch: Scratch,
  memberSums: Float64Array[],
  memberSlot: (j: number) => number,
  nMembers: number,
  pointWeight: ArrayLike<number> | null = null,
  incremental?: { index: SourceIndex; restore: (scratch: Scratch) => void },
): void {
  scoreRows(prep, k, set, trajIdx, scratch, memberSlot, nMembers, pointWeight, incremental?.index);
  incremental?.restore(scratch);
  reduceRows(prep, scratch, memberSums);
}

/**
 * Per-member category and region sums from the joint category × region sums `joint[(m · nC + c) · nR + r]` (the
 * first of `scoreTrajectories`' `memberSums`): `category[m · nC + c]` and `region[m · nR + r]`.
 */
export function categoryRegionMarginals(joint: Float64Array, nM: number, nC: number, nR: number): { category: Float64Array; region: Float64Array } {
  const category = new Float64Array(Math.max(1, nM) * nC);
  const region = new Float64Array(Math.max(1, nM) * nR);
  for (let m = 0; m < nM; m++) {
    for (let c = 0; c < nC; c++) {
      for (let r = 0; r < nR; r++) {
        const v = joint[(m * nC + c) * nR + r] as number;
        category[m * nC + c] = (category[m * nC + c] as number) + v;
        region[m * nR + r] = (region[m * nR + r] as number) + v;
      }
    }
  }
  return { category, region };
}

/** The hot loop: kernel contributions per touched layer row and member. */
function scoreRows(prep: Prepared, k: Kernel, set: TrajectorySet, trajIdx: number[], scratch: Scratch, memberSlot: (j: number) => number, nMembers: number, pointWeight: ArrayLike<number> | null, only?: SourceIndex): void {
  const { layer, effW } = prep;
  const tauMs = k.tau * HOUR_MS;
  const tcutMs = k.tau * k.tcut * HOUR_MS;
  const inv2tau2 = 1 / (2 * tauMs * tauMs);
  const { winBefore, winAfter } = prep;
  // Time offset beyond the detection window (u = air passage − source time), ms.
  const excess = (s: number, u: number): number => {
    if (!winBefore || !winAfter) return u;
    if (u > 0) return Math.max(0, u - (winAfter[s] as number));
    return Math.min(0, u + (winBefore[s] as number));
  };
  const tReach = tcutMs + prep.winMaxMs;
  scratch.begin(nMembers);
  // `only`: an index over a subset of the rows (those an EpisodeScoreCache has not seen); nothing to do when empty.
  if (only && only.size === 0) return;
  const nM = scratch.nMembers;
  // Add one contribution c of layer row s (squared distance d2, point age `age`, member slot `slot`).
  const add = (s: number, c: number, d2: number, age: number, slot: number): void => {
    const L = scratch.local(s);
    const i = L * nM + slot;
    scratch.memberScore[i] = (scratch.memberScore[i] as number) + c;
    if (d2 < (scratch.rowMinD2[L] as number)) {
      scratch.rowMinD2[L] = d2;
      scratch.rowAge[L] = age;
    }
  };
  // Per point index: the members' points (struct of arrays, reused).
  const cap = Math.max(1, trajIdx.length);
  const Px = new Float64Array(cap);
  const Py = new Float64Array(cap);
  const Pt = new Float64Array(cap);
  const Pcos = new Float64Array(cap);
  const Pr2 = new Float64Array(cap);
  const Pinv = new Float64Array(cap);
  const Pscale = new Float64Array(cap);
  const Page = new Float64Array(cap);
  const Pslot = new Int32Array(cap);
  let m = 0;
  // Kernel over the hits of one box query in one bin against the m current member points.
  const shape = k.shape;
  const scanBin = (bin: SourceBin, ids: number[]): void => {
    const blng = bin.lng;
    const blat = bin.lat;
    const btime = bin.time;
    const bw = bin.weight;
    const steady = bin.steady;
    for (let q = 0; q < ids.length; q++) {
      const kk = ids[q] as number;
      const sx = blng[kk] as number;
      const sy = blat[kk] as number;
      const st = btime[kk] as number;
      for (let i = 0; i < m; i++) {
        const d2 = localDist2Km(Px[i] as number, Py[i] as number, sx, sy, Pcos[i] as number);
        if (d2 > (Pr2[i] as number)) continue;
        let e = logSpace(shape, d2, Pinv[i] as number);
        if (!steady) {
          const dt = excess(bin.rows[kk] as number, (Pt[i] as number) - st);
          if (dt > tcutMs || dt < -tcutMs) continue;
          e -= dt * dt * inv2tau2; // K_space × K_time in one exponential
        }
        const c = (bw[kk] as number) * (Pscale[i] as number) * Math.exp(e);
        if (c > 0) add(bin.rows[kk] as number, c, d2, Page[i] as number, Pslot[i] as number);
      }
    }
  };
  // Ensembles: trajectories sharing a start time.
  const starts = new Map<number, number[]>();
  for (const j of trajIdx) {
    const t = set.startTime[j] as number;
    let arr = starts.get(t);
    if (!arr) starts.set(t, (arr = []));
    arr.push(j);
  }
  const index = only ?? prep.index;
  for (const ens of starts.values()) {
    let maxLen = 0;
    for (const j of ens) maxLen = Math.max(maxLen, (set.offsets[j + 1] as number) - (set.offsets[j] as number));
    for (let q = 0; q < maxLen; q++) {
      m = 0;
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      let tLo = Infinity;
      let tHi = -Infinity;
      for (const j of ens) {
        const a = set.offsets[j] as number;
        const b = set.offsets[j + 1] as number;
        const p = a + q;
        if (p >= b) continue;
        const age = Math.abs(set.ageHours[p] as number);
        if (!(age <= k.hours)) continue;
        const px = set.lng[p] as number;
        const py = set.lat[p] as number;
        const pt = set.time[p] as number;
        if (!Number.isFinite(px) || !Number.isFinite(py) || !Number.isFinite(pt)) continue;
        const tPrev = p > a ? (set.time[p - 1] as number) : pt;
        const tNext = p + 1 < b && Math.abs(set.ageHours[p + 1] as number) <= k.hours ? (set.time[p + 1] as number) : pt;
        const dtH = Math.abs(tNext - tPrev) / 2 / HOUR_MS;
        if (!(dtH > 0)) continue;
        // Optional per-point weight (contact weighting, ./contact.ts): scales every contribution of this point.
        const pw = pointWeight ? (pointWeight[p] as number) : 1;
        if (!(pw > 0)) continue;
        const sigma = Math.max(k.sigma0, k.rate * age);
        const sigma2 = sigma * sigma;
        const r = k.cut * sigma;
        Px[m] = px;
        Py[m] = py;
        Pt[m] = pt;
        Pcos[m] = Math.cos((py * Math.PI) / 180);
        Pr2[m] = r * r;
        Pinv[m] = 1 / (2 * sigma2);
        // K_space normalisation 1/(2πσ²) and the residence time Δt folded into one factor.
        Pscale[m] = ((pw * dtH) / (2 * Math.PI * sigma2)) * (k.loss > 0 ? Math.exp(-age * k.loss) : 1);
        Page[m] = age;
        Pslot[m] = memberSlot(j);
        m++;
        if (index) {
          const bx = SourceIndex.box(px, py, r);
          if (bx[0] < x0) x0 = bx[0];
          if (bx[1] < y0) y0 = bx[1];
          if (bx[2] > x1) x1 = bx[2];
          if (bx[3] > y1) y1 = bx[3];
          if (pt < tLo) tLo = pt;
          if (pt > tHi) tHi = pt;
        }
      }
      if (m === 0) continue;
      if (index) {
        if (index.steady) scanBin(index.steady, index.steady.tree.range(x0, y0, x1, y1));
        const [b0, b1] = index.binRange(tLo - tReach, tHi + tReach);
        for (let bi = b0; bi <= b1; bi++) {
          const bin = index.bins[bi] as SourceBin;
          if (bin.rows.length) scanBin(bin, bin.tree.range(x0, y0, x1, y1));
        }
      } else {
        // Brute force: every source for every point, same kernel (the benchmark's baseline and the tests' oracle).
        for (let i = 0; i < m; i++) {
          const px = Px[i] as number;
          const py = Py[i] as number;
          const pt = Pt[i] as number;
          const cosLat = Pcos[i] as number;
          const r2 = Pr2[i] as number;
          for (let s = 0; s < layer.length; s++) {
            const w = effW[s] as number;
            if (!(w > 0)) continue;
            const d2 = localDist2Km(px, py, layer.lng[s] as number, layer.lat[s] as number, cosLat);
            if (d2 > r2) continue;
            const ts = layer.time[s] as number;
            let e = logSpace(shape, d2, Pinv[i] as number);
            if (ts === ts) {
              const dt = excess(s, pt - ts);
              if (dt > tcutMs || dt < -tcutMs) continue;
              e -= dt * dt * inv2tau2;
            }
            const c = w * (Pscale[i] as number) * Math.exp(e);
            if (c > 0) add(s, c, d2, Page[i] as number, Pslot[i] as number);
          }
        }
      }
    }
  }
}

/** Kernel sums of one scored episode, per touched row (by row-key id), and the rows it was scored against. */
export interface EpisodeRowScores {
  /** Bitset over row-key ids: every row of the layer the episode was scored against (shared by one call's episodes). */
  scored: Uint8Array;
  /** Member slots of the episode. */
  nMembers: number;
  /** Row-key id of each touched row. */
  ids: Int32Array;
  /** Per touched row, its score per member slot (`ids.length × nMembers`). */
  scores: Float64Array;
  /** Per touched row, its closest approach (km²) and the point age there (hours). */
  minD2: Float64Array;
  age: Float64Array;
  /** Row-key ids of the hotspots the classic baseline counted (see `classicBaseline`). */
  baseline: Int32Array;
}

/** Row-key ids of one prepared layer: `ids[row]`, the bitset of them, and the rows of each id (`first`/`next` chains). */
export interface LayerRowIds {
  ids: Int32Array;
  bits: Uint8Array;
  first: Int32Array;
  next: Int32Array;
}

const hasBit = (bits: Uint8Array, id: number): boolean => (id >> 3) < bits.length && ((bits[id >> 3] as number) & (1 << (id & 7))) !== 0;

/**
 * Per-episode row scores kept between runs, so that a run on a layer that only gained rows (a new FIRMS batch)
 * scores the new rows alone and restores the others: the result is bit-identical to scoring every row, because a
 * row's per-member sum depends only on that row (its position, time, effective weight and detection window — its
 * key here) and the episode's trajectories, and the rows are folded in one canonical order (see reduceRows).
 * Rows are identified across layers by that key; an episode entry is keyed by the caller (its trajectories and
 * kernel settings). Bounded in bytes (least recently used entries dropped first; the key registry is reset when it
 * outgrows half the bound). Browser-safe; `TrajectoryStore` (hazetrace/node) holds one for `hazetrace serve`.
 *
 * @example
 * ```ts
 * import { EpisodeScoreCache } from 'hazetrace/attribution';
 * const cache = new EpisodeScoreCache(64 * 1024 * 1024);
 * cache.stats().entries; // 0
 * ```
 */
export class EpisodeScoreCache {
  private keyIds = new Map<string, number>();
  private keyBytes = 0;
  private generation = 0;
  private readonly perLayer = new WeakMap<Prepared, { generation: number; ids: LayerRowIds }>();
  private readonly entries = new Map<string, { v: EpisodeRowScores; bytes: number }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evicted = 0;

  /** @param maxBytes bound of the stored entries plus the key registry, bytes (0 stores nothing). */
  constructor(readonly maxBytes: number) {
    if (typeof maxBytes !== 'number' || !(maxBytes >= 0) || maxBytes === Infinity) throw argError('maxBytes', maxBytes, 'a number of bytes ≥ 0');
  }

  /** Row-key ids of a prepared layer (registering keys not seen before); cached per layer. */
  rowIds(prep: Prepared): LayerRowIds {
    const hit = this.perLayer.get(prep);
    if (hit && hit.generation === this.generation) return hit.ids;
    const n = prep.layer.length;
    if (this.keyBytes > this.maxBytes / 2) this.clear();
    const { lng, lat, time } = prep.layer;
    const wb = prep.winBefore;
    const wa = prep.winAfter;
    const ids = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const key = `${lng[i]},${lat[i]},${time[i]},${prep.effW[i]},${wb ? wb[i] : 0},${wa ? wa[i] : 0}`;
      let id = this.keyIds.get(key);
      if (id === undefined) {
        id = this.keyIds.size;
        this.keyIds.set(key, id);
        this.keyBytes += 2 * key.length + 64;
      }
      ids[i] = id;
    }
    const nIds = this.keyIds.size;
    const bits = new Uint8Array((nIds + 7) >> 3);
    const first = new Int32Array(nIds).fill(-1);
    const next = new Int32Array(n).fill(-1);
    for (let i = n - 1; i >= 0; i--) {
      const id = ids[i] as number;
      bits[id >> 3] = (bits[id >> 3] as number) | (1 << (id & 7));
      next[i] = first[id] as number;
      first[id] = i;
    }
    const out = { ids, bits, first, next };
    this.perLayer.set(prep, { generation: this.generation, ids: out });
    return out;
  }

  /** Whether row `row` of a layer (with ids `r`) is one an entry was not scored against. */
  static isNew(entry: EpisodeRowScores, r: LayerRowIds, row: number): boolean {
    return !hasBit(entry.scored, r.ids[row] as number);
  }

  get(key: string): EpisodeRowScores | undefined {
    const e = this.entries.get(key);
    if (!e) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.v;
  }

  /** Store the touched rows of `scratch` (as left by scoreTrajectories) for an episode scored against layer rows `r`. */
  capture(key: string, scratch: Scratch, r: LayerRowIds, baseline: Int32Array): void {
    if (this.maxBytes <= 0) return;
    const nM = scratch.nMembers;
    const stamp = new Set<number>();
    const keep: number[] = [];
    for (let L = 0; L < scratch.nRows; L++) {
      const id = r.ids[scratch.touchedRows[L] as number] as number;
      if (stamp.has(id)) continue; // a duplicate row (same key) has the same sums
      stamp.add(id);
      keep.push(L);
    }
    const v: EpisodeRowScores = { scored: r.bits, nMembers: nM, ids: new Int32Array(keep.length), scores: new Float64Array(keep.length * nM), minD2: new Float64Array(keep.length), age: new Float64Array(keep.length), baseline };
    keep.forEach((L, i) => {
      v.ids[i] = r.ids[scratch.touchedRows[L] as number] as number;
      v.scores.set(scratch.memberScore.subarray(L * nM, (L + 1) * nM), i * nM);
      v.minD2[i] = scratch.rowMinD2[L] as number;
      v.age[i] = scratch.rowAge[L] as number;
    });
    const bytes = v.scores.byteLength + 20 * keep.length + baseline.byteLength + r.bits.byteLength + 2 * key.length + 128;
    if (bytes > this.maxBytes / 2) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { v, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes + this.keyBytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
      this.evicted++;
    }
  }

  /** Put an entry's rows that still exist in the layer (ids `r`) into `scratch`, after the new rows were scored. */
  static restore(entry: EpisodeRowScores, scratch: Scratch, r: LayerRowIds): void {
    const nM = scratch.nMembers;
    for (let i = 0; i < entry.ids.length; i++) {
      const id = entry.ids[i] as number;
      for (let row = id < r.first.length ? (r.first[id] as number) : -1; row >= 0; row = r.next[row] as number) {
        const L = scratch.local(row);
        scratch.memberScore.set(entry.scores.subarray(i * nM, (i + 1) * nM), L * nM);
        scratch.rowMinD2[L] = entry.minD2[i] as number;
        scratch.rowAge[L] = entry.age[i] as number;
      }
    }
  }

  /** Drop every entry and the key registry (the wind or the settings changed). */
  clear(): void {
    this.entries.clear();
    this.keyIds = new Map();
    this.keyBytes = 0;
    this.bytes = 0;
    this.generation++;
  }

  stats(): { entries: number; bytes: number; keys: number; hits: number; misses: number; evicted: number } {
    return { entries: this.entries.size, bytes: this.bytes + this.keyBytes, keys: this.keyIds.size, hits: this.hits, misses: this.misses, evicted: this.evicted };
  }
}
