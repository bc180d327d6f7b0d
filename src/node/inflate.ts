/**
 * Node's zlib for the fast GeoTIFF path: importing hazetrace/node installs {@link nodeInflate} as the
 * synchronous deflate decoder of `readGeoTiff`/`readGeoTiffFile` (the browser-safe core cannot import
 * node:zlib itself; without this it uses the async `DecompressionStream`). @internal
 *
 * Engine reuse. `zlib.inflateSync` builds a whole `Inflate` stream object (a Transform stream plus a fresh
 * zlib engine) per call and allocates its output, which is a large share of the cost on files made of many
 * small strips (GDAL's default: one row per strip). Node 20 has no public way to run one engine synchronously
 * more than once (`_processChunk` closes it), so this module keeps ONE `zlib.Inflate` and drives its
 * native handle directly: `handle.reset()` (inflateReset) then one `handle.writeSync(Z_FINISH, …)` into the
 * caller's buffer. That handle API is Node-internal (unchanged from Node 12 to 22), so it is used only when it
 * is there, has the expected shape and passes a self-test on first use; otherwise, and for every case the
 * reused engine does not settle (output larger than the buffer), the public `inflateSync` runs instead, with
 * the same output cap as before. zlib errors (corrupt data, truncated stream, bad header or Adler-32 check)
 * throw an Error with zlib's message either way.
 *
 * Thread pool. {@link nodeInflateAsync} is installed next to it as the asynchronous inflater: `zlib.inflate` runs
 * each block on libuv's thread pool, so on a multi-core machine several large blocks (tiles) inflate at once
 * while the main thread places the ones already done. The decoder uses it only for blocks of at least 64 KiB
 * decoded, 2 to 4 in flight (as many as cores; the policy in src/io/tiff/inflate.ts); smaller blocks (one-row strips) stay on the
 * reused synchronous engine, where a thread-pool round trip per block would cost more than it saves.
 */
import { availableParallelism } from 'node:os';
import { constants, deflateSync, inflate, Inflate, inflateSync } from 'node:zlib';
import { setAsyncInflate, setSyncInflate } from '../io/tiff/inflate.js';

/** The parts of Node's native zlib handle this module uses (node_zlib.cc, `CompressionStream`). */
interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
  reset(): void;
  onerror: (message: string, errno: number, code?: string) => void;
}

interface Engine {
  stream: Inflate;
  handle: ZlibHandle;
  /** [avail_out, avail_in] after the last write, filled in by the handle. */
  state: Uint32Array;
  /** zlib's message when the last write failed, else null. */
  error: string | null;
}

/** Output cap of the public path: a forged block cannot inflate without bound. */
const capOf = (expected: number): number => Math.max(expected, 1) * 2 + 1024;

/** The public path: a fresh engine per call, output capped. */
function inflateOnce(data: Uint8Array, expected: number): Uint8Array {
  // One output chunk a little larger than the block saves zlib's default 16 KB chunks and their concatenation.
  return inflateSync(data, { maxOutputLength: capOf(expected), chunkSize: Math.max(64, expected + 64) });
}

let engine: Engine | null = null;
/** false once the reused engine failed its self-test (or is missing): then only inflateSync is used. */
let reusable = true;

function newEngine(): Engine | null {
  const stream = new Inflate();
  const inner = stream as unknown as { _handle?: Partial<ZlibHandle>; _writeState?: unknown };
  const handle = inner._handle;
  const state = inner._writeState;
  if (!handle || typeof handle.writeSync !== 'function' || typeof handle.reset !== 'function' || !(state instanceof Uint32Array) || state.length < 2) return null;
  const e: Engine = { stream, handle: handle as ZlibHandle, state, error: null };
  // zlib reports errors through the handle's onerror callback, synchronously inside writeSync.
  e.handle.onerror = (message: string) => {
    e.error = String(message || 'zlib error');
  };
  return e;
}

