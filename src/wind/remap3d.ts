/**
 * HYSPLIT-style vertical remap for 3-D trajectories (docs/wind-3d.md "Speed"): the wind of a
 * {@link PressureLevelWindField} interpolated once, at every grid node and frame, onto a constant height above
 * ground, so a parcel that keeps that height (`agl` vertical motion) reads a 2-D field: no level heights, no
 * level search per sample. HYSPLIT remaps its input onto terrain-following levels the same way (vertical first,
 * at the nodes, then horizontal at the parcel); the exact path of trace3d.ts interpolates horizontally first, so
 * the two differ by the interpolation order (measured in docs/wind-3d.md).
 */
import { framesCovering, griddedWind } from './fields.js';
import type { GriddedWindField } from './fields.js';
import { isaPressurePa } from './field3d.js';
import type { PressureLevelWindField } from './field3d.js';

/** Remapped fields kept per 3-D field (the last few heights and frame ranges), so repeated calls reuse them. */
const KEEP = 4;
const cache = new WeakMap<PressureLevelWindField, Map<string, RemappedWind>>();

/** A remap: the 2-D field and whether any node of it lies above the top level (there it holds the top level's wind). */
export interface RemappedWind {
  field: GriddedWindField;
  aboveTop: boolean;
}

/**
 * u, v of `f` at `heightAgl` m above ground at every node of frames k0..k1 (inclusive), as a 2-D gridded field
 * over those frames (same grid, times and maximum interpolated gap). At each node and frame: the level pair
 * around height AMSL z = heightAgl + terrain (the node's level heights, or the standard atmosphere's pressure
 * without heights), weight fz (linear in height; in ln p without heights; 0 below the lowest level), u = u_k +
 * fz (u_k+1 − u_k). Where the data are missing: NaN (a trajectory reaching it stops). Above the top level: the
 * top level's wind, and `aboveTop` is set (the tracer then checks the exact field for the top after each segment).
 * Kept per field for the last {@link KEEP} (height, frames) pairs. Internal (trace3d.ts's `remap` option).
 */
export function remapToHeightAgl(f: PressureLevelWindField, heightAgl: number, k0: number, k1: number): RemappedWind {
  const key = `${heightAgl}:${k0}:${k1}`;
  let m = cache.get(f);
  const hit = m?.get(key);
  if (hit !== undefined) return hit;
  const nx = f.nx;
  const ny = f.ny;
  const nz = f.levels.length;
  const frame = nx * ny;
  const nf = k1 - k0 + 1;
  const U = f.u;
  const Vv = f.v;
  const H = f.height;
  const terrain = f.terrain;
  const levels = f.levels;
  const lnP = Float64Array.from(levels, Math.log);
  const u = new Float64Array(nf * frame);
  const v = new Float64Array(nf * frame);
  let aboveTop = false;
  for (let t = 0; t < nf; t++) {
    const tb = (k0 + t) * nz * frame;
    let kz = 0;
    for (let c = 0; c < frame; c++) {
      const z = heightAgl + terrain[c]!;
      let fz = 0;
      let ok = z === z;
      if (ok && H === null) {
        const p = isaPressurePa(z);
        if (p < levels[nz - 1]!) {
          kz = nz - 2;
          fz = 1;
          aboveTop = true;
        } else if (p >= levels[0]!) kz = 0;
        else {
          if (kz > nz - 2) kz = nz - 2;
          while (kz > 0 && p > levels[kz]!) kz--;
          while (kz < nz - 2 && p <= levels[kz + 1]!) kz++;
          fz = (Math.log(p) - lnP[kz]!) / (lnP[kz + 1]! - lnP[kz]!);
        }
      } else if (ok && H !== null) {
        if (kz > nz - 2) kz = nz - 2;
        let h0 = H[tb + kz * frame + c]!;
        let h1 = H[tb + (kz + 1) * frame + c]!;
        while (kz > 0 && z < h0) {
          kz--;
          h1 = h0;
          h0 = H[tb + kz * frame + c]!;
        }
        while (kz < nz - 2 && z > h1) {
          kz++;
          h0 = h1;
          h1 = H[tb + (kz + 1) * frame + c]!;
        }
        if (!(h0 === h0 && h1 === h1)) ok = false;
        else if (z > h1) {
          fz = 1;
          aboveTop = true;
        } else {
          fz = (z - h0) / (h1 - h0);
          if (fz < 0) fz = 0;
        }
      }
      const o = t * frame + c;
      if (!ok) {
        kz = 0;
        u[o] = NaN;
        v[o] = NaN;
        continue;
      }
      const a = tb + kz * frame + c;
      let uu = U[a]!;
      let vv = Vv[a]!;
      if (fz !== 0) {
        uu += fz * (U[a + frame]! - uu);
        vv += fz * (Vv[a + frame]! - vv);
      }
      u[o] = uu;
      v[o] = vv;
    }
  }
  const field = griddedWind({
    west: f.west,
    south: f.south,
    dLng: f.dLng,
    dLat: f.dLat,
    nx,
    ny,
    times: f.times.subarray(k0, k1 + 1),
    u,
    v,
    wrapLng: f.wrapLng,
    maxGapHours: f.maxGapHours,
  });
  if (m === undefined) {
    m = new Map();
    cache.set(f, m);
  }
  if (m.size >= KEEP) m.delete(m.keys().next().value!);
  const g = { field, aboveTop };
  m.set(key, g);
  return g;
}

/** Frames k0..k1 of `times` (ascending, UTC ms) that cover [tLo, tHi] (at least two when there are two). */
export function frameRange(times: Float64Array, tLo: number, tHi: number): [number, number] {
  const nt = times.length;
  let [k0, k1] = framesCovering(times, tLo, tHi);
  if (k1 === k0 && nt > 1) {
    if (k1 + 1 < nt) k1++;
    else k0--;
  }
  return [k0, k1];
}
