/**
 * A season's hotspots tagged once (`seasonHotspotLayer`), sliced by time (`sliceHotspotLayer`) and stored as month
 * partitions (`hotspotLayerToParquet` / `readHotspotLayerParquet`): attributing with the layer, or with any slice
 * that holds what the episodes' back-trajectories reach, must give the numbers of attributing with the hotspots
 * themselves, bit for bit. Real embedded FIRMS, PCD PM2.5, countries and two-site wind (data/SOURCES.tsv).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  attributeSeries,
  hotspotLayerToParquet,
  readHotspotLayerParquet,
  regionTagger,
  hotspotSources,
  seasonHotspotLayer,
  sliceHotspotLayer,
  type HotspotLayer,
} from '../../src/attribution/index.js';
import { HazetraceError } from '../../src/core/index.js';
import { readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv, tableToParquet } from '../../src/io/index.js';
import { readWindCsv, stationWind } from '../../src/wind/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const text = (f: string): string => readFileSync(join(ROOT, 'data', f), 'utf8');
const D = 86_400_000;

const hotspots = readFirmsCsv(text('firms_modis_th_region.csv')).hotspots;
const regions = readGeoJsonLayer(text('countries_ne50m_region.geojson'));
const stations = readStationsCsv(text('stations_north.csv')).stations;
const wind = stationWind(readWindCsv(text('wind_2pt_hourly_2025.csv')).observations);
const pm = text('pcd_pm25_daily_2025_north.csv').split('\n');
const series = readStationSeriesCsv([pm[0], ...pm.slice(1).filter((l) => l.startsWith('35t,'))].join('\n'), { utcOffset: '+07:00' });
const options = { from: '2025-04-15', to: '2025-04-25', calibrate: false } as const;
const season = seasonHotspotLayer({ hotspots, regions });
const json = (r: ReturnType<typeof attributeSeries>): string => JSON.stringify(r.toJSON());
/** The JSON but `inputs.sources` (the rows of the layer used: a slice has fewer). */
const answer = (r: ReturnType<typeof attributeSeries>): string => {
  const j = r.toJSON() as { inputs: Record<string, unknown> };
  return JSON.stringify({ ...j, inputs: { ...j.inputs, sources: null } });
};
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof HazetraceError ? e.code : `not a HazetraceError: ${String(e)}`;
  }
  return undefined;
};
const codeAsync = async (f: () => Promise<unknown>): Promise<string | undefined> => {
  try {
    await f();
  } catch (e) {
    return e instanceof HazetraceError ? e.code : `not a HazetraceError: ${String(e)}`;
  }
  return undefined;
};

