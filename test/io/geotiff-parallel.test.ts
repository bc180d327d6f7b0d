/**
 * Deflate blocks inflated on libuv's thread pool (src/node/inflate.ts `nodeInflateAsync`, used by the decoder in
 * src/io/tiff/decode.ts for blocks of at least the policy's size). The policy is lowered to 0 bytes here so the
 * small GDAL-made fixtures take the concurrent path; every result is checked against GDAL's SHA-256 and against
 * the single-threaded path (the sync inflater alone), and the errors, the output cap and aborts against the
 * sync path's.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { readGeoTiff as readGeoTiffAny, type GeoTiffOptions, type GeoTiffSampleType, type NativeBand, type Raster } from '../../src/io/geotiff.js';
import { HazetraceError } from '../../src/core/errors.js';
import { getAsyncInflate, getAsyncInflatePolicy, getSyncInflate, setAsyncInflate, setSyncInflate, type AsyncInflate, type AsyncInflatePolicy } from '../../src/io/tiff/inflate.js';
import { nodeInflate, nodeInflateAsync } from '../../src/node/inflate.js';
import { readGeoTiffFile as readGeoTiffFileAny } from '../../src/node/index.js';
import { makeTiff } from './tiff-bytes.js';

const dir = resolve(import.meta.dirname, '../fixtures/geotiff');
// The thread pool is opt-in (`parallelInflate: true`); these tests read with it on unless they say otherwise.
type AnyOptions = GeoTiffOptions<GeoTiffSampleType>;
const readGeoTiff = (input: Uint8Array, options: AnyOptions = {}): Promise<Raster<NativeBand>> => readGeoTiffAny(input, { parallelInflate: true, ...options } as never) as Promise<Raster<NativeBand>>;
const readGeoTiffFile = (path: string, options: AnyOptions = {}): Promise<Raster<NativeBand>> => readGeoTiffFileAny(path, { parallelInflate: true, ...options } as never) as Promise<Raster<NativeBand>>;
interface Case { window: [number, number, number, number]; sha256: string[]; windowSha256: string[] }
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { cases: Record<string, Case> };
const names = Object.keys(expected.cases);
const bytes = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, `${name}.tif`)));
const sha = (b: NativeBand): string => {
  const a = b instanceof Float64Array ? b : Float64Array.from(b);
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
};
const bandBytes = (r: Raster<NativeBand>): string[] => r.bands.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex'));

/** The installed async inflater wrapped with counters: calls, blocks in flight now, most in flight at once. */
const stats = { calls: 0, active: 0, peak: 0 };
function counting(inner: AsyncInflate, onCall?: (n: number) => void): AsyncInflate {
  return async (data, expectedSize, out) => {
    stats.calls++;
    stats.active++;
    stats.peak = Math.max(stats.peak, stats.active);
    onCall?.(stats.calls);
    try {
      return await inner(data, expectedSize, out);
    } finally {
      stats.active--;
    }
  };
}
const reset = (): void => {
  stats.calls = 0;
  stats.active = 0;
  stats.peak = 0;
};
/** Concurrent path for every deflate block (policy 0 bytes), counted. */
const concurrent = (onCall?: (n: number) => void): void => setAsyncInflate(counting(nodeInflateAsync, onCall), { minBlockBytes: 0, maxInFlight: 4 });
/** Single-threaded path: the sync inflater alone. */
const single = (): void => setAsyncInflate(null);

async function errorOf(p: Promise<unknown>): Promise<HazetraceError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof HazetraceError) return e;
    throw new Error(`not a HazetraceError: ${String(e)}`);
  }
  throw new Error('expected a rejection');
}

