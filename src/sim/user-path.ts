/**
 * Twin experiments scored on the path users take: the scenario exported to ordinary files
 * ({@link exportScenarioFiles}), read back with the public readers and attributed with `attributeSeries`
 * (or the CLI `hazetrace attribute`, which calls it), then scored from the outputs a user gets — the contract
 * JSON and the full `attribution.json` (bands, sources) — against the known truth. Browser-safe: file names
 * map to text or bytes; running the CLI and writing files is the caller's job (bench/skill.ts).
 */
import { HOUR_MS } from '../core/index.js';
import type { WindField } from '../core/index.js';
import { attributeSeries } from '../attribution/index.js';
import type { AttributeSeriesOptions, SeriesAttribution, SourceLayer } from '../attribution/index.js';
import { readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv } from '../io/index.js';
import { windFromNetcdf } from '../wind/index.js';
import { bufferCount, episodeTrajectories, pscfWeighted } from './methods.js';
import { SIM_CATEGORIES } from './scenario.js';
import { episodeTruth, scoreEpisode, shares, summariseSkill } from './skill.js';
import type { Skill } from './skill.js';
import type { TwinSetup } from './twin.js';
import { checkItems, checkObject, checkOptions, checkShape, checkString } from '../core/check.js';
import { checkPositive, HazetraceError } from '../core/errors.js';
import { checkFiles, checkScenario, checkSetup } from './check.js';

/**
 * The exported files each input of `hazetrace attribute` is read from (the wind is `wind_perturbed.nc`).
 *
 * @example
 * ```ts
 * import { TWIN_USER_FILES } from 'hazetrace/sim';
 * TWIN_USER_FILES.hotspots; // 'hotspots_firms.csv'
 * ```
 */
export const TWIN_USER_FILES = {
  hotspots: 'hotspots_firms.csv',
  pm25: 'pm25_hourly.csv',
  stations: 'stations.csv',
  regions: 'countries.geojson',
  areas: 'repeat_burn_patches.geojson',
  facilities: 'facilities.csv',
} as const;

type Files = Record<string, string | Uint8Array>;
const text = (files: Files, name: string): string => {
  const f = files[name];
  if (f === undefined) throw new HazetraceError('E_INPUT', `twin export has no ${name}`, { file: name });
  return typeof f === 'string' ? f : new TextDecoder().decode(f);
};
/** A facilities CSV with at least one data row (the CLI rejects an empty one). */
const hasRows = (csv: string | undefined): boolean => csv !== undefined && csv.trim().split('\n').length > 1;

/**
 * Arguments of `hazetrace attribute` on an exported twin in `dir` (paths joined with `/`), JSON on stdout and the
 * full result in `out`; `windFile` is `wind_perturbed.nc` (what a user has) unless given. Every source is listed
 * (`--max-sources`), so per-source scores cover all of them.
 *
 * @example
 * ```ts
 * import { twinAttributeArgs } from 'hazetrace/sim';
 * twinAttributeArgs('out/twin', 'out/twin/run', { facilities: false }).slice(0, 3); // ['attribute', '--hotspots', 'out/twin/hotspots_firms.csv']
 * ```
 */
export function twinAttributeArgs(dir: string, out: string, o: { facilities: boolean; windFile?: string; extra?: string[] }): string[] {
  checkString('dir', dir);
  checkString('out', out);
  checkShape('o', o, { facilities: 'boolean', windFile: 'string?', extra: 'array?' });
  const p = (n: string): string => `${dir}/${n}`;
  return [
    'attribute',
    '--hotspots', p(TWIN_USER_FILES.hotspots),
    '--pm25', p(TWIN_USER_FILES.pm25),
    '--stations', p(TWIN_USER_FILES.stations),
    '--wind', p(o.windFile ?? 'wind_perturbed.nc'),
    '--regions', p(TWIN_USER_FILES.regions),
    '--repeat-burn', p(TWIN_USER_FILES.areas),
    ...(o.facilities ? ['--facilities', p(TWIN_USER_FILES.facilities)] : []),
    '--max-sources', String(TWIN_MAX_SOURCES),
    '--trajectories', 'none',
    '--allow-empty',
    ...(o.extra ?? []),
    '--json',
    '--out', out,
  ];
}

