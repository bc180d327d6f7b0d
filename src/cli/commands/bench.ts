/** `hazetrace bench`: run the project's benchmarks (the `bench:*` npm scripts) and collect their JSON results. */
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { CommandSpec } from '../context.js';
import { inputError, usageError, CliError, EXIT } from '../errors.js';
import { packageRoot } from '../paths.js';
import { OutDir } from '../options.js';

function benchScripts(root: string): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return Object.fromEntries(Object.entries(pkg.scripts ?? {}).filter(([k]) => k.startsWith('bench:')).map(([k, v]) => [k.slice(6), v]));
}

export const benchCommand: CommandSpec = {
  name: 'bench',
  summary: 'run the benchmarks (hot paths against named baselines); needs a source checkout',
  usage: 'hazetrace bench [NAME ...] [--list] [--json] [--out DIR]',
  details:
    'Runs `npm run bench:NAME` for each NAME (all when none is given). Each benchmark prints a ratio against a\n' +
    'baseline measured in the same run and writes bench/results/<name>.json; --json prints those results.\n' +
    'Sizes are set by environment variables documented in each bench/*.ts file.',
  options: {
    list: { type: 'boolean', default: false, help: 'list the available benchmarks and exit' },
  },
  positionals: true,
  examples: ['hazetrace bench --list', 'hazetrace bench grid --json'],
  async run(ctx) {
    const root = packageRoot();
    if (!existsSync(join(root, 'bench'))) {
      throw inputError('the benchmarks are not part of the installed package', root, 'clone the repository and run `npm install` there, then `npx hazetrace bench`');
    }
    const scripts = benchScripts(root);
    const names = Object.keys(scripts).sort();
    if (ctx.values.list) {
      if (ctx.json) ctx.streams.stdout.write(JSON.stringify({ benchmarks: names }) + '\n');
      else ctx.streams.stdout.write(names.length ? names.map((n) => `${n}\t${scripts[n]}`).join('\n') + '\n' : 'no bench:* scripts in package.json\n');
      return;
    }
    const wanted = ctx.positionals.length ? ctx.positionals : names;
    for (const w of wanted) {
      if (!(w in scripts)) throw usageError(`unknown benchmark ${JSON.stringify(w)}`, 'NAME', `use one of: ${names.join(', ') || '(none defined)'}`);
    }
    const out = new OutDir(ctx.values, ctx.cwd);
    const resultsDir = join(root, 'bench', 'results');
    const results: Record<string, unknown> = {};
    for (const w of wanted) {
      const started = Date.now();
      // The benchmarks' own stdout is the human report; with --json it goes to stderr so stdout stays parseable.
      const r = spawnSync('npm', ['run', '--silent', `bench:${w}`], {
        cwd: root,
        stdio: ['ignore', ctx.json ? 2 : 'inherit', 'inherit'],
        env: process.env,
      });
      if (r.status !== 0) {
        throw new CliError(EXIT.INTERNAL, `benchmark ${w} failed with exit code ${String(r.status)}`, {
          where: `npm run bench:${w}`,
          hint: 'run it directly to see the full output',
        });
      }
      // Collect the JSON files the benchmark wrote during this run.
      const fresh = existsSync(resultsDir)
        ? readdirSync(resultsDir).filter((f) => f.endsWith('.json') && statSync(join(resultsDir, f)).mtimeMs >= started - 1000)
        : [];
      for (const f of fresh) {
        const text = readFileSync(join(resultsDir, f), 'utf8');
        results[f.replace(/\.json$/, '')] = JSON.parse(text) as unknown;
        out.write(f, text);
      }
    }
    if (ctx.json) ctx.streams.stdout.write(JSON.stringify({ results }, null, 2) + '\n');
    else ctx.streams.stdout.write(`ran ${wanted.length} benchmark(s); results in ${resultsDir}${out.dir ? ` and ${out.dir}` : ''}\n`);
  },
};
