/**
 * A complete twin experiment: build the scenario, run the forward model with
 * the true wind, observe it imperfectly, detect episodes from the noisy
 * monitors, then attribute each episode with hazetrace's kernel attribution,
 * PSCF-weighted attribution and the classic 50 km / 72 h buffer count — with
 * the perfect and the perturbed wind — and score each against the truth.
 */
import { DAY_MS, HOUR_MS, toIsoUtc } from '../core/index.js';
import type { WindField } from '../core/index.js';
import {
  areaSources, attribute, calibrateScales, categoryExposures, detectEpisodes, facilitySources, hotspotSources, mergeSources, polygonIndex,
} from '../attribution/index.js';
import type { AttributeOptions, ContactOptions, ContactWeighting, Episode, SourceLayer } from '../attribution/index.js';
import type { Feature, FeatureCollection } from '../io/index.js';
import { griddedWind, traceTrajectories } from '../wind/index.js';
import type { TraceStart } from '../wind/index.js';
import type { ResolvedScenarioConfig, ScenarioConfig } from './config.js';
import { runDispersion } from './dispersion.js';
import type { DispersionResult } from './dispersion.js';
import { COUNTRY_RINGS } from './embedded.js';
import { discRing } from './geo.js';
import { bufferCount, episodeTrajectories, pscfWeighted } from './methods.js';
import type { BufferCountOptions, PscfWeightedOptions } from './methods.js';
import { observe } from './observe.js';
import type { Observations } from './observe.js';
import { buildScenario } from './scenario.js';
import type { Scenario } from './scenario.js';
import { episodeTruth, scoreEpisode, summariseSkill } from './skill.js';
import type { Skill } from './skill.js';
import { perturbWind } from './windgen.js';
import { mixingTrajectories, perturbMixing } from './mixing.js';
import type { MixingFields, MixingTrajectories, MixingTrajectoryOptions } from './mixing.js';
import type { WindArrays } from './windgen.js';
import { checkArray, checkOneOf, checkOptions } from '../core/check.js';
import { checkObservations, checkScenario, checkSetup } from './check.js';

/** The three methods the benchmark compares. */
export type TwinMethod = 'hazetrace' | 'pscf' | 'buffer';
/**
 * The attribution methods a twin experiment scores side by side: hazetrace's kernel attribution, PSCF-weighted
 * attribution and the classic 50 km / 72 h hotspot count.
 *
 * @example
 * ```ts
 * import { TWIN_METHODS } from 'hazetrace/sim';
 * TWIN_METHODS; // ['hazetrace', 'pscf', 'buffer']
 * ```
 */
export const TWIN_METHODS: readonly TwinMethod[] = ['hazetrace', 'pscf', 'buffer'];

/** Options of {@link runTwin}. */
export interface TwinOptions {
  /** Wind cases to run. Default both. */
  winds?: ('perfect' | 'perturbed')[];
  /** Override `dispersion.particlesPerHour` (small, fast runs). */
  particlesPerHour?: number;
  /**
   * Options passed to hazetrace's `attribute` (kernel widths, time window, ensemble, scales). `wind`,
   * `receptors`, `domesticRegion` and `maxSources` are set by the experiment. Default: attribution's defaults with
   * `scales` 1 for every category (the sim reports every weight in FRP-equivalent MW, see {@link candidateLayer}).
   */
  attribute?: Omit<AttributeOptions, 'wind' | 'receptors' | 'trajectories' | 'domesticRegion' | 'maxSources'>;
  pscf?: PscfWeightedOptions;
  buffer?: BufferCountOptions;
  /** Back-trajectory hours for the PSCF and buffer methods. Default 72. */
  trajectoryHours?: number;
  /**
   * Put the categories on one scale with attribution's `calibrateScales` (NNLS of every monitor's observed PM2.5 on the
   * per-category exposures of back-trajectories started every `calibrationStepHours` at every monitor), as docs/attribution.md
   * prescribes. Default true; ignored when `attribute.scales` is given.
   */
  calibrate?: boolean;
  /** Hours between calibration back-trajectory starts. Default 3. */
  calibrationStepHours?: number;
  /** Keep the per-source truth and attribution vectors on each episode score (for plots and diagnostics). Default false. */
  keepVectors?: boolean;
  /**
   * Mixing scenarios (config `mixing`): hazetrace calibrates and attributes on 3-D back-trajectories at the transport
   * height (src/sim/mixing.ts `mixingTrajectories`, 9-member offset ensembles) instead of 2-D ones, with `contact`
   * weighting ('none' default) passed to `categoryExposures` and `attribute`. `trajectories` reuses a traced set (e.g.
   * for scoring with and without weighting on the same paths). PSCF and the buffer count stay on 2-D trajectories.
   */
  threeD?: { contact?: ContactWeighting; contactOptions?: ContactOptions; trajectories?: MixingTrajectories } & MixingTrajectoryOptions;
}

