/**
 * Turn the attribution module's result into the CLI's outputs: the contract JSON printed by
 * `hazetrace attribute --json`, the shares CSV, and pooled shares for the report. No attribution
 * is computed here; this only reshapes `attribute(...)`'s result.
 */
import { toIsoUtc, type TrajectorySet } from '../core/index.js';
import type { AttributionResult, BandedShare, EpisodeAttribution } from '../attribution/index.js';
import { toCsv } from '../io/index.js';

/** One episode in the contract shape (times ISO 8601 UTC, shares summing to 1). */
export interface ContractEpisode {
  station: string;
  start: string;
  end: string;
  peakTime: string;
  peakValue: number;
  sharesByCategory: Record<string, number>;
  sharesByRegion: Record<string, number>;
  sources: { id: string; kind: string; category: string; region: string; share: number }[];
}

export interface ContractOutput {
  episodes: ContractEpisode[];
  /** Episodes no source could explain (no trajectory came near a source), with the reason; not in `episodes` because their shares cannot sum to 1. */
  unattributed: { station: string; start: string; end: string; peakValue: number; reason: string }[];
  warnings: string[];
}

/**
 * Shares as plain numbers, renormalised by their sum: the library's shares already sum to 1 up to
 * rounding, and the contract promises exactly that to consumers who check it.
 */
function plainShares(rec: Record<string, BandedShare>): Record<string, number> {
  const entries = Object.entries(rec).filter(([, b]) => Number.isFinite(b.share) && b.share > 0);
  const sum = entries.reduce((s, [, b]) => s + b.share, 0);
  const out: Record<string, number> = {};
  for (const [k, b] of entries.sort((a, b2) => b2[1].share - a[1].share)) out[k] = b.share / sum;
  return out;
}

export function isAttributed(e: EpisodeAttribution): boolean {
  return e.totalScore > 0 && Object.keys(e.sharesByCategory).length > 0 && Object.keys(e.sharesByRegion).length > 0;
}

export function toContract(result: AttributionResult): ContractOutput {
  const episodes: ContractEpisode[] = [];
  const unattributed: ContractOutput['unattributed'] = [];
  for (const e of result.episodes) {
    const ep = e.episode;
    if (!isAttributed(e)) {
      unattributed.push({
        station: ep.station,
        start: toIsoUtc(ep.start),
        end: toIsoUtc(ep.end),
        peakValue: ep.peakValue,
        reason:
          e.trajectoryCount === 0
            ? 'no back-trajectories (receptor without coordinates or outside the wind field)'
            : 'no source within reach of the back-trajectories (all kernel weights zero)',
      });
      continue;
    }
    episodes.push({
      station: ep.station,
      start: toIsoUtc(ep.start),
      end: toIsoUtc(ep.end),
      peakTime: toIsoUtc(ep.peakTime),
      peakValue: ep.peakValue,
      sharesByCategory: plainShares(e.sharesByCategory),
      sharesByRegion: plainShares(e.sharesByRegion),
      sources: e.sources.map((s) => ({ id: s.id, kind: s.kind, category: s.category, region: s.region, share: s.share })),
    });
  }
  return { episodes, unattributed, warnings: result.warnings };
}

/** Long CSV of every share with its ensemble band: one row per episode × dimension × key. */
export function sharesCsv(result: AttributionResult): string {
  const rows: unknown[][] = [];
  for (const e of result.episodes) {
    if (!isAttributed(e)) continue;
    const ep = e.episode;
    const dims: [string, Record<string, BandedShare>][] = [
      ['category', e.sharesByCategory],
      ['region', e.sharesByRegion],
      ...Object.entries(e.sharesByRegionLevel),
    ];
    if (e.crossBorder) dims.push(['cross_border', { cross_border: e.crossBorder }]);
    for (const [dim, rec] of dims) {
      for (const [key, b] of Object.entries(rec).sort((a, c) => c[1].share - a[1].share)) {
        rows.push([ep.id, ep.station, toIsoUtc(ep.start), toIsoUtc(ep.end), ep.peakValue, dim, key, b.share, b.low, b.high]);
      }
    }
  }
  return toCsv(['episode', 'station', 'start_utc', 'end_utc', 'peak_ugm3', 'dimension', 'key', 'share', 'band_low', 'band_high'], rows);
}

/** A share pooled over episodes, each weighted by its peak PM2.5, with the pooled ensemble band. */
export interface PooledShare {
  key: string;
  share: number;
  low: number;
  high: number;
}

/**
 * Pool per-episode shares: Σ_e w_e·share_e / Σ_e w_e with w_e = peak value, so a severe episode counts
 * more than a marginal one; the band pools the per-episode low/high the same way (a summary, not a
 * formal interval).
 */
export function poolShares(result: AttributionResult, pick: (e: EpisodeAttribution) => Record<string, BandedShare>): PooledShare[] {
  const acc = new Map<string, { s: number; lo: number; hi: number }>();
  let wsum = 0;
  for (const e of result.episodes) {
    if (!isAttributed(e)) continue;
    const w = e.episode.peakValue;
    wsum += w;
    for (const [k, b] of Object.entries(pick(e))) {
      const a = acc.get(k) ?? { s: 0, lo: 0, hi: 0 };
      a.s += w * b.share;
      a.lo += w * (Number.isFinite(b.low) ? b.low : b.share);
      a.hi += w * (Number.isFinite(b.high) ? b.high : b.share);
      acc.set(k, a);
    }
  }
  if (wsum === 0) return [];
  return [...acc.entries()]
    .map(([key, a]) => ({ key, share: a.s / wsum, low: Math.min(a.s, a.lo) / wsum, high: Math.max(a.s, a.hi) / wsum }))
    .sort((a, b) => b.share - a.share);
}

/** Sources pooled over episodes (peak-weighted share), best first. */
export function poolSources(result: AttributionResult): { id: string; kind: string; category: string; region: string; lng: number; lat: number; share: number; episodes: number }[] {
  const acc = new Map<string, { id: string; kind: string; category: string; region: string; lng: number; lat: number; share: number; episodes: number }>();
  let wsum = 0;
  for (const e of result.episodes) if (isAttributed(e)) wsum += e.episode.peakValue;
  if (wsum === 0) return [];
  for (const e of result.episodes) {
    if (!isAttributed(e)) continue;
    const w = e.episode.peakValue / wsum;
    for (const s of e.sources) {
      const a = acc.get(s.id) ?? { id: s.id, kind: s.kind, category: s.category, region: s.region, lng: s.lng, lat: s.lat, share: 0, episodes: 0 };
      a.share += w * s.share;
      a.episodes += 1;
      acc.set(s.id, a);
    }
  }
  return [...acc.values()].sort((a, b) => b.share - a.share);
}

/** All episodes' trajectories in one set (for one GeoJSON layer). */
export function allTrajectories(result: AttributionResult): TrajectorySet[] {
  return result.episodes.map((e) => e.trajectories).filter((t) => t.length > 0);
}

/** A GeoJSON FeatureCollection of pooled sources. */
export function pooledSourcesGeoJson(pooled: ReturnType<typeof poolSources>): object {
  return {
    type: 'FeatureCollection',
    features: pooled.map((s, i) => ({
      type: 'Feature',
      properties: { rank: i + 1, id: s.id, kind: s.kind, category: s.category, region: s.region, share: s.share, episodes: s.episodes },
      geometry: { type: 'Point', coordinates: [s.lng, s.lat] },
    })),
  };
}
