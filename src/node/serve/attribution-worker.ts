/**
 * Worker-thread entry of the live state's attribution (see ./attribution-pool.ts): holds the static layers, the
 * wind it was last sent (opened here from the same bytes the main thread opened) and the trajectory store, and
 * answers each run with `runAttribution`. Messages travel on a MessagePort handed over in `workerData`, not on
 * `parentPort` (geotiff.js's web-worker dependency listens on `parentPort` in worker threads).
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { HazetraceError } from '../../core/errors.js';
import { openWind, type OpenedWind } from '../../wind/index.js';
import type { AttributeSeriesOptions } from '../../attribution/index.js';
import { runAttribution, TrajectoryStore, type RunInputs } from './attribution-run.js';

/** Messages to the worker. */
export type ToWorker =
  | { type: 'init'; statics: Pick<RunInputs, 'regions' | 'repeatBurn' | 'facilities'>; cacheBytes: number }
  | { type: 'wind'; serial: number; data: string | Uint8Array }
  | { type: 'run'; id: number; windSerial: number; inputs: Omit<RunInputs, 'wind' | 'regions' | 'repeatBurn' | 'facilities'>; options: AttributeSeriesOptions };

const port = (workerData as { port?: MessagePort } | undefined)?.port;
if (port) {
  let statics: Pick<RunInputs, 'regions' | 'repeatBurn' | 'facilities'> = {};
  let store = new TrajectoryStore(0);
  let wind: { serial: number; opened: Promise<OpenedWind> } | null = null;
  port.on('message', (m: ToWorker) => {
    if (m.type === 'init') {
      statics = m.statics;
      store = new TrajectoryStore(m.cacheBytes);
      return;
    }
    if (m.type === 'wind') {
      // A new wind: the stored trajectories were traced on the old one.
      store.clear();
      wind = { serial: m.serial, opened: openWind(m.data) };
      wind.opened.catch(() => undefined);
      return;
    }
    const t0 = performance.now();
    void (async () => {
      try {
        if (!wind || wind.serial !== m.windSerial) throw new HazetraceError('E_STATE', `attribution worker holds wind ${wind?.serial ?? 'none'}, run asks for ${m.windSerial}`, {});
        const w = await wind.opened;
        const result = runAttribution({ ...m.inputs, ...statics, wind: w.field }, m.options, store);
        port.postMessage({ id: m.id, ok: true, result, stats: store.stats(), ms: performance.now() - t0 });
      } catch (e) {
        const err = e as HazetraceError;
        port.postMessage({ id: m.id, ok: false, error: { name: err?.name, code: err?.code, message: String(err?.message ?? e), details: err?.details ?? {} } });
      }
    })();
  });
}
