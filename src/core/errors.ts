/**
 * Every error code hazetrace throws, with what it means: one table, so a caller can switch on
 * `e.code` (typed {@link ErrorCode}) and show `ERROR_CODES[e.code]` as the general meaning beside the
 * specific message. Codes are stable across versions; a new failure mode gets a new code here first.
 * (Row-level codes in a reader's `rejected` list, e.g. `E_COORD`, `E_DATE`, describe one skipped row
 * and are not thrown.)
 *
 * @example
 * ```ts
 * import { ERROR_CODES, HazetraceError, parseUtcOffset } from 'hazetrace';
 * try {
 *   parseUtcOffset('7h');
 * } catch (e) {
 *   if (e instanceof HazetraceError) console.log(e.code, ERROR_CODES[e.code]); // 'E_ARG' 'an argument of a call is invalid ...'
 * }
 * ```
 */
export const ERROR_CODES = {
  E_ARG: 'an argument of a call is invalid: wrong type, out of range, or inconsistent with another argument (the message names it)',
  E_INPUT: 'input data handed to a function is unusable as a whole: wrong geometry, missing property, no usable rows or cells',
  E_FORMAT: 'a file or text is not in the expected format (structure, header, axis, units)',
  E_COLUMNS: 'a table lacks required columns (the message lists them and the header found)',
  E_JSON: 'text that must be JSON does not parse',
  E_BINARY: 'a text input is a binary file, not UTF-8 text',
  E_EMPTY: 'an input is empty',
  E_CRS: 'the coordinate reference system is not supported (GeoJSON must be WGS84; GeoTIFF needs a known EPSG or proj4)',
  E_GEOREF: 'a raster has no usable georeferencing',
  E_DOMAIN: 'a point, time or set is outside where the computation is defined (outside the wind field, at a pole, too few cells)',
  E_BUDGET: 'the work would exceed a size limit set by an option; use a coarser grid or raise the limit',
  E_CONVERGENCE: 'an iterative solver did not converge',
  E_NUMERIC: 'a numerical failure: degenerate design, singular matrix, or no convergence of a fit',
  E_UNAVAILABLE: 'a requested engine or feature is not available here',
  E_ABORTED: 'the operation was aborted through its AbortSignal',
  E_TIMEOUT: 'an operation did not finish within its time limit',
  E_NOT_FOUND: 'hazetrace/node: the file does not exist',
  E_IO: 'hazetrace/node: the file cannot be read or written',
  E_STATE: 'hazetrace/node: a trace worker was asked about a wind field it does not hold (a pool bug)',
  E_WORKER: 'hazetrace/node: a trace worker failed with an error that was not a HazetraceError',
} as const satisfies Record<`E_${string}`, string>;

/**
 * A stable error code: one key of {@link ERROR_CODES}.
 *
 * @example
 * ```ts
 * import type { ErrorCode } from 'hazetrace';
 * const code: ErrorCode = 'E_ARG';
 * ```
 */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The one error class hazetrace throws. `code` is a stable, machine-readable
 * string (switch on it, don't parse messages); the message names the argument
 * and shows the bad value so a notebook user sees what to fix.
 *
 * @example
 * ```ts
 * import { HazetraceError } from 'hazetrace';
 * try {
 *   throw new HazetraceError('E_ARG', 'res must be an integer in 0..15, got 16', { argument: 'res', value: 16 });
 * } catch (e) {
 *   if (e instanceof HazetraceError) console.log(e.code); // 'E_ARG'
 * }
 * ```
 */
export class HazetraceError extends Error {
  /** Stable error code, e.g. `E_ARG`, `E_INPUT`, `E_BUDGET`, `E_DOMAIN`: one of {@link ERROR_CODES}. */
  readonly code: ErrorCode;
  /** Optional structured context (argument name, offending value, row …). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(typeof message === 'string' ? message : String(message));
    this.name = 'HazetraceError';
    this.code = code;
    this.details = details;
  }
}

/**
 * Render a value for an error message: short, unambiguous (strings quoted, NaN visible).
 *
 * @example
 * ```ts
 * import { showValue } from 'hazetrace';
 * showValue('35T'); // '"35T"'
 * showValue(NaN); // 'NaN'
 * ```
 */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? value.slice(0, 77) + '...' : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'symbol') return value.toString();
  if (Array.isArray(value)) return `array(length ${value.length})`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(length ${(value as unknown as { length: number }).length})`;
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Throw an `E_ARG` HazetraceError naming `argument` and its bad `value`.
 *
 * @example
 * ```ts
 * import { argError } from 'hazetrace';
 * const e = argError('hours', -3, 'a positive number'); // message: hours must be a positive number, got -3
 * ```
 */
export function argError(argument: string, value: unknown, expected: string): HazetraceError {
  return new HazetraceError('E_ARG', `${String(argument)} must be ${String(expected)}, got ${showValue(value)}`, { argument, value });
}

/**
 * Assert `value` is a finite number; returns it. Throws `E_ARG` naming the argument otherwise.
 *
 * @example
 * ```ts
 * import { checkFinite } from 'hazetrace';
 * checkFinite('lat', 18.79); // 18.79
 * // checkFinite('lat', NaN) throws: lat must be a finite number, got NaN
 * ```
 */
export function checkFinite(argument: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw argError(argument, value, 'a finite number');
  return value;
}

/**
 * Assert `value` is an integer in `[min, max]`; returns it. Throws `E_ARG` naming the argument otherwise.
 *
 * @example
 * ```ts
 * import { checkInt } from 'hazetrace';
 * checkInt('res', 7, 0, 15); // 7
 * ```
 */
export function checkInt(argument: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw argError(argument, value, `an integer in ${String(min)}..${String(max)}`);
  }
  return value;
}

/**
 * Assert `value` is a finite number `> 0` (or `>= 0` when `allowZero`); returns it.
 *
 * @example
 * ```ts
 * import { checkPositive } from 'hazetrace';
 * checkPositive('hours', 72); // 72
 * checkPositive('speed', 0, true); // 0
 * ```
 */
export function checkPositive(argument: string, value: unknown, allowZero = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw argError(argument, value, allowZero ? 'a finite number >= 0' : 'a finite number > 0');
  }
  return value;
}
