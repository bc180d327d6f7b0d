/**
 * Scenario configuration for twin experiments. A config is plain JSON (so it
 * lives in `bench/scenarios/*.json` and round-trips through `JSON.stringify`);
 * every field is optional and falls back to the documented default below.
 * {@link resolveScenarioConfig} fills the defaults and validates every value,
 * throwing `E_ARG` naming the bad path (e.g. `config.wind.speed`).
 */
import { argError, parseIsoUtc, parseUtcOffset } from '../core/index.js';

/** A group of repeat-burn patches placed inside one country (ISO-3) and, optionally, a bounding box. */
export interface PatchGroupConfig {
  /** ISO-3 country the patch centres fall in (`THA`, `MMR`, `LAO`, `CHN`, `VNM`). */
  country: string;
  /** Number of patches. */
  count: number;
  /** Optional `[west, south, east, north]` box the centres must also fall in. */
  bbox?: [number, number, number, number];
  /** Mean fires per patch per day (Poisson). Default: `fires.firesPerPatchPerDay`. */
  firesPerPatchPerDay?: number;
}

/** A diffuse area source: a disc emitting at a steady daytime rate (e.g. smouldering cane fields, crop residue below the satellite's detection limit). */
export interface AreaSourceConfig {
  id?: string;
  /** Centre `[lng, lat]`. */
  center: [number, number];
  /** Disc radius, km. */
  radiusKm: number;
  /** PM2.5 emission while active, kg/h. */
  emissionKgPerHour: number;
  /** Local hours `[from, to)` the area emits (default `[9, 18]`: daytime burning). */
  activeLocalHours?: [number, number];
}

/** A steady point facility (power plant, sugar mill). */
export interface FacilityConfig {
  id?: string;
  name?: string;
  lng: number;
  lat: number;
  /** PM2.5 emission, kg/h, constant in time. */
  emissionKgPerHour: number;
}

/** A monitor `[id, lng, lat]` or `[id, lng, lat, iso3]` (its home country; default: the country containing it). */
export type MonitorConfig = [string, number, number] | [string, number, number, string];

/** A wind eddy family: seeded Gaussian vortices superimposed on the synoptic flow. */
export interface EddyConfig {
  /** Number of eddies over the run. Default 6. */
  count?: number;
  /** Gaussian radius, km. Default 80. */
  radiusKm?: number;
  /** Peak tangential speed, m/s (sign random per eddy). Default 2. */
  speed?: number;
  /** Lifetime of one eddy, hours. Default 36. */
  lifetimeHours?: number;
}

