/**
 * An exact, allocation-free `latLngToCell` in pure TypeScript.
 *
 * It follows H3's published algorithm step by step (H3 v4 docs "Indexing"
 * and the C library's `latLngToCell` → `_geoToFaceIjk` → `_faceIjkToH3`):
 *   1. the point as a unit vector; the icosahedron face is the one whose centre
 *      is nearest (squared chord distance, first minimum wins);
 *   2. gnomonic projection onto that face: the angular distance r from the
 *      face centre becomes tan(r), scaled to the resolution (÷ res-0 unit
 *      length, × √7 per resolution), the azimuth is measured from the face's
 *      Class II i-axis and turned by the aperture-7 angle on Class III
 *      (odd) resolutions;
 *   3. hex2d → ijk+ (round to the containing hexagon, fold the quadrants);
 *   4. walk up the aperture-7 hierarchy to resolution 0, one digit per level
 *      (ccw aperture on Class III levels, cw on Class II);
 *   5. look up the base cell and the rotation into its orientation, rotating the
 *      digits (pentagons skip the deleted k-axis sub-sequence).
 * The floating-point steps are written in the same order and with the same
 * constants as h3-js 4 (an asm.js build of H3 v4 that calls the same JS `Math`
 * functions), so the result is bit-for-bit identical; the test suite checks
 * that on 1,000,000 seeded points at every resolution, and `fastPathVerified()`
 * runs a smaller self-check before the library relies on it.
 *
 * The 64-bit index is produced as two unsigned 32-bit halves (hi, lo): no
 * BigInt, no string per point. `hiLoToString` renders the h3-js hex form.
 */
import { latLngToCell as h3LatLngToCell, getPentagons, cellToLatLng } from 'h3-js';
import { createRng } from '../core/rng.js';
import { FACE_AXIS_AZ0, FACE_CENTER_XYZ, FACE_IJK_BASE_CELLS, PENTAGON_CW_OFFSET_FACES } from './h3tables.js';
import { checkFinite, checkInt } from '../core/errors.js';
import { checkNumbers } from '../core/check.js';

const TWO_PI = 6.283185307179586;
/** H3 aperture-7 rotation between Class II and Class III axes (asin(√3/(2√7))). */
const AP7_ROT_RADS = 0.3334731722518321;
/** 1 / RES0_U_GNOMONIC (gnomonic length of a res-0 unit). */
const INV_RES0_U_GNOMONIC = 2.618033988749896;
const SQRT7 = 2.6457513110645907;
/** 1 / sin(60°). */
const INV_SIN60 = 1.1547005383792515;
const EPSILON = 1.0e-16;

// Per-face constants derived from the face centre exactly as H3 derives them
// for the azimuth (tangent-plane "north" vector and its cross products with the
// centre), precomputed once; identical operations give identical doubles.
const NF = 20;
const FACE_NX = new Float64Array(NF);
const FACE_NY = new Float64Array(NF);
const FACE_NZ = new Float64Array(NF);
const FACE_C1 = new Float64Array(NF);
const FACE_C2 = new Float64Array(NF);
const FACE_C3 = new Float64Array(NF);
for (let f = 0; f < NF; f++) {
  const B = FACE_CENTER_XYZ[f * 3]!, C = FACE_CENTER_XYZ[f * 3 + 1]!, A = FACE_CENTER_XYZ[f * 3 + 2]!;
  let E = -(A + (B * 0.0 + C * 0.0));
  let ni = B * E + 0.0;
  let nx = C * E + 0.0;
  E = A * E + 1.0;
  let z = Math.sqrt(E * E + (ni * ni + nx * nx));
  z = z > 0.0 ? 1.0 / z : 0.0;
  ni = ni * z;
  nx = nx * z;
  const nz = E * z;
  FACE_NX[f] = ni;
  FACE_NY[f] = nx;
  FACE_NZ[f] = nz;
  FACE_C1[f] = C * ni - B * nx;
  FACE_C2[f] = A * nx - C * nz;
  FACE_C3[f] = B * nz - A * ni;
}

