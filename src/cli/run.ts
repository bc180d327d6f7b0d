/**
 * The `hazetrace` dispatcher: picks the subcommand, parses its options strictly (unknown options are
 * usage errors, not silently ignored), prints help, and maps every failure to a documented exit code.
 * Kept free of `process.*` so tests can call it in-process with fake streams.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, EXIT, EXIT_CODES_HELP, describeError, usageError, type ExitCode } from './errors.js';
import type { CliStreams, CommandSpec } from './context.js';
import { Progress } from './progress.js';
import { COMMANDS } from './commands/index.js';

export const VERSION = '0.1.0';

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
    const near = COMMANDS.filter((c) => c.name.startsWith(name.slice(0, 2))).map((c) => c.name);
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
    const json = values.json === true;
    const watching = !json && streams.stdout.isTTY === true && streams.stderr.isTTY === true;
    await spec.run({
      values,
      positionals: parsed.positionals,
      streams,
      json,
      progress: new Progress(watching ? streams.stderr : null),
      cwd,
    });
    return EXIT.OK;
  } catch (e) {
    const { text, code } = describeError(spec.name, e);
    streams.stderr.write(text + '\n');
    return code;
  }
}

export { CliError };
