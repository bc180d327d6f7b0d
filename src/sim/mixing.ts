/**
 * Mixed layer and rain for twin experiments (the `mixing` section of a scenario config).
 *
 * Truth fields, on the wind's grid and hourly frames (`[t][row][col]`, row 0 southernmost):
 * - mixing height h(x, t), m above ground: a diurnal cycle — `heightM[0]` at night, growing as sin² from the local
 *   `rise` hour to `heightM[1]` at the `peak` hour, then falling as cos² to the night value at the `collapse` hour —
 *   times a steady, smooth log-normal spatial factor (log-sd `spatialLogSd`, drawn on a 1.5° coarse grid);
 * - precipitation P(x, t), mm/h: Poisson rain events (`rainEventsPerDay`), each a Gaussian cell of radius
 *   `rainRadiusKm` whose centre drifts with the synoptic wind at its birth, peaking at `rainPeakMmH` with a sin²
 *   ramp over `rainHours`.
 *
 * How the forward model (./dispersion.ts) uses them: the smoke layer that reaches the monitors is the transport
 * layer at `transportHeightM` above ground. A particle released while h(source, t) < `transportHeightM` is not
 * lifted into it (its mass is booked as `notLiftedKg`); a transported particle loses mass to rain as
 * m ← m·exp(−Λ·P(x, t)·Δt) (Λ = `scavengingPerMm`, booked as `rainedOutKg`). Attribution sees perturbed fields
 * ({@link perturbMixing}) and traces 3-D back-trajectories at `transportHeightM` through a pressure-level field
 * built from the (perturbed) wind on four levels plus these surface fields ({@link mixingWindField}).
 */
import { createRng, HOUR_MS, KM_PER_DEG } from '../core/index.js';
import type { LngLatGrid, Rng } from '../core/index.js';
import type { TrajectorySet3D } from '../wind/trace3d.js';
import { traceTrajectories3d } from '../wind/trace3d.js';
import type { TraceStart3D } from '../wind/trace3d.js';
import { pressureLevelWind } from '../wind/field3d.js';
import type { PressureLevelWindField } from '../wind/field3d.js';
import { concatTrajectorySets } from '../wind/index.js';
import type { Episode } from '../attribution/index.js';
import type { ResolvedScenarioConfig } from './config.js';
import type { WindArrays } from './windgen.js';
import { checkShape, checkOptions, checkOneOf } from '../core/check.js';
import { argError, checkFinite, checkPositive } from '../core/errors.js';
import { checkWindArrays } from './check.js';

/** Mixing-height and precipitation fields on a wind grid (layout `[t][row][col]`, `(t*ny + row)*nx + col`). */
export interface MixingFields extends LngLatGrid {
  /** Frame times, UTC ms (the wind's). */
  times: Float64Array;
  /** Mixing height, m above ground. */
  mixingHeight: Float64Array;
  /** Precipitation rate, mm/h. */
  precipitation: Float64Array;
}

/** Diurnal mixing height at a local hour (no spatial factor), m. */
function diurnal(lh: number, night: number, peak: number, rise: number, top: number, collapse: number): number {
  if (lh <= rise || lh >= collapse) return night;
  const s = lh <= top ? Math.sin(((Math.PI / 2) * (lh - rise)) / (top - rise)) : Math.cos(((Math.PI / 2) * (lh - top)) / (collapse - top));
  return night + (peak - night) * s * s;
}

/** A smooth field on the grid: N(0, sd) on a coarse grid every `corrDeg`, bilinear in between. */
function coarseField(nx: number, ny: number, dLng: number, dLat: number, rng: Rng, sd: number, corrDeg: number): Float64Array {
  const cx = Math.max(2, Math.ceil(((nx - 1) * dLng) / corrDeg) + 1);
  const cy = Math.max(2, Math.ceil(((ny - 1) * dLat) / corrDeg) + 1);
  const coarse = Float64Array.from({ length: cx * cy }, () => sd * rng.normal());
  return interpCoarse(coarse, cx, cy, nx, ny);
}

