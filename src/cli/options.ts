/** Options and files for the CLI: typed option values, reading inputs and writing --out, every failure naming the option, the path and what to do about it. */
import { closeSync, openSync, readFileSync, mkdirSync, writeSync, statSync } from 'node:fs';
import { resolve, join, extname } from 'node:path';
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

function statOrThrow(option: string, path: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw inputError(`file not found: ${path}`, `--${option}`, 'check the path (relative paths are from the current directory)');
  }
  if (!st.isFile()) throw inputError(`not a file: ${path}`, `--${option}`, 'pass a file, not a directory');
}

/** Read a text input named by `--option`. */
export function readText(option: string, path: string, cwd: string): string {
  const p = resolve(cwd, path);
  statOrThrow(option, p);
  try {
    return readFileSync(p, 'utf8');
  } catch (e) {
    throw inputError(`cannot read ${p}: ${(e as Error).message}`, `--${option}`, 'check the file permissions');
  }
}

/** Read a binary input (GeoTIFF, NetCDF) as an ArrayBuffer. */
export function readBinary(option: string, path: string, cwd: string): ArrayBuffer {
  const p = resolve(cwd, path);
  statOrThrow(option, p);
  const b = readFileSync(p);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export const extOf = (path: string): string => extname(path).toLowerCase();

/** Output folder: created on first write; writes are tracked so the summary can list them. */
export class OutDir {
  readonly dir: string | undefined;
  readonly written: string[] = [];
  constructor(values: Record<string, string | boolean | undefined>, cwd: string, fallback?: string) {
    const v = optionalOption(values, 'out') ?? fallback;
    this.dir = v === undefined ? undefined : resolve(cwd, v);
  }
  /** Whether there is a folder to write to (no `--out` and no fallback: nothing is written). */
  get enabled(): boolean {
    return this.dir !== undefined;
  }
  write(name: string, content: string | Uint8Array): string | undefined {
    return this.writeChunks(name, [content]);
  }
  /**
   * Write a file chunk by chunk. Large outputs (a season's trajectories are ~10⁷ points) go through
   * this so no single string has to hold the whole file: V8 caps a string at ~2²⁹ characters.
   * The chunks are only produced (the iterable pulled) when there is a folder to write to.
   */
  writeChunks(name: string, chunks: Iterable<string | Uint8Array>): string | undefined {
    if (this.dir === undefined) return undefined;
    let fd: number | undefined;
    try {
      mkdirSync(this.dir, { recursive: true });
      const p = join(this.dir, name);
      fd = openSync(p, 'w');
      for (const c of chunks) {
        if (typeof c === 'string') writeSync(fd, c);
        else writeSync(fd, c);
      }
      this.written.push(p);
      return p;
    } catch (e) {
      // Only file-system failures are the user's folder's fault; anything else (a bug while producing a chunk) stays internal.
      if (!(e instanceof Error) || !('syscall' in e)) throw e;
      throw usageError(`cannot write to --out ${this.dir}: ${(e as Error).message}`, '--out', 'pass a writable folder');
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
