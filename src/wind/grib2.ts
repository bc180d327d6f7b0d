/**
 * Wind from GRIB2 as GFS (NOMADS files and filtered subsets) and ERA5 deliver it: isobaric u, v (+ omega `w`,
 * geopotential height `gh` or geopotential `z`, temperature `t`, relative humidity `r`) over forecast hours, with
 * surface fields (orography / surface geopotential, surface pressure, boundary-layer height, precipitation
 * accumulations), read by {@link readGrib2} (hazetrace/io) and handed to `pressureLevelWind` (3-D) or
 * `griddedWind` (one level, or 10-m wind). Browser-safe.
 */
import { HazetraceError, argError, checkPositive } from '../core/errors.js';
import { readGrib2, type Grib2Message, type Grib2MessageInfo } from '../io/grib2/index.js';
import { pressureLevelWind, type PressureLevelWindArrays, type PressureLevelWindField } from './field3d.js';
import { GriddedWindField } from './fields.js';

/** Standard gravity, m/s²: geopotential ÷ g = geopotential height. */
const G0 = 9.80665;

/** Options of {@link windFromGrib2} / {@link readGrib2Wind}. */
export interface Grib2WindOptions {
  /**
   * One isobaric level, hPa (e.g. 850): a 2-D `GriddedWindField` of u/v on that level. Default: 3-D
   * (`pressureLevelWind`) when u and v exist on ≥ 2 isobaric levels, else the 10-m wind `10u`/`10v` (2-D).
   */
  level?: number;
  /** Isobaric levels to keep for 3-D, hPa. Default: every level on which u and v exist at every time. */
  levels?: readonly number[];
  /** Extra level or surface fields to carry, by short name (`t`, `r`, `q`, ...). Default: `t` and `r` when present. */
  extra?: readonly string[];
  /** Longest gap between frames interpolated in time, hours (as `griddedWind`). */
  maxGapHours?: number;
  /** Height above ground of the 3-D field's 2-D `sample`, m (default 500). */
  defaultHeightAgl?: number;
}

/** What {@link readGrib2Wind} returns. */
export interface Grib2WindResult {
  field: GriddedWindField | PressureLevelWindField;
  /** `'3d'` (pressure levels) or `'2d'`. */
  kind: '2d' | '3d';
  /** Levels used, Pa, bottom first (3-D), or the one level (2-D on a level), or [] for 10-m wind. */
  levels: number[];
  /** Frame times, UTC ms. */
  times: number[];
  /** Short names of the fields used, e.g. `['u', 'v', 'w', 'gh', 'orog', 'sp', 'blh', 'tp']`. */
  used: string[];
  /** Fields and messages not used, with the reason (other parameters, incomplete levels, GRIB1, ...). */
  notes: string[];
}

const WANTED = new Set(['u', 'v', 'w', 'gh', 'z', 't', 'r', 'sp', 'blh', 'tp', 'prate', 'orog', '10u', '10v']);

function sameGrid(a: Grib2MessageInfo, b: Grib2MessageInfo): boolean {
  const g = a.grid;
  const h = b.grid;
  return g.nx === h.nx && g.ny === h.ny && Math.abs(g.west - h.west) < 1e-6 && Math.abs(g.south - h.south) < 1e-6 && Math.abs(g.dLng - h.dLng) < 1e-9 && Math.abs(g.dLat - h.dLat) < 1e-9;
}

/**
 * Build a wind field from GRIB2 bytes (see {@link readGrib2Wind} for what it read). With u and v on ≥ 2 isobaric
 * levels the result is a 3-D `PressureLevelWindField` (omega from `w`, level heights from `gh` or `z`/g,
 * terrain from `orog` or surface `z`/g, surface pressure `sp`, mixing height `blh`/HPBL, precipitation rate in mm/h
 * from `tp`/APCP accumulations or `prate`, extras `t`/`r`); with `level` (hPa) it is a 2-D `GriddedWindField` on that
 * level, and without isobaric winds the 10-m wind. Async because JPEG 2000 packing loads its decoder on first use.
 * Errors: `E_FORMAT` for a malformed message (naming section and template), fields on different grids, or a file
 * without the wind components; `E_ARG` for bad options.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { windFromGrib2, isWindField3D } from 'hazetrace/wind';
 * const bytes = await readFile('test/fixtures/grib2/gfs_like.grib2');
 * const f3 = await windFromGrib2(bytes); // GFS-like: u, v, w, gh on 1000/925/850 hPa, 3 forecast hours
 * isWindField3D(f3); // true
 * const f850 = await windFromGrib2(bytes, { level: 850 });
 * f850.nx; // 17
 * ```
 */
