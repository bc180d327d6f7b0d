/**
 * The `--out` folder of a CLI run: every file is complete or absent.
 *
 * - Each file is written to a hidden temporary name in the same folder (`.NAME.PID.N.hazetrace-tmp`)
 *   and renamed to NAME only when its last byte is written, so a reader never sees half a file.
 * - Content is produced lazily: `write(name, () => text)` / `writeChunks(name, () => chunks)` build
 *   nothing when there is no folder to write to, and chunks go to disk as they are made.
 * - The run keeps `manifest.json` up to date: every file with its size and SHA-256, the input files with
 *   theirs, the settings, the hazetrace version, the status and the time it finished.
 * - Files listed in a previous run's manifest in the same folder are removed before the first new file
 *   is written (only those: unknown files of the user are never touched); what was removed is listed.
 * - Temporary files are tracked so SIGINT/SIGTERM (see main.ts) and failures delete them.
 */
import { accessSync, closeSync, constants, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, statSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { toIsoUtc } from '../core/index.js';
import { isPidAlive } from '../node/index.js';
import { usageError } from './errors.js';
import { VERSION } from './version.js';

/** The manifest's file name in `--out`. */
export const MANIFEST = 'manifest.json';

const TEMP_SUFFIX = '.hazetrace-tmp';
const liveTemps = new Set<string>();
let tempCounter = 0;

/** Delete every temporary output file this process still has open (signal handlers, exit). Returns how many. */
export function removeTempFiles(): number {
  let n = 0;
  for (const p of liveTemps) {
    try {
      unlinkSync(p);
      n++;
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
  return n;
}

/** Temporary output files currently being written (for tests). */
export const tempFilesInUse = (): string[] => [...liveTemps];

/** Per-run information run.ts attaches (non-enumerably) to the option values, so every OutDir of a run knows its command. */
export const RUN_INFO: unique symbol = Symbol.for('hazetrace.cli.run');
export interface RunInfo {
  command: string;
  outDirs: OutDir[];
}

type Values = Record<string, string | boolean | undefined>;
type Content = string | Uint8Array;

interface FileEntry {
  name: string;
  bytes: number;
  sha256: string;
}

/** Linux virtual file systems where files cannot be created (and Node's recursive mkdir spins). */
const VIRTUAL_FS: Record<number, string> = { 0x9fa0: 'proc', 0x62656572: 'sysfs', 0x1cd1: 'devpts', 0x64626720: 'debugfs', 0x73636673: 'securityfs', 0x27e0eb: 'cgroup', 0x63677270: 'cgroup2' };

/**
 * Create `dir` (and missing parents) without `mkdirSync({ recursive: true })`, which loops forever on
 * some virtual file systems (`--out /proc/x`). Every failure is a usage error naming --out.
 */
export function ensureOutDir(dir: string): void {
  const missing: string[] = [];
  let d = dir;
  for (let depth = 0; depth < 4096; depth++) {
    let st;
    try {
      st = statSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw usageError(`cannot use --out ${dir}: ${(e as Error).message}`, '--out', 'pass a writable folder');
      if (code === 'ENOTDIR') throw usageError(`cannot use --out ${dir}: a parent of it is a file, not a folder`, '--out', 'pass a folder path');
      missing.unshift(d);
      const up = dirname(d);
      if (up === d) throw usageError(`cannot use --out ${dir}: no existing parent folder`, '--out', 'pass a writable folder');
      d = up;
      continue;
    }
    if (!st.isDirectory()) throw usageError(`cannot use --out ${dir}: ${d} is a file, not a folder`, '--out', 'pass a folder path (it is created if missing)');
    break;
  }
  try {
    const kind = VIRTUAL_FS[Number(statfsSync(d).type)];
    if (kind) throw usageError(`cannot write to --out ${dir}: ${d} is on the ${kind} virtual file system, which holds no ordinary files`, '--out', 'pass a folder on a disk, e.g. --out out');
  } catch (e) {
    if (!(e instanceof Error) || !('syscall' in e)) throw e; // our own usage error
  }
  try {
    accessSync(d, constants.W_OK);
  } catch {
    throw usageError(`cannot write to --out ${dir}: ${d} is not writable`, '--out', 'pass a folder you can write to');
  }
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw usageError(`cannot create --out ${dir}: ${(e as Error).message}`, '--out', 'pass a writable folder');
    }
  }
}

/** SHA-256 and size of a file, read in 1 MiB pieces (inputs can be larger than a string may be). */
export function hashFile(path: string): { bytes: number; sha256: string } {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  const fd = openSync(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      h.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: h.digest('hex') };
}

/** Output folder: created on first write; writes are atomic, tracked, and listed in manifest.json. */
export class OutDir {
  readonly dir: string | undefined;
  /** Absolute paths of the files written so far, in order. */
  readonly written: string[] = [];
  /** Files of an earlier run (listed in its manifest) that this run removed. */
  readonly removedStale: string[] = [];
  private readonly files: FileEntry[] = [];
  private readonly values: Values;
  private readonly cwd: string;
  private readonly run: RunInfo | undefined;
  private prepared = false;
  private inputs: { option: string; path: string; bytes: number; sha256: string }[] | undefined;
  private status: string = 'running';
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = undefined;
  private finishedAt: number | undefined;

  constructor(values: Values, cwd: string, fallback?: string) {
    const v = typeof values['out'] === 'string' && values['out'].trim() !== '' ? values['out'] : fallback;
    this.dir = v === undefined ? undefined : resolve(cwd, v);
    this.values = values;
    this.cwd = cwd;
    this.run = (values as unknown as Record<symbol, RunInfo | undefined>)[RUN_INFO];
    this.run?.outDirs.push(this);
  }

  /** Whether there is a folder to write to (no `--out` and no fallback: nothing is written or built). */
  get enabled(): boolean {
    return this.dir !== undefined;
  }

  /** Write one file; `content` may be a function so nothing is built when there is no folder. */
  write(name: string, content: Content | (() => Content)): string | undefined {
    if (this.dir === undefined) return undefined;
    return this.writeChunks(name, () => [typeof content === 'function' ? content() : content]);
  }

  /**
   * Write a file chunk by chunk (a season's trajectories are ~10⁷ points: no single string has to hold
   * the file). The chunks are only produced (the iterable pulled) when there is a folder to write to.
   *
   * The folder is checked and prepared now (a bad `--out` fails here, before anything is written); the
   * content is written in the background, in order, yielding to the event loop every ~1 MiB so Ctrl-C
   * is handled mid-file. Returns the final path at once; {@link settled} waits for the files (run.ts
   * awaits it before reporting success) and throws the first failure.
   */
  writeChunks(name: string, chunks: Iterable<Content> | (() => Iterable<Content>)): string | undefined {
    if (this.dir === undefined) return undefined;
    if (name !== basename(name) || name === '' || name === '.' || name === '..' || name === MANIFEST) throw new Error(`OutDir: bad output file name ${JSON.stringify(name)}`);
    this.prepare();
    const p = join(this.dir, name);
    if (!this.written.includes(p)) this.written.push(p);
    this.queue = this.queue.then(async () => {
      if (this.failure !== undefined) return;
      try {
        const entry = await this.atomicWrite(name, typeof chunks === 'function' ? chunks() : chunks);
        const i = this.files.findIndex((f) => f.name === name);
        if (i >= 0) this.files.splice(i, 1);
        this.files.push(entry);
        this.writeManifest();
      } catch (e) {
        this.failure = e;
      }
    });
    return p;
  }

  /** Wait until every file asked for so far is written (or one failed: then throw that failure). */
  async settled(): Promise<void> {
    await this.queue;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Mark the run finished (`complete`, or why it failed) and rewrite the manifest; no-op without files. Call after {@link settled}. */
  finish(status: string): void {
    if (this.dir === undefined || !this.prepared) return;
    this.status = status;
    this.finishedAt = Date.now();
    this.writeManifest();
  }

  /** The manifest as an object (what manifest.json holds). */
  manifest(): Record<string, unknown> {
    const settings: Record<string, string | boolean> = {};
    for (const [k, x] of Object.entries(this.values)) if (x !== undefined && k !== 'help') settings[k] = x;
    return {
      hazetrace: VERSION,
      command: this.run?.command ?? null,
      status: this.status,
      finished: this.finishedAt === undefined ? null : toIsoUtc(this.finishedAt),
      files: this.files.map((f) => ({ ...f })),
      inputs: this.inputs ?? [],
      settings,
      removedStale: [...this.removedStale],
    };
  }

  private prepare(): void {
    if (this.prepared || this.dir === undefined) return;
    ensureOutDir(this.dir);
    // Temporary files of earlier runs that died (SIGKILL, power loss): their process is gone.
    for (const f of readdirSync(this.dir)) {
      const m = /^\..+\.(\d+)\.\d+\.hazetrace-tmp$/.exec(f);
      const pid = m ? Number(m[1]) : NaN;
      if (m && pid !== process.pid && (pid < 1 || pid > 0x7fffffff || !isPidAlive(pid))) {
        try {
          unlinkSync(join(this.dir, f));
        } catch {
          // not ours to worry about
        }
      }
    }
    // Files an earlier run listed in its manifest: removed, so nothing from that run looks current.
    let previous: unknown;
    try {
      previous = JSON.parse(readFileSync(join(this.dir, MANIFEST), 'utf8'));
    } catch {
      previous = undefined;
    }
    const prevFiles = (previous as { files?: unknown } | undefined)?.files;
    if (Array.isArray(prevFiles)) {
      for (const f of prevFiles) {
        const name = (f as { name?: unknown })?.name;
        if (typeof name !== 'string' || name !== basename(name) || name === '' || name === '.' || name === '..' || name === MANIFEST) continue;
        const p = join(this.dir, name);
        try {
          if (!statSync(p).isFile()) continue;
          unlinkSync(p);
          this.removedStale.push(name);
        } catch {
          // already gone
        }
      }
    }
    this.inputs = this.hashInputs();
    this.prepared = true;
  }

  /** Every option value (or comma-separated part of one) that names an existing file is an input. */
  private hashInputs(): { option: string; path: string; bytes: number; sha256: string }[] {
    const out: { option: string; path: string; bytes: number; sha256: string }[] = [];
    for (const [k, v] of Object.entries(this.values)) {
      if (typeof v !== 'string' || k === 'out') continue;
      for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
        const p = resolve(this.cwd, part);
        try {
          if (!statSync(p).isFile()) continue;
          out.push({ option: `--${k}`, path: part, ...hashFile(p) });
        } catch {
          // not a file: a plain option value
        }
      }
    }
    return out;
  }

  private async atomicWrite(name: string, chunks: Iterable<Content>): Promise<FileEntry> {
    const dir = this.dir as string;
    const tmp = join(dir, `.${name}.${process.pid}.${++tempCounter}${TEMP_SUFFIX}`);
    const hash = createHash('sha256');
    let bytes = 0;
    let fd: number | undefined;
    try {
      fd = openSync(tmp, 'wx');
      liveTemps.add(tmp);
      // Small strings are gathered into ~1 MiB writes; big chunks go straight through.
      let pending: string[] = [];
      let pendingLen = 0;
      const flush = async (b: Uint8Array): Promise<void> => {
        hash.update(b);
        let off = 0;
        while (off < b.byteLength) off += writeSync(fd as number, b, off, b.byteLength - off);
        bytes += b.byteLength;
        // Let signal handlers (Ctrl-C) and other work run between pieces.
        await new Promise<void>((r) => setImmediate(r));
      };
      for (const c of chunks) {
        if (typeof c === 'string') {
          pending.push(c);
          pendingLen += c.length;
          if (pendingLen >= 1 << 20) {
            await flush(Buffer.from(pending.join(''), 'utf8'));
            pending = [];
            pendingLen = 0;
          }
        } else {
          if (pendingLen) await flush(Buffer.from(pending.join(''), 'utf8'));
          pending = [];
          pendingLen = 0;
          await flush(c);
        }
      }
      if (pendingLen) await flush(Buffer.from(pending.join(''), 'utf8'));
      closeSync(fd);
      fd = undefined;
      renameSync(tmp, join(dir, name));
      liveTemps.delete(tmp);
      this.finishedAt = Date.now();
      return { name, bytes, sha256: hash.digest('hex') };
    } catch (e) {
      if (fd !== undefined) {
        try {
          closeSync(fd);
        } catch {
          // ignore
        }
      }
      try {
        unlinkSync(tmp);
      } catch {
        // never created
      }
      liveTemps.delete(tmp);
      // Only file-system failures are the folder's fault; anything else (a bug while producing a chunk) stays internal.
      if (!(e instanceof Error) || !('syscall' in e)) throw e;
      const code = (e as NodeJS.ErrnoException).code;
      throw usageError(
        `cannot write ${name} to --out ${dir}: ${(e as Error).message}`,
        '--out',
        code === 'ENOSPC' ? 'free some disk space or pass a folder on another disk' : 'pass a writable folder',
      );
    }
  }

  private writeManifest(): void {
    const dir = this.dir as string;
    const text = JSON.stringify(this.manifest(), null, 1) + '\n';
    const tmp = join(dir, `.${MANIFEST}.${process.pid}.${++tempCounter}${TEMP_SUFFIX}`);
    try {
      const fd = openSync(tmp, 'wx');
      liveTemps.add(tmp);
      try {
        writeSync(fd, text);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(dir, MANIFEST));
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // never created
      }
      throw usageError(`cannot write ${MANIFEST} to --out ${dir}: ${(e as Error).message}`, '--out', 'pass a writable folder');
    } finally {
      liveTemps.delete(tmp);
    }
  }
}

/** Wait for every output folder of a run to finish writing; throws the first failure. */
export async function settleRun(info: RunInfo): Promise<void> {
  for (const o of info.outDirs) await o.settled();
}

/** Mark every output folder of a run finished (run.ts calls this once the command and its writes are done or failed). */
export async function finishRun(info: RunInfo, status: string): Promise<void> {
  for (const o of info.outDirs) {
    try {
      await o.settled();
    } catch {
      // reported by settleRun / the command's own error
    }
    try {
      o.finish(status);
    } catch {
      // the folder became unwritable after the files were written: the files are still complete
    }
  }
}
