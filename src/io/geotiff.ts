/**
 * GeoTIFF reader on top of geotiff.js: window reads under a pixel budget, NoData, the GDAL-order affine
 * transform, the CRS from GeoKeys as a proj4 definition, band descriptions from GDAL's metadata tag,
 * and pixel ↔ lng/lat through proj4.
 */
import type { GeoTIFF, GeoTIFFImage } from 'geotiff';
import proj4 from 'proj4';
import { HazetraceError, showValue } from '../core/errors.js';
import { checkNumber } from '../core/check.js';
import { fastPathDecline, readFast, throwIfAborted, type BlockBytes, type TiffLayout } from './tiff/decode.js';

/**
 * How {@link readGeoTiff} returns band values: `'float64'` (default) a `Float64Array` per band;
 * `'native'` each band in the typed array of the file's own sample type (see {@link NativeBand}).
 */
export type GeoTiffSampleType = 'float64' | 'native';

/**
 * A band as `sampleType: 'native'` returns it: the file's SampleFormat / BitsPerSample as a typed array —
 * unsigned 8/16/32-bit → Uint8Array / Uint16Array / Uint32Array, signed → Int8Array / Int16Array / Int32Array,
 * float 32/64-bit → Float32Array / Float64Array. (Files the fast path declines are read by geotiff.js, which
 * returns the smallest such array that holds the samples, e.g. Uint8Array for 1-bit or 4-bit samples.)
 */
export type NativeBand = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

/**
 * The band array type {@link readGeoTiff} returns for a `sampleType`. A call that passes `sampleType`
 * gets `Raster<GeoTiffBand<S>>`; one that does not (or passes a plain `GeoTiffOptions`) gets `Raster`, whose
 * bands are Float64Array.
 */
export type GeoTiffBand<S extends GeoTiffSampleType> = S extends 'native' ? NativeBand : Float64Array;

/**
 * Options for {@link readGeoTiff}. `GeoTiffOptions` (no type argument) is the default float64 output;
 * `GeoTiffOptions<'native'>` allows `sampleType: 'native'`.
 */
export interface GeoTiffOptions<S extends GeoTiffSampleType = 'float64'> {
  /** Pixel window `[x0, y0, x1, y1]` (x1/y1 exclusive, like geotiff.js and GDAL's srcwin end). Default: whole image. */
  window?: readonly [number, number, number, number];
  /** 0-based band (sample) indices to read. Default: all. */
  bands?: readonly number[];
  /**
   * Largest number of values to allocate (window width × height × bands read). Checked against the
   * declared size before anything is decoded; over it → `E_BUDGET`. Default 50,000,000.
   */
  maxPixels?: number;
  /** Cancels the read (`E_ABORTED`). */
  signal?: AbortSignal;
  /** proj4 definition to use when the file's CRS has no EPSG code hazetrace knows. */
  proj4?: string;
  /**
   * Type of the band arrays. `'float64'` (default): one `Float64Array` per band, whatever the file holds.
   * `'native'`: one array of the file's own sample type per band ({@link NativeBand}: Int16Array for an int16
   * DEM, Uint8Array for byte classes, Float32Array for float32…) — the same values, in 1/8 to 1/2 of the
   * memory for 8- to 32-bit files, and faster to read. NoData is unchanged: `raster.noData` is the GDAL NoData
   * value as a number and pixels holding it are not converted (for an integer band, compare with it or use
   * `isNoData`; a NoData value the type cannot hold, e.g. -9999 in a uint8 band, simply never matches).
   * Anything else → `E_ARG`.
   */
  sampleType?: S;
  /**
   * Inflate large deflate blocks (tiles or strips of 64 KiB and more decoded) on other threads while this one
   * places the blocks already done: in Node with hazetrace/node imported, zlib runs on libuv's thread pool, at
   * most 4 blocks at once. `false` (default: every block inflated on the calling thread) or `true`. Opt-in: on
   * a busy 2-core machine it was not reliably faster and always cost more CPU (docs/geotiff.md, "Deflate on two
   * cores"), and it drives Node-internal zlib handles. Values and errors are the same either way. Has no effect
   * without hazetrace/node (`DecompressionStream` is asynchronous already). Anything else → `E_ARG`.
   */
  parallelInflate?: boolean;
}

