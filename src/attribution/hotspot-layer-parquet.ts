/**
 * A {@link HotspotLayer} (a season's tagged hotspots, or a time slice of them) as Parquet, both ways. One row per
 * detection: `row` (its row in the season's table), `id`, `kind`, `category`, `region`, one `region:<level>` column
 * per further region level, `classes` (the area classes as a JSON array), `weight`, `lng`, `lat`, `time`
 * (TIMESTAMP, ms UTC) and one `extra:<key>` column per extra attribute; what the slice keeps from the whole season
 * (coverage, detection count, the tag inputs it lacked, the region property) is in the file metadata
 * (`hazetrace:hotspotLayer`). `hazetrace batch plan` writes a season's layer as month partitions and each unit reads
 * back only the months its episodes reach (docs/batch.md, "Memory as the season grows").
 */
import { parquetMetadata, parquetRead } from 'hyparquet';
import { HazetraceError, argError } from '../core/errors.js';
import { readCounts, type ReadCounts } from '../core/ranges.js';
import { KeyInterner } from '../core/stats.js';
import type { RejectedRow, SourceKind } from '../core/types.js';
import { tableToParquet, type ParquetColumn } from '../io/parquet.js';
import { checkHotspotLayer, type HotspotLayer } from './pipeline.js';
import { emptyLayer } from './source-layer.js';

const META_KEY = 'hazetrace:hotspotLayer';

/** What the metadata of a hotspot-layer Parquet file holds. */
interface LayerMeta {
  kind: string;
  coverage: [number, number][];
  detections: number;
  missing: string[];
  regionProperty: string;
  levels: string[];
  extra: string[];
  geometries: Record<string, unknown>;
}

/** What {@link readHotspotLayerParquet} returns: the layer, rejected rows, counts that add up. */
export interface HotspotLayerParquetResult {
  layer: HotspotLayer;
  /** Rows with no id, no row number or a non-finite position or weight (row = 1-based over the parts read, column, reason). */
  rejected: RejectedRow[];
  counts: ReadCounts;
}

/**
 * Write a {@link HotspotLayer} as Parquet (see the module notes for the columns). Times must be whole milliseconds or
 * NaN. Deterministic: the same layer gives the same bytes; {@link readHotspotLayerParquet} gives it back exactly.
 *
 * @example
 * ```ts
 * import { seasonHotspotLayer, hotspotLayerToParquet, readHotspotLayerParquet } from 'hazetrace/attribution';
 * import { readFirmsCsv } from 'hazetrace/io';
 * const { hotspots } = readFirmsCsv('latitude,longitude,brightness,acq_date,acq_time,frp\n19.3,98.9,330,2025-03-01,0630,12\n');
 * const { layer } = await readHotspotLayerParquet(hotspotLayerToParquet(seasonHotspotLayer({ hotspots })));
 * layer.sources.id; // ['hotspot:0']
 * layer.sources.weight[0]; // 12
 * ```
 */
export function hotspotLayerToParquet(layer: HotspotLayer): Uint8Array {
  checkHotspotLayer('layer', layer);
  const s = layer.sources;
  for (let i = 0; i < s.length; i++) {
    const t = s.time[i] as number;
    if (!Number.isNaN(t) && !Number.isInteger(t)) throw argError(`layer.sources.time[${i}]`, t, 'whole epoch milliseconds or NaN');
  }
  const levels = Object.keys(s.regions);
  const extra = Object.keys(s.extra);
  const columns: ParquetColumn[] = [
    { name: 'row', type: 'DOUBLE', values: layer.row },
    { name: 'id', type: 'STRING', values: s.id },
    { name: 'kind', type: 'STRING', values: s.kinds },
    { name: 'category', type: 'STRING', values: s.category },
    { name: 'region', type: 'STRING', values: s.region },
    ...levels.map((l): ParquetColumn => ({ name: `region:${l}`, type: 'STRING', values: s.regions[l] as string[] })),
    { name: 'classes', type: 'STRING', values: s.classes.map((c) => JSON.stringify(c ?? [])) },
    { name: 'weight', type: 'DOUBLE', values: s.weight },
    { name: 'lng', type: 'DOUBLE', values: s.lng },
    { name: 'lat', type: 'DOUBLE', values: s.lat },
    { name: 'time', type: 'TIMESTAMP', values: s.time },
    ...extra.map((k): ParquetColumn => ({ name: `extra:${k}`, type: 'STRING', values: s.extra[k] as string[] })),
  ];
  const meta: LayerMeta = { kind: s.kind, coverage: layer.coverage, detections: layer.detections, missing: layer.missing, regionProperty: layer.regionProperty, levels, extra, geometries: s.geometries };
  return tableToParquet(columns, { metadata: { [META_KEY]: JSON.stringify(meta) } });
}

