/**
 * From the per-source totals and per-member sums of one episode (./scoring.ts) to what an
 * {@link EpisodeAttribution} reports: ranked sources with their evidence, shares by category, region and region
 * level with ensemble bands, the cross-border share, and the per-member category × region scores.
 */
import type { SourceKind } from '../core/index.js';
import type { Prepared } from './prepare.js';
import { categoryRegionMarginals, type Scratch } from './scoring.js';
import type { BandedShare, EpisodeAttribution, RankedSource } from './types.js';
import { quantileSorted7 } from './util.js';

/** Band quantiles `q` (type-7), min and max of per-member values; NaN for none. */
function bandOf(values: number[], q: readonly [number, number]): { low: number; high: number; min: number; max: number } {
  if (values.length === 0) return { low: NaN, high: NaN, min: NaN, max: NaN };
  const s = [...values].sort((a, b) => a - b);
  return { low: quantileSorted7(s, q[0]), high: quantileSorted7(s, q[1]), min: s[0] as number, max: s[s.length - 1] as number };
}

/** One share dimension's per-member sums `arr[m · nV + v]` with their per-member and grand totals. */
interface DimSums {
  arr: Float64Array;
  nV: number;
  memberTotals: Float64Array;
  grand: number;
}

function dimSums(arr: Float64Array, nV: number, nM: number): DimSums {
  const memberTotals = new Float64Array(nM);
  for (let m = 0; m < nM; m++) for (let v = 0; v < nV; v++) memberTotals[m] = (memberTotals[m] as number) + (arr[m * nV + v] as number);
  let grand = 0;
  for (let i = 0; i < arr.length; i++) grand += arr[i] as number;
  return { arr, nV, memberTotals, grand };
}

/** Shares of each value with a score (share of the grand sum, band over the members' own shares). */
function bandedShares(names: string[], d: DimSums, nM: number, bandQ: readonly [number, number]): Record<string, BandedShare> {
  const res: Record<string, BandedShare> = {};
  for (let v = 0; v < d.nV; v++) {
    let s = 0;
    const per: number[] = [];
    for (let m = 0; m < nM; m++) {
      const x = d.arr[m * d.nV + v] as number;
      s += x;
      if ((d.memberTotals[m] as number) > 0) per.push(x / (d.memberTotals[m] as number));
    }
    if (s > 0) res[names[v] as string] = { share: s / d.grand, ...bandOf(per, bandQ) };
  }
  return res;
}

/** Share outside region `dom` (an index into the region names, −1 when absent), with its band; undefined without any score. */
function crossBorderShare(d: DimSums, dom: number, nM: number, bandQ: readonly [number, number]): BandedShare | undefined {
  let domTotal = 0;
  const per: number[] = [];
  for (let m = 0; m < nM; m++) {
    const dm = dom >= 0 ? (d.arr[m * d.nV + dom] as number) : 0;
    domTotal += dm;
    if ((d.memberTotals[m] as number) > 0) per.push(1 - dm / (d.memberTotals[m] as number));
  }
  return d.grand > 0 ? { share: 1 - domTotal / d.grand, ...bandOf(per, bandQ) } : undefined;
}

/** The parts of an {@link EpisodeAttribution} that come from the scores. */
export type EpisodeScores = Pick<
  EpisodeAttribution,
  'totalScore' | 'sourceCount' | 'sources' | 'sharesByCategory' | 'sharesByRegion' | 'sharesByRegionLevel' | 'crossBorder' | 'memberScores'
>;

/**
 * Summarise one scored episode: `scratch` as left by `scoreTrajectories`, `memberSums` its per-member sums (one per
 * entry of `prep.sums`: the joint category × region code, then the further region levels), `nM` members. Scores
 * are means over members; shares are of the sum over members, banded by the `opts.band` quantiles of the members'
 * own shares. Category and region sums are the marginals of the joint sums, so `memberScores` adds up to them.
 */
export function summariseEpisode(
  prep: Prepared,
  scratch: Scratch,
  memberSums: Float64Array[],
  nM: number,
  opts: { maxSources: number; band: readonly [number, number]; domesticRegion?: string | undefined },
): EpisodeScores {
  const layer = prep.layer;
  const perMember = Math.max(1, nM);
  let total = 0;
  const touched = Array.from(scratch.touched.subarray(0, scratch.nTouched));
  for (const g of touched) total += (scratch.total[g] as number) / perMember;
  touched.sort((a, b) => (scratch.total[b] as number) - (scratch.total[a] as number) || a - b);
  const sources: RankedSource[] = touched.slice(0, opts.maxSources).map((g) => {
    const row = prep.groupRow[g] as number;
    const score = (scratch.total[g] as number) / perMember;
    return {
      id: prep.group.names[g] as string,
      kind: layer.kinds[row] as SourceKind,
      category: layer.category[row] as string,
      region: layer.region[row] as string,
      score,
      share: total > 0 ? score / total : 0,
      lng: layer.lng[row] as number,
      lat: layer.lat[row] as number,
      time: layer.time[row] as number,
      evidence: { closestKm: Math.sqrt(scratch.minD2[g] as number), ageAtClosestHours: scratch.ageAtMin[g] as number, members: scratch.memberCount[g] as number },
    };
  });
  const categories = (prep.dims[0] as { names: string[] }).names;
  const regionNames = (prep.dims[1] as { names: string[] }).names;
  const joint = memberSums[0] as Float64Array;
  const marg = categoryRegionMarginals(joint, nM, categories.length, regionNames.length);
  const perDim = [marg.category, marg.region, ...memberSums.slice(1)];
  const sums = prep.dims.map((d, i) => dimSums(perDim[i] as Float64Array, d.names.length, nM));
  const shares = prep.dims.map((d, i) => bandedShares(d.names, sums[i] as DimSums, nM, opts.band));
  const crossBorder = opts.domesticRegion === undefined ? undefined : crossBorderShare(sums[1] as DimSums, regionNames.indexOf(opts.domesticRegion), nM, opts.band);
  const sharesByRegionLevel: Record<string, Record<string, BandedShare>> = {};
  prep.dims.slice(2).forEach((d, i) => (sharesByRegionLevel[d.name] = shares[i + 2] as Record<string, BandedShare>));
  return {
    totalScore: total,
    sourceCount: touched.length,
    sources,
    sharesByCategory: shares[0] as Record<string, BandedShare>,
    sharesByRegion: shares[1] as Record<string, BandedShare>,
    sharesByRegionLevel,
    ...(crossBorder ? { crossBorder } : {}),
    memberScores: { categories: [...categories], regions: [...regionNames], members: nM, scores: joint.subarray(0, nM * categories.length * regionNames.length) },
  };
}