/** A GeoTIFF window in memory. `B` is the band array type: Float64Array by default, {@link NativeBand} for `sampleType: 'native'`. */
export interface Raster<B extends NativeBand = Float64Array> {
  /** Window width and height in pixels. */
  width: number;
  height: number;
  /** Size of the whole image the window came from. */
  fullWidth: number;
  fullHeight: number;
  bandCount: number;
  /**
   * One array per band read, row-major over the window (index = row * width + col): a Float64Array, or with
   * `sampleType: 'native'` the file's own typed array ({@link NativeBand}).
   */
  bands: B[];
  /** The window read, `[x0, y0, x1, y1]` in full-image pixels. */
  window: [number, number, number, number];
  /** GDAL NoData value, or null. Pixels equal to it are NOT converted (compare against it, or use `isNoData`). */
  noData: number | null;
  /**
   * Affine transform of the WINDOW in GDAL order `[x0, dx, rx, y0, ry, dy]`: a pixel corner (col, row)
   * of the window maps to `x = x0 + col·dx + row·rx`, `y = y0 + col·ry + row·dy` in the file's CRS.
   */
  geoTransform: [number, number, number, number, number, number];
  /** The file's CRS: EPSG code (null when user-defined) and a proj4 definition. */
  crs: { epsg: number | null; proj4: string };
  /** Band descriptions (GDAL `DESCRIPTION` metadata), null when absent; indexed like `bands`. */
  bandDescriptions: (string | null)[];
  /** True when `v` is NaN or equals the NoData value. */
  isNoData(v: number): boolean;
  /** WGS84 `[lng, lat]` of the CENTRE of window pixel (col, row). */
  pixelToLngLat(col: number, row: number): [number, number];
  /**
   * Fractional window pixel coordinates `[col, row]` of a WGS84 point: `Math.floor` of each gives the
   * pixel that contains it (may lie outside 0..width/height).
   */
  lngLatToPixel(lng: number, lat: number): [number, number];
  /** Plain-JSON copy (bands as arrays, NaN → null). */
  toJSON(): unknown;
  /**
   * Which decoder read the pixels: `'fast'` (hazetrace's own strip/tile path: uncompressed, LZW, deflate)
   * or `'geotiff.js'` (everything the fast path declines, e.g. JPEG, PackBits, zstd, sparse blocks).
   */
  decoder?: 'fast' | 'geotiff.js';
}

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

/**
 * proj4 definition for the EPSG codes hazetrace's data use, or null.
 * - 4326 WGS 84; 3857 Web Mercator (as GDAL/PROJ spell it, sphere on WGS84 semi-major axis).
 * - 32601..32660 / 32701..32760: WGS 84 / UTM zone N / S.
 * - 24047 / 24048: Indian 1975 / UTM 47N / 48N (Thai maps). Datum shift = EPSG transformation 1812
 *   "Indian 1975 to WGS 84 (4)", 3 m, Thailand onshore — the one PROJ picks by accuracy; a
 *   position-vector 7-parameter Helmert, which is proj4's `towgs84` convention:
 *   dx 293, dy 836, dz 318 m; rx 0.5, ry 1.6, rz -2.8 arc-seconds; scale 2.1 ppm (PROJ `projinfo`,
 *   epsg.io/4240-1812). 4240 is the geographic Indian 1975.
 *
 * @example
 * ```ts
 * import { epsgToProj4 } from 'hazetrace/io';
 * epsgToProj4(32647); // '+proj=utm +zone=47 +datum=WGS84 +units=m +no_defs'
 * ```
 */
export function epsgToProj4(epsg: number): string | null {
  checkNumber('epsg', epsg);
  if (epsg === 4326) return WGS84;
  if (epsg === 3857 || epsg === 900913) return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs';
  if (epsg >= 32601 && epsg <= 32660) return `+proj=utm +zone=${epsg - 32600} +datum=WGS84 +units=m +no_defs`;
  if (epsg >= 32701 && epsg <= 32760) return `+proj=utm +zone=${epsg - 32700} +south +datum=WGS84 +units=m +no_defs`;
  const indian1975 = '+ellps=evrst30 +towgs84=293,836,318,0.5,1.6,-2.8,2.1';
  if (epsg === 24047) return `+proj=utm +zone=47 ${indian1975} +units=m +no_defs`;
  if (epsg === 24048) return `+proj=utm +zone=48 ${indian1975} +units=m +no_defs`;
  if (epsg === 4240) return `+proj=longlat ${indian1975} +no_defs`;
  return null;
}

/** A decoder failure as `E_FORMAT`, naming the format, the section being read and, when known, its byte offset. */
function formatError(section: string, e: unknown, offset?: number): HazetraceError {
  if (e instanceof HazetraceError) return e;
  const why = e instanceof Error ? e.message : String(e);
  const at = offset !== undefined && Number.isFinite(offset) ? ` at byte offset ${offset}` : '';
  return new HazetraceError('E_FORMAT', `GeoTIFF: corrupt or truncated ${section}${at}: ${why || 'decoder failed'}`, {
    format: 'GeoTIFF',
    section,
    ...(offset !== undefined ? { offset } : {}),
  });
}

