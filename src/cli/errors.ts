/**
 * CLI exit codes and the error type the command layer throws. Distinct codes let scripts tell
 * "you called it wrong" from "your file is wrong" from "hazetrace is wrong" without parsing text.
 */
import { HazetraceError } from '../core/index.js';

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
  constructor(exitCode: ExitCode, message: string, opts: { where?: string; hint?: string; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.where = opts.where;
    this.hint = opts.hint;
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
 * Run `fn` (which reads or parses the input named `where`) and turn library errors about the data into
 * exit-code-3 errors naming the file, so "row 12: latitude 123 out of range" is reported against its file.
 */
export async function withInput<T>(where: string, fn: () => T | Promise<T>, hint?: string): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof HazetraceError) {
      throw inputError(`${e.message} [${e.code}]`, where, hint ?? 'check the file against the format in `hazetrace <command> --help`', e);
    }
    if (e instanceof SyntaxError) throw inputError(`could not parse: ${e.message}`, where, hint ?? 'is this the right file?', e);
    throw e;
  }
}

/** Format an error for stderr and pick its exit code. */
export function describeError(command: string, e: unknown): { text: string; code: ExitCode } {
  const prefix = `hazetrace${command ? ' ' + command : ''}: error:`;
  if (e instanceof CliError) {
    const lines = [`${prefix} ${e.message}`];
    if (e.where) lines.push(`  where: ${e.where}`);
    if (e.hint) lines.push(`  how to fix: ${e.hint}`);
    return { text: lines.join('\n'), code: e.exitCode };
  }
  if (e instanceof HazetraceError) {
    // A library error that escaped the input wrappers: the arguments we passed were bad, which we
    // treat as bad usage when it names an argument, otherwise as bad input.
    const code = e.code === 'E_ARG' ? EXIT.USAGE : EXIT.INPUT;
    return {
      text: `${prefix} ${e.message} [${e.code}]\n  how to fix: check the options (see \`hazetrace ${command || '<command>'} --help\`)`,
      code,
    };
  }
  const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return {
    text: `${prefix} internal error: ${msg}\n  this is a bug in hazetrace; please report it with the command line you ran`,
    code: EXIT.INTERNAL,
  };
}