export async function windFromGrib2(bytes: ArrayBuffer | Uint8Array, options: Grib2WindOptions & { level: number }): Promise<GriddedWindField>;
export async function windFromGrib2(bytes: ArrayBuffer | Uint8Array, options?: Grib2WindOptions): Promise<GriddedWindField | PressureLevelWindField>;
export async function windFromGrib2(bytes: ArrayBuffer | Uint8Array, options: Grib2WindOptions = {}): Promise<GriddedWindField | PressureLevelWindField> {
  return (await readGrib2Wind(bytes, options)).field;
}

/**
 * {@link windFromGrib2} with what it read: kind, levels, times, fields used and notes on what was left out.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { readGrib2Wind } from 'hazetrace/wind';
 * const r = await readGrib2Wind(await readFile('test/fixtures/grib2/gfs_like.grib2'));
 * r.kind; // '3d'
 * r.levels; // [100000, 92500, 85000]
 * r.used; // ['u', 'v', 'w', 'gh', 'orog', 'sp', 'blh', 'tp']
 * ```
 */
export async function readGrib2Wind(bytes: ArrayBuffer | Uint8Array, options: Grib2WindOptions = {}): Promise<Grib2WindResult> {
  if (options === null || typeof options !== 'object') throw argError('options', options, 'an object');
  if (options.level !== undefined) checkPositive('level', options.level);
  if (options.levels !== undefined) {
    if (!Array.isArray(options.levels) || options.levels.length < 2) throw argError('levels', options.levels, 'an array of at least 2 pressure levels, hPa');
    options.levels.forEach((l, i) => checkPositive(`levels[${i}]`, l));
  }
  if (options.maxGapHours !== undefined) checkPositive('maxGapHours', options.maxGapHours);
  if (options.extra !== undefined && (!Array.isArray(options.extra) || options.extra.some((x) => typeof x !== 'string'))) throw argError('extra', options.extra, 'an array of short names');
  const extraNames = options.extra ?? ['t', 'r'];
  const want = new Set([...WANTED, ...extraNames]);
  const notes: string[] = [];
  const { messages, skipped } = await readGrib2(bytes, {
    unsupported: 'skip',
    filter: (m) => m.shortName !== undefined && want.has(m.shortName) && (m.ensemble === undefined || m.ensemble.perturbation === 0 || m.ensemble.type < 2),
  });
  const other = skipped.filter((s) => s.reason === 'filtered').length;
  if (other) notes.push(`${other} field(s) of other parameters or ensemble members not read`);
  for (const s of skipped) if (s.reason !== 'filtered') notes.push(`byte ${s.offset}: ${s.reason}`);
  const winds = messages.filter((m) => m.shortName === 'u' || m.shortName === 'v' || m.shortName === '10u' || m.shortName === '10v');
  if (winds.length === 0) throw new HazetraceError('E_FORMAT', `GRIB2 has no wind components (u/v on isobaric levels or 10u/10v); found ${[...new Set(messages.map((m) => m.shortName))].join(', ') || 'nothing hazetrace reads'}`, {});
  const ref = winds[0]!;
  const onGrid = messages.filter((m) => {
    if (sameGrid(m, ref)) return true;
    notes.push(`${m.shortName} (field ${m.index}) is on another grid (${m.grid.nx}×${m.grid.ny} from ${m.grid.west},${m.grid.south}): not used`);
    return false;
  });
  const iso = (name: string): Grib2Message[] => onGrid.filter((m) => m.shortName === name && m.level?.type === 100 && m.level.value !== null);
  const key = (t: number, p: number): string => `${t}|${p}`;
  const table = (name: string): Map<string, Grib2Message> => {
    const out = new Map<string, Grib2Message>();
    for (const m of iso(name)) {
      const k = key(m.validTime, m.level!.value!);
      if (out.has(k)) throw new HazetraceError('E_FORMAT', `GRIB2 holds ${name} at ${m.level!.value! / 100} hPa, ${new Date(m.validTime).toISOString()} twice (fields ${out.get(k)!.index} and ${m.index}); pass one run or member`, {});
      out.set(k, m);
    }
    return out;
  };
  const uT = table('u');
  const vT = table('v');
  const uLevels = [...new Set(iso('u').map((m) => m.level!.value!))];
  const common = (tab: Map<string, Grib2Message>[], times: number[], levels: number[]): boolean => times.every((t) => levels.every((p) => tab.every((x) => x.has(key(t, p)))));
  const grid = ref.grid;
  const base = { west: grid.west, south: grid.south, dLng: grid.dLng, dLat: grid.dLat, nx: grid.nx, ny: grid.ny };
  const plane = grid.nx * grid.ny;
  if (grid.template !== 0) throw new HazetraceError('E_FORMAT', `GRIB2 wind on grid template 3.${grid.template} (Gaussian latitudes) cannot be used as a regular grid; regrid to regular lat/lon first`, { section: 3, template: grid.template });
  const gap = options.maxGapHours !== undefined ? { maxGapHours: options.maxGapHours } : {};

  // 2-D: one level, or 10-m wind
  const threeD = options.level === undefined && uLevels.length >= 2;
  if (!threeD) {
    let uMsgs: Grib2Message[];
    let vMsgs: Grib2Message[];
    let levels: number[] = [];
    if (options.level !== undefined) {
      const p = options.level * 100;
      uMsgs = iso('u').filter((m) => Math.abs(m.level!.value! - p) < 1e-6);
      vMsgs = iso('v').filter((m) => Math.abs(m.level!.value! - p) < 1e-6);
      if (uMsgs.length === 0) throw argError('level', options.level, `one of the file's isobaric levels (${uLevels.map((x) => x / 100).join(', ') || 'none'}) hPa`);
      levels = [p];
    } else if (uLevels.length === 1) {
      uMsgs = iso('u');
      vMsgs = iso('v');
      levels = [uLevels[0]!];
    } else {
      uMsgs = onGrid.filter((m) => m.shortName === '10u');
      vMsgs = onGrid.filter((m) => m.shortName === '10v');
    }
    const vByTime = new Map(vMsgs.map((m) => [m.validTime, m]));
    const pairs = uMsgs.filter((m) => vByTime.has(m.validTime)).sort((a, b) => a.validTime - b.validTime);
    if (pairs.length === 0) throw new HazetraceError('E_FORMAT', 'GRIB2 has no time with both wind components on the same level', {});
    const times = [...new Set(pairs.map((m) => m.validTime))];
    if (times.length !== pairs.length) throw new HazetraceError('E_FORMAT', 'GRIB2 holds the same wind component twice for one time; pass one run or member', {});
    const u = new Float32Array(times.length * plane);
    const v = new Float32Array(times.length * plane);
    pairs.forEach((m, i) => {
      u.set(m.values, i * plane);
      v.set(vByTime.get(m.validTime)!.values, i * plane);
    });
    const field = new GriddedWindField({ ...base, ...gap, times: Float64Array.from(times), u, v, wrapLng: grid.global });
    return { field, kind: '2d', levels, times, used: [pairs[0]!.shortName!, vByTime.get(pairs[0]!.validTime)!.shortName!], notes };
  }

  // 3-D
  let levels = uLevels.slice().sort((a, b) => b - a);
  if (options.levels) {
    const asked = options.levels.map((l) => l * 100);
    for (const p of asked) if (!levels.some((x) => Math.abs(x - p) < 1e-6)) throw argError('levels', options.levels, `levels the file holds (${levels.map((x) => x / 100).join(', ')}) hPa`);
    levels = levels.filter((x) => asked.some((p) => Math.abs(x - p) < 1e-6));
  }
  const allTimes = [...new Set(iso('u').map((m) => m.validTime))].sort((a, b) => a - b);
  // times with u and v on every level; levels missing at some kept time are dropped
  levels = levels.filter((p) => {
    const n = allTimes.filter((t) => uT.has(key(t, p)) && vT.has(key(t, p))).length;
    if (n === allTimes.length) return true;
    notes.push(`level ${p / 100} hPa lacks u or v at ${allTimes.length - n} of ${allTimes.length} times: not used`);
    return false;
  });
  if (levels.length < 2) throw new HazetraceError('E_FORMAT', `GRIB2 has u and v at every time on fewer than 2 isobaric levels; use { level } for one level`, {});
  const times = allTimes;
  const nt = times.length;
  const nz = levels.length;
  const stack = (tab: Map<string, Grib2Message>, scale = 1): Float32Array => {
    const out = new Float32Array(nt * nz * plane);
    times.forEach((t, ti) =>
      levels.forEach((p, k) => {
        const vals = tab.get(key(t, p))!.values;
        const o = (ti * nz + k) * plane;
        if (scale === 1) out.set(vals, o);
        else for (let i = 0; i < plane; i++) out[o + i] = vals[i]! * scale;
      }),
    );
    return out;
  };
  const used = ['u', 'v'];
  const arrays: PressureLevelWindArrays = { ...base, ...gap, times: Float64Array.from(times), levels: Float64Array.from(levels), u: stack(uT), v: stack(vT), wrapLng: grid.global };
  if (options.defaultHeightAgl !== undefined) arrays.defaultHeightAgl = options.defaultHeightAgl;
  const wT = table('w');
  if (wT.size) {
    if (common([wT], times, levels)) {
      arrays.omega = stack(wT);
      used.push('w');
    } else notes.push('w (omega) is not on every level and time: not used');
  }
  const ghT = table('gh');
  const zT = table('z');
  if (ghT.size && common([ghT], times, levels)) {
    arrays.height = stack(ghT);
    used.push('gh');
  } else if (zT.size && common([zT], times, levels)) {
    arrays.height = stack(zT, 1 / G0);
    used.push('z');
  } else if (ghT.size || zT.size) notes.push('geopotential (height) is not on every level and time: not used');
  const surface: NonNullable<PressureLevelWindArrays['surface']> = {};
  const sfc = (name: string): Grib2Message[] => onGrid.filter((m) => m.shortName === name && (m.level?.type === 1 || m.level === null)).sort((a, b) => a.validTime - b.validTime);
  const orog = sfc('orog')[0];
  const zs = sfc('z')[0];
  if (orog) {
    surface.elevation = Float32Array.from(orog.values);
    used.push('orog');
  } else if (zs) {
    surface.elevation = Float32Array.from(zs.values, (x) => x / G0);
    used.push('z(surface)');
  }
  const perTime = (name: string, label: string, target: 'pressure' | 'mixingHeight'): void => {
    const ms = onGrid.filter((m) => m.shortName === name && m.level?.type !== 100);
    if (!ms.length) return;
    const byT = new Map(ms.map((m) => [m.validTime, m]));
    if (!times.every((t) => byT.has(t))) {
      notes.push(`${name} is not at every time: not used`);
      return;
    }
    const out = new Float32Array(nt * plane);
    times.forEach((t, i) => out.set(byT.get(t)!.values, i * plane));
    surface[target] = out;
    used.push(label);
  };
  perTime('sp', 'sp', 'pressure');
  perTime('blh', 'blh', 'mixingHeight');
  const precip = precipitationRates(onGrid, times, plane, notes);
  if (precip) {
    surface.precipitation = precip.values;
    used.push(precip.name);
  }
  if (Object.keys(surface).length) arrays.surface = surface;
  const extra: NonNullable<PressureLevelWindArrays['extra']> = {};
  for (const name of extraNames) {
    if (['u', 'v', 'w', 'gh', 'z'].includes(name)) continue;
    const tab = table(name);
    if (tab.size && common([tab], times, levels)) {
      extra[name] = { values: stack(tab), levels: true, ...(name === 't' ? { units: 'K' } : name === 'r' ? { units: '%' } : {}) };
      used.push(name);
      continue;
    }
    const ms = onGrid.filter((m) => m.shortName === name && m.level?.type !== 100);
    const byT = new Map(ms.map((m) => [m.validTime, m]));
    if (ms.length && times.every((t) => byT.has(t))) {
      const out = new Float32Array(nt * plane);
      times.forEach((t, i) => out.set(byT.get(t)!.values, i * plane));
      extra[name] = { values: out, levels: false };
      used.push(name);
    } else if (tab.size || ms.length) notes.push(`${name} is not on every level/time: not used`);
  }
  if (Object.keys(extra).length) arrays.extra = extra;
  let field: PressureLevelWindField;
  try {
    field = pressureLevelWind(arrays);
  } catch (e) {
    if (e instanceof HazetraceError && e.code === 'E_ARG') throw new HazetraceError('E_FORMAT', `the GRIB2 fields do not make a usable 3-D grid: ${e.message}`, { ...(e.details ?? {}) });
    throw e;
  }
  return { field, kind: '3d', levels, times, used, notes };
}