/** Per-episode scores of one method. */
export interface EpisodeScore extends Skill {
  station: string;
  start: number;
  end: number;
  /** With `keepVectors`: true and attributed per-source contributions (indexed like `scenario.sources`). */
  truth?: Float64Array;
  attributed?: Float64Array;
}

/** Result of one wind case. */
export interface TwinWindResult {
  wind: 'perfect' | 'perturbed';
  /** Category scales used by hazetrace (from `calibrateScales`), or null when scales were given / calibration was off. */
  calibration: { scales: Record<string, number>; calibrated: boolean; r2: number; background: number; warnings: string[] } | null;
  methods: Record<TwinMethod, Skill & { episodes: number }>;
  perEpisode: Record<TwinMethod, EpisodeScore[]>;
}

/** Result of {@link runTwin}. */
export interface TwinResult {
  name: string;
  scenario: Scenario;
  dispersion: DispersionResult;
  observations: Observations;
  perturbedWind: WindArrays;
  episodes: Episode[];
  /** Truth summary over the episodes: mean category shares and cross-border share. */
  truthSummary: { categoryShares: Record<string, number>; crossBorderShare: number; visibleFraction: number };
  results: TwinWindResult[];
  timingsMs: Record<string, number>;
  toJSON(): Record<string, unknown>;
}

/**
 * The candidate source layer attribution sees, built with hazetrace/attribution's own builders: detected hotspots
 * (category `fire_repeat_burn` inside a repeat-burn patch, else `fire_other`), area sources (polygons) and facilities,
 * all tagged with their country from the embedded Natural Earth slice. Area and facility weights are the reported
 * emissions in FRP-equivalent MW (kg/h ÷ the scenario's emission factor), so all kinds share one unit.
 *
 * @example
 * ```ts
 * import { buildScenario, runDispersion, observe, candidateLayer } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const sc = buildScenario({ hours: 24 });
 * const obs = observe(sc, runDispersion(sc, griddedWind(sc.wind), { particlesPerHour: 200 }));
 * const { layer, rowTruth } = candidateLayer(sc, obs);
 * layer.length === rowTruth.length; // true
 * ```
 */
export function candidateLayer(sc: Scenario, obs: Observations): { layer: SourceLayer; rowTruth: Int32Array } {
  checkScenario('sc', sc);
  checkObservations('obs', obs);
  const countries: FeatureCollection = {
    type: 'FeatureCollection',
    features: Object.entries(COUNTRY_RINGS).map(([iso, rings]): Feature => ({
      type: 'Feature', properties: { iso_a3: iso },
      geometry: { type: 'MultiPolygon', coordinates: rings.map((r) => [[...r.map((p) => [p[0], p[1]]), [r[0]![0], r[0]![1]]]]) },
    })),
  };
  const regions = polygonIndex(countries, { property: 'iso_a3' });
  const patches = polygonIndex(
    { type: 'FeatureCollection', features: sc.patches.map((p): Feature => ({ type: 'Feature', properties: { class: 'repeat_burn' }, geometry: { type: 'Polygon', coordinates: [discRing(p.lng, p.lat, p.radiusKm)] } })) },
    { property: 'class' },
  );
  const src = sc.sources;
  const ef = sc.config.fires.emissionKgPerMwHour;
  const areaFeatures: Feature[] = [];
  const facilityRows: Record<string, unknown>[] = [];
  for (let i = 0; i < src.length; i++) {
    const w = ef > 0 ? obs.reportedRateKgH[i]! / ef : obs.reportedRateKgH[i]!;
    if (src.kind[i] === 'area') {
      areaFeatures.push({ type: 'Feature', properties: { id: src.id[i], class: 'area', weight: w }, geometry: { type: 'Polygon', coordinates: [discRing(src.lng[i]!, src.lat[i]!, src.radiusKm[i]!)] } });
    } else if (src.kind[i] === 'facility') {
      facilityRows.push({ facility_id: src.id[i], name: src.id[i], latitude: src.lat[i], longitude: src.lng[i], primary_fuel: 'coal', capacity_mw: w });
    }
  }
  const layers: SourceLayer[] = [hotspotSources(obs.hotspots, { regions, areas: [patches] })];
  if (areaFeatures.length) layers.push(areaSources({ type: 'FeatureCollection', features: areaFeatures }, { regions }));
  if (facilityRows.length) layers.push(facilitySources(facilityRows, { regions, fuelFactors: { coal: 1 } }).layer);
  const layer = layers.length === 1 ? layers[0]! : mergeSources(...layers);
  const byId = new Map(src.id.map((id, i) => [id, i]));
  const rowTruth = Int32Array.from(layer.id, (id) => {
    const m = /^hotspot:(\d+)$/.exec(id);
    if (m) return obs.hotspotSource[Number(m[1])]!;
    return byId.get(id) ?? -1;
  });
  return { layer, rowTruth };
}

