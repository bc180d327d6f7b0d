/**
 * Fast GeoTIFF pixel path: strips or tiles (uncompressed, LZW, deflate), chunky or planar, predictor
 * 1/2/3, 8/16/32-bit integers and 32/64-bit floats, decoded straight into one Float64Array per band read (or,
 * for `sampleType: 'native'`, one typed array of the file's own sample type: the same copies, same-type ones).
 * Anything else is declined ({@link fastPathDecline} names why) and readGeoTiff uses geotiff.js. @internal
 */
import { HazetraceError } from '../../core/errors.js';
import { decodeLzw, lzwBufferSize } from './lzw.js';
import { swapBytes, undoFloat, undoHorizontal } from './predictor.js';
import { getAsyncInflate, getAsyncInflatePolicy, getSyncInflate, hasStreamInflate, streamInflate, type AsyncInflate } from './inflate.js';

/** What the fast path needs to know about one image (from its IFD). */
export interface TiffLayout {
  /** Full image size, pixels. */
  width: number;
  height: number;
  tiled: boolean;
  /** Tile size, or (strips) the image width and RowsPerStrip. */
  blockWidth: number;
  blockHeight: number;
  samples: number;
  /** 1 chunky (samples interleaved), 2 planar (one set of blocks per sample). */
  planar: number;
  /** BitsPerSample per sample. */
  bits: readonly number[];
  /** SampleFormat per sample (1 uint, 2 int, 3 float). */
  formats: readonly number[];
  compression: number;
  predictor: number;
  littleEndian: boolean;
  /** FillOrder tag (1 = default). */
  fillOrder: number;
  offsets: readonly number[];
  counts: readonly number[];
}

/** Compression codes the fast path decodes: none, LZW, deflate (Adobe), deflate (old code). */
const CODECS = new Set([1, 5, 8, 32946]);

/**
 * Why the fast path cannot read `l` (then readGeoTiff falls back to geotiff.js), or null when it can.
 * Declined: other compressions (JPEG, PackBits, zstd, LERC, WebP…), deflate with no inflater on this
 * platform, bit depths other than 8/16/32 (and 64-bit floats), mixed sample types, 64-bit integers,
 * FillOrder 2, sparse blocks (byte count 0).
 */
export function fastPathDecline(l: TiffLayout): string | null {
  if (!CODECS.has(l.compression)) return `compression ${l.compression}`;
  if ((l.compression === 8 || l.compression === 32946) && !getSyncInflate() && !hasStreamInflate()) return 'no deflate decoder';
  if (l.predictor !== 1 && l.predictor !== 2 && l.predictor !== 3) return `predictor ${l.predictor}`;
  if (l.fillOrder !== 1) return `FillOrder ${l.fillOrder}`;
  if (l.planar !== 1 && l.planar !== 2) return `PlanarConfiguration ${l.planar}`;
  const b = l.bits[0];
  const f = l.formats[0];
  if (l.bits.length !== l.samples || l.bits.some((x) => x !== b) || l.formats.some((x) => x !== f)) return 'mixed sample types';
  if (f === 3 ? b !== 32 && b !== 64 : (f === 1 || f === 2) ? b !== 8 && b !== 16 && b !== 32 : true) return `SampleFormat ${f} with ${b} bits`;
  if (l.predictor === 3 && f !== 3) return 'predictor 3 on integers';
  if (l.predictor === 2 && f === 3) return 'predictor 2 on floats';
  if (!(l.blockWidth > 0 && l.blockHeight > 0)) return 'block size';
  if (l.counts.some((c) => c === 0)) return 'sparse blocks';
  return null;
}

type View = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

type ViewClass = Uint8ArrayConstructor | Int8ArrayConstructor | Uint16ArrayConstructor | Int16ArrayConstructor
  | Uint32ArrayConstructor | Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;

/** The typed array class of a sample type (`bits`, SampleFormat `format`: 1 unsigned, 2 signed, 3 float). */
function sampleArrayClass(bits: number, format: number): ViewClass {
  if (format === 3) return bits === 32 ? Float32Array : Float64Array;
  if (bits === 8) return format === 2 ? Int8Array : Uint8Array;
  if (bits === 16) return format === 2 ? Int16Array : Uint16Array;
  return format === 2 ? Int32Array : Uint32Array;
}

