/**
 * Attribution per episode: back-trajectory ensembles from the receptor through the episode (given, or traced here
 * from a wind field), then the kernel sum per source of ./scoring.ts,
 *
 *   score_s = weight_s × scale(category_s) × Σ_k K_space(d_sk, σ(a_k)) × K_time(|t_k − t_s|) × exp(−a_k/L) × Δt_k,
 *
 * over trajectory points k of age a_k ≤ `hours`, with the classic baseline beside it. Shares are scores normalised
 * over all sources; summed by category and region they give category and cross-border shares, with a band from the
 * spread of the same shares computed per ensemble member. The kernel terms, their defaults and the evidence behind
 * them are in docs/attribution.md. This file only orchestrates: settings in ./defaults.ts, per-layer preparation in
 * ./prepare.ts, scoring in ./scoring.ts, shares in ./shares.ts, the baseline in ./baseline.ts, output in
 * ./result-output.ts.
 */
import { argError, checkPositive, HazetraceError, HOUR_MS, lowerBoundBy, toIsoUtc, type Stations, type TrajectorySet, type WindField } from '../core/index.js';
import { concatTrajectorySets, traceEnsemble } from '../wind/index.js';
import { classicBaseline } from './baseline.js';
import { resolveContact } from './contact.js';
import { ATTRIBUTE_DEFAULTS, KERNEL_SHAPES, resolveKernel, type Kernel, type KernelShape } from './defaults.js';
import type { Episode } from './episodes.js';
import { prepare } from './prepare.js';
import { attributionDisplay, episodeJson } from './result-output.js';
import { summariseEpisode } from './shares.js';
import { EpisodeScoreCache, Scratch, scoreTrajectories, type EpisodeRowScores, type LayerRowIds } from './scoring.js';
import { SourceIndex } from './sourceindex.js';
import type { Prepared } from './prepare.js';
import type { SourceLayer } from './sources.js';
import type { AttributeOptions, AttributionResult, BaselineResult, EpisodeAttribution } from './types.js';
import { checkArray, checkTrajectorySet } from '../core/check.js';
import { checkInt as checkIndex } from '../core/errors.js';

const D = ATTRIBUTE_DEFAULTS;

/**
 * Last start time (inclusive) an episode uses: `Episode.end` is exclusive, so starts lie in [start, end); an instant
 * episode (end ≤ start) uses its start alone.
 */
function lastStart(ep: Episode): number {
  return ep.end > ep.start ? ep.end - 1 : ep.start;
}

/** Pick the trajectories of `set` that belong to an episode: same receptor (case-insensitive) and start inside [start, end). */
function trajectoriesFor(set: TrajectorySet, byReceptor: Map<string, number[]>, ep: Episode, singleEpisode: boolean): number[] {
  const list = byReceptor.get(ep.station.toLowerCase()) ?? (singleEpisode && byReceptor.size === 1 && byReceptor.has('') ? byReceptor.get('') : undefined) ?? [];
  // list is sorted by start time: binary search the window.
  const lo = lowerBoundBy(list.length, (i) => set.startTime[list[i] as number] as number, ep.start);
  const out: number[] = [];
  for (let i = lo; i < list.length; i++) {
    const j = list[i] as number;
    if ((set.startTime[j] as number) > lastStart(ep)) break;
    out.push(j);
  }
  return out;
}

/**
 * Copy selected trajectories (by index) into a new TrajectorySet.
 *
 * @example
 * ```ts
 * import { subsetTrajectories } from 'hazetrace/attribution';
 * import { traceEnsemble, uniformWind } from 'hazetrace/wind';
 * const set = traceEnsemble(uniformWind({ speed: 4, directionFrom: 300 }), { lng: 99, lat: 18.8, time: 0 }, { hours: 24 });
 * subsetTrajectories(set, [0, 1]).length; // 2
 * ```
 */