/** Sum per-row values into per-truth-source values. */
function toTruthIndex(rowValues: ArrayLike<number>, rowTruth: Int32Array, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < rowTruth.length; r++) if (rowTruth[r]! >= 0) out[rowTruth[r]!]! += rowValues[r]!;
  return out;
}

/**
 * Episodes from the noisy monitors: local days whose observed mean exceeds the threshold (attribution's
 * `detectEpisodes`, daily averaging), each day scored on its own (a week-long haze spell gives seven episodes), after
 * the spin-up, the highest `maxEpisodes` daily means.
 *
 * @example
 * ```ts
 * import { buildScenario, runDispersion, observe, twinEpisodes } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const sc = buildScenario({ hours: 96 });
 * twinEpisodes(sc, observe(sc, runDispersion(sc, griddedWind(sc.wind), { particlesPerHour: 300 }))); // Episode[]
 * ```
 */
export function twinEpisodes(sc: Scenario, obs: Observations): Episode[] {
  checkScenario('sc', sc);
  checkObservations('obs', obs);
  const cfg: ResolvedScenarioConfig = sc.config;
  const set = detectEpisodes(obs.series, { threshold: cfg.episodes.thresholdUgm3, averaging: 'daily', utcOffset: cfg.utcOffset });
  const runEnd = cfg.startMs + cfg.hours * HOUR_MS;
  const pm = obs.series.values['pm25_ugm3']!;
  const hours = cfg.hours;
  const monIndex = new Map(sc.monitors.map((m, i) => [m.id, i]));
  const days: Episode[] = [];
  for (const e of set.episodes) {
    const mi = monIndex.get(e.station);
    if (mi === undefined) continue;
    for (let d = e.start; d + DAY_MS <= e.end; d += DAY_MS) {
      if (d < cfg.startMs + cfg.episodes.spinupHours * HOUR_MS || d + DAY_MS > runEnd) continue;
      let sum = 0, n = 0, peak = -Infinity, peakTime = d;
      for (let h = 0; h < 24; h++) {
        const k = Math.round((d - cfg.startMs) / HOUR_MS) + h;
        const v = pm[mi * hours + k]!;
        if (!Number.isFinite(v)) continue;
        sum += v;
        n++;
        if (v > peak) [peak, peakTime] = [v, d + h * HOUR_MS];
      }
      const mean = n ? sum / n : NaN;
      if (!(mean > cfg.episodes.thresholdUgm3)) continue;
      days.push({ id: `${e.station}@${toIsoUtc(d)}`, station: e.station, start: d, end: d + DAY_MS, peakTime, peakValue: peak, meanValue: mean, samples: 1, threshold: cfg.episodes.thresholdUgm3 });
    }
  }
  days.sort((a, b) => b.meanValue - a.meanValue || a.start - b.start || (a.station < b.station ? -1 : 1));
  return days.slice(0, cfg.episodes.maxEpisodes).sort((a, b) => a.start - b.start || (a.station < b.station ? -1 : a.station > b.station ? 1 : 0));
}