const IS_PENTAGON = new Uint8Array(122);
const CW_A = new Int8Array(122).fill(-1);
const CW_B = new Int8Array(122).fill(-1);
for (const [bc, faces] of Object.entries(PENTAGON_CW_OFFSET_FACES)) {
  IS_PENTAGON[Number(bc)] = 1;
  CW_A[Number(bc)] = faces[0];
  CW_B[Number(bc)] = faces[1];
}

// Digit rotation tables (digits: 0 centre, 1 k, 2 j, 3 jk, 4 i, 5 ik, 6 ij, 7 invalid).
const ROT_CCW = new Uint8Array([0, 5, 3, 1, 6, 4, 2, 7]);
const ROT_CW = new Uint8Array([0, 3, 6, 2, 5, 1, 4, 7]);
/** ROT_CCW_N[n*8 + d]: digit d rotated n × 60° ccw. */
const ROT_CCW_N = new Uint8Array(48);
for (let n = 0; n < 6; n++) {
  for (let d = 0; d < 8; d++) {
    let x = d;
    for (let t = 0; t < n; t++) x = ROT_CCW[x]!;
    ROT_CCW_N[n * 8 + d] = x;
  }
}

/** Digit of an axial unit offset (da + 1)·3 + (db + 1): k=(−1,−1), jk=(−1,0), ik=(0,−1), j=(0,1), i=(1,0), ij=(1,1). */
const AXIAL_DIGIT = new Uint8Array([1, 3, 7, 5, 0, 2, 7, 4, 6]);

// Digit scratch (module-level so the hot path allocates nothing).
const D = new Uint8Array(16);

function leadingNonZero(res: number): number {
  for (let r = 1; r <= res; r++) if (D[r] !== 0) return D[r]!;
  return 0;
}

function rotateAll(res: number, table: Uint8Array): void {
  for (let r = 1; r <= res; r++) D[r] = table[D[r]!]!;
}

/** H3's pentagon rotation: rotate ccw, and once the first non-zero digit appears, skip the deleted k sub-sequence. */
function rotatePent60ccw(res: number): void {
  let found = false;
  for (let r = 1; r <= res; r++) {
    D[r] = ROT_CCW[D[r]!]!;
    if (!found && D[r] !== 0) {
      found = true;
      if (leadingNonZero(res) === 1) rotateAll(res, ROT_CCW);
    }
  }
}

/**
 * Output of {@link latLngToCellHiLo}: `HI_LO[0]` = upper 32 bits, `HI_LO[1]` = lower 32 bits.
 *
 * Internal: not exported from `hazetrace/grid` (tests and benches import src/grid/h3fast.ts). For example:
 * ```ts
 * import { HI_LO, hiLoToString, latLngToCellHiLo } from './h3fast.js';
 * latLngToCellHiLo(18.79, 98.98, 7);
 * hiLoToString(HI_LO[0]!, HI_LO[1]!); // the res-7 cell of Chiang Mai, as h3-js writes it
 * ```
 */
export const HI_LO = new Uint32Array(2);

