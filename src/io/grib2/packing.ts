/**
 * GRIB2 data representation (section 5) and data (section 7) decoding: templates 5.0 simple packing, 5.2 complex
 * packing, 5.3 complex packing with spatial differencing (order 1 and 2), 5.4 IEEE floats, 5.40 JPEG 2000,
 * 5.41 PNG and 5.42 CCSDS (AEC). Values come out in the message's scanning order with NaN where the bitmap
 * (section 6) or the complex packing's missing-value management says "missing". Browser-safe.
 */
import { aecDecode } from './aec.js';
import { float32, sint, uint, unpackBits } from './bits.js';
import { decodeJpeg2000Samples } from './jpeg2000.js';
import { decodePngSamples } from './png.js';
import { sectionError } from './templates.js';

/** What section 5 says about how the values are packed. */
export interface Grib2Packing {
  /** Data representation template number (0, 2, 3, 4, 40, 41, 42). */
  template: number;
  /** ecCodes' name of the packing, e.g. `grid_simple`, `grid_complex_spatial_differencing`, `grid_ccsds`. */
  name: string;
  /** Number of values stored in section 7 (points the bitmap marks present). */
  count: number;
  /** Reference value R. */
  reference: number;
  /** Binary scale factor E. */
  binaryScale: number;
  /** Decimal scale factor D. */
  decimalScale: number;
  /** Bits per packed value (for 5.4: 32 or 64). */
  bitsPerValue: number;
  /** The packing's precision: values are exact to ½·2^E·10^−D (0 for IEEE floats). */
  precision: number;
}

const PACKING_NAMES: Record<number, string> = {
  0: 'grid_simple', 2: 'grid_complex', 3: 'grid_complex_spatial_differencing', 4: 'grid_ieee', 40: 'grid_jpeg', 41: 'grid_png', 42: 'grid_ccsds',
};

/** Parse section 5. */
export function parsePacking(s: Uint8Array): Grib2Packing {
  if (s.length < 11) throw sectionError(5, `section is ${s.length} bytes, shorter than its 11-byte header`);
  const count = uint(s, 5, 4);
  const template = uint(s, 9, 2);
  const name = PACKING_NAMES[template];
  if (!name) {
    const what = { 1: 'matrix values', 50: 'spectral simple', 51: 'spectral complex', 53: 'spectral complex with spatial differencing', 61: 'simple packing with logarithmic pre-processing', 200: 'run length' }[template];
    throw sectionError(5, `data representation template 5.${template}${what ? ` (${what})` : ''} is not supported; hazetrace reads 5.0, 5.2, 5.3, 5.4, 5.40, 5.41 and 5.42`, { template });
  }
  if (template === 4) {
    if (s.length < 12) throw sectionError(5, `template 5.4 needs 12 bytes, section has ${s.length}`, { template });
    const prec = s[11]!;
    if (prec !== 1 && prec !== 2) throw sectionError(5, `template 5.4: precision ${prec} (code table 5.7) is not supported; 1 (32-bit) and 2 (64-bit) are`, { template });
    return { template, name, count, reference: 0, binaryScale: 0, decimalScale: 0, bitsPerValue: prec === 1 ? 32 : 64, precision: 0 };
  }
  const need = { 0: 21, 2: 47, 3: 49, 40: 23, 41: 21, 42: 25 }[template]!;
  if (s.length < need) throw sectionError(5, `template 5.${template} needs ${need} bytes, section has ${s.length}`, { template });
  const reference = float32(s, 11);
  const binaryScale = sint(s, 15, 2);
  const decimalScale = sint(s, 17, 2);
  const bitsPerValue = s[19]!;
  if (bitsPerValue > 32 && template !== 41) throw sectionError(5, `template 5.${template}: ${bitsPerValue} bits per value (more than 32) is not supported`, { template });
  return { template, name, count, reference, binaryScale, decimalScale, bitsPerValue, precision: 0.5 * 2 ** binaryScale * 10 ** -decimalScale };
}