/** The expensive, method-independent part of a twin experiment: scenario, forward run, observations, episodes. */
export interface TwinSetup {
  scenario: Scenario;
  dispersion: DispersionResult;
  observations: Observations;
  perturbedWind: WindArrays;
  episodes: Episode[];
  /** Per-episode true per-source contributions (µg/m³, mean over the episode). */
  truths: Float64Array[];
  layer: SourceLayer;
  rowTruth: Int32Array;
  /** 1 for sources attribution can see (detected fires, areas, facilities). */
  visible: Uint8Array;
  /** Mixing scenarios: the true mixing height and rain, and what attribution sees (src/sim/mixing.ts `perturbMixing`). */
  mixing?: { truth: MixingFields; seen: MixingFields };
  timingsMs: Record<string, number>;
}

/**
 * Build, run and observe a scenario, and find its episodes (everything but the attribution).
 *
 * @example
 * ```ts
 * import { setupTwin } from 'hazetrace/sim';
 * const s = setupTwin({ hours: 72 }, { particlesPerHour: 300 });
 * s.episodes.length; // episodes found in the noisy monitor data
 * ```
 */
export function setupTwin(config: ScenarioConfig, options: Pick<TwinOptions, 'particlesPerHour'> = {}): TwinSetup {
  checkOptions('config', config);
  checkOptions('options', options);
  const timingsMs: Record<string, number> = {};
  let t = performance.now();
  const scenario = buildScenario(config);
  timingsMs['scenario'] = performance.now() - t;
  t = performance.now();
  const dispersion = runDispersion(scenario, griddedWind(scenario.wind), options.particlesPerHour !== undefined ? { particlesPerHour: options.particlesPerHour } : {});
  timingsMs['dispersion'] = performance.now() - t;
  t = performance.now();
  const observations = observe(scenario, dispersion);
  const episodes = twinEpisodes(scenario, observations);
  const { layer, rowTruth } = candidateLayer(scenario, observations);
  const perturbedWind = perturbWind(scenario.wind, scenario.config.observation, scenario.config.seed);
  const monIndex = new Map(scenario.monitors.map((m, i) => [m.id, i]));
  const truths = episodes.map((ep) => episodeTruth(scenario, dispersion, { monitor: monIndex.get(ep.station)!, start: ep.start, end: ep.end }));
  const visible = new Uint8Array(scenario.sources.length);
  for (const r of rowTruth) if (r >= 0) visible[r] = 1;
  timingsMs['observe'] = performance.now() - t;
  const mixing = scenario.mixing ? { truth: scenario.mixing, seen: perturbMixing(scenario.mixing, scenario.config, scenario.config.seed) } : undefined;
  return { scenario, dispersion, observations, perturbedWind, episodes, truths, layer, rowTruth, visible, ...(mixing ? { mixing } : {}), timingsMs };
}

/**
 * Attribute every episode of a prepared twin with the three methods under one wind case and score them.
 *
 * @example
 * ```ts
 * import { setupTwin, scoreTwin } from 'hazetrace/sim';
 * const s = setupTwin({ hours: 96 }, { particlesPerHour: 300 });
 * scoreTwin(s, 'perturbed', { attribute: { timeSigmaHours: 6 } }).methods.hazetrace.spearman;
 * ```
 */
