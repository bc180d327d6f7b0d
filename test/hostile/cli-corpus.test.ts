/**
 * Hostile-input corpus, CLI part (issue 17 items 2, 4–6 and the messages): each case runs `hazetrace`
 * in-process on a hostile or odd input and asserts the exact outcome: exit code, where the message
 * points (option or file), what it says, and what it must never say. Every case also passes the shared
 * checks: exit code 0, 2 or 3 (1 is for real bugs), no literal "hazetrace <command>" in a hint, no time
 * printed as epoch milliseconds, no "internal error".
 *
 * The inputs are generated in a temporary folder (deterministic; the 600 MB inputs are sparse files).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { cli } from '../run-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DATA = (f: string): string => join(ROOT, 'data', f);
const FX = (f: string): string => join(ROOT, 'test', 'fixtures', f);

let dir = '';
const T = (f: string): string => join(dir, f);

const FIRMS_HEAD = 'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight\n';
const firmsRow = (lat: string | number, lng: string | number, frp: string | number = 12, date = '2025-03-01'): string => `${lat},${lng},330,1,1,${date},0325,T,80,6.0NRT,290,${frp},D\n`;

function sparse(path: string, bytes: number, head = ''): void {
  writeFileSync(path, head);
  const fd = openSync(path, 'r+');
  ftruncateSync(fd, bytes);
  closeSync(fd);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hazetrace-hostile-cli-'));
  // 30 good rows, then 15 rejected (latitude 95 or "abc").
  let rows = '';
  for (let i = 0; i < 30; i++) rows += firmsRow(`18.${String(i).padStart(2, '0')}`, `98.${String(i).padStart(2, '0')}`, 10 + i, `2025-03-0${1 + (i % 9)}`);
  for (let i = 0; i < 15; i++) rows += firmsRow(i % 2 ? 'abc' : 95, 98.1);
  writeFileSync(T('firms15.csv'), FIRMS_HEAD + rows);
  writeFileSync(T('firms_all_bad.csv'), FIRMS_HEAD + firmsRow(95, 98) + firmsRow('x', 98) + firmsRow(18, 200));
  writeFileSync(T('empty.csv'), '');
  writeFileSync(T('header_only.csv'), FIRMS_HEAD);
  writeFileSync(T('firms_small.csv'), FIRMS_HEAD + Array.from({ length: 50 }, (_, i) => firmsRow(18 + i / 100, 98 + i / 100)).join(''));
  writeFileSync(T('image.png'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(256)]));
  writeFileSync(T('utf16.csv'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FIRMS_HEAD + firmsRow(18, 98), 'utf16le')]));
  sparse(T('huge.geojson'), 600_000_000, '{"type":"FeatureCollection","features":[');
  sparse(T('huge.csv'), 600_000_000, FIRMS_HEAD);
  writeFileSync(T('truncated.geojson'), '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[98,18],[99');
  const fc = JSON.parse(readFileSync(FX('cli/districts_cm_lamphun.geojson'), 'utf8')) as { features: unknown[] };
  fc.features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [99, 18.7] }, properties: { id: 'pt' } });
  fc.features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[99, 18.7], [99.1, 18.8]] }, properties: { id: 'line' } });
  writeFileSync(T('areas_mixed.geojson'), JSON.stringify(fc));
  writeFileSync(T('areas_points_only.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [99, 18.7] }, properties: {} }] }));
  // Three days of the embedded two-point wind, plus two bad rows.
  const wind = readFileSync(DATA('wind_2pt_hourly_2025.csv'), 'utf8').split('\n');
  const days = wind.slice(1).filter((l) => /,2025-01-0[1-3]T/.test(l));
  writeFileSync(T('wind3d.csv'), [wind[0], ...days, 'chiang_mai,18.80492,99.02655,2025-01-02T05:30:00Z,fast,339', 'chiang_mai,18.80492,99.02655,2025-01-02T06:30:00Z,1.2,400'].join('\n') + '\n');
  writeFileSync(T('stations_bad.csv'), 'station_id,lat,long\n35t,18.84,98.97\nbad,x,98.9\n36t,18.79,98.99\n');
  writeFileSync(T('points.csv'), 'name,lat,lng,value\na,18.8,98.9,1\nb,18.9,99.0,2\nc,,99.0,3\nd,91,99.0,4\n');
  writeFileSync(T('tdump_garbage.txt'), 'this is not a tdump\n\u0000\u0001\n');
  writeFileSync(T('a_file'), 'x');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Case {
  name: string;
  args: () => string[];
  code: 0 | 2 | 3;
  /** stderr must match each. */
  stderr?: RegExp[];
  /** stderr must not match any. */
  notStderr?: RegExp[];
  stdout?: RegExp[];
  /** Extra checks on the result. */
  check?: (r: { code: number; stdout: string; stderr: string }) => void;
  /** Must finish within this many ms. */
  within?: number;
}

