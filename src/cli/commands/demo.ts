/**
 * `hazetrace demo`: the whole chain on the embedded northern-Thailand sample (data/), written to --out:
 * grid the 22–24 April 2025 FIRMS hotspots on H3, detect PM2.5 episodes in the PCD daily means of the
 * northern stations, back-trace from each station with the two-point reanalysis wind, attribute to fires
 * (repeat-burn or not), power plants and countries, score burning risk per district from the multi-year
 * hotspot history, and render an offline report. Every number comes from the library modules.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { DAY_MS, type Hotspots } from '../../core/index.js';
import { cellsToCsv, cellsToGeoJson, readStationSeriesCsv, selectHotspots, type FeatureCollection } from '../../io/index.js';
import { binPoints } from '../../grid/index.js';
import { readWindCsv, stationWind } from '../../wind/index.js';
import {
  ATTRIBUTE_DEFAULTS,
  attributeSeries,
  cpf,
  episodeTrajectoryFeatures,
  poolShares,
  poolSources,
  pooledSourcesToGeoJson,
  repeatBurnAreas,
  sharesToCsv,
  type CpfResult,
  type SeriesAttribution,
} from '../../attribution/index.js';
import { riskToGeoJson, scoreAreas, type AreaRiskTable, type RiskCalibration, type RiskScores, type ScoreAreasResult } from '../../risk/index.js';
import type { CommandSpec } from '../context.js';
import { inputError, usageError, withInput } from '../errors.js';
import { OutDir, optionalOption, readText } from '../options.js';
import { sampleDataDir } from '../paths.js';
import { loadHotspots, loadPolygons, loadStations } from '../inputs.js';
import { jsonWithLongArray } from '../json-stream.js';
import { episodeLines, cliWords } from '../attribution-text.js';
import { buildReportModel, renderReport, humanLabel, CPF_MIN_HOURS, type ReportLang, type ReportModel } from '../../report/index.js';

/** The embedded sample's files (see data/SOURCES.md). */
export const SAMPLE = {
  firms: 'firms_modis_th_region.csv',
  pm25Daily: 'pcd_pm25_daily_2025_north.csv',
  pm25Hourly: 'air4thai_pm25_hourly_2026_north.csv',
  stations: 'stations_north.csv',
  wind2025: 'wind_2pt_hourly_2025.csv',
  wind2026: 'wind_2pt_hourly_2026.csv',
  facilities: 'facilities_gppd_region.csv',
  countries: 'countries_ne50m_region.geojson',
  provinces: 'th_provinces_simplified.geojson',
  districts: 'th_districts_north_simplified.geojson',
  names: 'basemap_names_north.json',
} as const;

/** Settings of the demo run, all in one place so the report can state them. */
export const DEMO = {
  /** Local days (UTC+7) of the case: the FIRMS snapshots S7/S8 cover 22–24 April 2025. */
  firstDay: '2025-04-22',
  lastDay: '2025-04-24',
  utcOffset: '+07:00',
  threshold: 37.5,
  densityRes: 5,
  riskRes: 6,
  repeatBurnRes: 6,
  repeatBurnMinYears: 2,
  hours: ATTRIBUTE_DEFAULTS.hours,
  startStepHours: ATTRIBUTE_DEFAULTS.startStepHours,
  members: 9,
  seed: 1,
  cpfStation: '35t',
  cpfSite: 'chiang_mai',
} as const;

const localMidnight = (day: string): number => Date.parse(`${day}T00:00:00${DEMO.utcOffset}`);

export interface DemoResult {
  attribution: SeriesAttribution;
  density: ReturnType<typeof binPoints>;
  risk: RiskScores;
  districts: AreaRiskTable;
  calibration: RiskCalibration | null;
  cpf: CpfResult | null;
  model: ReportModel;
  names: BasemapNames;
  timings: Record<string, number>;
}

/** data/basemap_names_north.json (scripts/make-basemap-names.mjs). */
export interface BasemapNames {
  provinces: Record<string, { en: string; th: string }>;
  districts: Record<string, { en: string; th: string }>;
  stations: Record<string, { th: string; areaTh: string }>;
  towns: { en: string; th: string; lng: number; lat: number; station: string }[];
}

