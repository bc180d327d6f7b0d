/**
 * Scenario construction: sources of every kind (repeat-burn patches with
 * clustered fires on both sides of the borders, scattered fires, area sources,
 * steady facilities), monitors and the true wind — all derived from one seeded
 * config, so the same config gives the same scenario on every machine.
 */
import { DAY_MS, HazetraceError, HOUR_MS, createRng, parseUtcOffset } from '../core/index.js';
import type { Rng } from '../core/index.js';
import { resolveScenarioConfig } from './config.js';
import type { MonitorConfig, ResolvedScenarioConfig, ScenarioConfig } from './config.js';
import { NORTH_STATIONS } from './embedded.js';
import { countryOf, offsetKm } from './geo.js';
import { generateWind } from './windgen.js';
import { generateMixing } from './mixing.js';
import type { MixingFields } from './mixing.js';
import type { WindArrays } from './windgen.js';
import { checkOptions, checkShape } from '../core/check.js';
import { checkFinite, checkInt } from '../core/errors.js';

/** Truth category of a source. */
export type SimCategory = 'fire_repeat_burn' | 'fire_other' | 'area' | 'facility';
/**
 * All truth categories, in a fixed order.
 *
 * @example
 * ```ts
 * import { SIM_CATEGORIES } from 'hazetrace/sim';
 * SIM_CATEGORIES; // ['fire_repeat_burn', 'fire_other', 'area', 'facility']
 * ```
 */
export const SIM_CATEGORIES: readonly SimCategory[] = ['fire_repeat_burn', 'fire_other', 'area', 'facility'];

/** Columnar table of true sources. */
export interface SimSources {
  length: number;
  id: string[];
  kind: ('fire' | 'area' | 'facility')[];
  category: SimCategory[];
  /** ISO-3 country of the source location ('' outside the embedded countries). */
  country: string[];
  lng: Float64Array;
  lat: Float64Array;
  /** Emission disc radius, km (0: point source). */
  radiusKm: Float64Array;
  /** Active interval `[start, end)`, UTC ms (±Infinity for steady sources). */
  start: Float64Array;
  end: Float64Array;
  /** PM2.5 emission while active, kg/h. */
  rateKgH: Float64Array;
  /** Fire radiative power, MW (NaN for non-fires). */
  frp: Float64Array;
  /** Index of the repeat-burn patch the fire burns in, -1 otherwise. */
  patch: Int32Array;
  /** Area sources: local hours `[from, to)` they emit (NaN otherwise). */
  activeFrom: Float64Array;
  activeTo: Float64Array;
}

/** A repeat-burn patch (the polygon layer attribution may be given). */
export interface RepeatBurnPatch {
  id: string;
  country: string;
  lng: number;
  lat: number;
  radiusKm: number;
}

/** A monitor. */
export interface SimMonitor {
  id: string;
  lng: number;
  lat: number;
  country: string;
}

/** A complete scenario: config, truth sources, monitors and the true wind. */
export interface Scenario {
  config: ResolvedScenarioConfig;
  sources: SimSources;
  patches: RepeatBurnPatch[];
  monitors: SimMonitor[];
  wind: WindArrays;
  /** True mixing height and rain (src/sim/mixing.ts), only when the config has a `mixing` section. */
  mixing?: MixingFields;
  /** Plain arrays (sources and wind), no typed arrays. */
  toJSON(): Record<string, unknown>;
}

function poisson(rng: Rng, lambda: number): number {
  // Knuth's multiplication method; split large means so exp(-lambda) does not underflow.
  let n = 0;
  let rest = lambda;
  while (rest > 0) {
    const l = Math.min(rest, 30);
    rest -= l;
    const L = Math.exp(-l);
    let p = rng.next();
    while (p > L) {
      n++;
      p *= rng.next();
    }
  }
  return n;
}

function randomPointIn(rng: Rng, cfg: ResolvedScenarioConfig, country: string, bbox: [number, number, number, number] | undefined, what: string): [number, number] {
  const [dw, ds, de, dn] = cfg.domain;
  const w = Math.max(dw, bbox?.[0] ?? dw), s = Math.max(ds, bbox?.[1] ?? ds);
  const e = Math.min(de, bbox?.[2] ?? de), n = Math.min(dn, bbox?.[3] ?? dn);
  if (w < e && s < n) {
    for (let tries = 0; tries < 20000; tries++) {
      const lng = w + rng.next() * (e - w);
      const lat = s + rng.next() * (n - s);
      if (countryOf(lng, lat) === country) return [lng, lat];
    }
  }
  throw new HazetraceError('E_INPUT', `${what}: no point of country ${JSON.stringify(country)} inside the domain/bbox [${w}, ${s}, ${e}, ${n}]`, { value: country });
}