export function scoreTwin(setup: TwinSetup, windCase: 'perfect' | 'perturbed', options: TwinOptions = {}): TwinWindResult & { timingsMs: Record<string, number> } {
  checkSetup('setup', setup);
  checkOneOf('windCase', windCase, ['perfect', 'perturbed']);
  checkOptions('options', options);
  const field: WindField = griddedWind(windCase === 'perfect' ? setup.scenario.wind : setup.perturbedWind);
  let calibration: TwinWindResult['calibration'] = null;
  let t = performance.now();
  const tr3d = options.threeD ? (options.threeD.trajectories ?? mixingTrajectories(setup, windCase, options.threeD)) : null;
  const contact = options.threeD ? { contact: options.threeD.contact ?? 'none', ...(options.threeD.contactOptions ? { contactOptions: options.threeD.contactOptions } : {}) } : {};
  if (options.calibrate !== false && options.attribute?.scales === undefined) {
    calibration = calibrateTwin(setup, field, options, tr3d, contact);
  }
  const calibMs = performance.now() - t;
  const { scenario: sc, dispersion, observations: obs, episodes, truths, layer, rowTruth, visible } = setup;
  const timings: Record<string, number> = { calibration: calibMs };
  const tick = (k: string, t0: number): void => void (timings[k] = (timings[k] ?? 0) + (performance.now() - t0));
  const nSrc = sc.sources.length;
  const monIndex = new Map(sc.monitors.map((m, i) => [m.id, i]));
  const hours = dispersion.times.length;
  const pm = obs.series.values['pm25_ugm3']!;
  const scales = calibration?.scales ?? Object.fromEntries(['fire_repeat_burn', 'fire_other', 'area', 'facility'].map((c) => [c, 1]));
  const rowOf = new Map<string, number>();
  layer.id.forEach((id, r) => {
    if (!rowOf.has(id)) rowOf.set(id, r);
  });
  t = performance.now();
  const att = episodes.length
    ? attribute(episodes, layer, {
        ...options.attribute,
        ...contact,
        scales: { ...scales, ...(options.attribute?.scales ?? {}) },
        ...(tr3d ? { trajectories: tr3d.attribution } : { wind: field }), receptors: obs.stations, domesticRegion: 'THA', maxSources: Number.MAX_SAFE_INTEGER,
      })
    : null;
  tick('hazetrace', t);
  const per: Record<TwinMethod, EpisodeScore[]> = { hazetrace: [], pscf: [], buffer: [] };
  episodes.forEach((ep, e) => {
    const mi = monIndex.get(ep.station)!;
    const mon = sc.monitors[mi]!;
    const truth = truths[e]!;
    const home = mon.country || 'THA';
    const rowScore = new Float64Array(layer.length);
    // Area rows share their area's id: the group score goes to the first row, which maps to the same truth source.
    for (const s of att?.episodes[e]?.sources ?? []) {
      const r = rowOf.get(s.id);
      if (r !== undefined) rowScore[r]! += s.score;
    }
    const hz = toTruthIndex(rowScore, rowTruth, nSrc);
    t = performance.now();
    const h0 = Math.round((ep.start - dispersion.times[0]!) / HOUR_MS);
    const h1 = Math.round((ep.end - dispersion.times[0]!) / HOUR_MS);
    const starts: number[] = [], vals: number[] = [];
    for (let h = Math.max(0, h0); h < Math.min(hours, h1); h++) {
      starts.push(dispersion.times[h]!);
      vals.push(pm[mi * hours + h]!);
    }
    const et = episodeTrajectories(field, mon, starts, vals, { hours: options.trajectoryHours ?? 72 });
    tick('trajectories', t);
    t = performance.now();
    const ps = toTruthIndex(pscfWeighted(layer, et, options.pscf ?? {}), rowTruth, nSrc);
    tick('pscf', t);
    t = performance.now();
    const bu = toTruthIndex(bufferCount(layer, et, options.buffer ?? {}), rowTruth, nSrc);
    tick('buffer', t);
    const tag = { station: ep.station, start: ep.start, end: ep.end };
    const keep = (v: Float64Array): Partial<EpisodeScore> => (options.keepVectors ? { truth, attributed: v } : {});
    per.hazetrace.push({ ...tag, ...scoreEpisode(sc, truth, hz, home, visible), ...keep(hz) });
    per.pscf.push({ ...tag, ...scoreEpisode(sc, truth, ps, home, visible), ...keep(ps) });
    per.buffer.push({ ...tag, ...scoreEpisode(sc, truth, bu, home, visible), ...keep(bu) });
  });
  return {
    wind: windCase,
    methods: { hazetrace: summariseSkill(per.hazetrace), pscf: summariseSkill(per.pscf), buffer: summariseSkill(per.buffer) },
    perEpisode: per,
    calibration,
    timingsMs: timings,
  };
}

/** Category scales from attribution's `calibrateScales` on every monitor's hourly series (see {@link TwinOptions.calibrate}). */
function calibrateTwin(
  setup: TwinSetup,
  field: WindField,
  options: TwinOptions,
  tr3d: MixingTrajectories | null = null,
  contact: { contact?: ContactWeighting; contactOptions?: ContactOptions } = {},
): NonNullable<TwinWindResult['calibration']> {
  const { scenario: sc, observations: obs, layer } = setup;
  const cfg = sc.config;
  const step = (options.calibrationStepHours ?? 3) * HOUR_MS;
  const starts: TraceStart[] = [];
  // Mid-hour starts: the value labelled t is the mean over (t, t + 1 h].
  for (let t = cfg.startMs + cfg.episodes.spinupHours * HOUR_MS; t < cfg.startMs + cfg.hours * HOUR_MS; t += step) {
    for (const m of sc.monitors) starts.push({ lng: m.lng, lat: m.lat, time: t + HOUR_MS / 2, receptor: m.id });
  }
  const { scales: _ignored, ...kernel } = options.attribute ?? {};
  const set = tr3d ? tr3d.calibration : traceTrajectories(field, starts, { hours: kernel.hours ?? 72 });
  const exposures = categoryExposures(set, layer, { ...kernel, ...contact });
  const c = calibrateScales(
    { station: obs.series.station, time: Float64Array.from(obs.series.time, (t) => t + HOUR_MS / 2), value: obs.series.values['pm25_ugm3']! },
    exposures,
    { bootstrap: 0 },
  );
  return { scales: c.scales, calibrated: c.calibrated, r2: c.r2, background: c.background, warnings: c.warnings };
}

