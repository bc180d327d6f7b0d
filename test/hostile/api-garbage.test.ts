/**
 * Hostile-input corpus, public API part: call EVERY exported function and class of every subpath
 * (the names in test/fixtures/public-api.json) with garbage arguments and accept only a normal
 * return or a `HazetraceError` with a code from ERROR_CODES — never a TypeError, RangeError, bare
 * string or a promise that never settles.
 *
 * Shapes per export, for each value in GARBAGE (helpers.ts): `f(g)` and `f(g, g, g)` (classes:
 * `new C(…)`). A per-module tally (calls → returned / HazetraceError / other) is printed with
 * console.log, followed by the first failure of each offending export.
 *
 *   npx vitest run test/hostile/api-garbage.test.ts
 *
 * Set HAZETRACE_GARBAGE_TRACE=1 to log every call before it is made (finds a call that hangs), and
 * HAZETRACE_GARBAGE_DUMP=<file> to write every non-HazetraceError failure to a file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GARBAGE, outcomeOf, type Outcome } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');
const api = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'public-api.json'), 'utf8')) as Record<string, string[]>;

/** Subpath → source module (the root `hazetrace` re-exports `hazetrace/core`, so it is swept once as core). */
const modules: Record<string, () => Promise<Record<string, unknown>>> = {
  'hazetrace/core': () => import('../../src/core/index.js'),
  'hazetrace/io': () => import('../../src/io/index.js'),
  'hazetrace/grid': () => import('../../src/grid/index.js'),
  'hazetrace/wind': () => import('../../src/wind/index.js'),
  'hazetrace/attribution': () => import('../../src/attribution/index.js'),
  'hazetrace/risk': () => import('../../src/risk/index.js'),
  'hazetrace/sim': () => import('../../src/sim/index.js'),
  'hazetrace/node': () => import('../../src/node/index.js'),
  'hazetrace/report': () => import('../../src/report/index.js'),
};

/**
 * Calls skipped because that garbage value is a VALID argument that starts legitimately heavy work
 * (a full twin experiment with the default scenario takes minutes), not because it fails.
 */
const SKIP: Record<string, { labels: string[]; reason: string }> = {
  runTwin: { labels: ['undefined', '{}'], reason: 'undefined and {} give the valid default scenario: a full twin run (minutes)' },
  createTracePool: { labels: ['undefined', '{}'], reason: 'undefined and {} are valid: one worker thread per core (seconds each)' },
  setupTwin: { labels: ['undefined', '{}'], reason: 'undefined and {} give the valid default scenario: builds the full default scenario' },
};