/** Local-day starts (UTC ms) of every local day overlapping the run. */
function localDays(cfg: ResolvedScenarioConfig): number[] {
  const off = cfg.utcOffset * 60_000;
  const first = Math.floor((cfg.startMs + off) / DAY_MS) * DAY_MS - off;
  const end = cfg.startMs + cfg.hours * HOUR_MS;
  const days: number[] = [];
  for (let d = first; d < end; d += DAY_MS) days.push(d);
  return days;
}

interface SourceRow {
  id: string; kind: 'fire' | 'area' | 'facility'; category: SimCategory; lng: number; lat: number; radiusKm: number;
  start: number; end: number; rateKgH: number; frp: number; patch: number; activeFrom: number; activeTo: number;
}

/**
 * Build a scenario from a config (defaults filled in by {@link resolveScenarioConfig}).
 *
 * @example
 * ```ts
 * import { buildScenario } from 'hazetrace/sim';
 * const sc = buildScenario({ name: 'demo', seed: 3, hours: 48 });
 * sc.sources.length > 0; // true
 * sc.monitors[0].id;     // '35t' (Chiang Mai City Hall)
 * ```
 */
export function buildScenario(config: ScenarioConfig | ResolvedScenarioConfig = {}): Scenario {
  checkOptions('config', config);
  const cfg = 'startMs' in config ? config : resolveScenarioConfig(config);
  const root = createRng(cfg.seed);
  const rPatch = root.fork(11);
  const rFire = root.fork(12);
  const rScat = root.fork(13);
  const F = cfg.fires;
  const runEnd = cfg.startMs + cfg.hours * HOUR_MS;
  const days = localDays(cfg);
  const patches: RepeatBurnPatch[] = [];
  for (const group of F.patches) {
    for (let k = 0; k < group.count; k++) {
      const [lng, lat] = randomPointIn(rPatch, cfg, group.country, group.bbox, `config.fires.patches (${group.country})`);
      patches.push({ id: `patch-${patches.length}`, country: group.country, lng, lat, radiusKm: F.patchRadiusKm });
    }
  }
  const rows: SourceRow[] = [];
  const addFire = (lng: number, lat: number, day: number, patch: number): void => {
    // Start hour: normal around the afternoon peak; duration and FRP log-normal.
    const localStart = F.peakLocalHour - 1 + F.startSdHours * rFire.normal();
    const start = day + localStart * HOUR_MS;
    const dur = F.durationMedianHours * Math.exp(0.5 * rFire.normal());
    const frp = rFire.logNormal(Math.log(F.frpMedianMw), F.frpLogSd);
    const end = start + dur * HOUR_MS;
    if (end <= cfg.startMs || start >= runEnd) return;
    rows.push({
      id: `fire-${rows.length}`, kind: 'fire', category: patch >= 0 ? 'fire_repeat_burn' : 'fire_other', lng, lat, radiusKm: 0,
      start, end, rateKgH: frp * F.emissionKgPerMwHour, frp, patch, activeFrom: NaN, activeTo: NaN,
    });
  };
  const groupRate = F.patches.flatMap((g) => Array.from({ length: g.count }, () => g.firesPerPatchPerDay ?? F.firesPerPatchPerDay));
  for (const day of days) {
    for (let p = 0; p < patches.length; p++) {
      const pa = patches[p]!;
      const n = poisson(rFire, groupRate[p]!);
      for (let k = 0; k < n; k++) {
        // Uniform in the disc (sqrt for area-uniform radius).
        const r = pa.radiusKm * Math.sqrt(rFire.next());
        const a = 2 * Math.PI * rFire.next();
        const [lng, lat] = offsetKm(pa.lng, pa.lat, r * Math.sin(a), r * Math.cos(a));
        addFire(lng, lat, day, p);
      }
    }
    for (const [country, perDay] of Object.entries(F.scatteredPerDay)) {
      const n = poisson(rScat, perDay);
      for (let k = 0; k < n; k++) {
        const [lng, lat] = randomPointIn(rScat, cfg, country, undefined, `config.fires.scatteredPerDay.${country}`);
        addFire(lng, lat, day, -1);
      }
    }
  }
  for (const a of cfg.areas) {
    rows.push({
      id: a.id ?? `area-${rows.length}`, kind: 'area', category: 'area', lng: a.center[0], lat: a.center[1], radiusKm: a.radiusKm,
      start: -Infinity, end: Infinity, rateKgH: a.emissionKgPerHour, frp: NaN, patch: -1,
      activeFrom: a.activeLocalHours?.[0] ?? 9, activeTo: a.activeLocalHours?.[1] ?? 18,
    });
  }
  for (const f of cfg.facilities) {
    rows.push({
      id: f.id ?? `facility-${rows.length}`, kind: 'facility', category: 'facility', lng: f.lng, lat: f.lat, radiusKm: 0,
      start: -Infinity, end: Infinity, rateKgH: f.emissionKgPerHour, frp: NaN, patch: -1, activeFrom: NaN, activeTo: NaN,
    });
  }
  const n = rows.length;
  const col = (k: 'lng' | 'lat' | 'radiusKm' | 'start' | 'end' | 'rateKgH' | 'frp' | 'activeFrom' | 'activeTo'): Float64Array =>
    Float64Array.from(rows, (r) => r[k]);
  const sources: SimSources = {
    length: n,
    id: rows.map((r) => r.id),
    kind: rows.map((r) => r.kind),
    category: rows.map((r) => r.category),
    country: rows.map((r) => countryOf(r.lng, r.lat)),
    lng: col('lng'), lat: col('lat'), radiusKm: col('radiusKm'), start: col('start'), end: col('end'), rateKgH: col('rateKgH'),
    frp: col('frp'), patch: Int32Array.from(rows, (r) => r.patch), activeFrom: col('activeFrom'), activeTo: col('activeTo'),
  };
  const [w, s, e, nn] = cfg.domain;
  // Air4Thai monitors are Thai by definition (Mae Sai, 73t, sits on the border river and would fall on the Myanmar
  // side of the 2-km-simplified outline).
  const monitorList: MonitorConfig[] = cfg.monitors ?? NORTH_STATIONS.map(([id, , lng, lat]): MonitorConfig => [id, lng, lat, 'THA']);
  const monitors = monitorList
    .filter(([, lng, lat]) => lng > w && lng < e && lat > s && lat < nn)
    .map(([id, lng, lat, iso]) => ({ id, lng, lat, country: iso ?? countryOf(lng, lat) }));
  if (monitors.length === 0) throw new HazetraceError('E_INPUT', `no monitor lies inside the domain [${cfg.domain.join(', ')}]`, { value: cfg.domain });
  const wind = generateWind(cfg);
  const mixing = generateMixing(cfg, wind);
  const plain = (o: object): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Float64Array, (x) => (Number.isFinite(x) ? x : null)) : v]));
  return {
    config: cfg, sources, patches, monitors, wind, ...(mixing ? { mixing } : {}),
    toJSON() {
      return { config: cfg, sources: plain(sources), patches, monitors, wind: plain(wind) };
    },
  };
}

