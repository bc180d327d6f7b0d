/**
 * Build a {@link ReportModel} from library results (attributeSeries, binPoints, scoreAreas, cpf …).
 * Browser-safe: no files are read here; the caller passes the data it loaded.
 */
import { ensembleGroups, ensembleMeanTrajectories } from '../attribution/series-output.js';
import { HazetraceError, type TrajectorySet } from '../core/index.js';
import { poolCrossBorder, poolShares, poolSources, type SeriesAttribution, type BandedShare } from '../attribution/index.js';
import type { ReportDistrict, ReportFeatureCollection, ReportModel, ReportShare, ReportSource, ReportTrajectory } from './model.js';
import { checkObject, checkOptions, checkTrajectorySet } from '../core/check.js';

const R_KM = 6371.0088;
function distKm(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const toR = Math.PI / 180;
  const dLat = (lat2 - lat1) * toR;
  const dLng = (lng2 - lng1) * toR;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toR) * Math.cos(lat2 * toR) * Math.sin(dLng / 2) ** 2;
  return 2 * R_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/** Options of {@link reportTrajectories}. */
export interface ReportTrajectoryOptions {
  /** Keep every n-th point of the mean path, hours (default 2). */
  stepHours?: number;
  /** Embed member paths for starts within this many hours of `membersAround` (default 12; 0 = none). */
  membersWithinHours?: number;
  /** Time (UTC ms) the member window is centred on, usually the episode peak (default: no members). */
  membersAround?: number;
  /** Keep every n-th member point, hours (default 3). */
  memberStepHours?: number;
}

/**
 * Ensemble mean, spread and (around one time) members of a set of back-trajectories, per start: what
 * the report draws instead of every member. The spread at a step is the RMS distance (km) of the
 * members from the mean at that step. Paths are thinned to `stepHours`.
 *
 * @example
 * ```ts
 * import { traceEnsemble, uniformWind } from 'hazetrace/wind';
 * import { reportTrajectories } from 'hazetrace/report';
 * const ens = traceEnsemble(uniformWind({ speed: 3, directionFrom: 270 }), { lng: 99, lat: 18.8, time: 0 }, { hours: 6 });
 * const [t] = reportTrajectories(ens);
 * t.mean.length > 1; // true
 * ```
 */
export function reportTrajectories(set: TrajectorySet, options: ReportTrajectoryOptions = {}): ReportTrajectory[] {
  checkTrajectorySet('set', set);
  checkOptions('options', options);
  const step = options.stepHours ?? 2;
  const mstep = options.memberStepHours ?? 3;
  const within = options.membersWithinHours ?? 12;
  if (!(step > 0) || !(mstep > 0) || !(within >= 0)) throw new HazetraceError('E_ARG', 'stepHours and memberStepHours must be > 0, membersWithinHours ≥ 0');
  // The mean path of each ensemble is the attribution module's; the spread is measured around it.
  const meanSet = ensembleMeanTrajectories(set);
  const out: ReportTrajectory[] = [];
  for (const [g, { members: js, length: len }] of ensembleGroups(set).entries()) {
    const j0 = js[0] as number;
    const m0 = meanSet.offsets[g] as number;
    const start = set.startTime[j0] as number;
    const mean: [number, number, number][] = [];
    const spreadKm: number[] = [];
    let lastAge = -Infinity;
    for (let k = 0; k < len; k++) {
      const age = set.ageHours[(set.offsets[j0] as number) + k] as number;
      if (k !== 0 && k !== len - 1 && age - lastAge < step - 1e-9) continue;
      lastAge = age;
      const x = meanSet.lng[m0 + k] as number;
      const y = meanSet.lat[m0 + k] as number;
      let ss = 0;
      for (const j of js) ss += distKm(x, y, set.lng[(set.offsets[j] as number) + k] as number, set.lat[(set.offsets[j] as number) + k] as number) ** 2;
      mean.push([r4(x), r4(y), set.time[(set.offsets[j0] as number) + k] as number]);
      spreadKm.push(Math.round(Math.sqrt(ss / js.length) * 10) / 10);
    }
    const t: ReportTrajectory = { start, mean, spreadKm };
    if (options.membersAround !== undefined && within > 0 && Math.abs(start - options.membersAround) <= within * 3_600_000 && js.length > 1) {
      t.members = js.map((j) => {
        const a = set.offsets[j] as number;
        const b = set.offsets[j + 1] as number;
        const pts: [number, number][] = [];
        let last = -Infinity;
        for (let q = a; q < b; q++) {
          const age = set.ageHours[q] as number;
          if (q !== a && q !== b - 1 && age - last < mstep - 1e-9) continue;
          last = age;
          pts.push([r4(set.lng[q] as number), r4(set.lat[q] as number)]);
        }
        return pts;
      });
    }
    out.push(t);
  }
  return out.sort((a, b) => a.start - b.start);
}

