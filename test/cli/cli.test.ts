/**
 * The `hazetrace` CLI on small fixtures: every subcommand, `--json` against the library called directly,
 * the attribute contract (shape, ISO UTC times, shares summing to 1, all three wind formats), and the
 * documented exit codes and messages for bad usage and bad input.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { run } from '../../src/cli/run.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { describeError, CliError, EXIT } from '../../src/cli/errors.js';
import { jsonWithLongArray } from '../../src/cli/json-stream.js';
import { ensembleMeanTrajectories } from '../../src/attribution/index.js';
import { OutDir } from '../../src/cli/options.js';
import { describeRejected, loadFacilities, rejectedRowText } from '../../src/cli/inputs.js';
import { readFirmsCsv, readGeoJsonLayer, readStationSeriesCsv, readStationsCsv, type FeatureCollection } from '../../src/io/index.js';
import { binPoints } from '../../src/grid/index.js';
import { readWindCsv, stationWind, traceTrajectories, windFromNetcdf } from '../../src/wind/index.js';
import { attributeSeries, detectEpisodes } from '../../src/attribution/index.js';
import { buildRiskFactors, rollupRisk, scoreRisk } from '../../src/risk/index.js';
import { runTwin } from '../../src/sim/index.js';
import { expectClose } from '../expect-close.js';
import { cli } from '../run-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FX = join(ROOT, 'test', 'fixtures', 'cli');
const fx = (f: string): string => join(FX, f);

const tmp = (): string => mkdtempSync(join(tmpdir(), 'hazetrace-cli-'));

const CONTRACT = (wind: string, out: string): string[] => [
  'attribute',
  '--hotspots', fx('twin_hotspots.csv'),
  '--pm25', fx('twin_pm25_hourly.csv'),
  '--stations', fx('twin_stations.csv'),
  '--wind', wind,
  '--regions', fx('countries.geojson'),
  '--repeat-burn', fx('twin_repeat_burn.geojson'),
  '--facilities', fx('twin_facilities.csv'),
  '--out', out,
  '--json',
];


const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const sum = (o: Record<string, number>): number => Object.values(o).reduce((s, x) => s + x, 0);
/** The contract without the CLI's `inputs` member (accepted/rejected rows per input file). */
function withoutInputs<T extends object>(o: T): T {
  const { inputs: _inputs, ...rest } = o as T & { inputs?: unknown };
  return rest as T;
}

