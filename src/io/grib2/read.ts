/**
 * GRIB edition 2 reader: splits a byte stream into messages, parses sections 0–8 (with repeated fields inside
 * one message), and decodes the values of the templates in templates.ts and packing.ts. Browser-safe.
 */
import { HazetraceError, argError } from '../../core/errors.js';
import { uint } from './bits.js';
import { decodeValues, parsePacking, type Grib2Packing } from './packing.js';
import { parseGrid, parseProduct, scanToLayout, sectionError, shortName, type Grib2Grid, type Grib2Level, type Grib2Product } from './templates.js';

/** One field of a GRIB2 file, described (values not yet decoded). */
export interface Grib2MessageInfo {
  /** 0-based index of the field in the file (a message with repeated sections holds several fields). */
  index: number;
  /** Byte offset of the GRIB message the field belongs to. */
  offset: number;
  /** Discipline (code table 0.0): 0 meteorological, 2 land surface, 10 oceanographic. */
  discipline: number;
  /** Originating centre (common code table C-11): 7 NCEP, 98 ECMWF, ... */
  centre: number;
  /** Parameter category and number (code table 4.1 / 4.2 of the discipline). */
  category: number;
  number: number;
  /** ecCodes-style short name where hazetrace knows it (`u`, `v`, `w`, `gh`, `z`, `t`, `r`, `sp`, `blh`, `tp`, `orog`, `10u`, ...). */
  shortName: string | undefined;
  /** First fixed surface: type (code table 4.5), name and value (isobaric levels in Pa, heights in m). */
  level: Grib2Level | null;
  /** Second fixed surface (layers), or null. */
  level2: Grib2Level | null;
  /** Reference time (section 1), UTC ms. */
  referenceTime: number;
  /** Forecast time, hours after the reference time (for accumulations: the interval's start). */
  forecastHours: number;
  /** Statistical interval of templates 4.8/4.11 in hours after the reference time; `statistic` is code table 4.10 (0 average, 1 accumulation, 2 maximum, 3 minimum). */
  interval: { startHours: number; endHours: number; statistic: number } | undefined;
  /** Time the values are valid at, UTC ms: reference time + forecast hours (+ the interval's end for 4.8/4.11). */
  validTime: number;
  /** Product definition template number (4.0, 4.1, 4.8, 4.11). */
  productTemplate: number;
  /** Ensemble member of templates 4.1/4.11. */
  ensemble: Grib2Product['ensemble'];
  /** The grid (section 3). */
  grid: Grib2Grid;
  /** The packing (section 5). */
  packing: Grib2Packing;
  /** Whether a bitmap (section 6) marks some points missing. */
  bitmap: boolean;
}

/** A decoded GRIB2 field. */
export interface Grib2Message extends Grib2MessageInfo {
  /**
   * The values, `ny·nx`, laid out as `griddedWind` wants them whatever the message's scanning mode: row 0 is the
   * southernmost row, columns go east from `grid.west`; index `row·nx + col`. Missing points (bitmap, or the
   * complex packing's missing-value substitutes) are NaN.
   */
  values: Float32Array;
}

/** Options of {@link readGrib2}. */
export interface ReadGrib2Options {
  /** Decode only the fields this returns true for (the others are described in `skipped` with reason "filtered"). */
  filter?: (info: Grib2MessageInfo) => boolean;
  /**
   * What to do with a field whose grid, product or packing template hazetrace does not read: `'throw'` (default) an
   * `E_FORMAT` naming the section and template, or `'skip'` it and list it in `skipped`.
   */
  unsupported?: 'throw' | 'skip';
}

/** What {@link readGrib2} returns. */
export interface Grib2ReadResult {
  messages: Grib2Message[];
  /** What was not decoded: GRIB edition 1 messages, bytes between messages, filtered or (with `unsupported: 'skip'`) unsupported fields. */
  skipped: { offset: number; index?: number; reason: string }[];
}

function findGrib(b: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= b.length; i++) if (b[i] === 0x47 && b[i + 1] === 0x52 && b[i + 2] === 0x49 && b[i + 3] === 0x42) return i;
  return -1;
}

/**
 * Read a GRIB2 file (bytes) into its fields: parameter, level, times, grid and values. Reads grid templates 3.0
 * (regular lat/lon, every scanning mode, 0–360 longitudes normalised to −180..180) and 3.40 (regular Gaussian);
 * product templates 4.0, 4.1, 4.8 and 4.11; packings 5.0 simple, 5.2 complex, 5.3 complex with spatial
 * differencing (order 1, 2), 5.4 IEEE, 5.40 JPEG 2000 (OpenJPEG WebAssembly, loaded on first use — the reason this is
 * async), 5.41 PNG and 5.42 CCSDS; bitmaps (section 6). GRIB edition 1 messages in the stream are skipped with a
 * reason. A truncated or malformed message, or (by default) an unsupported template, throws `E_FORMAT` naming the
 * section and template.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { readGrib2 } from 'hazetrace/io';
 * const { messages } = await readGrib2(await readFile('test/fixtures/grib2/gfs_like.grib2'));
 * const u850 = messages.find((m) => m.shortName === 'u' && m.level?.value === 85000 && m.forecastHours === 3)!;
 * u850.grid.nx; // 17
 * u850.packing.name; // 'grid_complex_spatial_differencing'
 * u850.values.length; // 221 (13 rows × 17 columns, row 0 southernmost)
 * ```
 */