/** `count` samples of the sample type, viewed in place over `buf`. */
function typedView(buf: Uint8Array, bits: number, format: number, count: number): View {
  return new (sampleArrayClass(bits, format))(buf.buffer as ArrayBuffer, buf.byteOffset, count);
}

/**
 * Chunky (pixel-interleaved) samples into their bands: `o[dst + i] = src[px + i * stride + s]` for i < n, for
 * one, two or three bands at once (one pass over the row for three bands instead of three strided passes).
 * Small functions of their own so V8 optimises each loop by itself.
 */
function gather(o: View, dst: number, src: View, si: number, n: number, stride: number): void {
  const end = dst + n;
  for (let d = dst; d < end; d++, si += stride) o[d] = src[si]!;
}
function gather2(o0: View, s0: number, o1: View, s1: number, dst: number, src: View, px: number, n: number, stride: number): void {
  const end = dst + n;
  for (let d = dst; d < end; d++, px += stride) {
    o0[d] = src[px + s0]!;
    o1[d] = src[px + s1]!;
  }
}
function gather3(o0: View, s0: number, o1: View, s1: number, o2: View, s2: number, dst: number, src: View, px: number, n: number, stride: number): void {
  const end = dst + n;
  for (let d = dst; d < end; d++, px += stride) {
    o0[d] = src[px + s0]!;
    o1[d] = src[px + s1]!;
    o2[d] = src[px + s2]!;
  }
}

/** True on a little-endian host: a 32-bit word store then puts its low byte at the lowest address. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * 1-byte chunky samples into 1-byte bands with 32-bit word stores (little-endian hosts): four pixels of a band are
 * gathered by byte loads from `src` (the block's bytes, unsigned so no sign bits reach the OR) into one word,
 * `o[d] = src[p] | src[p + stride] << 8 | src[p + 2·stride] << 16 | src[p + 3·stride] << 24`, stored into a
 * Uint32Array view of the band: a quarter of the stores of the byte loop. `d` counts words, `nw` words per band;
 * `p` is the byte of the first pixel's sample of the first band. One, two or three bands per pass, as gather*.
 */
function words1(o: Uint32Array, d: number, src: Uint8Array, p: number, nw: number, stride: number): void {
  const s2 = 2 * stride, s3 = 3 * stride, step = 4 * stride;
  const end = d + nw;
  for (; d < end; d++, p += step) o[d] = src[p]! | (src[p + stride]! << 8) | (src[p + s2]! << 16) | (src[p + s3]! << 24);
}
function words2(o0: Uint32Array, s0: number, o1: Uint32Array, s1: number, d: number, src: Uint8Array, p: number, nw: number, stride: number): void {
  const s2 = 2 * stride, s3 = 3 * stride, step = 4 * stride;
  const end = d + nw;
  for (; d < end; d++, p += step) {
    const a = p + s0, b = p + s1;
    o0[d] = src[a]! | (src[a + stride]! << 8) | (src[a + s2]! << 16) | (src[a + s3]! << 24);
    o1[d] = src[b]! | (src[b + stride]! << 8) | (src[b + s2]! << 16) | (src[b + s3]! << 24);
  }
}
function words3(o0: Uint32Array, s0: number, o1: Uint32Array, s1: number, o2: Uint32Array, s2x: number, d: number, src: Uint8Array, p: number, nw: number, stride: number): void {
  const s2 = 2 * stride, s3 = 3 * stride, step = 4 * stride;
  const end = d + nw;
  for (; d < end; d++, p += step) {
    const a = p + s0, b = p + s1, c = p + s2x;
    o0[d] = src[a]! | (src[a + stride]! << 8) | (src[a + s2]! << 16) | (src[a + s3]! << 24);
    o1[d] = src[b]! | (src[b + stride]! << 8) | (src[b + s2]! << 16) | (src[b + s3]! << 24);
    o2[d] = src[c]! | (src[c + stride]! << 8) | (src[c + s2]! << 16) | (src[c + s3]! << 24);
  }
}
/**
 * Every sample of 2-, 3- or 4-sample pixels, each into its band (`oS` takes sample S), with word loads as well as
 * word stores: 4 pixels are `stride` whole words of the block (`s32` from word `w`, aligned), split by shifts and
 * masks — no byte loads. The read of all of a file's bands (an RGB or RGBA image) takes this path.
 */