export function subsetTrajectories(set: TrajectorySet, which: number[]): TrajectorySet {
  checkTrajectorySet('set', set);
  for (const j of checkArray<number>('which', which)) checkIndex('which[]', j, 0, set.length - 1);
  let n = 0;
  for (const j of which) n += (set.offsets[j + 1] as number) - (set.offsets[j] as number);
  const out: TrajectorySet = {
    length: which.length,
    offsets: new Uint32Array(which.length + 1),
    lng: new Float64Array(n),
    lat: new Float64Array(n),
    time: new Float64Array(n),
    ageHours: new Float64Array(n),
    receptor: [],
    member: new Int32Array(which.length),
    startTime: new Float64Array(which.length),
    stopReason: [],
  };
  let o = 0;
  which.forEach((j, i) => {
    const a = set.offsets[j] as number;
    const b = set.offsets[j + 1] as number;
    out.lng.set(set.lng.subarray(a, b), o);
    out.lat.set(set.lat.subarray(a, b), o);
    out.time.set(set.time.subarray(a, b), o);
    out.ageHours.set(set.ageHours.subarray(a, b), o);
    o += b - a;
    out.offsets[i + 1] = o;
    out.receptor.push(set.receptor[j] ?? '');
    out.member[i] = set.member[j] as number;
    out.startTime[i] = set.startTime[j] as number;
    out.stopReason.push(set.stopReason[j] ?? 'completed');
  });
  return out;
}

function receptorOf(receptors: AttributeOptions['receptors'], station: string): readonly [number, number] | null {
  if (!receptors) return null;
  const id = station.toLowerCase();
  if ('id' in receptors && Array.isArray((receptors as Stations).id) && (receptors as Stations).lng instanceof Float64Array) {
    const st = receptors as Stations;
    const i = st.id.findIndex((s) => s.toLowerCase() === id);
    if (i < 0 || !Number.isFinite(st.lng[i]) || !Number.isFinite(st.lat[i])) return null;
    return [st.lng[i] as number, st.lat[i] as number];
  }
  const r = receptors as Record<string, readonly [number, number]>;
  return r[station] ?? r[id] ?? r[station.toUpperCase()] ?? null;
}

function traceForEpisodes(episodes: Episode[], options: AttributeOptions, k: Kernel, warnings: string[]): TrajectorySet {
  const wind = options.wind as WindField;
  const step = checkPositive('options.startStepHours', options.startStepHours ?? D.startStepHours) * HOUR_MS;
  const ens = options.ensemble ?? {};
  // The 1° offset default applies to the offset ensemble only (random-walk members have no offset).
  const ensemble = (ens.members ?? 'offset') === 'offset' && ens.offsetDeg === undefined ? { ...ens, offsetDeg: D.offsetDeg } : ens;
  const sets: TrajectorySet[] = [];
  const cache = options.trajectoryCache;
  for (const ep of episodes) {
    const rc = receptorOf(options.receptors, ep.station);
    if (!rc) {
      warnings.push(`${ep.id}: no coordinates for receptor "${ep.station}" in options.receptors; episode skipped`);
      continue;
    }
    for (let t = ep.start; t <= lastStart(ep); t += step) {
      try {
        const key = cache ? `${ep.station.toLowerCase()}|${rc[0]},${rc[1]}|${t}|${k.hours}|${JSON.stringify(ensemble)}` : '';
        let one = cache?.get(key);
        if (!one) {
          one = traceEnsemble(wind, { lng: rc[0], lat: rc[1], time: t, receptor: ep.station.toLowerCase() }, { ...ensemble, hours: k.hours, direction: 'back' });
          cache?.set(key, one);
        }
        sets.push(one);
      } catch (e) {
        if (e instanceof HazetraceError && e.code === 'E_DOMAIN') warnings.push(`${ep.id}: start ${toIsoUtc(t)} outside the wind field (${e.message})`);
        else throw e;
      }
    }
  }
  return concatTrajectorySets(sets);
}

