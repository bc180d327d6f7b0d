/**
 * Outputs complete or absent (issue 17 items 5 and 6): files are written under a temporary name and
 * renamed when complete; manifest.json lists every file (size, SHA-256), the inputs (size, SHA-256),
 * the settings, the version, the status and the time; files of an earlier run listed in its manifest are
 * removed (unknown user files are kept); nothing is built without --out; SIGINT/SIGTERM mid-write leave
 * no temporary and no half file (the built CLI is spawned and killed).
 */
import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { cli } from '../run-cli.js';
import { OutDir, MANIFEST } from '../../src/cli/out.js';
import { VERSION } from '../../src/cli/version.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'hazetrace-out-'));
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const FIRMS = join(ROOT, 'test', 'fixtures', 'cli', 'real_firms.csv');
const WIND = join(ROOT, 'data', 'wind_2pt_hourly_2025.csv');
const DIST_MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const DIST_OUT = join(ROOT, 'dist', 'cli', 'out.js');

interface Manifest {
  hazetrace: string;
  command: string | null;
  status: string;
  finished: string | null;
  files: { name: string; bytes: number; sha256: string }[];
  inputs: { option: string; path: string; bytes: number; sha256: string }[];
  settings: Record<string, string | boolean>;
  removedStale: string[];
}
const manifestOf = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as Manifest;

