/**
 * The CLI is thin: it imports the library only through the public entry points (src/<module>/index.ts), and no
 * command imports another command. Analysis that only the CLI had would show up here as a deep import.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const importsOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1] as string);

describe('thin CLI', () => {
  it('imports library modules only through their entry points (src/<module>/index.ts)', () => {
    const bad: string[] = [];
    for (const f of files(CLI)) {
      for (const spec of importsOf(f)) {
        if (!spec.startsWith('.')) continue;
        const target = relative(join(ROOT, 'src'), resolve(dirname(f), spec));
        if (target.startsWith('cli/') || target.startsWith('..')) continue;
        if (!/^[a-z]+\/index\.js$/.test(target) && target !== 'index.js') bad.push(`${relative(ROOT, f)} → ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no command imports another command', () => {
    const bad: string[] = [];
    const commands = join(CLI, 'commands');
    for (const f of files(commands)) {
      if (f.endsWith('index.ts')) continue;
      for (const spec of importsOf(f)) if (spec.startsWith('./')) bad.push(`${relative(ROOT, f)} → ${spec}`);
    }
    expect(bad).toEqual([]);
  });
});