/**
 * Incremental scoring, when `options.scoreCache` is given (as `TrajectoryStore.scores` of hazetrace/node) and the trajectories are traced here on the index method without contact weights: each
 * episode's per-row sums are kept under a key naming its trajectories (receptor, start times, members, point
 * counts) and the kernel settings, and a later run scores only the rows that entry has not seen (a FIRMS batch adds
 * rows) and restores the rest. Bit-identical to scoring every row (see EpisodeScoreCache). Null when not applicable.
 */
function incrementalScoring(options: AttributeOptions, prep: Prepared, k: Kernel, pointWeight: ArrayLike<number> | null, set: TrajectorySet) {
  const cache = options.scoreCache;
  if (!(cache instanceof EpisodeScoreCache) || cache.maxBytes <= 0 || options.trajectories || k.brute || pointWeight || !prep.index) return null;
  const rowIds: LayerRowIds = cache.rowIds(prep);
  const subIndexes = new Map<Uint8Array, SourceIndex>();
  const settings = JSON.stringify([k, options.ensemble ?? null, options.startStepHours ?? null, options.baseline ?? null]);
  const keyOf = (ep: Episode, idx: number[], nM: number): string => {
    const starts: string[] = [];
    let last = NaN;
    for (const j of [...idx].sort((a, b) => (set.startTime[a] as number) - (set.startTime[b] as number) || (set.member[a] as number) - (set.member[b] as number))) {
      const t = set.startTime[j] as number;
      const pts = (set.offsets[j + 1] as number) - (set.offsets[j] as number);
      starts.push(t === last ? `${set.member[j]}:${pts}` : `@${t}/${set.member[j]}:${pts}`);
      last = t;
    }
    const p0 = idx.length ? (set.offsets[idx[0] as number] as number) : 0;
    return `${ep.station.toLowerCase()}|${ep.start}|${ep.end}|${set.lng[p0]},${set.lat[p0]}|${nM}|${settings}|${starts.join(',')}`;
  };
  const { layer } = prep;
  const isHotspot = (i: number): boolean => layer.kinds[i] === 'hotspot' && Number.isFinite(layer.time[i]);
  const subHotspots = new Map<Uint8Array, Prepared>();
  return {
    score(ep: Episode, idx: number[], nM: number, scratch: Scratch, memberSums: Float64Array[], slot: (j: number) => number): { key: string; hit: EpisodeRowScores | undefined } {
      const key = keyOf(ep, idx, nM);
      const hit: EpisodeRowScores | undefined = cache.get(key);
      if (hit && hit.nMembers === Math.max(1, nM)) {
        let sub = subIndexes.get(hit.scored);
        if (!sub) {
          const effW = prep.effW;
          // Same bins as prepare()'s index (same bin width), so every new row is queried exactly as in a full run.
          sub = new SourceIndex(prep.layer.lng, prep.layer.lat, prep.layer.time, effW, (i) => (effW[i] as number) > 0 && EpisodeScoreCache.isNew(hit, rowIds, i), Math.min(12, k.tau * k.tcut));
          subIndexes.set(hit.scored, sub);
        }
        scoreTrajectories(prep, k, set, idx, scratch, memberSums, slot, nM, null, { index: sub, restore: (sc) => EpisodeScoreCache.restore(hit, sc, rowIds) });
        return { key, hit };
      }
      scoreTrajectories(prep, k, set, idx, scratch, memberSums, slot, nM, null);
      return { key, hit: undefined };
    },
    /**
     * The classic baseline: a hotspot is counted or not on its own (within the radius of the trajectories, inside the
     * time window), so only the new hotspots are tested and the counted ones of the entry are added back (the
     * counts and shares equal a full count; the key order of the count records may differ). Then the entry is stored.
     */
    baseline(st: { key: string; hit: EpisodeRowScores | undefined }, ep: Episode, idx: number[], radiusKm: number, hours: number, seen: Int32Array, stamp: number, scratch: Scratch): BaselineResult {
      const hit = st.hit;
      let res: BaselineResult;
      if (hit) {
        let sub = subHotspots.get(hit.scored);
        if (!sub) {
          sub = { ...prep, hotspotIndex: new SourceIndex(layer.lng, layer.lat, layer.time, prep.effW, (i) => isHotspot(i) && EpisodeScoreCache.isNew(hit, rowIds, i), 24) };
          subHotspots.set(hit.scored, sub);
        }
        const fresh = classicBaseline(sub, set, idx, ep, radiusKm, hours, seen, stamp);
        let count = fresh.count;
        const byCategory = { ...fresh.byCategory };
        const byRegion = { ...fresh.byRegion };
        for (let i = 0; i < hit.baseline.length; i++) {
          const id = hit.baseline[i] as number;
          for (let row = id < rowIds.first.length ? (rowIds.first[id] as number) : -1; row >= 0; row = rowIds.next[row] as number) {
            if (!isHotspot(row) || seen[row] === stamp) continue;
            seen[row] = stamp;
            count++;
            const c = layer.category[row] as string;
            const r = layer.region[row] as string;
            byCategory[c] = (byCategory[c] ?? 0) + 1;
            byRegion[r] = (byRegion[r] ?? 0) + 1;
          }
        }
        const shares = (rec: Record<string, number>): Record<string, number> => {
          const o: Record<string, number> = {};
          for (const [key, v] of Object.entries(rec)) o[key] = count > 0 ? v / count : 0;
          return o;
        };
        res = { radiusKm, hours, count, byCategory, byRegion, sharesByCategory: shares(byCategory), sharesByRegion: shares(byRegion) };
      } else res = classicBaseline(prep, set, idx, ep, radiusKm, hours, seen, stamp);
      const counted: number[] = [];
      for (let row = 0; row < seen.length; row++) if (seen[row] === stamp) counted.push(rowIds.ids[row] as number);
      cache.capture(st.key, scratch, rowIds, Int32Array.from(new Set(counted)));
      return res;
    },
  };
}

