/** `hazetrace attribute --parquet` writes the same tables as its CSV/GeoJSON, typed, for analytical engines. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { parquetReadObjects } from 'hyparquet';
import { cli } from '../run-cli.js';

const FX = join(resolve(import.meta.dirname, '..', '..'), 'test', 'fixtures', 'cli');
const fx = (f: string): string => join(FX, f);
const read = async (f: string): Promise<Record<string, unknown>[]> => {
  const b = readFileSync(f);
  return parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer });
};

describe('attribute --parquet', () => {
  it('shares, sources and trajectory points equal the CSV, the contract and the GeoJSON', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hazetrace-parquet-'));
    const r = await cli([
      'attribute', '--hotspots', fx('twin_hotspots.csv'), '--pm25', fx('twin_pm25_hourly.csv'), '--stations', fx('twin_stations.csv'),
      '--wind', fx('wind_era5_valid_time.nc'), '--regions', fx('countries.geojson'), '--trajectories', 'mean', '--parquet', '--out', out, '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const contract = JSON.parse(r.stdout) as { episodes: { sources: unknown[] }[] };

    const csv = readFileSync(join(out, 'attributed_shares.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const shares = await read(join(out, 'attributed_shares.parquet'));
    expect(shares.length).toBe(csv.length);
    shares.forEach((s, i) => {
      expect(s['episode']).toBe(csv[i]![0]);
      expect(s['key']).toBe(csv[i]![6]);
      expect(String(s['share'])).toBe(csv[i]![7]); // the CSV prints the shortest round-trip form of the same double
    });

    const sources = await read(join(out, 'sources.parquet'));
    expect(sources.filter((s) => s['rank'] === 1).length).toBe(contract.episodes.filter((e) => e.sources.length > 0).length);

    const fc = JSON.parse(readFileSync(join(out, 'trajectories.geojson'), 'utf8')) as { features: { geometry: { type: string; coordinates: unknown[] }; properties: { episode: string } }[] };
    const points = await read(join(out, 'trajectories.parquet'));
    const perEpisode = (rows: { episode: string; n: number }[]): Record<string, number> => rows.reduce<Record<string, number>>((a, x) => ((a[x.episode] = (a[x.episode] ?? 0) + x.n), a), {});
    const fromGeo = perEpisode(fc.features.map((f) => ({ episode: f.properties.episode, n: f.geometry.type === 'LineString' ? f.geometry.coordinates.length : 1 })));
    const fromParquet = perEpisode(points.map((p) => ({ episode: String(p['episode']), n: 1 })));
    expect(Object.keys(fromParquet).length).toBeGreaterThan(0);
    expect(fromParquet).toEqual(fromGeo);
  }, 120_000);
});
