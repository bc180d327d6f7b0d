/**
 * Deflate (zlib stream, TIFF compression 8 / 32946) for the fast GeoTIFF path. The core stays
 * browser-safe: a synchronous inflater is injected by hazetrace/node (Node's zlib `inflateSync`, see
 * src/node/inflate.ts); without one, the platform's stock `DecompressionStream('deflate')` is used
 * (browsers, Deno, Node ≥ 18 too), asynchronously. When neither exists, the fast path declines deflate
 * and readGeoTiff falls back to geotiff.js (pako). @internal
 */

/**
 * A synchronous zlib inflater: compressed bytes → decoded bytes (`expected` is the decoded size, a hint).
 * When `out` is given (longer than `expected`), the inflater may decode into it and return a view of it, so
 * a caller decoding many blocks one after another can reuse one buffer; otherwise the result is a new buffer.
 */
export type SyncInflate = (data: Uint8Array, expected: number, out?: Uint8Array) => Uint8Array;

let syncInflate: SyncInflate | null = null;

/** Install (or with null, remove) the synchronous inflater used by the fast GeoTIFF path. @internal */
export function setSyncInflate(fn: SyncInflate | null): void {
  syncInflate = fn;
}

/** The installed synchronous inflater, or null. @internal */
export function getSyncInflate(): SyncInflate | null {
  return syncInflate;
}

/**
 * An asynchronous zlib inflater that runs off the calling thread (hazetrace/node: Node's `zlib.inflate` on libuv's
 * thread pool): compressed bytes → a new buffer of decoded bytes. Same contract as {@link SyncInflate} with the
 * same `expected`: rejects with zlib's message on corrupt or truncated data, and refuses the same oversized output.
 * When `out` is given, the inflater may decode into it and return a view of it; the caller leaves `out` alone until
 * the promise settles.
 */
export type AsyncInflate = (data: Uint8Array, expected: number, out?: Uint8Array) => Promise<Uint8Array>;

/** When the fast path hands deflate blocks to the {@link AsyncInflate}, and how many at once. */
export interface AsyncInflatePolicy {
  /**
   * Smallest decoded block (bytes of one full strip or tile) inflated asynchronously; smaller blocks stay on the
   * synchronous inflater, where a thread-pool round trip would cost more than the block. Default 65,536.
   */
  minBlockBytes: number;
  /** Most blocks being inflated at once (bounds the decoded bytes held besides the output). Default 4. */
  maxInFlight: number;
}

let asyncInflate: AsyncInflate | null = null;
const DEFAULT_POLICY: AsyncInflatePolicy = { minBlockBytes: 65_536, maxInFlight: 4 };
let policy: AsyncInflatePolicy = { ...DEFAULT_POLICY };

/**
 * Install (or with null, remove) the asynchronous inflater, with its policy (defaults above; a partial policy
 * keeps the defaults for the rest). It is only used next to a synchronous inflater: with no {@link SyncInflate}
 * installed, deflate goes through `DecompressionStream` as before. @internal
 */
export function setAsyncInflate(fn: AsyncInflate | null, p: Partial<AsyncInflatePolicy> = {}): void {
  asyncInflate = fn;
  policy = { ...DEFAULT_POLICY, ...p };
}

/** The installed asynchronous inflater, or null. @internal */
export function getAsyncInflate(): AsyncInflate | null {
  return asyncInflate;
}

/** The policy of the installed asynchronous inflater. @internal */
export function getAsyncInflatePolicy(): AsyncInflatePolicy {
  return policy;
}

/** Whether `DecompressionStream('deflate')` exists on this platform. @internal */
export function hasStreamInflate(): boolean {
  return typeof (globalThis as { DecompressionStream?: unknown }).DecompressionStream === 'function';
}

/** Inflate one zlib stream with `DecompressionStream('deflate')`. Rejects on corrupt or truncated data. @internal */
export async function streamInflate(data: Uint8Array, expected: number): Promise<Uint8Array> {
  const DS = (globalThis as unknown as { DecompressionStream: new (f: string) => TransformStream<Uint8Array, Uint8Array> }).DecompressionStream;
  const ds = new DS('deflate');
  const writer = ds.writable.getWriter();
  const done = writer.write(data).then(() => writer.close());
  done.catch(() => undefined); // the reader below reports the error
  const reader = ds.readable.getReader();
  const out = new Uint8Array(expected);
  let p = 0;
  const extra: Uint8Array[] = [];
  for (;;) {
    const { done: end, value } = await reader.read();
    if (end) break;
    if (p + value.length <= expected) out.set(value, p);
    else {
      const fit = Math.max(0, expected - p);
      out.set(value.subarray(0, fit), p);
      extra.push(value.subarray(fit));
    }
    p += value.length;
  }
  await done;
  return p <= expected ? out.subarray(0, p) : out;
}