/** Run a decoder step; any failure becomes {@link formatError} (a HazetraceError passes through). */
async function step<T>(section: string, fn: () => Promise<T> | T, offset?: number): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw formatError(section, e, offset);
  }
}

/**
 * Largest plausible ratio of decoded to stored bytes per TIFF compression: a file whose strips or tiles
 * hold far less than that fraction of the pixels it declares is truncated or forged, and is refused before
 * anything is allocated. PackBits expands at most 128/2; deflate ~1032:1; LZW with 12-bit codes well under
 * 2000:1. Other codecs (JPEG, zstd, LERC, WebP) are not bounded here.
 */
const MAX_RATIO: Record<number, number> = { 1: 1, 32773: 70, 8: 1100, 32946: 1100, 5: 2000 };

/**
 * Size-versus-data check: the strips/tiles the directory lists must lie inside the file (when its size is
 * known) and hold enough bytes for the pixels declared (uncompressed: all of them; compressed: within
 * {@link MAX_RATIO}). Throws `E_FORMAT` naming the strip/tile and offset.
 */
async function checkDataSize(image: GeoTIFFImage, fileSize: number | null): Promise<void> {
  const fd = image.getFileDirectory();
  const tiled = image.isTiled;
  const what = tiled ? 'tile' : 'strip';
  const offTag = tiled ? 'TileOffsets' : 'StripOffsets';
  const cntTag = tiled ? 'TileByteCounts' : 'StripByteCounts';
  if (!fd.hasTag(offTag) || !fd.hasTag(cntTag)) {
    throw new HazetraceError('E_FORMAT', `GeoTIFF: image directory lacks ${offTag}/${cntTag}, so it has no pixel data`, { format: 'GeoTIFF', section: 'image directory' });
  }
  const offsets = (await step(`${offTag} tag`, () => fd.loadValue(offTag))) as ArrayLike<number | bigint> | number | undefined;
  const counts = (await step(`${cntTag} tag`, () => fd.loadValue(cntTag))) as ArrayLike<number | bigint> | number | undefined;
  const offs = typeof offsets === 'number' ? [offsets] : offsets ?? [];
  const cnts = typeof counts === 'number' ? [counts] : counts ?? [];
  if (offs.length !== cnts.length || offs.length === 0) {
    throw new HazetraceError('E_FORMAT', `GeoTIFF: ${offTag} has ${offs.length} entries but ${cntTag} has ${cnts.length}`, { format: 'GeoTIFF', section: 'image directory' });
  }
  // Decoded bytes of one block: geotiff.js treats strips as full-width tiles RowsPerStrip high.
  const samples = image.getSamplesPerPixel();
  const planar = Number(fd.getValue('PlanarConfiguration') ?? 1);
  const bpp = planar === 2 ? image.getBytesPerPixel() / samples : image.getBytesPerPixel();
  const tw = image.getTileWidth();
  const th = image.getTileHeight();
  const H = image.getHeight();
  const perSample = tiled ? Infinity : Math.max(1, Math.ceil(H / th));
  let stored = 0;
  let decoded = 0;
  for (let i = 0; i < offs.length; i++) {
    const o = Number(offs[i]);
    const c = Number(cnts[i]);
    if (!(o >= 0) || !(c >= 0)) {
      throw new HazetraceError('E_FORMAT', `GeoTIFF: ${what} ${i} has an invalid offset ${o} or byte count ${c}`, { format: 'GeoTIFF', section: `${what} ${i}`, offset: o });
    }
    if (fileSize !== null && c > 0 && o + c > fileSize) {
      throw new HazetraceError('E_FORMAT', `GeoTIFF: ${what} ${i} (${c} bytes at byte offset ${o}) runs past the end of the file (${fileSize} bytes): truncated`, {
        format: 'GeoTIFF', section: `${what} ${i}`, offset: o, fileSize,
      });
    }
    stored += c;
    // A block with byte count 0 is sparse (GDAL SPARSE_OK): it reads as NoData/0 and holds no data to check.
    if (c > 0) decoded += tw * (tiled ? th : Math.max(0, Math.min(th, H - (i % perSample) * th))) * bpp;
  }
  const compression = Number(fd.getValue('Compression') ?? 1);
  const ratio = MAX_RATIO[compression];
  if (ratio === undefined) return;
  if (stored * ratio < decoded) {
    throw new HazetraceError(
      'E_FORMAT',
      `GeoTIFF: the image declares ${image.getWidth()} x ${image.getHeight()} pixels (${decoded} bytes decoded in its non-empty ${what}s) but they hold only ${stored} bytes` +
        `${compression === 1 ? ' uncompressed' : ` (compression ${compression}, at most ${ratio}:1)`}: truncated or corrupt`,
      { format: 'GeoTIFF', section: `${what}s`, declared: decoded, stored },
    );
  }
}