function interpCoarse(coarse: Float64Array, cx: number, cy: number, nx: number, ny: number, out = new Float64Array(nx * ny)): Float64Array {
  const sx = (cx - 1) / Math.max(1, nx - 1), sy = (cy - 1) / Math.max(1, ny - 1);
  for (let row = 0; row < ny; row++) {
    const fy = row * sy;
    const j = Math.min(cy - 2, Math.floor(fy));
    const ty = fy - j;
    for (let col = 0; col < nx; col++) {
      const fx = col * sx;
      const i = Math.min(cx - 2, Math.floor(fx));
      const tx = fx - i;
      const a = coarse[j * cx + i]!, b = coarse[j * cx + i + 1]!, c = coarse[(j + 1) * cx + i]!, d = coarse[(j + 1) * cx + i + 1]!;
      out[row * nx + col] = (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * d);
    }
  }
  return out;
}

/**
 * The TRUE mixing-height and precipitation fields of a scenario with a `mixing` section (null without one), on the
 * grid and frames of its wind. Seeded from the scenario seed (its own random stream: the rest of the scenario is the
 * same with or without `mixing`).
 *
 * @example
 * ```ts
 * import { resolveScenarioConfig, generateWind, generateMixing } from 'hazetrace/sim';
 * const cfg = resolveScenarioConfig({ hours: 24, mixing: {} });
 * const m = generateMixing(cfg, generateWind(cfg));
 * m?.mixingHeight.length; // 25 frames × 29 × 29 nodes
 * ```
 */
export function generateMixing(cfg: ResolvedScenarioConfig, wind: WindArrays): MixingFields | null {
  checkShape('cfg', cfg, { seed: 'number', startMs: 'number', hours: 'number', utcOffset: 'number' });
  checkWindArrays('wind', wind);
  const M = cfg.mixing;
  if (!M) return null;
  const { west, south, dLng, dLat, nx, ny } = wind;
  const times = Float64Array.from(wind.times);
  const nt = times.length;
  const rng = createRng(cfg.seed).fork(707);
  const spatial = coarseField(nx, ny, dLng, dLat, rng.fork(1), M.spatialLogSd, 1.5);
  const [night, peak] = M.heightM;
  const [rise, top, collapse] = M.cycleLocalHours;
  const mixingHeight = new Float64Array(nt * ny * nx);
  for (let t = 0; t < nt; t++) {
    const lh = ((((times[t]! / HOUR_MS + cfg.utcOffset / 60) % 24) + 24) % 24);
    const base = diurnal(lh, night, peak, rise, top, collapse);
    for (let k = 0; k < nx * ny; k++) mixingHeight[t * nx * ny + k] = base * Math.exp(spatial[k]!);
  }
  // Rain events: Poisson over the run, uniform in the domain, drifting with the domain-mean wind at birth.
  const rr = rng.fork(2);
  const days = cfg.hours / 24;
  const lambda = M.rainEventsPerDay * days;
  let nEv = 0;
  for (let L = Math.exp(-Math.min(lambda, 700)), p = rr.next(); p > L; p *= rr.next()) nEv++;
  const precipitation = new Float64Array(nt * ny * nx);
  const east = west + (nx - 1) * dLng, north = south + (ny - 1) * dLat;
  const R = M.rainRadiusKm;
  for (let e = 0; e < nEv; e++) {
    const born = -M.rainHours / 2 + rr.next() * (cfg.hours + M.rainHours / 2);
    const lng0 = west + rr.next() * (east - west);
    const lat0 = south + rr.next() * (north - south);
    const tb = Math.max(0, Math.min(nt - 1, Math.round(born)));
    let mu = 0, mv = 0;
    for (let k = 0; k < nx * ny; k++) {
      mu += wind.u[tb * nx * ny + k]!;
      mv += wind.v[tb * nx * ny + k]!;
    }
    mu /= nx * ny;
    mv /= nx * ny;
    const cos0 = Math.cos((lat0 * Math.PI) / 180);
    for (let t = Math.max(0, Math.floor(born)); t < nt && t <= born + M.rainHours; t++) {
      const age = t - born;
      if (age < 0) continue;
      const amp = M.rainPeakMmH * Math.sin((Math.PI * age) / M.rainHours) ** 2;
      if (!(amp > 0)) continue;
      const cLng = lng0 + (mu * 3.6 * age) / (KM_PER_DEG * cos0);
      const cLat = lat0 + (mv * 3.6 * age) / KM_PER_DEG;
      for (let row = 0; row < ny; row++) {
        const dy = (south + row * dLat - cLat) * KM_PER_DEG;
        if (Math.abs(dy) > 4 * R) continue;
        for (let col = 0; col < nx; col++) {
          const dx = (west + col * dLng - cLng) * KM_PER_DEG * cos0;
          const r2 = (dx * dx + dy * dy) / (R * R);
          if (r2 > 16) continue;
          precipitation[(t * ny + row) * nx + col]! += amp * Math.exp(-0.5 * r2);
        }
      }
    }
  }
  return { west, south, dLng, dLat, nx, ny, times, mixingHeight, precipitation };
}