/** Decode section 7 to `npts` values in scanning order. `s5`/`s7` are the sections' bytes; `bitmap` is section 6's bit field or null. */
export async function decodeValues(s5: Uint8Array, p: Grib2Packing, s7: Uint8Array, npts: number, bitmap: Uint8Array | null): Promise<Float32Array> {
  const t = p.template;
  const data = s7.subarray(5);
  const n = p.count;
  let present = npts;
  if (bitmap) {
    if (bitmap.length * 8 < npts) throw sectionError(6, `bitmap holds ${bitmap.length * 8} bits for ${npts} points`, { template: t });
    present = 0;
    for (let i = 0; i < npts; i++) present += (bitmap[i >>> 3]! >>> (7 - (i & 7))) & 1;
  }
  if (n !== present) throw sectionError(5, `template 5.${t}: ${n} packed values, but ${present} points ${bitmap ? 'are marked present by the bitmap' : 'in the grid'}`, { template: t });
  const refD = p.reference * 10 ** -p.decimalScale;
  const scale = 2 ** p.binaryScale * 10 ** -p.decimalScale;
  const packed = new Float32Array(n);
  const fromInts = (ints: ArrayLike<number>): void => {
    for (let i = 0; i < n; i++) packed[i] = refD + ints[i]! * scale;
  };
  const constant = (): void => {
    packed.fill(refD);
  };
  const need = (bytes: number): void => {
    if (data.length < bytes) throw sectionError(7, `template 5.${t}: data hold ${data.length} bytes, ${bytes} needed (truncated or corrupt)`, { template: t });
  };
  if (t === 0) {
    if (p.bitsPerValue === 0) constant();
    else {
      need(Math.ceil((n * p.bitsPerValue) / 8));
      const ints = new Float64Array(n);
      unpackBits(data, 0, p.bitsPerValue, n, ints, 0);
      fromInts(ints);
    }
  } else if (t === 4) {
    const w = p.bitsPerValue / 8;
    need(n * w);
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (w === 4) for (let i = 0; i < n; i++) packed[i] = dv.getFloat32(4 * i, false);
    else for (let i = 0; i < n; i++) packed[i] = dv.getFloat64(8 * i, false);
  } else if (t === 2 || t === 3) {
    complexUnpack(s5, p, data, packed, refD, scale);
  } else if (t === 40 || t === 41 || t === 42) {
    if (p.bitsPerValue === 0 || (n > 0 && data.length === 0 && t !== 42)) constant();
    else {
      let samples: Float64Array;
      if (t === 42) {
        const flags = s5[21]!;
        const blockSize = s5[22]!;
        const rsi = uint(s5, 23, 2);
        samples = aecDecode(data, n, { bitsPerSample: p.bitsPerValue, blockSize, rsi, flags });
      } else {
        const r = t === 40 ? await decodeJpeg2000Samples(data) : await decodePngSamples(data);
        samples = r.samples;
      }
      if (samples.length < n) throw sectionError(7, `template 5.${t}: image holds ${samples.length} values, ${n} needed`, { template: t });
      fromInts(samples);
    }
  }
  if (!bitmap) return packed;
  const out = new Float32Array(npts);
  let k = 0;
  for (let i = 0; i < npts; i++) out[i] = (bitmap[i >>> 3]! >>> (7 - (i & 7))) & 1 ? packed[k++]! : NaN;
  return out;
}

