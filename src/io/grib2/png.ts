/**
 * PNG decoding for GRIB2 data representation template 5.41: a greyscale (or, for 24/32-bit values, RGB/RGBA)
 * PNG whose samples are the packed integers. Chunks IHDR/IDAT/IEND, zlib inflate (the injected synchronous
 * inflater of hazetrace/node, else the platform's `DecompressionStream`), and the five scanline filters
 * (PNG specification, W3C, §9). Browser-safe.
 */
import { HazetraceError } from '../../core/errors.js';
import { getSyncInflate, hasStreamInflate, streamInflate } from '../tiff/inflate.js';
import { uint, unpackBits } from './bits.js';

function pngError(what: string): HazetraceError {
  return new HazetraceError('E_FORMAT', `GRIB2 section 7 (data, template 5.41 PNG): ${what}`, { section: 7, template: 41 });
}

/** Decode the PNG in `data` to its `width·height` integer samples (row-major, first row first). */
export async function decodePngSamples(data: Uint8Array): Promise<{ width: number; height: number; samples: Float64Array }> {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.length < 8 || sig.some((x, i) => data[i] !== x)) throw pngError('the data section does not start with a PNG signature');
  let at = 8;
  let width = 0;
  let height = 0;
  let depth = 0;
  let colour = 0;
  const idat: Uint8Array[] = [];
  let idatLen = 0;
  while (at + 8 <= data.length) {
    const len = uint(data, at, 4);
    const type = String.fromCharCode(data[at + 4]!, data[at + 5]!, data[at + 6]!, data[at + 7]!);
    if (at + 12 + len > data.length) throw pngError(`chunk ${type} (${len} bytes) runs past the end of the data`);
    const body = data.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      if (len < 13) throw pngError('IHDR chunk too short');
      width = uint(body, 0, 4);
      height = uint(body, 4, 4);
      depth = body[8]!;
      colour = body[9]!;
      if (body[12] !== 0) throw pngError('interlaced PNG is not supported');
    } else if (type === 'IDAT') {
      idat.push(body);
      idatLen += len;
    } else if (type === 'IEND') break;
    at += 12 + len;
  }
  const channels = colour === 0 ? 1 : colour === 2 ? 3 : colour === 4 ? 2 : colour === 6 ? 4 : 0;
  if (!channels || ![1, 2, 4, 8, 16].includes(depth) || (channels > 1 && depth < 8)) throw pngError(`PNG colour type ${colour} with bit depth ${depth} is not supported`);
  if (!width || !height) throw pngError('PNG has no IHDR or an empty image');
  const z = new Uint8Array(idatLen);
  for (let i = 0, p = 0; i < idat.length; p += idat[i]!.length, i++) z.set(idat[i]!, p);
  const bitsPerPixel = depth * channels;
  const rowBytes = Math.ceil((width * bitsPerPixel) / 8);
  const expected = (rowBytes + 1) * height;
  let raw: Uint8Array;
  try {
    const sync = getSyncInflate();
    if (sync) raw = sync(z, expected);
    else if (hasStreamInflate()) raw = await streamInflate(z, expected);
    else throw new HazetraceError('E_UNAVAILABLE', 'GRIB2 template 5.41 (PNG) needs DecompressionStream or hazetrace/node', { section: 5, template: 41 });
  } catch (e) {
    if (e instanceof HazetraceError) throw e;
    throw pngError(`corrupt zlib stream: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (raw.length < expected) throw pngError(`image data hold ${raw.length} bytes, ${expected} needed`);
  // undo the scanline filters in place into `img`
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const img = new Uint8Array(rowBytes * height);
  for (let r = 0; r < height; r++) {
    const f = raw[r * (rowBytes + 1)]!;
    const src = r * (rowBytes + 1) + 1;
    const dst = r * rowBytes;
    const up = dst - rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const x = raw[src + i]!;
      const a = i >= bpp ? img[dst + i - bpp]! : 0;
      const b = r > 0 ? img[up + i]! : 0;
      let v: number;
      switch (f) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: {
          const c = r > 0 && i >= bpp ? img[up + i - bpp]! : 0;
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - 2 * c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw pngError(`scanline ${r} has unknown filter type ${f}`);
      }
      img[dst + i] = v & 0xff;
    }
  }
  const samples = new Float64Array(width * height);
  for (let r = 0; r < height; r++) unpackBits(img, r * rowBytes * 8, bitsPerPixel, width, samples, r * width);
  return { width, height, samples };
}