/**
 * The mixing height and rain attribution sees: the truth times AR(1) log-normal error factors (12 h, drawn per 1.5°
 * coarse node and interpolated; log-sd `heightErrorLogSd` and `rainErrorLogSd` of the scenario's `mixing` section),
 * as reanalysis boundary-layer depth and precipitation depart from reality. Zero errors return a copy.
 *
 * @example
 * ```ts
 * import { resolveScenarioConfig, generateWind, generateMixing, perturbMixing } from 'hazetrace/sim';
 * const cfg = resolveScenarioConfig({ hours: 24, mixing: {} });
 * const seen = perturbMixing(generateMixing(cfg, generateWind(cfg))!, cfg, 7);
 * ```
 */
export function perturbMixing(fields: MixingFields, cfg: ResolvedScenarioConfig, seed: number): MixingFields {
  checkMixingFields('fields', fields);
  checkFinite('seed', seed);
  const M = cfg.mixing;
  if (!M) throw argError('cfg.mixing', undefined, 'a resolved mixing section');
  const { nx, ny } = fields;
  const nt = fields.times.length;
  const rng = createRng(seed).fork(808);
  const fac = (sd: number, r: Rng): Float64Array => {
    const corr = 1.5;
    const cx = Math.max(2, Math.ceil(((nx - 1) * fields.dLng) / corr) + 1);
    const cy = Math.max(2, Math.ceil(((ny - 1) * fields.dLat) / corr) + 1);
    const rho = Math.exp(-1 / 12), innov = Math.sqrt(1 - rho * rho);
    const coarse = Float64Array.from({ length: cx * cy }, () => sd * r.normal());
    const out = new Float64Array(nt * nx * ny);
    const frame = new Float64Array(nx * ny);
    for (let t = 0; t < nt; t++) {
      if (t > 0) for (let k = 0; k < coarse.length; k++) coarse[k] = rho * coarse[k]! + innov * sd * r.normal();
      interpCoarse(coarse, cx, cy, nx, ny, frame);
      // exp(e − sd²/2): mean-preserving log-normal factor.
      for (let k = 0; k < nx * ny; k++) out[t * nx * ny + k] = Math.exp(frame[k]! - (sd * sd) / 2);
    }
    return out;
  };
  const fh = fac(M.heightErrorLogSd, rng.fork(1));
  const fp = fac(M.rainErrorLogSd, rng.fork(2));
  return {
    ...fields, times: fields.times.slice(),
    mixingHeight: Float64Array.from(fields.mixingHeight, (v, i) => v * fh[i]!),
    precipitation: Float64Array.from(fields.precipitation, (v, i) => v * fp[i]!),
  };
}

