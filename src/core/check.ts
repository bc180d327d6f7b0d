/**
 * Argument checks for the heads of exported functions (internal: not re-exported). One home for the
 * boundary validation of issue 17 item 4: an exported function checks its arguments with these and
 * throws `HazetraceError` `E_ARG` naming the argument; internal hot loops do not re-check.
 * The public numeric checkers (`checkFinite`, `checkInt`, `checkPositive`) live in errors.ts.
 */
import { argError, HazetraceError } from './errors.js';

/** What a value must be, for {@link checkShape}; a trailing `?` also allows `undefined`. */
export type ValueKind = 'object' | 'array' | 'arrayLike' | 'iterable' | 'number' | 'finite' | 'string' | 'function' | 'boolean' | 'any';

const EXPECTED: Record<ValueKind, string> = {
  object: 'an object',
  array: 'an array',
  arrayLike: 'an array or typed array',
  iterable: 'an array or other iterable',
  number: 'a number',
  finite: 'a finite number',
  string: 'a string',
  function: 'a function',
  boolean: 'a boolean',
  any: 'defined',
};

/** Whether `value` is of `kind` (no throw). */
export function isKind(kind: ValueKind, value: unknown): boolean {
  switch (kind) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'arrayLike':
      return (
        Array.isArray(value) ||
        (ArrayBuffer.isView(value) && !(value instanceof DataView)) ||
        (typeof value === 'object' && value !== null && typeof (value as { length?: unknown }).length === 'number' && Number.isInteger((value as { length: number }).length) && (value as { length: number }).length >= 0)
      );
    case 'iterable':
      return typeof value === 'object' && value !== null && typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
    case 'number':
      return typeof value === 'number';
    case 'finite':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'function':
      return typeof value === 'function';
    case 'boolean':
      return typeof value === 'boolean';
    case 'any':
      return value !== undefined;
  }
}

function check(argument: string, value: unknown, kind: ValueKind): void {
  if (!isKind(kind, value)) throw argError(argument, value, EXPECTED[kind]);
}

/** Assert `value` is a non-null, non-array object; returns it. */
export function checkObject<T = Record<string, unknown>>(argument: string, value: unknown): T {
  check(argument, value, 'object');
  return value as T;
}

/** Assert `value` is `undefined` (then returns `{}`) or an object (returned as is): an options bag. */
export function checkOptions<T extends object>(argument: string, value: T | undefined): T {
  if (value === undefined) return {} as T;
  check(argument, value, 'object');
  return value;
}

/** Assert `value` is an array; returns it. */
export function checkArray<T = unknown>(argument: string, value: unknown): T[] {
  check(argument, value, 'array');
  return value as T[];
}

/** Assert `value` is an array or a typed array (not a string, not a plain object); returns it. */
export function checkArrayLike<T = ArrayLike<number>>(argument: string, value: unknown): T {
  check(argument, value, 'arrayLike');
  return value as T;
}

/** Assert `value` is iterable (array, Set, Map, generator …; not a string); returns it. */
export function checkIterable<T = Iterable<unknown>>(argument: string, value: unknown): T {
  check(argument, value, 'iterable');
  return value as T;
}

/** Assert `value` is a number (NaN allowed: for math helpers that propagate NaN); returns it. */
export function checkNumber(argument: string, value: unknown): number {
  check(argument, value, 'number');
  return value as number;
}

/** Assert every value is a number (NaN allowed); `names[i]` names `values[i]`. */
export function checkNumbers(names: readonly string[], values: readonly unknown[]): void {
  for (let i = 0; i < names.length; i++) if (typeof values[i] !== 'number') throw argError(names[i]!, values[i], 'a number');
}

/** Assert `value` is a string; returns it. */
export function checkString(argument: string, value: unknown): string {
  check(argument, value, 'string');
  return value as string;
}

/** Assert `value` is a function; returns it. */
export function checkFunction<F extends (...args: never[]) => unknown>(argument: string, value: unknown): F {
  check(argument, value, 'function');
  return value as F;
}