let savedSync: ReturnType<typeof getSyncInflate> = null;
let savedAsync: ReturnType<typeof getAsyncInflate> = null;
let savedPolicy: AsyncInflatePolicy = { minBlockBytes: 0, maxInFlight: 0 };
beforeAll(() => {
  savedSync = getSyncInflate();
  savedAsync = getAsyncInflate();
  savedPolicy = getAsyncInflatePolicy();
  setSyncInflate(nodeInflate);
});
afterEach(() => reset());
afterAll(() => {
  setSyncInflate(savedSync ?? nodeInflate);
  setAsyncInflate(savedAsync ?? nodeInflateAsync, savedPolicy);
});

describe('hazetrace/node installs the thread-pool inflater', () => {
  it('next to the sync one, for blocks of 64 KiB and up, as many in flight as cores (2 to 4)', () => {
    expect(savedAsync).toBe(nodeInflateAsync);
    expect(savedPolicy.minBlockBytes).toBe(65_536);
    expect(savedPolicy.maxInFlight).toBe(Math.min(4, Math.max(2, availableParallelism())));
    setAsyncInflate(nodeInflateAsync);
    expect(getAsyncInflatePolicy()).toEqual({ minBlockBytes: 65_536, maxInFlight: 4 }); // the core's own default
  });
});

describe('concurrent inflate: the same values as GDAL and as the single-threaded path', () => {
  for (const name of names) {
    it(`${name}: whole image and a window, float64 and native, bytes and file reader`, async () => {
      const e = expected.cases[name]!;
      const path = join(dir, `${name}.tif`);
      single();
      const ref = await readGeoTiff(bytes(name), { sampleType: 'native' });
      const refWin = await readGeoTiff(bytes(name), { sampleType: 'native', window: e.window });
      concurrent();
      const whole = await readGeoTiff(bytes(name));
      expect(whole.decoder).toBe('fast');
      expect(whole.bands.map(sha)).toEqual(e.sha256);
      expect((await readGeoTiff(bytes(name), { window: e.window })).bands.map(sha)).toEqual(e.windowSha256);
      const nat = await readGeoTiff(bytes(name), { sampleType: 'native' });
      expect(nat.bands.map(sha)).toEqual(e.sha256);
      expect(bandBytes(nat)).toEqual(bandBytes(ref));
      expect(bandBytes(await readGeoTiff(bytes(name), { sampleType: 'native', window: e.window }))).toEqual(bandBytes(refWin));
      expect((await readGeoTiffFile(path)).bands.map(sha)).toEqual(e.sha256);
      expect((await readGeoTiffFile(path, { window: e.window })).bands.map(sha)).toEqual(e.windowSha256);
    });
  }

  it('the fixtures really took the concurrent path, several blocks at once', async () => {
    concurrent();
    for (const name of ['deflate_tiled_f32', 'deflate_strip_i16', 'deflate_tiled_pred3_f32', 'bigendian_deflate_pred3_f32', 'zip_old_code_f32']) {
      reset();
      await readGeoTiff(bytes(name));
      expect(stats.calls, name).toBeGreaterThan(1);
      expect(stats.peak, name).toBeGreaterThan(1);
      expect(stats.peak, name).toBeLessThanOrEqual(4);
      expect(stats.active, name).toBe(0);
    }
  });

  it('keeps at most maxInFlight blocks in flight', async () => {
    setAsyncInflate(counting(nodeInflateAsync), { minBlockBytes: 0, maxInFlight: 2 });
    await readGeoTiff(bytes('deflate_strip_i16'));
    expect(stats.calls).toBeGreaterThan(2);
    expect(stats.peak).toBe(2);
  });

  it('blocks under the policy size stay on the sync inflater, and without a sync inflater DecompressionStream does the work', async () => {
    setAsyncInflate(counting(nodeInflateAsync), { minBlockBytes: 65_536 }); // the default: the fixtures' blocks are smaller
    const r = await readGeoTiff(bytes('deflate_tiled_f32'));
    expect(r.bands.map(sha)).toEqual(expected.cases.deflate_tiled_f32!.sha256);
    expect(stats.calls).toBe(0);
    concurrent();
    setSyncInflate(null);
    try {
      const s = await readGeoTiff(bytes('deflate_tiled_f32'));
      expect(s.bands.map(sha)).toEqual(expected.cases.deflate_tiled_f32!.sha256);
      expect(stats.calls).toBe(0);
    } finally {
      setSyncInflate(nodeInflate);
    }
  });
});

