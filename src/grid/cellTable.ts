/**
 * Open-addressing hash table from a 64-bit key given as two uint32 halves
 * (an H3 index as hi/lo, or a (slot, time-bin) pair) to a dense slot number
 * 0, 1, 2, … in order of first appearance. Linear probing over power-of-two
 * typed arrays: no object per key, no string per point.
 */
export class CellTable {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private slot: Int32Array;
  private mask: number;
  /** Keys in slot order. */
  keysHi: Uint32Array;
  keysLo: Uint32Array;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.slot = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.keysHi = new Uint32Array(Math.max(16, expected));
    this.keysLo = new Uint32Array(Math.max(16, expected));
  }

  /** Slot of (hi, lo), inserting it if new. */
  insert(hi: number, lo: number): number {
    // Mix both halves (murmur3 finaliser constants) so neighbouring cells spread out.
    let h = Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    let p = h & this.mask;
    for (;;) {
      const s = this.slot[p]!;
      if (s === -1) break;
      if (this.hi[p] === hi >>> 0 && this.lo[p] === lo >>> 0) return s;
      p = (p + 1) & this.mask;
    }
    const s = this.size++;
    this.hi[p] = hi;
    this.lo[p] = lo;
    this.slot[p] = s;
    if (s >= this.keysHi.length) {
      const nh = new Uint32Array(this.keysHi.length * 2);
      nh.set(this.keysHi);
      this.keysHi = nh;
      const nl = new Uint32Array(this.keysLo.length * 2);
      nl.set(this.keysLo);
      this.keysLo = nl;
    }
    this.keysHi[s] = hi;
    this.keysLo[s] = lo;
    if (this.size * 2 > this.mask) this.grow();
    return s;
  }

  private grow(): void {
    const cap = (this.mask + 1) * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.slot = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const n = this.size;
    this.size = 0;
    const kh = this.keysHi, kl = this.keysLo;
    for (let s = 0; s < n; s++) this.insert(kh[s]!, kl[s]!);
  }
}
