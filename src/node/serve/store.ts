/**
 * Persistence of the live state in a directory: an append-only log of increments (one file per version, each
 * written to a temporary name, fsynced and renamed, so a file either holds a whole increment or does not exist)
 * and an atomic snapshot of the derived attribution. One writer holds `writer.lock`; any number of readers may
 * open the same directory read-only and follow the log.
 *
 *   DIR/increments/0000000007.hotspots   first line: JSON header; then the raw body bytes
 *   DIR/snapshot.json                    { format, version, calibration, episodes, warnings }
 *   DIR/writer.lock                      pid of the writer
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive } from '../pid.js';
import { HazetraceError } from '../../core/index.js';
import type { IncrementKind } from './state.js';
import { checkShape, checkString } from '../../core/check.js';

const KINDS = new Set<IncrementKind>(['hotspots', 'pm25', 'stations', 'wind', 'areas', 'recompute']);

/** One stored increment. */
export interface StoredIncrement {
  version: number;
  kind: IncrementKind;
  body: Uint8Array;
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The state directory of `hazetrace serve --state DIR`.
 *
 * @example
 * ```ts
 * import { StateStore } from 'hazetrace/node';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const store = new StateStore(mkdtempSync(join(tmpdir(), 'ht-')), { readOnly: false });
 * await store.append(1, 'recompute', new Uint8Array());
 * store.increments(0).length; // 1
 * store.release();
 * ```
 */
export class StateStore {
  readonly dir: string;
  readonly readOnly: boolean;
  private locked = false;
  /** Test-only fault injection: pause this long (ms) between the two halves of an increment write. */
  private readonly pauseMs: number;

  constructor(dir: string, options: { readOnly: boolean; pauseMidWriteMs?: number }) {
    checkString('dir', dir);
    checkShape('options', options, { readOnly: 'boolean?' });
    this.dir = dir;
    this.readOnly = options.readOnly;
    this.pauseMs = options.pauseMidWriteMs ?? 0;
    const inc = join(dir, 'increments');
    if (this.readOnly) {
      if (!existsSync(inc)) throw new HazetraceError('E_NOT_FOUND', `no state in ${dir} (no increments/ folder); start one writer on it first`, { path: dir });
      return;
    }
    mkdirSync(inc, { recursive: true });
    const lock = join(dir, 'writer.lock');
    if (existsSync(lock)) {
      const pid = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid <= 0x7fffffff && pid !== process.pid && isPidAlive(pid)) {
        throw new HazetraceError('E_IO', `state directory ${dir} is held by writer pid ${pid}; serve it read-only (--read-only) or stop that writer`, { path: dir, pid });
      }
      rmSync(lock, { force: true }); // stale: its writer is gone (e.g. killed)
    }
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    this.locked = true;
    // Leftovers of a write that was cut off: never part of the state.
    for (const n of readdirSync(inc)) if (n.startsWith('.tmp-')) rmSync(join(inc, n), { force: true });
    for (const n of readdirSync(dir)) if (n.startsWith('.tmp-')) rmSync(join(dir, n), { force: true });
  }

  /** Stored increments with a version above `after`, in order. */
  increments(after: number): StoredIncrement[] {
    const inc = join(this.dir, 'increments');
    const out: StoredIncrement[] = [];
    for (const n of readdirSync(inc).sort()) {
      const m = /^(\d{10})\.([a-z0-9]+)$/.exec(n);
      if (!m) continue;
      const version = Number(m[1]);
      const kind = m[2] as IncrementKind;
      if (version <= after || !KINDS.has(kind)) continue;
      const bytes = readFileSync(join(inc, n));
      const nl = bytes.indexOf(10);
      out.push({ version, kind, body: new Uint8Array(bytes.buffer, bytes.byteOffset + nl + 1, bytes.length - nl - 1) });
    }
    return out;
  }

  /** Write `body` as increment `version`: temp file, fsync, rename, fsync the folder. */
  async append(version: number, kind: IncrementKind, body: Uint8Array): Promise<void> {
    if (this.readOnly) throw new HazetraceError('E_IO', 'this instance serves its state directory read-only', { path: this.dir });
    const inc = join(this.dir, 'increments');
    const name = `${String(version).padStart(10, '0')}.${kind}`;
    const tmp = join(inc, `.tmp-${name}-${process.pid}`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify({ version, kind, at: new Date().toISOString(), bytes: body.length }) + '\n');
      const half = body.length >> 1;
      writeSync(fd, body, 0, half);
      if (this.pauseMs > 0) await sleep(this.pauseMs);
      writeSync(fd, body, half, body.length - half);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(inc, name));
    fsyncDir(inc);
  }

  /** Replace snapshot.json atomically (temp, fsync, rename). */
  writeSnapshot(snapshot: object): void {
    if (this.readOnly) return;
    const tmp = join(this.dir, `.tmp-snapshot-${process.pid}.json`);
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify({ format: 1, ...snapshot }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, 'snapshot.json'));
    fsyncDir(this.dir);
  }

  /** The snapshot, or null when there is none (or it does not parse). */
  readSnapshot(): ({ version: number } & Record<string, unknown>) | null {
    const p = join(this.dir, 'snapshot.json');
    if (!existsSync(p)) return null;
    try {
      const s = JSON.parse(readFileSync(p, 'utf8')) as { format?: number; version?: number };
      return s.format === 1 && typeof s.version === 'number' ? (s as { version: number } & Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  /** Drop the writer lock (graceful shutdown). */
  release(): void {
    if (this.locked) rmSync(join(this.dir, 'writer.lock'), { force: true });
    this.locked = false;
  }
}
