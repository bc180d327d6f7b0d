/**
 * Entry of one worker process started by {@link superviseBatchWorker} (src/node/batch-supervisor.ts): it runs a
 * queue worker with `maxUnits` and reports to its parent over the IPC channel, then exits 0 when it has run its
 * units (or was told to stop). Not part of the public API. @internal
 *
 * Messages to the parent: `{ type: 'unit', result, usage }` after each unit, `{ type: 'stopped', reason, usage }`
 * when the worker has closed. `argv[2]` is `{ outDir, options }` as JSON; SIGTERM / SIGINT or the message
 * `'stop'` finish the unit in hand and stop; so does the loss of the channel (the supervisor died).
 */
import { startBatchWorker, type BatchWorkerOptions } from './batch.js';
import { processUsage } from './usage.js';

const { outDir, options } = JSON.parse(process.argv[2] ?? '{}') as { outDir: string; options: BatchWorkerOptions };
/** Send `m` to the supervisor; settles when sent, or when the channel is gone (a callback the channel drops never fires). */
const send = (m: object): Promise<void> =>
  new Promise((done) => {
    if (!process.send || !process.connected) return done();
    process.once('disconnect', done);
    process.send(m, () => {
      process.off('disconnect', done);
      done();
    });
  });

const w = startBatchWorker(outDir, { ...options, onUnit: (result) => void send({ type: 'unit', result, usage: processUsage() }) });
const stop = (): void => void w.close();
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.on('message', (m) => {
  if (m === 'stop') stop();
});
// the supervisor is gone (killed, or exited on a signal): finish the unit in hand and stop, never run on orphaned
process.once('disconnect', stop);
if (!process.connected) stop(); // the channel closed while this module was still loading: no 'disconnect' comes
const reason = await w.stopped;
await send({ type: 'stopped', reason, usage: processUsage() });
if (process.connected) process.disconnect();
process.exit(0);
