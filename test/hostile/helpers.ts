/**
 * Shared helpers for the hostile-input corpus (test/hostile/*.test.ts). Import only; the api-garbage
 * helper owns this file.
 *
 * - `expectHazetraceError(fn, code)`: `fn` (sync, or returning a promise) must throw/reject a
 *   `HazetraceError` with exactly `code`; returns the error for further checks (message, details).
 * - `outcomeOf(fn)`: run `fn` and classify the result as `returned`, `hazetrace` (with the code) or
 *   `other` (any other exception: TypeError, RangeError, a bare string, a timeout of an async call).
 * - `GARBAGE`: the named garbage values the API sweep feeds to every export.
 */
import { expect } from 'vitest';
import { ERROR_CODES, HazetraceError } from '../../src/core/errors.js';

/** One classified outcome of a call. */
export type Outcome =
  | { kind: 'returned'; value: unknown }
  | { kind: 'hazetrace'; code: string; message: string }
  | { kind: 'other'; name: string; message: string };

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

function classifyError(e: unknown): Outcome {
  if (e instanceof HazetraceError && Object.prototype.hasOwnProperty.call(ERROR_CODES, e.code)) {
    return { kind: 'hazetrace', code: e.code, message: e.message };
  }
  if (e instanceof Error) return { kind: 'other', name: e.name, message: e.message };
  return { kind: 'other', name: `thrown ${typeof e}`, message: String(e) };
}

/**
 * Run `fn` and classify what happens. A returned promise is awaited (up to `timeoutMs`, after which the
 * outcome is `other` with name `Timeout`).
 */
export async function outcomeOf(fn: () => unknown, timeoutMs = 10_000): Promise<Outcome> {
  let value: unknown;
  try {
    value = fn();
  } catch (e) {
    return classifyError(e);
  }
  if (!isThenable(value)) return { kind: 'returned', value };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const settled = await Promise.race([
      Promise.resolve(value).then((v) => ({ ok: true as const, v })),
      new Promise<{ ok: false }>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false }), timeoutMs);
      }),
    ]);
    if (!settled.ok) return { kind: 'other', name: 'Timeout', message: `promise did not settle within ${timeoutMs} ms` };
    return { kind: 'returned', value: settled.v };
  } catch (e) {
    return classifyError(e);
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** What a call did: returned `value`, or threw `error`. */
interface Settled {
  threw: boolean;
  value?: unknown;
  error?: unknown;
}

function settleSync(fn: () => unknown): Settled {
  try {
    return { threw: false, value: fn() };
  } catch (error) {
    return { threw: true, error };
  }
}

/** The one assertion both variants below make: the call threw a `HazetraceError` with `code`. */
function assertHazetraceError(o: Settled, code: keyof typeof ERROR_CODES): HazetraceError {
  expect(o.threw, `expected HazetraceError ${code}, but the call returned ${describe(o.value)}`).toBe(true);
  expect(o.error, `expected HazetraceError ${code}, got ${describe(o.error)}`).toBeInstanceOf(HazetraceError);
  expect((o.error as HazetraceError).code).toBe(code);
  return o.error as HazetraceError;
}

/**
 * Assert that `fn` throws (or its promise rejects with) a `HazetraceError` whose code is `code`.
 * Returns the error so a test can also check the message or details.
 */
export async function expectHazetraceError(fn: () => unknown, code: keyof typeof ERROR_CODES): Promise<HazetraceError> {
  let o = settleSync(fn);
  if (!o.threw && isThenable(o.value)) {
    const pending = o.value;
    try {
      o = { threw: false, value: await pending };
    } catch (error) {
      o = { threw: true, error };
    }
  }
  return assertHazetraceError(o, code);
}

/** Synchronous variant of {@link expectHazetraceError} for calls that must fail before returning. */
export function expectHazetraceErrorSync(fn: () => unknown, code: keyof typeof ERROR_CODES): HazetraceError {
  return assertHazetraceError(settleSync(fn), code);
}

function describe(v: unknown): string {
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.slice(0, 200);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** A 2,000-deep nested object `{ a: { a: … } }` (a stack-overflow probe for recursive walkers). */
export function deepObject(depth = 2000): Record<string, unknown> {
  let o: Record<string, unknown> = { a: 1 };
  for (let i = 0; i < depth; i++) o = i % 2 === 0 ? { a: o, type: 'Feature' } : { type: 'FeatureCollection', features: [o] };
  return o;
}

/**
 * An options object whose every common option name holds a value of the wrong type (strings for
 * numbers, numbers for strings, objects for functions and arrays).
 */
export function wrongTypeOptions(): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of ['res', 'hours', 'seed', 'stepMinutes', 'lat', 'lng', 'time', 'start', 'end', 'k', 'n', 'workers', 'radiusKm', 'threshold', 'weights', 'thresholds', 'minCount', 'members', 'signal', 'utcOffset', 'u', 'v', 'level', 'maxCells', 'days']) {
    o[k] = 'x';
  }
  for (const k of ['format', 'agg', 'mode', 'method', 'units', 'dateOrder', 'timeBasis', 'name', 'path', 'id']) o[k] = 42;
  for (const k of ['cells', 'points', 'values', 'features', 'rows', 'stations', 'trajectories', 'sources', 'series', 'observations', 'starts']) o[k] = 7;
  return o;
}

/** The named garbage values fed to every export by test/hostile/api-garbage.test.ts. */
export const GARBAGE: ReadonlyArray<readonly [string, () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['{}', () => ({})],
  ['[]', () => []],
  ["'x'", () => 'x'],
  ['NaN', () => NaN],
  ['-1', () => -1],
  ['1e400', () => 1e400],
  ['Symbol', () => Symbol('garbage')],
  ['deep object', () => deepObject()],
  ['wrong-type options', () => wrongTypeOptions()],
];

/** The code of the HazetraceError `fn` throws, 'not a HazetraceError' for any other throw, undefined when it returns. */
export function errorCodeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof HazetraceError ? e.code : 'not a HazetraceError';
  }
  return undefined;
}