/**
 * Attribute each episode to sources: ranked sources with evidence, shares by category and region with ensemble
 * bands, per-member scores on the category × region grid (`memberScores`, to recompute shares under other category
 * scales), and the classic baseline (hotspots within 50 km of the back-trajectory within 72 h) beside it.
 * Give either `trajectories` (e.g. from `readTdump`) or `wind` + `receptors` (ensembles are traced here: starts every
 * `startStepHours` from the episode start up to, not including, its exclusive end — an instant episode with
 * end = start gets one start —, each a `traceEnsemble` of `hours` back). Defaults: {@link ATTRIBUTE_DEFAULTS}.
 * Source layers are treated as immutable once built: the space–time index over a layer is cached and reused by
 * later calls with the same time kernel, method and scales.
 *
 * @example
 * ```ts
 * import { attribute, reportSources } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22, 6);
 * const episode = { id: 'e1', station: '35t', start: t0, end: t0, peakTime: t0, peakValue: 80, meanValue: 80, samples: 1, threshold: 37.5 };
 * const sources = reportSources({ lng: [98.8], lat: [19.2], time: [t0 - 12 * 3_600_000] });
 * const r = attribute([episode], sources, { wind: uniformWind({ speed: 3, directionFrom: 330 }), receptors: { '35t': [98.97, 18.84] } });
 * r.episodes[0]?.sharesByCategory.report?.share; // 1
 * ```
 */