describe('seasonHotspotLayer', () => {
  it('tags as hotspotSources with the region tagger does, keeps the season coverage and count', () => {
    const direct = hotspotSources(hotspots, { regions: regionTagger(regions, 'iso_a3') });
    expect(season.sources.length).toBe(hotspots.length);
    expect(season.sources.id).toEqual(direct.id);
    expect(season.sources.region).toEqual(direct.region);
    expect(season.sources.category).toEqual(direct.category);
    for (let i = 0; i < direct.length; i++) expect(Object.is(season.sources.weight[i], direct.weight[i])).toBe(true);
    expect(Array.from(season.row.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(season.detections).toBe(hotspots.length);
    expect(season.missing).toEqual(['repeat-burn areas']);
    expect(new Set(season.sources.region).size).toBeGreaterThan(2);
  });

  it('attributing with the layer = attributing with the hotspots (same JSON)', () => {
    const a = attributeSeries({ hotspots, series, stations, wind, regions }, options);
    const b = attributeSeries({ hotspotLayer: season, series, stations, wind, regions }, options);
    expect(a.episodes.filter((e) => e.status === 'attributed').length).toBeGreaterThanOrEqual(1);
    expect(json(b)).toBe(json(a));
    expect(b.inputs.hotspots).toBe(hotspots.length);
  });

  it('a slice holding the back-trajectories\' reach gives the same numbers; one that misses it does not', () => {
    const whole = attributeSeries({ hotspotLayer: season, series, stations, wind, regions }, options);
    // the episodes of 15–25 April reach back 72 h: 1 April – 1 May holds every detection they can see
    const april = sliceHotspotLayer(season, Date.UTC(2025, 3, 1), Date.UTC(2025, 4, 1));
    expect(april.sources.length).toBeLessThan(season.sources.length / 2);
    expect(april.detections).toBe(season.detections);
    const sliced = attributeSeries({ hotspotLayer: april, series, stations, wind, regions }, options);
    expect(answer(sliced)).toBe(answer(whole));
    expect(sliced.inputs.sources).toBe(april.sources.length);
    // 24 April on: the fires of mid-April are gone, so the answer changes
    const late = attributeSeries({ hotspotLayer: sliceHotspotLayer(season, Date.UTC(2025, 3, 24), Date.UTC(2025, 4, 1)), series, stations, wind, regions }, options);
    expect(answer(late)).not.toBe(answer(whole));
  });

  it('share keys are in sorted order, whatever row comes first', () => {
    const r = attributeSeries({ hotspotLayer: season, series, stations, wind, regions }, options);
    for (const e of r.episodes) {
      const keys = Object.keys(e.sharesByRegion);
      expect(keys).toEqual([...keys].sort());
    }
  });

  it('refuses bad layers and arguments with E_ARG', () => {
    expect(code(() => attributeSeries({ hotspotLayer: { ...season, row: new Float64Array(1) }, series, stations, wind }, options))).toBe('E_ARG');
    expect(code(() => attributeSeries({ hotspotLayer: { ...season, detections: 1 }, series, stations, wind }, options))).toBe('E_ARG');
    expect(code(() => attributeSeries({ hotspotLayer: season, series, stations, wind }, { ...options, regionProperty: 'name' }))).toBe('E_ARG');
    expect(code(() => attributeSeries({ series, stations, wind } as never, options))).toBe('E_ARG');
    expect(code(() => sliceHotspotLayer(season, NaN, 0))).toBe('E_ARG');
    expect(code(() => sliceHotspotLayer(season, 10, 0))).toBe('E_ARG');
    expect(code(() => sliceHotspotLayer({} as HotspotLayer, 0, 1))).toBe('E_ARG');
    expect(code(() => seasonHotspotLayer({} as never))).toBe('E_ARG');
  });
});

describe('hotspot layer Parquet', () => {
  it('month partitions read back in any order = the season, exactly; attributing with them = the season', async () => {
    const bounds = [-Infinity, Date.UTC(2025, 2, 1), Date.UTC(2025, 3, 1), Date.UTC(2025, 4, 1), Date.UTC(2027, 0, 1)];
    const parts = bounds.slice(1).map((b, i) => hotspotLayerToParquet(sliceHotspotLayer(season, bounds[i]!, b)));
    const { layer, rejected, counts } = await readHotspotLayerParquet([parts[2]!, parts[0]!, parts[3]!, parts[1]!]);
    expect(rejected).toEqual([]);
    expect(counts.accepted).toBe(season.sources.length);
    expect(Array.from(layer.row)).toEqual(Array.from(season.row));
    expect(layer.sources.id).toEqual(season.sources.id);
    expect(layer.sources.region).toEqual(season.sources.region);
    expect(layer.sources.classes).toEqual(season.sources.classes);
    for (const c of ['weight', 'lng', 'lat', 'time'] as const) {
      for (let i = 0; i < layer.sources.length; i++) expect(Object.is(layer.sources[c][i], season.sources[c][i])).toBe(true);
    }
    expect(layer.coverage).toEqual(season.coverage);
    const a = attributeSeries({ hotspotLayer: season, series, stations, wind, regions }, options);
    const b = attributeSeries({ hotspotLayer: layer, series, stations, wind, regions }, options);
    expect(json(b)).toBe(json(a));
    // deterministic bytes
    expect(Buffer.compare(hotspotLayerToParquet(season), hotspotLayerToParquet(season))).toBe(0);
  });

  it('round-trips any layer (fast-check): ids, levels, classes, extra columns, NaN times, weights bit for bit', async () => {
    const row = fc.record({
      id: fc.string({ minLength: 1, maxLength: 8 }),
      region: fc.constantFrom('THA', 'MMR', 'LAO', 'unknown', 'ไทย'),
      province: fc.string({ maxLength: 5 }),
      classes: fc.uniqueArray(fc.constantFrom('repeat_burn', 'forest', 'a"b'), { maxLength: 3 }),
      weight: fc.double({ min: 0, max: 1e12, noNaN: true }),
      lng: fc.double({ min: -180, max: 180, noNaN: true }),
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      time: fc.oneof(fc.constant(NaN), fc.integer({ min: 0, max: 4e12 })),
      name: fc.string({ maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 30 }), fc.integer({ min: 0, max: 5 }), async (rows, extraDetections) => {
        const n = rows.length;
        const layer: HotspotLayer = {
          sources: {
            kind: 'hotspot', length: n, kinds: rows.map(() => 'hotspot'), id: rows.map((r) => r.id), category: rows.map((r) => (r.classes.includes('repeat_burn') ? 'fire_repeat_burn' : 'fire_other')),
            region: rows.map((r) => r.region), regions: { province: rows.map((r) => r.province) }, classes: rows.map((r) => r.classes),
            weight: Float64Array.from(rows, (r) => r.weight), lng: Float64Array.from(rows, (r) => r.lng), lat: Float64Array.from(rows, (r) => r.lat), time: Float64Array.from(rows, (r) => r.time),
            extra: { name: rows.map((r) => r.name) }, geometries: {},
          },
          row: Float64Array.from(rows, (_, i) => 2 * i + 1),
          coverage: [[0, D]],
          detections: 2 * n + 1 + extraDetections,
          missing: ['repeat-burn areas'],
          regionProperty: 'iso_a3',
        };
        const { layer: back, counts } = await readHotspotLayerParquet(hotspotLayerToParquet(layer));
        expect(counts.accepted).toBe(n);
        expect(back.sources.id).toEqual(layer.sources.id);
        expect(back.sources.region).toEqual(layer.sources.region);
        expect(back.sources.regions).toEqual(layer.sources.regions);
        expect(back.sources.classes).toEqual(layer.sources.classes);
        expect(back.sources.extra).toEqual(layer.sources.extra);
        expect(back.sources.category).toEqual(layer.sources.category);
        for (const c of ['weight', 'lng', 'lat', 'time'] as const) {
          for (let i = 0; i < n; i++) expect(Object.is(back.sources[c][i], layer.sources[c][i])).toBe(true);
        }
        expect(Array.from(back.row)).toEqual(Array.from(layer.row));
        expect(back.detections).toBe(layer.detections);
      }),
      { numRuns: 60, seed: 20261203 },
    );
  });

  it('bad bytes, parts of two seasons and a row in two parts are E_FORMAT; bad rows are rejected with row, column, reason', async () => {
    const p1 = hotspotLayerToParquet(sliceHotspotLayer(season, -Infinity, Date.UTC(2025, 3, 1)));
    expect(await codeAsync(() => readHotspotLayerParquet(new Uint8Array([1, 2, 3])))).toBe('E_FORMAT');
    expect(await codeAsync(() => readHotspotLayerParquet([p1, p1]))).toBe('E_FORMAT');
    const other = hotspotLayerToParquet({ ...sliceHotspotLayer(season, Date.UTC(2025, 3, 1), Infinity), detections: season.detections + 1 });
    expect(await codeAsync(() => readHotspotLayerParquet([p1, other]))).toBe('E_FORMAT');
    expect(await codeAsync(() => readHotspotLayerParquet([]))).toBe('E_ARG');
    expect(await codeAsync(() => readHotspotLayerParquet('x' as never))).toBe('E_ARG');
    // a file without the layer metadata (any other Parquet)
    expect(await codeAsync(() => readHotspotLayerParquet(tableToParquet([{ name: 'id', type: 'STRING', values: ['a'] }])))).toBe('E_FORMAT');
    // hand-made rows: one good, one with no id, one with a NaN weight
    const meta = { kind: 'hotspot', coverage: [[0, D]], detections: 3, missing: [], regionProperty: 'iso_a3', levels: [], extra: [], geometries: {} };
    const bytes = tableToParquet(
      [
        { name: 'row', type: 'DOUBLE', values: [0, 1, 2] },
        { name: 'id', type: 'STRING', values: ['hotspot:0', null, 'hotspot:2'] },
        { name: 'weight', type: 'DOUBLE', values: [1, 2, NaN] },
        { name: 'lng', type: 'DOUBLE', values: [99, 99, 99] },
        { name: 'lat', type: 'DOUBLE', values: [19, 19, 19] },
        { name: 'time', type: 'TIMESTAMP', values: [0, 1000, 2000] },
      ],
      { metadata: { 'hazetrace:hotspotLayer': JSON.stringify(meta) } },
    );
    const r = await readHotspotLayerParquet(bytes);
    expect(r.layer.sources.id).toEqual(['hotspot:0']);
    expect(r.rejected.map((x) => [x.row, x.column])).toEqual([[2, 'id'], [3, 'weight']]);
    expect(r.counts.rows).toBe(3);
    expect(r.counts.accepted + r.counts.rejected).toBe(r.counts.rows);
    expect(code(() => hotspotLayerToParquet({ ...season, sources: { ...season.sources, time: season.sources.time.map((t) => t + 0.5) } }))).toBe('E_ARG');
  });
});
