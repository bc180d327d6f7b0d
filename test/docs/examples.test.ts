/**
 * Doc tests: every `@example` block in the TSDoc of src/ is extracted and run against the built package
 * (imports of `hazetrace` / `hazetrace/<module>` are pointed at dist/), so examples cannot rot.
 * It also checks that every exported function and class carries an `@example`.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '../..');
const src = join(root, 'src');
const work = join(root, 'test', '.examples');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

interface Example { file: string; line: number; code: string }

/** Pull fenced code out of `@example` sections of `/** ... *\/` comments. */
function extract(file: string): Example[] {
  const text = readFileSync(file, 'utf8');
  const out: Example[] = [];
  const re = /\/\*\*([\s\S]*?)\*\//g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const body = m[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
    const at = body.indexOf('@example');
    if (at < 0) continue;
    const fence = /```(?:ts|typescript|js)?\n([\s\S]*?)```/.exec(body.slice(at));
    if (!fence) continue;
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ file, line, code: fence[1]! });
  }
  return out;
}

function toDist(code: string): string {
  return code.replace(/from\s+['"]hazetrace(?:\/([a-z]+))?['"]/g, (_s, mod: string | undefined) => {
    const target = join(root, 'dist', mod ? `${mod}/index.js` : 'index.js');
    return `from ${JSON.stringify(pathToFileURL(target).href)}`;
  });
}

const files = walk(src);
const examples = files.flatMap(extract);

describe('TSDoc @example blocks run', () => {
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  for (const [i, ex] of examples.entries()) {
    const name = `${relative(root, ex.file)}:${ex.line}`;
    it(name, async () => {
      const path = join(work, `ex${i}.mts`);
      // Examples may print; keep the test output readable.
      writeFileSync(path, `const console = { log() {}, warn() {}, info() {}, table() {} };\n${toDist(ex.code)}\nexport {};\n`);
      await import(pathToFileURL(path).href);
    });
  }
});

describe('every public function, class and constant has an @example', () => {
  it('lists none missing', async () => {
    // Public = reachable from a package entry point (dist/<module>/index.js); internal helpers are exempt.
    const entries = ['index', 'core/index', 'io/index', 'grid/index', 'wind/index', 'attribution/index', 'risk/index', 'sim/index', 'node/index'];
    const publicNames = new Set<string>();
    for (const e of entries) {
      const mod = (await import(pathToFileURL(join(root, 'dist', `${e}.js`)).href)) as Record<string, unknown>;
      for (const k of Object.keys(mod)) publicNames.add(k);
    }
    const missing: string[] = [];
    const documented = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const re = /^export\s+(?:async\s+)?(?:function\*?|class|const)\s+([A-Za-z0-9_$]+)/gm;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text))) {
        if (!publicNames.has(m[1]!)) continue;
        const before = text.slice(0, m.index);
        const end = before.lastIndexOf('*/');
        const start = before.lastIndexOf('/**');
        const gap = end >= 0 ? before.slice(end + 2) : 'x';
        const doc = start >= 0 && end > start && /^\s*$/.test(gap) ? before.slice(start, end) : '';
        // an overloaded function is documented once, on its first signature
        const key = `${relative(root, file)}: ${m[1]}`;
        if (doc.includes('@example')) documented.add(key);
        else if (!missing.includes(key)) missing.push(key);
      }
    }
    expect(missing.filter((k) => !documented.has(k))).toEqual([]);
  });
});