/** Full (user-facing, all-optional) scenario configuration. */
export interface ScenarioConfig {
  /** Scenario name (used in results). Default `'scenario'`. */
  name?: string;
  /** Master seed; every random draw in the scenario derives from it. Default 1. */
  seed?: number;
  /** Domain `[west, south, east, north]` in degrees. Default northern Thailand and neighbours `[96, 16, 103, 23]`. */
  domain?: [number, number, number, number];
  /** Start of the run, ISO 8601 UTC. Default `'2025-03-01T00:00:00Z'` (peak of the burning season). */
  start?: string;
  /** Length of the run, hours. Default 168 (one week). */
  hours?: number;
  /**
   * Local clock used for diurnal cycles, overpasses and episode days: `'+07:00'`-style text or minutes east of
   * UTC as a number. Default `'+07:00'` (Thailand). Resolved to minutes.
   */
  utcOffset?: string | number;
  wind?: {
    /** Grid step of the wind field, degrees. Default 0.25 (ERA5's grid). */
    gridDeg?: number;
    /** Synoptic speed, m/s. Default 4. */
    speed?: number;
    /** Synoptic direction the wind blows FROM at the start, degrees. Default 250 (west-south-westerly: Myanmar into northern Thailand). */
    directionFrom?: number;
    /** Steady turning of the synoptic direction, degrees per day (positive = veering clockwise). Default 10. */
    turnDegPerDay?: number;
    /** Amplitude of a slow oscillation of the direction, degrees. Default 25. */
    swingDeg?: number;
    /** Period of that oscillation, hours. Default 72. */
    swingPeriodHours?: number;
    /** Amplitude of the diurnal speed cycle, m/s (stronger by day as the boundary layer mixes momentum down). Default 1.5. */
    diurnalSpeed?: number;
    /** Local hour of the diurnal speed maximum. Default 14. */
    diurnalPeakLocalHour?: number;
    /** Northward speed gradient across the domain, m/s per degree latitude. Default 0.2. */
    shearPerDeg?: number;
    eddies?: EddyConfig;
  };
  fires?: {
    /** Patch groups. Default: 14 in Myanmar, 10 in Thailand, 8 in Laos. */
    patches?: PatchGroupConfig[];
    /** Patch (repeat-burn area) radius, km. Default 6. */
    patchRadiusKm?: number;
    /** Mean fires per patch per day. Default 3. */
    firesPerPatchPerDay?: number;
    /** Scattered fires outside patches per day, per country (ISO-3 -> count). Default `{ THA: 6, MMR: 6, LAO: 4 }`. */
    scatteredPerDay?: Record<string, number>;
    /** Log-normal FRP of one fire (a burning cluster seen as one detection): median MW. Default 50. */
    frpMedianMw?: number;
    /** Log-normal FRP: log-sd. Default 0.8. */
    frpLogSd?: number;
    /** Local hour of peak fire activity. Default 14 (Giglio 2006: tropical fire activity peaks early afternoon). */
    peakLocalHour?: number;
    /** Spread of fire start times around the peak, hours (normal sd). Default 2.5. */
    startSdHours?: number;
    /** Median fire duration, hours (log-normal, log-sd 0.5). Default 4. */
    durationMedianHours?: number;
    /**
     * PM2.5 emitted per MW of FRP, kg/h. Default 40 ≈ 0.368 kg dry matter per MJ (Wooster et al. 2005) × 3600 s/h
     * × 9 g PM2.5/kg (Andreae 2019) × 3.4, the enhancement GFAS needs to match observed aerosol (Kaiser et al. 2012).
     */
    emissionKgPerMwHour?: number;
  };
  /** Area sources. Default: two cane/farmland discs in Thailand. */
  areas?: AreaSourceConfig[];
  /** Facilities. Default: none. */
  facilities?: FacilityConfig[];
  /** Monitors. Default: the northern Air4Thai stations (see `NORTH_STATIONS`). */
  monitors?: MonitorConfig[];
  dispersion?: {
    /** Time step, minutes. Default 10. */
    stepMinutes?: number;
    /** Target particles released per hour over the whole domain (sets the particle mass). Default 3000. */
    particlesPerHour?: number;
    /** Horizontal eddy diffusivity for the random walk, m²/s. Default 5000 (σ ≈ 29 km after a day). */
    diffusivityM2s?: number;
    /** First-order loss lifetime (deposition + chemistry), hours. Default 48. */
    lifetimeHours?: number;
    /** Particles older than this are retired (their mass is booked as lost), hours. Default 120. */
    maxAgeHours?: number;
    /** Mixing height by day / night, m. Default `[1200, 300]` (dry-season northern Thailand). */
    mixingHeightM?: [number, number];
    /** Local hours `[rise, fall)` of the daytime mixing height. Default `[9, 18]`. */
    mixingDayLocalHours?: [number, number];
    /** Receptor radius, km (particles inside a disc of this radius, diluted over the mixing height). Default 20. */
    receptorRadiusKm?: number;
  };
  observation?: {
    /** Background PM2.5 at every monitor, µg/m³. Default 12. */
    backgroundUgm3?: number;
    /** Relative measurement noise (sd as a fraction). Default 0.1. */
    noiseRel?: number;
    /** Absolute measurement noise sd, µg/m³. Default 2. */
    noiseAbsUgm3?: number;
    /** Wind speed bias of the wind attribution sees, m/s. Default 0. */
    windSpeedBias?: number;
    /** Random speed error sd, m/s. Default 1.5 (typical reanalysis 10-m wind RMSE). */
    windSpeedErrorSd?: number;
    /** Random direction error sd, degrees. Default 20. */
    windDirErrorSd?: number;
    /** Correlation length of the wind error in time, hours (AR(1) per grid node). Default 12. */
    windErrorHours?: number;
    /** Correlation length of the wind error in space, degrees (errors drawn on a coarse grid and interpolated). Default 1.5. */
    windErrorDeg?: number;
    /** Satellite overpasses: local hour and the satellite named in the hotspot rows. Default Terra 10:30/22:30, Aqua 13:30/01:30. */
    overpasses?: { localHour: number; satellite: string; instrument: 'MODIS' | 'VIIRS' }[];
    /** FRP (MW) at which detection probability is 1 - 1/e; P = 1 - exp(-FRP / this). Default 10. */
    detectionFrpMw?: number;
    /** Relative (log-sd) error of detected FRP. Default 0.3. */
    frpErrorLogSd?: number;
    /** Geolocation error of hotspots, km (sd per axis). Default 0.5 (1-km MODIS pixel). */
    positionErrorKm?: number;
    /** Log-sd of the error in reported facility / area emissions. Default 0.3. */
    inventoryErrorLogSd?: number;
  };
  /**
   * Mixed layer and rain in the truth (src/sim/mixing.ts; absent = neither, as in every scenario before it): the forward
   * model lifts a source's smoke into the transport layer only while the mixed layer above the source reaches it, and
   * rain washes particles out. Attribution may then trace 3-D back-trajectories (`TwinOptions.threeD`).
   */
  mixing?: MixingConfig;
  episodes?: {
    /** A monitor-day is an episode when its observed 24-h mean exceeds this, µg/m³. Default 37.5 (Thai 24-h standard). */
    thresholdUgm3?: number;
    /** Hours from the start in which no episode may begin (transport spin-up). Default 48. */
    spinupHours?: number;
    /** At most this many episodes (the highest 24-h means). Default 40. */
    maxEpisodes?: number;
  };
}

