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
