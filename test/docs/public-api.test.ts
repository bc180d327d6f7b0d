/**
 * API snapshot: the sorted export names of every package entry point (package.json "exports"), imported from
 * the built dist/ like test/docs/examples.test.ts does, must equal test/fixtures/public-api.json. Any change to
 * the public surface (a new export, a removed or renamed one) is then a visible diff of that file in review.
 *
 * After a deliberate change, regenerate the fixture and commit it with the change:
 *
 *   npm run build && UPDATE_API=1 npx vitest run test/docs/public-api.test.ts
 *
 * (Type-only exports vanish in JavaScript, so they are not part of this snapshot; `tsc` checks those.)
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const fixture = join(root, 'test', 'fixtures', 'public-api.json');

/** Entry points from package.json "exports": `.` → dist/index.js, `./grid` → dist/grid/index.js, … */
function entryPoints(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { import?: string }> };
  const out: Record<string, string> = {};
  for (const [key, target] of Object.entries(pkg.exports)) {
    const file = typeof target === 'string' ? target : target.import;
    if (!file || !file.endsWith('.js')) continue; // ./package.json
    out[key === '.' ? 'hazetrace' : `hazetrace/${key.slice(2)}`] = join(root, file);
  }
  return out;
}

async function surface(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [name, file] of Object.entries(entryPoints())) {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    out[name] = Object.keys(mod).sort();
  }
  return out;
}

describe('public API snapshot (test/fixtures/public-api.json)', () => {
  it('every entry point exports exactly the recorded names', async () => {
    const actual = await surface();
    if (process.env['UPDATE_API'] === '1') {
      writeFileSync(fixture, JSON.stringify(actual, null, 2) + '\n');
      return;
    }
    expect(existsSync(fixture), 'no fixture: run `npm run build && UPDATE_API=1 npx vitest run test/docs/public-api.test.ts`').toBe(true);
    const recorded = JSON.parse(readFileSync(fixture, 'utf8')) as Record<string, string[]>;
    expect(Object.keys(actual).sort()).toEqual(Object.keys(recorded).sort());
    for (const entry of Object.keys(recorded)) {
      const added = actual[entry]!.filter((k) => !recorded[entry]!.includes(k));
      const removed = recorded[entry]!.filter((k) => !actual[entry]!.includes(k));
      expect({ entry, added, removed }, 'public API changed: if deliberate, regenerate with UPDATE_API=1 (see the top of this file)').toEqual({ entry, added: [], removed: [] });
    }
  });

  it('internals stay out of the public API', async () => {
    const actual = await surface();
    const all = new Set(Object.values(actual).flat());
    for (const name of ['HI_LO', 'latLngToCellHiLo', 'latLngToCellHiLoReplica', 'fastPathStatus', 'verificationPoints', 'PointBuffer', 'checkStarts', 'alignColumn']) {
      expect(all.has(name), name).toBe(false);
    }
    // One import path per function: no name in two modules (the root re-exports core, so it is left out) ...
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [entry, names] of Object.entries(actual)) {
      if (entry === 'hazetrace') continue;
      for (const n of names) {
        if (seen.has(n)) twice.push(`${n}: ${seen.get(n)} and ${entry}`);
        else seen.set(n, entry);
      }
    }
    expect(twice).toEqual([]);
    // ... and the cell writers live in hazetrace/io only.
    for (const w of ['cellsToGeoJson', 'cellsToCsv', 'cellsToArrow']) {
      expect(actual['hazetrace/io'], w).toContain(w);
      expect(actual['hazetrace/grid'], w).not.toContain(w);
    }
  });

  it('every error code in the ERROR_CODES table has a one-line meaning', async () => {
    const core = (await import(pathToFileURL(join(root, 'dist', 'index.js')).href)) as { ERROR_CODES: Record<string, string> };
    const codes = Object.keys(core.ERROR_CODES);
    expect(codes).toContain('E_ARG');
    for (const c of codes) {
      expect(c).toMatch(/^E_[A-Z_]+$/);
      expect(core.ERROR_CODES[c]!.length, c).toBeGreaterThan(10);
      expect(core.ERROR_CODES[c], c).not.toMatch(/\n/);
    }
    // And every code thrown with a literal in src/ is in the table (tsc checks this too, via the ErrorCode type).
    const { readdirSync, statSync } = await import('node:fs');
    const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith('.ts') ? [join(d, n)] : []));
    const thrown = new Set<string>();
    for (const f of walk(join(root, 'src'))) for (const m of readFileSync(f, 'utf8').matchAll(/new HazetraceError\(\s*'(E_[A-Z_]+)'/g)) thrown.add(m[1]!);
    expect([...thrown].filter((c) => !codes.includes(c))).toEqual([]);
  });
});