function complexUnpack(s5: Uint8Array, p: Grib2Packing, data: Uint8Array, out: Float32Array, refD: number, scale: number): void {
  const t = p.template;
  const n = p.count;
  const nbits = p.bitsPerValue;
  const missMgmt = s5[22]!;
  const ng = uint(s5, 31, 4);
  const widthRef = s5[35]!;
  const widthBits = s5[36]!;
  const lenRef = uint(s5, 37, 4);
  const lenInc = s5[41]!;
  const lastLen = uint(s5, 42, 4);
  const lenBits = s5[46]!;
  const order = t === 3 ? s5[47]! : 0;
  const extra = t === 3 ? s5[48]! : 0;
  // order 0 (ecCodes writes it for fields it does not difference) is plain complex packing
  if (t === 3 && order > 2) throw sectionError(5, `template 5.3: order of spatial differencing ${order} is not 0, 1 or 2`, { template: t });
  if (t === 3 && order > 0 && (extra < 1 || extra > 4)) throw sectionError(5, `template 5.3: ${extra} octets for the extra descriptors (must be 1..4)`, { template: t });
  if (missMgmt > 2) throw sectionError(5, `template 5.${t}: missing value management ${missMgmt} is not 0, 1 or 2`, { template: t });
  if (ng > n + 1 || widthBits > 32 || lenBits > 32) throw sectionError(5, `template 5.${t}: ${ng} groups for ${n} values (or group width/length bits ${widthBits}/${lenBits}) is inconsistent`, { template: t });
  if (n === 0) return;
  if (ng === 0) throw sectionError(5, `template 5.${t}: no groups for ${n} values`, { template: t });
  let byte = 0;
  let h1 = 0;
  let h2 = 0;
  let minsd = 0;
  if (t === 3 && order > 0) {
    if (data.length < extra * (order + 1)) throw sectionError(7, `template 5.3: data hold ${data.length} bytes, shorter than the spatial differencing descriptors`, { template: t });
    h1 = sint(data, 0, extra);
    byte = extra;
    if (order === 2) {
      h2 = sint(data, byte, extra);
      byte += extra;
    }
    minsd = sint(data, byte, extra);
    byte += extra;
  }
  const refs = new Float64Array(ng);
  const widths = new Float64Array(ng);
  const lens = new Float64Array(ng);
  const headerBits = Math.ceil((ng * nbits) / 8) + Math.ceil((ng * widthBits) / 8) + Math.ceil((ng * lenBits) / 8);
  if (data.length < byte + headerBits) throw sectionError(7, `template 5.${t}: data hold ${data.length} bytes, shorter than the ${ng} group descriptors (truncated or corrupt)`, { template: t });
  unpackBits(data, byte * 8, nbits, ng, refs, 0);
  byte += Math.ceil((ng * nbits) / 8);
  unpackBits(data, byte * 8, widthBits, ng, widths, 0);
  byte += Math.ceil((ng * widthBits) / 8);
  unpackBits(data, byte * 8, lenBits, ng, lens, 0);
  byte += Math.ceil((ng * lenBits) / 8);
  let total = 0;
  let bits = 0;
  for (let g = 0; g < ng; g++) {
    widths[g] = widths[g]! + widthRef;
    lens[g] = g === ng - 1 ? lastLen : lenRef + lens[g]! * lenInc;
    total += lens[g]!;
    bits += lens[g]! * widths[g]!;
  }
  if (total !== n) throw sectionError(5, `template 5.${t}: group lengths add up to ${total}, not the ${n} packed values`, { template: t });
  if (data.length < byte + Math.ceil(bits / 8)) throw sectionError(7, `template 5.${t}: data hold ${data.length} bytes, ${byte + Math.ceil(bits / 8)} needed (truncated or corrupt)`, { template: t });
  const ints = new Float64Array(n);
  const miss = new Uint8Array(missMgmt ? n : 0);
  let pos = byte * 8;
  let k = 0;
  const m1Ref = 2 ** nbits - 1;
  const m2Ref = 2 ** nbits - 2;
  for (let g = 0; g < ng; g++) {
    const len = lens[g]!;
    const w = widths[g]!;
    const r = refs[g]!;
    if (w === 0) {
      if (missMgmt && (r === m1Ref || (missMgmt === 2 && r === m2Ref))) miss.fill(1, k, k + len);
      ints.fill(r, k, k + len);
      k += len;
      continue;
    }
    pos = unpackBits(data, pos, w, len, ints, k);
    if (missMgmt) {
      const m1 = 2 ** w - 1;
      const m2 = 2 ** w - 2;
      for (let i = k; i < k + len; i++) {
        const x = ints[i]!;
        if (x === m1 || (missMgmt === 2 && x === m2)) miss[i] = 1;
        else ints[i] = x + r;
      }
    } else for (let i = k; i < k + len; i++) ints[i] = ints[i]! + r;
    k += len;
  }
  if (t === 3 && order > 0) {
    // undo the differencing over the non-missing values only
    let a = 0; // previous value
    let b = 0; // the one before
    let seen = 0;
    for (let i = 0; i < n; i++) {
      if (missMgmt && miss[i]) continue;
      let x: number;
      if (seen === 0) x = h1;
      else if (seen === 1 && order === 2) x = h2;
      else x = order === 1 ? ints[i]! + minsd + a : ints[i]! + minsd + 2 * a - b;
      ints[i] = x;
      b = a;
      a = x;
      seen++;
    }
  }
  if (missMgmt) for (let i = 0; i < n; i++) out[i] = miss[i] ? NaN : refD + ints[i]! * scale;
  else for (let i = 0; i < n; i++) out[i] = refD + ints[i]! * scale;
}
