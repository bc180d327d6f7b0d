/** Options and files for the CLI: typed option values, reading inputs and writing --out, every failure naming the option, the path and what to do about it. */
import { readFileSync, statSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { resolve, extname } from 'node:path';
import { parseLocalTime, parseUtcOffset } from '../core/index.js';
import { inputError, usageError } from './errors.js';

/** The value of a required string option, or a usage error naming it. */
export function requireOption(values: Record<string, string | boolean | undefined>, name: string, what: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') {
    throw usageError(`missing --${name} (${what})`, `--${name}`, `pass --${name} PATH; see --help for the format`);
  }
  return v;
}

/** An optional string option. */
export function optionalOption(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Parse a numeric option with bounds; usage error otherwise. */
export function numberOption(
  values: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number,
  check: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const raw = values[name];
  if (raw === undefined || raw === false) return fallback;
  const n = Number(raw);
  const bad =
    typeof raw !== 'string' ||
    raw.trim() === '' ||
    !Number.isFinite(n) ||
    (check.integer === true && !Number.isInteger(n)) ||
    (check.min !== undefined && n < check.min) ||
    (check.max !== undefined && n > check.max);
  if (bad) {
    const kind = check.integer ? 'an integer' : 'a number';
    const range =
      check.min !== undefined && check.max !== undefined
        ? `${kind} in ${check.min}..${check.max}`
        : check.min !== undefined
          ? `${kind} >= ${check.min}`
          : check.max !== undefined
            ? `${kind} <= ${check.max}`
            : kind;
    throw usageError(`--${name} must be ${range}, got ${JSON.stringify(raw)}`, `--${name}`, `e.g. --${name} ${fallback}`);
  }
  return n;
}

/** Help text shared by every command's `--utc-offset`. */
export const UTC_OFFSET_HELP = 'local clock (+HH:MM) of typed times that carry no offset or Z of their own';

/**
 * `--utc-offset` (default `+07:00`, Thailand): validated here so a bad value is a usage error naming the
 * option. Returns the option text, which the library accepts as `utcOffset`.
 */
export function utcOffsetOption(values: Record<string, string | boolean | undefined>, fallback = '+07:00'): string {
  const raw = optionalOption(values, 'utc-offset') ?? fallback;
  try {
    parseUtcOffset(raw, '--utc-offset');
  } catch {
    throw usageError(`--utc-offset must be like +07:00, -05:30 or Z, got ${JSON.stringify(raw)}`, '--utc-offset', 'e.g. --utc-offset +07:00 (write --utc-offset=-05:00 for a negative offset)');
  }
  return raw;
}

/**
 * A time a person typed for `--name`, read in `utcOffset` unless it ends in Z or its own offset
 * (`2025-04-23 12:00`, `2025-04-23T05:00Z`); usage error naming the option otherwise.
 */
export function timeOption(name: string, text: string, utcOffset: string): number {
  const t = parseLocalTime(text, utcOffset);
  if (!Number.isFinite(t)) {
    throw usageError(`--${name} ${JSON.stringify(text)} is not an ISO 8601 time`, `--${name}`, `e.g. --${name} "2025-04-23 12:00" (read in --utc-offset) or --${name} 2025-04-23T05:00Z`);
  }
  return t;
}

/** Size in MB with one decimal, for messages. */
export const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;

/** The largest text a JavaScript string can hold (V8: 2²⁹ − 24 characters, ~537 MB of ASCII). */
export const MAX_TEXT_BYTES = bufferConstants.MAX_STRING_LENGTH;

function statOrThrow(option: string, path: string): number {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw inputError(`cannot open ${path}: permission denied`, `--${option}`, 'check the file permissions');
    throw inputError(`file not found: ${path}`, `--${option}`, 'check the path (relative paths are from the current directory)');
  }
  if (st.isDirectory()) throw inputError(`not a file: ${path} is a folder`, `--${option}`, 'pass a file, not a directory');
  if (!st.isFile()) throw inputError(`not a regular file: ${path}`, `--${option}`, 'pass a regular file (not a device, pipe or socket)');
  return st.size;
}

/** An input-read failure as a bad-input error whose hint fits the cause (permissions only when it is permissions). */
function readFailure(option: string, path: string, size: number, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  const msg = e instanceof Error ? e.message : String(e);
  if (code === 'EACCES' || code === 'EPERM') throw inputError(`cannot read ${path}: permission denied`, `--${option}`, 'check the file permissions');
  if (code === 'EISDIR') throw inputError(`not a file: ${path} is a folder`, `--${option}`, 'pass a file, not a directory');
  if (code === 'ERR_STRING_TOO_LONG' || code === 'ERR_FS_FILE_TOO_LARGE' || e instanceof RangeError || code === 'ENOMEM') {
    throw inputError(`${path} is too large to read as one text (${mb(size)})`, `--${option}`, `split it into files under ${mb(MAX_TEXT_BYTES)} (e.g. one per year or region), or filter it to the area and period you need`);
  }
  throw inputError(`cannot read ${path}: ${msg}`, `--${option}`, code === 'EIO' ? 'the disk reported an I/O error; copy the file elsewhere and retry' : 'check that the file is readable');
}

/**
 * Read a text input named by `--option`. Files over {@link MAX_TEXT_BYTES} are refused with their size
 * before any byte is read (a string cannot hold them); CSV inputs go through the streaming readers instead.
 */
export function readText(option: string, path: string, cwd: string): string {
  const p = resolve(cwd, path);
  const size = statOrThrow(option, p);
  if (size > MAX_TEXT_BYTES) {
    throw inputError(`${p} is ${mb(size)}, over the ${mb(MAX_TEXT_BYTES)} a text input can be read whole`, `--${option}`, `split it into files under ${mb(MAX_TEXT_BYTES)} (e.g. one per year or region), or filter it to the area and period you need`);
  }
  try {
    return readFileSync(p, 'utf8');
  } catch (e) {
    readFailure(option, p, size, e);
  }
}

/** Read a binary input (GeoTIFF, NetCDF) as an ArrayBuffer. */
export function readBinary(option: string, path: string, cwd: string): ArrayBuffer {
  const p = resolve(cwd, path);
  const size = statOrThrow(option, p);
  try {
    const b = readFileSync(p);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  } catch (e) {
    readFailure(option, p, size, e);
  }
}

/** Check that `--option PATH` names a readable regular file; returns its absolute path and size. */
export function checkInputFile(option: string, path: string, cwd: string): { path: string; size: number } {
  const p = resolve(cwd, path);
  return { path: p, size: statOrThrow(option, p) };
}

export const extOf = (path: string): string => extname(path).toLowerCase();

export { OutDir } from './out.js';
