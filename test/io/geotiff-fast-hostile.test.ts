/** Hostile inputs on the fast GeoTIFF path: each must end in E_FORMAT naming the pixel data or the block. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readGeoTiff } from '../../src/io/geotiff.js';
import { HazetraceError } from '../../src/core/errors.js';
import { makeTiff } from './tiff-bytes.js';
import '../../src/node/inflate.js';

const fixture = (n: string): Uint8Array => new Uint8Array(readFileSync(resolve(import.meta.dirname, `../fixtures/geotiff/${n}.tif`)));
async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    return e instanceof HazetraceError ? e.code : `not a HazetraceError: ${String(e)}`;
  }
}

describe('fast GeoTIFF path: hostile blocks', () => {
  it('lzw-garbage: an LZW strip of 0xff bytes is E_FORMAT', async () => {
    const pixels = new Uint8Array(200).fill(0xff);
    expect(await code(readGeoTiff(makeTiff({ width: 40, height: 30, compression: 5, pixels })))).toBe('E_FORMAT');
  });
  it('lzw-short: an LZW strip that ends after a few codes is E_FORMAT (decoded too short)', async () => {
    // 9-bit codes: CLEAR(256), 'A'(65), EOI(257) → 1 byte decoded of the 2 declared.
    const bits = [256, 65, 257].map((c) => c.toString(2).padStart(9, '0')).join('').padEnd(32, '0');
    const pixels = Uint8Array.from({ length: 4 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));
    await expect(readGeoTiff(makeTiff({ width: 2, height: 1, compression: 5, pixels }))).rejects.toMatchObject({ code: 'E_FORMAT' });
  });
  it('corrupt-tile: zeroed deflate tile bytes are E_FORMAT', async () => {
    const b = fixture('deflate_tiled_f32');
    b.fill(0, 2000, 2400);
    expect(await code(readGeoTiff(b))).toBe('E_FORMAT');
  });
  it('truncated-file: a tiled deflate file cut at 60% is E_FORMAT', async () => {
    const b = fixture('deflate_tiled_f32');
    expect(await code(readGeoTiff(b.slice(0, Math.floor(b.length * 0.6))))).toBe('E_FORMAT');
  });
  it('corrupt-strip: garbage inside an LZW predictor-2 strip is E_FORMAT or decodes without throwing anything else', async () => {
    const b = fixture('lzw_strip_pred2_i32');
    for (let i = 3000; i < 3200; i++) b[i] = (i * 97) & 0xff;
    expect(['E_FORMAT', 'accepted']).toContain(await code(readGeoTiff(b)));
  });
});