const isClass = (f: Function): boolean => /^class[\s{]/.test(Function.prototype.toString.call(f));

interface Tally {
  exports: number;
  calls: number;
  returned: number;
  hazetrace: number;
  other: number;
  failures: Map<string, string>; // export → first failure
  otherByExport: Map<string, number>;
}

const tallies = new Map<string, Tally>();
const slow: string[] = [];
const dump = process.env['HAZETRACE_GARBAGE_DUMP'];
const dumped: string[] = [];
const trace = process.env['HAZETRACE_GARBAGE_TRACE'] === '1';

async function cleanup(o: Outcome): Promise<void> {
  if (o.kind !== 'returned' || typeof o.value !== 'object' || o.value === null) return;
  const close = (o.value as { close?: unknown }).close;
  if (typeof close === 'function') await (close as () => unknown).call(o.value);
}

async function sweep(entry: string): Promise<Tally> {
  const mod = await modules[entry]!();
  const tally: Tally = { exports: 0, calls: 0, returned: 0, hazetrace: 0, other: 0, failures: new Map(), otherByExport: new Map() };
  for (const name of api[entry]!) {
    const f = mod[name];
    if (typeof f !== 'function') continue;
    const cls = isClass(f);
    tally.exports++;
    const arity = Math.max(3, f.length);
    for (const [label, make] of GARBAGE) {
      if (SKIP[name]?.labels.includes(label)) continue;
      for (const shape of ['one', 'all'] as const) {
        const args = shape === 'one' ? [make()] : Array.from({ length: arity }, () => make());
        const what = `${name}(${shape === 'one' ? label : `${label} ×${arity}`})`;
        if (trace) process.stderr.write(`[garbage] ${entry} ${what}\n`);
        const t0 = performance.now();
        const outcome = await outcomeOf(() => (cls ? new (f as new (...a: unknown[]) => unknown)(...args) : (f as (...a: unknown[]) => unknown)(...args)));
        const ms = performance.now() - t0;
        if (ms > 2000) slow.push(`${entry} ${what}: ${Math.round(ms)} ms`);
        tally.calls++;
        tally[outcome.kind]++;
        if (outcome.kind === 'other') {
          tally.otherByExport.set(name, (tally.otherByExport.get(name) ?? 0) + 1);
          if (dump) dumped.push(`${entry} ${what} → ${outcome.name}: ${outcome.message.split('\n')[0]!.slice(0, 200)}`);
          if (!tally.failures.has(name)) tally.failures.set(name, `${what} → ${outcome.name}: ${outcome.message.split('\n')[0]!.slice(0, 160)}`);
        }
        await cleanup(outcome);
      }
    }
  }
  tallies.set(entry, tally);
  return tally;
}

let cwd = '';
let scratch = '';
beforeAll(() => {
  // writers given the path 'x' must not litter the repository
  cwd = process.cwd();
  scratch = mkdtempSync(join(tmpdir(), 'hazetrace-garbage-'));
  process.chdir(scratch);
});

afterAll(() => {
  process.chdir(cwd);
  rmSync(scratch, { recursive: true, force: true });
  if (dump) writeFileSync(dump, dumped.join('\n') + '\n');
  const rows = [...tallies.entries()].map(([entry, t]) => ({ module: entry, exports: t.exports, calls: t.calls, returned: t.returned, HazetraceError: t.hazetrace, other: t.other, exportsWithOther: t.otherByExport.size }));
  const total = rows.reduce((a, r) => ({ exports: a.exports + r.exports, calls: a.calls + r.calls, returned: a.returned + r.returned, HazetraceError: a.HazetraceError + r.HazetraceError, other: a.other + r.other, exportsWithOther: a.exportsWithOther + r.exportsWithOther }), { exports: 0, calls: 0, returned: 0, HazetraceError: 0, other: 0, exportsWithOther: 0 });
  console.log('API garbage sweep: function/class exports, calls → returned / HazetraceError / other (per module)');
  for (const r of rows) console.log(`  ${r.module.padEnd(22)} ${String(r.exports).padStart(4)} ${String(r.calls).padStart(5)} → ${String(r.returned).padStart(5)} / ${String(r.HazetraceError).padStart(5)} / ${String(r.other).padStart(4)}   (${r.exportsWithOther} exports with other)`);
  console.log(`  ${'total'.padEnd(22)} ${String(total.exports).padStart(4)} ${String(total.calls).padStart(5)} → ${String(total.returned).padStart(5)} / ${String(total.HazetraceError).padStart(5)} / ${String(total.other).padStart(4)}   (${total.exportsWithOther} exports with other)`);
  for (const s of slow) console.log(`  slow call: ${s}`);
  for (const [entry, t] of tallies) for (const [name, msg] of t.failures) console.log(`  other: ${entry} ${name} ×${t.otherByExport.get(name)}: ${msg}`);
});

describe('hostile API: every export, garbage arguments → return or HazetraceError', () => {
  const only = process.env['HAZETRACE_GARBAGE_ONLY']; // e.g. "sim" to sweep one module while fixing it
  for (const entry of Object.keys(modules).filter((e) => !only || e.endsWith(`/${only}`))) {
    it(`garbage: every export of ${entry}`, async () => {
      const t = await sweep(entry);
      expect(t.calls).toBeGreaterThan(0);
      expect([...t.failures.entries()].map(([n, m]) => `${n}: ${m}`)).toEqual([]);
    });
  }

  it('garbage: the sweep covers every function export of public-api.json', async () => {
    const root = api['hazetrace']!.filter((n) => !api['hazetrace/core']!.includes(n));
    expect(root, 'the root entry exports something core does not: add it to the sweep').toEqual([]);
    const unswept = Object.keys(api).filter((e) => e !== 'hazetrace' && !(e in modules));
    expect(unswept, 'a subpath of public-api.json is not in the sweep: add it to `modules`').toEqual([]);
  });
});