/**
 * Ranked sources listed per episode in twin runs (`--max-sources`): all of them, so per-source scores see every source.
 *
 * @example
 * ```ts
 * import { TWIN_MAX_SOURCES } from 'hazetrace/sim';
 * TWIN_MAX_SOURCES; // 1000000
 * ```
 */
export const TWIN_MAX_SOURCES = 1_000_000;

/**
 * Whether an exported twin has facility rows (then `--facilities` is passed; the CLI rejects an empty facilities file).
 *
 * @example
 * ```ts
 * import { twinHasFacilities } from 'hazetrace/sim';
 * twinHasFacilities({ 'facilities.csv': 'facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw\n' }); // false
 * ```
 */
export function twinHasFacilities(files: Files): boolean {
  checkFiles('files', files);
  return hasRows(files[TWIN_USER_FILES.facilities] === undefined ? undefined : text(files, TWIN_USER_FILES.facilities));
}

/**
 * The library path on an exported twin: every file read with the public readers (`readFirmsCsv`,
 * `readStationSeriesCsv`, `readStationsCsv`, `windFromNetcdf`, `readGeoJsonLayer`) and attributed with
 * `attributeSeries` with the given options (default: the CLI's defaults, every source listed).
 *
 * @example
 * ```ts
 * import { setupTwin, exportScenarioFiles, attributeTwinFiles } from 'hazetrace/sim';
 * const s = setupTwin({ hours: 72 }, { particlesPerHour: 300 });
 * const files = exportScenarioFiles({ scenario: s.scenario, dispersion: s.dispersion, observations: s.observations, perturbedWind: s.perturbedWind });
 * const r = await attributeTwinFiles(files);
 * r.contract().episodes.length; // attributed episodes
 * ```
 */
export async function attributeTwinFiles(files: Files, options: AttributeSeriesOptions & { windFile?: string } = {}): Promise<SeriesAttribution> {
  checkFiles('files', files);
  checkOptions('options', options);
  const { windFile, ...opts } = options;
  const wind = await windFromNetcdf(files[windFile ?? 'wind_perturbed.nc'] as Uint8Array);
  return attributeTwinInputs(files, wind, opts);
}

/**
 * {@link attributeTwinFiles} with the wind given as a field (e.g. the true wind, for the perfect-wind case).
 *
 * @example
 * ```ts
 * import { setupTwin, exportScenarioFiles, attributeTwinInputs } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const s = setupTwin({ hours: 72 }, { particlesPerHour: 300 });
 * const files = exportScenarioFiles({ scenario: s.scenario, dispersion: s.dispersion, observations: s.observations });
 * attributeTwinInputs(files, griddedWind(s.scenario.wind)).settings.ensemble; // 'offset'
 * ```
 */
export function attributeTwinInputs(files: Files, wind: WindField, options: AttributeSeriesOptions = {}): SeriesAttribution {
  checkFiles('files', files);
  checkShape('wind', wind, { sample: 'function' });
  checkOptions('options', options);
  const utcOffset = options.utcOffset ?? '+07:00';
  const series = readStationSeriesCsv(text(files, TWIN_USER_FILES.pm25), { utcOffset });
  return attributeSeries(
    {
      hotspots: readFirmsCsv(text(files, TWIN_USER_FILES.hotspots)).hotspots,
      series,
      stations: readStationsCsv(text(files, TWIN_USER_FILES.stations)).stations,
      wind,
      regions: readGeoJsonLayer(text(files, TWIN_USER_FILES.regions)),
      areas: readGeoJsonLayer(text(files, TWIN_USER_FILES.areas)),
      ...(twinHasFacilities(files) ? { facilities: text(files, TWIN_USER_FILES.facilities) } : {}),
    },
    { maxSources: TWIN_MAX_SOURCES, ...options },
  );
}

/** A band as written in attribution.json. */
interface BandJson {
  share: number;
  low: number | null;
  high: number | null;
}
/** The parts of the contract JSON and of attribution.json the scoring reads. */
export interface UserOutputs {
  contract: { episodes: { station: string; start: string; end: string; peakTime: string; peakValue: number; sharesByCategory: Record<string, number>; sharesByRegion: Record<string, number>; sources: { id: string; share: number }[] }[] };
  full: { episodes: { status?: string; episode: { station: string; start: string | null } | string; sharesByCategory?: Record<string, BandJson>; crossBorder?: BandJson }[] };
}

