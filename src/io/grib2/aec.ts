/**
 * Adaptive Entropy Coding (CCSDS 121.0-B "Lossless Data Compression", the Rice coder libaec implements), as
 * GRIB2 data representation template 5.42 stores it. Written from the CCSDS recommendation: per block a coding
 * option id (zero-block, second extension, split-sample k, or uncompressed), an optional reference sample at the
 * start of every reference sample interval (RSI), and the unit-delay predictor's inverse mapping
 * (CCSDS 121.0-B-3 §4). Browser-safe; no dependency.
 */
import { HazetraceError, argError } from '../../core/errors.js';

/** libaec flag bits as GRIB2 section 5 (octet 22, `ccsdsFlags`) stores them. */
export const AEC_DATA_SIGNED = 1;
export const AEC_DATA_3BYTE = 2;
export const AEC_DATA_MSB = 4;
export const AEC_DATA_PREPROCESS = 8;
export const AEC_RESTRICTED = 16;
export const AEC_PAD_RSI = 32;
export const AEC_NOT_ENFORCE = 64;

/** Parameters of an AEC stream. */
export interface AecParams {
  /** Bits per sample, 1..32. */
  bitsPerSample: number;
  /** Samples per block (8, 16, 32 or 64; other even sizes are accepted). */
  blockSize: number;
  /** Blocks per reference sample interval, 1..4096. */
  rsi: number;
  /** libaec flags (`AEC_*`). 3BYTE and MSB only describe a byte layout of samples, which this decoder does not use. */
  flags: number;
}

const ROS = 5;
/** Second-extension code m → (beta, m - beta(beta+1)/2 offset base). */
const SE_BETA = new Uint8Array(91);
const SE_BASE = new Uint8Array(91);
for (let beta = 0, m = 0; beta <= 12; beta++) {
  for (let b = 0; b <= beta && m < 91; b++, m++) {
    SE_BETA[m] = beta;
    SE_BASE[m] = (beta * (beta + 1)) / 2;
  }
}

function aecError(what: string, details: Record<string, unknown> = {}): HazetraceError {
  return new HazetraceError('E_FORMAT', `GRIB2 section 7 (data, template 5.42 CCSDS): ${what}`, { section: 7, template: 42, ...details });
}

/**
 * Decode `n` samples from an AEC stream. Returns unsigned (or, with `AEC_DATA_SIGNED`, signed) integers.
 * Throws `E_FORMAT` (naming section 7, template 5.42) when the stream ends early or holds an invalid code.
 *
 * @example
 * ```ts
 * import { aecDecode } from 'hazetrace/io';
 * // one block of 8 uncompressed 8-bit samples (id 0b111), no preprocessing
 * const bytes = Uint8Array.from([0b11100000, 0x20, 0x40, 0x60, 0x80, 0xa0, 0xc0, 0xe0, 0xff, 0]);
 * Array.from(aecDecode(bytes, 8, { bitsPerSample: 8, blockSize: 8, rsi: 1, flags: 0 })); // [1, 2, 3, 4, 5, 6, 7, 7]
 * ```
 */
