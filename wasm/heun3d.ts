// AssemblyScript source of the WebAssembly Heun stepper for PressureLevelWindField (docs/wind-3d.md "Speed").
//
// The same arithmetic as PressureLevelWindField.heunSteps3d in src/wind/field3d.ts, operation for operation,
// so both give the same bits (test/wind/heun3d-kernel.test.ts compares them column by column); the two
// differ only in how the per-node time values are formed and summed: here the four slots of a node (u, v,
// w, level height) are read as one vector and interpolated two at a time (f64x2 lanes: each lane does the
// scalar code's own operations in the same order). The cosine of the steps is cosLatitude
// (src/wind/cos-latitude.ts), written here with the same operations; Math.cos beyond it, Math.log, Math.pow,
// Math.exp and wrapLng are the host's (imported), so they round as the JavaScript path does.
//
// Built by `npm run build:wasm` (scripts/build-wasm.mjs) into src/wind/heun3d-wasm.ts. Edit this file, then
// rebuild; test/wind/heun3d-kernel.test.ts checks the embedded bytes are this file's.

@external("env", "cos") declare function hostCos(x: f64): f64;
@external("env", "log") declare function hostLog(x: f64): f64;
@external("env", "pow") declare function hostPow(x: f64, y: f64): f64;
@external("env", "exp") declare function hostExp(x: f64): f64;
@external("env", "wrapLng") declare function hostWrapLng(x: f64): f64;

// --- the field (set once by init) ---
let nt: i32 = 0;
let nx: i32 = 0;
let ny: i32 = 0;
let nz: i32 = 0;
let west: f64 = 0;
let south: f64 = 0;
let invDLng: f64 = 0;
let invDLat: f64 = 0;
let invDt: f64 = 0;
let wrap: bool = false;
let isa: bool = false;
let maxTerrain: f64 = 0;
let minTop: f64 = 0;
let T: i32 = 0; // frame stride, elements
let LS: i32 = 0; // level stride, elements
// byte offsets in memory
let PACKED: usize = 0; // f32 or f64 [t][level][row][col][u v w h]
let TERRAIN: usize = 0; // f64 [row][col]
let TIMES: usize = 0; // f64 [nt]
let GAPS: usize = 0; // u8 [nt - 1], 0 = none
let LEVELS: usize = 0; // f64 [nz] Pa
let LNP: usize = 0; // f64 [nz] ln Pa
let MIXING: usize = 0; // f64 [t][row][col] mixing height m above ground; 0 = none
let hasW: bool = false; // the field has vertical motion (omega)
let POUT: usize = 0; // probe: f64 [7] sample, i32 kz at +56, i32 hint at +60
let TOPH: f64 = 0; // standard-atmosphere height of the top level (no level heights)
let OUT: usize = 0; // f64 [lng, lat, q, time, done], i32 kz at +40, i32 hint at +44
let X: usize = 0; // 16 × f64x2 per-node time values: [level 0..1][node 0..3][uv | wh]
// standard atmosphere (isaPressurePa's constants, from the host so they are the same bits)
let isaP0: f64 = 0;
let isaT0: f64 = 0;
let isaLapse: f64 = 0;
let isaExp: f64 = 0;
let isaTropo: f64 = 0;
let isaP11: f64 = 0;
let isaH11: f64 = 0;
// the time hint (uneven frames): the last frame found
let hint: i32 = 0;

export function init(
  nt_: i32, nx_: i32, ny_: i32, nz_: i32, west_: f64, south_: f64, invDLng_: f64, invDLat_: f64, invDt_: f64,
  wrap_: i32, isa_: i32, maxTerrain_: f64, minTop_: f64, topH_: f64,
  packed_: usize, terrain_: usize, times_: usize, gaps_: usize, levels_: usize, lnP_: usize, out_: usize, x_: usize,
): void {
  nt = nt_; nx = nx_; ny = ny_; nz = nz_;
  west = west_; south = south_; invDLng = invDLng_; invDLat = invDLat_; invDt = invDt_;
  wrap = wrap_ != 0; isa = isa_ != 0; maxTerrain = maxTerrain_; minTop = minTop_; TOPH = topH_;
  LS = nx_ * ny_ * 4; T = nz_ * LS;
  PACKED = packed_; TERRAIN = terrain_; TIMES = times_; GAPS = gaps_; LEVELS = levels_; LNP = lnP_; OUT = out_; X = x_;
}