/** A detected episode (from the contract) as matching needs it, UTC ms. */
export interface DetectedEpisode {
  station: string;
  start: number;
  end: number;
  peakTime: number;
  peakValue: number;
}

/** Skill of the user path on one run, beyond {@link Skill}. */
export interface UserSkill extends Skill {
  episodes: number;
  /** Mean |Δ| of the fire share of fire + facility (only scenarios with a facility; NaN otherwise), pp. */
  fireVsFacilityMaePp: number;
  /** Mean |Δ| of the `fire_repeat_burn` category share, pp. */
  repeatBurnShareMaePp: number;
  /** Fraction of scored episodes whose true cross-border share lies inside the reported 80 % band (NaN without bands). */
  bandCoverage80: number;
  /** The same for each category share (category → fraction). */
  bandCoverage80ByCategory: Record<string, number>;
}

/** Per-episode truth and attributed vectors of a run (indexed like `scenario.sources`). */
export interface ScoredRun {
  skill: UserSkill;
  detected: DetectedEpisode[];
  /** The per-episode score rows (for diagnostics). */
  perEpisode: (Skill & { station: string; start: number; fireVsFacility: number; repeatBurn: number; cbInBand: number | null })[];
}

/**
 * Truth index of every source id a user-path layer can produce (`hotspot:N` through the FIRMS file's `source_id`,
 * facilities by id; -1 for an id the scenario does not have).
 *
 * @example
 * ```ts
 * import { setupTwin, exportScenarioFiles, userSourceTruth } from 'hazetrace/sim';
 * const s = setupTwin({ hours: 48 }, { particlesPerHour: 200 });
 * const files = exportScenarioFiles({ scenario: s.scenario, dispersion: s.dispersion, observations: s.observations });
 * userSourceTruth(s, files)('nothing'); // -1
 * ```
 */
export function userSourceTruth(setup: TwinSetup, files: Files): (id: string) => number {
  checkScenario('setup.scenario', checkObject<TwinSetup>('setup', setup).scenario);
  checkFiles('files', files);
  const sc = setup.scenario;
  const byId = new Map(sc.sources.id.map((id, i) => [id.toLowerCase(), i]));
  const hs = readFirmsCsv(text(files, TWIN_USER_FILES.hotspots)).hotspots;
  const srcIds = hs.extra['source_id'] ?? [];
  return (id: string): number => {
    const m = /^hotspot:(\d+)$/.exec(id);
    if (m) return byId.get(String(srcIds[Number(m[1])] ?? '').toLowerCase()) ?? -1;
    return byId.get(id.toLowerCase()) ?? -1;
  };
}

/** Category shares and cross-border share as the user reads them: the reported categories and regions. */
function reported(cat: Record<string, number>, region: Record<string, number>, home: string): { category: Record<string, number>; crossBorder: number } {
  let tot = 0, dom = 0;
  for (const [k, v] of Object.entries(region)) {
    tot += v;
    if (k.toUpperCase() === home.toUpperCase()) dom += v;
  }
  // Unseen burning in repeat-burn areas (attribution's `repeat_burn_unseen`) is repeat-burn fire smoke.
  const category = { ...cat };
  if (category['repeat_burn_unseen'] !== undefined) {
    category['fire_repeat_burn'] = (category['fire_repeat_burn'] ?? 0) + category['repeat_burn_unseen'];
    delete category['repeat_burn_unseen'];
  }
  return { category, crossBorder: tot > 0 ? 1 - dom / tot : 0 };
}

const fireShare = (cat: Record<string, number>): number => {
  const fire = (cat['fire_repeat_burn'] ?? 0) + (cat['fire_other'] ?? 0);
  const fac = cat['facility'] ?? 0;
  return fire + fac > 0 ? fire / (fire + fac) : NaN;
};
const inBand = (x: number, b: BandJson | undefined): boolean => {
  if (!b) return x <= 1e-9; // a category not attributed at all: band [0, 0]
  const lo = b.low ?? b.share, hi = b.high ?? b.share;
  return x >= lo - 1e-9 && x <= hi + 1e-9;
};