/** Assert `value` is one of `allowed` (compared with `===`); returns it. */
export function checkOneOf<T>(argument: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw argError(argument, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  return value as T;
}

/**
 * Assert `value` is an object whose listed properties are of the listed kinds (`'array'`,
 * `'object?'` …; `?` allows undefined); returns it. The message names `argument.property`.
 * Meant for functions that take a result of another hazetrace call (e.g. an attribution result).
 */
export function checkShape<T>(argument: string, value: unknown, shape: Readonly<Record<string, ValueKind | `${ValueKind}?`>>): T {
  check(argument, value, 'object');
  const o = value as Record<string, unknown>;
  for (const [key, spec] of Object.entries(shape)) {
    const optional = spec.endsWith('?');
    const kind = (optional ? spec.slice(0, -1) : spec) as ValueKind;
    const v = o[key];
    if (optional && v === undefined) continue;
    if (!isKind(kind, v)) throw argError(`${argument}.${key}`, v, EXPECTED[kind]);
  }
  return value as T;
}

/**
 * Assert the items of an array are objects (optionally each with `shape`); checks at most
 * `limit` items (default all) so huge inputs pay a bounded price. Returns the array.
 */
export function checkItems<T>(argument: string, value: unknown, shape?: Readonly<Record<string, ValueKind | `${ValueKind}?`>>, limit = Infinity): T[] {
  check(argument, value, 'array');
  const a = value as unknown[];
  const n = Math.min(a.length, limit);
  for (let i = 0; i < n; i++) {
    if (shape) checkShape(`${argument}[${i}]`, a[i], shape);
    else check(`${argument}[${i}]`, a[i], 'object');
  }
  return a as T[];
}

/** Assert two lengths agree (e.g. values and weights); throws E_ARG naming both. */
export function checkSameLength(a: string, lengthA: number, b: string, lengthB: number): void {
  if (lengthA !== lengthB) {
    throw new HazetraceError('E_ARG', `${a} and ${b} must have the same length, got ${lengthA} and ${lengthB}`, { argument: b, value: lengthB });
  }
}

/**
 * Run `fn`, turning a stack overflow (RangeError: Maximum call stack size exceeded, from
 * pathologically deep nesting) into `E_INPUT` naming `what`.
 */
export function withDepthGuard<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RangeError && e.message.includes('call stack')) {
      throw new HazetraceError('E_INPUT', `${what} is nested too deeply to process`, { argument: what });
    }
    throw e;
  }
}

/**
 * Assert `value` looks like a TrajectorySet (length, offsets, lng, lat, time, receptor, startTime);
 * returns it. Checks the columns' kinds, not every coordinate.
 */
export function checkTrajectorySet<T = import('./types.js').TrajectorySet>(argument: string, value: unknown): T {
  const s = checkShape<Record<string, unknown>>(argument, value, { length: 'number', offsets: 'arrayLike', lng: 'arrayLike', lat: 'arrayLike', time: 'arrayLike', receptor: 'arrayLike', startTime: 'arrayLike' });
  const n = s['length'] as number;
  if (!Number.isInteger(n) || n < 0 || (s['offsets'] as ArrayLike<number>).length < n + 1) {
    throw argError(`${argument}.offsets`, s['offsets'], `length + 1 (${n + 1}) offsets for a set of ${showLength(n)} trajectories`);
  }
  return value as T;
}

const showLength = (n: number): string => (Number.isFinite(n) ? String(n) : 'a non-finite number of');

/**
 * Assert a columnar table: `value.length` is a non-negative integer and each listed column is an array
 * or typed array of exactly that length (a short column would otherwise read as `undefined` rows).
 */
export function checkColumns<T>(argument: string, value: unknown, columns: readonly string[]): T {
  const o = checkObject<Record<string, unknown>>(argument, value);
  const n = o['length'];
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw argError(`${argument}.length`, n, 'a row count (an integer >= 0)');
  for (const c of columns) {
    const col = o[c];
    if (!isKind('arrayLike', col)) throw argError(`${argument}.${c}`, col, `an array of ${n} values`);
    const m = (col as ArrayLike<unknown>).length;
    if (m !== n) throw new HazetraceError('E_ARG', `${argument}.${c} has ${m} values but ${argument}.length is ${n}`, { argument: `${argument}.${c}`, value: m });
  }
  return value as T;
}