/**
 * PM2.5 a source emits during the hour starting at `hourStart` (UTC ms), kg.
 * Fires emit over the overlap of their burning interval; area sources during their local active hours (local clock
 * `utcOffset`: `'+07:00'`-style text or minutes east of UTC, as everywhere in hazetrace); facilities always.
 *
 * @example
 * ```ts
 * import { buildScenario, emissionInHour } from 'hazetrace/sim';
 * const sc = buildScenario({ hours: 24, facilities: [{ lng: 99.7, lat: 18.3, emissionKgPerHour: 100 }] });
 * emissionInHour(sc.sources, sc.sources.length - 1, sc.config.startMs, '+07:00'); // 100
 * ```
 */
export function emissionInHour(src: SimSources, i: number, hourStart: number, utcOffset: string | number): number {
  checkShape('src', src, { rateKgH: 'arrayLike', kind: 'array', start: 'arrayLike', end: 'arrayLike' });
  checkInt('i', i, 0, Math.max(0, src.kind.length - 1));
  checkFinite('hourStart', hourStart);
  const rate = src.rateKgH[i]!;
  const kind = src.kind[i]!;
  if (kind === 'fire') {
    const a = Math.max(src.start[i]!, hourStart);
    const b = Math.min(src.end[i]!, hourStart + HOUR_MS);
    return b > a ? (rate * (b - a)) / HOUR_MS : 0;
  }
  if (kind === 'area') {
    const lh = ((((hourStart / HOUR_MS + (typeof utcOffset === 'number' ? utcOffset : parseUtcOffset(utcOffset)) / 60) % 24) + 24) % 24);
    const from = src.activeFrom[i]!, to = src.activeTo[i]!;
    const on = from <= to ? lh >= from && lh < to : lh >= from || lh < to;
    return on ? rate : 0;
  }
  return rate;
}