/**
 * Score a user-path run from its outputs: every attributed episode of the contract against the true per-source
 * contributions over its window. Share errors (category, cross-border, fire-vs-facility, repeat-burn) compare the
 * shares the user reads — the contract's categories and regions (a region other than the monitor's country,
 * `unknown` included, is cross-border) — with the true shares of every source, seen or not; Spearman and top-10
 * recall rank the sources the files name; the 80 % bands of attribution.json are checked against the true shares.
 *
 * @example
 * ```ts
 * import { setupTwin, exportScenarioFiles, attributeTwinFiles, scoreUserOutputs } from 'hazetrace/sim';
 * const s = setupTwin({ hours: 72 }, { particlesPerHour: 300 });
 * const files = exportScenarioFiles({ scenario: s.scenario, dispersion: s.dispersion, observations: s.observations, perturbedWind: s.perturbedWind });
 * const r = await attributeTwinFiles(files);
 * scoreUserOutputs(s, files, { contract: r.contract(), full: JSON.parse(JSON.stringify(r)) }).skill.categoryShareMaePp;
 * ```
 */
export function scoreUserOutputs(setup: TwinSetup, files: Files, out: UserOutputs): ScoredRun {
  checkSetup('setup', setup);
  checkFiles('files', files);
  checkShape('out', out, { contract: 'object', full: 'object' });
  checkShape('out.contract', out.contract, { episodes: 'array' });
  checkShape('out.full', out.full, { episodes: 'array' });
  const sc = setup.scenario;
  const n = sc.sources.length;
  const truthOf = userSourceTruth(setup, files);
  const monIndex = new Map(sc.monitors.map((m, i) => [m.id.toLowerCase(), i]));
  // Visible: sources the user's files name (detected fires, reported facilities).
  const visible = new Uint8Array(n);
  const hs = readFirmsCsv(text(files, TWIN_USER_FILES.hotspots)).hotspots;
  for (let i = 0; i < hs.length; i++) {
    const t = truthOf(`hotspot:${i}`);
    if (t >= 0) visible[t] = 1;
  }
  for (let i = 0; i < n; i++) if (sc.sources.kind[i] === 'facility' && twinHasFacilities(files)) visible[i] = 1;
  const hasFacility = sc.sources.category.includes('facility');
  const present = SIM_CATEGORIES.filter((c) => sc.sources.category.includes(c));
  const bands = new Map<string, UserOutputs['full']['episodes'][number]>();
  for (const e of out.full.episodes) {
    if (typeof e.episode === 'object' && e.episode && (e.status === undefined || e.status === 'attributed')) bands.set(`${e.episode.station.toLowerCase()}|${e.episode.start}`, e);
  }
  const detected: DetectedEpisode[] = [];
  const perEpisode: ScoredRun['perEpisode'] = [];
  const catIn: Record<string, number[]> = Object.fromEntries(present.map((c) => [c, []]));
  for (const ce of out.contract.episodes) {
    const start = Date.parse(ce.start), end = Date.parse(ce.end);
    detected.push({ station: ce.station, start, end, peakTime: Date.parse(ce.peakTime), peakValue: ce.peakValue });
    const mi = monIndex.get(ce.station.toLowerCase());
    if (mi === undefined) continue;
    const truth = episodeTruth(sc, setup.dispersion, { monitor: mi, start, end: Math.max(end, start + HOUR_MS) });
    const att = new Float64Array(n);
    for (const s of ce.sources) {
      const t = truthOf(s.id);
      if (t >= 0) att[t]! += s.share;
    }
    const home = sc.monitors[mi]!.country || 'THA';
    const base = scoreEpisode(sc, truth, att, home, visible);
    const st = shares(sc, truth, home);
    // Shares as the user reads them (the contract's, over every source): reported categories and regions.
    const rep = reported(ce.sharesByCategory, ce.sharesByRegion, home);
    const ac = rep.category;
    const fvf = hasFacility ? 100 * Math.abs(fireShare(ac) - fireShare(st.category)) : NaN;
    const rb = 100 * Math.abs((ac['fire_repeat_burn'] ?? 0) - st.category.fire_repeat_burn);
    let mae = 0;
    for (const c of present) mae += Math.abs((ac[c] ?? 0) - st.category[c]);
    const full = bands.get(`${ce.station.toLowerCase()}|${ce.start}`);
    const cbInBand = full?.crossBorder ? (inBand(st.crossBorder, full.crossBorder) ? 1 : 0) : null;
    if (full?.sharesByCategory) for (const c of present) catIn[c]!.push(inBand(st.category[c], full.sharesByCategory[c]) ? 1 : 0);
    perEpisode.push({
      ...base,
      categoryShareMaePp: (100 * mae) / Math.max(1, present.length),
      crossBorderMaePp: 100 * Math.abs(rep.crossBorder - st.crossBorder),
      station: ce.station, start, fireVsFacility: fvf, repeatBurn: rb, cbInBand,
    });
  }
  const s = summariseSkill(perEpisode);
  const mean = (v: number[]): number => (v.length ? v.reduce((p, q) => p + q, 0) / v.length : NaN);
  const fin = (v: (number | null)[]): number[] => v.filter((x): x is number => x !== null && Number.isFinite(x));
  return {
    skill: {
      ...s,
      fireVsFacilityMaePp: mean(fin(perEpisode.map((e) => e.fireVsFacility))),
      repeatBurnShareMaePp: mean(fin(perEpisode.map((e) => e.repeatBurn))),
      bandCoverage80: mean(fin(perEpisode.map((e) => e.cbInBand))),
      bandCoverage80ByCategory: Object.fromEntries(Object.entries(catIn).map(([c, v]) => [c, mean(v)])),
    },
    detected,
    perEpisode,
  };
}