const shares = (rec: Record<string, BandedShare>): ReportShare[] =>
  Object.entries(rec)
    .map(([key, b]) => ({ key, share: b.share, lo: b.low, hi: b.high }))
    .sort((a, b) => b.share - a.share);

/** What {@link buildReportModel} needs: library results plus the basemap and words the caller loaded. */
export interface ReportInputs {
  attribution: SeriesAttribution;
  place: { en: string; th: string };
  firstDay: string;
  lastDay: string;
  /** Map extent [minLng, minLat, maxLng, maxLat]. */
  bbox: [number, number, number, number];
  /** Hotspot density from `binPoints` (needs a `count` column; `frp_sum` used when present). */
  density: { res: number; cells: readonly string[]; columns: Record<string, ArrayLike<number>> };
  /** Fire detections of the case (for the hour slider). */
  fires: { lng: ArrayLike<number>; lat: ArrayLike<number>; time: ArrayLike<number>; frp?: ArrayLike<number> | null; length: number };
  risk?: { res: number; cells: readonly string[]; score: ArrayLike<number>; level: readonly string[]; contributions: Record<string, ArrayLike<number>>; explanation?: readonly string[] };
  /** Ranked areas from `scoreAreas` (rows with `explanation` used when present). */
  areas?: { rank: number; id: string; name: string; meanScore: number; probability?: number; level: string; topFactors: { factor: string; points: number }[]; explanation?: string }[];
  /** Thai names and provinces of the areas by id. */
  areaInfo?: (id: string) => { nameTh?: string; province?: string; provinceTh?: string };
  basemap: ReportModel['basemap'];
  stations: { id: string; name: string; nameTh?: string; lng: number; lat: number }[];
  series?: ReportModel['series'];
  seriesNote?: ReportModel['seriesNote'];
  cpf?: ReportModel['cpf'];
  powerPlants?: number;
  methods?: ReportModel['methods'];
  caveats?: ReportModel['caveats'];
  downloads?: ReportModel['downloads'];
  /** Sources per episode on the map (default 40) and pooled (default 150). */
  sourcesPerEpisode?: number;
  pooledSources?: number;
  /** Embed ensemble members for starts within this many hours of each episode's peak (default 3). */
  membersWithinHours?: number;
  /** UTC ms stamp printed in the footer. Default none: the same inputs then give the same bytes. */
  generatedAt?: number | null;
}

/**
 * Turn library results into the report's plain model: per-episode shares, sources and trajectories
 * (mean + spread, members around the peak), pooled shares, hotspot density, risk cells and the ranked
 * areas with their top factors. Throws `HazetraceError` `E_ARG` when the bbox is not a valid extent.
 *
 * @example
 * ```ts
 * import { buildReportModel, renderReport } from 'hazetrace/report';
 * const model = buildReportModel({
 *   attribution: { episodes: [] } as never,
 *   place: { en: 'Nowhere', th: 'ไม่มีที่' }, firstDay: '2025-04-22', lastDay: '2025-04-24',
 *   bbox: [98, 18, 100, 20],
 *   density: { res: 5, cells: [], columns: { count: [] } },
 *   fires: { lng: [], lat: [], time: [], length: 0 },
 *   basemap: { countries: { type: 'FeatureCollection', features: [] }, towns: [] },
 *   stations: [],
 * });
 * renderReport(model).includes('<svg id="map"'); // true
 * ```
 */