/**
 * What the episodes of a twin really were: mean true category shares, cross-border share and the fraction of the
 * true contribution that came from sources attribution could see at all (means over episodes).
 *
 * @example
 * ```ts
 * import { setupTwin, twinTruthSummary } from 'hazetrace/sim';
 * twinTruthSummary(setupTwin({ hours: 96 }, { particlesPerHour: 300 })).visibleFraction; // e.g. 0.7
 * ```
 */
export function twinTruthSummary(setup: TwinSetup): TwinResult['truthSummary'] {
  checkSetup('setup', setup);
  const { scenario: sc, episodes, truths, visible } = setup;
  const monIndex = new Map(sc.monitors.map((m, i) => [m.id, i]));
  const categoryShares: Record<string, number> = {};
  let crossBorderShare = 0, visibleFraction = 0;
  truths.forEach((tr, e) => {
    const home = sc.monitors[monIndex.get(episodes[e]!.station)!]!.country || 'THA';
    let tot = 0, cb = 0, vis = 0;
    const cs: Record<string, number> = {};
    tr.forEach((v, i) => {
      if (!(v > 0)) return;
      tot += v;
      if (visible[i]) vis += v;
      if (sc.sources.country[i] !== home) cb += v;
      cs[sc.sources.category[i]!] = (cs[sc.sources.category[i]!] ?? 0) + v;
    });
    if (tot > 0) {
      for (const [k, v] of Object.entries(cs)) categoryShares[k] = (categoryShares[k] ?? 0) + v / tot / truths.length;
      crossBorderShare += cb / tot / truths.length;
      visibleFraction += vis / tot / truths.length;
    }
  });
  return { categoryShares, crossBorderShare, visibleFraction };
}

/**
 * Run a twin experiment from a scenario config: {@link setupTwin} then {@link scoreTwin} for each wind case.
 *
 * @example
 * ```ts
 * import { runTwin } from 'hazetrace/sim';
 * const r = runTwin({ name: 'demo', seed: 4, hours: 96 }, { particlesPerHour: 500, winds: ['perfect'] });
 * r.results[0].methods.hazetrace.categoryShareMaePp; // mean error over the episodes, percentage points
 * ```
 */
export function runTwin(config: ScenarioConfig, options: TwinOptions = {}): TwinResult {
  checkOptions('config', config);
  checkOptions('options', options);
  if (options.winds !== undefined) for (const w of checkArray('options.winds', options.winds)) checkOneOf('options.winds[]', w, ['perfect', 'perturbed']);
  const setup = setupTwin(config, options);
  const { scenario: sc, dispersion, observations: obs, episodes } = setup;
  const timings = { ...setup.timingsMs };
  const nSrc = sc.sources.length;
  const results: TwinWindResult[] = [];
  for (const windCase of options.winds ?? ['perfect', 'perturbed']) {
    const { timingsMs, ...r } = scoreTwin(setup, windCase, options);
    for (const [k, v] of Object.entries(timingsMs)) timings[`${k}-${windCase}`] = v;
    results.push(r);
  }
  const truthSummary = twinTruthSummary(setup);
  return {
    name: sc.config.name, scenario: sc, dispersion, observations: obs, perturbedWind: setup.perturbedWind, episodes, truthSummary, results, timingsMs: timings,
    toJSON() {
      return {
        name: sc.config.name, seed: sc.config.seed, episodes: episodes.length, sources: nSrc, hotspots: obs.hotspots.length,
        massBalance: dispersion.massBalance, truthSummary, timingsMs: timings,
        results: results.map((r) => ({ wind: r.wind, methods: r.methods, calibration: r.calibration })),
      };
    },
  };
}
