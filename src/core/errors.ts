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
  /** Stable error code, e.g. `E_ARG`, `E_INPUT`, `E_BUDGET`, `E_DOMAIN`. */
  readonly code: string;
  /** Optional structured context (argument name, offending value, row …). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
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
  return new HazetraceError('E_ARG', `${argument} must be ${expected}, got ${showValue(value)}`, { argument, value });
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
    throw argError(argument, value, `an integer in ${min}..${max}`);
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