/** The `mixing` section of a scenario config: diurnal mixed layer, rain events and the transport layer (all optional). */
export interface MixingConfig {
  /** Height of the transport layer above ground, m: smoke is lifted into it only while the mixed layer reaches it. Default 500 (the usual start height of haze back-trajectories). */
  transportHeightM?: number;
  /** Mixing height at night / at its afternoon peak, m above ground. Default `[150, 1500]` (dry-season northern Thailand). */
  heightM?: [number, number];
  /** Local hours the mixed layer starts growing, peaks and collapses. Default `[8, 15, 19]`. */
  cycleLocalHours?: [number, number, number];
  /** Log-sd of a smooth, steady spatial factor on the mixing height (terrain, land use). Default 0.2. */
  spatialLogSd?: number;
  /** Rain events per day over the domain (Poisson). Default 1.5. */
  rainEventsPerDay?: number;
  /** Gaussian radius of a rain event, km. Default 60. */
  rainRadiusKm?: number;
  /** Peak rain rate at an event's centre, mm/h. Default 6. */
  rainPeakMmH?: number;
  /** Duration of a rain event, hours (sin² ramp up and down). Default 6. */
  rainHours?: number;
  /** Wet removal per mm of rain, mm⁻¹ (the truth's Λ; attribution's default is the same 0.3, see CONTACT_DEFAULTS). Default 0.3. */
  scavengingPerMm?: number;
  /** Error of the mixing height attribution sees: log-sd of an AR(1) factor (12 h, per 1.5° coarse node). Default 0.25. */
  heightErrorLogSd?: number;
  /** Error of the rain attribution sees: log-sd of the same kind of factor. Default 0.5. */
  rainErrorLogSd?: number;
}

/** Every field resolved. */
export interface ResolvedScenarioConfig {
  name: string;
  seed: number;
  domain: [number, number, number, number];
  start: string;
  startMs: number;
  hours: number;
  /** Local clock, minutes east of UTC (420 = +07:00). */
  utcOffset: number;
  wind: Required<Omit<NonNullable<ScenarioConfig['wind']>, 'eddies'>> & { eddies: Required<EddyConfig> };
  fires: Required<NonNullable<ScenarioConfig['fires']>>;
  areas: AreaSourceConfig[];
  facilities: FacilityConfig[];
  monitors: MonitorConfig[] | null;
  dispersion: Required<NonNullable<ScenarioConfig['dispersion']>>;
  observation: Required<NonNullable<ScenarioConfig['observation']>>;
  episodes: Required<NonNullable<ScenarioConfig['episodes']>>;
  /** Present only when the config has a `mixing` section. */
  mixing?: Required<MixingConfig>;
}

/**
 * Defaults of the `mixing` section (see {@link MixingConfig}).
 *
 * @example
 * ```ts
 * import { MIXING_DEFAULTS } from 'hazetrace/sim';
 * MIXING_DEFAULTS.transportHeightM; // 500
 * ```
 */
