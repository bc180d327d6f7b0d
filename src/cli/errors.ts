/**
 * CLI exit codes and the error type the command layer throws. Distinct codes let scripts tell
 * "you called it wrong" from "your file is wrong" from "hazetrace is wrong" without parsing text.
 */
import { HazetraceError, toIsoUtc } from '../core/index.js';

/** Documented exit codes (README "CLI" and every `--help`). */
export const EXIT = {
  /** Success. */
  OK: 0,
  /** Internal error: a bug in hazetrace (please report it with the command line). */
  INTERNAL: 1,
  /** Bad usage: unknown subcommand or option, missing or malformed option value. */
  USAGE: 2,
  /** Bad input: a file is missing, unreadable, in the wrong format, or holds no usable data. */
  INPUT: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  internal error (a bug in hazetrace: please report it with the command line)
  2  bad usage (unknown subcommand/option, missing or malformed option value)
  3  bad input (file missing, unreadable, wrong format, or no usable data in it)`;

/** An error meant for the person at the terminal: what went wrong, where, and how to fix it. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  /** Where: the option or file involved. */
  readonly where: string | undefined;
  /** How to fix it. */
  readonly hint: string | undefined;
  /** The library argument a usage error came from (e.g. `weights.nope`); run.ts turns it into the option name. */
  readonly argument: string | undefined;
  constructor(exitCode: ExitCode, message: string, opts: { where?: string; hint?: string; cause?: unknown; argument?: string } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.where = opts.where;
    this.hint = opts.hint;
    this.argument = opts.argument;
  }
}

export const usageError = (message: string, where?: string, hint?: string): CliError =>
  new CliError(EXIT.USAGE, message, { ...(where === undefined ? {} : { where }), ...(hint === undefined ? {} : { hint }) });

export const inputError = (message: string, where?: string, hint?: string, cause?: unknown): CliError =>
  new CliError(EXIT.INPUT, message, {
    ...(where === undefined ? {} : { where }),
    ...(hint === undefined ? {} : { hint }),
    ...(cause === undefined ? {} : { cause }),
  });

/**
 * Run `fn` (which reads or parses the input named `where`) and turn library errors into CLI errors:
 * errors about the data become exit-code-3 errors naming the file ("row 12: latitude 123 out of range");
 * errors about an argument (`E_ARG`) or a size limit (`E_BUDGET`) come from the options, so they are usage
 * errors (exit 2) naming the option: `args` maps the library argument's first part to the option
 * (e.g. `{ values: '--agg' }`), otherwise run.ts matches it against the command's option names.
 */
export async function withInput<T>(where: string, fn: () => T | Promise<T>, hint?: string, args?: Record<string, string>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof HazetraceError) {
      if (e.code === 'E_ARG' || e.code === 'E_BUDGET') {
        const argument = typeof e.details?.['argument'] === 'string' ? (e.details['argument'] as string) : undefined;
        const mapped = argument === undefined ? undefined : args?.[libraryArgumentHead(argument)];
        throw new CliError(EXIT.USAGE, `${e.message} [${e.code}]`, {
          ...(mapped ? { where: mapped } : {}),
          ...(argument !== undefined && !mapped ? { argument } : {}),
          hint: e.code === 'E_BUDGET' ? 'use a coarser --res (each step down has ~7x fewer cells) or raise the limit' : 'check the options; see `hazetrace <command> --help`',
          cause: e,
        });
      }
      throw inputError(`${e.message} [${e.code}]`, where, hint ?? 'check the file against the input formats in `hazetrace <command> --help`', e);
    }
    if (e instanceof SyntaxError) throw inputError(`could not parse: ${e.message}`, where, hint ?? 'is this the right file?', e);
    throw e;
  }
}

/** `options.weights.nope` → `weights`; `starts[3].lng` → `starts`. */
export function libraryArgumentHead(argument: string): string {
  return argument.replace(/^(options|opts)\./, '').split(/[.[]/)[0] ?? argument;
}

/** A 13-digit number in 2001..2100 read as epoch milliseconds. */
const EPOCH_MS = /(?<![\d.])\d{13}(?:\.\d+)?(?!\d)/g;

/**
 * Messages show times as ISO 8601 with their offset, never as epoch milliseconds: library messages that
 * print a raw time (e.g. "time 1745384400000") are rewritten here ("time 2025-04-23T05:00:00Z").
 */
export function isoTimes(text: string): string {
  return text.replace(EPOCH_MS, (m) => {
    const n = Number(m);
    return n >= 978307200000 && n < 4102444800000 ? toIsoUtc(n) : m;
  });
}

/** Fill in the command name where a hint says `<command>`. */
const named = (text: string, command: string): string => text.replace(/hazetrace <command>/g, command ? `hazetrace ${command}` : 'hazetrace');

/** Format an error for stderr and pick its exit code. */
export function describeError(command: string, e: unknown): { text: string; code: ExitCode } {
  const prefix = `hazetrace${command ? ' ' + command : ''}: error:`;
  if (e instanceof CliError) {
    const lines = [`${prefix} ${isoTimes(e.message)}`];
    if (e.where) lines.push(`  where: ${e.where}`);
    if (e.hint) lines.push(`  how to fix: ${named(e.hint, command)}`);
    return { text: lines.join('\n'), code: e.exitCode };
  }
  if (e instanceof HazetraceError) {
    // A library error that escaped the input wrappers: bad arguments and size limits come from the
    // options (usage), anything else from the data (bad input).
    const code = e.code === 'E_ARG' || e.code === 'E_BUDGET' ? EXIT.USAGE : EXIT.INPUT;
    return {
      text: `${prefix} ${isoTimes(e.message)} [${e.code}]\n  how to fix: ${code === EXIT.USAGE ? 'check the options' : 'check the input files'} (see \`${named('hazetrace <command>', command)} --help\`)`,
      code,
    };
  }
  const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return {
    text: `${prefix} internal error: ${msg}\n  this is a bug in hazetrace; please report it with the command line you ran`,
    code: EXIT.INTERNAL,
  };
}
