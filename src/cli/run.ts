/**
 * The `hazetrace` dispatcher: picks the subcommand, parses its options strictly (unknown options are
 * usage errors, not silently ignored), prints help, and maps every failure to a documented exit code.
 * Kept free of `process.*` so tests can call it in-process with fake streams.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT, EXIT_CODES_HELP, describeError, libraryArgumentHead, usageError, type ExitCode } from './errors.js';
import type { CliStreams, CommandSpec } from './context.js';
import { Progress } from './progress.js';
import { COMMANDS } from './commands/index.js';
import { RUN_INFO, finishRun, settleRun, type RunInfo } from './out.js';
import { VERSION } from './version.js';

export { VERSION };

const COMMON_OPTIONS: CommandSpec['options'] = {
  out: { type: 'string', help: 'output directory (created if missing)' },
  json: { type: 'boolean', default: false, help: 'print machine-readable JSON on stdout instead of the summary' },
  help: { type: 'boolean', short: 'h', default: false, help: 'show this help' },
};

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `hazetrace ${VERSION}: trace PM2.5 back to fires, repeat-burn areas, facilities and countries on H3 cells; score area risk.`,
    '',
    'Usage: hazetrace <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `hazetrace <command> --help` for the options and an example of each.',
    'Quick start: `hazetrace demo --out out` runs the whole chain on the embedded northern-Thailand sample.',
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

export function commandHelp(spec: CommandSpec): string {
  const opts = { ...spec.options, ...COMMON_OPTIONS };
  const rows = Object.entries(opts).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' VALUE' : ''}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : '';
    return [flag, o.help + def] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length));
  return [
    `hazetrace ${spec.name}: ${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    ...(spec.details ? ['', spec.details] : []),
    '',
    'Options:',
    ...rows.map(([f, h]) => `  ${f.padEnd(w)}  ${h}`),
    '',
    spec.examples.length > 1 ? 'Examples:' : 'Example:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
    EXIT_CODES_HELP,
  ].join('\n');
}

/**
 * Edit distance between two option names (insertions, deletions, substitutions and swaps of
 * neighbouring letters each cost 1), for "did you mean" suggestions.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The known option names closest to `name`: a prefix match in either direction (`--hot` → `--hotspots`,
 * `--hotspots-file` → `--hotspots`), else the names within a small edit distance (1 for short names,
 * up to a third of the length for long ones). Best first; empty when nothing is close.
 */
export function suggestOptions(name: string, known: readonly string[]): string[] {
  const n = name.toLowerCase();
  const scored: { k: string; score: number }[] = [];
  for (const k of known) {
    const dist = editDistance(n, k);
    const limit = Math.max(1, Math.floor(Math.max(n.length, k.length) / 3));
    if (dist <= limit) scored.push({ k, score: dist });
    else if (n.length >= 3 && (k.startsWith(n) || n.startsWith(k))) scored.push({ k, score: limit + Math.abs(k.length - n.length) / 100 });
  }
  scored.sort((a, b) => a.score - b.score || a.k.localeCompare(b.k));
  const best = scored[0]?.score;
  return scored.filter((s) => best !== undefined && s.score <= best + 1e-9).map((s) => s.k);
}

/**
 * Reject options the command does not know before node:util sees them, with a suggestion:
 * "unknown option --hotspot; did you mean --hotspots?" (exit 2). Values of string options and
 * everything after `--` are not options, so they are never checked.
 */
function checkKnownOptions(command: string, args: string[], options: CommandSpec['options']): void {
  const { tokens } = parseArgs({
    args,
    options: Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}) }])) as NonNullable<ParseArgsConfig['options']>,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const names = Object.keys(options);
  const shorts = new Map(Object.entries(options).flatMap(([k, o]) => (o.short ? [[o.short, k] as const] : [])));
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    if (t.rawName.startsWith('--') ? names.includes(t.name) : shorts.has(t.name)) continue;
    const near = suggestOptions(t.name, names);
    const raw = t.rawName.startsWith('--') ? t.rawName : `-${t.name}`;
    throw usageError(
      `unknown option ${raw}${near.length ? `; did you mean ${near.map((k) => '--' + k).join(' or ')}?` : ''}`,
      `hazetrace ${command}`,
      `see \`hazetrace ${command} --help\` for its options`,
    );
  }
}