/** The files behind the report's layers and tables (linked from its download list). */
const DOWNLOADS: ReportModel['downloads'] = [
  { key: 'density', file: 'hotspot_density.geojson' },
  { key: 'densityCsv', file: 'hotspot_density.csv' },
  { key: 'risk', file: 'risk_cells.geojson' },
  { key: 'trajectories', file: 'trajectories.geojson' },
  { key: 'sources', file: 'sources_ranked.geojson' },
  { key: 'districts', file: 'districts_ranked.csv' },
  { key: 'shares', file: 'attributed_shares.csv' },
  { key: 'attribution', file: 'attribution.json' },
  { key: 'summary', file: 'demo.json' },
];

export const demoCommand: CommandSpec = {
  name: 'demo',
  summary: 'run the whole chain on the embedded northern-Thailand sample and write an offline report',
  usage: 'hazetrace demo [--out DIR] [--data DIR] [--lang en|th] [--utc-offset +07:00] [--json]',
  details:
    'The case: FIRMS MODIS hotspots of 22–24 April 2025, PCD daily PM2.5 of the northern Thai stations, hourly\n' +
    'reanalysis wind at Chiang Mai and Chiang Rai (two points: a coarse field). Writes report.html (one offline\n' +
    'file), hotspot_density.geojson/.csv, risk_cells.geojson, trajectories.geojson, sources_ranked.geojson,\n' +
    'districts_ranked.csv, attributed_shares.csv, attribution.json, demo.json and report_model.json (the data of\n' +
    'the page: renderReport from hazetrace/report redraws it in another language or UTC offset). Takes well under a minute.',
  options: {
    data: { type: 'string', help: 'folder with the sample files (default: the data/ folder shipped with hazetrace)' },
    lang: { type: 'string', default: 'en', help: 'language of the report and of this summary: en or th' },
    'utc-offset': { type: 'string', default: '+07:00', help: 'UTC offset of the times people read in the report and summary (the case days stay Thai local days)' },
  },
  examples: ['hazetrace demo --out out', 'hazetrace demo --out out-th --lang th', 'hazetrace demo --out /tmp/demo --json > summary.json'],
  async run(ctx) {
    const lang = String(ctx.values['lang'] ?? 'en');
    if (lang !== 'en' && lang !== 'th') throw usageError(`--lang must be en or th, got ${JSON.stringify(lang)}`, '--lang');
    const utcOffset = String(ctx.values['utc-offset'] ?? '+07:00');
    if (!/^(Z|[+-]\d{2}(:?\d{2})?)$/.test(utcOffset)) throw usageError(`--utc-offset must look like +07:00, got ${JSON.stringify(utcOffset)}`, '--utc-offset');
    const out = new OutDir(ctx.values, ctx.cwd, 'out');
    const dataDir = optionalOption(ctx.values, 'data') ?? sampleDataDir();
    const res = await runDemo(dataDir, ctx.cwd, (label) => ctx.progress.stage(label));
    ctx.progress.done();
    const a = res.attribution;
    const contract = a.contract();
    out.write('hotspot_density.geojson', () => JSON.stringify(cellsToGeoJson(res.density, { precision: 5 })));
    out.write('hotspot_density.csv', () => cellsToCsv(res.density));
    out.write('risk_cells.geojson', () => JSON.stringify(riskToGeoJson(res.risk)));
    out.writeChunks('trajectories.geojson', jsonWithLongArray({ type: 'FeatureCollection' }, 'features', episodeTrajectoryFeatures(a)));
    out.write('sources_ranked.geojson', () => JSON.stringify(pooledSourcesToGeoJson(poolSources(a))));
    out.write('districts_ranked.csv', () => res.districts.toCsv());
    out.write('attributed_shares.csv', () => sharesToCsv(a));
    out.write('attribution.json', () => JSON.stringify({ ...contract, detail: a.toJSON() }, null, 1));
    const summary = {
      case: `${DEMO.firstDay}..${DEMO.lastDay}`,
      episodes: contract.episodes,
      unattributed: contract.unattributed,
      pooled: { byCategory: poolShares(a, 'category'), byRegion: poolShares(a, 'region') },
      scales: a.calibration,
      topDistricts: res.districts.areas.slice(0, 10).map((d) => ({ rank: d.rank, id: d.id, name: d.name, score: d.meanScore, level: d.level, ...(d.probability !== undefined ? { probability: d.probability, expectedCells: d.expectedCells } : {}) })),
      calibration: res.calibration ? res.calibration.toJSON() : null,
      timingsMs: res.timings,
    };
    out.write('demo.json', () => JSON.stringify(summary, null, 1));
    const written = new Set(out.written.map((p) => p.slice((out.dir ?? '').length + 1)));
    res.model.downloads = DOWNLOADS.filter((d) => written.has(d.file));
    // The model behind the page: renderReport(model, { lang, utcOffset }) from hazetrace/report redraws it
    // in the other language or at another offset without rerunning the chain.
    out.write('report_model.json', () => JSON.stringify(res.model));
    out.write('report.html', () => renderReport(res.model, { lang: lang as ReportLang, utcOffset }));
    if (ctx.json) {
      ctx.streams.stdout.write(JSON.stringify({ ...summary, files: out.written }) + '\n');
      return;
    }
    const L = lang as ReportLang;
    const w = cliWords(L);
    const cat = summary.pooled.byCategory.map((c) => `${humanLabel('category', c.key, L)} ${(c.share * 100).toFixed(0)}%`).join(', ');
    const reg = summary.pooled.byRegion.map((c) => `${humanLabel('country', c.key, L)} ${(c.share * 100).toFixed(0)}%`).join(', ');
    const thName = (id: string, en: string): string => (L === 'th' ? (res.names.districts[id]?.th ?? en) : en);
    ctx.streams.stdout.write(
      [
        w.demoHead(DEMO.firstDay, DEMO.lastDay, dataDir),
        w.demoCounts(res.density.cells.length, DEMO.densityRes, a.episodes.length, res.risk.cells.length, DEMO.riskRes),
        '',
        ...episodeLines(a, { lang: L, utcOffset }),
        '',
        `${w.pooled}: ${cat}`,
        `${w.byCountry}: ${reg}`,
        `${w.topDistricts}: ${res.districts.areas
          .slice(0, 5)
          .map((d) => `${thName(d.id, d.name)} (${d.probability !== undefined ? w.districtChance((d.expectedCells ?? NaN).toFixed(1), d.cells, (100 * d.probability).toFixed(1), humanLabel('level', d.level, L)) : d.meanScore.toFixed(0)})`)
          .join(', ')}`,
        '',
        w.wrote(out.written.length, out.dir ?? '', join(out.dir ?? '', 'report.html')),
        w.took((Object.values(res.timings).reduce((s, x) => s + x, 0) / 1000).toFixed(1)),
      ].join('\n') + '\n',
    );
  },
};

