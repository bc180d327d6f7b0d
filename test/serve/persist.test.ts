/**
 * `hazetrace serve --state DIR` as a real child process: increments survive a restart, kill -9 in the middle of
 * writing an increment loses only that increment, SIGTERM shuts down cleanly, a second writer is refused, and a
 * read-only instance on the same directory follows the writer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, csv, firmsApril, stationsCsv } from './helpers.js';

const FIRMS = firmsApril();
const dir = mkdtempSync(join(tmpdir(), 'hazetrace-serve-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Start `hazetrace serve --port 0 ...args` from the sources; resolves with its URL once it logs "listening". */
function startCli(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts'), 'serve', '--port', '0', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" within 90 s:\n${err}`)), 90_000);
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      const m = /"msg":"listening","url":"([^"]+)"/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] as string, stderr: () => err, exit });
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`exited ${code} before listening:\n${err}`), { code, stderr: err }));
    });
  });
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 900; i++) {
    const r = await fetch(`${url}/ready`).catch(() => null);
    if (r?.status === 200) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('not ready in 90 s');
}
const state = async (url: string): Promise<{ version: number; hotspots: number; stations: number }> => (await (await fetch(`${url}/state`)).json()) as { version: number; hotspots: number; stations: number };

describe('serve --state DIR (child process)', () => {
  it('kill -9 while an increment is being written: the restart holds exactly the committed versions', async () => {
    const a = await startCli(['--state', dir], { HAZETRACE_SERVE_PAUSE_MID_WRITE_MS: '1500' });
    await waitReady(a.url);
    const one = await fetch(`${a.url}/state/stations`, { method: 'POST', body: stationsCsv() });
    expect(one.status).toBe(200);
    expect(((await one.json()) as { version: number }).version).toBe(1);
    // Second increment: its write pauses half-way; kill -9 while the temp file is there.
    const pending = fetch(`${a.url}/state/hotspots`, { method: 'POST', body: csv(FIRMS.header, FIRMS.early) }).catch((e: Error) => e);
    const inc = join(dir, 'increments');
    for (let i = 0; i < 200 && !readdirSync(inc).some((n) => n.startsWith('.tmp-')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(readdirSync(inc).some((n) => n.startsWith('.tmp-'))).toBe(true);
    a.child.kill('SIGKILL');
    await a.exit;
    expect(await pending).toBeInstanceOf(Error); // the client never got an answer
    expect(readdirSync(inc).filter((n) => !n.startsWith('.'))).toEqual(['0000000001.stations']);

    const b = await startCli(['--state', dir]); // stale lock of the killed writer is taken over
    await waitReady(b.url);
    const s = await state(b.url);
    expect(s).toMatchObject({ version: 1, hotspots: 0, stations: stationsCsv().trim().split('\n').length - 1 });
    expect(readdirSync(inc).some((n) => n.startsWith('.tmp-'))).toBe(false); // the torn write was discarded
    const two = (await (await fetch(`${b.url}/state/hotspots`, { method: 'POST', body: csv(FIRMS.header, FIRMS.early) })).json()) as { version: number };
    expect(two.version).toBe(2);

    // A second writer on the same directory is refused; a read-only instance follows the writer.
    await expect(startCli(['--state', dir])).rejects.toMatchObject({ stderr: expect.stringMatching(/held by writer pid/) });
    const reader = await startCli(['--state', dir, '--read-only', '--poll-ms', '100']);
    await waitReady(reader.url);
    expect(await state(reader.url)).toMatchObject({ version: 2, hotspots: FIRMS.early.length });
    expect((await fetch(`${reader.url}/state/hotspots`, { method: 'POST', body: csv(FIRMS.header, FIRMS.late) })).status).toBe(403);
    const three = (await (await fetch(`${b.url}/state/hotspots`, { method: 'POST', body: csv(FIRMS.header, FIRMS.late) })).json()) as { version: number };
    expect(three.version).toBe(3);
    let followed = await state(reader.url);
    for (let i = 0; i < 100 && followed.version < 3; i++) {
      await new Promise((r) => setTimeout(r, 100));
      followed = await state(reader.url);
    }
    expect(followed).toMatchObject({ version: 3, hotspots: FIRMS.early.length + FIRMS.late.length });
    const layer = async (url: string): Promise<string> => (await fetch(`${url}/layers/hotspots.csv`)).text();
    expect(await layer(reader.url)).toBe(await layer(b.url));

    // SIGTERM: graceful, exit 0, lock released, snapshot at the last version; a restart restores it.
    reader.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await b.exit).toBe(0);
    expect(await reader.exit).toBe(0);
    expect(existsSync(join(dir, 'writer.lock'))).toBe(false);
    expect((JSON.parse(readFileSync(join(dir, 'snapshot.json'), 'utf8')) as { version: number }).version).toBe(3);
    const c = await startCli(['--state', dir]);
    await waitReady(c.url);
    expect(await state(c.url)).toMatchObject({ version: 3, hotspots: FIRMS.early.length + FIRMS.late.length });
    c.child.kill('SIGTERM');
    expect(await c.exit).toBe(0);
  }, 300_000);

  it('contract: --max-body 1000 → 413 for a larger body, and the server keeps serving /grid', async () => {
    const s = await startCli(['--max-body', '1000']);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const big = await fetch(`${s.url}/grid?res=5`, { method: 'POST', body: csv(FIRMS.header, FIRMS.early.slice(0, 100)) });
    expect(big.status).toBe(413);
    const ok = await fetch(`${s.url}/grid?res=5`, { method: 'POST', body: csv(FIRMS.header, FIRMS.early.slice(0, 5)) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { type: string }).type).toBe('FeatureCollection');
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  }, 120_000);
});