// Per-face gnomonic axes for the fast projection: hx = S·(p·e1)/(p·c), hy = S·(p·e2)/(p·c).
// With n the tangent "north" at the face centre c and m = n × c, H3's azimuth is
// az = atan2(t·m, t·n) and theta = AZ0 − az, so cos θ = t·(cos AZ0 n + sin AZ0 m) and
// sin θ = t·(sin AZ0 n − cos AZ0 m); Class III turns both by −AP7_ROT_RADS.
const AX = new Float64Array(NF * 12); // per face: e1(II), e2(II), e1(III), e2(III)
for (let f = 0; f < NF; f++) {
  const cx = FACE_CENTER_XYZ[f * 3]!, cy = FACE_CENTER_XYZ[f * 3 + 1]!, cz = FACE_CENTER_XYZ[f * 3 + 2]!;
  const nx = FACE_NX[f]!, ny = FACE_NY[f]!, nz = FACE_NZ[f]!;
  const mx = ny * cz - nz * cy, my = nz * cx - nx * cz, mz = nx * cy - ny * cx; // m = n × c
  const ca = Math.cos(FACE_AXIS_AZ0[f]!), sa = Math.sin(FACE_AXIS_AZ0[f]!);
  const e1 = [ca * nx + sa * mx, ca * ny + sa * my, ca * nz + sa * mz];
  const e2 = [sa * nx - ca * mx, sa * ny - ca * my, sa * nz - ca * mz];
  const cr = Math.cos(AP7_ROT_RADS), sr = Math.sin(AP7_ROT_RADS);
  for (let q = 0; q < 3; q++) {
    AX[f * 12 + q] = e1[q]!;
    AX[f * 12 + 3 + q] = e2[q]!;
    AX[f * 12 + 6 + q] = cr * e1[q]! + sr * e2[q]!;
    AX[f * 12 + 9 + q] = cr * e2[q]! - sr * e1[q]!;
  }
}
const RES_SCALE = new Float64Array(16);
for (let r = 0, s = INV_RES0_U_GNOMONIC; r < 16; r++, s *= SQRT7) RES_SCALE[r] = s;

/** Counters of how often the certified fast projection had to defer to the exact replica (diagnostics). */
export const FAST_PATH_STATS = { exactFallbacks: 0 };

/**
 * Compute the H3 cell of one point into {@link HI_LO} (upper, lower 32 bits).
 * Returns false (and leaves HI_LO untouched) for non-finite input; latitude and
 * longitude outside ±90/±180 are computed as h3-js does (plain trigonometry).
 *
 * The face comes from the same unit vector and comparisons as H3. The face-plane
 * coordinates come from a cheap exact-in-exact-arithmetic gnomonic formula; when
 * the point lies within the formula's error bound of any rounding decision of the
 * hex2d → ijk step (or too close to the face centre, where H3's acos loses
 * precision), it is recomputed with a step-by-step replica of H3's own
 * floating-point sequence, so the result always equals H3's.
 *
 * Internal: not exported from `hazetrace/grid` (tests and benches import src/grid/h3fast.ts). For example:
 * ```ts
 * import { latLngToCellHiLo, HI_LO, hiLoToString } from './h3fast.js';
 * latLngToCellHiLo(18.79, 98.98, 9);
 * hiLoToString(HI_LO[0]!, HI_LO[1]!); // same as h3-js latLngToCell(18.79, 98.98, 9)
 * ```
 */
export function latLngToCellHiLo(latDeg: number, lngDeg: number, res: number): boolean {
  return cellHiLo(latDeg, lngDeg, res, false);
}

/**
 * The same cell as {@link latLngToCellHiLo}, always through the step-by-step
 * replica of H3's floating-point sequence (never the fast projection): slower,
 * kept so tests can check the replica itself on many points, not only on the
 * few that the fast path defers to it.
 *
 * Internal: not exported from `hazetrace/grid` (tests and benches import src/grid/h3fast.ts). For example:
 * ```ts
 * import { latLngToCellHiLoReplica, HI_LO } from './h3fast.js';
 * latLngToCellHiLoReplica(18.79, 98.98, 9); // HI_LO now holds the cell
 * ```
 */
export function latLngToCellHiLoReplica(latDeg: number, lngDeg: number, res: number): boolean {
  return cellHiLo(latDeg, lngDeg, res, true);
}