/** Decode XML character references GDAL writes in metadata values. */
function xmlText(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/**
 * Band descriptions from the GDAL_METADATA TIFF tag (42112): GDAL writes
 * `<Item name="DESCRIPTION" sample="0" role="description">text</Item>` per described band.
 */
function parseBandDescriptions(xml: string | undefined, samples: number): (string | null)[] {
  const out: (string | null)[] = new Array<string | null>(samples).fill(null);
  if (!xml) return out;
  const re = /<Item\s([^>]*)>([\s\S]*?)<\/Item>/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) {
    const attrs = m[1]!;
    if (!/role="description"/.test(attrs) && !/name="DESCRIPTION"/.test(attrs)) continue;
    const s = /sample="(\d+)"/.exec(attrs);
    if (!s) continue;
    const i = Number(s[1]);
    if (i < samples) out[i] = xmlText(m[2]!);
  }
  return out;
}

/**
 * Turn an opened GeoTIFF into a {@link Raster} (shared with the Node file reader). `fileSize` (bytes),
 * when known, lets the size-versus-data check catch strips that run past the end of the file. @internal
 */
export async function rasterFromTiff(tiff: GeoTIFF, options: GeoTiffOptions<GeoTiffSampleType> = {}, fileSize: number | null = null): Promise<Raster<NativeBand>> {
  if (options === null || typeof options !== 'object') throw new HazetraceError('E_ARG', `options must be an object, got ${showValue(options)}`, { argument: 'options', value: options });
  const native = checkSampleType(options.sampleType);
  const parallel = checkParallelInflate(options.parallelInflate);
  const signal = options.signal;
  throwIfAborted(signal);
  const maxPixels = options.maxPixels ?? 50_000_000;
  if (typeof maxPixels !== 'number' || !(maxPixels > 0)) throw new HazetraceError('E_ARG', `maxPixels must be a number > 0, got ${showValue(maxPixels)}`, { argument: 'maxPixels', value: maxPixels });
  if (fileSize === null) {
    const src = (tiff as unknown as { source?: { arrayBuffer?: unknown } }).source;
    if (src && src.arrayBuffer instanceof ArrayBuffer) fileSize = src.arrayBuffer.byteLength;
  }
  const ifdOffset = (tiff as unknown as { firstIFDOffset?: number }).firstIFDOffset;
  const image: GeoTIFFImage = await step('image file directory (IFD 0)', () => tiff.getImage(0), typeof ifdOffset === 'number' ? ifdOffset : undefined);
  throwIfAborted(signal);
  const fullWidth = await step('image size tags', () => image.getWidth());
  const fullHeight = await step('image size tags', () => image.getHeight());
  const samples = await step('SamplesPerPixel tag', () => image.getSamplesPerPixel());
  if (!(Number.isInteger(fullWidth) && fullWidth > 0 && Number.isInteger(fullHeight) && fullHeight > 0 && Number.isInteger(samples) && samples > 0)) {
    throw new HazetraceError('E_FORMAT', `GeoTIFF: image directory declares ${showValue(fullWidth)} x ${showValue(fullHeight)} pixels with ${showValue(samples)} samples`, { format: 'GeoTIFF', section: 'image directory' });
  }
  const fd = image.getFileDirectory();

  // Georeferencing: ModelTransformation, or tie point + pixel scale (GeoTIFF 1.1 §B.6).
  const tag = async (name: 'ModelTiepoint' | 'ModelPixelScale' | 'ModelTransformation'): Promise<number[] | undefined> => {
    if (!fd.hasTag(name)) return undefined;
    const v = await step(`${name} tag`, () => fd.loadValue(name));
    if (v === undefined || v === null) return undefined;
    const arr = Array.from(v as ArrayLike<number>, Number);
    if (!arr.every((x) => Number.isFinite(x))) throw new HazetraceError('E_GEOREF', `GeoTIFF ${name} tag holds non-finite values ${showValue(arr)}`, { tag: name });
    return arr;
  };
  const tie = await tag('ModelTiepoint');
  const scale = await tag('ModelPixelScale');
  const mt = await tag('ModelTransformation');
  let gt: [number, number, number, number, number, number];
  if (mt && mt.length >= 16) {
    gt = [mt[3]!, mt[0]!, mt[1]!, mt[7]!, mt[4]!, mt[5]!];
  } else if (tie && tie.length >= 6 && scale && scale.length >= 2) {
    gt = [tie[3]! - tie[0]! * scale[0]!, scale[0]!, 0, tie[4]! + tie[1]! * scale[1]!, 0, -scale[1]!];
  } else {
    throw new HazetraceError('E_GEOREF', 'GeoTIFF has no georeferencing (no ModelTransformation, or ModelTiepoint + ModelPixelScale tags)', { argument: 'input' });
  }
  const keys = (await step('GeoKeyDirectory tag', () => image.getGeoKeys())) ?? {};
  // PixelIsPoint: the tie point is a pixel centre; GDAL shifts the origin half a pixel to the corner.
  if (keys.GTRasterTypeGeoKey === 2) {
    gt = [gt[0] - 0.5 * gt[1] - 0.5 * gt[2], gt[1], gt[2], gt[3] - 0.5 * gt[4] - 0.5 * gt[5], gt[4], gt[5]];
  }

  // CRS (GeoTIFF 1.1 §7): a projected model (GTModelTypeGeoKey 1) is named by ProjectedCSTypeGeoKey;
  // 32767 there means user-defined, and its GeographicTypeGeoKey is only the base datum, so it must
  // not be taken for the raster's CRS. A geographic model (2) is named by GeographicTypeGeoKey.
  const projected = keys.GTModelTypeGeoKey === 1 || (typeof keys.ProjectedCSTypeGeoKey === 'number' && keys.ProjectedCSTypeGeoKey > 0);
  const raw = (projected ? keys.ProjectedCSTypeGeoKey : keys.GeographicTypeGeoKey) as unknown;
  const code = typeof raw === 'number' && raw > 0 && raw !== 32767 ? raw : undefined;
  let def = options.proj4 ?? (code !== undefined ? epsgToProj4(code) : null);
  if (def === null && code === undefined && keys.GTModelTypeGeoKey === 2 && raw === undefined) def = WGS84; // geographic, no code at all: WGS84 lng/lat as GDAL assumes
  if (def === null) {
    throw new HazetraceError('E_CRS', `GeoTIFF CRS ${code !== undefined ? 'EPSG:' + code : '(user-defined)'} has no built-in proj4 definition; pass options.proj4`, { epsg: code ?? null });
  }
  const crs = { epsg: code ?? null, proj4: def };

  // Window and budget, before any pixel is decoded.
  const w = options.window ?? [0, 0, fullWidth, fullHeight];
  if (!Array.isArray(w) || w.length !== 4 || !w.every((v) => Number.isInteger(v)) || w[0] < 0 || w[1] < 0 || w[2] > fullWidth || w[3] > fullHeight || w[2] <= w[0] || w[3] <= w[1]) {
    throw new HazetraceError('E_ARG', `window must be integers [x0, y0, x1, y1] with 0 <= x0 < x1 <= ${fullWidth} and 0 <= y0 < y1 <= ${fullHeight}, got ${showValue(w)}`, { argument: 'window', value: w });
  }
  const bandIdx = options.bands ? [...options.bands] : Array.from({ length: samples }, (_, i) => i);
  for (const b of bandIdx) {
    if (!Number.isInteger(b) || b < 0 || b >= samples) throw new HazetraceError('E_ARG', `bands must be indices in 0..${samples - 1}, got ${showValue(options.bands)}`, { argument: 'bands', value: options.bands });
  }
  const width = w[2] - w[0];
  const height = w[3] - w[1];
  const values = width * height * bandIdx.length;
  if (values > maxPixels) {
    throw new HazetraceError('E_BUDGET', `GeoTIFF window ${width} x ${height} x ${bandIdx.length} band(s) = ${values} values exceeds maxPixels ${maxPixels}; read a window or raise maxPixels`, { values, maxPixels, width, height });
  }
  // Size versus data, before any pixel buffer is allocated: a header that claims 7000 x 7000 over 1 KB is refused.
  await checkDataSize(image, fileSize);

  const gdalMeta = fd.hasTag('GDAL_METADATA') ? ((await step('GDAL_METADATA tag', () => fd.loadValue('GDAL_METADATA'))) as unknown) : undefined;
  const allDesc = parseBandDescriptions(typeof gdalMeta === 'string' ? gdalMeta : undefined, samples);
  throwIfAborted(signal);
  // Fast path (src/io/tiff) for uncompressed/LZW/deflate; anything it declines goes through geotiff.js.
  const layout = await layoutOf(image, fullWidth, fullHeight, samples);
  const decline = layout === null ? 'layout' : fastPathDecline(layout);
  let bands: NativeBand[];
  if (layout !== null && decline === null) {
    try {
      bands = await readFast(layout, blockSource(tiff, signal), w, bandIdx, signal, native, parallel);
    } catch (e) {
      throwIfAborted(signal);
      throw formatError('pixel data (strips/tiles)', e);
    }
  } else {
    let read: ArrayLike<unknown>;
    try {
      read = (await image.readRasters({ window: [w[0], w[1], w[2], w[3]], samples: bandIdx, interleave: false, ...(signal ? { signal } : {}) })) as unknown as ArrayLike<unknown>;
    } catch (e) {
      throwIfAborted(signal);
      throw formatError('pixel data (strips/tiles)', e);
    }
    // geotiff.js returns one typed array of the file's sample type per band: kept as is for 'native'.
    bands = bandIdx.map((_, k) => {
      const a = read[k] as ArrayLike<number>;
      return native && isNativeBand(a) ? a : Float64Array.from(a);
    });
  }
  throwIfAborted(signal);
  if (bands.some((b) => b.length !== width * height)) {
    throw new HazetraceError('E_FORMAT', `GeoTIFF: pixel data decoded to the wrong size (expected ${width * height} values per band)`, { format: 'GeoTIFF', section: 'pixel data' });
  }
  const noData = await step('GDAL_NODATA tag', () => image.getGDALNoData());
  const winGt: [number, number, number, number, number, number] = [
    gt[0] + w[0] * gt[1] + w[1] * gt[2], gt[1], gt[2],
    gt[3] + w[0] * gt[4] + w[1] * gt[5], gt[4], gt[5],
  ];
  return makeRaster({ width, height, fullWidth, fullHeight, bands, window: [w[0], w[1], w[2], w[3]], noData, geoTransform: winGt, crs, bandDescriptions: bandIdx.map((b) => allDesc[b] ?? null), decoder: decline === null ? 'fast' : 'geotiff.js' });
}