export function buildReportModel(x: ReportInputs): ReportModel {
  checkObject('x', x);
  const bb = x.bbox;
  if (!Array.isArray(bb) || bb.length !== 4 || !bb.every(Number.isFinite) || !(bb[2] > bb[0] && bb[3] > bb[1])) {
    throw new HazetraceError('E_ARG', `bbox must be [minLng, minLat, maxLng, maxLat] with max > min, got ${JSON.stringify(bb)}`);
  }
  const a = x.attribution;
  const attributed = a.episodes.filter((e) => e.status === 'attributed');
  const byCat = attributed.length ? poolShares(a, 'category') : [];
  const byReg = attributed.length ? poolShares(a, 'region') : [];
  const pooled = attributed.length ? poolSources(a) : [];
  const cross = attributed.length ? poolCrossBorder(a) : NaN;
  const perEp = x.sourcesPerEpisode ?? 40;
  const count = x.density.columns['count'];
  if (!count) throw new HazetraceError('E_ARG', 'density.columns must hold a count column (binPoints output)');
  const frp = x.density.columns['frp_sum'];
  const fires: ReportModel['fires'] = [];
  for (let i = 0; i < x.fires.length; i++) fires.push([r4(x.fires.lng[i] as number), r4(x.fires.lat[i] as number), x.fires.time[i] as number, Math.round((x.fires.frp?.[i] as number | undefined) ?? 0)]);
  const risk = x.risk
    ? {
        res: x.risk.res,
        cells: x.risk.cells.map((h3, i) => {
          let top = '';
          let best = -Infinity;
          for (const [f, col] of Object.entries(x.risk!.contributions)) {
            const v = col[i] as number;
            if (v > best) {
              best = v;
              top = f;
            }
          }
          const ex = x.risk!.explanation?.[i];
          return { h3, score: Math.round((x.risk!.score[i] as number) * 10) / 10, level: x.risk!.level[i] as string, top, ...(ex ? { explanation: ex } : {}) };
        }),
      }
    : undefined;
  const districts: ReportDistrict[] = (x.areas ?? []).map((d) => {
    const info = x.areaInfo?.(d.id) ?? {};
    return {
      rank: d.rank,
      id: d.id,
      name: d.name,
      ...(info.nameTh ? { nameTh: info.nameTh } : {}),
      province: info.province ?? '',
      ...(info.provinceTh ? { provinceTh: info.provinceTh } : {}),
      score: d.meanScore,
      ...(d.probability !== undefined && Number.isFinite(d.probability) ? { probability: d.probability } : {}),
      level: d.level,
      factors: d.topFactors,
      ...(d.explanation ? { explanation: d.explanation } : {}),
    };
  });
  const src = (s: { id: string; kind: string; category: string; region: string; lng: number; lat: number; share: number }): ReportSource => ({
    id: s.id,
    kind: s.kind,
    category: s.category,
    region: s.region,
    lng: r4(s.lng),
    lat: r4(s.lat),
    share: s.share,
  });
  const top = x.areas?.[0];
  return {
    place: x.place,
    firstDay: x.firstDay,
    lastDay: x.lastDay,
    generatedAt: x.generatedAt ?? null,
    bbox: bb,
    facts: {
      episodes: a.episodes.length,
      threshold: a.settings?.threshold ?? NaN,
      fires: x.fires.length,
      densityCells: x.density.cells.length,
      densityRes: x.density.res,
      fireShare: byCat.filter((c) => c.key.startsWith('fire_')).reduce((s, c) => s + c.share, 0),
      crossBorder: cross,
      ...(top ? { topDistrict: { name: top.name, ...(x.areaInfo?.(top.id).nameTh ? { nameTh: x.areaInfo(top.id).nameTh as string } : {}), score: top.meanScore, ...(top.probability !== undefined && Number.isFinite(top.probability) ? { probability: top.probability } : {}) } } : {}),
      powerPlants: x.powerPlants ?? 0,
    },
    basemap: x.basemap,
    density: { res: x.density.res, cells: x.density.cells.map((h3, i) => ({ h3, count: count[i] as number, frp: frp ? (frp[i] as number) : 0 })) },
    fires,
    ...(risk ? { risk } : {}),
    stations: x.stations,
    series: x.series ?? [],
    seriesNote: x.seriesNote ?? { en: '', th: '' },
    pooled: { byCategory: byCat.map((c) => ({ key: c.key, share: c.share, lo: c.low, hi: c.high })), byRegion: byReg.filter((c) => c.share >= 0.0005).map((c) => ({ key: c.key, share: c.share, lo: c.low, hi: c.high })), sources: pooled.slice(0, x.pooledSources ?? 150).map(src) },
    episodes: a.episodes.map((e) => ({
      id: e.episode.id,
      station: e.episode.station,
      start: e.episode.start,
      end: e.episode.end,
      peakTime: e.episode.peakTime,
      peakValue: e.episode.peakValue,
      status: e.status,
      ...(e.reason ? { reason: e.reason } : {}),
      byCategory: e.status === 'attributed' ? shares(e.sharesByCategory) : [],
      byRegion: e.status === 'attributed' ? shares(e.sharesByRegion).filter((s) => s.share >= 0.0005) : [],
      sources: e.status === 'attributed' ? e.sources.filter((s) => s.share > 0).slice(0, perEp).map(src) : [],
      trajectories: e.status === 'attributed' && e.trajectories.length > 0 ? reportTrajectories(e.trajectories, { membersAround: e.episode.peakTime, membersWithinHours: x.membersWithinHours ?? 3 }) : [],
    })),
    districts,
    ...(x.cpf ? { cpf: x.cpf } : {}),
    methods: x.methods ?? { en: [] },
    caveats: x.caveats ?? { en: [] },
    downloads: x.downloads ?? [],
  };
}