export function attribute(episodes: Episode | Episode[], sources: SourceLayer, options: AttributeOptions = {}): AttributionResult {
  const eps = Array.isArray(episodes) ? episodes : [episodes];
  for (const [i, e] of eps.entries()) {
    if (!e || typeof e.station !== 'string' || !Number.isFinite(e.start) || !Number.isFinite(e.end)) throw argError(`episodes[${i}]`, e, 'an Episode { station, start, end, ... }');
  }
  const k = resolveKernel(options);
  const warnings: string[] = [];
  if (!options.trajectories && !options.wind) throw argError('options', options, 'an object with trajectories (a TrajectorySet) or wind (a WindField) and receptors');
  const set = options.trajectories ?? traceForEpisodes(eps, options, k, warnings);
  const prep = prepare(sources, k, options.scales);
  const contact = resolveContact(set, options.contact, options.contactOptions);
  const summary = { maxSources: options.maxSources ?? 100, band: options.band ?? ([0.1, 0.9] as const), domesticRegion: options.domesticRegion };
  const baseR = checkPositive('options.baseline.radiusKm', options.baseline?.radiusKm ?? 50);
  const baseH = checkPositive('options.baseline.hours', options.baseline?.hours ?? 72);
  const byReceptor = new Map<string, number[]>();
  for (let j = 0; j < set.length; j++) {
    const r = (set.receptor[j] ?? '').toLowerCase();
    let arr = byReceptor.get(r);
    if (!arr) byReceptor.set(r, (arr = []));
    arr.push(j);
  }
  for (const arr of byReceptor.values()) arr.sort((a, b) => (set.startTime[a] as number) - (set.startTime[b] as number));
  const scratch = new Scratch(prep.group.names.length, sources.length);
  const seen = new Int32Array(sources.length);
  const inc = incrementalScoring(options, prep, k, contact.weights, set);
  const out: EpisodeAttribution[] = [];
  eps.forEach((ep, ei) => {
    const epWarn: string[] = [];
    const idx = trajectoriesFor(set, byReceptor, ep, eps.length === 1);
    if (idx.length === 0) epWarn.push(`${ep.id}: no trajectories for receptor "${ep.station}" starting in ${toIsoUtc(ep.start)}..${toIsoUtc(ep.end)}`);
    idx.sort((a, b) => (set.member[a] as number) - (set.member[b] as number) || a - b);
    const memberIds = [...new Set(idx.map((j) => set.member[j] as number))];
    const slotOf = new Map(memberIds.map((m, i) => [m, i]));
    const nM = memberIds.length;
    const memberSums = prep.sums.map((d) => new Float64Array(Math.max(1, nM) * d.size));
    const slot = (j: number): number => slotOf.get(set.member[j] as number) as number;
    const incState = inc ? inc.score(ep, idx, nM, scratch, memberSums, slot) : null;
    if (!inc) scoreTrajectories(prep, k, set, idx, scratch, memberSums, slot, nM, contact.weights);
    const scores = summariseEpisode(prep, scratch, memberSums, nM, summary);
    const receptor = receptorOf(options.receptors, ep.station) ?? (idx.length ? ([set.lng[set.offsets[idx[0] as number] as number] as number, set.lat[set.offsets[idx[0] as number] as number] as number] as const) : null);
    out.push({
      episode: ep,
      receptor,
      trajectoryCount: idx.length,
      members: nM,
      ...scores,
      baseline: inc && incState ? inc.baseline(incState, ep, idx, baseR, baseH, seen, ei + 1, scratch) : classicBaseline(prep, set, idx, ep, baseR, baseH, seen, ei + 1),
      trajectories: subsetTrajectories(set, idx),
      warnings: epWarn,
    });
    warnings.push(...epWarn);
  });
  const settings = { hours: k.hours, sigma0Km: k.sigma0, sigmaKmPerHour: k.rate, cutoffSigmas: k.cut, timeSigmaHours: k.tau, timeCutoffSigmas: k.tcut, detectionWindow: k.window, kernelShape: KERNEL_SHAPES[k.shape] as KernelShape };
  return {
    episodes: out,
    scales: prep.scales,
    settings,
    warnings,
    contact: contact.provenance,
    toJSON() {
      // `contact` only when the caller asked for a weighting, so outputs of callers that never did stay as they were.
      return { settings, scales: prep.scales, warnings, ...(options.contact !== undefined ? { contact: contact.provenance } : {}), episodes: out.map(episodeJson) };
    },
    // Deno/Jupyter rich display: one line per episode with its top categories and the baseline beside them.
    [Symbol.for('Jupyter.display')]: () => attributionDisplay(out, warnings),
  };
}
