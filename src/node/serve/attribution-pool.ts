/**
 * The live state's attribution off the event loop: one worker thread (./attribution-worker.ts) that runs
 * `runAttribution` on a copy of the working set, so the server keeps answering /health and layer requests while an
 * increment is attributed. The worker keeps the wind and the trajectory store between runs.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { HazetraceError, type ErrorCode } from '../../core/errors.js';
import type { AttributeSeriesOptions } from '../../attribution/index.js';
import type { RunInputs, RunResult, TrajectoryStoreStats } from './attribution-run.js';
import type { ToWorker } from './attribution-worker.js';

interface Reply {
  id: number;
  ok: boolean;
  result?: RunResult;
  stats?: TrajectoryStoreStats;
  error?: { code?: string; message: string; details?: Record<string, unknown> };
}

function startWorker(port: MessagePort): Worker {
  const opts = { workerData: { port }, transferList: [port] };
  const js = new URL('./attribution-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, opts);
  // From TypeScript sources (tests, tsx): register tsx's loader inside the worker, then load the .ts entry.
  const ts = new URL('./attribution-worker.ts', import.meta.url).href;
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); });`;
  return new Worker(boot, { ...opts, eval: true });
}

/** One attribution worker; restarted on the next run after it died. */
export class AttributionWorker {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private readonly pending = new Map<number, { resolve: (r: RunResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private windSent = -1;
  /** Trajectory-store counters of the last run. */
  lastStats: TrajectoryStoreStats | null = null;

  constructor(
    private readonly statics: Pick<RunInputs, 'regions' | 'repeatBurn' | 'facilities'>,
    private readonly cacheBytes: number,
  ) {}

  private ensure(): MessagePort {
    if (this.port) return this.port;
    const ch = new MessageChannel();
    const w = startWorker(ch.port2);
    const fail = (e: Error): void => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      if (this.worker === w) {
        this.worker = null;
        this.port?.close();
        this.port = null;
        this.windSent = -1;
      }
    };
    w.on('error', (e) => fail(new HazetraceError('E_WORKER', `attribution worker failed: ${e.message}`, {})));
    w.on('exit', (code) => fail(new HazetraceError('E_WORKER', `attribution worker exited (code ${code})`, {})));
    ch.port1.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) w.unref();
      if (m.ok) {
        this.lastStats = m.stats ?? null;
        p.resolve(m.result as RunResult);
      } else {
        const err = m.error ?? { message: 'unknown error' };
        p.reject(err.code ? new HazetraceError(err.code as ErrorCode, err.message, err.details ?? {}) : new HazetraceError('E_WORKER', err.message, {}));
      }
    });
    ch.port1.unref();
    w.unref();
    this.worker = w;
    this.port = ch.port1;
    this.post({ type: 'init', statics: this.statics, cacheBytes: this.cacheBytes });
    return ch.port1;
  }

  private post(m: ToWorker): void {
    this.port?.postMessage(m);
  }

  /** Run one attribution in the worker; `wind` is sent only when its serial differs from what the worker holds. */
  run(inputs: Omit<RunInputs, 'wind' | 'regions' | 'repeatBurn' | 'facilities'>, wind: { serial: number; data: string | Uint8Array }, options: AttributeSeriesOptions): Promise<RunResult> {
    this.ensure();
    if (this.windSent !== wind.serial) {
      this.post({ type: 'wind', serial: wind.serial, data: wind.data });
      this.windSent = wind.serial;
    }
    const id = this.nextId++;
    this.worker?.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'run', id, windSerial: wind.serial, inputs, options });
    });
  }

  /** Stop the worker (pending runs are rejected). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.port?.close();
    this.port = null;
    if (w) await w.terminate();
  }
}