/** `options.sampleType` → true for `'native'`, false for `'float64'` / absent; anything else → `E_ARG`. */
function checkSampleType(v: unknown): boolean {
  if (v === undefined || v === 'float64') return false;
  if (v === 'native') return true;
  throw new HazetraceError('E_ARG', `sampleType must be 'float64' or 'native', got ${showValue(v)}`, { argument: 'sampleType', value: v });
}

/** `options.parallelInflate` → false when absent; anything but a boolean → `E_ARG`. */
function checkParallelInflate(v: unknown): boolean {
  if (v === undefined) return false;
  if (typeof v === 'boolean') return v;
  throw new HazetraceError('E_ARG', `parallelInflate must be true or false, got ${showValue(v)}`, { argument: 'parallelInflate', value: v });
}

function isNativeBand(a: unknown): a is NativeBand {
  return a instanceof Uint8Array || a instanceof Int8Array || a instanceof Uint16Array || a instanceof Int16Array || a instanceof Uint32Array
    || a instanceof Int32Array || a instanceof Float32Array || a instanceof Float64Array;
}

/** The IFD facts the fast path needs, or null when a tag is unreadable (then geotiff.js decides). */
async function layoutOf(image: GeoTIFFImage, width: number, height: number, samples: number): Promise<TiffLayout | null> {
  try {
    const fd = image.getFileDirectory();
    const tiled = image.isTiled;
    const num = (v: unknown, d: number): number => (v === undefined || v === null ? d : Number(v));
    const list = (v: unknown, d: number): number[] => {
      if (v === undefined || v === null) return new Array<number>(samples).fill(d);
      const a = typeof v === 'number' ? [v] : Array.from(v as ArrayLike<number>, Number);
      return a.length === 1 && samples > 1 ? new Array<number>(samples).fill(a[0]!) : a;
    };
    const offs = (await fd.loadValue(tiled ? 'TileOffsets' : 'StripOffsets')) as unknown;
    const cnts = (await fd.loadValue(tiled ? 'TileByteCounts' : 'StripByteCounts')) as unknown;
    const arr = (v: unknown): number[] => (typeof v === 'number' ? [v] : Array.from((v ?? []) as ArrayLike<number | bigint>, Number));
    return {
      width, height, tiled,
      blockWidth: image.getTileWidth(),
      blockHeight: image.getTileHeight(),
      samples,
      planar: num(fd.getValue('PlanarConfiguration'), 1),
      bits: list(fd.getValue('BitsPerSample'), 1),
      formats: list(fd.getValue('SampleFormat'), 1),
      compression: num(fd.getValue('Compression'), 1),
      predictor: num(fd.hasTag(317) ? await fd.loadValue(317) : undefined, 1),
      littleEndian: image.littleEndian,
      fillOrder: num(fd.hasTag(266) ? await fd.loadValue(266) : undefined, 1),
      offsets: arr(offs),
      counts: arr(cnts),
    };
  } catch {
    return null;
  }
}