/**
 * Read a {@link HotspotLayer} back from one Parquet file written by {@link hotspotLayerToParquet}, or from several
 * partitions of one season (e.g. the months a window of episodes reaches): their rows are merged back into the
 * season's order by `row`. Parts of different seasons (other coverage, count, levels or region property), a row
 * in two parts, or bad bytes: `E_FORMAT`. A row with no id, no row number or a non-finite position or weight is
 * rejected (row, column, reason); `counts` add up.
 *
 * @example
 * ```ts
 * import { seasonHotspotLayer, sliceHotspotLayer, hotspotLayerToParquet, readHotspotLayerParquet } from 'hazetrace/attribution';
 * import { readFirmsCsv } from 'hazetrace/io';
 * const { hotspots } = readFirmsCsv('latitude,longitude,brightness,acq_date,acq_time,frp\n19,99,330,2025-03-01,0630,1\n19,99,330,2025-04-01,0630,2\n');
 * const season = seasonHotspotLayer({ hotspots });
 * const april = hotspotLayerToParquet(sliceHotspotLayer(season, Date.UTC(2025, 3, 1), Infinity));
 * const march = hotspotLayerToParquet(sliceHotspotLayer(season, -Infinity, Date.UTC(2025, 3, 1)));
 * const { layer, counts } = await readHotspotLayerParquet([april, march]);
 * layer.sources.id; // ['hotspot:0', 'hotspot:1']
 * counts.accepted; // 2
 * ```
 */