/**
 * A usage error that came from a library argument (`weights.nope`, `options.res`) names the command's
 * option instead when one matches (`--weights`, `--res`; camelCase → kebab-case).
 */
function withOptionName(e: unknown, options: CommandSpec['options']): unknown {
  if (!(e instanceof CliError) || e.where !== undefined || e.argument === undefined) return e;
  const head = libraryArgumentHead(e.argument);
  const kebab = head.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  const where = kebab in options ? `--${kebab}` : `the options of this command (library argument ${e.argument})`;
  return new CliError(e.exitCode, e.message, { where, ...(e.hint === undefined ? {} : { hint: e.hint }), cause: e.cause });
}

/** Run the CLI with `argv` (without `node` and the script). Returns the exit code. */
export async function run(argv: string[], streams: CliStreams, cwd: string): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const sub = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    streams.stdout.write((sub ? commandHelp(sub) : mainHelp()) + '\n');
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    streams.stdout.write(VERSION + '\n');
    return EXIT.OK;
  }
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) {
    const names = COMMANDS.map((c) => c.name);
    const close = suggestOptions(name, names);
    const near = close.length ? close : names.filter((c) => c.startsWith(name.slice(0, 2)));
    const e = usageError(
      `unknown command ${JSON.stringify(name)}`,
      'the first argument',
      `use one of: ${COMMANDS.map((c) => c.name).join(', ')}${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}; see \`hazetrace --help\``,
    );
    streams.stderr.write(describeError('', e).text + '\n');
    return EXIT.USAGE;
  }
  try {
    const options = { ...spec.options, ...COMMON_OPTIONS };
    checkKnownOptions(spec.name, rest, options);
    let parsed;
    try {
      parsed = parseArgs({
        args: rest,
        options: Object.fromEntries(
          Object.entries(options).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.default !== undefined ? { default: o.default } : {}) }]),
        ) as NonNullable<ParseArgsConfig['options']>,
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      // node:util reports unknown options and missing values with ERR_PARSE_ARGS_* codes.
      throw usageError(e instanceof Error ? e.message : String(e), `hazetrace ${spec.name}`, `see \`hazetrace ${spec.name} --help\``);
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    if (values.help) {
      streams.stdout.write(commandHelp(spec) + '\n');
      return EXIT.OK;
    }
    if (!spec.positionals && parsed.positionals.length > 0) {
      throw usageError(`unexpected argument ${JSON.stringify(parsed.positionals[0])}`, `hazetrace ${spec.name}`, `options take the form --name VALUE; see \`hazetrace ${spec.name} --help\``);
    }
    const info: RunInfo = { command: spec.name, outDirs: [] };
    Object.defineProperty(values, RUN_INFO, { value: info, enumerable: false });
    const json = values.json === true;
    const watching = !json && streams.stdout.isTTY === true && streams.stderr.isTTY === true;
    try {
      await spec.run({
        values,
        positionals: parsed.positionals,
        streams,
        json,
        progress: new Progress(watching ? streams.stderr : null),
        cwd,
      });
      // Output files are written in the background: the run succeeds only once they are all in place.
      await settleRun(info);
    } catch (e) {
      await finishRun(info, `failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      throw e;
    }
    await finishRun(info, 'complete');
    return EXIT.OK;
  } catch (e) {
    const { text, code } = describeError(spec.name, withOptionName(e, { ...spec.options, ...COMMON_OPTIONS }));
    streams.stderr.write(text + '\n');
    return code;
  }
}

export { CliError };