/** Block bytes straight from the in-memory file, or fetched through geotiff.js's source (files). */
function blockSource(tiff: GeoTIFF, signal: AbortSignal | undefined): BlockBytes {
  const source = (tiff as unknown as { source: { arrayBuffer?: unknown; fetch(s: readonly { offset: number; length: number }[], signal?: AbortSignal): Promise<ArrayBufferLike[]> } }).source;
  if (source.arrayBuffer instanceof ArrayBuffer) {
    const all = new Uint8Array(source.arrayBuffer);
    return { get: (slices) => slices.map((s) => all.subarray(s.offset, s.offset + s.length)) };
  }
  return {
    get: async (slices) => {
      // Blocks that lie close together in the file (GDAL writes them in order) are fetched as one read:
      // far fewer file reads than one per strip/tile. A gap is read and skipped when it is at most COALESCE_GAP
      // bytes and no longer than the block after it, so a sparse window never reads more than twice its bytes.
      const order = slices.map((_, i) => i).sort((a, b) => slices[a]!.offset - slices[b]!.offset);
      const ranges: { offset: number; length: number }[] = [];
      const at = new Array<[number, number]>(slices.length);
      let cur: { offset: number; length: number } | null = null;
      for (const i of order) {
        const s = slices[i]!;
        const end = s.offset + s.length;
        const gap = cur === null ? 0 : s.offset - (cur.offset + cur.length);
        if (cur !== null && gap <= Math.min(COALESCE_GAP, s.length) && end - cur.offset <= COALESCE_MAX) {
          cur.length = Math.max(cur.length, end - cur.offset);
        } else {
          cur = { offset: s.offset, length: s.length };
          ranges.push(cur);
        }
        at[i] = [ranges.length - 1, s.offset - cur.offset];
      }
      const got = await source.fetch(ranges, signal);
      return slices.map((s, i) => new Uint8Array(got[at[i]![0]]!, at[i]![1], s.length));
    },
  };
}