function cellHiLo(latDeg: number, lngDeg: number, res: number, replicaOnly: boolean): boolean {
  if (!Number.isFinite(latDeg) || !Number.isFinite(lngDeg)) return false;
  const lat = (latDeg * Math.PI) / 180;
  const lng = (lngDeg * Math.PI) / 180;
  const cl = Math.cos(lat);
  const px = cl * Math.cos(lng);
  const py = cl * Math.sin(lng);
  const pz = Math.sin(lat);

  // 1. nearest face centre (same arithmetic as H3, so the same face)
  let face = 0;
  let sqd = 5.0;
  for (let f = 0; f < NF; f++) {
    const dx = FACE_CENTER_XYZ[f * 3]! - px;
    const dy = FACE_CENTER_XYZ[f * 3 + 1]! - py;
    const dz = FACE_CENTER_XYZ[f * 3 + 2]! - pz;
    const d = dx * dx + dy * dy + dz * dz;
    if (d < sqd) { face = f; sqd = d; }
  }

  // 2. fast gnomonic coordinates with a certified error bound
  const o = face * 12 + (res & 1) * 6;
  const pc = px * FACE_CENTER_XYZ[face * 3]! + py * FACE_CENTER_XYZ[face * 3 + 1]! + pz * FACE_CENTER_XYZ[face * 3 + 2]!;
  const S = RES_SCALE[res]! / pc;
  let hx = (px * AX[o]! + py * AX[o + 1]! + pz * AX[o + 2]!) * S;
  let hy = (px * AX[o + 3]! + py * AX[o + 4]! + pz * AX[o + 5]!) * S;
  // Error bound (hex units) covering both this formula and H3's own rounding
  // (acos near 1 amplifies 1e-16 by 1/ρ): generous by ~100×.
  const bound = sqd > 1e-20 ? RES_SCALE[res]! * (1e-13 + 1e-14 / Math.sqrt(sqd)) : Infinity;
  if (replicaOnly || !certified(hx, hy, bound)) {
    if (!replicaOnly) FAST_PATH_STATS.exactFallbacks++;
    exactHex2d(px, py, pz, face, sqd, res);
    hx = HX_HY[0]!;
    hy = HX_HY[1]!;
  }
  hex2dToCell(face, hx, hy, res);
  return true;
}

/** True when every rounding decision of hex2d → ijk is at least `b` (scaled) away. */
function certified(hx: number, hy: number, b: number): boolean {
  const B = 4 * b;
  if (!(B < 0.01)) return false;
  if (Math.abs(hx) <= B || Math.abs(hy) <= B) return false;
  const a2 = Math.abs(hy) * INV_SIN60;
  const a1 = Math.abs(hx) + a2 * 0.5;
  const r1 = a1 - Math.floor(a1), r2 = a2 - Math.floor(a2);
  if (r1 <= B || r1 >= 1 - B || r2 <= B || r2 >= 1 - B) return false;
  if (Math.abs(r1 - 0.5) <= B || Math.abs(r1 - 1 / 3) <= B || Math.abs(r1 - 2 / 3) <= B) return false;
  if (Math.abs(r2 - (1 + r1) * 0.5) <= B || Math.abs(r2 - (1 - r1)) <= B || Math.abs(r2 - 2 * r1) <= B) return false;
  if (Math.abs(r2 - (2 * r1 - 1)) <= B || Math.abs(r2 - r1 * 0.5) <= B) return false;
  return true;
}

const HX_HY = new Float64Array(2);
const HEX_DIGITS = Uint16Array.from('0123456789abcdef', (c) => c.charCodeAt(0));


/** Replica of H3 v4's `_geoToHex2d` floating-point sequence (same constants, same order). */
function exactHex2d(px: number, py: number, pz: number, face: number, sqd: number, res: number): void {
  const r0 = Math.acos(1.0 - sqd * 0.5);
  if (r0 < EPSILON) {
    HX_HY[0] = 0.0;
    HX_HY[1] = 0.0;
    return;
  }
  const B = FACE_CENTER_XYZ[face * 3]!, C = FACE_CENTER_XYZ[face * 3 + 1]!, A = FACE_CENTER_XYZ[face * 3 + 2]!;
  const E = -(px * B + py * C + pz * A);
  let w = px + B * E;
  let f2 = py + C * E;
  const l2 = pz + A * E;
  let m = Math.sqrt(l2 * l2 + (w * w + f2 * f2));
  m = m > 0.0 ? 1.0 / m : 0.0;
  w = w * m;
  f2 = f2 * m;
  m = l2 * m;
  const ni = FACE_NX[face]!, nx = FACE_NY[face]!, nz = FACE_NZ[face]!;
  const az = Math.atan2(m * FACE_C1[face]! + (w * FACE_C2[face]! + f2 * FACE_C3[face]!), nz * m + (ni * w + nx * f2));
  let theta = posAngle(FACE_AXIS_AZ0[face]! - posAngle(az));
  if (res % 2 === 1) theta = posAngle(theta + -AP7_ROT_RADS);
  let r = Math.tan(r0) * INV_RES0_U_GNOMONIC;
  for (let i = 0; i < res; i++) r = r * SQRT7;
  HX_HY[0] = Math.cos(theta) * r;
  HX_HY[1] = Math.sin(theta) * r;
}