/** Run the demo chain on the sample in `dataDir` (no files written). */
export async function runDemo(dataDir: string, cwd: string, stage: (label: string) => void = () => {}): Promise<DemoResult> {
  if (!existsSync(join(dataDir, SAMPLE.firms))) {
    throw inputError(`the sample data is not in ${dataDir}`, '--data', 'reinstall hazetrace, or pass --data pointing at a folder with the files listed in data/SOURCES.md');
  }
  const p = (f: string): string => join(dataDir, f);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };

  stage('reading the sample');
  const { hotspots: all } = await loadHotspots('data', p(SAMPLE.firms), cwd);
  const { stations } = await loadStations('data', p(SAMPLE.stations), cwd);
  const countries = (await loadPolygons('data', p(SAMPLE.countries), cwd)).fc;
  const provinces = (await loadPolygons('data', p(SAMPLE.provinces), cwd)).fc;
  const districts = (await loadPolygons('data', p(SAMPLE.districts), cwd)).fc;
  const daily = await withInput(p(SAMPLE.pm25Daily), () => readStationSeriesCsv(readText('data', p(SAMPLE.pm25Daily), cwd), { utcOffset: DEMO.utcOffset }));
  const windObs = await withInput(p(SAMPLE.wind2025), () => readWindCsv(readText('data', p(SAMPLE.wind2025), cwd)));
  const wind = stationWind(windObs.observations);
  const facilitiesCsv = readText('data', p(SAMPLE.facilities), cwd);
  // Thai names and town markers (optional: a --data folder without the file gets English only).
  const names: BasemapNames = existsSync(p(SAMPLE.names))
    ? (JSON.parse(readText('data', p(SAMPLE.names), cwd)) as BasemapNames)
    : { provinces: {}, districts: {}, stations: {}, towns: [] };
  lap('read');

  // The case window: local days 22..24 April 2025 (UTC+7), as UTC ms.
  const t0 = localMidnight(DEMO.firstDay);
  const t1 = localMidnight(DEMO.lastDay) + DAY_MS;
  // Hotspots of the case: FIRMS times are UTC; a 24-h snapshot straddles two UTC dates, so take the
  // window widened by a day on each side (the attribution time kernel weighs them by distance in time).
  const fires = selectHotspots(all, (i) => (all.time[i] as number) >= t0 - DAY_MS && (all.time[i] as number) < t1 + DAY_MS);

  stage('gridding hotspots on H3');
  const density = binPoints({ lng: fires.lng, lat: fires.lat, frp: fires.frp }, { res: DEMO.densityRes, values: { frp: ['sum', 'max'] } });
  lap('grid');

  // Repeat-burn areas: H3 cells burnt in at least 2 of the 4 earlier seasons on record (2017..2023), so the
  // current fires do not define their own category.
  const history = selectHotspots(all, (i) => (all.time[i] as number) < Date.UTC(2025, 0, 1));
  const rb = repeatBurnAreas(history, { res: DEMO.repeatBurnRes, minYears: DEMO.repeatBurnMinYears });
  lap('sources');

  stage('detecting episodes, calibrating, back-tracing and attributing');
  // The library's one pipeline with its defaults, limited to the local days of the case: the same call as
  // `hazetrace attribute --from 2025-04-22 --to 2025-04-24` and examples/quickstart.mjs.
  const attribution = attributeSeries(
    {
      hotspots: all,
      series: daily,
      stations,
      wind,
      regions: countries,
      regionLevels: { province: { polygons: provinces, property: 'pro_en' } },
      areas: rb,
      facilities: facilitiesCsv,
    },
    // The history-derived repeat-burn cells come from single snapshot days of four seasons: enough to tag
    // fires, too thin to stand for burning no satellite saw, so they are not used as unseen-burning sources.
    { from: DEMO.firstDay, to: DEMO.lastDay, threshold: DEMO.threshold, utcOffset: DEMO.utcOffset, seed: DEMO.seed, unseenBurning: false },
  );
  if (attribution.episodes.length === 0) throw inputError('no PM2.5 episode in the sample window', p(SAMPLE.pm25Daily), 'the sample data looks altered; regenerate it with scripts/make-sample-data.mjs');
  lap('attribute');
  const fac = attribution.sources;
  const facIdx: number[] = [];
  for (let i = 0; i < fac.length; i++) if (fac.kinds[i] === 'facility') facIdx.push(i);

  stage('scoring district risk');
  const riskRun = scoreAreas(
    {
      hotspots: all,
      areas: districts,
      facilities: { lng: facIdx.map((i) => fac.lng[i] as number), lat: facIdx.map((i) => fac.lat[i] as number), weight: facIdx.map((i) => fac.weight[i] as number) },
    },
    { res: DEMO.riskRes, calibrate: true, idProperty: 'amp_code', nameProperty: 'amp_en', utcOffset: DEMO.utcOffset, seed: DEMO.seed },
  );
  const { scores: risk, table: districtTable, calibration, usedCalibrated: useCalibrated } = riskRun;
  lap('risk');

  stage('conditional probability function (2026 hourly)');
  let cpfResult: CpfResult | null = null;
  if (existsSync(p(SAMPLE.pm25Hourly)) && existsSync(p(SAMPLE.wind2026))) {
    const hourly = readStationSeriesCsv(readText('data', p(SAMPLE.pm25Hourly), cwd), { utcOffset: DEMO.utcOffset });
    const w26 = readWindCsv(readText('data', p(SAMPLE.wind2026), cwd)).observations;
    const hs = hourly.series;
    const hv = hs.values['pm25_ugm3'] as Float64Array;
    const ti: number[] = [];
    const vi: number[] = [];
    for (let i = 0; i < hs.length; i++) if (hs.station[i] === DEMO.cpfStation && Number.isFinite(hv[i])) (ti.push(hs.time[i] as number), vi.push(hv[i] as number));
    const wt: number[] = [];
    const ws: number[] = [];
    const wd: number[] = [];
    for (let i = 0; i < w26.length; i++) {
      if (w26.site[i] !== DEMO.cpfSite) continue;
      wt.push(w26.time[i] as number);
      ws.push((w26.speed as ArrayLike<number>)[i] as number);
      wd.push((w26.direction as ArrayLike<number>)[i] as number);
    }
    if (ti.length > 0 && wt.length > 0) cpfResult = cpf({ time: ti, value: vi }, { time: wt, speed: ws, direction: wd });
  }
  lap('cpf');

  // Plain-language reasons per risk cell when the risk module gives them (aligned to risk.cells).
  const cellWhy = (riskRun as { explanations?: unknown }).explanations;
  const model = buildModel({ attribution, density, fires, risk, riskRun, districtTable, districts, countries, provinces, stations, daily, calibration, useCalibrated, cpfResult, periods: riskRun.periods, rbCells: rb.cells.length, t0, t1, facilities: facIdx.length, names, ...(Array.isArray(cellWhy) && cellWhy.length === risk.cells.length ? { cellExplanations: cellWhy as string[] } : {}) });
  lap('report');
  return { attribution, density, risk, districts: districtTable, calibration, cpf: cpfResult, model, names, timings };
}