function wordsAll2(o0: Uint32Array, o1: Uint32Array, d: number, s32: Uint32Array, w: number, nw: number): void {
  const end = d + nw;
  for (; d < end; d++, w += 2) {
    const x = s32[w]!, y = s32[w + 1]!;
    o0[d] = (x & 0xff) | ((x >>> 8) & 0xff00) | ((y & 0xff) << 16) | ((y >>> 16) << 24);
    o1[d] = ((x >>> 8) & 0xff) | ((x >>> 16) & 0xff00) | ((y << 8) & 0xff0000) | (y & 0xff000000);
  }
}
function wordsAll3(o0: Uint32Array, o1: Uint32Array, o2: Uint32Array, d: number, s32: Uint32Array, w: number, nw: number): void {
  const end = d + nw;
  for (; d < end; d++, w += 3) {
    // Bytes: x = p0s0 p0s1 p0s2 p1s0, y = p1s1 p1s2 p2s0 p2s1, z = p2s2 p3s0 p3s1 p3s2 (pixel p, sample s).
    const x = s32[w]!, y = s32[w + 1]!, z = s32[w + 2]!;
    o0[d] = (x & 0xff) | ((x >>> 24) << 8) | (((y >>> 16) & 0xff) << 16) | ((z >>> 8) << 24);
    o1[d] = ((x >>> 8) & 0xff) | ((y & 0xff) << 8) | ((y >>> 24) << 16) | ((z >>> 16) << 24);
    o2[d] = ((x >>> 16) & 0xff) | (((y >>> 8) & 0xff) << 8) | ((z & 0xff) << 16) | ((z >>> 24) << 24);
  }
}
function wordsAll4(o0: Uint32Array, o1: Uint32Array, o2: Uint32Array, o3: Uint32Array, d: number, s32: Uint32Array, w: number, nw: number): void {
  const end = d + nw;
  for (; d < end; d++, w += 4) {
    const a = s32[w]!, b = s32[w + 1]!, c = s32[w + 2]!, e = s32[w + 3]!;
    o0[d] = (a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | (e << 24);
    o1[d] = ((a >>> 8) & 0xff) | (b & 0xff00) | ((c & 0xff00) << 8) | ((e >>> 8) << 24);
    o2[d] = ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) | ((e >>> 16) << 24);
    o3[d] = (a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) | (e & 0xff000000);
  }
}
/** The byte loop of the word path's head and tail (fewer than 4 pixels a row end): `o[dst + i] = src[si + i·stride]`. */
function bytes1(o: Uint8Array, dst: number, src: Uint8Array, si: number, n: number, stride: number): void {
  for (let i = 0; i < n; i++, si += stride) o[dst + i] = src[si]!;
}

/**
 * One row of `n` pixels of 1-byte chunky samples (`stride` samples per pixel, from byte `px` of `src`) into the bands
 * `ks` (slots of `o8` / `o32`, taking sample `bands[k]`), from band index `dst`: head bytes until `dst` is a multiple
 * of 4 (all bands share `dst`; every band starts at byte 0 of its own buffer), whole words, tail bytes.
 * `bySample` (the word view of the band of each sample, when the read takes every sample once and there are 2–4)
 * and `s32` (a word view of `src`, when `src` starts word-aligned) let rows whose words start aligned in the block
 * use {@link wordsAll3} and its twins; other rows load bytes.
 */
