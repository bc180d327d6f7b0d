/**
 * Output of an {@link AttributionResult}: plain JSON per episode (ISO times, non-finite numbers as null), the ranked
 * sources of an episode as GeoJSON, and the one-line-per-episode notebook display. For an episode's trajectories
 * as GeoJSON use src/wind's `trajectoriesToGeoJson(result.episodes[i].trajectories)` or
 * `episodeTrajectoriesToGeoJson`.
 */
import { argError, toIsoUtc } from '../core/index.js';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { SourceLayer } from './sources.js';
import type { AttributionResult, BandedShare, EpisodeAttribution } from './types.js';
import { checkEpisodesResult, checkSourceLayer } from './check.js';

const iso = (t: number): string | null => (Number.isFinite(t) ? toIsoUtc(t) : null);
const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
function bandJson(rec: Record<string, BandedShare>): Record<string, object> {
  const o: Record<string, object> = {};
  for (const [k, b] of Object.entries(rec)) o[k] = { share: b.share, low: num(b.low), high: num(b.high), min: num(b.min), max: num(b.max) };
  return o;
}

/** One episode as plain JSON (what `AttributionResult.toJSON()` lists per episode; `memberScores` and the trajectories are left out). */
export function episodeJson(e: EpisodeAttribution): object {
  const levels: Record<string, object> = {};
  for (const [k, v] of Object.entries(e.sharesByRegionLevel)) levels[k] = bandJson(v);
  return {
    episode: { ...e.episode, start: iso(e.episode.start), end: iso(e.episode.end), peakTime: iso(e.episode.peakTime) },
    receptor: e.receptor,
    trajectoryCount: e.trajectoryCount,
    members: e.members,
    totalScore: e.totalScore,
    sourceCount: e.sourceCount,
    sources: e.sources.map((s) => ({
      ...s,
      time: iso(s.time),
      evidence: { closestKm: num(s.evidence.closestKm), ageAtClosestHours: num(s.evidence.ageAtClosestHours), members: s.evidence.members },
    })),
    sharesByCategory: bandJson(e.sharesByCategory),
    sharesByRegion: bandJson(e.sharesByRegion),
    sharesByRegionLevel: levels,
    ...(e.crossBorder ? { crossBorder: bandJson({ x: e.crossBorder })['x'] } : {}),
    baseline: e.baseline,
    warnings: e.warnings,
  };
}

/**
 * Notebook rich display (Deno/Jupyter `Symbol.for('Jupyter.display')`): one line per episode with its top four
 * categories and their bands, and the baseline count beside them; then the warnings.
 */
export function attributionDisplay(episodes: EpisodeAttribution[], warnings: string[]): { 'text/plain': string } {
  const pct = (v: number): string => `${(100 * v).toFixed(1)} %`;
  const lines = episodes.map((e) => {
    const cats = Object.entries(e.sharesByCategory)
      .sort((a, b) => b[1].share - a[1].share)
      .slice(0, 4)
      .map(([c, b]) => `${c} ${pct(b.share)} [${pct(b.low)}–${pct(b.high)}]`)
      .join(', ');
    return `${e.episode.id}: ${e.sourceCount} sources; ${cats || 'no source reached'}; baseline ${e.baseline.count} hotspots`;
  });
  return { 'text/plain': `AttributionResult: ${episodes.length} episode(s)\n${lines.join('\n')}${warnings.length ? `\nwarnings: ${warnings.join(' | ')}` : ''}` };
}

/**
 * The ranked sources of one episode as GeoJSON (areas with their outline when known, others as points), with
 * `share`, `score`, `category`, `region` and the evidence as properties.
 *
 * @example
 * ```ts
 * import { attribute, reportSources, sourcesToGeoJson } from 'hazetrace/attribution';
 * import { uniformWind } from 'hazetrace/wind';
 * const t0 = Date.UTC(2025, 3, 22, 6);
 * const episode = { id: 'e1', station: '35t', start: t0, end: t0, peakTime: t0, peakValue: 80, meanValue: 80, samples: 1, threshold: 37.5 };
 * const sources = reportSources({ lng: [98.8], lat: [18.9], time: [t0 - 6 * 3_600_000] });
 * const result = attribute([episode], sources, { wind: uniformWind({ speed: 3, directionFrom: 270 }), receptors: { '35t': [98.97, 18.84] } });
 * sourcesToGeoJson(result, 0, sources).features[0]?.properties?.share; // 1
 * ```
 */
export function sourcesToGeoJson(result: AttributionResult, episodeIndex = 0, layer?: SourceLayer): FeatureCollection {
  checkEpisodesResult('result', result);
  if (layer !== undefined) checkSourceLayer('layer', layer);
  const e = result.episodes[episodeIndex];
  if (!e) throw argError('episodeIndex', episodeIndex, `an index in 0..${result.episodes.length - 1}`);
  const features: Feature[] = e.sources.map((s, rank) => {
    const geometry: Geometry = layer?.geometries[s.id] ?? { type: 'Point', coordinates: [s.lng, s.lat] };
    return {
      type: 'Feature',
      geometry,
      properties: {
        rank: rank + 1,
        id: s.id,
        kind: s.kind,
        category: s.category,
        region: s.region,
        share: s.share,
        score: s.score,
        time: iso(s.time),
        closest_km: num(s.evidence.closestKm),
        age_at_closest_h: num(s.evidence.ageAtClosestHours),
        members: s.evidence.members,
        episode: e.episode.id,
      },
    };
  });
  return { type: 'FeatureCollection', features };
}