/** hex2d → ijk+ → aperture-7 digits → base cell and rotation → (hi, lo) in HI_LO. */
function hex2dToCell(face: number, hx: number, hy: number, res: number): void {
  // 3. hex2d → ijk+ (H3 `_hex2dToCoordIJK`)
  const a2 = Math.abs(hy) * INV_SIN60;
  const a1 = Math.abs(hx) + a2 * 0.5;
  const m1 = ~~a1, m2 = ~~a2;
  const r1 = a1 - m1, r2 = a2 - m2;
  let i: number, j: number;
  if (r1 < 0.5) {
    if (r1 < 1.0 / 3.0) {
      i = m1;
      j = r2 < (1.0 + r1) * 0.5 ? m2 : m2 + 1;
    } else {
      j = r2 < 1.0 - r1 ? m2 : m2 + 1;
      i = 1.0 - r1 <= r2 && r2 < 2.0 * r1 ? m1 + 1 : m1;
    }
  } else if (r1 < 2.0 / 3.0) {
    j = r2 < 1.0 - r1 ? m2 : m2 + 1;
    i = 2.0 * r1 - 1.0 < r2 && r2 < 1.0 - r1 ? m1 : m1 + 1;
  } else {
    i = m1 + 1;
    j = r2 < r1 * 0.5 ? m2 : m2 + 1;
  }
  if (hx < 0.0) {
    if ((j & 1) === 0) i = i - 2 * (i - ((j / 2) | 0));
    else i = i - (2 * (i - (((j + 1) / 2) | 0)) + 1);
  }
  if (hy < 0.0) {
    i = i - (((2 * j + 1) / 2) | 0);
    j = -j;
  }

  // 4. digits, finest first, in axial coordinates (a, b) = (i − k, j − k), which are
  // invariant under ijk+ normalisation, so H3's up/down apertures become linear maps:
  // parent = round(M·(a, b)/7), centre = M⁻¹-scaled parent, digit = cell − centre.
  // (3a − b)/7 etc. are never half-integers (7 is odd), so floor(x/7 + 0.5) equals C's lround.
  let a = i, b = j;
  for (let r = res; r >= 1; r--) {
    let pa: number, pb: number, ca: number, cb: number;
    if ((r & 1) === 1) {
      // Class III level: ccw aperture (H3 _upAp7 / _downAp7)
      pa = Math.floor((3 * a - b + 3.5) * 0.14285714285714285);
      pb = Math.floor((a + 2 * b + 3.5) * 0.14285714285714285);
      ca = 2 * pa + pb;
      cb = 3 * pb - pa;
    } else {
      // Class II level: cw aperture (H3 _upAp7r / _downAp7r)
      pa = Math.floor((2 * a + b + 3.5) * 0.14285714285714285);
      pb = Math.floor((3 * b - a + 3.5) * 0.14285714285714285);
      ca = 3 * pa - pb;
      cb = pa + 2 * pb;
    }
    const da = a - ca + 1, db = b - cb + 1;
    D[r] = da >= 0 && da <= 2 && db >= 0 && db <= 2 ? AXIAL_DIGIT[da * 3 + db]! : 7;
    a = pa;
    b = pb;
  }
  // back to normalised ijk+ for the base-cell lookup
  let k = 0;
  i = a;
  j = b;
  if (i < 0) { j -= i; k -= i; i = 0; }
  if (j < 0) { i -= j; k -= j; j = 0; }
  const t = i < j ? (i < k ? i : k) : (j < k ? j : k);
  if (t > 0) { i -= t; j -= t; k -= t; }
  if (i > 2 || j > 2 || k > 2) throw new Error('unreachable: base cell ijk out of range');

  // 5. base cell and orientation (i, j, k ≤ 2 always holds for points on the sphere)
  const ti = ((((face * 3 + i) * 3 + j) * 3 + k) * 2);
  const bc = FACE_IJK_BASE_CELLS[ti]!;
  const rot = FACE_IJK_BASE_CELLS[ti + 1]!;
  if (IS_PENTAGON[bc] === 1) {
    if (leadingNonZero(res) === 1) rotateAll(res, CW_A[bc] === face || CW_B[bc] === face ? ROT_CW : ROT_CCW);
    for (let n = 0; n < rot; n++) rotatePent60ccw(res);
  } else if (rot !== 0) {
    const ro = rot * 8;
    for (let r = 1; r <= res; r++) D[r] = ROT_CCW_N[ro + D[r]!]!;
  }

  // 6. pack: mode 1 (bit 59), res (52..55), base cell (45..51), 15 digits of 3 bits (unused = 7)
  let hi = 0x08000000 | (res << 20) | (bc << 13);
  let lo = 0;
  for (let r = 1; r <= 15; r++) {
    const d = r <= res ? D[r]! : 7;
    const shift = (15 - r) * 3; // bit position in the 64-bit index
    if (shift > 30) hi |= d << (shift - 32);
    else if (shift === 30) { hi |= d >>> 2; lo |= (d & 3) << 30; }
    else lo |= d << shift;
  }
  HI_LO[0] = hi >>> 0;
  HI_LO[1] = lo >>> 0;
}

