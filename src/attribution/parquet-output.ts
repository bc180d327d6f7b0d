/**
 * Attribution results as Parquet for analytical engines (DuckDB, Spark/Sedona, BigQuery): the per-episode shares
 * table (the rows of `sharesToCsv`) and the ranked sources of every episode (GeoParquet points). Written through
 * io's `tableToParquet`, so types and NULLs follow one rule (docs/io.md, "Parquet").
 */
import { geojsonToWkb } from 'hyparquet-writer';
import { argError } from '../core/index.js';
import { tableToParquet, trajectoriesToParquet } from '../io/index.js';
import { concatTrajectorySets } from '../wind/index.js';
import { checkOneOf } from '../core/check.js';
import type { SeriesAttribution } from './pipeline.js';
import { ensembleMeanTrajectories, shareRows } from './series-output.js';

function checkResult(r: unknown): asserts r is Pick<SeriesAttribution, 'episodes'> {
  if (!r || typeof r !== 'object' || !Array.isArray((r as { episodes?: unknown }).episodes)) throw argError('result', r, "attributeSeries(...)'s result (an object with episodes)");
}

/**
 * The per-episode shares as Parquet: `episode`, `station`, `start_utc`, `end_utc` (TIMESTAMP), `peak_ugm3`,
 * `dimension` (category, region, a region level or cross_border), `key`, `share`, `band_low`, `band_high` — the
 * rows of `sharesToCsv`, typed.
 *
 * @example
 * ```ts
 * import { sharesToParquet } from 'hazetrace/attribution';
 * sharesToParquet({ episodes: [] }).byteLength > 0; // true (an empty table with its schema)
 * ```
 */
export function sharesToParquet(r: Pick<SeriesAttribution, 'episodes'>): Uint8Array {
  checkResult(r);
  const rows = shareRows(r);
  const col = <K extends keyof (typeof rows)[number]>(k: K): (typeof rows)[number][K][] => rows.map((x) => x[k]);
  return tableToParquet([
    { name: 'episode', type: 'STRING', values: col('episode') },
    { name: 'station', type: 'STRING', values: col('station') },
    { name: 'start_utc', type: 'TIMESTAMP', values: col('start') },
    { name: 'end_utc', type: 'TIMESTAMP', values: col('end') },
    { name: 'peak_ugm3', type: 'DOUBLE', values: col('peak') },
    { name: 'dimension', type: 'STRING', values: col('dimension') },
    { name: 'key', type: 'STRING', values: col('key') },
    { name: 'share', type: 'DOUBLE', values: col('share') },
    { name: 'band_low', type: 'DOUBLE', values: col('low') },
    { name: 'band_high', type: 'DOUBLE', values: col('high') },
  ]);
}

/**
 * The ranked sources of every attributed episode as GeoParquet points: `episode`, `station`, `start_utc`, `rank`
 * (1 = largest share in that episode), `source`, `kind`, `category`, `region`, `lng`, `lat`, `share`, `geometry`
 * (WKB Point).
 *
 * @example
 * ```ts
 * import { sourcesToParquet } from 'hazetrace/attribution';
 * sourcesToParquet({ episodes: [] }).byteLength > 0; // true
 * ```
 */
export function sourcesToParquet(r: Pick<SeriesAttribution, 'episodes'>): Uint8Array {
  checkResult(r);
  const rows: { episode: string; station: string; start: number; rank: number; source: string; kind: string; category: string; region: string; lng: number; lat: number; share: number }[] = [];
  for (const e of r.episodes) {
    if (e.status !== 'attributed') continue;
    const ranked = [...e.sources].sort((a, b) => b.share - a.share);
    ranked.forEach((s, i) => rows.push({ episode: e.episode.id, station: e.episode.station, start: e.episode.start, rank: i + 1, source: s.id, kind: s.kind, category: s.category, region: s.region, lng: s.lng, lat: s.lat, share: s.share }));
  }
  const col = <K extends keyof (typeof rows)[number]>(k: K): (typeof rows)[number][K][] => rows.map((x) => x[k]);
  return tableToParquet(
    [
      { name: 'episode', type: 'STRING', values: col('episode') },
      { name: 'station', type: 'STRING', values: col('station') },
      { name: 'start_utc', type: 'TIMESTAMP', values: col('start') },
      { name: 'rank', type: 'INT32', values: col('rank') },
      { name: 'source', type: 'STRING', values: col('source') },
      { name: 'kind', type: 'STRING', values: col('kind') },
      { name: 'category', type: 'STRING', values: col('category') },
      { name: 'region', type: 'STRING', values: col('region') },
      { name: 'lng', type: 'DOUBLE', values: col('lng') },
      { name: 'lat', type: 'DOUBLE', values: col('lat') },
      { name: 'share', type: 'DOUBLE', values: col('share') },
      { name: 'geometry', type: 'WKB', values: rows.map((x) => geojsonToWkb({ type: 'Point', coordinates: [x.lng, x.lat] })) },
    ],
    { geo: { column: 'geometry', geometryTypes: ['Point'] } },
  );
}

/**
 * Every episode's back-trajectory points as Parquet (io's `trajectoriesToParquet` with an `episode` column first):
 * every member (`'all'`, default) or one ensemble-mean line per start (`'mean'`). About 17 bytes per point
 * (docs/engines.md) where the GeoJSON takes 40–240.
 *
 * @example
 * ```ts
 * import { episodeTrajectoriesToParquet } from 'hazetrace/attribution';
 * episodeTrajectoriesToParquet({ episodes: [] }).byteLength > 0; // true (an empty table with its schema)
 * ```
 */
export function episodeTrajectoriesToParquet(r: Pick<SeriesAttribution, 'episodes'>, which: 'all' | 'mean' = 'all'): Uint8Array {
  checkResult(r);
  checkOneOf('which', which, ['all', 'mean']);
  const sets = [];
  const episode: string[] = [];
  for (const e of r.episodes) {
    if (e.trajectories.length === 0) continue;
    const set = which === 'mean' ? ensembleMeanTrajectories(e.trajectories) : e.trajectories;
    sets.push(set);
    for (let t = 0; t < set.length; t++) episode.push(e.episode.id);
  }
  return trajectoriesToParquet(concatTrajectorySets(sets), { labels: { episode } });
}