export function initIsa(p0: f64, t0: f64, lapse: f64, exp_: f64, tropo: f64, p11: f64, h11: f64): void {
  isaP0 = p0; isaT0 = t0; isaLapse = lapse; isaExp = exp_; isaTropo = tropo; isaP11 = p11; isaH11 = h11;
}

export function initSamples(mixing_: usize, hasW_: i32, pout_: usize): void {
  MIXING = mixing_; hasW = hasW_ != 0; POUT = pout_;
}

@inline function times(i: i32): f64 { return load<f64>(TIMES + (<usize>i << 3)); }
@inline function levels(i: i32): f64 { return load<f64>(LEVELS + (<usize>i << 3)); }
@inline function lnP(i: i32): f64 { return load<f64>(LNP + (<usize>i << 3)); }
@inline function terrain(i: i32): f64 { return load<f64>(TERRAIN + (<usize>i << 3)); }
@inline function ld<E>(i: i32): f64 { return <f64>load<E>(PACKED + (<usize>i << alignof<E>())); }

function isaPressure(z: f64): f64 {
  if (z <= isaTropo) return isaP0 * hostPow(1 - (isaLapse * z) / isaT0, isaExp);
  return isaP11 * hostExp(-(z - isaTropo) / isaH11);
}

/** Standard-atmosphere height of a pressure (isaHeightM). */
function isaHeight(p: f64): f64 {
  if (p >= isaP11) return (isaT0 / isaLapse) * (1 - hostPow(p / isaP0, 1 / isaExp));
  return isaTropo + isaH11 * hostLog(isaP11 / p);
}

// cosLatitude (src/wind/cos-latitude.ts): fdlibm's kernel polynomials, the same operations in the same order
const C1: f64 = 4.16666666666666019037e-2;
const C2: f64 = -1.38888888888741095749e-3;
const C3: f64 = 2.48015872894767294178e-5;
const C4: f64 = -2.75573143513906633035e-7;
const C5: f64 = 2.08757232129817482790e-9;
const C6: f64 = -1.13596475577881948265e-11;
const S1: f64 = -1.66666666666666324348e-1;
const S2: f64 = 8.33333333332248946124e-3;
const S3: f64 = -1.98412698298579493134e-4;
const S4: f64 = 2.75573137070700676789e-6;
const S5: f64 = -2.50507602534068634195e-8;
const S6: f64 = 1.58969099521155010221e-10;
const PIO2_HI: f64 = 1.57079632673412561417;
const PIO2_LO: f64 = 6.07710050650619224932e-11;
const PIO4: f64 = 0.7853981633974483;
const PIO2_NEAR: f64 = 1.5707963;

@inline function cosLatitude(x: f64): f64 {
  const a = Math.abs(x);
  if (a <= PIO4) {
    const z = x * x;
    const w = z * z;
    const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    const hz = 0.5 * z;
    const u = 1 - hz;
    return u + ((1 - u - hz) + z * r);
  }
  if (a <= PIO2_NEAR) {
    const d = PIO2_HI - a;
    const y = d + PIO2_LO;
    const t = PIO2_LO - (y - d);
    const z = y * y;
    const w = z * z;
    const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    const v = z * y;
    return y - ((z * (0.5 * t - v * r) - t) - v * S1);
  }
  return hostCos(x);
}

