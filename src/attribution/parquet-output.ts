/**
 * Attribution results as Parquet for analytical engines (DuckDB, Spark/Sedona, BigQuery): the per-episode shares
 * table (the rows of `sharesToCsv`) and the ranked sources of every episode (GeoParquet points). Written through
 * io's `tableToParquet`, so types and NULLs follow one rule (docs/io.md, "Parquet").
 */
import { ByteWriter, ParquetWriter, geojsonToWkb, schemaFromColumnData } from 'hyparquet-writer';
import type { ColumnSource, Writer } from 'hyparquet-writer/src/types.js';
import { HazetraceError, argError } from '../core/index.js';
import type { TrajectorySet } from '../core/types.js';
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

/** What {@link episodeTrajectoriesParquetStream} returns: add results as they are produced, then finish. */
export interface TrajectoryParquetStream {
  /**
   * Append every episode's back-trajectory points of `r` as row groups (written at once, not kept); returns the
   * points written. The `trajectory` column continues the numbering of earlier calls.
   */
  add(r: Pick<SeriesAttribution, 'episodes'>): number;
  /** Write the footer (after the last `add`); the writer's `finish()` is called. */
  finish(): void;
  /** Points written so far. */
  readonly points: number;
  /** Trajectories written so far. */
  readonly trajectories: number;
}

const TRAJ_COLUMNS: readonly [string, 'STRING' | 'INT32' | 'TIMESTAMP' | 'DOUBLE'][] = [
  ['episode', 'STRING'], ['trajectory', 'INT32'], ['receptor', 'STRING'], ['member', 'INT32'], ['start_time', 'TIMESTAMP'],
  ['time', 'TIMESTAMP'], ['age_hours', 'DOUBLE'], ['lng', 'DOUBLE'], ['lat', 'DOUBLE'], ['stop_reason', 'STRING'],
];

/** The columns of {@link episodeTrajectoriesToParquet} for some episodes' sets, trajectory ids from `first`. */
function trajectoryColumnData(sets: readonly { episode: string; set: TrajectorySet }[], first: number): ColumnSource[] {
  let m = 0;
  for (const { set } of sets) m += set.lng.length;
  const cols: unknown[][] = TRAJ_COLUMNS.map(() => new Array<unknown>(m));
  const [ep, traj, rec, mem, st, tm, age, lng, lat, why] = cols as [unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[], unknown[]];
  const num = (x: number): number | null => (Number.isNaN(x) ? null : x);
  const ms = (x: number): number | null => (Number.isFinite(x) ? Math.round(x) : null);
  let p = 0;
  let id = first;
  for (const { episode, set } of sets) {
    for (let t = 0; t < set.length; t++, id++) {
      for (let q = set.offsets[t]!; q < set.offsets[t + 1]!; q++, p++) {
        ep[p] = episode;
        traj[p] = id;
        rec[p] = set.receptor[t] ?? '';
        mem[p] = set.member[t]!;
        st[p] = ms(set.startTime[t]!);
        tm[p] = ms(set.time[q]!);
        age[p] = num(set.ageHours[q]!);
        lng[p] = num(set.lng[q]!);
        lat[p] = num(set.lat[q]!);
        why[p] = set.stopReason[t] ?? '';
      }
    }
  }
  return TRAJ_COLUMNS.map(([name, type], i) => ({ name, type, nullable: true, data: cols[i]! }) as ColumnSource);
}

/**
 * Stream every episode's back-trajectory points to Parquet as they are produced: the columns and rows of
 * {@link episodeTrajectoriesToParquet} (`episode`, then `trajectory`, `receptor`, `member`, `start_time`, `time`,
 * `age_hours`, `lng`, `lat`, `stop_reason`), written one `add` at a time as row groups (up to `rowGroupSize` rows,
 * default 100,000) into `writer` — a hyparquet-writer `Writer`: its in-memory `ByteWriter` (default) or, in Node,
 * its `fileWriter(path)`, so a season's points never sit in memory together. Adding results one after the other
 * gives the same rows as {@link episodeTrajectoriesToParquet} of all their episodes at once. `which`: every member
 * (`'all'`, default) or one ensemble-mean line per start (`'mean'`).
 *
 * @example
 * ```ts
 * import { ByteWriter } from 'hyparquet-writer';
 * import { episodeTrajectoriesParquetStream } from 'hazetrace/attribution';
 * const writer = new ByteWriter();
 * const stream = episodeTrajectoriesParquetStream({ writer });
 * stream.add({ episodes: [] }); // 0 points written
 * stream.finish();
 * writer.getBytes().byteLength > 0; // true (an empty table with its schema)
 * ```
 */
export function episodeTrajectoriesParquetStream(options: { writer?: Writer; which?: 'all' | 'mean'; rowGroupSize?: number } = {}): TrajectoryParquetStream {
  if (!options || typeof options !== 'object') throw argError('options', options, '{ writer?, which?, rowGroupSize? }');
  const which = options.which ?? 'all';
  checkOneOf('options.which', which, ['all', 'mean']);
  const rowGroupSize = options.rowGroupSize ?? 100_000;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) throw argError('options.rowGroupSize', rowGroupSize, 'a positive integer');
  const writer = options.writer ?? (new ByteWriter() as unknown as Writer);
  if (typeof writer.appendUint32 !== 'function' || typeof writer.finish !== 'function') throw argError('options.writer', writer, "a hyparquet-writer Writer (ByteWriter, or fileWriter in Node)");
  const schema = schemaFromColumnData({ columnData: trajectoryColumnData([], 0) });
  const pq = new ParquetWriter({ writer, schema, kvMetadata: [], createdBy: 'hazetrace' });
  let points = 0;
  let trajectories = 0;
  let finished = false;
  return {
    add(r) {
      checkResult(r);
      if (finished) throw new HazetraceError('E_ARG', 'episodeTrajectoriesParquetStream: add() after finish()', { argument: 'add' });
      const sets: { episode: string; set: TrajectorySet }[] = [];
      for (const e of r.episodes) {
        if (!e.trajectories || e.trajectories.length === 0) continue;
        sets.push({ episode: e.episode.id, set: which === 'mean' ? ensembleMeanTrajectories(e.trajectories) : e.trajectories });
      }
      const data = trajectoryColumnData(sets, trajectories);
      const n = data[0]!.data.length;
      if (n > 0) {
        try {
          void pq.write({ columnData: data.map(({ name, data: d }) => ({ name, data: d })), rowGroupSize });
        } catch (e) {
          throw new HazetraceError('E_FORMAT', `Parquet writer failed: ${(e as Error).message}`);
        }
      }
      for (const s of sets) trajectories += s.set.length;
      points += n;
      return n;
    },
    finish() {
      if (finished) return;
      finished = true;
      void pq.finish();
    },
    get points() {
      return points;
    },
    get trajectories() {
      return trajectories;
    },
  };
}