export async function readHotspotLayerParquet(input: ArrayBuffer | ArrayBufferView | readonly (ArrayBuffer | ArrayBufferView)[]): Promise<HotspotLayerParquetResult> {
  const parts = Array.isArray(input) ? input : [input];
  if (parts.length === 0) throw argError('input', input, 'Parquet bytes, or a non-empty array of them');
  let meta: LayerMeta | undefined;
  let metaText = '';
  // columns of every part, concatenated (read column by column: no object per row)
  const cols = new Map<string, unknown[]>();
  let total = 0;
  for (const [p, part] of parts.entries()) {
    let file: ArrayBuffer;
    if (part instanceof ArrayBuffer) file = part;
    else if (ArrayBuffer.isView(part)) file = part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength) as ArrayBuffer;
    else throw argError(Array.isArray(input) ? `input[${p}]` : 'input', part, 'Parquet bytes (ArrayBuffer or Uint8Array)');
    let text: string | undefined;
    try {
      const md = parquetMetadata(file);
      text = md.key_value_metadata?.find((e) => e.key === META_KEY)?.value;
      if (text === undefined) throw new Error(`no ${META_KEY} metadata (not written by hotspotLayerToParquet)`);
      const n = Number(md.num_rows);
      const base = total;
      for (const c of md.schema.slice(1)) if (!cols.has(c.name)) cols.set(c.name, []);
      await parquetRead({
        file,
        metadata: md,
        onChunk: ({ columnName, columnData, rowStart }) => {
          const out = cols.get(columnName)!;
          for (let i = 0; i < columnData.length; i++) out[base + rowStart + i] = columnData[i];
        },
      });
      total += n;
    } catch (e) {
      throw new HazetraceError('E_FORMAT', `hotspot layer Parquet${parts.length > 1 ? ` part ${p}` : ''}: ${(e as Error).message}`);
    }
    if (meta === undefined) {
      metaText = text;
      try {
        meta = JSON.parse(text) as LayerMeta;
      } catch (e) {
        throw new HazetraceError('E_FORMAT', `hotspot layer Parquet: ${META_KEY} is not JSON (${(e as Error).message})`);
      }
      if (!meta || !Array.isArray(meta.coverage) || !Array.isArray(meta.levels) || !Array.isArray(meta.extra) || !Array.isArray(meta.missing) || typeof meta.regionProperty !== 'string' || !Number.isInteger(meta.detections)) {
        throw new HazetraceError('E_FORMAT', `hotspot layer Parquet: ${META_KEY} lacks coverage, detections, missing, regionProperty, levels or extra`);
      }
    } else if (text !== metaText) {
      throw new HazetraceError('E_FORMAT', `hotspot layer Parquet part ${p}: another season's layer (its ${META_KEY} differs from part 0's)`);
    }
  }
  const m = meta as LayerMeta;
  const rejected: RejectedRow[] = [];
  const col = (name: string): unknown[] => cols.get(name) ?? [];
  const [rowC, idC, lngC, latC, weightC] = ['row', 'id', 'lng', 'lat', 'weight'].map(col) as unknown[][];
  const ok: { row: number; at: number }[] = [];
  for (let i = 0; i < total; i++) {
    const at = i + 1;
    const reject = (column: string, message: string): void => void rejected.push({ row: at, column, code: 'E_VALUE', message: `row ${at}: ${message}` });
    const row = rowC![i];
    if (typeof row !== 'number' || !Number.isInteger(row) || row < 0) reject('row', 'row is not a whole number ≥ 0');
    else if (typeof idC![i] !== 'string' || idC![i] === '') reject('id', 'id is empty');
    else {
      const bad = (['lng', 'lat', 'weight'] as const).find((c, k) => {
        const v = [lngC, latC, weightC][k]![i];
        return typeof v !== 'number' || !Number.isFinite(v);
      });
      if (bad) reject(bad, `${bad} is not a finite number`);
      else ok.push({ row, at: i });
    }
  }
  ok.sort((a, b) => a.row - b.row);
  for (let i = 1; i < ok.length; i++) {
    if (ok[i]!.row === ok[i - 1]!.row) throw new HazetraceError('E_FORMAT', `hotspot layer Parquet: row ${ok[i]!.row} appears in two parts`);
  }
  if (ok.length > m.detections) throw new HazetraceError('E_FORMAT', `hotspot layer Parquet: ${ok.length} rows, more than the season's ${m.detections} detections`);
  const n = ok.length;
  const s = emptyLayer('hotspot', n, m.levels);
  s.kind = m.kind as SourceKind;
  for (const k of m.extra) s.extra[k] = new Array<string>(n);
  const rowCol = new Float64Array(n);
  // one string object per distinct kind, category, region and class list (a month holds thousands of rows)
  const shared = new KeyInterner<string>();
  const text = (v: unknown, fallback: string): string => shared.keys[shared.intern(typeof v === 'string' ? v : fallback)]!;
  const classLists = new Map<string, string[]>();
  const [kindC, catC, regionC, classesC, timeC] = ['kind', 'category', 'region', 'classes', 'time'].map(col) as unknown[][];
  const levelC = m.levels.map((l) => col(`region:${l}`));
  const extraC = m.extra.map((k) => col(`extra:${k}`));
  ok.forEach(({ row, at: i }, o) => {
    rowCol[o] = row;
    s.id[o] = idC![i] as string;
    s.kinds[o] = text(kindC![i], 'hotspot') as SourceKind;
    s.category[o] = text(catC![i], 'fire_other');
    s.region[o] = text(regionC![i], 'unknown');
    m.levels.forEach((l, k) => ((s.regions[l] as string[])[o] = text(levelC[k]![i], 'unknown')));
    m.extra.forEach((e, k) => ((s.extra[e] as string[])[o] = text(extraC[k]![i], '')));
    const ct = typeof classesC![i] === 'string' ? (classesC![i] as string) : '[]';
    let list = classLists.get(ct);
    if (!list) {
      let cls: unknown;
      try {
        cls = JSON.parse(ct);
      } catch {
        cls = [];
      }
      list = Object.freeze(Array.isArray(cls) ? cls.filter((c): c is string => typeof c === 'string') : []) as string[];
      classLists.set(ct, list);
    }
    s.classes[o] = list;
    s.weight[o] = weightC![i] as number;
    s.lng[o] = lngC![i] as number;
    s.lat[o] = latC![i] as number;
    const t = timeC![i];
    s.time[o] = t instanceof Date ? t.getTime() : typeof t === 'number' || typeof t === 'bigint' ? Number(t) : NaN;
  });
  s.geometries = (m.geometries ?? {}) as typeof s.geometries;
  const layer: HotspotLayer = { sources: s, row: rowCol, coverage: m.coverage.map(([a, b]) => [a, b]), detections: m.detections, missing: [...m.missing], regionProperty: m.regionProperty };
  return { layer, rejected, counts: readCounts(n, rejected) };
}
