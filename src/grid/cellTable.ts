import { latLngToCell as h3LatLngToCell } from 'h3-js';
import { HI_LO, hiLoToString, latLngToCellHiLo } from './h3fast.js';
import { argError } from '../core/errors.js';

/**
 * Open-addressing hash table from a 64-bit key given as two uint32 halves
 * (an H3 index as hi/lo, or a (slot, time-bin) pair) to a dense slot number
 * 0, 1, 2, … in order of first appearance. Linear probing over a power-of-two
 * Int32Array of slot numbers; the keys themselves live once, in slot order, in
 * `keysHi`/`keysLo`: about 14–22 bytes per distinct key, no object per key, no
 * string per point.
 *
 * @example
 * ```ts
 * import { CellTable } from 'hazetrace/grid';
 * const t = new CellTable();
 * t.insert(0x08928308, 0x280fffff); // 0
 * t.insert(0x08928308, 0x280fffff); // 0 again
 * ```
 */
export class CellTable {
  private table: Int32Array;
  private mask: number;
  /** Keys in slot order (only the first `size` entries are used). */
  keysHi: Uint32Array;
  keysLo: Uint32Array;
  size = 0;

  /** @param expected number of distinct keys expected (the table grows past it). */
  constructor(expected = 1024) {
    if (typeof expected !== 'number' || !Number.isFinite(expected) || expected > 2 ** 28) {
      throw argError('expected', expected, 'a finite number of expected keys up to 2^28');
    }
    let cap = 16;
    while (cap * 3 < expected * 4) cap *= 2;
    this.table = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keysHi = new Uint32Array(Math.max(16, expected));
    this.keysLo = new Uint32Array(Math.max(16, expected));
  }

  private static hash(hi: number, lo: number): number {
    // murmur3 finaliser over both halves so neighbouring cells spread out
    let h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
  }

  /** Slot of (hi, lo), inserting it if new. */
  insert(hi: number, lo: number): number {
    hi >>>= 0;
    lo >>>= 0;
    const table = this.table, mask = this.mask, kh = this.keysHi, kl = this.keysLo;
    let p = CellTable.hash(hi, lo) & mask;
    for (;;) {
      const s = table[p]!;
      if (s === -1) break;
      if (kh[s] === hi && kl[s] === lo) return s;
      p = (p + 1) & mask;
    }
    const s = this.size++;
    if (s >= kh.length) {
      const n = kh.length * 2;
      const nh = new Uint32Array(n);
      nh.set(kh);
      const nl = new Uint32Array(n);
      nl.set(kl);
      this.keysHi = nh;
      this.keysLo = nl;
    }
    this.keysHi[s] = hi;
    this.keysLo[s] = lo;
    table[p] = s;
    // grow at 3/4 load: linear probing stays short and the table costs ≤ ~11 bytes per key
    if (this.size * 4 > (mask + 1) * 3) this.grow();
    return s;
  }

  /** Drop the probe table once no more keys will be inserted (the keys stay readable). */
  release(): void {
    this.table = new Int32Array(0);
    this.mask = -1;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    const table = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const kh = this.keysHi, kl = this.keysLo;
    for (let s = 0; s < this.size; s++) {
      let p = CellTable.hash(kh[s]!, kl[s]!) & mask;
      while (table[p] !== -1) p = (p + 1) & mask;
      table[p] = s;
    }
    this.table = table;
    this.mask = mask;
  }
}

/**
 * Dense ids for the H3 cells of points at one resolution, in order of first
 * appearance: through the exact pure-TS path and a {@link CellTable} when
 * `fast` (hex strings made only once per cell, by {@link CellInterner.cells}),
 * or through h3-js and a `Map<string, id>` otherwise.
 *
 * @example
 * ```ts
 * import { CellInterner } from 'hazetrace/grid';
 * const ids = new CellInterner(7, true);
 * ids.add(18.79, 98.98); // 0
 * ids.cells();           // ['8764a4...'] h3-js hex strings in id order
 * ```
 */
export class CellInterner {
  private table: CellTable | null;
  private readonly map: Map<string, number> | null;
  private list: string[] | null = null;
  private keys: { hi: Uint32Array; lo: Uint32Array } | null = null;

  /** @param res H3 resolution; @param fast use the exact pure-TS path (else h3-js + Map). */
  constructor(
    readonly res: number,
    fast: boolean,
  ) {
    this.table = fast ? new CellTable(1024) : null;
    this.map = fast ? null : new Map();
    if (!fast) this.list = [];
  }

  /** Id of the cell containing (lat, lng) (finite, in range: the caller checks). */
  add(lat: number, lng: number): number {
    if (this.table) {
      latLngToCellHiLo(lat, lng, this.res);
      return this.table.insert(HI_LO[0]!, HI_LO[1]!);
    }
    const c = h3LatLngToCell(lat, lng, this.res);
    let s = this.map!.get(c);
    if (s === undefined) {
      s = this.list!.length;
      this.map!.set(c, s);
      this.list!.push(c);
    }
    return s;
  }

  get size(): number {
    return this.table ? this.table.size : this.keys ? this.keys.hi.length : this.list!.length;
  }

  /** No more cells will be added: drop the probe table and keep exact-size keys (fast path). */
  seal(): void {
    if (!this.table) return;
    const n = this.table.size;
    this.table.release();
    this.keys = { hi: this.table.keysHi.slice(0, n), lo: this.table.keysLo.slice(0, n) };
    this.table = null;
  }

  /** The cells as h3-js hex strings, in id order (made once; seals the interner). */
  cells(): string[] {
    if (this.list) return this.list;
    this.seal();
    const { hi, lo } = this.keys!;
    const out = new Array<string>(hi.length);
    for (let s = 0; s < hi.length; s++) out[s] = hiLoToString(hi[s]!, lo[s]!);
    this.list = out;
    this.keys = null;
    return out;
  }
}
