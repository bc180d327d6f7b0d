/**
 * The core is browser-safe: nothing outside src/node/ and src/cli/ may import a Node builtin or touch
 * Node-only globals. Checked on the source (comments and TSDoc examples excluded, since examples may show
 * Node usage).
 */
import { describe, expect, it } from 'vitest';
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

/** Strip block and line comments so TSDoc examples (which may import node:fs) don't count. */
const code = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

describe('browser-safe core', () => {
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const files = walk(join(root, 'src')).filter((f) => !/src\/(node|cli)\//.test(f));
  it('imports no Node builtin and uses no process/Buffer/require outside src/node and src/cli', () => {
    const bad: string[] = [];
    for (const f of files) {
      const c = code(readFileSync(f, 'utf8'));
      for (const m of c.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (builtins.has(spec) || builtins.has(spec.split('/')[0]!)) bad.push(`${relative(root, f)}: imports ${spec}`);
      }
      for (const m of c.matchAll(/\b(process\.|Buffer\.|require\()/g)) bad.push(`${relative(root, f)}: uses ${m[1]}`);
    }
    expect(files.length).toBeGreaterThan(20);
    expect(bad).toEqual([]);
  });
});