function placeRowWords(
  ks: readonly number[], bands: readonly number[], o8: Uint8Array[], o32: Uint32Array[], bySample: Uint32Array[] | null,
  dst: number, src: Uint8Array, s32: Uint32Array | null, px: number, n: number, stride: number,
): void {
  const head = Math.min(n, (4 - (dst & 3)) & 3);
  const nw = (n - head) >> 2;
  const tail = n - head - 4 * nw;
  const d0 = dst + head, p0 = px + head * stride;
  const dt = d0 + 4 * nw, pt = p0 + 4 * nw * stride;
  for (const k of ks) {
    if (head > 0) bytes1(o8[k]!, dst, src, px + bands[k]!, head, stride);
    if (tail > 0) bytes1(o8[k]!, dt, src, pt + bands[k]!, tail, stride);
  }
  if (nw === 0) return;
  const d = d0 >> 2;
  if (bySample !== null && s32 !== null && (p0 & 3) === 0) {
    const w = p0 >> 2;
    if (stride === 3) wordsAll3(bySample[0]!, bySample[1]!, bySample[2]!, d, s32, w, nw);
    else if (stride === 4) wordsAll4(bySample[0]!, bySample[1]!, bySample[2]!, bySample[3]!, d, s32, w, nw);
    else wordsAll2(bySample[0]!, bySample[1]!, d, s32, w, nw);
    return;
  }
  let i = 0;
  for (; i + 3 <= ks.length; i += 3) {
    const a = ks[i]!, b = ks[i + 1]!, c = ks[i + 2]!;
    words3(o32[a]!, bands[a]!, o32[b]!, bands[b]!, o32[c]!, bands[c]!, d, src, p0, nw, stride);
  }
  if (ks.length - i === 2) words2(o32[ks[i]!]!, bands[ks[i]!]!, o32[ks[i + 1]!]!, bands[ks[i + 1]!]!, d, src, p0, nw, stride);
  else if (ks.length - i === 1) words1(o32[ks[i]!]!, d, src, p0 + bands[ks[i]!]!, nw, stride);
}

const BATCH_BLOCKS = 1024;
const BATCH_BYTES = 8_388_608;
const STREAM_BLOCKS = 64;

/** Source of the compressed bytes of blocks: `get(offset, length)` for each, possibly fetched in one batch. */
export interface BlockBytes {
  get(slices: readonly { offset: number; length: number }[]): Uint8Array[] | Promise<Uint8Array[]>;
}

function blockError(what: string, e: unknown, offset: number): HazetraceError {
  if (e instanceof HazetraceError) return e;
  const why = e instanceof Error ? e.message : String(e);
  return new HazetraceError('E_FORMAT', `GeoTIFF: corrupt or truncated pixel data (${what}) at byte offset ${offset}: ${why || 'decoder failed'}`, { format: 'GeoTIFF', section: what, offset });
}

/** `E_ABORTED` when `signal` was aborted (the reason kept); the one abort check of the GeoTIFF readers. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new HazetraceError('E_ABORTED', 'GeoTIFF read was aborted', { reason: String(signal.reason) });
}

/**
 * Decode the window `[x0, y0, x1, y1]` of bands `bands` (sample indices) into one Float64Array per band, or
 * with `native` one typed array of the file's own sample type per band (Int16Array for int16, …).
 * With `parallel` (`parallelInflate`; default false), deflate blocks of at least the async inflater's policy size are inflated by it
 * (several at once, see {@link getAsyncInflatePolicy}); otherwise by the sync inflater on this thread.
 * Errors: `E_FORMAT` for a block that does not decode to its declared size, `E_ABORTED` via `signal`.
 */