/**
 * One reset + write on the reused engine into `out`. Returns the number of bytes written, -1 when the
 * stream did not fit in `out` (or the engine did not report its state), and throws on zlib errors.
 */
function inflateReused(e: Engine, data: Uint8Array, out: Uint8Array): number {
  e.error = null;
  e.handle.reset();
  const st = e.state;
  st[0] = 0xffffffff;
  st[1] = 0xffffffff;
  e.handle.writeSync(constants.Z_FINISH, data, 0, data.length, out, 0, out.length);
  if (e.error !== null) {
    const msg = e.error;
    // An engine that failed is not trusted again: the next call builds a new one.
    engine = null;
    e.stream.close();
    throw new Error(msg);
  }
  const availOut = st[0]!;
  if (availOut === 0xffffffff || availOut > out.length) return -1; // state not reported: not this Node's handle
  // avail_out 0: the output filled `out` and may go on; the caller redoes it with inflateSync.
  return availOut === 0 ? -1 : out.length - availOut;
}

/** Self-test of the reused engine on first use: two known streams must round-trip, errors must be reported. */
function selfTest(e: Engine): boolean {
  try {
    const a = new Uint8Array(3000);
    for (let i = 0; i < a.length; i++) a[i] = (i * 7 + (i >> 5)) & 0xff;
    const za = deflateSync(a);
    const zb = deflateSync(a.subarray(0, 100));
    const out = new Uint8Array(4096);
    for (const [z, n] of [[za, 3000], [zb, 100], [za, 3000]] as const) {
      if (inflateReused(e, z, out) !== n) return false;
      for (let i = 0; i < n; i++) if (out[i] !== a[i]) return false;
    }
    try {
      inflateReused(e, za.subarray(0, za.length - 9), out); // truncated: must throw
      return false;
    } catch {
      return true;
    }
  } catch {
    return false;
  }
}

function getEngine(): Engine | null {
  if (engine || !reusable) return engine;
  let e = newEngine();
  if (e && !selfTest(e)) e = null;
  if (!e) {
    reusable = false;
    return null;
  }
  // selfTest's truncated stream dropped the engine it used: start from a fresh one.
  engine = newEngine();
  if (!engine) reusable = false;
  return engine;
}

/**
 * Inflate one zlib stream (TIFF deflate strip/tile) with Node's zlib. `expected` is the block's decoded size.
 * With `out` (at least `expected` bytes), the result may be written into it and returned as a view of it;
 * otherwise it is a new buffer. Throws an Error with zlib's message on corrupt or truncated data, and when
 * the output exceeds 2 × `expected` + 1 KiB. @internal
 */
export function nodeInflate(data: Uint8Array, expected: number, out?: Uint8Array): Uint8Array {
  const e = getEngine();
  if (e) {
    // Never more room than the public path's cap, so both paths accept and refuse the same streams.
    const dst = out && out.length > expected ? out.subarray(0, Math.min(out.length, capOf(expected))) : new Uint8Array(expected + 1024);
    const n = inflateReused(e, data, dst);
    if (n >= 0) return dst.subarray(0, n);
  }
  return inflateOnce(data, expected);
}

/** The public asynchronous path: a fresh engine per call on the thread pool, output capped. */
function inflateOnceAsync(data: Uint8Array, expected: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    inflate(data, { maxOutputLength: capOf(expected), chunkSize: Math.max(64, expected + 64) }, (err, out) => (err ? reject(err) : resolve(out)));
  });
}

/** The parts of a zlib stream object and its handle that Node's thread-pool write completion (processCallback) uses. */
interface AsyncParts {
  stream: { _outBuffer: Uint8Array; _outOffset: number; _chunkSize: number; push(chunk: unknown): boolean; destroyed?: boolean };
  handle: ZlibHandle & {
    write(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Uint8Array, outOff: number, outLen: number): void;
    buffer: Uint8Array | null; cb: () => void; availOutBefore: number; availInBefore: number; inOff: number; flushFlag: number;
  };
}

const EMPTY = new Uint8Array(0);