export async function readGrib2(bytes: ArrayBuffer | Uint8Array, options: ReadGrib2Options = {}): Promise<Grib2ReadResult> {
  const b = bytes instanceof Uint8Array ? bytes : bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : null;
  if (!b) throw argError('bytes', bytes, 'an ArrayBuffer or Uint8Array of a GRIB2 file');
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  const unsupported = options.unsupported ?? 'throw';
  if (unsupported !== 'throw' && unsupported !== 'skip') throw argError('options.unsupported', unsupported, "'throw' or 'skip'");
  const filter = options.filter;
  if (filter !== undefined && typeof filter !== 'function') throw argError('options.filter', filter, 'a function');
  const messages: Grib2Message[] = [];
  const skipped: Grib2ReadResult['skipped'] = [];
  let at = 0;
  let index = 0;
  let found = 0;
  while (at < b.length) {
    const start = findGrib(b, at);
    if (start < 0) {
      if (b.length - at > 0 && !(b.length - at <= 4 && b.subarray(at).every((x) => x === 0))) skipped.push({ offset: at, reason: `${b.length - at} trailing bytes without a GRIB message` });
      break;
    }
    if (start > at) skipped.push({ offset: at, reason: `${start - at} bytes before the next "GRIB" marker` });
    if (start + 8 > b.length) throw sectionError(0, `message at byte ${start} is truncated inside its indicator section (file of ${b.length} bytes)`, { offset: start });
    const edition = b[start + 7]!;
    if (edition === 1) {
      const len = uint(b, start + 4, 3);
      skipped.push({ offset: start, reason: `GRIB edition 1 message (${len} bytes): hazetrace reads GRIB edition 2 only` });
      found++;
      at = start + Math.max(len, 8);
      continue;
    }
    if (edition !== 2) {
      skipped.push({ offset: start, reason: `"GRIB" marker with edition ${edition}, not a GRIB message` });
      at = start + 4;
      continue;
    }
    if (start + 16 > b.length) throw sectionError(0, `message at byte ${start} is truncated inside its 16-byte indicator section (file of ${b.length} bytes)`, { offset: start });
    const len = uint(b, start + 8, 4) * 2 ** 32 + uint(b, start + 12, 4);
    if (len < 16 + 4) throw sectionError(0, `message at byte ${start} claims a total length of ${len} bytes`, { offset: start });
    if (start + len > b.length) throw sectionError(0, `message at byte ${start} claims ${len} bytes but the file ends ${b.length - start} bytes after its start (truncated)`, { offset: start, length: len, size: b.length });
    const msg = b.subarray(start, start + len);
    if (!(msg[len - 4] === 0x37 && msg[len - 3] === 0x37 && msg[len - 2] === 0x37 && msg[len - 1] === 0x37)) {
      throw sectionError(8, `message at byte ${start} (${len} bytes) does not end with "7777": wrong length or corrupt`, { offset: start });
    }
    found++;
    index = await readMessage(msg, start, index, messages, skipped, filter, unsupported);
    at = start + len;
  }
  if (found === 0) throw new HazetraceError('E_FORMAT', `no GRIB message found in ${b.length} bytes`, { section: 0, size: b.length });
  return { messages, skipped };
}