const OUTSIDE = ['--wind', DATA('wind_2pt_hourly_2025.csv'), '--hours', '6'];

const CASES: Case[] = [
  // ---- usage: options are checked and named, not blamed on a file (exit 2) ----
  { name: 'usage: unknown command', args: () => ['gird'], code: 2, stderr: [/unknown command "gird"/, /did you mean grid/] },
  { name: 'usage: unknown option with a suggestion', args: () => ['grid', '--hotspot', T('firms15.csv')], code: 2, stderr: [/unknown option --hotspot; did you mean --hotspots\?/] },
  { name: 'usage: --agg bogus names --agg, not the input file', args: () => ['grid', '--hotspots', T('firms15.csv'), '--agg', 'bogus'], code: 2, stderr: [/--agg "bogus" is not an aggregate/, /where: --agg/], notStderr: [/where: --hotspots/] },
  { name: 'usage: --agg p150 (percentile over 100)', args: () => ['grid', '--hotspots', T('firms15.csv'), '--agg', 'sum,p150'], code: 2, stderr: [/--agg "p150"/, /where: --agg/] },
  { name: 'usage: --res 16 is outside 0..15', args: () => ['grid', '--hotspots', T('firms15.csv'), '--res', '16'], code: 2, stderr: [/--res must be an integer in 0\.\.15, got "16"/] },
  { name: 'usage: --res 5.5 is not an integer', args: () => ['grid', '--hotspots', T('firms15.csv'), '--res', '5.5'], code: 2, stderr: [/--res must be an integer/] },
  { name: 'usage: --value names a column FIRMS does not have', args: () => ['grid', '--hotspots', T('firms15.csv'), '--value', 'pm25'], code: 2, stderr: [/--value pm25 is not a numeric FIRMS column/] },
  { name: 'usage: two grid inputs at once', args: () => ['grid', '--hotspots', T('firms15.csv'), '--points', T('points.csv')], code: 2, stderr: [/give one input, got --hotspots and --points/] },
  { name: 'usage: --per week', args: () => ['grid', '--hotspots', T('firms15.csv'), '--per', 'week'], code: 2, stderr: [/--per must be day or hour, got "week"/] },
  { name: 'usage: --utc-offset bogus', args: () => ['grid', '--hotspots', T('firms15.csv'), '--per', 'day', '--utc-offset', 'bangkok'], code: 2, stderr: [/--utc-offset must be like \+07:00/] },
  {
    name: 'usage: risk --weights nope=3 names --weights, not the areas file',
    args: () => ['risk', '--hotspots', FX('cli/real_firms.csv'), '--areas', FX('cli/districts_cm_lamphun.geojson'), '--weights', 'nope=3'],
    code: 2,
    stderr: [/factor "nope"/, /where: --weights/, /see `hazetrace risk --help`/],
    notStderr: [/where: --areas/],
  },
  { name: 'usage: risk --weights with a negative weight', args: () => ['risk', '--hotspots', FX('cli/real_firms.csv'), '--areas', FX('cli/districts_cm_lamphun.geojson'), '--weights', 'repeat_burn=-1'], code: 2, stderr: [/--weights must be like/] },
  {
    name: 'usage: trace start outside the wind area names --start, times in ISO',
    args: () => ['trace', ...OUTSIDE, '--start', '10,50', '--time', '2025-04-23 13:00'],
    code: 2,
    stderr: [/outside the wind field/, /2025-04-23T06:00:00Z/, /field time range 2025-01-01T00:00:00Z\.\.2025-06-30T23:00:00Z/, /where: --start \/ --time/],
    notStderr: [/where: --wind/],
  },
  { name: 'usage: trace time outside the wind period names --time', args: () => ['trace', ...OUTSIDE, '--start', '98.9,18.8', '--time', '2030-04-23 13:00'], code: 2, stderr: [/2030-04-23T06:00:00Z/, /where: --start \/ --time/] },
  { name: 'usage: trace --time 2025-02-30 (no rollover to March)', args: () => ['trace', ...OUTSIDE, '--start', '98.9,18.8', '--time', '2025-02-30 13:00'], code: 2, stderr: [/--time "2025-02-30 13:00"/, /where: --time/] },
  { name: 'usage: trace --start 200,10 (longitude out of range)', args: () => ['trace', ...OUTSIDE, '--start', '200,10', '--time', '2025-04-23 13:00'], code: 2, stderr: [/--start must be "lng,lat"/] },
  { name: 'usage: trace --start with three numbers', args: () => ['trace', ...OUTSIDE, '--start', '98,18,5', '--time', '2025-04-23 13:00'], code: 2, stderr: [/--start must be "lng,lat"/] },
  { name: 'usage: trace --direction sideways', args: () => ['trace', ...OUTSIDE, '--start', '98.9,18.8', '--time', '2025-04-23 13:00', '--direction', 'sideways'], code: 2, stderr: [/--direction must be back or forward/] },
  { name: 'usage: attribute --from 2025-02-30', args: () => ['attribute', '--hotspots', 'a', '--pm25', 'b', '--stations', 'c', '--wind', 'd', '--from', '2025-02-30'], code: 2, stderr: [/--from must be a date YYYY-MM-DD/] },
  { name: 'usage: attribute without --pm25', args: () => ['attribute', '--hotspots', T('firms15.csv')], code: 2, stderr: [/missing --pm25/] },
  {
    name: 'budget: grid --max-cells below the point count refuses with E_BUDGET and a suggestion, writing nothing',
    args: () => ['grid', '--hotspots', T('firms_small.csv'), '--max-cells', '10', '--out', T('budget_out')],
    code: 2,
    stderr: [/\[E_BUDGET\]/, /over the budget of 10 cells/, /where: --res/, /raise --max-cells/],
    check: () => expect(existsSync(T('budget_out'))).toBe(false),
  },
  {
    name: 'budget: grid --raster at --res 15 refuses with E_BUDGET before sampling, suggesting a --res that fits',
    args: () => ['grid', '--raster', FX('io/wind_u_4326.tif'), '--res', '15', '--max-cells', '100000'],
    code: 2,
    stderr: [/\[E_BUDGET\]/, /at --res 15 would make up to/, /use --res \d+ or coarser/],
  },
  {
    name: 'budget: risk --res 11 over the districts refuses with E_BUDGET before scoring',
    args: () => ['risk', '--hotspots', FX('cli/real_firms.csv'), '--areas', FX('cli/districts_cm_lamphun.geojson'), '--res', '11'],
    code: 2,
    stderr: [/33 areas at --res 11 would make up to [\d,]+ H3 cells, over the budget of 1,000,000 cells \[E_BUDGET\]/, /use --res 9 or coarser|use --res 10 or coarser/],
    within: 20_000,
  },
  // ---- outputs: a bad --out fails fast and says why (exit 2) ----
  { name: 'output: --out /proc/x fails fast naming --out', args: () => ['grid', '--hotspots', T('firms15.csv'), '--out', '/proc/x'], code: 2, stderr: [/cannot write to --out \/proc\/x/, /virtual file system/, /where: --out/], within: 5000 },
  { name: 'output: --out /sys/x fails fast naming --out', args: () => ['grid', '--hotspots', T('firms15.csv'), '--out', '/sys/hazetrace-x'], code: 2, stderr: [/--out \/sys\/hazetrace-x/, /where: --out/], within: 5000 },
  { name: 'output: --out under a file (/dev/null/x)', args: () => ['grid', '--hotspots', T('firms15.csv'), '--out', '/dev/null/x'], code: 2, stderr: [/--out \/dev\/null\/x/, /where: --out/], within: 5000 },
  { name: 'output: --out is an existing file', args: () => ['grid', '--hotspots', T('firms15.csv'), '--out', T('a_file')], code: 2, stderr: [/is a file, not a folder/, /where: --out/] },
  // ---- input: the file is named and the hint fits the cause (exit 3) ----
  { name: 'input: missing file', args: () => ['grid', '--hotspots', T('nope.csv')], code: 3, stderr: [/file not found: .*nope\.csv/, /where: --hotspots/] },
  { name: 'input: a folder instead of a file', args: () => ['grid', '--hotspots', dir], code: 3, stderr: [/is a folder/] },
  { name: 'input: empty FIRMS CSV', args: () => ['grid', '--hotspots', T('empty.csv')], code: 3, stderr: [/empty\.csv/] },
  { name: 'input: header-only FIRMS CSV', args: () => ['grid', '--hotspots', T('header_only.csv')], code: 3, stderr: [/header_only\.csv/] },
  { name: 'input: every FIRMS row rejected names the first problem row', args: () => ['grid', '--hotspots', T('firms_all_bad.csv')], code: 3, stderr: [/0 rows accepted, 3 rejected/, /first problem: row 1 \(latitude\)/] },
  { name: 'input: a PNG given as FIRMS CSV', args: () => ['grid', '--hotspots', T('image.png')], code: 3, stderr: [/image\.png/], notStderr: [/permission/] },
  { name: 'input: a UTF-16 CSV', args: () => ['grid', '--hotspots', T('utf16.csv')], code: 3, stderr: [/utf16\.csv/] },
  {
    name: 'input: a 600 MB GeoJSON gets a size message, not "check the file permissions"',
    args: () => ['risk', '--hotspots', FX('cli/real_firms.csv'), '--areas', T('huge.geojson')],
    code: 3,
    stderr: [/600 MB, over the 537 MB a text input can be read whole/, /split it into files/],
    notStderr: [/permission/],
    within: 10_000,
  },
  { name: 'input: a 600 MB FIRMS CSV of NUL bytes is streamed and refused as binary', args: () => ['grid', '--hotspots', T('huge.csv')], code: 3, stderr: [/huge\.csv/, /NUL|binary/i], notStderr: [/permission/], within: 10_000 },
  { name: 'input: truncated GeoJSON', args: () => ['risk', '--hotspots', FX('cli/real_firms.csv'), '--areas', T('truncated.geojson')], code: 3, stderr: [/truncated\.geojson/] },
  { name: 'input: areas with only a Point feature', args: () => ['risk', '--hotspots', FX('cli/real_firms.csv'), '--areas', T('areas_points_only.geojson')], code: 3, stderr: [/no usable polygon/, /feature 1 is a Point/] },
  { name: 'input: garbage tdump', args: () => ['trace', '--tdump', T('tdump_garbage.txt')], code: 3, stderr: [/tdump_garbage\.txt/] },
  { name: 'input: three paths to --wind', args: () => ['trace', '--wind', 'a.tif,b.tif,c.tif', '--start', '98,18', '--time', '2025-01-02T12:00Z'], code: 3, stderr: [/takes one NetCDF\/CSV file or two GeoTIFFs/] },
  // ---- rejections: visible in summaries and --json ----
  {
    name: 'rejection: grid --json counts the 15 rejected rows (rejectedCount 15, first reasons listed)',
    args: () => ['grid', '--hotspots', T('firms15.csv'), '--json'],
    code: 0,
    check: (r) => {
      const j = JSON.parse(r.stdout) as { accepted: number; rejectedCount: number; inputs: { option: string; accepted: number; rejectedCount: number; rejected: { row: number; column: string; code: string; reason: string }[]; moreRejected: number }[] };
      expect(j.accepted).toBe(30);
      expect(j.rejectedCount).toBe(15);
      expect(j.inputs[0]!.option).toBe('--hotspots');
      expect(j.inputs[0]!.accepted).toBe(30);
      expect(j.inputs[0]!.rejectedCount).toBe(15);
      expect(j.inputs[0]!.rejected.length).toBe(15);
      expect(j.inputs[0]!.moreRejected).toBe(0);
      expect(j.inputs[0]!.rejected[0]).toEqual({ row: 31, column: 'latitude', code: 'E_COORD', reason: expect.stringMatching(/^latitude "95"/) as unknown as string });
    },
  },
  {
    name: 'rejection: grid summary lists the first 5 reasons then "and 10 more"',
    args: () => ['grid', '--hotspots', T('firms15.csv')],
    code: 0,
    stdout: [/30 rows accepted, 15 rejected \(row 31 \(latitude\): latitude "95"/, /; and 10 more\)/],
  },
  {
    name: 'rejection: grid --points --json counts rows without or with bad coordinates',
    args: () => ['grid', '--points', T('points.csv'), '--value', 'value', '--json'],
    code: 0,
    check: (r) => {
      const j = JSON.parse(r.stdout) as { accepted: number; rejectedCount: number; inputs: { rejectedCount: number; rejected: { row: number }[] }[] };
      expect(j.accepted).toBe(2);
      expect(j.rejectedCount).toBe(2);
      expect(j.inputs[0]!.rejected.map((x) => x.row)).toEqual([3, 4]);
    },
  },
  {
    name: 'rejection: trace mentions the rejected station and wind rows',
    args: () => ['trace', '--wind', T('wind3d.csv'), '--stations', T('stations_bad.csv'), '--time', '2025-01-02T12:00Z', '--hours', '6'],
    code: 0,
    stdout: [/stations_bad\.csv: 2 rows accepted, 1 rejected \(row 2 \(lat\)/, /wind3d\.csv: 144 wind observations accepted, 2 rejected \(row 145 \(wind_speed_ms\).*row 146 \(wind_dir_deg_from\)/],
  },
  {
    name: 'rejection: trace --json carries the inputs with their rejected rows',
    args: () => ['trace', '--wind', T('wind3d.csv'), '--stations', T('stations_bad.csv'), '--time', '2025-01-02T12:00Z', '--hours', '6', '--json'],
    code: 0,
    check: (r) => {
      const j = JSON.parse(r.stdout) as { type: string; features: unknown[]; inputs: { option: string; rejectedCount: number; rejected: { row: number }[] }[] };
      expect(j.type).toBe('FeatureCollection');
      expect(j.features.length).toBe(2);
      expect(j.inputs.map((n) => [n.option, n.rejectedCount, n.rejected.map((x) => x.row)])).toEqual([['--stations', 1, [2]], ['--wind', 2, [145, 146]]]);
    },
  },
  {
    name: 'rejection: non-polygon features in --areas are counted with their index, not dropped silently',
    args: () => ['risk', '--hotspots', FX('cli/real_firms.csv'), '--areas', T('areas_mixed.geojson'), '--json'],
    code: 0,
    check: (r) => {
      const j = JSON.parse(r.stdout) as { inputs: { option: string; unit: string; rejectedCount: number; rejected: { row: number; column: string; reason: string }[] }[] };
      const areas = j.inputs.find((n) => n.option === '--areas')!;
      expect(areas.unit).toBe('features');
      expect(areas.rejectedCount).toBe(2);
      expect(areas.rejected.map((x) => [x.row, x.column])).toEqual([[34, 'geometry'], [35, 'geometry']]);
      expect(areas.rejected[0]!.reason).toMatch(/is a Point/);
      expect(areas.rejected[1]!.reason).toMatch(/is a LineString/);
    },
  },
  // ---- success paths stay quiet and honest ----
  { name: 'ok: --help with other options prints help', args: () => ['grid', '--json', '--help'], code: 0, stdout: [/Usage: hazetrace grid/] },
];

/** Checks every case must pass, whatever it is about. */
function sharedChecks(r: { code: number; stdout: string; stderr: string }): void {
  expect([0, 2, 3]).toContain(r.code);
  expect(r.stderr).not.toMatch(/hazetrace <command>/);
  expect(r.stderr).not.toMatch(/internal error/);
  // Times as ISO 8601, never epoch milliseconds (13-digit numbers in 2001..2100).
  expect(r.stderr).not.toMatch(/(?<![\d.])(1[0-9]|[2-3][0-9]|40)\d{11}(?!\d)/);
  if (r.code !== 0) expect(r.stderr).toMatch(/^hazetrace( [a-z]+)?: error: /);
}

const seen = new Map<string, number>();

describe('hostile CLI corpus', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const t0 = Date.now();
      const r = await cli(c.args(), dir);
      const ms = Date.now() - t0;
      seen.set(c.name, r.code);
      expect(r.code, r.stderr).toBe(c.code);
      sharedChecks(r);
      for (const re of c.stderr ?? []) expect(r.stderr).toMatch(re);
      for (const re of c.notStderr ?? []) expect(r.stderr).not.toMatch(re);
      for (const re of c.stdout ?? []) expect(r.stdout).toMatch(re);
      c.check?.(r);
      if (c.within !== undefined) expect(ms).toBeLessThan(c.within);
      // No temporary output file is ever left behind in the working folder.
      expect(readdirSync(dir).filter((f) => f.endsWith('.hazetrace-tmp'))).toEqual([]);
    });
  }

  it('exit codes: every corpus case exits 0, 2 or 3, never 1 (exit 1 is for real bugs)', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(seen.size).toBe(CASES.length);
    for (const [name, code] of seen) expect([0, 2, 3], name).toContain(code);
  });
});
