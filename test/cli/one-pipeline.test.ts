/**
 * One pipeline for every user path: `hazetrace attribute --json`, `attributeSeries(...).contract()` and
 * examples/quickstart.mjs give the same shares on the embedded data (to 1e-12), and the demo's episodes carry the
 * same country shares (it adds repeat-burn areas and province shares, which do not move country shares).
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { attributeSeries } from '../../src/attribution/index.js';
import { readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv } from '../../src/io/index.js';
import { readWindCsv, stationWind } from '../../src/wind/index.js';
import { expectClose } from '../expect-close.js';
import { cli } from '../run-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const D = (f: string): string => join(ROOT, 'data', f);
const text = (f: string): string => readFileSync(D(f), 'utf8');



type Contract = { episodes: { station: string; start: string; sharesByRegion: Record<string, number> }[]; unattributed: unknown[]; warnings: string[] };

/** The contract without the CLI's `inputs` member (accepted/rejected rows per input file). */
function withoutInputs<T extends object>(o: T): T {
  const { inputs: _inputs, ...rest } = o as T & { inputs?: unknown };
  return rest as T;
}

describe('one pipeline: CLI, library and quickstart agree on the embedded data', () => {
  it('hazetrace attribute --json = attributeSeries(...).contract() = quickstart --json (to 1e-12)', async () => {
    const r = await cli([
      'attribute', '--hotspots', D('firms_modis_th_region.csv'), '--pm25', D('pcd_pm25_daily_2025_north.csv'), '--stations', D('stations_north.csv'),
      '--wind', D('wind_2pt_hourly_2025.csv'), '--regions', D('countries_ne50m_region.geojson'), '--facilities', D('facilities_gppd_region.csv'),
      '--from', '2025-04-22', '--to', '2025-04-24', '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const fromCli = JSON.parse(r.stdout) as Contract;
    expect(fromCli.episodes.length).toBeGreaterThan(0);

    const lib = attributeSeries(
      {
        hotspots: readFirmsCsv(text('firms_modis_th_region.csv')).hotspots,
        series: readStationSeriesCsv(text('pcd_pm25_daily_2025_north.csv'), { utcOffset: '+07:00' }),
        stations: readStationsCsv(text('stations_north.csv')).stations,
        wind: stationWind(readWindCsv(text('wind_2pt_hourly_2025.csv')).observations),
        regions: readGeoJsonLayer(text('countries_ne50m_region.geojson')),
        facilities: text('facilities_gppd_region.csv'),
      },
      { from: '2025-04-22', to: '2025-04-24' },
    );
    // stdout adds `inputs` (accepted/rejected rows per input) to the contract.
    expect((fromCli as unknown as { inputs: unknown[] }).inputs.length).toBeGreaterThan(0);
    expectClose(withoutInputs(fromCli), JSON.parse(JSON.stringify(lib.contract())));

    const quick = spawnSync(process.execPath, [join(ROOT, 'examples', 'quickstart.mjs'), '--json'], { cwd: ROOT, encoding: 'utf8' });
    if (existsSync(join(ROOT, 'dist', 'attribution', 'pipeline.js'))) {
      expect(quick.status, quick.stderr).toBe(0);
      expectClose(withoutInputs(fromCli), withoutInputs(JSON.parse(quick.stdout)));
    }

    // The demo: same call plus repeat-burn areas from the history and province shares; country shares unchanged.
    const demo = await cli(['demo', '--out', mkdtempSync(join(tmpdir(), 'hazetrace-demo-')), '--json']);
    expect(demo.code, demo.stderr).toBe(0);
    const d = JSON.parse(demo.stdout) as Contract;
    expect(d.episodes.map((e) => `${e.station} ${e.start}`)).toEqual(fromCli.episodes.map((e) => `${e.station} ${e.start}`));
    d.episodes.forEach((e, i) => expectClose(e.sharesByRegion, fromCli.episodes[i]!.sharesByRegion));
  }, 240_000);
});