describe('options.parallelInflate', () => {
  it('false (the default) keeps every block on the calling thread, with the same values; anything but a boolean is E_ARG', async () => {
    concurrent();
    const r = await readGeoTiff(bytes('deflate_tiled_f32'), { parallelInflate: false });
    expect(r.bands.map(sha)).toEqual(expected.cases.deflate_tiled_f32!.sha256);
    const f = await readGeoTiffFile(join(dir, 'deflate_tiled_f32.tif'), { parallelInflate: false, sampleType: 'native' });
    expect(f.bands.map(sha)).toEqual(expected.cases.deflate_tiled_f32!.sha256);
    expect(stats.calls).toBe(0);
    // the default (no option) is the calling thread too: the pool is opt-in
    await readGeoTiffAny(bytes('deflate_tiled_f32'));
    await readGeoTiffFileAny(join(dir, 'deflate_tiled_f32.tif'), { sampleType: 'native' });
    expect(stats.calls).toBe(0);
    await readGeoTiff(bytes('deflate_tiled_f32'), { parallelInflate: true });
    expect(stats.calls).toBeGreaterThan(0);
    for (const bad of ['yes', 1, null, {}]) {
      const e = await errorOf(readGeoTiff(bytes('deflate_tiled_f32'), { parallelInflate: bad as unknown as boolean }));
      expect(e.code).toBe('E_ARG');
      expect(e.message).toMatch(/parallelInflate must be true or false/);
      expect((await errorOf(readGeoTiffFile(join(dir, 'deflate_tiled_f32.tif'), { parallelInflate: bad as unknown as boolean }))).code).toBe('E_ARG');
    }
  });
});

describe('concurrent inflate: the same errors as the single-threaded path', () => {
  /** Read with each path; both must reject with E_FORMAT and the same message. */
  async function sameError(input: () => Uint8Array): Promise<HazetraceError> {
    single();
    const a = await errorOf(readGeoTiff(input()));
    concurrent();
    const b = await errorOf(readGeoTiff(input()));
    expect(stats.calls).toBeGreaterThan(0);
    expect(b.code).toBe('E_FORMAT');
    expect(b.message).toBe(a.message);
    expect(b.details).toEqual(a.details);
    return b;
  }
  /** Seeded bytes that do not compress to nothing. */
  const noisy = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + ((i * 2654435761) >>> 24)) & 0xff);

  it('a corrupt tile: E_FORMAT naming the tile and its offset, zlib message', async () => {
    const e = await sameError(() => {
      const b = bytes('deflate_tiled_f32');
      b.fill(0, 2000, 2400);
      return b;
    });
    expect(e.message).toMatch(/tile \d+\) at byte offset \d+: /);
  });

  it('a truncated block (zlib stream cut short): E_FORMAT with zlib\'s "unexpected end of file"', async () => {
    const z = deflateSync(noisy(1200));
    const e = await sameError(() => makeTiff({ width: 40, height: 30, compression: 8, pixels: z.subarray(0, z.length - 40) }));
    expect(e.message).toMatch(/strip 0\) at byte offset \d+: unexpected end of file/);
  });

  it('a block that decodes short of its declared size: the same E_FORMAT', async () => {
    const e = await sameError(() => makeTiff({ width: 40, height: 30, compression: 8, pixels: deflateSync(noisy(1000)) }));
    expect(e.message).toMatch(/strip 0 at byte offset \d+ decoded to 1000 bytes but needs 1200/);
  });

  it('a block over the output cap (2 x declared + 1 KiB) is refused the same way; one within it is accepted', async () => {
    await sameError(() => makeTiff({ width: 40, height: 30, compression: 8, pixels: deflateSync(noisy(1200 * 2 + 1024 + 1)) }));
    concurrent();
    const ok = await readGeoTiff(makeTiff({ width: 40, height: 30, compression: 8, pixels: deflateSync(noisy(1200 * 2 + 1024)) }), { sampleType: 'native' });
    expect(Array.from(ok.bands[0]!.subarray(0, 1200))).toEqual(Array.from(noisy(1200)));
  });
});