function posAngle(a: number): number {
  const b = a < 0.0 ? a + TWO_PI : a;
  return a >= TWO_PI ? b - TWO_PI : b;
}

/**
 * Render a (hi, lo) H3 index as the h3-js hex string.
 *
 * @example
 * ```ts
 * import { hiLoToString } from 'hazetrace/grid';
 * hiLoToString(0x08001fff, 0xffffffff); // '8001fffffffffff' (base cell 0)
 * ```
 */
export function hiLoToString(hi: number, lo: number): string {
  if (typeof hi !== 'number' || typeof lo !== 'number') checkNumbers(['hi', 'lo'], [hi, lo]);
  hi >>>= 0;
  lo >>>= 0;
  // every H3 index has hi in [0x01000000, 0x10000000): 7 hex digits, then 8 for lo
  if (hi < 0x01000000 || hi >= 0x10000000) return hi.toString(16) + lo.toString(16).padStart(8, '0');
  // one flat string from 15 char codes: ~4× faster than Number#toString(16) + padStart
  const H = HEX_DIGITS;
  return String.fromCharCode(
    H[(hi >>> 24) & 15]!, H[(hi >>> 20) & 15]!, H[(hi >>> 16) & 15]!, H[(hi >>> 12) & 15]!, H[(hi >>> 8) & 15]!, H[(hi >>> 4) & 15]!, H[hi & 15]!,
    H[lo >>> 28]!, H[(lo >>> 24) & 15]!, H[(lo >>> 20) & 15]!, H[(lo >>> 16) & 15]!, H[(lo >>> 12) & 15]!, H[(lo >>> 8) & 15]!, H[(lo >>> 4) & 15]!, H[lo & 15]!,
  );
}

/**
 * Exact pure-TypeScript equivalent of h3-js `latLngToCell(lat, lng, res)` (hex string).
 * Falls back to h3-js when the self-check ({@link fastPathVerified}) failed.
 *
 * @example
 * ```ts
 * import { fastLatLngToCell } from 'hazetrace/grid';
 * fastLatLngToCell(18.79, 98.98, 7); // '87...' equal to h3-js
 * ```
 */
export function fastLatLngToCell(lat: number, lng: number, res: number): string {
  checkFinite('lat', lat);
  checkFinite('lng', lng);
  checkInt('res', res, 0, 15);
  if (!fastPathVerified() || !latLngToCellHiLo(lat, lng, res)) return h3LatLngToCell(lat, lng, res);
  return hiLoToString(HI_LO[0]!, HI_LO[1]!);
}