/**
 * Precipitation rate, mm/h, per frame: from accumulations (`tp`: GFS APCP in kg/m² = mm, ECMWF local 0.1.193 in m)
 * the rate over the interval ending at each frame — differencing two accumulations from the same start (GFS
 * 0–3 h and 0–6 h buckets) — or `prate` (kg/m²/s). A frame with no interval ending at it (the analysis) takes the
 * rate of the next frame's interval.
 */
function precipitationRates(ms: Grib2Message[], times: number[], plane: number, notes: string[]): { values: Float32Array; name: string } | null {
  const nt = times.length;
  const prate = ms.filter((m) => m.shortName === 'prate');
  if (prate.length) {
    const byT = new Map(prate.map((m) => [m.validTime, m]));
    if (times.every((t) => byT.has(t))) {
      const out = new Float32Array(nt * plane);
      times.forEach((t, i) => {
        const v = byT.get(t)!.values;
        for (let j = 0; j < plane; j++) out[i * plane + j] = v[j]! * 3600;
      });
      return { values: out, name: 'prate' };
    }
  }
  const acc = ms.filter((m) => m.shortName === 'tp' && m.interval && m.interval.statistic === 1);
  if (!acc.length) return null;
  const H = 3_600_000;
  const rates: (Float32Array | null)[] = times.map((t) => {
    const ending = acc.filter((m) => m.validTime === t).sort((a, b) => b.interval!.startHours - a.interval!.startHours);
    if (!ending.length) return null;
    const best = ending[0]!;
    const factor = best.category === 1 && best.number === 193 ? 1000 : 1; // ECMWF local tp is in metres
    const start = best.referenceTime + best.interval!.startHours * H;
    // a shorter interval from the same start ending at an earlier frame: difference the two buckets
    const prev = acc
      .filter((m) => m.referenceTime + m.interval!.startHours * H === start && m.validTime < t && m.validTime > start)
      .sort((a, b) => b.validTime - a.validTime)[0];
    const from = prev ? prev.validTime : start;
    const hours = (t - from) / H;
    if (!(hours > 0)) return null;
    const out = new Float32Array(plane);
    for (let j = 0; j < plane; j++) out[j] = (Math.max(0, best.values[j]! - (prev ? prev.values[j]! : 0)) * factor) / hours;
    return out;
  });
  if (rates.every((r) => r === null)) return null;
  const out = new Float32Array(nt * plane);
  for (let i = 0; i < nt; i++) {
    let r = rates[i];
    for (let k = i + 1; !r && k < nt; k++) r = rates[k]!;
    for (let k = i - 1; !r && k >= 0; k--) r = rates[k]!;
    out.set(r!, i * plane);
  }
  if (rates.some((r) => r === null)) notes.push('precipitation: frames without an accumulation ending at them take the neighbouring interval’s rate');
  return { values: out, name: 'tp' };
}