/**
 * Bilinear-in-space, linear-in-time value of a mixing field at a place and time (clamped to the grid and the frames).
 *
 * @example
 * ```ts
 * import { resolveScenarioConfig, generateWind, generateMixing, sampleMixing } from 'hazetrace/sim';
 * const cfg = resolveScenarioConfig({ hours: 24, mixing: {} });
 * const m = generateMixing(cfg, generateWind(cfg))!;
 * sampleMixing(m, 'mixingHeight', 99, 18.8, cfg.startMs + 8 * 3_600_000); // m above ground at 15:00 local
 * ```
 */
export function sampleMixing(fields: MixingFields, which: 'mixingHeight' | 'precipitation', lng: number, lat: number, time: number): number {
  if (fields === null || typeof fields !== 'object' || !(fields.times && fields.mixingHeight)) throw argError('fields', fields, 'MixingFields (see generateMixing)');
  if (which !== 'mixingHeight' && which !== 'precipitation') throw argError('which', which, "'mixingHeight' or 'precipitation'");
  const a = fields[which];
  const { nx, ny } = fields;
  const fx = Math.min(nx - 1, Math.max(0, (lng - fields.west) / fields.dLng));
  const fy = Math.min(ny - 1, Math.max(0, (lat - fields.south) / fields.dLat));
  const i = Math.min(nx - 2, Math.floor(fx)), j = Math.min(ny - 2, Math.floor(fy));
  const tx = fx - i, ty = fy - j;
  const nt = fields.times.length;
  const t0 = fields.times[0]!;
  const ft = nt > 1 ? Math.min(nt - 1, Math.max(0, (time - t0) / (fields.times[1]! - t0))) : 0;
  const k = Math.min(Math.max(0, nt - 2), Math.floor(ft));
  const tt = nt > 1 ? ft - k : 0;
  const at = (kk: number): number => {
    const o = kk * nx * ny;
    return (1 - ty) * ((1 - tx) * a[o + j * nx + i]! + tx * a[o + j * nx + i + 1]!) + ty * ((1 - tx) * a[o + (j + 1) * nx + i]! + tx * a[o + (j + 1) * nx + i + 1]!);
  };
  return tt > 0 ? (1 - tt) * at(k) + tt * at(k + 1) : at(k);
}

function checkMixingFields(name: string, f: unknown): MixingFields {
  return checkShape<MixingFields>(name, f, { nx: 'number', ny: 'number', times: 'arrayLike', mixingHeight: 'arrayLike', precipitation: 'arrayLike' });
}

/** Levels of {@link mixingWindField}, Pa (bottom first). */
const LEVELS = [100000, 92500, 85000, 70000];

/**
 * A 3-D pressure-level field for a twin: the (2-D) wind copied onto four levels (1000, 925, 850, 700 hPa; standard-
 * atmosphere heights, flat terrain at sea level) plus the mixing height and precipitation as surface fields. With
 * `vertical: 'agl'` its trajectories keep their height above ground and read exactly the 2-D wind.
 * `offsetDeg` shifts the grid origin so the field at x reads the data at x + offset (HYSPLIT's meteorological offset).
 *
 * @example
 * ```ts
 * import { resolveScenarioConfig, generateWind, generateMixing, mixingWindField } from 'hazetrace/sim';
 * const cfg = resolveScenarioConfig({ hours: 24, mixing: {} });
 * const w = generateWind(cfg);
 * const f = mixingWindField(w, generateMixing(cfg, w)!);
 * f.fieldNames; // includes 'mixingHeight' and 'precipitation'
 * ```
 */
