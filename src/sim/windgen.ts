/**
 * Synthetic time-varying gridded wind for twin experiments: a synoptic flow
 * that turns (steady veer + slow swing), a diurnal speed cycle, a meridional
 * speed shear and seeded Gaussian eddies drifting with the flow; plus the
 * "reanalysis-like" perturbation attribution sees (bias and spatially and
 * temporally correlated random errors in speed and direction).
 *
 * Arrays use src/wind's gridded layout: `[t][row][col]`, row 0 southernmost,
 * index `(t*ny + row)*nx + col`, so `griddedWind(arrays)` reads them directly.
 */
import { createRng, HOUR_MS, KM_PER_DEG, uvToWind, windToUV } from '../core/index.js';
import type { Rng } from '../core/index.js';
import type { GriddedWindArrays } from '../wind/index.js';
import type { ResolvedScenarioConfig } from './config.js';
import { checkShape } from '../core/check.js';
import { checkFinite } from '../core/errors.js';
import { checkWindArrays } from './check.js';

/** Gridded wind arrays (the options object of `griddedWind`), always Float64, hourly frames. */
export interface WindArrays extends GriddedWindArrays {
  u: Float64Array;
  v: Float64Array;
}

/** Synoptic direction (FROM, degrees) and base speed at `hours` after the start. */
function synoptic(cfg: ResolvedScenarioConfig, hours: number): [number, number] {
  const w = cfg.wind;
  const dir = w.directionFrom + (w.turnDegPerDay * hours) / 24 + w.swingDeg * Math.sin((2 * Math.PI * hours) / w.swingPeriodHours);
  const localHour = ((((cfg.startMs / HOUR_MS + hours + cfg.utcOffset / 60) % 24) + 24) % 24);
  const speed = w.speed + w.diurnalSpeed * Math.cos((2 * Math.PI * (localHour - w.diurnalPeakLocalHour)) / 24);
  return [dir, speed];
}

interface Eddy {
  lng0: number;
  lat0: number;
  /** Drift, degrees per hour. */
  dLngH: number;
  dLatH: number;
  born: number;
  sign: number;
}

/**
 * Generate the TRUE wind of a scenario (hourly frames covering the run, grid nodes every `wind.gridDeg`).
 *
 * @example
 * ```ts
 * import { resolveScenarioConfig, generateWind } from 'hazetrace/sim';
 * const w = generateWind(resolveScenarioConfig({ hours: 24 }));
 * w.times.length; // 25 hourly frames
 * ```
 */
export function generateWind(cfg: ResolvedScenarioConfig): WindArrays {
  checkShape('cfg', cfg, { domain: 'array', wind: 'object', seed: 'number', startMs: 'number', hours: 'number' });
  const [west, south, east, north] = cfg.domain;
  const g = cfg.wind.gridDeg;
  const nx = Math.max(2, Math.round((east - west) / g) + 1);
  const ny = Math.max(2, Math.round((north - south) / g) + 1);
  const nt = cfg.hours + 1;
  const times = new Float64Array(nt);
  for (let t = 0; t < nt; t++) times[t] = cfg.startMs + t * HOUR_MS;
  const rng = createRng(cfg.seed).fork(101);
  const E = cfg.wind.eddies;
  const eddies: Eddy[] = [];
  for (let k = 0; k < E.count; k++) {
    const born = -E.lifetimeHours / 2 + rng.next() * (cfg.hours + E.lifetimeHours / 2);
    const lng0 = west + rng.next() * (east - west);
    const lat0 = south + rng.next() * (north - south);
    // Eddies drift with the synoptic flow at their birth (a frozen-turbulence idealisation).
    const [dir, sp] = synoptic(cfg, Math.max(0, born));
    const [uu, vv] = windToUV(Math.max(0, sp), dir);
    const kmH = 3.6;
    eddies.push({
      lng0, lat0, born,
      dLngH: (uu * kmH) / (KM_PER_DEG * Math.cos((lat0 * Math.PI) / 180)),
      dLatH: (vv * kmH) / KM_PER_DEG,
      sign: rng.next() < 0.5 ? -1 : 1,
    });
  }
  const u = new Float64Array(nx * ny * nt);
  const v = new Float64Array(nx * ny * nt);
  const latMid = (south + north) / 2;
  const R = E.radiusKm;
  for (let t = 0; t < nt; t++) {
    const [dir, sp0] = synoptic(cfg, t);
    // Active eddies at this hour with their envelope (sin ramp up and down over the lifetime).
    const act: [number, number, number][] = [];
    for (const e of eddies) {
      const age = t - e.born;
      if (age < 0 || age > E.lifetimeHours) continue;
      act.push([e.lng0 + e.dLngH * age, e.lat0 + e.dLatH * age, e.sign * E.speed * Math.sin((Math.PI * age) / E.lifetimeHours)]);
    }
    for (let row = 0; row < ny; row++) {
      const lat = south + row * g;
      const sp = Math.max(0, sp0 + cfg.wind.shearPerDeg * (lat - latMid));
      const [us, vs] = windToUV(sp, dir);
      const cosLat = Math.cos((lat * Math.PI) / 180);
      for (let col = 0; col < nx; col++) {
        const lng = west + col * g;
        let uu = us;
        let vv = vs;
        for (const [elng, elat, amp] of act) {
          // Gaussian vortex: tangential speed amp·(r/R)·exp(½(1 − r²/R²)), largest (= amp) at r = R; non-divergent.
          const dx = (lng - elng) * KM_PER_DEG * cosLat;
          const dy = (lat - elat) * KM_PER_DEG;
          const r2 = (dx * dx + dy * dy) / (R * R);
          if (r2 > 25) continue;
          const f = (amp / R) * Math.exp(0.5 * (1 - r2));
          uu += -f * dy;
          vv += f * dx;
        }
        const i = (t * ny + row) * nx + col;
        u[i] = uu;
        v[i] = vv;
      }
    }
  }
  return { west, south, dLng: g, dLat: g, nx, ny, times, u, v };
}