export async function readFast(
  l: TiffLayout, src: BlockBytes, win: readonly [number, number, number, number], bands: readonly number[], signal?: AbortSignal, native = false, parallel = false,
): Promise<View[]> {
  const [x0, y0, x1, y1] = win;
  const W = x1 - x0;
  const H = y1 - y0;
  const bw = l.blockWidth;
  const bh = l.blockHeight;
  const across = l.tiled ? Math.ceil(l.width / bw) : 1;
  const down = Math.ceil(l.height / bh);
  const bytes = l.bits[0]! / 8;
  const format = l.formats[0]!;
  const spp = l.samples;
  const planar = l.planar === 2;
  const blockSpp = planar ? 1 : spp;
  const what = l.tiled ? 'tile' : 'strip';
  const out: View[] = bands.map(() => (native ? new (sampleArrayClass(l.bits[0]!, format))(W * H) : new Float64Array(W * H)));
  const deflate = l.compression === 8 || l.compression === 32946;
  const inflate = deflate ? getSyncInflate() : null;
  // Native 1-byte chunky output goes through word stores (placeRowWords): byte and word views of each band, made once.
  // Each band is a fresh array at byte offset 0, so band index i is byte i and word i >> 2 of its buffer.
  const wordPath = native && bytes === 1 && !planar && spp > 1 && LITTLE_ENDIAN_HOST;
  const out8 = wordPath ? out.map((o) => new Uint8Array(o.buffer, o.byteOffset, o.length)) : [];
  const out32 = wordPath ? out.map((o) => new Uint32Array(o.buffer, o.byteOffset, o.length >> 2)) : [];
  // Every sample read once (2–4 of them, any order): the band of sample s is bySample[s], for word loads too.
  let bySample: Uint32Array[] | null = null;
  if (wordPath && spp <= 4 && bands.length === spp && new Set(bands).size === spp) {
    bySample = [];
    bands.forEach((b, k) => (bySample![b] = out32[k]!));
  }

  // Blocks to read: (index, tile column, tile row, sample set), in file order of index.
  interface Job { index: number; tx: number; ty: number; samples: number[] /* band slots (k) fed by this block */ }
  const jobs: Job[] = [];
  const tx0 = Math.floor(x0 / bw), tx1 = Math.floor((x1 - 1) / bw);
  const ty0 = Math.floor(y0 / bh), ty1 = Math.floor((y1 - 1) / bh);
  const planes = planar ? bands.map((s) => [s]) : [bands.map((_, k) => k)];
  for (let pi = 0; pi < planes.length; pi++) {
    for (let ty = ty0; ty <= ty1; ty++) {
      for (let tx = tx0; tx <= tx1; tx++) {
        const index = (planar ? bands[pi]! * across * down : 0) + ty * across + tx;
        jobs.push({ index, tx, ty, samples: planar ? [pi] : planes[0]! });
      }
    }
  }
  for (const j of jobs) {
    if (j.index >= l.offsets.length) {
      throw new HazetraceError('E_FORMAT', `GeoTIFF: pixel data ${what} ${j.index} is missing: the directory lists only ${l.offsets.length} ${what}s`, { format: 'GeoTIFF', section: `${what} ${j.index}` });
    }
  }

  const rowsOf = (ty: number): number => (l.tiled ? bh : Math.min(bh, l.height - ty * bh));
  const decodedSize = (ty: number): number => bw * rowsOf(ty) * blockSpp * bytes;

  /** Decompressed block → values written into `out`. */
  const place = (j: Job, data: Uint8Array): void => {
    const rows = rowsOf(j.ty);
    const need = decodedSize(j.ty);
    const off = l.offsets[j.index]!;
    if (data.length < need) {
      throw new HazetraceError('E_FORMAT', `GeoTIFF: pixel data of ${what} ${j.index} at byte offset ${off} decoded to ${data.length} bytes but needs ${need}: truncated or corrupt`, {
        format: 'GeoTIFF', section: `${what} ${j.index}`, offset: off,
      });
    }
    // Own, aligned, writable bytes (predictors work in place; typed views need alignment).
    let buf = data;
    if (buf.byteOffset % bytes !== 0) buf = buf.slice(0, need);
    const rowValues = bw * blockSpp;
    if (!l.littleEndian && bytes > 1 && l.predictor !== 3) swapBytes(buf.subarray(0, need), bytes);
    if (l.predictor === 2) undoHorizontal(buf, bytes, rows, rowValues, blockSpp);
    else if (l.predictor === 3) undoFloat(buf, bytes, rows, rowValues, blockSpp);
    const view = typedView(buf, l.bits[0]!, format, rows * rowValues);
    // Intersection of the block with the window, in image pixels.
    const bx0 = j.tx * bw, by0 = j.ty * bh;
    const cx0 = Math.max(x0, bx0), cx1 = Math.min(x1, bx0 + bw, l.width);
    const cy0 = Math.max(y0, by0), cy1 = Math.min(y1, by0 + rows);
    const n = cx1 - cx0;
    if (n <= 0 || cy1 <= cy0) return;
    if (blockSpp === 1) {
      for (const k of j.samples) {
        const o = out[k]!;
        if (n === bw && n === W) {
          // Whole block rows land contiguously in the window (strips read full width): one copy.
          const src0 = (cy0 - by0) * bw;
          o.set(view.subarray(src0, src0 + (cy1 - cy0) * bw), (cy0 - y0) * W);
          continue;
        }
        for (let y = cy0; y < cy1; y++) {
          const srcRow = (y - by0) * bw + (cx0 - bx0);
          o.set(view.subarray(srcRow, srcRow + n), (y - y0) * W + (cx0 - x0));
        }
      }
      return;
    }
    // Chunky: the requested samples of each pixel, three (or two) bands per pass over the row.
    const ks = j.samples;
    if (wordPath) {
      const s32 = bySample !== null && (buf.byteOffset & 3) === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length >> 2) : null;
      for (let y = cy0; y < cy1; y++) {
        placeRowWords(ks, bands, out8, out32, bySample, (y - y0) * W + (cx0 - x0), buf, s32, ((y - by0) * bw + (cx0 - bx0)) * blockSpp, n, blockSpp);
      }
      return;
    }
    for (let y = cy0; y < cy1; y++) {
      const px = ((y - by0) * bw + (cx0 - bx0)) * blockSpp;
      const dst = (y - y0) * W + (cx0 - x0);
      let i = 0;
      for (; i + 3 <= ks.length; i += 3) {
        const a = ks[i]!, b = ks[i + 1]!, c = ks[i + 2]!;
        gather3(out[a]!, bands[a]!, out[b]!, bands[b]!, out[c]!, bands[c]!, dst, view, px, n, blockSpp);
      }
      if (ks.length - i === 2) gather2(out[ks[i]!]!, bands[ks[i]!]!, out[ks[i + 1]!]!, bands[ks[i + 1]!]!, dst, view, px, n, blockSpp);
      else if (ks.length - i === 1) gather(out[ks[i]!]!, dst, view, px + bands[ks[i]!]!, n, blockSpp);
    }
  };

  // One decode buffer for every block of this read: a block is decoded, un-predicted and copied out (place)
  // before the next one is decoded, so no per-block allocation (4000 one-row strips → 4000 buffers before).
  const fullBlock = bw * bh * blockSpp * bytes;
  let scratch: Uint8Array | null = null;
  const scratchOf = (size: number): Uint8Array => (scratch && scratch.length >= size ? scratch : (scratch = new Uint8Array(size)));

  const decodeSync = (j: Job, raw: Uint8Array): Uint8Array => {
    const need = decodedSize(j.ty);
    const off = l.offsets[j.index]!;
    const name = `${what} ${j.index}`;
    try {
      // Uncompressed: the caller's bytes are used in place unless a predictor or byte swap will rewrite them.
      if (l.compression === 1) {
        if (raw.length < need || (l.predictor === 1 && (l.littleEndian || bytes === 1))) return raw;
        const own = scratchOf(fullBlock).subarray(0, need);
        own.set(raw.subarray(0, need));
        return own;
      }
      if (l.compression === 5) return decodeLzw(raw, need, name, scratchOf(lzwBufferSize(fullBlock)));
      // The slack past the block lets the inflater see the stream end inside the buffer (see SyncInflate).
      return inflate!(raw, fullBlock, scratchOf(fullBlock + 1024));
    } catch (e) {
      throw blockError(name, e, off);
    }
  };

  // Deflate blocks of at least the policy's size go to the asynchronous inflater (Node: zlib on libuv's thread
  // pool) when one is installed next to the sync one: several blocks inflate on other cores while this thread
  // places the ones already done. Without a sync inflater, DecompressionStream does every block, asynchronously.
  const pool = inflate && parallel ? getAsyncInflate() : null;
  const poolPolicy = getAsyncInflatePolicy();
  const usePool = pool !== null && fullBlock >= poolPolicy.minBlockBytes;
  const asyncInflate: AsyncInflate | null = !deflate ? null : !inflate ? streamInflate : usePool ? pool : null;
  // The pool inflater is held to the sync path's rule (cap from the full block size); the stream keeps its own.
  const asyncExpected = (j: Job): number => (inflate ? fullBlock : decodedSize(j.ty));
  const inFlight = inflate ? Math.max(1, poolPolicy.maxInFlight) : STREAM_BLOCKS;

  const rings: Uint8Array[] = [];
  /** Inflate a batch asynchronously, at most `inFlight` blocks at once, placing each in order as it is done. */
  const decodeBatchAsync = async (batch: Job[], raws: Uint8Array[]): Promise<void> => {
    const pending: (Promise<Uint8Array> | undefined)[] = new Array(batch.length);
    let started = 0;
    const start = (i: number): void => {
      const j = batch[i]!;
      // The pool inflater decodes into one of inFlight buffers of this read, used in turn: block i's buffer is
      // given to block i + inFlight only after block i was placed.
      const ring = inflate ? (rings[i % inFlight] ??= new Uint8Array(fullBlock + 1024)) : undefined;
      const p = asyncInflate!(raws[i]!, asyncExpected(j), ring).catch((e: unknown) => {
        throw blockError(`${what} ${j.index}`, e, l.offsets[j.index]!);
      });
      p.catch(() => undefined); // awaited in order below; one that fails while an earlier one is awaited is not unhandled
      pending[i] = p;
    };
    try {
      for (let i = 0; i < batch.length; i++) {
        while (started < batch.length && started < i + inFlight) start(started++);
        const data = await pending[i]!;
        pending[i] = undefined;
        place(batch[i]!, data);
        throwIfAborted(signal);
      }
    } catch (e) {
      // Nothing is left running when the read rejects: the blocks still in flight are waited for (at most inFlight).
      await Promise.allSettled(pending.filter((p) => p !== undefined));
      throw e;
    }
  };

  // Batches of up to BATCH_BLOCKS blocks and about BATCH_BYTES compressed bytes: a file source fetches each
  // batch in few reads, and the abort signal is checked between batches (and between blocks when inflating
  // asynchronously). The stream inflater keeps batches at STREAM_BLOCKS blocks, as before.
  const maxBlocks = deflate && !inflate ? STREAM_BLOCKS : BATCH_BLOCKS;
  const batches: Job[][] = [];
  for (let b = 0; b < jobs.length; ) {
    // The first batch is an eighth of the others, so decoding starts after a short read.
    const first = batches.length === 0 ? 8 : 1;
    const blocks = Math.max(1, Math.floor(maxBlocks / first));
    let e = b;
    for (let sum = 0; e < jobs.length && e - b < blocks && sum < BATCH_BYTES / first; e++) sum += l.counts[jobs[e]!.index]!;
    batches.push(jobs.slice(b, e));
    b = e;
  }
  const fetchBatch = (batch: Job[]): Promise<Uint8Array[]> => {
    const p = Promise.resolve(src.get(batch.map((j) => ({ offset: l.offsets[j.index]!, length: l.counts[j.index]! }))));
    p.catch(() => undefined); // reported where it is awaited; a read started ahead must not go unhandled if decoding fails first
    return p;
  };
  // The next batch is fetched while this one decodes: a file source reads on libuv's thread pool, so the read
  // overlaps the decoding instead of adding to it (at most two batches of compressed bytes are held).
  let next: Promise<Uint8Array[]> | null = batches.length > 0 ? fetchBatch(batches[0]!) : null;
  try {
    for (let bi = 0; bi < batches.length; bi++) {
      throwIfAborted(signal);
      const batch = batches[bi]!;
      const cur = next!;
      next = null;
      const raws = await cur;
      next = bi + 1 < batches.length ? fetchBatch(batches[bi + 1]!) : null;
      if (asyncInflate) await decodeBatchAsync(batch, raws);
      else batch.forEach((j, i) => place(j, decodeSync(j, raws[i]!)));
    }
  } catch (e) {
    // A read started ahead is waited for too, so the caller may close the file as soon as this rejects.
    if (next) await Promise.allSettled([next]);
    throw e;
  }
  return out;
}