/** Largest gap (bytes) between two blocks still fetched in one read, and the largest such read. */
const COALESCE_GAP = 65_536;
const COALESCE_MAX = 16_777_216;

type RasterData = Omit<Raster<NativeBand>, 'bandCount' | 'isNoData' | 'pixelToLngLat' | 'lngLatToPixel' | 'toJSON'>;

function makeRaster(d: RasterData): Raster<NativeBand> {
  const gt = d.geoTransform;
  const identity = d.crs.proj4 === WGS84 || d.crs.epsg === 4326;
  const conv = identity ? null : proj4(d.crs.proj4, WGS84);
  const det = gt[1] * gt[5] - gt[2] * gt[4];
  if (det === 0) throw new HazetraceError('E_GEOREF', `GeoTIFF geotransform ${showValue(gt)} is singular`, { geoTransform: gt });
  const noData = d.noData;
  return {
    ...d,
    bandCount: d.bands.length,
    isNoData: (v: number) => Number.isNaN(v) || (noData !== null && v === noData),
    pixelToLngLat(col: number, row: number): [number, number] {
      const c = col + 0.5;
      const r = row + 0.5;
      const x = gt[0] + c * gt[1] + r * gt[2];
      const y = gt[3] + c * gt[4] + r * gt[5];
      if (!conv) return [x, y];
      const p = conv.forward([x, y]);
      return [p[0]!, p[1]!];
    },
    lngLatToPixel(lng: number, lat: number): [number, number] {
      let x = lng;
      let y = lat;
      if (conv) [x, y] = conv.inverse([lng, lat]) as [number, number];
      const dx = x - gt[0];
      const dy = y - gt[3];
      // Invert the 2x2 affine part.
      return [(gt[5] * dx - gt[2] * dy) / det, (-gt[4] * dx + gt[1] * dy) / det];
    },
    toJSON() {
      return {
        width: d.width, height: d.height, fullWidth: d.fullWidth, fullHeight: d.fullHeight, bandCount: d.bands.length,
        window: d.window, noData: d.noData, geoTransform: d.geoTransform, crs: d.crs, bandDescriptions: d.bandDescriptions,
        bands: d.bands.map((b) => Array.from(b as ArrayLike<number>, (v) => (Number.isFinite(v) ? v : null))),
      };
    },
  };
}