async function readMessage(
  msg: Uint8Array,
  offset: number,
  index: number,
  messages: Grib2Message[],
  skipped: Grib2ReadResult['skipped'],
  filter: ReadGrib2Options['filter'],
  unsupported: 'throw' | 'skip',
): Promise<number> {
  const discipline = msg[6]!;
  let pos = 16;
  let s1: Uint8Array | null = null;
  let grid: Grib2Grid | Error | null = null;
  let npts = 0;
  let product: Grib2Product | Error | null = null;
  let s5: Uint8Array | null = null;
  let packing: Grib2Packing | Error | null = null;
  let bitmap: Uint8Array | null = null;
  let lastBitmap: Uint8Array | null = null;
  let hasBitmap = false;
  let s6seen = false;
  const end = msg.length - 4;
  let prevNum = 0;
  let prevAt = 0;
  const guard = <T>(f: () => T): T | Error => {
    try {
      return f();
    } catch (e) {
      if (unsupported === 'skip' && e instanceof HazetraceError && e.details?.template !== undefined && /not supported/.test(e.message)) return e;
      throw e;
    }
  };
  while (pos < end) {
    if (pos + 5 > end) throw sectionError(8, `message at byte ${offset}: ${end - pos} stray bytes before "7777"`, { offset: offset + pos });
    const slen = uint(msg, pos, 4);
    const num = msg[pos + 4]!;
    if (num < 1 || num > 7) {
      // what follows the previous section is no section header: that section's length is wrong
      throw sectionError(prevNum, `message at byte ${offset}: section ${prevNum} at byte ${offset + prevAt} claims ${pos - prevAt} bytes, but no section header follows it (number ${num} at byte ${offset + pos}): wrong section length or corrupt`, { offset: offset + prevAt });
    }
    if (slen < 5 || pos + slen > end) {
      throw sectionError(num, `message at byte ${offset}: section ${num} at byte ${offset + pos} claims ${slen} bytes, but ${end - pos} remain before "7777" (wrong section length or truncated)`, { offset: offset + pos, length: slen });
    }
    const s = msg.subarray(pos, pos + slen);
    prevNum = num;
    prevAt = pos;
    pos += slen;
    switch (num) {
      case 1:
        if (slen < 21) throw sectionError(1, `section is ${slen} bytes, shorter than 21`, { offset: offset + pos - slen });
        s1 = s;
        break;
      case 2:
        break;
      case 3:
        npts = uint(s, 6, 4);
        grid = guard(() => parseGrid(s, npts));
        break;
      case 4:
        product = guard(() => parseProduct(s));
        break;
      case 5:
        s5 = s;
        packing = guard(() => parsePacking(s));
        break;
      case 6: {
        s6seen = true;
        const ind = s[5]!;
        if (ind === 255) {
          bitmap = null;
          hasBitmap = false;
        } else if (ind === 0) {
          bitmap = s.subarray(6);
          lastBitmap = bitmap;
          hasBitmap = true;
        } else if (ind === 254) {
          if (!lastBitmap) throw sectionError(6, 'indicator 254 refers to a previously defined bitmap, but none was defined in this message', { offset: offset + pos - slen });
          bitmap = lastBitmap;
          hasBitmap = true;
        } else throw sectionError(6, `bitmap indicator ${ind} (a predefined bitmap) is not supported`, { offset: offset + pos - slen });
        break;
      }
      case 7: {
        if (!s1 || !grid || !product || !packing || !s5 || !s6seen) {
          const missing = [!s1 && 1, !grid && 3, !product && 4, !packing && 5, !s6seen && 6].filter(Boolean).join(', ');
          throw sectionError(7, `message at byte ${offset}: data section before section(s) ${missing}`, { offset: offset + pos - slen });
        }
        const thisIndex = index++;
        const bad = [grid, product, packing].find((x): x is Error => x instanceof Error);
        if (bad) {
          skipped.push({ offset, index: thisIndex, reason: bad.message });
          break;
        }
        const g = grid as Grib2Grid;
        const pr = product as Grib2Product;
        const pk = packing as Grib2Packing;
        const refTime = Date.UTC(uint(s1, 12, 2), s1[14]! - 1, s1[15]!, s1[16]!, s1[17]!, s1[18]!);
        const validHours = pr.interval ? pr.interval.endHours : pr.forecastHours;
        const info: Grib2MessageInfo = {
          index: thisIndex,
          offset,
          discipline,
          centre: uint(s1, 5, 2),
          category: pr.category,
          number: pr.number,
          shortName: shortName(discipline, pr.category, pr.number, pr.level, uint(s1, 5, 2), pr.interval?.statistic === 1),
          level: pr.level,
          level2: pr.level2,
          referenceTime: refTime,
          forecastHours: pr.forecastHours,
          interval: pr.interval,
          validTime: refTime + Math.round(validHours * 3_600_000),
          productTemplate: pr.template,
          ensemble: pr.ensemble,
          grid: g,
          packing: pk,
          bitmap: hasBitmap,
        };
        if (filter && !filter(info)) {
          skipped.push({ offset, index: thisIndex, reason: 'filtered' });
          break;
        }
        const scanned = await decodeValues(s5, pk, s, npts, hasBitmap ? bitmap : null);
        let values: Float32Array;
        const map = g.scanningMode === 0 ? null : scanToLayout(g);
        if (g.scanningMode === 0) {
          // the usual GRIB order (rows west→east, north→south): copy rows bottom-up
          values = new Float32Array(npts);
          const nx = g.nx;
          for (let r = 0; r < g.ny; r++) values.set(scanned.subarray((g.ny - 1 - r) * nx, (g.ny - r) * nx), r * nx);
        } else if (map) {
          values = new Float32Array(npts);
          for (let k = 0; k < npts; k++) values[map[k]!] = scanned[k]!;
        } else values = scanned;
        messages.push({ ...info, values });
        break;
      }
    }
  }
  return index;
}