export function mixingWindField(wind: WindArrays, fields: MixingFields, offsetDeg: readonly [number, number] = [0, 0]): PressureLevelWindField {
  checkWindArrays('wind', wind);
  checkMixingFields('fields', fields);
  const { nx, ny } = wind;
  const nt = wind.times.length;
  if (fields.nx !== nx || fields.ny !== ny || fields.times.length !== nt) throw argError('fields', fields, `fields on the wind's grid (${nx} × ${ny}, ${nt} frames)`);
  const nz = LEVELS.length;
  const plane = nx * ny;
  const u = new Float64Array(nt * nz * plane), v = new Float64Array(nt * nz * plane);
  for (let t = 0; t < nt; t++) {
    const src = wind.u.subarray(t * plane, (t + 1) * plane), srv = wind.v.subarray(t * plane, (t + 1) * plane);
    for (let k = 0; k < nz; k++) {
      u.set(src, (t * nz + k) * plane);
      v.set(srv, (t * nz + k) * plane);
    }
  }
  return pressureLevelWind({
    west: wind.west - offsetDeg[0], south: wind.south - offsetDeg[1], dLng: wind.dLng, dLat: wind.dLat, nx, ny, times: wind.times, levels: LEVELS, u, v,
    surface: { mixingHeight: fields.mixingHeight, precipitation: fields.precipitation },
  });
}

/** Offsets (cells) of HYSPLIT's 9 offset members, as src/wind's 2-D ensemble. */
const OFFSETS: readonly (readonly [number, number])[] = [[0, 0], [1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1]];

/** Concatenate 3-D trajectory sets (base columns and the 3-D per-point columns). */
function concat3d(sets: TrajectorySet3D[]): TrajectorySet3D {
  const base = concatTrajectorySets(sets);
  const cat = <T extends Float64Array | Uint8Array>(get: (s: TrajectorySet3D) => T, make: (n: number) => T): T => {
    let n = 0;
    for (const s of sets) n += get(s).length;
    const out = make(n);
    let o = 0;
    for (const s of sets) {
      out.set(get(s), o);
      o += get(s).length;
    }
    return out;
  };
  const names = sets.length ? Object.keys(sets[0]!.met) : [];
  return {
    ...base,
    heightAgl: cat((s) => s.heightAgl, (n) => new Float64Array(n)),
    pressure: cat((s) => s.pressure, (n) => new Float64Array(n)),
    terrain: cat((s) => s.terrain, (n) => new Float64Array(n)),
    mixedLayer: cat((s) => s.mixedLayer, (n) => new Uint8Array(n)),
    met: Object.fromEntries(names.map((m) => [m, cat((s) => s.met[m]!, (n) => new Float64Array(n))])),
    vertical: sets[0]?.vertical ?? 'agl',
  };
}

/** Options of {@link mixingTrajectories}. */
export interface MixingTrajectoryOptions {
  /** Back-trajectory hours. Default 72. */
  hours?: number;
  /** Start height above ground, m. Default the scenario's `mixing.transportHeightM`. */
  startHeightM?: number;
  /** Hours between calibration starts at every monitor. Default 3. */
  calibrationStepHours?: number;
  /** Hours between starts through an episode. Default 1. */
  startStepHours?: number;
  /** Offset of the 9-member ensemble, degrees. Default 1 (attribution's default). */
  offsetDeg?: number;
}

/** 3-D back-trajectories of a mixing twin: single-member calibration starts and 9-member offset ensembles through the episodes. */
export interface MixingTrajectories {
  calibration: TrajectorySet3D;
  attribution: TrajectorySet3D;
}

/**
 * Trace the 3-D back-trajectories a mixing twin's attribution uses, at the transport height in constant-height-
 * above-ground mode (the twin's wind has no vertical motion), sampling the mixing height and precipitation at every
 * point: (a) calibration starts every `calibrationStepHours` at every monitor (mid-hour), one member; (b) for each
 * episode, starts every `startStepHours` from its start, before its end, each a 9-member offset ensemble (`member`
 * 0–8, as attribution's 2-D default). Starts outside the wind's time span are skipped.
 *
 * @example
 * ```ts
 * import { setupTwin, mixingTrajectories } from 'hazetrace/sim';
 * const s = setupTwin({ hours: 96, mixing: {} }, { particlesPerHour: 300 });
 * const tr = mixingTrajectories(s, 'perturbed');
 * tr.attribution.mixedLayer.length === tr.attribution.lng.length; // true
 * ```
 */