export const MIXING_DEFAULTS: Readonly<Required<MixingConfig>> = Object.freeze({
  transportHeightM: 500,
  heightM: [150, 1500] as [number, number],
  cycleLocalHours: [8, 15, 19] as [number, number, number],
  spatialLogSd: 0.2,
  rainEventsPerDay: 1.5,
  rainRadiusKm: 60,
  rainPeakMmH: 6,
  rainHours: 6,
  scavengingPerMm: 0.3,
  heightErrorLogSd: 0.25,
  rainErrorLogSd: 0.5,
});

/**
 * Documented defaults (see each field's TSDoc on {@link ScenarioConfig}).
 *
 * @example
 * ```ts
 * import { SCENARIO_DEFAULTS } from 'hazetrace/sim';
 * SCENARIO_DEFAULTS.domain; // [96, 16, 103, 23]: lng/lat box of northern Thailand and neighbours
 * ```
 */
export const SCENARIO_DEFAULTS: Omit<ResolvedScenarioConfig, 'startMs'> = {
  name: 'scenario',
  seed: 1,
  domain: [96, 16, 103, 23],
  start: '2025-03-01T00:00:00Z',
  hours: 168,
  utcOffset: 420,
  wind: {
    gridDeg: 0.25,
    speed: 4,
    directionFrom: 250,
    turnDegPerDay: 10,
    swingDeg: 25,
    swingPeriodHours: 72,
    diurnalSpeed: 1.5,
    diurnalPeakLocalHour: 14,
    shearPerDeg: 0.2,
    eddies: { count: 6, radiusKm: 80, speed: 2, lifetimeHours: 36 },
  },
  fires: {
    patches: [
      { country: 'MMR', count: 14 },
      { country: 'THA', count: 10 },
      { country: 'LAO', count: 8 },
    ],
    patchRadiusKm: 6,
    firesPerPatchPerDay: 3,
    scatteredPerDay: { THA: 6, MMR: 6, LAO: 4 },
    frpMedianMw: 50,
    frpLogSd: 0.8,
    peakLocalHour: 14,
    startSdHours: 2.5,
    durationMedianHours: 4,
    emissionKgPerMwHour: 40,
  },
  areas: [
    { id: 'area-lamphun-farmland', center: [99.1, 18.4], radiusKm: 12, emissionKgPerHour: 150 },
    { id: 'area-phayao-cane', center: [100.0, 19.0], radiusKm: 10, emissionKgPerHour: 120 },
  ],
  facilities: [],
  monitors: null,
  dispersion: {
    stepMinutes: 10,
    particlesPerHour: 3000,
    diffusivityM2s: 5000,
    lifetimeHours: 48,
    maxAgeHours: 120,
    mixingHeightM: [1200, 300],
    mixingDayLocalHours: [9, 18],
    receptorRadiusKm: 20,
  },
  observation: {
    backgroundUgm3: 12,
    noiseRel: 0.1,
    noiseAbsUgm3: 2,
    windSpeedBias: 0,
    windSpeedErrorSd: 1.5,
    windDirErrorSd: 20,
    windErrorHours: 12,
    windErrorDeg: 1.5,
    overpasses: [
      { localHour: 1.5, satellite: 'Aqua', instrument: 'MODIS' },
      { localHour: 10.5, satellite: 'Terra', instrument: 'MODIS' },
      { localHour: 13.5, satellite: 'Aqua', instrument: 'MODIS' },
      { localHour: 22.5, satellite: 'Terra', instrument: 'MODIS' },
    ],
    detectionFrpMw: 10,
    frpErrorLogSd: 0.3,
    positionErrorKm: 0.5,
    inventoryErrorLogSd: 0.3,
  },
  episodes: { thresholdUgm3: 37.5, spinupHours: 48, maxEpisodes: 40 },
};

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

function num(path: string, v: unknown, def: number, min: number, max: number, int = false): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) {
    throw argError(path, v, `${int ? 'an integer' : 'a number'} in ${min}..${max}`);
  }
  return v;
}

function pair(path: string, v: unknown, def: [number, number], min: number, max: number): [number, number] {
  if (v === undefined) return [...def];
  if (!Array.isArray(v) || v.length !== 2) throw argError(path, v, 'a pair [a, b]');
  return [num(`${path}[0]`, v[0], 0, min, max), num(`${path}[1]`, v[1], 0, min, max)];
}