/**
 * Read a GeoTIFF (an ArrayBuffer, or any byte view such as a Node Buffer — only its own bytes are used)
 * into a {@link Raster}. Errors: `E_GEOREF` (no georeferencing), `E_CRS` (a CRS without a known
 * proj4 definition and no `options.proj4`), `E_BUDGET` (window × bands over `maxPixels`, checked from
 * the header before decoding), `E_ARG` (bad window/bands), `E_ABORTED`, `E_INPUT` (not a TIFF at all),
 * `E_FORMAT` (a TIFF whose header, directory, tags or pixel data are corrupt or truncated: the message
 * names the section and byte offset; also a header that declares more pixels than its strips/tiles can
 * hold, refused before allocating).
 *
 * `options.sampleType: 'native'` returns each band in the file's own typed array instead of a Float64Array
 * (the return type then says {@link NativeBand}); the values are the same.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readGeoTiff } from 'hazetrace/io';
 * const r = await readGeoTiff(readFileSync('test/fixtures/io/grid_4326.tif'));
 * r.pixelToLngLat(0, 0); // [98.05, 18.75]
 * r.bands[0]![0]; // 0.25
 * const n = await readGeoTiff(readFileSync('test/fixtures/io/grid_4326.tif'), { sampleType: 'native' });
 * n.bands[0] instanceof Float32Array; // true (the file holds float32)
 * n.bands[0]![0]; // 0.25
 * ```
 */
export function readGeoTiff<S extends GeoTiffSampleType>(input: ArrayBuffer | ArrayBufferView, options: GeoTiffOptions<S> & { sampleType: S }): Promise<Raster<GeoTiffBand<S>>>;
export function readGeoTiff(input: ArrayBuffer | ArrayBufferView, options?: GeoTiffOptions): Promise<Raster>;
export async function readGeoTiff(input: ArrayBuffer | ArrayBufferView, options: GeoTiffOptions<GeoTiffSampleType> = {}): Promise<Raster<NativeBand>> {
  let buf: ArrayBuffer;
  if (input instanceof ArrayBuffer) buf = input;
  else if (ArrayBuffer.isView(input)) {
    // A Node Buffer may be a view into a larger shared pool: copy exactly its bytes (unless it is the whole buffer).
    buf = input.byteOffset === 0 && input.buffer instanceof ArrayBuffer && input.byteLength === input.buffer.byteLength
      ? input.buffer
      : new Uint8Array(input.buffer, input.byteOffset, input.byteLength).slice().buffer;
  } else {
    throw new HazetraceError('E_ARG', `input must be an ArrayBuffer or a byte view, got ${showValue(input)}`, { argument: 'input', value: input });
  }
  if (options === null || typeof options !== 'object') throw new HazetraceError('E_ARG', `options must be an object, got ${showValue(options)}`, { argument: 'options', value: options });
  checkSampleType(options.sampleType); // before parsing, so a bad option is reported as such on any input
  checkParallelInflate(options.parallelInflate);
  const head = new Uint8Array(buf, 0, Math.min(4, buf.byteLength));
  const magic = head.length === 4 && ((head[0] === 0x49 && head[1] === 0x49 && (head[2] === 42 || head[2] === 43) && head[3] === 0) || (head[0] === 0x4d && head[1] === 0x4d && head[2] === 0 && (head[3] === 42 || head[3] === 43)));
  if (!magic) {
    throw new HazetraceError('E_INPUT', `input is not a readable GeoTIFF: it does not start with a TIFF byte-order mark and magic number (${buf.byteLength} bytes)`, { argument: 'input' });
  }
  let tiff: GeoTIFF;
  try {
    // Loaded lazily: geotiff pulls in `web-worker`, which hijacks any Node worker thread that merely imports
    // hazetrace/io; a dynamic import keeps the module graph clean for callers that never read a GeoTIFF.
    const { fromArrayBuffer } = await import('geotiff');
    tiff = await fromArrayBuffer(buf, options.signal);
  } catch (e) {
    throwIfAborted(options.signal);
    throw formatError('TIFF header', e, 0);
  }
  return rasterFromTiff(tiff, options, buf.byteLength);
}