describe('help and usage', () => {
  it('prints the command list with exit codes; no command is a usage error (2)', async () => {
    const h = await cli(['--help']);
    expect(h.code).toBe(0);
    for (const c of COMMANDS) expect(h.stdout).toContain(c.name);
    expect(h.stdout).toMatch(/Exit codes:[\s\S]*2 {2}bad usage[\s\S]*3 {2}bad input/);
    expect((await cli([])).code).toBe(EXIT.USAGE);
  });

  it.each(COMMANDS.map((c) => c.name))('%s --help shows usage, options, an example and the exit codes', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: hazetrace ${name}`);
    expect(r.stdout).toMatch(/Examples?:\n {2}hazetrace /);
    expect(r.stdout).toContain('--out VALUE');
    expect(r.stdout).toContain('Exit codes:');
  });

  it('lists exactly the subcommands the issue asks for', () => {
    expect(COMMANDS.map((c) => c.name).sort()).toEqual(['attribute', 'batch', 'bench', 'cluster', 'demo', 'forecast', 'grid', 'risk', 'serve', 'sim', 'trace']);
  });
});

describe('attribute: the contract', () => {
  it('prints the contract JSON: ISO UTC times, shares summing to 1, categories and ISO-3 regions', async () => {
    const out = tmp();
    const r = await cli(CONTRACT(fx('wind_era5_valid_time.nc'), out));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { episodes: Record<string, unknown>[] };
    expect(j.episodes.length).toBeGreaterThan(0);
    for (const e of j.episodes as {
      station: string; start: string; end: string; peakTime: string; peakValue: number;
      sharesByCategory: Record<string, number>; sharesByRegion: Record<string, number>;
      sources: { id: string; kind: string; category: string; region: string; share: number }[];
    }[]) {
      expect(Object.keys(e).sort()).toEqual(['end', 'peakTime', 'peakValue', 'sharesByCategory', 'sharesByRegion', 'sources', 'start', 'station']);
      expect(e.start).toMatch(ISO_UTC);
      expect(e.end).toMatch(ISO_UTC);
      expect(e.peakTime).toMatch(ISO_UTC);
      expect(Date.parse(e.start)).toBeLessThan(Date.parse(e.end));
      expect(sum(e.sharesByCategory)).toBeCloseTo(1, 12);
      expect(sum(e.sharesByRegion)).toBeCloseTo(1, 12);
      for (const k of Object.keys(e.sharesByCategory)) expect(['fire_repeat_burn', 'fire_other', 'facility', 'repeat_burn_unseen']).toContain(k);
      for (const k of Object.keys(e.sharesByRegion)) expect(k).toMatch(/^[A-Z]{3}$/);
      expect(e.sources.length).toBeGreaterThan(0);
      for (const s of e.sources) {
        expect(Object.keys(s).sort()).toEqual(['category', 'id', 'kind', 'region', 'share']);
        expect(s.share).toBeGreaterThan(0);
      }
    }
    // The repeat-burn polygons are where the scenario's fires burn: the category must show up.
    expect(j.episodes.some((e) => 'fire_repeat_burn' in (e['sharesByCategory'] as object))).toBe(true);
    for (const f of ['attribution.json', 'attribution_contract.json', 'attributed_shares.csv', 'sources_ranked.geojson', 'trajectories.geojson']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    // stdout is the contract plus `inputs` (accepted/rejected rows per input, issue 17 item 2); the file is the contract.
    expect(JSON.parse(readFileSync(join(out, 'attribution_contract.json'), 'utf8'))).toEqual(withoutInputs(j));
  });

  it('equals attributeSeries(...).contract() on the same files and options (to 1e-12)', async () => {
    const r = await cli(CONTRACT(fx('wind_era5_valid_time.nc'), tmp()));
    expect(r.code, r.stderr).toBe(0);
    const lib = attributeSeries(
      {
        hotspots: readFirmsCsv(readFileSync(fx('twin_hotspots.csv'), 'utf8')).hotspots,
        series: readStationSeriesCsv(readFileSync(fx('twin_pm25_hourly.csv'), 'utf8'), { utcOffset: '+07:00' }),
        stations: readStationsCsv(readFileSync(fx('twin_stations.csv'), 'utf8')).stations,
        wind: await windFromNetcdf(readFileSync(fx('wind_era5_valid_time.nc'))),
        regions: readGeoJsonLayer(readFileSync(fx('countries.geojson'), 'utf8')),
        areas: readGeoJsonLayer(readFileSync(fx('twin_repeat_burn.geojson'), 'utf8')),
        facilities: readFileSync(fx('twin_facilities.csv'), 'utf8'),
      },
      {},
    );
    expectClose(withoutInputs(JSON.parse(r.stdout)), JSON.parse(JSON.stringify(lib.contract())));
    expect(lib.calibration.mode).toBe('calibrated');
  });

  it('gives the same answer for the NetCDF `time` axis and for U.tif,V.tif (same grid)', async () => {
    const a = JSON.parse((await cli(CONTRACT(fx('wind_era5_valid_time.nc'), tmp()))).stdout) as { episodes: { sharesByRegion: Record<string, number> }[] };
    const b = await cli(CONTRACT(fx('wind_era5_time.nc'), tmp()));
    const c = await cli(CONTRACT(`${fx('wind_u.tif')},${fx('wind_v.tif')}`, tmp()));
    expect(b.code).toBe(0);
    expect(c.code).toBe(0);
    for (const other of [JSON.parse(b.stdout), JSON.parse(c.stdout)] as (typeof a)[]) {
      expect(other.episodes.length).toBe(a.episodes.length);
      other.episodes.forEach((e, i) => {
        for (const [k, v] of Object.entries(a.episodes[i]!.sharesByRegion)) expect(e.sharesByRegion[k]).toBeCloseTo(v, 6);
      });
    }
  });

  it('runs as the installed binary (node dist/cli/main.js) with the same stdout', async () => {
    const main = join(ROOT, 'dist', 'cli', 'main.js');
    if (!existsSync(main)) return; // `npm test` builds first; a bare `vitest` run without a build skips this one check
    const args = CONTRACT(fx('wind_era5_valid_time.nc'), tmp());
    const p = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8' });
    expect(p.status).toBe(0);
    const inProc = await cli(args);
    // Same numbers up to floating-point summation order (the built JS and the TS source may differ in the last bit).
    expectClose(JSON.parse(p.stdout), JSON.parse(inProc.stdout));
  });

  it('works on real data: PCD daily means with the two-point reanalysis wind CSV', async () => {
    const r = await cli([
      'attribute', '--hotspots', fx('real_firms.csv'), '--pm25', fx('real_pcd_daily.csv'), '--stations', join(ROOT, 'data', 'stations_north.csv'),
      '--wind', fx('real_wind_2pt.csv'), '--regions', fx('countries.geojson'), '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { episodes: { station: string; sharesByRegion: Record<string, number> }[]; unattributed: { station: string; status: string }[] };
    // 35t, 57t and 73t exceed 37.5 µg/m³ around 23–24 April 2025 in the PCD data; 36t does not. Only episodes
    // whose 72-h back-trajectory window the fire file covers at least half of are attributed.
    const all = [...j.episodes.map((e) => e.station), ...j.unattributed.map((e) => e.station)];
    expect([...new Set(all)].sort()).toEqual(['35t', '57t', '73t']);
    expect(j.episodes.length).toBeGreaterThan(0);
    for (const u of j.unattributed) expect(u.status).toBe('insufficient-data');
    for (const e of j.episodes) expect(sum(e.sharesByRegion)).toBeCloseTo(1, 12);
  });
});

describe('attribute: many episodes (a month of the embedded 2025 season)', () => {
  // The full season (159 episodes) once failed with "Invalid string length" because every --out file,
  // above all the trajectories GeoJSON (~10⁷ points), was built as one string, even without --out.
  // January 2025 alone has ~50 episodes and runs in seconds, so it stands in for the season here.
  const D = (f: string): string => join(ROOT, 'data', f);
  const SEASON = [
    'attribute', '--hotspots', D('firms_modis_th_region.csv'), '--pm25', D('pcd_pm25_daily_2025_north.csv'),
    '--stations', D('stations_north.csv'), '--wind', D('wind_2pt_hourly_2025.csv'),
    '--regions', D('countries_ne50m_region.geojson'), '--facilities', D('facilities_gppd_region.csv'),
  ];
  type Ep = { station: string; start: string; end: string; peakTime: string; sharesByCategory: Record<string, number>; sharesByRegion: Record<string, number>; sources: { share: number }[] };

  it('January (no fire data): every episode insufficient-data with the reason; exit 3 unless --allow-empty', async () => {
    const r = await cli([...SEASON, '--from', '2025-01-01', '--to', '2025-01-31']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/none of \d+ episode\(s\) could be attributed: \d+× insufficient-hotspots/);
    expect(r.stdout).toMatch(/0 attributed/);
    expect(r.stdout).toMatch(/insufficient-hotspots: .*hotspot data cover 0 % of the back-trajectory window 2025-01-\d\d\.\.2025-01-\d\d/);
    const out = tmp();
    const ok = await cli([...SEASON, '--from', '2025-01-01', '--to', '2025-01-31', '--allow-empty', '--out', out, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const j = JSON.parse(ok.stdout) as { episodes: Ep[]; unattributed: { start: string; end: string; status: string; reason: string }[]; warnings: string[] };
    // Independent count: episodes of the whole series that overlap 1–31 January local time (UTC+7).
    const { series } = readStationSeriesCsv(readFileSync(D('pcd_pm25_daily_2025_north.csv'), 'utf8'), { utcOffset: '+07:00' });
    const all = detectEpisodes(series, { threshold: 37.5, averaging: 'daily', utcOffset: '+07:00' }).episodes;
    const lo = Date.UTC(2024, 11, 31, 17);
    const hi = Date.UTC(2025, 0, 31, 17);
    const inJan = all.filter((e) => e.start < hi && e.end > lo);
    expect(inJan.length).toBeGreaterThanOrEqual(30);
    expect(j.episodes.length).toBe(0);
    expect(j.unattributed.length).toBe(inJan.length);
    for (const u of j.unattributed) expect(u.status).toBe('insufficient-data');
    // Warnings are grouped by kind with counts, not one line per episode.
    expect(j.warnings.length).toBeLessThanOrEqual(4);
    expect(j.warnings.some((w) => /^\d+× insufficient-hotspots: /.test(w))).toBe(true);
    const full = JSON.parse(readFileSync(join(out, 'attribution.json'), 'utf8')) as { episodes: { status: string; coverage: { hotspots: number } }[] };
    expect(full.episodes.length).toBe(inJan.length);
    for (const e of full.episodes) expect(e.coverage.hotspots).toBeLessThan(0.5);
  }, 120_000);

  it('late April (fire data 21–24 April): attributed episodes with top-N sources, streamed files that agree', async () => {
    const out = tmp();
    const r = await cli([...SEASON, '--from', '2025-04-20', '--to', '2025-04-30', '--max-sources', '5', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { episodes: Ep[]; unattributed: { start: string; end: string }[] };
    expect(j.episodes.length).toBeGreaterThan(0);
    for (const e of j.episodes) {
      expect(sum(e.sharesByCategory)).toBeCloseTo(1, 12);
      expect(sum(e.sharesByRegion)).toBeCloseTo(1, 12);
      expect(e.sources.length).toBeLessThanOrEqual(5);
      expect(e.sources.reduce((a, s) => a + s.share, 0)).toBeLessThanOrEqual(1 + 1e-9);
      // Daily averaging: the peak is the start of a local (UTC+7) day, inside the episode.
      const peak = Date.parse(e.peakTime);
      expect((peak + 7 * 3_600_000) % 86_400_000).toBe(0);
      expect(peak).toBeGreaterThanOrEqual(Date.parse(e.start));
      expect(peak).toBeLessThan(Date.parse(e.end));
    }
    // stdout is the contract plus `inputs` (accepted/rejected rows per input, issue 17 item 2); the file is the contract.
    expect(JSON.parse(readFileSync(join(out, 'attribution_contract.json'), 'utf8'))).toEqual(withoutInputs(j));
    const full = JSON.parse(readFileSync(join(out, 'attribution.json'), 'utf8')) as { episodes: { status: string; trajectoryCount: number }[] };
    expect(full.episodes.length).toBe(j.episodes.length + j.unattributed.length);
    const traj = JSON.parse(readFileSync(join(out, 'trajectories.geojson'), 'utf8')) as { type: string; features: { geometry: { coordinates: number[][] }; properties: { episode: string } }[] };
    expect(traj.features.length).toBe(full.episodes.reduce((a, e) => a + e.trajectoryCount, 0));
    for (const [x, y] of traj.features[0]!.geometry.coordinates) {
      expect(Math.abs(x! * 1e4 - Math.round(x! * 1e4))).toBeLessThan(1e-6);
      expect(Math.abs(y! * 1e4 - Math.round(y! * 1e4))).toBeLessThan(1e-6);
    }
  }, 120_000);

  it('wind from the wrong year: exit 3 with a one-line reason naming the wind', async () => {
    const args = [...SEASON.map((a) => (a.endsWith('wind_2pt_hourly_2025.csv') ? D('wind_2pt_hourly_2026.csv') : a)), '--from', '2025-04-20', '--to', '2025-04-30', '--json'];
    const r = await cli(args);
    expect(r.code).toBe(3);
    const first = r.stderr.split('\n')[0]!;
    expect(first).toMatch(/could be attributed: \d+× insufficient-wind/);
    expect(first).toMatch(/wind covers 0 % of the back-trajectory window/);
  }, 120_000);

  it('rejects malformed --from/--to before reading anything (exit 2)', async () => {
    for (const [extra, msg] of [
      [['--from', '2025-02-30'], /--from must be a date YYYY-MM-DD, got "2025-02-30"/],
      [['--to', '1/31/2025'], /--to must be a date YYYY-MM-DD/],
      [['--from', '2025-03-01', '--to', '2025-02-01'], /--from 2025-03-01 is after --to 2025-02-01/],
    ] as [string[], RegExp][]) {
      const r = await cli([...SEASON.map((a) => (a.endsWith('.csv') || a.endsWith('.geojson') ? '/no/such/file' : a)), ...extra]);
      expect(r.code, r.stderr).toBe(EXIT.USAGE);
      expect(r.stderr).toMatch(msg);
    }
  });
});

describe('attribute: writing files', () => {
  it('streams a JSON object with a long array member that parses back to the same value', () => {
    const head = { settings: { hours: 72 }, note: 'a "quoted" string' };
    const items = Array.from({ length: 50 }, (_, i) => ({ i, xs: [i / 3, -i] }));
    const tail = { warnings: ['w1'] };
    expect([...jsonWithLongArray(head, 'episodes', items, tail)].join('')).toBe(JSON.stringify({ ...head, episodes: items, ...tail }).replace(/\[\{"i"/, '[\n{"i"').replace(/,\{"i"/g, ',\n{"i"').replace(/\]\}\],/, ']}\n],') + '\n');
    expect(JSON.parse([...jsonWithLongArray({}, 'features', [])].join(''))).toEqual({ features: [] });
  });

  it('ensembleMeanTrajectories averages the members per start, cut at the shortest member (hand-computed)', () => {
    // Two members from one start (3 and 2 points) and a lone member from a later start.
    const set = {
      length: 3,
      offsets: Uint32Array.from([0, 3, 5, 7]),
      lng: Float64Array.from([100, 99, 98, 100, 101, 100, 99.5]),
      lat: Float64Array.from([18, 18, 18, 18, 20, 18, 18.5]),
      time: new Float64Array(7),
      ageHours: new Float64Array(7),
      receptor: ['s1', 's1', 's1'],
      member: Int32Array.from([0, 1, 0]),
      startTime: Float64Array.from([0, 0, 3_600_000]),
      stopReason: ['duration', 'duration', 'duration'],
    };
    const mean = ensembleMeanTrajectories(set as unknown as Parameters<typeof ensembleMeanTrajectories>[0]);
    expect(mean.length).toBe(2);
    expect(Array.from(mean.offsets)).toEqual([0, 2, 4]);
    expect(Array.from(mean.lng)).toEqual([100, 100, 100, 99.5]);
    expect(Array.from(mean.lat)).toEqual([18, 19, 18, 18.5]);
    expect(Array.from(mean.startTime)).toEqual([0, 3_600_000]);
    expect(Array.from(mean.member)).toEqual([-1, -1]);
  });

  it('--trajectories mean writes one line per episode and start; none writes no trajectory file', async () => {
    const outMean = tmp();
    const outNone = tmp();
    const rm = await cli([...CONTRACT(fx('wind_era5_valid_time.nc'), outMean), '--trajectories', 'mean']);
    expect(rm.code, rm.stderr).toBe(0);
    const rn = await cli([...CONTRACT(fx('wind_era5_valid_time.nc'), outNone), '--trajectories', 'none']);
    expect(rn.code, rn.stderr).toBe(0);
    expect(rn.stdout).toBe(rm.stdout);
    expect(existsSync(join(outNone, 'trajectories.geojson'))).toBe(false);
    const fc = JSON.parse(readFileSync(join(outMean, 'trajectories.geojson'), 'utf8')) as { features: { geometry: { type: string }; properties: { episode: string; startTime: string; members: number } }[] };
    const full = JSON.parse(readFileSync(join(outMean, 'attribution.json'), 'utf8')) as { episodes: { trajectoryCount: number; members: number }[] };
    // Offset ensemble: 9 members per start, so one mean line per 9 trajectories.
    expect(fc.features.length * 9).toBe(full.episodes.reduce((a, e) => a + e.trajectoryCount, 0));
    for (const f of fc.features) {
      expect(f.geometry.type).toBe('LineString');
      expect(f.properties.members).toBe(9);
      expect(f.properties.startTime).toMatch(ISO_UTC);
    }
    const bad = await cli([...CONTRACT(fx('wind_era5_valid_time.nc'), tmp()), '--trajectories', 'some']);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toMatch(/--trajectories must be all, mean or none, got "some"/);
  });

  it('without --out produces nothing: the chunks are never even generated', async () => {
    let pulled = 0;
    const chunks = (function* () {
      pulled++;
      yield 'x';
    })();
    const out = new OutDir({}, tmp());
    expect(out.enabled).toBe(false);
    expect(out.writeChunks('f.json', chunks)).toBeUndefined();
    expect(pulled).toBe(0);
    const dir = tmp();
    const o = new OutDir({ out: 'sub' }, dir);
    const p = o.writeChunks('f.txt', ['a', 'b', new TextEncoder().encode('c')]);
    await o.settled(); // files are written in the background (run.ts waits for them)
    expect(readFileSync(p!, 'utf8')).toBe('abc');
  });

  it('names a rejected facility row once ("row N: ..." not "row N: row N: ...")', async () => {
    const dir = tmp();
    const { writeFileSync } = await import('node:fs');
    const head = 'facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw\n';
    writeFileSync(join(dir, 'some.csv'), head + 'P1,Plant,18.5,99.0,THA,Coal,100\nP2,Bad,north,99.0,THA,Coal,100\n');
    writeFileSync(join(dir, 'none.csv'), head + 'P2,Bad,north,99.0,THA,Coal,100\n');
    const { note } = await loadFacilities('facilities', 'some.csv', dir, {});
    expect(note.rejected.length).toBe(1);
    const text = describeRejected(note);
    expect(text).toMatch(/1 rows accepted, 1 rejected \(row \d+ \(latitude\): coordinates must be finite/);
    expect(text).not.toMatch(/row \d+[^;]*row \d+/);
    await expect(loadFacilities('facilities', 'none.csv', dir, {})).rejects.toThrow(/first problem: row \d+ \(latitude\): coordinates must be finite/);
    await expect(loadFacilities('facilities', 'none.csv', dir, {})).rejects.not.toThrow(/row \d+[^)]*row \d+/);
    // A message without the prefix is left alone.
    expect(rejectedRowText({ row: 7, code: 'E_X', message: 'bad value' })).toBe('row 7: bad value');
    expect(rejectedRowText({ row: 7, column: 'frp', code: 'E_X', message: 'row 7: bad value' })).toBe('row 7 (frp): bad value');
  });
});

describe('grid, trace, risk, sim, bench match the library', () => {
  it('grid --json equals binPoints on the same hotspots', async () => {
    const out = tmp();
    const r = await cli(['grid', '--hotspots', fx('real_firms.csv'), '--res', '6', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { res: number; cells: string[]; columns: Record<string, number[]> };
    const { hotspots } = readFirmsCsv(readFileSync(fx('real_firms.csv'), 'utf8'));
    const g = binPoints({ lng: hotspots.lng, lat: hotspots.lat, frp: hotspots.frp }, { res: 6, values: { frp: ['sum', 'mean', 'max'] } });
    expect(j.res).toBe(6);
    expect(j.cells).toEqual(g.cells);
    expect(j.columns['count']).toEqual(Array.from(g.columns['count']!));
    expect(j.columns['count']!.reduce((s, x) => s + x, 0)).toBe(hotspots.length);
    for (const f of ['cells.geojson', 'cells.csv', 'cells.arrow']) expect(existsSync(join(out, f))).toBe(true);
    const csv = readFileSync(join(out, 'cells.csv'), 'utf8').split('\n');
    expect(csv[0]).toMatch(/^hex_id,/);
  });

  it('trace --json equals traceTrajectories, and its tdump reads back through --tdump', async () => {
    const out = tmp();
    const r = await cli(['trace', '--wind', fx('real_wind_2pt.csv'), '--start', '98.97,18.84', '--time', '2025-04-23T06:00:00Z', '--hours', '24', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const fc = JSON.parse(r.stdout) as { features: { geometry: { coordinates: number[][] } }[] };
    const field = stationWind(readWindCsv(readFileSync(fx('real_wind_2pt.csv'), 'utf8')).observations);
    const set = traceTrajectories(field, [{ lng: 98.97, lat: 18.84, time: Date.UTC(2025, 3, 23, 6), receptor: 'start' }], { hours: 24, direction: 'back' });
    const coords = fc.features[0]!.geometry.coordinates;
    expect(coords.length).toBe(set.lng.length);
    coords.forEach((c, k) => {
      expect(c[0]).toBeCloseTo(set.lng[k]!, 9);
      expect(c[1]).toBeCloseTo(set.lat[k]!, 9);
    });
    const back = await cli(['trace', '--tdump', join(out, 'tdump.txt'), '--json']);
    expect(back.code).toBe(0);
    const coords2 = (JSON.parse(back.stdout) as typeof fc).features[0]!.geometry.coordinates;
    expect(coords2.length).toBe(coords.length);
    // tdump stores 3 decimals.
    coords2.forEach((c, k) => expect(Math.abs(c[1]! - coords[k]![1]!)).toBeLessThanOrEqual(0.0005 + 1e-12));
  });

  it('risk --json ranks the districts as buildRiskFactors → scoreRisk → rollupRisk', async () => {
    const r = await cli(['risk', '--hotspots', fx('real_firms.csv'), '--areas', fx('districts_cm_lamphun.geojson'), '--id-property', 'amp_code', '--name-property', 'amp_en', '--res', '6', '--top', '33', '--default-weights', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { weightsFrom: string; areas: { id: string; meanScore: number; rank: number }[] };
    expect(j.weightsFrom).toBe('default');
    const { hotspots } = readFirmsCsv(readFileSync(fx('real_firms.csv'), 'utf8'));
    const areas = JSON.parse(readFileSync(fx('districts_cm_lamphun.geojson'), 'utf8')) as FeatureCollection;
    const period = Array.from(hotspots.time, (t) => new Date(t + 7 * 3_600_000).getUTCFullYear());
    const periods = [...new Set(period)].sort();
    const set = buildRiskFactors({ domain: areas, res: 6, hotspotHistory: { hotspots, period, periods, ring: 1 } });
    const table = rollupRisk(scoreRisk(set), areas, { idProperty: 'amp_code', nameProperty: 'amp_en' });
    expect(j.areas.map((a) => a.id)).toEqual(table.areas.map((a) => a.id));
    j.areas.forEach((a, i) => expect(a.meanScore).toBeCloseTo(table.areas[i]!.meanScore, 9));
  });

  it('sim --json reports the same skill as runTwin with the same seed', async () => {
    const r = await cli(['sim', '--config', fx('twin_config.json'), '--particles', '30', '--wind', 'perfect', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { episodes: number; results: { wind: string; methods: Record<string, { categoryShareMaePp: number; spearman: number }> }[] };
    const lib = runTwin(JSON.parse(readFileSync(fx('twin_config.json'), 'utf8')), { particlesPerHour: 30, winds: ['perfect'] });
    expect(j.episodes).toBe(lib.episodes.length);
    expect(j.results[0]!.wind).toBe('perfect');
    for (const m of ['hazetrace', 'pscf', 'buffer']) {
      const a = j.results[0]!.methods[m]!;
      const b = lib.results[0]!.methods[m as 'hazetrace']!;
      if (Number.isNaN(b.categoryShareMaePp)) expect(a.categoryShareMaePp).toBeNull();
      else expect(a.categoryShareMaePp).toBeCloseTo(b.categoryShareMaePp, 9);
    }
  });

  it('bench --list --json lists the bench:* npm scripts; an unknown benchmark is a usage error', async () => {
    const r = await cli(['bench', '--list', '--json']);
    expect(r.code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const expected = Object.keys(pkg.scripts).filter((k) => k.startsWith('bench:')).map((k) => k.slice(6)).sort();
    expect((JSON.parse(r.stdout) as { benchmarks: string[] }).benchmarks).toEqual(expected);
    const bad = await cli(['bench', 'no-such-bench']);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain('unknown benchmark "no-such-bench"');
  });
});

describe('errors: what, where, how to fix, and the documented exit codes', () => {
  it('bad usage exits 2', async () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command "frobnicate"[\s\S]*how to fix: use one of: demo, grid/],
      [['grid', '--bogus'], /unknown option --bogus[\s\S]*where: hazetrace grid/],
      [['grid', '--hotspots', fx('real_firms.csv'), '--res', '16'], /--res must be an integer in 0\.\.15, got "16"/],
      [['grid', '--hotspots', fx('real_firms.csv'), 'extra'], /unexpected argument "extra"/],
      [['attribute', '--hotspots', fx('twin_hotspots.csv')], /missing --pm25/],
      [['attribute', ...CONTRACT(fx('wind_era5_time.nc'), tmp()).slice(1), '--averaging', 'weekly'], /--averaging must be auto, event, daily, rolling24 or hourly/],
      [['trace', '--wind', fx('real_wind_2pt.csv'), '--start', '98.97', '--time', '2025-04-23T06:00Z'], /--start must be "lng,lat"/],
      [['trace', '--wind', fx('real_wind_2pt.csv'), '--start', '98.97,18.84', '--time', 'yesterday'], /--time "yesterday" is not an ISO 8601 time/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(EXIT.USAGE);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe('');
    }
  });

  it('bad input exits 3 and names the option and the file', async () => {
    const bad = join(tmp(), 'bad.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, 'this,is,not\nfirms,data,at all\n');
    const badNc = join(tmp(), 'wind.nc');
    writeFileSync(badNc, 'not a netcdf file');
    const cases: [string[], RegExp][] = [
      [['grid', '--hotspots', '/no/such/file.csv'], /file not found: \/no\/such\/file\.csv\n {2}where: --hotspots/],
      [['grid', '--hotspots', bad], /FIRMS: missing required column[\s\S]*where: --hotspots .*bad\.csv[\s\S]*how to fix: give a NASA FIRMS CSV/],
      [['attribute', ...CONTRACT(badNc, tmp()).slice(1)], /where: --wind .*wind\.nc[\s\S]*how to fix: give an ERA5-style NetCDF/],
      [['attribute', ...CONTRACT(fx('twin_stations.csv'), tmp()).slice(1)], /no usable wind observation|where: --wind/],
      [['attribute', ...CONTRACT(fx('wind_u.tif'), tmp()).slice(1)], /needs two GeoTIFFs, U and V/],
      [['attribute', ...CONTRACT(fx('wind_era5_time.nc'), tmp()).slice(1), '--region-property', 'ISO'], /no feature has the property "ISO"[\s\S]*how to fix: pass --region-property with one of: iso_a3, name/],
      [['attribute', ...CONTRACT(fx('wind_era5_time.nc'), tmp()).slice(1).map((a) => (a === fx('twin_pm25_hourly.csv') ? fx('twin_stations.csv') : a))], /where: --pm25/],
      [['demo', '--data', '/no/such/folder', '--out', tmp()], /the sample data is not in \/no\/such\/folder/],
      [['sim', '--config', bad], /not valid JSON[\s\S]*where: --config/],
    ];
    for (const [args, msg] of cases) {
      const r = await cli(args);
      expect(r.code, `${args.join(' ')}\n${r.stderr}`).toBe(EXIT.INPUT);
      expect(r.stderr).toMatch(/^hazetrace \w+: error: /);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('internal errors exit 1 and say it is a bug; library argument errors are usage errors', () => {
    const internal = describeError('grid', new TypeError('x is undefined'));
    expect(internal.code).toBe(EXIT.INTERNAL);
    expect(internal.text).toMatch(/internal error: TypeError: x is undefined[\s\S]*this is a bug in hazetrace/);
    expect(describeError('grid', new CliError(EXIT.INPUT, 'boom', { where: '--x', hint: 'fix it' })).text).toBe('hazetrace grid: error: boom\n  where: --x\n  how to fix: fix it');
  });

  it('shows progress on stderr only when stdout and stderr are terminals, and never with --json', async () => {
    const tty = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      let stdout = '';
      let stderr = '';
      const code = await run(args, { stdout: { write: (x: string) => (stdout += x), isTTY: true }, stderr: { write: (x: string) => (stderr += x), isTTY: true } }, ROOT);
      return { code, stdout, stderr };
    };
    const a = await tty(['grid', '--hotspots', fx('real_firms.csv')]);
    expect(a.code).toBe(0);
    expect(a.stderr).toContain('gridding ...');
    expect(a.stderr).toMatch(/\r\x1b\[2K$/); // the line is cleared at the end
    expect(a.stdout).not.toMatch(/\x1b\[/);
    const b = await tty(['grid', '--hotspots', fx('real_firms.csv'), '--json']);
    expect(b.stderr).toBe('');
    expect(() => JSON.parse(b.stdout)).not.toThrow();
  });

  it('prints no progress bars or colours when not on a terminal', async () => {
    const r = await cli(['grid', '--hotspots', fx('real_firms.csv')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });
});