describe('concurrent inflate: aborts', () => {
  it('an abort mid-read rejects with E_ABORTED after the blocks in flight are done (nothing left running)', async () => {
    for (const read of [
      (signal: AbortSignal) => readGeoTiff(bytes('deflate_strip_i16'), { signal }),
      (signal: AbortSignal) => readGeoTiffFile(join(dir, 'deflate_strip_i16.tif'), { signal }),
    ]) {
      reset();
      const ac = new AbortController();
      concurrent((n) => {
        if (n === 3) ac.abort();
      });
      const e = await errorOf(read(ac.signal));
      expect(e.code).toBe('E_ABORTED');
      expect(stats.calls).toBeGreaterThanOrEqual(3);
      expect(stats.calls).toBeLessThan(100); // the 100 strips were not all inflated
      expect(stats.active).toBe(0); // nothing in flight once the read has rejected
    }
  });
});

describe('nodeInflateAsync', () => {
  const strip = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => ((i >> 4) + ((i * seed * 2654435761) >>> 29)) & 0xff);

  it('decodes many streams at once into its callers\' buffers, each equal to inflateSync', async () => {
    const outs = [0, 1, 2, 3].map(() => new Uint8Array(9000 + 1024));
    for (let round = 0; round < 5; round++) {
      const zs = outs.map((_, k) => deflateSync(strip(9000 - k * 101 - round, round * 4 + k + 1)));
      const got = await Promise.all(zs.map((z, k) => nodeInflateAsync(z, 9000, outs[k])));
      got.forEach((g, k) => {
        expect(g.buffer).toBe(outs[k]!.buffer);
        expect(Buffer.from(g).equals(inflateSync(zs[k]!))).toBe(true);
      });
    }
    const fresh = await nodeInflateAsync(deflateSync(strip(500, 7)), 500);
    expect(Buffer.from(fresh).equals(Buffer.from(strip(500, 7)))).toBe(true);
  });

  it('rejects with the same zlib messages as nodeInflate, then still decodes', async () => {
    const raw = strip(4000, 9);
    const z = deflateSync(raw);
    const badCheck = Uint8Array.from(z);
    badCheck[badCheck.length - 1]! ^= 1;
    const badHeader = Uint8Array.from(z);
    badHeader[0] = 0;
    for (const bad of [badCheck, z.subarray(0, z.length - 20), badHeader, new Uint8Array(0)]) {
      let syncMsg = '';
      try {
        nodeInflate(bad, 4000, new Uint8Array(5024));
      } catch (e) {
        syncMsg = (e as Error).message;
      }
      expect(syncMsg).not.toBe('');
      await expect(nodeInflateAsync(bad, 4000, new Uint8Array(5024))).rejects.toThrow(syncMsg);
    }
    expect(Buffer.from(await nodeInflateAsync(z, 4000, new Uint8Array(5024))).equals(Buffer.from(raw))).toBe(true);
  });

  it('keeps the output cap and redoes a stream longer than the buffer but within the cap', async () => {
    await expect(nodeInflateAsync(deflateSync(strip(8000, 3)), 3000, new Uint8Array(9024))).rejects.toThrow();
    const raw = strip(8000, 4);
    const got = await nodeInflateAsync(deflateSync(raw), 7000, new Uint8Array(7100));
    expect(Buffer.from(got).equals(Buffer.from(raw))).toBe(true);
  });
});
