/**
 * Trajectory batches over worker threads (Node only). The wind field crosses to the workers once
 * per pool as a plain spec whose big arrays live in SharedArrayBuffers (no per-worker copy);
 * trajectory columns come back as transferred buffers (no copy) and are concatenated in start order.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { HazetraceError, argError, checkInt, type ErrorCode } from '../core/errors.js';
import type { StopReason, WindField } from '../core/types.js';
// Direct module imports, not ../wind/index.js: the index pulls in hazetrace/io and through it
// geotiff.js, whose `web-worker` dependency hijacks any worker thread that loads it.
import { GriddedWindField, UniformWindField, griddedWind, uniformWind } from '../wind/fields.js';
import { checkStarts, makeTrajectorySet, startColumns } from '../wind/trace.js';
import type { GriddedWindArrays } from '../wind/fields.js';
import type { TraceOptions, TraceStart, TraceStartColumns, TrajectorySetResult } from '../wind/trace.js';
import { checkObject, checkOptions, checkShape } from '../core/check.js';

/** A wind field as plain, structured-clone-able data. */
export type WindFieldSpec =
  | { kind: 'uniform'; u: number; v: number }
  | ({ kind: 'gridded'; wrapLng: boolean } & Omit<GriddedWindArrays, 'wrapLng' | 'noData'>);

function shared<T extends Float32Array | Float64Array>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const Ctor = a.constructor as { new (b: SharedArrayBuffer): T };
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * Serialise a uniform or gridded field for worker threads (gridded u/v are copied once into
 * SharedArrayBuffers). Other field kinds (station, custom) throw `E_ARG`: build them in the worker.
 *
 * @example
 * ```ts
 * import { windFieldSpec } from 'hazetrace/node';
 * import { uniformWind } from 'hazetrace/wind';
 * windFieldSpec(uniformWind({ u: 3, v: 0 })); // { kind: 'uniform', u: 3, v: 0 }
 * ```
 */
export function windFieldSpec(field: WindField | WindFieldSpec): WindFieldSpec {
  if (field instanceof GriddedWindField) {
    if (field.u.length !== field.nx * field.ny * field.times.length) {
      throw argError('field', 'a windowed field', 'a wind field that holds every frame (a FrameWindowField holds one window: trace it in this thread, or read the file whole)');
    }
    return {
      kind: 'gridded', west: field.west, south: field.south, dLng: field.dLng, dLat: field.dLat, nx: field.nx, ny: field.ny,
      times: field.times, u: shared(field.u), v: shared(field.v), wrapLng: field.wrapLng, maxGapHours: field.maxGapHours,
    };
  }
  if (field instanceof UniformWindField) return { kind: 'uniform', u: field.u, v: field.v };
  const k = (field as { kind?: unknown } | null)?.kind;
  if ((k === 'gridded' || k === 'uniform') && !(typeof (field as WindField).sample === 'function')) return field as WindFieldSpec;
  throw argError('field', k ?? field, 'a uniformWind or griddedWind field (or its spec) to cross to worker threads');
}

/**
 * Rebuild a field from {@link windFieldSpec} output (used inside the workers).
 *
 * @example
 * ```ts
 * import { windFieldFromSpec } from 'hazetrace/node';
 * windFieldFromSpec({ kind: 'uniform', u: 3, v: 0 }).kind; // 'uniform'
 * ```
 */
export function windFieldFromSpec(spec: WindFieldSpec): WindField {
  checkShape('spec', spec, { kind: 'string' });
  if (spec.kind === 'uniform') return uniformWind({ u: spec.u, v: spec.v });
  return griddedWind({
    west: spec.west, south: spec.south, dLng: spec.dLng, dLat: spec.dLat, nx: spec.nx, ny: spec.ny,
    times: spec.times, u: spec.u, v: spec.v, wrapLng: spec.wrapLng,
    ...(spec.maxGapHours !== undefined ? { maxGapHours: spec.maxGapHours } : {}),
  });
}

