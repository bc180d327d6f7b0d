/**
 * Worker-thread entry of `createTracePool` / `traceTrajectoriesParallel` (trace-workers.ts):
 * keeps the fields it was sent, traces batches with `traceTrajectories`, transfers columns back.
 */
import { parentPort } from 'node:worker_threads';
import { HazetraceError } from '../core/errors.js';
import type { WindField } from '../core/types.js';
// Not ../wind/index.js: see the note in trace-workers.ts about geotiff.js's web-worker.
import { traceTrajectories } from '../wind/trace.js';
import type { TraceOptions, TraceStartColumns } from '../wind/trace.js';
import { windFieldFromSpec } from './trace-workers.js';
import type { WindFieldSpec } from './trace-workers.js';

type Msg =
  | { type: 'ping'; job: number }
  | { type: 'field'; fieldId: number; spec: WindFieldSpec }
  | { type: 'trace'; job: number; fieldId: number; starts: TraceStartColumns; options: TraceOptions };

const fields = new Map<number, WindField>();
const port = parentPort;
if (port) {
  port.on('message', (m: Msg) => {
    if (m.type === 'ping') {
      port.postMessage({ job: m.job, ok: true });
      return;
    }
    if (m.type === 'field') {
      fields.set(m.fieldId, windFieldFromSpec(m.spec));
      return;
    }
    try {
      const f = fields.get(m.fieldId);
      if (!f) throw new HazetraceError('E_STATE', `worker has no field ${m.fieldId}`, {});
      const t0 = performance.now();
      const s = traceTrajectories(f, m.starts, m.options);
      const computeMs = performance.now() - t0;
      const set = {
        offsets: s.offsets, lng: s.lng, lat: s.lat, time: s.time, ageHours: s.ageHours,
        member: s.member, startTime: s.startTime, receptor: s.receptor, stopReason: s.stopReason,
      };
      const transfer = [s.offsets, s.lng, s.lat, s.time, s.ageHours, s.member, s.startTime].map((a) => a.buffer as ArrayBuffer);
      port.postMessage({ job: m.job, ok: true, set, computeMs }, transfer);
    } catch (e) {
      const err = e as HazetraceError;
      port.postMessage({ job: m.job, ok: false, error: { code: err.code ?? 'E_WORKER', message: err.message, details: err.details } });
    }
  });
}
