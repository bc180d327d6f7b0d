/**
 * Incremental scoring (an EpisodeScoreCache on the trajectory cache): after a run on a layer, a run on the same
 * layer plus new rows scores only the new rows and restores the others, and its result must equal a run without any
 * cache bit for bit — shares, member scores, ranked sources with their evidence, and the classic baseline's counts.
 * Real data: the embedded FIRMS detections of 22–24 April 2025, the two-site point wind, monitors in Chiang Mai.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { attribute, hotspotSources, mergeSources, facilitySources, regionTagger, type Episode } from '../../src/attribution/index.js';
import { EpisodeScoreCache } from '../../src/attribution/scoring.js';
import { readFirmsCsv, readStationsCsv } from '../../src/io/index.js';
import { openWind } from '../../src/wind/index.js';
import type { TrajectorySet } from '../../src/core/index.js';

const DATA = join(import.meta.dirname, '..', '..', 'data');
const text = (f: string): string => readFileSync(join(DATA, f), 'utf8');
const [HEADER, ...ROWS] = text('firms_modis_th_region.csv').trim().split('\n') as [string, ...string[]];
const APRIL = ROWS.filter((r) => r.split(',')[5]?.startsWith('2025-04'));
const H = 3_600_000;

/** A trajectory cache with row scores, as `TrajectoryStore` (hazetrace/node) is. */
function cacheWithScores(bytes = 64 * 1024 * 1024): { get(k: string): TrajectorySet | undefined; set(k: string, s: TrajectorySet): void; scores: EpisodeScoreCache } {
  const m = new Map<string, TrajectorySet>();
  return { get: (k) => m.get(k), set: (k, s) => void m.set(k, s), scores: new EpisodeScoreCache(bytes) };
}

describe('incremental scoring', async () => {
  const wind = (await openWind(text('wind_2pt_hourly_2025.csv'))).field;
  const stations = readStationsCsv(text('stations_north.csv')).stations;
  const regions = regionTagger(JSON.parse(text('countries_ne50m_region.geojson')), 'iso_a3');
  const facilities = facilitySources(text('facilities_gppd_region.csv'), { regions }).layer;
  // Every third April detection held out as the "new batch"; the layer keeps hotspots first, then facilities.
  const firms = (rows: string[]) => readFirmsCsv([HEADER, ...rows].join('\n')).hotspots;
  const before = mergeSources(hotspotSources(firms(APRIL.filter((_, i) => i % 3 !== 0)), { regions }), facilities);
  const after = mergeSources(hotspotSources(firms([...APRIL.filter((_, i) => i % 3 !== 0), ...APRIL.filter((_, i) => i % 3 === 0)]), { regions }), facilities);
  const t0 = Date.UTC(2025, 3, 23, 17);
  const episodes: Episode[] = ['35t', '36t', '57t'].map((station, i) => ({ id: `${station}@${i}`, station, start: t0 + i * 6 * H, end: t0 + (i * 6 + 12) * H, peakTime: t0, peakValue: 90, meanValue: 70, samples: 12, threshold: 37.5 }));
  const opts = { wind, receptors: stations, hours: 48, startStepHours: 3, ensemble: { members: 'random-walk' as const, count: 5, seed: 3 } };

  it('a run after new rows equals a run without a cache, bit for bit (baseline counts included)', () => {
    const cache = cacheWithScores();
    attribute(episodes, before, { ...opts, trajectoryCache: cache, scoreCache: cache.scores });
    expect(cache.scores.stats().entries).toBe(episodes.length);
    const inc = attribute(episodes, after, { ...opts, trajectoryCache: cache, scoreCache: cache.scores });
    expect(cache.scores.stats().hits).toBe(episodes.length); // every episode restored its old rows
    const full = attribute(episodes, after, opts);
    expect(full.episodes.some((e) => e.totalScore > 0 && e.baseline.count > 0)).toBe(true);
    expect(inc.episodes.map((e) => ({ ...e, trajectories: null }))).toEqual(full.episodes.map((e) => ({ ...e, trajectories: null })));
    expect(JSON.stringify(inc.episodes.map((e) => [e.totalScore, e.sharesByCategory, e.sharesByRegion, e.sources, Array.from(e.memberScores.scores)]))).toBe(
      JSON.stringify(full.episodes.map((e) => [e.totalScore, e.sharesByCategory, e.sharesByRegion, e.sources, Array.from(e.memberScores.scores)])),
    );
  });

  it('the restored rows are really used: a corrupted entry changes the result', () => {
    const cache = cacheWithScores();
    attribute(episodes, before, { ...opts, trajectoryCache: cache, scoreCache: cache.scores });
    // Double every stored member score: a run that restored them must now differ from the full one.
    const entries = (cache.scores as unknown as { entries: Map<string, { v: { scores: Float64Array } }> }).entries;
    for (const e of entries.values()) e.v.scores.forEach((x, i, a) => (a[i] = 2 * x));
    const inc = attribute(episodes, after, { ...opts, trajectoryCache: cache, scoreCache: cache.scores });
    const full = attribute(episodes, after, opts);
    expect(inc.episodes.map((e) => e.totalScore)).not.toEqual(full.episodes.map((e) => e.totalScore));
  });

  it('changed scales (other effective weights) make every row new: still equal to a full run', () => {
    const cache = cacheWithScores();
    attribute(episodes, before, { ...opts, trajectoryCache: cache, scoreCache: cache.scores });
    const scales = { fire_other: 3, facility: 0.5 };
    const inc = attribute(episodes, after, { ...opts, scales, trajectoryCache: cache, scoreCache: cache.scores });
    const full = attribute(episodes, after, { ...opts, scales });
    expect(inc.episodes.map((e) => [e.totalScore, e.sharesByCategory, e.sources])).toEqual(full.episodes.map((e) => [e.totalScore, e.sharesByCategory, e.sources]));
  });

  it('a cache bounded to a few bytes stores nothing and changes nothing', () => {
    const cache = cacheWithScores(1000);
    attribute(episodes, before, { ...opts, trajectoryCache: cache, scoreCache: cache.scores });
    const inc = attribute(episodes, after, { ...opts, trajectoryCache: cache, scoreCache: cache.scores });
    expect(cache.scores.stats().entries).toBe(0);
    expect(inc.episodes.map((e) => e.totalScore)).toEqual(attribute(episodes, after, opts).episodes.map((e) => e.totalScore));
  });
});