/** First index in [lo, hi) whose time is above t (core/stats upperBound). */
function upperBound(t: f64, from: i32, to: i32): i32 {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = times(mid);
    if (x < t || x == t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// time of the last locate: frame kt and weight ft (module state, as the JavaScript locals)
let gKt: i32 = 0;
let gFt: f64 = 0;

/** Frame and weight of time t into gKt, gFt: 0, or 2 (outside the frames) / 3 (inside a gap). */
@inline function locateTime(t: f64): i32 {
  let kt = 0;
  let ft: f64 = 0;
  if (nt > 1) {
    if (!(t >= times(0) && t <= times(nt - 1))) return 2;
    if (invDt > 0) {
      ft = (t - times(0)) * invDt;
      kt = <i32>Math.floor(ft);
      if (kt > nt - 2) kt = nt - 2;
      ft -= <f64>kt;
    } else {
      kt = hint;
      if (!(t >= times(kt) && t <= times(kt + 1))) {
        kt = upperBound(t, 1, nt - 1) - 1;
        hint = kt;
      }
      ft = (t - times(kt)) / (times(kt + 1) - times(kt));
    }
    if (ft >= 1) {
      kt++;
      ft = 0;
    }
    if (ft > 0 && GAPS != 0 && load<u8>(GAPS + <usize>kt) == 1) return 3;
  } else if (t != t) return 2;
  gKt = kt;
  gFt = ft;
  return 0;
}

// place of the last locate: cells and bilinear weights
let gC00: i32 = 0;
let gC10: i32 = 0;
let gW00: f64 = 0;
let gW10: f64 = 0;
let gW01: f64 = 0;
let gW11: f64 = 0;

/** Cell and weights of a place into gC00, gC10, gW..: 0, or 1 (outside the grid). */
@inline function locatePlace(lng: f64, lat: f64): i32 {
  let d = lng - west;
  if (d < 0 || d >= 360) d -= 360 * Math.floor(d / 360);
  let x = d * invDLng;
  const y = (lat - south) * invDLat;
  if (!(y >= 0 && y <= <f64>(ny - 1))) return 1;
  let i0: i32;
  let i1: i32;
  if (wrap) {
    if (!(x >= 0)) return 1;
    if (x >= <f64>nx) x -= <f64>nx;
    i0 = <i32>Math.floor(x);
    i1 = i0 + 1 == nx ? 0 : i0 + 1;
  } else {
    if (!(x <= <f64>(nx - 1))) return 1;
    i0 = <i32>Math.floor(x);
    if (i0 == nx - 1) i0 = nx - 2;
    i1 = i0 + 1;
  }
  const fx = x - <f64>i0;
  let j0 = <i32>Math.floor(y);
  if (j0 == ny - 1) j0 = ny - 2;
  const fy = y - <f64>j0;
  gW00 = (1 - fx) * (1 - fy);
  gW10 = fx * (1 - fy);
  gW01 = (1 - fx) * fy;
  gW11 = fx * fy;
  gC00 = j0 * nx + i0;
  gC10 = j0 * nx + i1;
  return 0;
}

/** Terrain at a place (groundAt): NaN outside the grid. */
@inline function groundAt(lng: f64, lat: f64): f64 {
  if (locatePlace(lng, lat) != 0) return NaN;
  const c00 = gC00;
  const c10 = gC10;
  // groundAt's own weights, (1 − fx)·(1 − fy) etc. written out, are the locate weights: the same products
  return gW00 * terrain(c00) + gW10 * terrain(c10) + gW01 * terrain(c00 + nx) + gW11 * terrain(c10 + nx);
}

/** Time-then-bilinear value of slot offset o at the four nodes (ip8). */
@inline function ip8<E>(o: i32, n00: i32, n10: i32, n01: i32, n11: i32, w00: f64, w10: f64, w01: f64, w11: f64, ft: f64): f64 {
  const t = ft > 0 ? o + T : o;
  const a00 = ld<E>(n00 + o);
  const a10 = ld<E>(n10 + o);
  const a01 = ld<E>(n01 + o);
  const a11 = ld<E>(n11 + o);
  return w00 * (a00 + ft * (ld<E>(n00 + t) - a00)) + w10 * (a10 + ft * (ld<E>(n10 + t) - a10)) + w01 * (a01 + ft * (ld<E>(n01 + t) - a01)) + w11 * (a11 + ft * (ld<E>(n11 + t) - a11));
}

/** Height of the top level at a place and time (columnAt's out[1]); NaN where it cannot be located. */
function topAt<E>(lng: f64, lat: f64, t: f64): f64 {
  if (locateTime(t) != 0) return NaN;
  if (locatePlace(lng, lat) != 0) return NaN;
  if (isa) return TOPH;
  const kt = gKt;
  const n00 = kt * T + gC00 * 4;
  const n10 = kt * T + gC10 * 4;
  return ip8<E>((nz - 1) * LS + 3, n00, n10, n00 + nx * 4, n10 + nx * 4, gW00, gW10, gW01, gW11, gFt);
}

/** Per-node time values of the four slots of one node-level (element index i) into two f64x2 at dst. */
@inline function fillNode<E>(dst: usize, i: i32, Tf: i32, F: v128): void {
  let alo: v128;
  let ahi: v128;
  let blo: v128;
  let bhi: v128;
  if (sizeof<E>() == 4) {
    const a = v128.load(PACKED + (<usize>i << 2));
    const b = v128.load(PACKED + (<usize>(i + Tf) << 2));
    alo = f64x2.promote_low_f32x4(a);
    ahi = f64x2.promote_low_f32x4(i32x4.shuffle(a, a, 2, 3, 0, 1));
    blo = f64x2.promote_low_f32x4(b);
    bhi = f64x2.promote_low_f32x4(i32x4.shuffle(b, b, 2, 3, 0, 1));
  } else {
    const pa = PACKED + (<usize>i << 3);
    const pb = PACKED + (<usize>(i + Tf) << 3);
    alo = v128.load(pa);
    ahi = v128.load(pa, 16);
    blo = v128.load(pb);
    bhi = v128.load(pb, 16);
  }
  v128.store(dst, f64x2.add(alo, f64x2.mul(F, f64x2.sub(blo, alo))));
  v128.store(dst, f64x2.add(ahi, f64x2.mul(F, f64x2.sub(bhi, ahi))), 16);
}

/** fillNodes: both levels (offset o and o + LS) at the four nodes. */
@inline function fill<E>(o: i32, n00: i32, n10: i32, n01: i32, n11: i32, ft: f64, Tf: i32): void {
  const F = f64x2.splat(ft);
  fillNode<E>(X, n00 + o, Tf, F);
  fillNode<E>(X + 32, n10 + o, Tf, F);
  fillNode<E>(X + 64, n01 + o, Tf, F);
  fillNode<E>(X + 96, n11 + o, Tf, F);
  const o1 = o + LS;
  fillNode<E>(X + 128, n00 + o1, Tf, F);
  fillNode<E>(X + 160, n10 + o1, Tf, F);
  fillNode<E>(X + 192, n01 + o1, Tf, F);
  fillNode<E>(X + 224, n11 + o1, Tf, F);
}

/** Bilinear sum of the filled pair at byte offset off (0: uv of level kz, 16: wh; +128: level kz+1), in the scalar order. */
@inline function bil(off: usize, W00: v128, W10: v128, W01: v128, W11: v128): v128 {
  const p = X + off;
  return f64x2.add(f64x2.add(f64x2.add(f64x2.mul(W00, v128.load(p)), f64x2.mul(W10, v128.load(p, 32))), f64x2.mul(W01, v128.load(p, 64))), f64x2.mul(W11, v128.load(p, 96)));
}

/**
 * `steps` Heun steps (PressureLevelWindField.heunSteps3d): results to OUT (lng, lat, q, time, steps done; kz and
 * the time hint as i32 at +40, +44); returns 0 or the failing status. `hit` 1: the first predictor's wind is
 * (cU, cV, cW).
 */
function heun<E>(lng: f64, lat: f64, q: f64, time: f64, dt: f64, R: f64, steps: i32, vmode: i32, reflect: i32, hit_: i32, cU: f64, cV: f64, cW: f64, kzIn: i32, hintIn: i32): i32 {
  const rad = 0.017453292519943295;
  const kdeg = (dt / R) * 57.29577951308232;
  hint = hintIn;
  let kz = kzIn;
  let px = lng;
  let py = lat;
  let pq = q;
  let pt = time;
  let r1x: f64 = 0;
  let r1y: f64 = 0;
  let r1z: f64 = 0;
  let done: i32 = 0;
  let st: i32 = 0;
  let lastP: f64 = NaN;
  let lastF: f64 = 0;
  let ko: i32 = -1;
  let k00: i32 = -1;
  let k10: i32 = -1;
  let kft: f64 = -1;
  let hit = hit_ != 0;
  let pass = 0;
  while (done < steps) {
    let uu: f64;
    let vv: f64;
    let ww: f64 = 0;
    if (hit) {
      hit = false;
      uu = cU;
      vv = cV;
      ww = cW;
    } else {
      st = locateTime(pt);
      if (st != 0) break;
      const kt = gKt;
      const ft = gFt;
      st = locatePlace(px, py);
      if (st != 0) break;
      const w00 = gW00;
      const w10 = gW10;
      const w01 = gW01;
      const w11 = gW11;
      const c00 = gC00;
      const c10 = gC10;
      const n00 = kt * T + c00 * 4;
      const n10 = kt * T + c10 * 4;
      const n01 = n00 + nx * 4;
      const n11 = n10 + nx * 4;
      const Tf = ft > 0 ? T : 0;
      const W00 = f64x2.splat(w00);
      const W10 = f64x2.splat(w10);
      const W01 = f64x2.splat(w01);
      const W11 = f64x2.splat(w11);
      let fz: f64 = 0;
      if (vmode == 2) {
        if (pq != lastP) {
          if (!(pq > 0)) {
            st = 3;
            break;
          }
          if (pq < levels(nz - 1)) {
            st = 5;
            break;
          }
          if (kz > nz - 2) kz = nz - 2;
          while (kz > 0 && pq > levels(kz)) kz--;
          while (kz < nz - 2 && pq <= levels(kz + 1)) kz++;
          const f = (hostLog(pq) - lnP(kz)) / (lnP(kz + 1) - lnP(kz));
          lastF = f < 0 ? 0 : f;
          lastP = pq;
        }
        fz = lastF;
      } else {
        let z = pq;
        if (vmode == 1) z += w00 * terrain(c00) + w10 * terrain(c10) + w01 * terrain(c00 + nx) + w11 * terrain(c10 + nx);
        if (!(z == z)) {
          st = 3;
          break;
        }
        if (kz > nz - 2) kz = nz - 2;
        if (isa) {
          const p = isaPressure(z);
          if (p < levels(nz - 1)) {
            st = 5;
            break;
          }
          if (p >= levels(0)) {
            kz = 0;
            fz = 0;
          } else {
            while (kz > 0 && p > levels(kz)) kz--;
            while (kz < nz - 2 && p <= levels(kz + 1)) kz++;
            fz = (hostLog(p) - lnP(kz)) / (lnP(kz + 1) - lnP(kz));
          }
        } else {
          const o = kz * LS;
          if (o != ko || n00 != k00 || n10 != k10 || ft != kft) {
            fill<E>(o, n00, n10, n01, n11, ft, Tf);
            ko = o;
            k00 = n00;
            k10 = n10;
            kft = ft;
          }
          let h0 = f64x2.extract_lane(bil(16, W00, W10, W01, W11), 1);
          let h1 = f64x2.extract_lane(bil(144, W00, W10, W01, W11), 1);
          if ((kz > 0 && z < h0) || (kz < nz - 2 && z > h1)) {
            while (kz > 0 && z < h0) {
              kz--;
              h1 = h0;
              h0 = ip8<E>(kz * LS + 3, n00, n10, n01, n11, w00, w10, w01, w11, ft);
            }
            while (kz < nz - 2 && z > h1) {
              kz++;
              h0 = h1;
              h1 = ip8<E>(kz * LS + LS + 3, n00, n10, n01, n11, w00, w10, w01, w11, ft);
            }
          }
          if (!(h0 == h0 && h1 == h1)) {
            st = 3;
            break;
          }
          if (z > h1) {
            st = 5;
            break;
          }
          fz = (z - h0) / (h1 - h0);
          if (fz < 0) fz = 0;
        }
      }
      const o = kz * LS;
      if (o != ko || n00 != k00 || n10 != k10 || ft != kft) {
        fill<E>(o, n00, n10, n01, n11, ft, Tf);
        ko = o;
        k00 = n00;
        k10 = n10;
        kft = ft;
      }
      const uv0 = bil(0, W00, W10, W01, W11);
      uu = f64x2.extract_lane(uv0, 0);
      vv = f64x2.extract_lane(uv0, 1);
      if (fz != 0) {
        const uv1 = bil(128, W00, W10, W01, W11);
        uu += fz * (f64x2.extract_lane(uv1, 0) - uu);
        vv += fz * (f64x2.extract_lane(uv1, 1) - vv);
      }
      if (vmode == 0) {
        ww = f64x2.extract_lane(bil(16, W00, W10, W01, W11), 0);
        if (fz != 0) ww += fz * (f64x2.extract_lane(bil(144, W00, W10, W01, W11), 0) - ww);
      }
    }
    if (uu != uu || vv != vv || ww != ww) {
      st = 3;
      break;
    }
    if (pass == 0) {
      // predictor
      r1x = uu / cosLatitude(py * rad);
      r1y = vv;
      r1z = ww;
      px = lng + r1x * kdeg;
      py = lat + r1y * kdeg;
      pq = q + r1z * dt;
      pt = time + dt * 1000;
      pass = 1;
      continue;
    }
    pass = 0;
    // corrector
    let nl = lng + 0.5 * (r1x + uu / cosLatitude(py * rad)) * kdeg;
    const na = lat + 0.5 * (r1y + vv) * kdeg;
    let nq = q + 0.5 * (r1z + ww) * dt;
    if (nl < -180 || nl >= 180) nl = hostWrapLng(nl);
    if (vmode == 0) {
      if (nq < maxTerrain) {
        const g = groundAt(nl, na);
        if (nq < g) nq = reflect != 0 ? 2 * g - nq : g;
      }
      if (nq > minTop && nq > topAt<E>(nl, na, pt)) {
        st = 5;
        break;
      }
    }
    lng = nl;
    lat = na;
    q = nq;
    time = pt;
    done++;
    if (!(lat > -89 && lat < 89)) {
      st = 1;
      break;
    }
    px = lng;
    py = lat;
    pq = q;
  }
  store<f64>(OUT, lng);
  store<f64>(OUT, lat, 8);
  store<f64>(OUT, q, 16);
  store<f64>(OUT, time, 24);
  store<f64>(OUT, <f64>done, 32);
  store<i32>(OUT, kz, 40);
  store<i32>(OUT, hint, 44);
  return st;
}

export function heun32(lng: f64, lat: f64, q: f64, time: f64, dt: f64, R: f64, steps: i32, vmode: i32, reflect: i32, hit: i32, cU: f64, cV: f64, cW: f64, kz: i32, hintIn: i32): i32 {
  return heun<f32>(lng, lat, q, time, dt, R, steps, vmode, reflect, hit, cU, cV, cW, kz, hintIn);
}

export function heun64(lng: f64, lat: f64, q: f64, time: f64, dt: f64, R: f64, steps: i32, vmode: i32, reflect: i32, hit: i32, cU: f64, cV: f64, cW: f64, kz: i32, hintIn: i32): i32 {
  return heun<f64>(lng, lat, q, time, dt, R, steps, vmode, reflect, hit, cU, cV, cW, kz, hintIn);
}

// --- one sample (PressureLevelWindField's probe3) ---

let gKzOut: i32 = 0;

/**
 * The 3-D sample of probe3 (vmode and q as windAt; task 1: u, v, w; 2: [u, v, w, pressure, terrain, height
 * above ground]; 3: as 2 plus the mixing height) into POUT; the level hint after it and the time hint as i32
 * at +56, +60. Returns 0 or a status.
 */
function probe<E>(lng: f64, lat: f64, q: f64, time: f64, vmode: i32, task: i32, kzIn: i32, hintIn: i32): i32 {
  hint = hintIn;
  gKzOut = kzIn;
  const st = probeAt<E>(lng, lat, q, time, vmode, task, kzIn);
  store<i32>(POUT, gKzOut, 56);
  store<i32>(POUT, hint, 60);
  return st;
}

function probeAt<E>(lng: f64, lat: f64, q: f64, time: f64, vmode: i32, task: i32, kzIn: i32): i32 {
  const diag = task >= 2;
  let st = locateTime(time);
  if (st != 0) return st;
  const kt = gKt;
  const ft = gFt;
  st = locatePlace(lng, lat);
  if (st != 0) return st;
  const w00 = gW00;
  const w10 = gW10;
  const w01 = gW01;
  const w11 = gW11;
  const c00 = gC00;
  const c10 = gC10;
  const n00 = kt * T + c00 * 4;
  const n10 = kt * T + c10 * 4;
  const n01 = n00 + nx * 4;
  const n11 = n10 + nx * 4;
  const g: f64 = vmode == 1 || diag ? w00 * terrain(c00) + w10 * terrain(c10) + w01 * terrain(c00 + nx) + w11 * terrain(c10 + nx) : 0;
  // --- vertical, when known before the reads: a pressure (isobaric) or a standard-atmosphere height ---
  let kz = kzIn;
  if (kz > nz - 2) kz = nz - 2;
  let fz: f64 = 0;
  let f: f64 = 0;
  let z: f64 = NaN;
  let p: f64 = NaN;
  if (vmode == 2) {
    if (!(q > 0)) return 3;
    if (q < levels(nz - 1)) return 5;
    while (kz > 0 && q > levels(kz)) kz--;
    while (kz < nz - 2 && q <= levels(kz + 1)) kz++;
    f = (hostLog(q) - lnP(kz)) / (lnP(kz + 1) - lnP(kz));
    fz = f < 0 ? 0 : f;
    p = q;
  } else {
    z = vmode == 1 ? q + g : q;
    if (!(z == z)) return 3;
    if (isa) {
      p = isaPressure(z);
      if (p < levels(nz - 1)) return 5;
      if (p >= levels(0)) kz = 0;
      else {
        while (kz > 0 && p > levels(kz)) kz--;
        while (kz < nz - 2 && p <= levels(kz + 1)) kz++;
        fz = f = (hostLog(p) - lnP(kz)) / (lnP(kz + 1) - lnP(kz));
      }
    }
  }
  // --- every slot of levels kz and kz+1 ---
  const Tf = ft > 0 ? T : 0;
  const W00 = f64x2.splat(w00);
  const W10 = f64x2.splat(w10);
  const W01 = f64x2.splat(w01);
  const W11 = f64x2.splat(w11);
  fill<E>(kz * LS, n00, n10, n01, n11, ft, Tf);
  let uv0 = bil(0, W00, W10, W01, W11);
  let wh0 = bil(16, W00, W10, W01, W11);
  let uv1 = bil(128, W00, W10, W01, W11);
  let wh1 = bil(144, W00, W10, W01, W11);
  if (vmode != 2 && !isa) {
    // place z between the level heights of this column; a bracket that moved is found level by level
    let h0 = f64x2.extract_lane(wh0, 1);
    let h1 = f64x2.extract_lane(wh1, 1);
    if ((kz > 0 && z < h0) || (kz < nz - 2 && z > h1)) {
      while (kz > 0 && z < h0) {
        kz--;
        h1 = h0;
        h0 = ip8<E>(kz * LS + 3, n00, n10, n01, n11, w00, w10, w01, w11, ft);
      }
      while (kz < nz - 2 && z > h1) {
        kz++;
        h0 = h1;
        h1 = ip8<E>(kz * LS + LS + 3, n00, n10, n01, n11, w00, w10, w01, w11, ft);
      }
      fill<E>(kz * LS, n00, n10, n01, n11, ft, Tf);
      uv0 = bil(0, W00, W10, W01, W11);
      wh0 = bil(16, W00, W10, W01, W11);
      uv1 = bil(128, W00, W10, W01, W11);
      wh1 = bil(144, W00, W10, W01, W11);
    }
    if (!(h0 == h0 && h1 == h1)) return 3;
    if (z > h1) return 5;
    f = (z - h0) / (h1 - h0);
    fz = f < 0 ? 0 : f;
  }
  gKzOut = kz;
  // --- u, v (w: read in data mode and for diagnostics of a field with vertical motion, else NaN) ---
  let uu = f64x2.extract_lane(uv0, 0);
  let vv = f64x2.extract_lane(uv0, 1);
  let ww: f64 = vmode == 0 || (diag && hasW) ? f64x2.extract_lane(wh0, 0) : NaN;
  if (fz != 0) {
    uu += fz * (f64x2.extract_lane(uv1, 0) - uu);
    vv += fz * (f64x2.extract_lane(uv1, 1) - vv);
    ww += fz * (f64x2.extract_lane(wh1, 0) - ww);
  }
  if (!diag) {
    if (vmode != 0) ww = 0;
    if (uu != uu || vv != vv || ww != ww) return 3;
    store<f64>(POUT, uu);
    store<f64>(POUT, vv, 8);
    store<f64>(POUT, ww, 16);
    return 0;
  }
  if (uu != uu || vv != vv) return 3;
  let hz = z;
  if (vmode == 2) {
    const a3 = f64x2.extract_lane(wh0, 1);
    hz = isa ? isaHeight(p) : a3 + f * (f64x2.extract_lane(wh1, 1) - a3);
  } else if (!isa) p = hostExp(lnP(kz) + f * (lnP(kz + 1) - lnP(kz)));
  store<f64>(POUT, uu);
  store<f64>(POUT, vv, 8);
  store<f64>(POUT, hasW ? ww : NaN, 16);
  store<f64>(POUT, p, 24);
  store<f64>(POUT, g, 32);
  store<f64>(POUT, hz - g, 40);
  if (task == 3) {
    let mh: f64 = NaN;
    if (MIXING != 0) {
      // ip8 on the [t][row][col] mixing height: frame stride ny·nx
      const fr = nx * ny;
      const f0 = kt * fr;
      const m00 = f0 + c00;
      const m10 = f0 + c10;
      const m01 = m00 + nx;
      const m11 = m10 + nx;
      const t = ft > 0 ? fr : 0;
      const a00 = mix(m00);
      const a10 = mix(m10);
      const a01 = mix(m01);
      const a11 = mix(m11);
      mh = w00 * (a00 + ft * (mix(m00 + t) - a00)) + w10 * (a10 + ft * (mix(m10 + t) - a10)) + w01 * (a01 + ft * (mix(m01 + t) - a01)) + w11 * (a11 + ft * (mix(m11 + t) - a11));
    }
    store<f64>(POUT, mh, 48);
  }
  return 0;
}

@inline function mix(i: i32): f64 { return load<f64>(MIXING + (<usize>i << 3)); }

export function probe32(lng: f64, lat: f64, q: f64, time: f64, vmode: i32, task: i32, kz: i32, hintIn: i32): i32 {
  return probe<f32>(lng, lat, q, time, vmode, task, kz, hintIn);
}

export function probe64(lng: f64, lat: f64, q: f64, time: f64, vmode: i32, task: i32, kz: i32, hintIn: i32): i32 {
  return probe<f64>(lng, lat, q, time, vmode, task, kz, hintIn);
}

/** cosLatitude itself, for the test that compares it with the JavaScript one bit for bit. */
export function cosLat(x: f64): f64 {
  return cosLatitude(x);
}

// --- one output segment of the tracer: the point's sample, then the Heun steps from it ---

/**
 * PressureLevelWindField.sampleThenSteps3d: probe (task 3) at the start into POUT, then `steps` Heun steps from
 * it into OUT, the first predictor taking the sample's wind when the sample succeeded (as the tracer's record then
 * heunSteps3d do). Returns the sample's status | the steps' status << 8; hints at OUT +40, +44.
 */
function segment<E>(lng: f64, lat: f64, q: f64, time: f64, dt: f64, R: f64, steps: i32, vmode: i32, reflect: i32, kzIn: i32, hintIn: i32): i32 {
  hint = hintIn;
  gKzOut = kzIn;
  const ps = probeAt<E>(lng, lat, q, time, vmode, 3, kzIn);
  const hit = ps == 0 ? 1 : 0;
  const cU = load<f64>(POUT);
  const cV = load<f64>(POUT, 8);
  const cW: f64 = vmode == 0 ? load<f64>(POUT, 16) : 0;
  const st = heun<E>(lng, lat, q, time, dt, R, steps, vmode, reflect, hit, cU, cV, cW, gKzOut, hint);
  return ps | (st << 8);
}

export function segment32(lng: f64, lat: f64, q: f64, time: f64, dt: f64, R: f64, steps: i32, vmode: i32, reflect: i32, kz: i32, hintIn: i32): i32 {
  return segment<f32>(lng, lat, q, time, dt, R, steps, vmode, reflect, kz, hintIn);
}

export function segment64(lng: f64, lat: f64, q: f64, time: f64, dt: f64, R: f64, steps: i32, vmode: i32, reflect: i32, kz: i32, hintIn: i32): i32 {
  return segment<f64>(lng, lat, q, time, dt, R, steps, vmode, reflect, kz, hintIn);
}