let verified: boolean | undefined;
let verifyReport = '';

/**
 * Self-check of the fast path against h3-js, run once per process on first use:
 * 3,000 seeded points over the globe, near every pentagon and near the poles and
 * the antimeridian, at every resolution 0–15. If any cell differs the library
 * uses h3-js everywhere instead (never a wrong cell); `fastPathStatus()` says why.
 *
 * @example
 * ```ts
 * import { fastPathVerified } from 'hazetrace/grid';
 * fastPathVerified(); // true on a correct build
 * ```
 */
export function fastPathVerified(): boolean {
  if (verified !== undefined) return verified;
  verified = false;
  const pts = verificationPoints(3000, 0x5eed);
  for (let n = 0; n < pts.length; n += 2) {
    const lat = pts[n]!, lng = pts[n + 1]!;
    for (let res = 0; res <= 15; res++) {
      const want = h3LatLngToCell(lat, lng, res);
      const ok = latLngToCellHiLo(lat, lng, res);
      const got = ok ? hiLoToString(HI_LO[0]!, HI_LO[1]!) : '';
      if (got !== want) {
        verifyReport = `fast latLngToCell disagreed with h3-js at lat=${lat}, lng=${lng}, res=${res}: ${got} vs ${want}; using h3-js`;
        return false;
      }
    }
  }
  verifyReport = `fast latLngToCell agreed with h3-js on ${pts.length / 2} points × 16 resolutions`;
  verified = true;
  return true;
}

/**
 * Why the fast path is (not) in use.
 *
 * Internal: not exported from `hazetrace/grid` (tests and benches import src/grid/h3fast.ts). For example:
 * ```ts
 * import { fastPathStatus } from './h3fast.js';
 * fastPathStatus(); // { verified: true, report: 'fast latLngToCell agreed with h3-js on 3000 points × 16 resolutions' }
 * ```
 */
export function fastPathStatus(): { verified: boolean; report: string } {
  const v = fastPathVerified();
  return { verified: v, report: verifyReport };
}

/**
 * Seeded test points as interleaved [lat, lng, ...]: a third uniform over the
 * sphere, a third within ~1° of the 12 pentagon centres, the rest near the poles
 * and the antimeridian (where face, azimuth and wrap-around cases concentrate).
 *
 * Internal: not exported from `hazetrace/grid` (tests and benches import src/grid/h3fast.ts). For example:
 * ```ts
 * import { verificationPoints } from './h3fast.js';
 * const pts = verificationPoints(1000, 42); // Float64Array [lat0, lng0, lat1, lng1, ...]
 * ```
 */
export function verificationPoints(count: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const out = new Float64Array(count * 2);
  const pent = getPentagons(0).map((c) => cellToLatLng(c));
  for (let n = 0; n < count; n++) {
    let lat: number, lng: number;
    const kind = n % 3;
    if (kind === 0) {
      lat = (Math.asin(2 * rng.next() - 1) * 180) / Math.PI;
      lng = rng.next() * 360 - 180;
    } else if (kind === 1) {
      const p = pent[rng.int(pent.length)]!;
      const s = rng.next() < 0.5 ? 1e-6 : 1;
      lat = Math.max(-90, Math.min(90, p[0] + (rng.next() * 2 - 1) * s));
      lng = p[1] + (rng.next() * 2 - 1) * s;
      if (lng > 180) lng -= 360;
      if (lng < -180) lng += 360;
    } else if (rng.next() < 0.5) {
      lat = (rng.next() < 0.5 ? -1 : 1) * (90 - rng.next() * rng.next() * 2);
      lng = rng.next() * 360 - 180;
    } else {
      lat = rng.next() * 170 - 85;
      lng = (rng.next() < 0.5 ? -1 : 1) * (180 - rng.next() * rng.next() * 1e-3);
    }
    out[n * 2] = lat;
    out[n * 2 + 1] = lng;
  }
  return out;
}