/** Idle engines for thread-pool writes; an engine is taken for one block and given back when it is done. */
const idle: Engine[] = [];
/** false when the handle cannot run asynchronous writes: then `zlib.inflate` (a new engine per call) is used. */
let asyncReusable = true;

function takeAsyncEngine(): Engine | null {
  if (!asyncReusable) return null;
  const e = idle.pop();
  if (e) return e;
  // The sync self-test proves this Node's handle has the expected shape; the async write is the same handle's.
  if (!getEngine()) return (asyncReusable = false), null;
  const n = newEngine();
  if (!n || typeof (n.handle as Partial<AsyncParts['handle']>).write !== 'function') return (asyncReusable = false), null;
  return n;
}

/**
 * One reset + thread-pool write on a reused engine into `out`: resolves to the bytes written, or -1 when the stream
 * did not fit in `out`; rejects with zlib's message. Node's own completion callback (processCallback) runs as for a
 * stream, with the output buffer and push() of this call in place of the stream's, so nothing is allocated.
 */
function inflateReusedAsync(e: Engine, data: Uint8Array, out: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const { stream, handle } = e as unknown as AsyncParts;
    const st = e.state;
    let done = false;
    const finish = (n: number, keep: boolean): void => {
      if (done) return;
      done = true;
      // An idle engine must not keep the caller's buffer alive.
      stream._outBuffer = EMPTY;
      if (keep) idle.push(e);
      else e.stream.close();
      resolve(n);
    };
    e.handle.onerror = (message: string) => {
      // An engine that failed is not trusted again.
      if (done) return;
      done = true;
      e.stream.close();
      reject(new Error(String(message || 'zlib error')));
    };
    // A Buffer view, so Node's callback slices it without copying.
    stream._outBuffer = Buffer.from(out.buffer, out.byteOffset, out.length);
    stream._outOffset = 0;
    stream._chunkSize = out.length;
    stream.push = () => {
      // Output filled `out` (avail_out 0): the stream may go on past it. Settle now (the caller redoes the block
      // with the capped public path) and stop Node's callback from writing on into a buffer of its own.
      if (st[0] === 0) {
        finish(-1, false);
        return false;
      }
      return true;
    };
    handle.buffer = data;
    handle.cb = () => finish(out.length - st[0]!, true);
    handle.availOutBefore = out.length;
    handle.availInBefore = data.length;
    handle.inOff = 0;
    handle.flushFlag = constants.Z_FINISH;
    e.handle.reset();
    handle.write(constants.Z_FINISH, data, 0, data.length, out, 0, out.length);
  });
}

/**
 * Inflate one zlib stream on libuv's thread pool. `expected` is the block's decoded size. With `out` (at least
 * `expected` bytes, not touched by the caller until this settles), the result is written into it and returned as
 * a view of it; otherwise it is a new buffer. Rejects with zlib's message on corrupt or truncated data, and when
 * the output exceeds 2 × `expected` + 1 KiB (the cap of {@link nodeInflate}). @internal
 */
export async function nodeInflateAsync(data: Uint8Array, expected: number, out?: Uint8Array): Promise<Uint8Array> {
  const e = takeAsyncEngine();
  if (e) {
    const dst = out && out.length > expected ? out.subarray(0, Math.min(out.length, capOf(expected))) : new Uint8Array(expected + 1024);
    const n = await inflateReusedAsync(e, data, dst);
    if (n >= 0) return dst.subarray(0, n);
  }
  return inflateOnceAsync(data, expected);
}

setSyncInflate(nodeInflate);
// Blocks in flight: as many as cores, 2 to 4 (libuv's pool has 4 threads by default). On 2 cores, 2 in flight
// inflated as fast as 4 with less CPU (3-band uint8 tiles, native read: 354 ms median either way, CPU 541 vs 569 ms).
setAsyncInflate(nodeInflateAsync, { maxInFlight: Math.min(4, Math.max(2, availableParallelism())) });