function section(path: string, v: unknown): Obj {
  if (v === undefined) return {};
  if (!isObj(v)) throw argError(path, v, 'an object');
  return v;
}

function str(path: string, v: unknown, def: string): string {
  if (v === undefined) return def;
  if (typeof v !== 'string' || v.length === 0) throw argError(path, v, 'a non-empty string');
  return v;
}

function lngLat(path: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2) throw argError(path, v, 'a [lng, lat] pair');
  return [num(`${path}[0]`, v[0], 0, -180, 180), num(`${path}[1]`, v[1], 0, -90, 90)];
}

/**
 * Fill defaults into a scenario config and validate it. Unknown keys are rejected
 * (a typo must not silently fall back to a default).
 *
 * @example
 * ```ts
 * import { resolveScenarioConfig } from 'hazetrace/sim';
 * const cfg = resolveScenarioConfig({ name: 'demo', seed: 7, hours: 72 });
 * cfg.wind.speed; // 4 (default)
 * ```
 */
export function resolveScenarioConfig(config: ScenarioConfig = {}): ResolvedScenarioConfig {
  const c = section('config', config);
  const D = SCENARIO_DEFAULTS;
  checkKeys('config', c, ['name', 'seed', 'domain', 'start', 'hours', 'utcOffset', 'wind', 'fires', 'areas', 'facilities', 'monitors', 'dispersion', 'observation', 'episodes', 'mixing']);
  const name = str('config.name', c['name'], D.name);
  const seed = num('config.seed', c['seed'], D.seed, 0, 2 ** 32 - 1, true);
  let domain = D.domain;
  if (c['domain'] !== undefined) {
    const d = c['domain'];
    if (!Array.isArray(d) || d.length !== 4) throw argError('config.domain', d, '[west, south, east, north]');
    const [w, s, e, n] = d.map((x, i) => num(`config.domain[${i}]`, x, 0, -180, 180));
    if (!(w! < e! && s! < n!) || s! < -80 || n! > 80) throw argError('config.domain', d, 'west < east, south < north, |lat| <= 80');
    domain = [w!, s!, e!, n!];
  }
  const start = str('config.start', c['start'], D.start);
  let startMs: number;
  try {
    startMs = parseIsoUtc(start);
  } catch {
    throw argError('config.start', start, 'an ISO 8601 UTC time such as 2025-03-01T00:00:00Z');
  }
  if (startMs % 3_600_000 !== 0) throw argError('config.start', start, 'a whole UTC hour');
  const hours = num('config.hours', c['hours'], D.hours, 1, 24 * 60, true);
  const utcOffset = parseUtcOffset((c['utcOffset'] ?? D.utcOffset) as string | number, 'config.utcOffset');

  const w = section('config.wind', c['wind']);
  checkKeys('config.wind', w, Object.keys(D.wind));
  const e = section('config.wind.eddies', w['eddies']);
  checkKeys('config.wind.eddies', e, Object.keys(D.wind.eddies));
  const wind: ResolvedScenarioConfig['wind'] = {
    gridDeg: num('config.wind.gridDeg', w['gridDeg'], D.wind.gridDeg, 0.01, 5),
    speed: num('config.wind.speed', w['speed'], D.wind.speed, 0, 40),
    directionFrom: num('config.wind.directionFrom', w['directionFrom'], D.wind.directionFrom, -360, 720),
    turnDegPerDay: num('config.wind.turnDegPerDay', w['turnDegPerDay'], D.wind.turnDegPerDay, -360, 360),
    swingDeg: num('config.wind.swingDeg', w['swingDeg'], D.wind.swingDeg, 0, 180),
    swingPeriodHours: num('config.wind.swingPeriodHours', w['swingPeriodHours'], D.wind.swingPeriodHours, 1, 1e5),
    diurnalSpeed: num('config.wind.diurnalSpeed', w['diurnalSpeed'], D.wind.diurnalSpeed, 0, 20),
    diurnalPeakLocalHour: num('config.wind.diurnalPeakLocalHour', w['diurnalPeakLocalHour'], D.wind.diurnalPeakLocalHour, 0, 24),
    shearPerDeg: num('config.wind.shearPerDeg', w['shearPerDeg'], D.wind.shearPerDeg, -10, 10),
    eddies: {
      count: num('config.wind.eddies.count', e['count'], D.wind.eddies.count, 0, 1000, true),
      radiusKm: num('config.wind.eddies.radiusKm', e['radiusKm'], D.wind.eddies.radiusKm, 1, 2000),
      speed: num('config.wind.eddies.speed', e['speed'], D.wind.eddies.speed, 0, 40),
      lifetimeHours: num('config.wind.eddies.lifetimeHours', e['lifetimeHours'], D.wind.eddies.lifetimeHours, 1, 1e5),
    },
  };

  const f = section('config.fires', c['fires']);
  checkKeys('config.fires', f, Object.keys(D.fires));
  let patches = D.fires.patches.map((p) => ({ ...p }));
  if (f['patches'] !== undefined) {
    if (!Array.isArray(f['patches'])) throw argError('config.fires.patches', f['patches'], 'an array of patch groups');
    patches = f['patches'].map((p: unknown, i: number) => {
      const path = `config.fires.patches[${i}]`;
      const o = section(path, p);
      checkKeys(path, o, ['country', 'count', 'bbox', 'firesPerPatchPerDay']);
      const g: PatchGroupConfig = { country: str(`${path}.country`, o['country'], ''), count: num(`${path}.count`, o['count'], 0, 0, 10000, true) };
      if (o['bbox'] !== undefined) {
        const b = o['bbox'];
        if (!Array.isArray(b) || b.length !== 4) throw argError(`${path}.bbox`, b, '[west, south, east, north]');
        g.bbox = b.map((x, k) => num(`${path}.bbox[${k}]`, x, 0, -180, 180)) as [number, number, number, number];
      }
      if (o['firesPerPatchPerDay'] !== undefined) g.firesPerPatchPerDay = num(`${path}.firesPerPatchPerDay`, o['firesPerPatchPerDay'], 0, 0, 1000);
      return g;
    });
  }
  let scattered = { ...D.fires.scatteredPerDay };
  if (f['scatteredPerDay'] !== undefined) {
    const s = section('config.fires.scatteredPerDay', f['scatteredPerDay']);
    scattered = {};
    for (const [k, v] of Object.entries(s)) scattered[k] = num(`config.fires.scatteredPerDay.${k}`, v, 0, 0, 1e5);
  }
  const fires: ResolvedScenarioConfig['fires'] = {
    patches,
    patchRadiusKm: num('config.fires.patchRadiusKm', f['patchRadiusKm'], D.fires.patchRadiusKm, 0.1, 200),
    firesPerPatchPerDay: num('config.fires.firesPerPatchPerDay', f['firesPerPatchPerDay'], D.fires.firesPerPatchPerDay, 0, 1000),
    scatteredPerDay: scattered,
    frpMedianMw: num('config.fires.frpMedianMw', f['frpMedianMw'], D.fires.frpMedianMw, 0.01, 1e5),
    frpLogSd: num('config.fires.frpLogSd', f['frpLogSd'], D.fires.frpLogSd, 0, 5),
    peakLocalHour: num('config.fires.peakLocalHour', f['peakLocalHour'], D.fires.peakLocalHour, 0, 24),
    startSdHours: num('config.fires.startSdHours', f['startSdHours'], D.fires.startSdHours, 0, 24),
    durationMedianHours: num('config.fires.durationMedianHours', f['durationMedianHours'], D.fires.durationMedianHours, 0.1, 240),
    emissionKgPerMwHour: num('config.fires.emissionKgPerMwHour', f['emissionKgPerMwHour'], D.fires.emissionKgPerMwHour, 0, 1e6),
  };

  const areasIn = c['areas'] === undefined ? D.areas : c['areas'];
  if (!Array.isArray(areasIn)) throw argError('config.areas', areasIn, 'an array of area sources');
  const areas = areasIn.map((a: unknown, i: number): AreaSourceConfig => {
    const path = `config.areas[${i}]`;
    const o = section(path, a);
    checkKeys(path, o, ['id', 'center', 'radiusKm', 'emissionKgPerHour', 'activeLocalHours']);
    return {
      id: str(`${path}.id`, o['id'], `area-${i}`),
      center: lngLat(`${path}.center`, o['center']),
      radiusKm: num(`${path}.radiusKm`, o['radiusKm'], NaN, 0.1, 500),
      emissionKgPerHour: num(`${path}.emissionKgPerHour`, o['emissionKgPerHour'], NaN, 0, 1e7),
      activeLocalHours: pair(`${path}.activeLocalHours`, o['activeLocalHours'], [9, 18], 0, 24),
    };
  });
  const facIn = c['facilities'] === undefined ? D.facilities : c['facilities'];
  if (!Array.isArray(facIn)) throw argError('config.facilities', facIn, 'an array of facilities');
  const facilities = facIn.map((a: unknown, i: number): FacilityConfig => {
    const path = `config.facilities[${i}]`;
    const o = section(path, a);
    checkKeys(path, o, ['id', 'name', 'lng', 'lat', 'emissionKgPerHour']);
    const id = str(`${path}.id`, o['id'], `facility-${i}`);
    return {
      id,
      name: str(`${path}.name`, o['name'], id),
      lng: num(`${path}.lng`, o['lng'], NaN, -180, 180),
      lat: num(`${path}.lat`, o['lat'], NaN, -90, 90),
      emissionKgPerHour: num(`${path}.emissionKgPerHour`, o['emissionKgPerHour'], NaN, 0, 1e7),
    };
  });
  let monitors: MonitorConfig[] | null = null;
  if (c['monitors'] !== undefined) {
    const m = c['monitors'];
    if (!Array.isArray(m) || m.length === 0) throw argError('config.monitors', m, 'a non-empty array of [id, lng, lat]');
    monitors = m.map((x: unknown, i: number): MonitorConfig => {
      if (!Array.isArray(x) || (x.length !== 3 && x.length !== 4)) throw argError(`config.monitors[${i}]`, x, '[id, lng, lat] or [id, lng, lat, iso3]');
      const [lng, lat] = lngLat(`config.monitors[${i}]`, [x[1], x[2]]);
      const id = str(`config.monitors[${i}][0]`, x[0], '');
      return x.length === 4 ? [id, lng, lat, str(`config.monitors[${i}][3]`, x[3], '')] : [id, lng, lat];
    });
  }

  const dd = section('config.dispersion', c['dispersion']);
  checkKeys('config.dispersion', dd, Object.keys(D.dispersion));
  const dispersion: ResolvedScenarioConfig['dispersion'] = {
    stepMinutes: num('config.dispersion.stepMinutes', dd['stepMinutes'], D.dispersion.stepMinutes, 1, 60),
    particlesPerHour: num('config.dispersion.particlesPerHour', dd['particlesPerHour'], D.dispersion.particlesPerHour, 1, 1e7),
    diffusivityM2s: num('config.dispersion.diffusivityM2s', dd['diffusivityM2s'], D.dispersion.diffusivityM2s, 0, 1e7),
    lifetimeHours: num('config.dispersion.lifetimeHours', dd['lifetimeHours'], D.dispersion.lifetimeHours, 0.1, 1e5),
    maxAgeHours: num('config.dispersion.maxAgeHours', dd['maxAgeHours'], D.dispersion.maxAgeHours, 1, 1e5),
    mixingHeightM: pair('config.dispersion.mixingHeightM', dd['mixingHeightM'], D.dispersion.mixingHeightM, 10, 1e4),
    mixingDayLocalHours: pair('config.dispersion.mixingDayLocalHours', dd['mixingDayLocalHours'], D.dispersion.mixingDayLocalHours, 0, 24),
    receptorRadiusKm: num('config.dispersion.receptorRadiusKm', dd['receptorRadiusKm'], D.dispersion.receptorRadiusKm, 0.1, 500),
  };
  const oo = section('config.observation', c['observation']);
  checkKeys('config.observation', oo, Object.keys(D.observation));
  let overpasses = D.observation.overpasses.map((p) => ({ ...p }));
  if (oo['overpasses'] !== undefined) {
    const ops = oo['overpasses'];
    if (!Array.isArray(ops)) throw argError('config.observation.overpasses', ops, 'an array of { localHour, satellite, instrument }');
    overpasses = ops.map((p: unknown, i: number) => {
      const path = `config.observation.overpasses[${i}]`;
      const o = section(path, p);
      const instrument = o['instrument'] ?? 'MODIS';
      if (instrument !== 'MODIS' && instrument !== 'VIIRS') throw argError(`${path}.instrument`, instrument, "'MODIS' or 'VIIRS'");
      return { localHour: num(`${path}.localHour`, o['localHour'], NaN, 0, 24), satellite: str(`${path}.satellite`, o['satellite'], 'Terra'), instrument };
    });
  }
  const ob = (k: keyof typeof D.observation, min: number, max: number): number =>
    num(`config.observation.${k}`, oo[k], D.observation[k] as number, min, max);
  const observation: ResolvedScenarioConfig['observation'] = {
    backgroundUgm3: ob('backgroundUgm3', 0, 1e4),
    noiseRel: ob('noiseRel', 0, 10),
    noiseAbsUgm3: ob('noiseAbsUgm3', 0, 1e4),
    windSpeedBias: ob('windSpeedBias', -40, 40),
    windSpeedErrorSd: ob('windSpeedErrorSd', 0, 40),
    windDirErrorSd: ob('windDirErrorSd', 0, 180),
    windErrorHours: ob('windErrorHours', 0.1, 1e5),
    windErrorDeg: ob('windErrorDeg', 0.01, 100),
    overpasses,
    detectionFrpMw: ob('detectionFrpMw', 0, 1e5),
    frpErrorLogSd: ob('frpErrorLogSd', 0, 5),
    positionErrorKm: ob('positionErrorKm', 0, 100),
    inventoryErrorLogSd: ob('inventoryErrorLogSd', 0, 5),
  };
  const ep = section('config.episodes', c['episodes']);
  checkKeys('config.episodes', ep, Object.keys(D.episodes));
  const episodes: ResolvedScenarioConfig['episodes'] = {
    thresholdUgm3: num('config.episodes.thresholdUgm3', ep['thresholdUgm3'], D.episodes.thresholdUgm3, 0, 1e5),
    spinupHours: num('config.episodes.spinupHours', ep['spinupHours'], D.episodes.spinupHours, 0, 1e5),
    maxEpisodes: num('config.episodes.maxEpisodes', ep['maxEpisodes'], D.episodes.maxEpisodes, 1, 1e5, true),
  };
  const mixing = c['mixing'] === undefined ? undefined : resolveMixing(c['mixing']);
  return { name, seed, domain, start, startMs, hours, utcOffset, wind, fires, areas, facilities, monitors, dispersion, observation, episodes, ...(mixing ? { mixing } : {}) };
}