/** The Methods sentence on risk: what the levels and the district ranking mean, and how well it held out. */
function riskMethod(m: ModelInput, calText: string): string {
  const r = m.riskRun;
  const head = `Risk: per H3 res-${DEMO.riskRes} cell of the northern districts, factors from the multi-year FIRMS history (detections per season, FRP, repeat-burn frequency, detections nearby) and proximity to power plants`;
  if (r.levels !== 'probability' || !r.model) return `${head}, percentile-normalised, weighted into a 0–100 score; districts ranked by area-weighted mean score. ${calText}`;
  const pc = (x: number): string => `${+(100 * x).toFixed(1)} %`;
  const [b1, b2, b3] = r.bands;
  const v = r.validation;
  const held = v
    ? ` Held out ${v.heldOut} (model fitted on ${v.fittedOn.join(', ')}): cell AUC ${v.auc.auc.toFixed(2)} [${v.auc.lo.toFixed(2)}, ${v.auc.hi.toFixed(2)}] vs ${v.baselineAuc.auc.toFixed(2)} for "burnt before"; the top ${pc(v.lift.topShare)} of cells held ${v.lift.lift.toFixed(1)}× their area share of that season's detections.`
    : ` ${r.validationNote}`;
  return `${head}, in a logistic model of the chance that a cell has a detection next season, fitted on the season-to-season transitions ${r.model.trainedOn.join(', ')}${r.model.removed.length ? ` (left out for a negative weight: ${r.model.removed.join(', ')})` : ''}. Levels are bands of that chance (low < ${pc(b1)} ≤ moderate < ${pc(b2)} ≤ high < ${pc(b3)} ≤ very high); districts are ranked by their expected number of burning cells.${held} The 0–100 score beside it ranks cells within this history from percentile-normalised factors: ${calText}`;
}

