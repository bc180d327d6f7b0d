/**
 * Unknown options: every command rejects a mistyped or retired option with exit 2 and names the closest
 * option it does know ("unknown option --hotspot; did you mean --hotspots?"), drawn from that command's
 * options plus the common ones (--out, --json, --help). Called in-process like test/cli/cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { run, suggestOptions, editDistance } from '../../src/cli/run.js';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { EXIT } from '../../src/cli/errors.js';
import { cli } from '../run-cli.js';

const ROOT = resolve(import.meta.dirname, '..', '..');


describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and neighbour swaps as one edit each', () => {
    expect(editDistance('hotspot', 'hotspots')).toBe(1);
    expect(editDistance('hotspots', 'hotspot')).toBe(1);
    expect(editDistance('mebmers', 'members')).toBe(1);
    expect(editDistance('hours', 'house')).toBe(2);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});

describe('suggestOptions', () => {
  const known = ['hotspots', 'points', 'raster', 'res', 'value', 'agg', 'per', 'utc-offset', 'method', 'out', 'json', 'help'];
  it('finds the near miss, a prefix, and nothing for a far-off word', () => {
    expect(suggestOptions('hotspot', known)).toEqual(['hotspots']);
    expect(suggestOptions('utcoffset', known)).toEqual(['utc-offset']);
    expect(suggestOptions('hot', known)).toEqual(['hotspots']);
    expect(suggestOptions('raster-file', known)).toEqual(['raster']);
    expect(suggestOptions('zzzzzz', known)).toEqual([]);
  });
});

describe('unknown options are usage errors with a suggestion, for every command', () => {
  it('grid --hotspot -> did you mean --hotspots? (exit 2)', async () => {
    const r = await cli(['grid', '--hotspot', 'x.csv']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain('hazetrace grid: error: unknown option --hotspot; did you mean --hotspots?');
    expect(r.stderr).toContain('where: hazetrace grid');
    expect(r.stdout).toBe('');
  });

  it('the --name=value form and a common option (--jsn -> --json)', async () => {
    const a = await cli(['trace', '--hour=24']);
    expect(a.code).toBe(EXIT.USAGE);
    expect(a.stderr).toMatch(/unknown option --hour; did you mean --hours\?/);
    const b = await cli(['sim', '--jsn']);
    expect(b.code).toBe(EXIT.USAGE);
    expect(b.stderr).toMatch(/unknown option --jsn; did you mean --json\?/);
  });

  it('an unknown short flag and a word with no near option', async () => {
    const a = await cli(['grid', '-x']);
    expect(a.code).toBe(EXIT.USAGE);
    expect(a.stderr).toMatch(/unknown option -x\n/);
    const b = await cli(['grid', '--zebra']);
    expect(b.code).toBe(EXIT.USAGE);
    expect(b.stderr).toMatch(/unknown option --zebra\n/);
    expect(b.stderr).not.toMatch(/did you mean/);
  });

  it('an option value that looks like an option is not checked (grid --utc-offset -05:00 is fine)', async () => {
    // Fails later for a different reason (no input), proving the option check let it through.
    const r = await cli(['grid', '--utc-offset=-05:00']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/nothing to grid/);
  });

  for (const spec of COMMANDS) {
    it(`${spec.name}: each option with its last letter dropped is suggested back`, async () => {
      for (const name of Object.keys(spec.options)) {
        if (name.length < 4) continue;
        const typo = name.slice(0, -1);
        // Skip typos that are themselves an option (e.g. "member" would be fine only if unknown).
        if (typo in spec.options) continue;
        const r = await cli([spec.name, `--${typo}`]);
        expect(r.code, `${spec.name} --${typo}`).toBe(EXIT.USAGE);
        expect(r.stderr, `${spec.name} --${typo}`).toMatch(new RegExp(`unknown option --${typo}; did you mean [^\\n]*--${name}\\b`));
      }
    });
  }
});

describe('typed times are read in --utc-offset unless they carry their own zone', () => {
  const wind = resolve(ROOT, 'test', 'fixtures', 'cli', 'real_wind_2pt.csv');
  const trace = (time: string, ...extra: string[]) => cli(['trace', '--wind', wind, '--start', '98.97,18.84', '--time', time, '--hours', '6', '--json', ...extra]);
  const startOf = (stdout: string): unknown => (JSON.parse(stdout) as { features: { properties: Record<string, unknown> }[] }).features[0]!.properties;

  it('trace --time "2025-04-23 13:00" (default +07:00) is 06:00Z; an explicit Z or --utc-offset agrees', async () => {
    const local = await trace('2025-04-23 13:00');
    const zulu = await trace('2025-04-23T06:00Z');
    const other = await trace('2025-04-23 08:00', '--utc-offset', '+02:00');
    const own = await trace('2025-04-23T13:00+07:00', '--utc-offset=-05:00');
    for (const r of [local, zulu, other, own]) expect(r.code, r.stderr).toBe(0);
    expect(startOf(local.stdout)).toEqual(startOf(zulu.stdout));
    expect(startOf(other.stdout)).toEqual(startOf(zulu.stdout));
    expect(startOf(own.stdout)).toEqual(startOf(zulu.stdout));
    // And a different local clock really moves the start (the comparison above can fail).
    const later = await trace('2025-04-23 14:00');
    expect(startOf(later.stdout)).not.toEqual(startOf(zulu.stdout));
  });

  it('a bad --utc-offset is a usage error naming the option, and --help says how times are read', async () => {
    const r = await trace('2025-04-23 13:00', '--utc-offset', '7h');
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/--utc-offset must be like \+07:00/);
    const h = await cli(['trace', '--help']);
    expect(h.stdout).toMatch(/--utc-offset VALUE/);
    expect(h.stdout).toMatch(/read in --utc-offset/);
  });
});
