/**
 * Forward Lagrangian particle dispersion with source tagging. Each particle is
 * an equal mass of PM2.5 released by one source in proportion to its emission;
 * it is advected by the TRUE wind with HYSPLIT's predictor–corrector (Heun)
 * step (Draxler & Hess 1998), spread by a seeded random walk with a constant
 * horizontal eddy diffusivity K (displacement sd √(2KΔt) per axis, the
 * Langevin limit of Fickian diffusion), and loses mass by first-order decay
 * `m ← m·exp(−Δt/τ)`. Concentration at a monitor is the particle mass inside a
 * receptor disc, well mixed through the mixing height: `C = Σm / (πr²·H)`,
 * averaged over the sub-steps of each hour. Because every particle remembers
 * its source, the true contribution of every source at every monitor-hour is
 * known exactly — the truth a twin experiment scores attribution against.
 * With a `mixing` config section (./mixing.ts) a particle is released only while the mixed layer above its source
 * reaches the transport layer (else its mass is booked `notLiftedKg`), and rain removes mass as
 * m ← m·exp(−Λ·P·Δt) (`rainedOutKg`).
 */
import { HazetraceError, HOUR_MS, KM_PER_DEG, TRAJECTORY_EARTH_RADIUS_M, WIND_OK, createRng } from '../core/index.js';
import type { WindField } from '../core/index.js';
import type { Scenario } from './scenario.js';
import { emissionInHour } from './scenario.js';
import { offsetKm } from './geo.js';
import { sampleMixing } from './mixing.js';
import { checkOptions, checkShape } from '../core/check.js';
import { checkScenario } from './check.js';

const DEG = 180 / Math.PI;

/** Where the emitted mass went. `emittedKg = airborneKg + decayedKg + exportedKg + retiredKg` (the last three are "lost"). */
export interface MassBalance {
  emittedKg: number;
  /** Still in the air, inside the domain, at the end of the run. */
  airborneKg: number;
  /** Removed by first-order loss (deposition, chemistry). */
  decayedKg: number;
  /** Carried out of the domain (or out of the wind's time span). */
  exportedKg: number;
  /** Mass of particles retired at `maxAgeHours`. */
  retiredKg: number;
  /** Mixing scenarios only (src/sim/mixing.ts): smoke emitted while the mixed layer did not reach the transport layer. */
  notLiftedKg?: number;
  /** Mixing scenarios only: mass washed out by rain. */
  rainedOutKg?: number;
  /** |emitted − (airborne + decayed + exported + retired)| / emitted (0 when nothing was emitted). */
  relativeError: number;
}

/** Output of {@link runDispersion}. */
export interface DispersionResult {
  /** Monitor ids, in scenario order. */
  monitors: string[];
  /** Hour starts, UTC ms; the value for hour `h` is the mean over `(times[h], times[h] + 1 h]`. */
  times: Float64Array;
  /** Source-attributable PM2.5 (no background, no noise), µg/m³, index `monitor * hours + hour`. */
  conc: Float64Array;
  /** Per monitor-hour the true contribution of each source, µg/m³ (`Map` source index → value; undefined when none). */
  contributions: (Map<number, number> | undefined)[];
  /** Mass each source emitted, kg (what its particles carried). */
  emittedBySourceKg: Float64Array;
  /** Mass of one particle, kg. */
  particleMassKg: number;
  particlesReleased: number;
  massBalance: MassBalance;
  toJSON(): Record<string, unknown>;
}

/** Options of {@link runDispersion}; defaults come from the scenario's `dispersion` config. */
export interface DispersionOptions {
  /** Override the particle count target (e.g. small runs in tests). */
  particlesPerHour?: number;
  /** Seed salt for the random walk (default: the scenario seed). */
  seed?: number;
}

/**
 * Run the forward model over the scenario's whole time span.
 *
 * @example
 * ```ts
 * import { buildScenario, runDispersion } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const sc = buildScenario({ hours: 24 });
 * const res = runDispersion(sc, griddedWind(sc.wind), { particlesPerHour: 500 });
 * res.massBalance.relativeError < 1e-9; // true
 * ```
 */