/**
 * The two classic methods (PSCF-weighted attribution and the 50 km / 72 h hotspot count) on the episodes a
 * user-path run detected, with the user's source layer, scored like {@link scoreUserOutputs} (no bands).
 *
 * @example
 * ```ts
 * import { setupTwin, exportScenarioFiles, attributeTwinFiles, scoreBaselines } from 'hazetrace/sim';
 * import { griddedWind } from 'hazetrace/wind';
 * const s = setupTwin({ hours: 72 }, { particlesPerHour: 300 });
 * const files = exportScenarioFiles({ scenario: s.scenario, dispersion: s.dispersion, observations: s.observations, perturbedWind: s.perturbedWind });
 * const r = await attributeTwinFiles(files);
 * const eps = r.contract().episodes.map((e) => ({ station: e.station, start: Date.parse(e.start), end: Date.parse(e.end), peakTime: Date.parse(e.peakTime), peakValue: e.peakValue }));
 * scoreBaselines(s, files, r.sources, eps, griddedWind(s.perturbedWind)).buffer.spearman;
 * ```
 */
export function scoreBaselines(setup: TwinSetup, files: Files, layer: SourceLayer, detected: DetectedEpisode[], wind: WindField, hours = 72): Record<'pscf' | 'buffer', UserSkill> {
  checkSetup('setup', setup);
  checkFiles('files', files);
  checkShape('layer', layer, { id: 'array' });
  checkItems('detected', detected);
  checkShape('wind', wind, { sample: 'function' });
  checkPositive('hours', hours);
  const sc = setup.scenario;
  const n = sc.sources.length;
  const truthOf = userSourceTruth(setup, files);
  const rowTruth = Int32Array.from(layer.id, (id) => truthOf(id));
  const visible = new Uint8Array(n);
  for (const r of rowTruth) if (r >= 0) visible[r] = 1;
  const monIndex = new Map(sc.monitors.map((m, i) => [m.id.toLowerCase(), i]));
  const d = setup.dispersion;
  const nh = d.times.length;
  const pm = setup.observations.series.values['pm25_ugm3']!;
  const hasFacility = sc.sources.category.includes('facility');
  const present = SIM_CATEGORIES.filter((c) => sc.sources.category.includes(c));
  const per: Record<'pscf' | 'buffer', { skill: Skill; fvf: number; rb: number }[]> = { pscf: [], buffer: [] };
  for (const ep of detected) {
    const mi = monIndex.get(ep.station.toLowerCase());
    if (mi === undefined) continue;
    const mon = sc.monitors[mi]!;
    const end = Math.max(ep.end, ep.start + HOUR_MS);
    const truth = episodeTruth(sc, d, { monitor: mi, start: ep.start, end });
    const home = mon.country || 'THA';
    const st = shares(sc, truth, home);
    const starts: number[] = [], vals: number[] = [];
    for (let h = 0; h < nh; h++) {
      if (d.times[h]! < ep.start || d.times[h]! >= end) continue;
      starts.push(d.times[h]!);
      vals.push(pm[mi * nh + h]!);
    }
    if (!starts.length) continue;
    const et = episodeTrajectories(wind, mon, starts, vals, { hours });
    for (const m of ['pscf', 'buffer'] as const) {
      const rows = m === 'pscf' ? pscfWeighted(layer, et) : bufferCount(layer, et);
      const v = new Float64Array(n);
      for (let r = 0; r < rowTruth.length; r++) if (rowTruth[r]! >= 0) v[rowTruth[r]!]! += rows[r]!;
      // Shares as a user of the method would read them: the rows' reported categories and regions.
      const cat: Record<string, number> = {}, reg: Record<string, number> = {};
      let tot = 0;
      for (let r = 0; r < rows.length; r++) {
        const x = rows[r]!;
        if (!(x > 0)) continue;
        tot += x;
        cat[layer.category[r]!] = (cat[layer.category[r]!] ?? 0) + x;
        reg[layer.region[r]!] = (reg[layer.region[r]!] ?? 0) + x;
      }
      if (tot > 0) for (const k of Object.keys(cat)) cat[k]! /= tot;
      const sa = reported(cat, reg, home);
      const base = scoreEpisode(sc, truth, v, home, visible);
      let mae = 0;
      for (const c of present) mae += Math.abs((sa.category[c] ?? 0) - st.category[c]);
      per[m].push({
        skill: { ...base, categoryShareMaePp: (100 * mae) / Math.max(1, present.length), crossBorderMaePp: 100 * Math.abs(sa.crossBorder - st.crossBorder) },
        fvf: hasFacility ? 100 * Math.abs(fireShare(sa.category) - fireShare(st.category)) : NaN,
        rb: 100 * Math.abs((sa.category['fire_repeat_burn'] ?? 0) - st.category.fire_repeat_burn),
      });
    }
  }
  const mean = (v: number[]): number => {
    const f = v.filter((x) => Number.isFinite(x));
    return f.length ? f.reduce((p, q) => p + q, 0) / f.length : NaN;
  };
  const out = {} as Record<'pscf' | 'buffer', UserSkill>;
  for (const m of ['pscf', 'buffer'] as const) {
    out[m] = {
      ...summariseSkill(per[m].map((x) => x.skill)),
      fireVsFacilityMaePp: mean(per[m].map((x) => x.fvf)),
      repeatBurnShareMaePp: mean(per[m].map((x) => x.rb)),
      bandCoverage80: NaN,
      bandCoverage80ByCategory: {},
    };
  }
  return out;
}