/** AR(1) error fields on a coarse grid, bilinearly interpolated onto the wind grid; one per hour. */
function correlatedErrors(w: WindArrays, rng: Rng, sd: number, tauHours: number, corrDeg: number): Float64Array {
  const cx = Math.max(2, Math.ceil(((w.nx - 1) * w.dLng) / corrDeg) + 1);
  const cy = Math.max(2, Math.ceil(((w.ny - 1) * w.dLat) / corrDeg) + 1);
  const nt = w.times.length;
  const rho = Math.exp(-1 / tauHours);
  const innov = Math.sqrt(1 - rho * rho);
  const coarse = new Float64Array(cx * cy);
  for (let k = 0; k < coarse.length; k++) coarse[k] = sd * rng.normal();
  const out = new Float64Array(w.nx * w.ny * nt);
  const sx = (cx - 1) / Math.max(1, w.nx - 1);
  const sy = (cy - 1) / Math.max(1, w.ny - 1);
  for (let t = 0; t < nt; t++) {
    if (t > 0) for (let k = 0; k < coarse.length; k++) coarse[k] = rho * coarse[k]! + innov * sd * rng.normal();
    for (let row = 0; row < w.ny; row++) {
      const fy = row * sy;
      const j = Math.min(cy - 2, Math.floor(fy));
      const ty = fy - j;
      for (let col = 0; col < w.nx; col++) {
        const fx = col * sx;
        const i = Math.min(cx - 2, Math.floor(fx));
        const tx = fx - i;
        const a = coarse[j * cx + i]!, b = coarse[j * cx + i + 1]!, c = coarse[(j + 1) * cx + i]!, d = coarse[(j + 1) * cx + i + 1]!;
        out[(t * w.ny + row) * w.nx + col] = (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * d);
      }
    }
  }
  return out;
}

/**
 * The wind attribution sees: the true wind with a speed bias and correlated random errors in speed
 * (m/s) and direction (degrees), as reanalysis departs from the real flow. Zero errors return a copy.
 *
 * @example
 * ```ts
 * import { resolveScenarioConfig, generateWind, perturbWind } from 'hazetrace/sim';
 * const cfg = resolveScenarioConfig({ hours: 24 });
 * const seen = perturbWind(generateWind(cfg), cfg.observation, 7);
 * ```
 */
export function perturbWind(
  w: WindArrays,
  obs: { windSpeedBias: number; windSpeedErrorSd: number; windDirErrorSd: number; windErrorHours: number; windErrorDeg: number },
  seed: number,
): WindArrays {
  checkWindArrays('w', w);
  checkShape('obs', obs, { windSpeedBias: 'number', windSpeedErrorSd: 'number', windDirErrorSd: 'number', windErrorHours: 'number', windErrorDeg: 'number' });
  checkFinite('seed', seed);
  const rng = createRng(seed).fork(202);
  const es = correlatedErrors(w, rng.fork(1), obs.windSpeedErrorSd, obs.windErrorHours, obs.windErrorDeg);
  const ed = correlatedErrors(w, rng.fork(2), obs.windDirErrorSd, obs.windErrorHours, obs.windErrorDeg);
  const u = new Float64Array(w.u.length);
  const v = new Float64Array(w.v.length);
  for (let i = 0; i < u.length; i++) {
    const [s, d] = uvToWind(w.u[i]!, w.v[i]!);
    const [uu, vv] = windToUV(Math.max(0, s + obs.windSpeedBias + es[i]!), d + ed[i]!);
    u[i] = uu;
    v[i] = vv;
  }
  return { ...w, times: w.times.slice(), u, v };
}
