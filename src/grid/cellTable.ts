/**
 * Open-addressing hash table from a 64-bit key given as two uint32 halves
 * (an H3 index as hi/lo, or a (slot, time-bin) pair) to a dense slot number
 * 0, 1, 2, … in order of first appearance. Linear probing over a power-of-two
 * Int32Array of slot numbers; the keys themselves live once, in slot order, in
 * `keysHi`/`keysLo`: about 14–22 bytes per distinct key, no object per key, no
 * string per point.
 */
export class CellTable {
  private table: Int32Array;
  private mask: number;
  /** Keys in slot order (only the first `size` entries are used). */
  keysHi: Uint32Array;
  keysLo: Uint32Array;
  size = 0;

  /**
   * @example
   * ```ts
   * import { CellTable } from 'hazetrace/grid';
   * const t = new CellTable();
   * t.insert(0x08928308, 0x280fffff); // 0
   * t.insert(0x08928308, 0x280fffff); // 0 again
   * ```
   */
  constructor(expected = 1024) {
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