export function runDispersion(sc: Scenario, wind: WindField, options: DispersionOptions = {}): DispersionResult {
  checkScenario('sc', sc);
  checkShape('wind', wind, { sample: 'function' });
  checkOptions('options', options);
  const cfg = sc.config;
  const D = cfg.dispersion;
  const S = Math.round(60 / D.stepMinutes);
  if (Math.abs(S * D.stepMinutes - 60) > 1e-9) {
    throw new HazetraceError('E_ARG', `config.dispersion.stepMinutes must divide 60, got ${D.stepMinutes}`, { argument: 'stepMinutes', value: D.stepMinutes });
  }
  const dt = D.stepMinutes * 60; // s
  const dtMs = dt * 1000;
  const hours = cfg.hours;
  const src = sc.sources;
  const nm = sc.monitors.length;
  const rng = createRng(options.seed ?? cfg.seed).fork(303);
  const pph = options.particlesPerHour ?? D.particlesPerHour;

  // Emission per source-hour; the particle mass makes the mean release rate `pph` particles per hour.
  const emis = new Float64Array(src.length * hours);
  let total = 0;
  for (let h = 0; h < hours; h++) {
    const t0 = cfg.startMs + h * HOUR_MS;
    for (let i = 0; i < src.length; i++) {
      const e = emissionInHour(src, i, t0, cfg.utcOffset);
      emis[h * src.length + i] = e;
      total += e;
    }
  }
  const m0 = total > 0 ? total / (pph * hours) : 1;

  // Particle state (grown on demand, compacted every hour).
  let cap = 1024;
  let pLng = new Float64Array(cap), pLat = new Float64Array(cap), pMass = new Float64Array(cap), pAge = new Float64Array(cap);
  let pSrc = new Int32Array(cap);
  let np = 0;
  const grow = (need: number): void => {
    if (need <= cap) return;
    while (cap < need) cap *= 2;
    const g = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a.subarray(0, np));
      return b;
    };
    pLng = g(pLng, (n) => new Float64Array(n)); pLat = g(pLat, (n) => new Float64Array(n));
    pMass = g(pMass, (n) => new Float64Array(n)); pAge = g(pAge, (n) => new Float64Array(n));
    pSrc = g(pSrc, (n) => new Int32Array(n));
  };

  // Receptor lookup: 0.1° cells -> monitors whose disc can reach the cell.
  const [west, south, east, north] = cfg.domain;
  const cell = 0.1;
  const gx = Math.ceil((east - west) / cell), gy = Math.ceil((north - south) / cell);
  const rKm = D.receptorRadiusKm;
  const r2 = rKm * rKm;
  const lookup: number[][] = Array.from({ length: gx * gy }, () => []);
  for (let m = 0; m < nm; m++) {
    const mo = sc.monitors[m]!;
    const cos = Math.cos((mo.lat * Math.PI) / 180);
    const reachX = rKm / (KM_PER_DEG * cos) + cell, reachY = rKm / KM_PER_DEG + cell;
    for (let j = Math.max(0, Math.floor((mo.lat - reachY - south) / cell)); j <= Math.min(gy - 1, Math.floor((mo.lat + reachY - south) / cell)); j++) {
      for (let i = Math.max(0, Math.floor((mo.lng - reachX - west) / cell)); i <= Math.min(gx - 1, Math.floor((mo.lng + reachX - west) / cell)); i++) {
        lookup[j * gx + i]!.push(m);
      }
    }
  }
  const monLng = Float64Array.from(sc.monitors, (m) => m.lng);
  const monLat = Float64Array.from(sc.monitors, (m) => m.lat);
  const monCos = Float64Array.from(sc.monitors, (m) => Math.cos((m.lat * Math.PI) / 180));

  const conc = new Float64Array(nm * hours);
  const contributions: (Map<number, number> | undefined)[] = new Array(nm * hours).fill(undefined);
  const emittedBySourceKg = new Float64Array(src.length);
  let emittedKg = 0, decayedKg = 0, exportedKg = 0, retiredKg = 0;
  let released = 0;
  const decay = Math.exp(-dt / (D.lifetimeHours * 3600));
  const walk = Math.sqrt(2 * D.diffusivityM2s * dt); // m, sd per axis
  const maxAgeS = D.maxAgeHours * 3600;
  const R = TRAJECTORY_EARTH_RADIUS_M;
  const w1 = new Float64Array(2), w2 = new Float64Array(2);
  const [hDay, hNight] = D.mixingHeightM;
  const [rise, fall] = D.mixingDayLocalHours;
  const area = Math.PI * rKm * rKm * 1e6; // m²
  // Release buffers: for each sub-step, particles (source, lng, lat) released at its start.
  const relSrc: number[][] = Array.from({ length: S }, () => []);
  const relLng: number[][] = Array.from({ length: S }, () => []);
  const relLat: number[][] = Array.from({ length: S }, () => []);
  // Mixing scenarios (src/sim/mixing.ts): lift into the transport layer only under a deep enough mixed layer; rain-out.
  const mix = sc.mixing && cfg.mixing ? sc.mixing : null;
  const zT = cfg.mixing?.transportHeightM ?? 0;
  const lambdaMix = cfg.mixing?.scavengingPerMm ?? 0;
  let notLiftedKg = 0, rainedOutKg = 0;
  const rainy = new Uint8Array(mix ? mix.times.length : 0);
  if (mix) {
    const plane = mix.nx * mix.ny;
    for (let t = 0; t < rainy.length; t++) {
      for (let q = t * plane; q < (t + 1) * plane; q++) if (mix.precipitation[q]! > 0) { rainy[t] = 1; break; }
    }
  }
  const rainAt = (lng: number, lat: number, t: number): number => {
    if (!mix) return 0;
    const f = (t - mix.times[0]!) / HOUR_MS;
    const k = Math.max(0, Math.min(rainy.length - 1, Math.floor(f)));
    if (!rainy[k] && !rainy[Math.min(rainy.length - 1, k + 1)]) return 0;
    return sampleMixing(mix, 'precipitation', lng, lat, t);
  };

  for (let h = 0; h < hours; h++) {
    const t0 = cfg.startMs + h * HOUR_MS;
    for (let k = 0; k < S; k++) { relSrc[k]!.length = 0; relLng[k]!.length = 0; relLat[k]!.length = 0; }
    for (let i = 0; i < src.length; i++) {
      const e = emis[h * src.length + i]!;
      if (e <= 0) continue;
      // Stochastic rounding keeps the expected particle mass equal to the emission, with equal-mass particles.
      const n = Math.floor(e / m0 + rng.next());
      if (n === 0) continue;
      emittedBySourceKg[i]! += n * m0;
      const rad = src.radiusKm[i]!;
      for (let q = 0; q < n; q++) {
        let k: number;
        if (src.kind[i] === 'fire') {
          // Fires release only while burning within this hour.
          const a = Math.max(src.start[i]!, t0), b = Math.min(src.end[i]!, t0 + HOUR_MS);
          k = Math.min(S - 1, Math.floor((a + rng.next() * (b - a) - t0) / dtMs));
        } else k = rng.int(S);
        let lng = src.lng[i]!, lat = src.lat[i]!;
        if (rad > 0) {
          const rr = rad * Math.sqrt(rng.next());
          const th = 2 * Math.PI * rng.next();
          [lng, lat] = offsetKm(lng, lat, rr * Math.sin(th), rr * Math.cos(th));
        }
        relSrc[k]!.push(i); relLng[k]!.push(lng); relLat[k]!.push(lat);
      }
    }
    for (let k = 0; k < S; k++) {
      const ts = t0 + k * dtMs;
      // Release.
      const ks = relSrc[k]!;
      grow(np + ks.length);
      for (let q = 0; q < ks.length; q++) {
        if (mix && sampleMixing(mix, 'mixingHeight', relLng[k]![q]!, relLat[k]![q]!, ts) < zT) {
          notLiftedKg += m0;
          continue;
        }
        pLng[np] = relLng[k]![q]!; pLat[np] = relLat[k]![q]!; pMass[np] = m0; pAge[np] = 0; pSrc[np] = ks[q]!;
        np++;
      }
      released += ks.length;
      emittedKg += ks.length * m0;
      // Advance: Heun predictor–corrector, then random walk, decay, age.
      const te = ts + dtMs;
      const lh = ((((te / HOUR_MS + cfg.utcOffset / 60) % 24) + 24) % 24);
      const H = (rise <= fall ? lh >= rise && lh < fall : lh >= rise || lh < fall) ? hDay : hNight;
      const toUg = 1e9 / (area * H) / S; // kg in the disc -> µg/m³, averaged over S samples
      let w = 0;
      for (let p = 0; p < np; p++) {
        let lng = pLng[p]!, lat = pLat[p]!, mass = pMass[p]!;
        let gone = false;
        if (wind.sample(lng, lat, ts, w1) !== WIND_OK) gone = true;
        else {
          const cos1 = Math.cos(lat / DEG);
          const lng1 = lng + ((w1[0]! * dt) / (R * cos1)) * DEG;
          const lat1 = lat + ((w1[1]! * dt) / R) * DEG;
          if (wind.sample(lng1, lat1, te, w2) !== WIND_OK) gone = true;
          else {
            const uu = 0.5 * (w1[0]! + w2[0]!), vv = 0.5 * (w1[1]! + w2[1]!);
            lat += (((vv * dt) / R) + (walk * rng.normal()) / R) * DEG;
            lng += (((uu * dt) + walk * rng.normal()) / (R * Math.cos(lat / DEG))) * DEG;
          }
        }
        if (gone || !(lng >= west && lng <= east && lat >= south && lat <= north)) {
          exportedKg += mass;
          continue;
        }
        const nm2 = mass * decay;
        decayedKg += mass - nm2;
        mass = nm2;
        if (mix && lambdaMix > 0) {
          const P = rainAt(lng, lat, te);
          if (P > 0) {
            const nm3 = mass * Math.exp(-lambdaMix * P * (dt / 3600));
            rainedOutKg += mass - nm3;
            mass = nm3;
          }
        }
        const age = pAge[p]! + dt;
        if (age > maxAgeS) {
          retiredKg += mass;
          continue;
        }
        // Receptor sampling at the end of the sub-step.
        const ci = Math.floor((lng - west) / cell), cj = Math.floor((lat - south) / cell);
        if (ci >= 0 && ci < gx && cj >= 0 && cj < gy) {
          const list = lookup[cj * gx + ci]!;
          for (let q = 0; q < list.length; q++) {
            const m = list[q]!;
            const dx = (lng - monLng[m]!) * KM_PER_DEG * monCos[m]!;
            const dy = (lat - monLat[m]!) * KM_PER_DEG;
            if (dx * dx + dy * dy > r2) continue;
            const c = mass * toUg;
            const idx = m * hours + h;
            conc[idx]! += c;
            let map = contributions[idx];
            if (map === undefined) contributions[idx] = map = new Map();
            const s = pSrc[p]!;
            map.set(s, (map.get(s) ?? 0) + c);
          }
        }
        pLng[w] = lng; pLat[w] = lat; pMass[w] = mass; pAge[w] = age; pSrc[w] = pSrc[p]!;
        w++;
      }
      np = w;
    }
  }
  let airborneKg = 0;
  for (let p = 0; p < np; p++) airborneKg += pMass[p]!;
  const accounted = airborneKg + decayedKg + exportedKg + retiredKg + notLiftedKg + rainedOutKg;
  const massBalance: MassBalance = {
    emittedKg, airborneKg, decayedKg, exportedKg, retiredKg, ...(mix ? { notLiftedKg, rainedOutKg } : {}),
    relativeError: emittedKg > 0 ? Math.abs(emittedKg - accounted) / emittedKg : 0,
  };
  const times = Float64Array.from({ length: hours }, (_, h) => cfg.startMs + h * HOUR_MS);
  const monitors = sc.monitors.map((m) => m.id);
  return {
    monitors, times, conc, contributions, emittedBySourceKg, particleMassKg: m0, particlesReleased: released, massBalance,
    toJSON() {
      const contrib: Record<string, [number, number][]> = {};
      contributions.forEach((map, idx) => {
        if (map) contrib[`${monitors[Math.floor(idx / hours)]}@${Math.floor(idx % hours)}`] = [...map.entries()];
      });
      return {
        monitors, times: Array.from(times), conc: Array.from(conc), emittedBySourceKg: Array.from(emittedBySourceKg),
        particleMassKg: m0, particlesReleased: released, massBalance, contributions: contrib,
      };
    },
  };
}