export function aecDecode(data: Uint8Array, n: number, p: AecParams): Float64Array {
  if (!(data instanceof Uint8Array)) throw argError('data', data, 'a Uint8Array of CCSDS-coded bytes');
  if (!(Number.isInteger(n) && n >= 0)) throw argError('n', n, 'a whole number of samples ≥ 0');
  if (p === null || typeof p !== 'object') throw argError('p', p, 'an object { bitsPerSample, blockSize, rsi, flags }');
  const bps = p.bitsPerSample;
  const J = p.blockSize;
  const rsi = p.rsi;
  if (!(Number.isInteger(bps) && bps >= 1 && bps <= 32)) throw aecError(`bits per sample ${bps} is not in 1..32`);
  if (!(Number.isInteger(J) && J >= 2 && J <= 256 && J % 2 === 0)) throw aecError(`block size ${J} is not an even number in 2..256`);
  if (!(Number.isInteger(rsi) && rsi >= 1 && rsi <= 65535)) throw aecError(`reference sample interval ${rsi} is not in 1..65535`);
  const flags = p.flags;
  const pre = (flags & AEC_DATA_PREPROCESS) !== 0;
  const signed = (flags & AEC_DATA_SIGNED) !== 0;
  const padRsi = (flags & AEC_PAD_RSI) !== 0;
  let idLen: number;
  if (bps > 16) idLen = 5;
  else if (bps > 8) idLen = 4;
  else if (flags & AEC_RESTRICTED && bps <= 4) idLen = bps <= 2 ? 1 : 2;
  else idLen = 3;
  const idMax = (1 << idLen) - 1;
  const out = new Float64Array(n);
  // padded copy: reads up to 8 bytes past the end need no bounds checks
  const len = data.length;
  const b = new Uint8Array(len + 8);
  b.set(data);
  const end = len * 8;
  let pos = 0;
  const get = (k: number): number => {
    if (k === 0) return 0;
    if (pos + k > end) throw aecError(`stream ends early (bit ${pos} of ${end})`, { bit: pos });
    const q = pos >>> 3;
    const sh = pos & 7;
    if (k + sh <= 32) {
      const w = ((b[q]! << 24) | (b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!) >>> 0;
      pos += k;
      return ((w << sh) >>> 0) >>> (32 - k);
    }
    let x = 0;
    for (let i = 0; i < k; i++, pos++) x = x * 2 + ((b[pos >>> 3]! >>> (7 - (pos & 7))) & 1);
    return x;
  };
  const fs = (): number => {
    const sh0 = pos & 7;
    const byte0 = (b[pos >>> 3]! << sh0) & 0xff;
    if (byte0 !== 0 && pos < end) {
      const z = Math.clz32(byte0) - 24;
      pos += z + 1;
      if (pos > end) throw aecError(`stream ends inside a fundamental sequence (bit ${pos})`, { bit: pos });
      return z;
    }
    let count = 0;
    for (;;) {
      if (pos >= end) throw aecError(`stream ends inside a fundamental sequence (bit ${pos})`, { bit: pos });
      const sh = pos & 7;
      const byte = (b[pos >>> 3]! << sh) & 0xff;
      if (byte === 0) {
        count += 8 - sh;
        pos += 8 - sh;
        continue;
      }
      const z = Math.clz32(byte) - 24;
      pos += z + 1;
      return count + z;
    }
  };
  const xmax = signed ? 2 ** (bps - 1) - 1 : 2 ** bps - 1;
  const xmin = signed ? -(2 ** (bps - 1)) : 0;
  const half = 2 ** (bps - 1);
  const full = 2 ** bps;
  const buf = new Float64Array(rsi * J);
  let produced = 0;
  while (produced < n) {
    const remaining = n - produced;
    const nb = Math.min(rsi, Math.ceil(remaining / J));
    let blk = 0;
    while (blk < nb) {
      const ref = pre && blk === 0 ? 1 : 0;
      const base = blk * J;
      const id = get(idLen);
      if (id === 0) {
        const se = get(1);
        if (ref) buf[base] = get(bps);
        if (se === 0) {
          const f = fs();
          let zb = f + 1;
          if (zb === ROS) zb = Math.min(rsi - blk, 64 - (blk % 64));
          else if (zb > ROS) zb = f;
          if (blk + zb > nb) zb = nb - blk; // the last RSI of the stream may be shorter
          buf.fill(0, base + ref, (blk + zb) * J);
          blk += zb;
          continue;
        }
        let i = ref;
        while (i < J) {
          const m = fs();
          if (m > 90) throw aecError(`second-extension code ${m} is out of range (bit ${pos})`, { bit: pos });
          const d1 = m - SE_BASE[m]!;
          if ((i & 1) === 0) buf[base + i++] = SE_BETA[m]! - d1;
          buf[base + i++] = d1;
        }
      } else if (id === idMax) {
        for (let i = 0; i < J; i++) buf[base + i] = get(bps);
      } else {
        const k = id - 1;
        if (ref) buf[base] = get(bps);
        for (let i = ref; i < J; i++) buf[base + i] = fs();
        if (k > 0) {
          const scale = 2 ** k;
          if (k <= 24 && pos + k * (J - ref) <= end) {
            // inline reads of the k low bits (a 32-bit window holds k + 7 bits)
            const mask = (1 << k) - 1;
            for (let i = ref; i < J; i++) {
              const q = pos >>> 3;
              const w = ((b[q]! << 24) | (b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!) >>> 0;
              buf[base + i] = buf[base + i]! * scale + ((w >>> (32 - k - (pos & 7))) & mask);
              pos += k;
            }
          } else for (let i = ref; i < J; i++) buf[base + i] = buf[base + i]! * scale + get(k);
        }
      }
      blk++;
    }
    if (padRsi) pos = Math.ceil(pos / 8) * 8;
    const count = Math.min(remaining, nb * J);
    if (pre) {
      let x = buf[0]!;
      if (signed && x >= half) x -= full;
      out[produced] = x;
      for (let i = 1; i < count; i++) {
        const d = buf[i]!;
        const theta = x - xmin < xmax - x ? x - xmin : xmax - x;
        if (d <= 2 * theta) x += (d & 1) === 0 || d > 0x7fffffff ? (d % 2 === 0 ? d / 2 : -(d + 1) / 2) : -(d + 1) / 2;
        else if (x - xmin < xmax - x) x = xmin + d;
        else x = xmax - d;
        out[produced + i] = x;
      }
    } else if (signed) {
      for (let i = 0; i < count; i++) {
        const x = buf[i]!;
        out[produced + i] = x >= half ? x - full : x;
      }
    } else {
      for (let i = 0; i < count; i++) out[produced + i] = buf[i]!;
    }
    produced += count;
  }
  return out;
}