interface ModelInput {
  attribution: SeriesAttribution;
  density: ReturnType<typeof binPoints>;
  fires: Hotspots;
  risk: RiskScores;
  riskRun: ScoreAreasResult;
  districtTable: AreaRiskTable;
  districts: FeatureCollection;
  countries: FeatureCollection;
  provinces: FeatureCollection;
  stations: { id: string[]; name: string[]; lng: Float64Array; lat: Float64Array; length: number };
  daily: ReturnType<typeof readStationSeriesCsv>;
  calibration: RiskCalibration | null;
  useCalibrated: boolean;
  cpfResult: CpfResult | null;
  rbCells: number;
  periods: number[];
  t0: number;
  t1: number;
  facilities: number;
  names: BasemapNames;
  cellExplanations?: string[];
}


function buildModel(m: ModelInput): ReportModel {
  const a = m.attribution;
  const k = a.settings.kernel;
  const scaleFit = a.calibration;
  const scalesText = Object.entries(scaleFit.scales).map(([c, v]) => `${humanLabel('category', c, 'en')} ${Number(v.toPrecision(3))}`).join(', ');
  const calibrationText =
    scaleFit.mode === 'calibrated'
      ? `fitted to the observed PM2.5 of the case (${scaleFit.rows} station-days, R² ${scaleFit.r2?.toFixed(2)}, background ${scaleFit.background?.toFixed(1)} µg/m³, robust non-negative least squares)`
      : scaleFit.mode === 'given'
        ? 'given'
        : `order-of-magnitude defaults (${scaleFit.fallback ?? 'not fitted'})`;
  const episodeStations = new Set(a.episodes.map((e) => e.episode.station));
  const districtInfo = new Map(m.districts.features.map((f) => [String(f.properties['amp_code']), { province: String(f.properties['pro_en'] ?? ''), pro: String(f.properties['pro_code'] ?? '') }]));

  // Series: April 2025 for the stations with an episode, for context around the case.
  const s = m.daily.series;
  const col = s.values['pm25_24h_ugm3'] ?? (Object.values(s.values)[0] as Float64Array);
  const from = Date.UTC(2025, 3, 1) - 7 * 3_600_000;
  const to = Date.UTC(2025, 4, 1) - 7 * 3_600_000;
  const byStation = new Map<string, [number, number][]>();
  for (let i = 0; i < s.length; i++) {
    const ti = s.time[i] as number;
    if (ti < from || ti >= to) continue;
    const id = s.station[i] as string;
    if (!byStation.has(id)) byStation.set(id, []);
    // Plot a daily mean at noon local, the middle of the day it averages.
    (byStation.get(id) as [number, number][]).push([ti + 12 * 3_600_000, col[i] as number]);
  }
  const series = [...byStation.entries()]
    .filter(([id]) => episodeStations.has(id))
    .map(([station, points]) => ({ station, points: points.sort((x, y) => x[0] - y[0]) }));

  const cal = m.calibration;
  const hold = cal?.holdout[0];
  const calText = cal
    ? `Weights were calibrated by logistic regression of "burnt in season k" on the factors from seasons before k (rolling origin over the seasons ${m.periods.join(', ')}; trained on ${cal.train.join(', ')}${hold ? `, held out ${hold.label}: AUC ${hold.calibrated.auc.toFixed(2)} [${hold.calibrated.lo.toFixed(2)}, ${hold.calibrated.hi.toFixed(2)}] vs ${hold.defaultWeights.auc.toFixed(2)} with default weights${hold.baseline ? ` and ${hold.baseline.auc.toFixed(2)} for "burnt last season"` : ''}` : ''}).${m.useCalibrated ? ' The scores use the calibrated weights.' : ' The calibration found no positive weight, so the default weights are used.'}`
    : 'Calibration could not run on this history; the default weights are used.';

  const n = m.names;
  return buildReportModel({
    attribution: a,
    place: { en: 'Northern Thailand', th: 'ภาคเหนือของประเทศไทย' },
    firstDay: DEMO.firstDay,
    lastDay: DEMO.lastDay,
    bbox: [96.5, 16.2, 103.5, 22.8],
    density: { res: DEMO.densityRes, cells: m.density.cells, columns: m.density.columns as Record<string, ArrayLike<number>> },
    fires: { lng: m.fires.lng, lat: m.fires.lat, time: m.fires.time, frp: m.fires.frp ?? null, length: m.fires.length },
    risk: { res: DEMO.riskRes, cells: m.risk.cells, score: m.risk.score, level: m.risk.level, contributions: m.risk.contributions, ...(m.cellExplanations ? { explanation: m.cellExplanations } : {}) },
    areas: m.districtTable.areas.slice(0, 20),
    areaInfo: (id) => {
      const d = districtInfo.get(id);
      const th = n.districts[id]?.th;
      const pth = d ? n.provinces[d.pro]?.th : undefined;
      return { ...(th ? { nameTh: th } : {}), province: d?.province ?? '', ...(pth ? { provinceTh: pth } : {}) };
    },
    basemap: {
      countries: m.countries as unknown as ReportModel['basemap']['countries'],
      provinces: addNames(m.provinces, 'pro_code', 'pro_th', n.provinces),
      districts: addNames(m.districts, 'amp_code', 'amp_th', n.districts),
      provinceName: { en: 'pro_en', th: 'pro_th' },
      districtName: { en: 'amp_en', th: 'amp_th' },
      towns: n.towns.map((t) => ({ en: t.en, th: t.th, lng: t.lng, lat: t.lat })),
    },
    stations: Array.from({ length: m.stations.length }, (_, i) => {
      const id = m.stations.id[i] as string;
      const th = n.stations[id]?.th;
      return { id, name: m.stations.name[i] as string, ...(th ? { nameTh: th } : {}), lng: m.stations.lng[i] as number, lat: m.stations.lat[i] as number };
    }),
    series,
    seriesNote: {
      en: 'PCD 24-h means, April 2025. The fire snapshots, and so the attribution, cover 22–24 April only.',
      th: 'ค่าเฉลี่ย 24 ชม. ของกรมควบคุมมลพิษ เมษายน 2568 ข้อมูลไฟจากดาวเทียม และผลการระบุแหล่ง ครอบคลุมเฉพาะ 22–24 เม.ย.',
    },
    powerPlants: m.facilities,
    ...(m.cpfResult
      ? {
          cpf: {
            station: `${DEMO.cpfStation} Chiang Mai`,
            period: { en: 'hourly, Jan–Apr 2026', th: 'รายชั่วโมง ม.ค.–เม.ย. 2569' },
            threshold: m.cpfResult.threshold,
            minHours: CPF_MIN_HOURS,
            bins: m.cpfResult.bins.map((b) => ({ dirFrom: b.directionFrom, dirTo: b.directionTo, speedFrom: b.speedFrom, speedTo: Number.isFinite(b.speedTo) ? b.speedTo : b.speedFrom + 2, p: b.probability, n: b.n })),
          },
        }
      : {}),
    methods: { en: [
      `Hotspots: NASA FIRMS MODIS NRT detections of the 24-h snapshots of 22–24 April 2025 (UTC), gridded on H3 resolution ${DEMO.densityRes} (≈ 250 km² cells) with counts and FRP sums.`,
      `Episodes: PCD 24-h mean PM2.5 above the Thai standard of ${DEMO.threshold} µg/m³, consecutive days merged, detected on the whole 2025 series and kept when they overlap local days ${DEMO.firstDay}..${DEMO.lastDay}; an episode whose ${a.settings.hours}-h back-trajectory window the fire file or the wind covers less than ${Math.round(a.settings.minCoverage * 100)} % of is not attributed (${a.episodes.filter((e) => e.status !== 'attributed').length} here).`,
      `Back-trajectories: ${a.settings.hours}-h HYSPLIT-style (Heun predictor–corrector) back-trajectories from each station every ${a.settings.startStepHours} h through each episode, ${a.settings.members} ${a.settings.ensemble === 'offset' ? 'offset' : 'seeded random-walk (K = 5000 m²/s)'} members (${a.settings.ensembleReason}), on a wind field interpolated (IDW of u and v) from hourly 10 m reanalysis wind at Chiang Mai and Chiang Rai.`,
      `Attribution: each source's weight (fire radiative power in MW; plant capacity × fuel factor) times a ${k?.kernelShape ?? ATTRIBUTE_DEFAULTS.kernelShape} kernel in space whose width grows with trajectory age (σ = max(${k?.sigma0Km ?? ATTRIBUTE_DEFAULTS.sigma0Km} km, ${k?.sigmaKmPerHour ?? ATTRIBUTE_DEFAULTS.sigmaKmPerHour} km/h × age), cut at ${k?.cutoffSigmas ?? ATTRIBUTE_DEFAULTS.cutoffSigmas}σ) and a Gaussian kernel in time (τ = ${k?.timeSigmaHours ?? ATTRIBUTE_DEFAULTS.timeSigmaHours} h) between the trajectory point and the detection, with a ${ATTRIBUTE_DEFAULTS.lifetimeHours}-h first-order loss along the trajectory, summed over trajectory points and normalised to shares (settings tuned on the twin experiments, bench/results/skill.md). Scales per category: ${scalesText} (${calibrationText}).`,
      `Categories: a fire inside an H3 res-${DEMO.repeatBurnRes} cell that also burnt in at least ${DEMO.repeatBurnMinYears} of the earlier seasons on record (2017, 2019, 2022, 2023) is "fire repeat burn", other fires "fire other"; WRI power plants are "facility". Countries from Natural Earth polygons.`,
      `Same call as \`hazetrace attribute --from ${DEMO.firstDay} --to ${DEMO.lastDay}\` (the library's attributeSeries with its defaults) on the same files, with two additions: repeat-burn areas derived from the hotspot history (the command line takes them as --repeat-burn polygons) and province shares. Both split the same sources differently and leave the country shares unchanged. One setting differs: the history cells come from single snapshot days of four seasons, too thin to stand for burning no satellite saw, so unseen-burning area sources are off here.`,
      `Pooled shares weight each episode by its peak PM2.5; whiskers pool each episode's 80 % band (10th–90th percentile of draws over ensemble members, calibration bootstrap and detection error) the same way.`,
      riskMethod(m, calText),
      ...(m.cpfResult
        ? [`CPF: ${m.cpfResult.joined} hourly PM2.5 values at station ${DEMO.cpfStation} joined to the hourly reanalysis wind at Chiang Mai (Jan–Apr 2026), threshold the 75th percentile (${m.cpfResult.threshold.toFixed(1)} µg/m³).`]
        : []),
    ] },
    caveats: { en: [
      'Real back-trajectories are typically wrong by 15–30 % of the distance travelled; after 72 h that is 100 km or more, which is why the kernels widen with age and every share comes with an ensemble band.',
      'Two wind points (Chiang Mai and Chiang Rai) make a coarse field: every place in the region gets a distance-weighted mean of two series, so valleys, sea breezes and the upper-air flow that carries smoke from Myanmar and Laos are not resolved. Use gridded reanalysis (ERA5 NetCDF via `hazetrace attribute --wind`) for real decisions.',
      'MODIS sees a place only a few times a day and misses small, short or cloud-covered fires; the 24-h snapshots are incomplete at both ends. Sources the satellite did not see cannot be blamed, so shares are shares of what was detected.',
      'Shares say where the air came from and which detected sources lay under it, weighted by fire power — not a chemical source apportionment. Local traffic, cooking and industry do not appear as hotspots; their weight here is only the power plants.',
      scaleFit.mode === 'calibrated'
        ? `Category scales (fire vs facility) were fitted on only ${scaleFit.rows} station-days of this case; a different scale changes the facility share directly.`
        : 'Category scales (fire vs facility) are defaults, not fitted to these few days; a different scale changes the facility share directly.',
      'The risk score ranks places by their past burning and by nearby plants; it is a prioritisation aid, not a prediction of where fires will be lit this year.',
    ] },
  });
}

/** The layer with a Thai-name property added from the names table (features without a match keep only English). */
function addNames(fc: FeatureCollection, codeKey: string, thKey: string, table: Record<string, { th: string }>): ReportModel['basemap']['countries'] {
  return {
    type: 'FeatureCollection',
    features: fc.features.map((f) => {
      const th = table[String(f.properties[codeKey])]?.th;
      return { type: 'Feature' as const, properties: th ? { ...f.properties, [thKey]: th } : f.properties, geometry: f.geometry as { type: string; coordinates: unknown } };
    }),
  };
}