/**
 * A small, made-up model (one station, one episode, two fires) for trying the renderer and for docs;
 * its numbers mean nothing.
 *
 * @example
 * ```ts
 * import { exampleReportModel, renderReport } from 'hazetrace/report';
 * renderReport(exampleReportModel(), { lang: 'en' }).length > 1000; // true
 * ```
 */
export function exampleReportModel(): ReportModel {
  const t = Date.UTC(2025, 3, 23, 17);
  const square = (x: number, y: number, d: number): ReportFeatureCollection['features'][number] => ({
    type: 'Feature',
    properties: { iso_a3: 'THA', name: 'Thailand' },
    geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] },
  });
  return {
    place: { en: 'Example valley', th: 'หุบเขาตัวอย่าง' },
    firstDay: '2025-04-23',
    lastDay: '2025-04-24',
    generatedAt: t,
    bbox: [98, 18, 100, 20],
    facts: { episodes: 1, threshold: 37.5, fires: 2, densityCells: 1, densityRes: 5, fireShare: 1, crossBorder: 0, powerPlants: 0 },
    basemap: { countries: { type: 'FeatureCollection', features: [square(97.5, 17.5, 3)] }, towns: [{ en: 'Town', th: 'เมือง', lng: 99.1, lat: 18.9 }] },
    density: { res: 5, cells: [{ h3: '85649a27fffffff', count: 2, frp: 30 }] },
    fires: [
      [98.9, 19.0, t - 3_600_000, 12],
      [98.95, 19.05, t - 7_200_000, 18],
    ],
    stations: [{ id: 's1', name: 'Example monitor', nameTh: 'สถานีตัวอย่าง', lng: 99.0, lat: 18.8 }],
    series: [{ station: 's1', points: [[t - 86_400_000, 30], [t, 50], [t + 86_400_000, 35]] }],
    seriesNote: { en: 'made-up values', th: 'ค่าสมมุติ' },
    pooled: { byCategory: [{ key: 'fire_other', share: 1, lo: 1, hi: 1 }], byRegion: [{ key: 'THA', share: 1, lo: 1, hi: 1 }], sources: [] },
    episodes: [
      {
        id: 's1@x',
        station: 's1',
        start: t - 86_400_000,
        end: t + 86_400_000,
        peakTime: t,
        peakValue: 50,
        status: 'attributed',
        byCategory: [{ key: 'fire_other', share: 1, lo: 1, hi: 1 }],
        byRegion: [{ key: 'THA', share: 1, lo: 1, hi: 1 }],
        sources: [{ id: 'hotspot:0', kind: 'hotspot', category: 'fire_other', region: 'THA', lng: 98.9, lat: 19.0, share: 1 }],
        trajectories: [{ start: t, mean: [[99.0, 18.8, t], [98.9, 19.0, t - 7_200_000]], spreadKm: [0, 5] }],
      },
    ],
    districts: [],
    methods: { en: ['Made-up example.'] },
    caveats: { en: ['Not real data.'] },
    downloads: [],
  };
}