export function mixingTrajectories(
  setup: { scenario: { config: ResolvedScenarioConfig; monitors: { id: string; lng: number; lat: number }[]; wind: WindArrays }; perturbedWind: WindArrays; episodes: Episode[]; mixing?: { truth: MixingFields; seen: MixingFields } },
  windCase: 'perfect' | 'perturbed',
  options: MixingTrajectoryOptions = {},
): MixingTrajectories {
  checkOneOf('windCase', windCase, ['perfect', 'perturbed']);
  checkOptions('options', options);
  const sc = setup.scenario;
  const cfg = sc.config;
  if (!cfg.mixing || !setup.mixing) throw argError('setup', setup, 'a twin set up from a config with a `mixing` section');
  const wind = windCase === 'perfect' ? sc.wind : setup.perturbedWind;
  const fields = windCase === 'perfect' ? setup.mixing.truth : setup.mixing.seen;
  const hours = checkPositive('options.hours', options.hours ?? 72);
  const h0 = checkPositive('options.startHeightM', options.startHeightM ?? cfg.mixing.transportHeightM);
  const calStep = checkPositive('options.calibrationStepHours', options.calibrationStepHours ?? 3) * HOUR_MS;
  const epStep = checkPositive('options.startStepHours', options.startStepHours ?? 1) * HOUR_MS;
  const off = checkPositive('options.offsetDeg', options.offsetDeg ?? 1);
  const t0 = wind.times[0]!, t1 = wind.times[wind.times.length - 1]!;
  const topt = { hours, vertical: 'agl' as const, startHeightM: h0, sample: ['mixingHeight', 'precipitation'] };
  const calStarts: TraceStart3D[] = [];
  for (let t = cfg.startMs + cfg.episodes.spinupHours * HOUR_MS; t < cfg.startMs + cfg.hours * HOUR_MS; t += calStep) {
    for (const m of sc.monitors) calStarts.push({ lng: m.lng, lat: m.lat, time: t + HOUR_MS / 2, receptor: m.id });
  }
  const field0 = mixingWindField(wind, fields);
  const calibration = traceTrajectories3d(field0, calStarts.filter((s) => s.time >= t0 && s.time <= t1), topt);
  const byId = new Map(sc.monitors.map((m) => [m.id.toLowerCase(), m]));
  const epStarts: TraceStart3D[] = [];
  for (const ep of setup.episodes) {
    const m = byId.get(ep.station.toLowerCase());
    if (!m) continue;
    const last = ep.end > ep.start ? ep.end - 1 : ep.start;
    for (let t = ep.start; t <= last; t += epStep) if (t >= t0 && t <= t1) epStarts.push({ lng: m.lng, lat: m.lat, time: t, receptor: ep.station.toLowerCase() });
  }
  const sets: TrajectorySet3D[] = [];
  OFFSETS.forEach(([ox, oy], member) => {
    const f = ox === 0 && oy === 0 ? field0 : mixingWindField(wind, fields, [ox * off, oy * off]);
    // An offset member may start outside its shifted grid near the edges: trace each start on its own then.
    const starts = epStarts.map((s) => ({ ...s, member }));
    try {
      sets.push(traceTrajectories3d(f, starts, topt));
    } catch {
      for (const s of starts) {
        try {
          sets.push(traceTrajectories3d(f, [s], topt));
        } catch {
          /* start not sampleable for this member: skipped, as attribution skips starts outside the wind */
        }
      }
    }
  });
  return { calibration, attribution: concat3d(sets) };
}