/** Columns a worker sends back (buffers transferred). */
interface SetColumns {
  offsets: Uint32Array;
  lng: Float64Array;
  lat: Float64Array;
  time: Float64Array;
  ageHours: Float64Array;
  member: Int32Array;
  startTime: Float64Array;
  receptor: string[];
  stopReason: StopReason[];
}

interface Pending {
  resolve: (s: SetColumns, computeMs: number) => void;
  reject: (e: Error) => void;
}

function startWorker(): Worker {
  const js = new URL('./trace-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js);
  // Running from TypeScript sources (tests, tsx): register tsx's loader inside the worker, then load the .ts entry.
  const ts = new URL('./trace-worker.ts', import.meta.url).href;
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(ts)}); }).catch((e) => { throw e; });`;
  return new Worker(boot, { eval: true });
}

/** A reusable pool of trajectory workers (see {@link createTracePool}). */
export interface TracePool {
  readonly size: number;
  /** Trace a batch split over the pool's workers; same result as `traceTrajectories`. */
  trace(field: WindField | WindFieldSpec, starts: readonly TraceStart[] | TraceStartColumns, options: TraceOptions): Promise<TrajectorySetResult>;
  /** Wall time (ms) each worker spent tracing in the last batch, in worker order (diagnostics). */
  readonly lastBatchMs: number[];
  /** Stop the workers. */
  close(): Promise<void>;
}

/**
 * Start `workers` trajectory worker threads to reuse across batches (start-up, ~50–300 ms per
 * worker, is paid once). Close it when done.
 *
 * @example
 * ```ts
 * import { createTracePool } from 'hazetrace/node';
 * import { uniformWind } from 'hazetrace/wind';
 * const pool = await createTracePool({ workers: 2 });
 * const set = await pool.trace(uniformWind({ u: 3, v: 0 }), [{ lng: 99, lat: 18, time: 0 }], { hours: 24 });
 * await pool.close();
 * ```
 */
export async function createTracePool(options: { workers?: number } = {}): Promise<TracePool> {
  checkOptions('options', options);
  const size = options.workers === undefined ? Math.max(1, availableParallelism() - 1) : checkInt('workers', options.workers, 1, 256);
  const workers: Worker[] = [];
  const pending = new Map<number, Pending>();
  let nextJob = 1;
  let nextField = 1;
  const fieldIds = new WeakMap<object, number>();
  const specs = new WeakMap<object, WindFieldSpec>();
  const sent: Set<number>[] = [];
  for (let i = 0; i < size; i++) {
    const w = startWorker();
    w.on('message', (m: { job: number; ok: boolean; set?: SetColumns; computeMs?: number; error?: { code: ErrorCode; message: string; details?: Record<string, unknown> } }) => {
      const p = pending.get(m.job);
      if (!p) return;
      pending.delete(m.job);
      if (m.ok) p.resolve(m.set!, m.computeMs ?? 0);
      else p.reject(new HazetraceError(m.error!.code, m.error!.message, m.error!.details));
    });
    w.on('error', (e) => {
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    workers.push(w);
    sent.push(new Set());
  }
  // wait until every worker has loaded (first message round trip)
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          const job = nextJob++;
          pending.set(job, { resolve: () => resolve(), reject });
          w.postMessage({ type: 'ping', job });
        }),
    ),
  );
  const lastBatchMs: number[] = [];
  return {
    size,
    lastBatchMs,
    async trace(field, starts, traceOptions) {
      const key = field as object;
      let fid = fieldIds.get(key);
      let spec = specs.get(key);
      if (fid === undefined || spec === undefined) {
        // serialise (and copy to shared memory) once per field, not per batch
        spec = windFieldSpec(field);
        specs.set(key, spec);
        fieldIds.set(key, (fid = nextField++));
      }
      const cols = startColumns(starts);
      checkStarts(typeof (field as WindField).sample === 'function' ? (field as WindField) : windFieldFromSpec(spec), cols);
      const n = cols.length;
      const parts = Math.min(size, Math.max(1, n));
      const jobs: Promise<SetColumns>[] = [];
      lastBatchMs.length = 0;
      for (let k = 0; k < parts; k++) {
        const a = Math.floor((k * n) / parts);
        const b = Math.floor(((k + 1) * n) / parts);
        const w = workers[k]!;
        if (!sent[k]!.has(fid)) {
          w.postMessage({ type: 'field', fieldId: fid, spec });
          sent[k]!.add(fid);
        }
        const slice = {
          lng: Float64Array.from({ length: b - a }, (_, i) => cols.lng[a + i]!),
          lat: Float64Array.from({ length: b - a }, (_, i) => cols.lat[a + i]!),
          time: Float64Array.from({ length: b - a }, (_, i) => cols.time[a + i]!),
          receptor: Array.from({ length: b - a }, (_, i) => cols.receptor[a + i]!),
          member: Int32Array.from({ length: b - a }, (_, i) => cols.member[a + i]!),
        };
        const job = nextJob++;
        jobs.push(
          new Promise<SetColumns>((resolve, reject) => {
            pending.set(job, {
              resolve: (set, ms) => {
                lastBatchMs[k] = ms;
                resolve(set);
              },
              reject,
            });
            const transfer = [slice.lng, slice.lat, slice.time, slice.member].map((x) => x.buffer as ArrayBuffer);
            const { buffer: _local, ...portable } = traceOptions; // a PointBuffer stays on this thread
            w.postMessage({ type: 'trace', job, fieldId: fid, starts: slice, options: portable }, transfer);
          }),
        );
      }
      return mergeSets(await Promise.all(jobs));
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

/** Concatenate worker results in order. */
function mergeSets(parts: SetColumns[]): TrajectorySetResult {
  let nTraj = 0;
  let nPts = 0;
  for (const p of parts) {
    nTraj += p.offsets.length - 1;
    nPts += p.lng.length;
  }
  const offsets = new Uint32Array(nTraj + 1);
  const lng = new Float64Array(nPts);
  const lat = new Float64Array(nPts);
  const time = new Float64Array(nPts);
  const ageHours = new Float64Array(nPts);
  const member = new Int32Array(nTraj);
  const startTime = new Float64Array(nTraj);
  const receptor: string[] = [];
  const stopReason: StopReason[] = [];
  let t = 0;
  let q = 0;
  for (const p of parts) {
    const m = p.offsets.length - 1;
    for (let i = 0; i < m; i++) offsets[t + i + 1] = p.offsets[i + 1]! + q;
    lng.set(p.lng, q);
    lat.set(p.lat, q);
    time.set(p.time, q);
    ageHours.set(p.ageHours, q);
    member.set(p.member, t);
    startTime.set(p.startTime, t);
    for (const r of p.receptor) receptor.push(r);
    for (const r of p.stopReason) stopReason.push(r);
    t += m;
    q += p.lng.length;
  }
  return makeTrajectorySet({ length: nTraj, offsets, lng, lat, time, ageHours, receptor, member, startTime, stopReason });
}

/**
 * `traceTrajectories` spread over worker threads: the same TrajectorySet (same order, same
 * numbers), for uniform and gridded fields. Starts a pool, traces, closes it; for repeated
 * batches keep a pool with {@link createTracePool}.
 *
 * @example
 * ```ts
 * import { traceTrajectoriesParallel } from 'hazetrace/node';
 * import { uniformWind } from 'hazetrace/wind';
 * const starts = Array.from({ length: 1000 }, (_, i) => ({ lng: 99, lat: 18, time: i * 3600e3 }));
 * const set = await traceTrajectoriesParallel(uniformWind({ u: 3, v: 1 }), starts, { hours: 72, workers: 2 });
 * set.length; // 1000
 * ```
 */
export async function traceTrajectoriesParallel(
  field: WindField | WindFieldSpec,
  starts: readonly TraceStart[] | TraceStartColumns,
  options: TraceOptions & { workers?: number },
): Promise<TrajectorySetResult> {
  checkObject('options', options);
  const { workers, ...traceOptions } = options;
  windFieldSpec(field); // fail fast, before any worker starts
  const pool = await createTracePool(workers === undefined ? {} : { workers });
  try {
    return await pool.trace(field, starts, traceOptions);
  } finally {
    await pool.close();
  }
}