describe('manifest.json', () => {
  it('lists every file with its real size and SHA-256, the inputs, settings, version, status and finish time', async () => {
    const out = tmp();
    const r = await cli(['grid', '--hotspots', FIRMS, '--res', '6', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const m = manifestOf(out);
    expect(m.hazetrace).toBe(VERSION);
    expect(m.command).toBe('grid');
    expect(m.status).toBe('complete');
    expect(m.finished).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(m.files.map((f) => f.name).sort()).toEqual(['cells.arrow', 'cells.csv', 'cells.geojson']);
    for (const f of m.files) {
      expect(f.bytes).toBe(statSync(join(out, f.name)).size);
      expect(f.sha256).toBe(sha(join(out, f.name)));
    }
    expect(m.inputs).toEqual([{ option: '--hotspots', path: FIRMS, bytes: statSync(FIRMS).size, sha256: sha(FIRMS) }]);
    expect(m.settings['res']).toBe('6');
    expect(m.removedStale).toEqual([]);
    // Every file in the folder is accounted for: the listed files and the manifest itself.
    expect(readdirSync(out).sort()).toEqual(['cells.arrow', 'cells.csv', 'cells.geojson', MANIFEST]);
    // The streamed GeoJSON is one valid document.
    const fc = JSON.parse(readFileSync(join(out, 'cells.geojson'), 'utf8')) as { type: string; features: unknown[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBe(readFileSync(join(out, 'cells.csv'), 'utf8').trim().split('\n').length - 1);
  });

  it('a second run into the same --out removes the files the first run listed, keeps unknown files, and says so', async () => {
    const out = tmp();
    expect((await cli(['grid', '--hotspots', FIRMS, '--out', out])).code).toBe(0);
    writeFileSync(join(out, 'my_notes.txt'), 'mine');
    const r = await cli(['trace', '--wind', WIND, '--start', '98.97,18.84', '--time', '2025-04-23 13:00', '--hours', '6', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const m = manifestOf(out);
    expect(m.command).toBe('trace');
    expect(m.removedStale.sort()).toEqual(['cells.arrow', 'cells.csv', 'cells.geojson']);
    expect(readdirSync(out).sort()).toEqual([MANIFEST, 'my_notes.txt', 'tdump.txt', 'trajectories.csv', 'trajectories.geojson']);
    expect(readFileSync(join(out, 'my_notes.txt'), 'utf8')).toBe('mine');
  });

  it('a previous manifest cannot make the CLI delete outside --out (names with a path are ignored)', async () => {
    const out = tmp();
    const outside = join(tmp(), 'precious.txt');
    writeFileSync(outside, 'keep');
    writeFileSync(join(out, MANIFEST), JSON.stringify({ files: [{ name: outside }, { name: '../x' }, { name: MANIFEST }] }));
    expect((await cli(['grid', '--hotspots', FIRMS, '--out', out])).code).toBe(0);
    expect(readFileSync(outside, 'utf8')).toBe('keep');
    expect(manifestOf(out).removedStale).toEqual([]);
  });

  it('without --out nothing is built or written (no folder, no manifest)', async () => {
    const cwd = tmp();
    const r = await cli(['grid', '--hotspots', FIRMS, '--res', '6'], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    let pulled = 0;
    const o = new OutDir({}, cwd);
    o.write('x.json', () => {
      pulled++;
      return 'x';
    });
    await o.settled();
    expect(pulled).toBe(0);
  });

  it('a chunk producer that throws leaves neither the file nor a temporary, and the error surfaces', async () => {
    const out = tmp();
    const o = new OutDir({ out }, '/');
    o.writeChunks('ok.txt', ['fine']);
    o.writeChunks('bad.txt', function* () {
      yield 'x'.repeat(3 << 20); // more than one flush, so a temporary exists when it fails
      throw new Error('producer bug');
    });
    await expect(o.settled()).rejects.toThrow('producer bug');
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'ok.txt']);
    expect(manifestOf(out).files.map((f) => f.name)).toEqual(['ok.txt']);
  });

  it('an output name that is taken by a folder is a usage error naming --out, with no temporary left', async () => {
    const out = tmp();
    const o = new OutDir({ out }, '/');
    o.writeChunks('cells.csv', ['a']);
    await o.settled();
    const { mkdirSync, rmSync } = await import('node:fs');
    rmSync(join(out, 'cells.csv'));
    mkdirSync(join(out, 'cells.csv'));
    const o2 = new OutDir({ out }, '/');
    o2.writeChunks('cells.csv', ['b']);
    await expect(o2.settled()).rejects.toThrow(/cannot write cells\.csv to --out/);
    expect(readdirSync(out).filter((f) => f.endsWith('.hazetrace-tmp'))).toEqual([]);
  });
});

/** A FIRMS CSV of `n` seeded points spread over northern Thailand (unique res-9 cells, so the output is large). */
function bigFirms(path: string, n: number, seed: number): void {
  let s = seed >>> 0;
  const rnd = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const parts = ['latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight\n'];
  for (let i = 0; i < n; i++) parts.push(`${(15 + 6 * rnd()).toFixed(5)},${(97 + 5 * rnd()).toFixed(5)},330,1,1,2025-03-01,0325,T,80,6.0NRT,290,${(1 + 100 * rnd()).toFixed(1)},D\n`);
  writeFileSync(path, parts.join(''));
}

/** Spawn the built CLI, wait until a temporary output file exists, send `signal`; resolves with the exit code and the folder. */
function killMidWrite(signal: 'SIGINT' | 'SIGTERM', input: string): Promise<{ code: number | null; sawTemp: boolean; out: string; stderr: string }> {
  const out = tmp();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [DIST_MAIN, 'grid', '--hotspots', input, '--res', '9', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    let sawTemp = false;
    const poll = setInterval(() => {
      if (sawTemp || !existsSync(out)) return;
      if (readdirSync(out).some((f) => f.endsWith('.hazetrace-tmp'))) {
        sawTemp = true;
        child.kill(signal);
      }
    }, 5);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearInterval(poll);
      done({ code, sawTemp, out, stderr });
    });
  });
}

const HAVE_DIST = existsSync(DIST_MAIN) && existsSync(DIST_OUT);
if (!HAVE_DIST) console.warn('[skip] test/cli/outputs.test.ts "interrupted runs": needs the built CLI (dist/cli/main.js with out.js); run `npm run build` first');

describe.skipIf(!HAVE_DIST)('interrupted runs (spawns dist/cli/main.js; needs `npm run build`)', () => {
  const input = join(tmp(), 'firms_big.csv');
  bigFirms(input, 300_000, 7);

  for (const [signal, exit] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    it(`${signal} mid-write removes the temporary file and leaves no half file (exit ${exit})`, async () => {
      const r = await killMidWrite(signal, input);
      expect(r.sawTemp, 'a temporary output file should have appeared before the kill').toBe(true);
      expect(r.code, r.stderr).toBe(exit);
      expect(r.stderr).toMatch(new RegExp(`interrupted \\(${signal}\\)`));
      const files = readdirSync(r.out);
      expect(files.filter((f) => f.endsWith('.hazetrace-tmp'))).toEqual([]);
      // What is there is complete: listed in the manifest with its exact size and hash.
      const listed = existsSync(join(r.out, MANIFEST)) ? manifestOf(r.out) : undefined;
      for (const f of files.filter((x) => x !== MANIFEST)) {
        const entry = listed?.files.find((e) => e.name === f);
        expect(entry, `${f} is in the folder but not in the manifest`).toBeDefined();
        expect(sha(join(r.out, f))).toBe(entry!.sha256);
      }
      if (listed) expect(listed.status).toBe('running');
    }, 120_000);
  }
});