function resolveMixing(v: unknown): Required<MixingConfig> {
  const m = section('config.mixing', v);
  const D = MIXING_DEFAULTS;
  checkKeys('config.mixing', m, Object.keys(D));
  const heightM = pair('config.mixing.heightM', m['heightM'], D.heightM, 10, 1e4);
  if (!(heightM[0] <= heightM[1])) throw argError('config.mixing.heightM', m['heightM'], '[night, peak] with night <= peak');
  let cycle = [...D.cycleLocalHours] as [number, number, number];
  if (m['cycleLocalHours'] !== undefined) {
    const c = m['cycleLocalHours'];
    if (!Array.isArray(c) || c.length !== 3) throw argError('config.mixing.cycleLocalHours', c, '[rise, peak, collapse] local hours');
    cycle = c.map((x, i) => num(`config.mixing.cycleLocalHours[${i}]`, x, 0, 0, 24)) as [number, number, number];
    if (!(cycle[0] < cycle[1] && cycle[1] < cycle[2])) throw argError('config.mixing.cycleLocalHours', c, 'rise < peak < collapse');
  }
  const n = (k: keyof MixingConfig, min: number, max: number): number => num(`config.mixing.${k}`, m[k], D[k] as number, min, max);
  return {
    transportHeightM: n('transportHeightM', 10, 1e4),
    heightM,
    cycleLocalHours: cycle,
    spatialLogSd: n('spatialLogSd', 0, 3),
    rainEventsPerDay: n('rainEventsPerDay', 0, 1000),
    rainRadiusKm: n('rainRadiusKm', 1, 2000),
    rainPeakMmH: n('rainPeakMmH', 0, 500),
    rainHours: n('rainHours', 0.5, 240),
    scavengingPerMm: n('scavengingPerMm', 0, 100),
    heightErrorLogSd: n('heightErrorLogSd', 0, 3),
    rainErrorLogSd: n('rainErrorLogSd', 0, 3),
  };
}

function checkKeys(path: string, o: Obj, allowed: string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw argError(`${path}.${k}`, o[k], `absent (unknown key; allowed: ${allowed.join(', ')})`);
  }
}