/**
 * Largest absolute difference between two runs' contract shares (category, region, per source), matching
 * episodes by station and start; Infinity when the episode lists or source lists differ.
 *
 * @example
 * ```ts
 * import { contractShareDiff } from 'hazetrace/sim';
 * const c = { episodes: [{ station: 'a', start: 't', sharesByCategory: { fire_other: 1 }, sharesByRegion: { THA: 1 }, sources: [{ id: 'x', share: 1 }] }] };
 * contractShareDiff(c, c); // 0
 * ```
 */
export function contractShareDiff(
  a: { episodes: { station: string; start: string; sharesByCategory: Record<string, number>; sharesByRegion: Record<string, number>; sources: { id: string; share: number }[] }[] },
  b: typeof a,
): number {
  checkShape('a', a, { episodes: 'array' });
  checkShape('b', b, { episodes: 'array' });
  if (a.episodes.length !== b.episodes.length) return Infinity;
  let worst = 0;
  const rec = (x: Record<string, number>, y: Record<string, number>): void => {
    const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
    for (const k of keys) worst = Math.max(worst, Math.abs((x[k] ?? 0) - (y[k] ?? 0)));
  };
  for (let i = 0; i < a.episodes.length; i++) {
    const ea = a.episodes[i]!, eb = b.episodes[i]!;
    if (ea.station !== eb.station || ea.start !== eb.start || ea.sources.length !== eb.sources.length) return Infinity;
    rec(ea.sharesByCategory, eb.sharesByCategory);
    rec(ea.sharesByRegion, eb.sharesByRegion);
    rec(Object.fromEntries(ea.sources.map((s) => [s.id, s.share])), Object.fromEntries(eb.sources.map((s) => [s.id, s.share])));
  }
  return worst;
}
