/**
 * A batch worker that restarts itself after a bounded amount of work (docs/batch.md, "Workers that restart
 * themselves"): the supervising process holds no unit data; it runs one worker process at a time
 * (src/node/batch-worker-process.ts), which takes `unitsPerProcess` units from the queue and exits, and starts the
 * next. A process's peak memory then follows the work of `unitsPerProcess` units — with the plan's `unitDays`, a
 * fixed number of station-periods — not the work the worker has done since it started. Like Celery's
 * `--max-tasks-per-child` or gunicorn's `--max-requests`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HazetraceError, argError } from '../core/index.js';
import { checkOptions, checkString } from '../core/check.js';
import { checkUnitOptions, type BatchUnitResult, type BatchWorkerOptions } from './batch.js';
import { processUsage, type ProcessUsage } from './usage.js';

/** Options of {@link superviseBatchWorker}. */
export interface BatchSupervisorOptions extends Omit<BatchWorkerOptions, 'maxUnits' | 'onUnit'> {
  /** Computed units each worker process runs before it exits and the next one starts (a whole number ≥ 1). */
  unitsPerProcess: number;
  /** Called after each unit with the worker process's usage so far. */
  onUnit?: (r: BatchUnitResult, usage: ProcessUsage) => void;
  /**
   * Worker processes that may fail in a row (exit other than after their units) before the supervisor gives up,
   * default 3; a process that ran a unit resets the count.
   */
  maxFailures?: number;
}

/** One worker process of a supervised worker, as it ended (or as it is, for the one running). */
export interface BatchWorkerProcess {
  pid: number;
  /** Units it ran (computed and skipped). */
  units: number;
  /** Its own peak memory and CPU (`processUsage()` in the process; the last report it sent). */
  usage: ProcessUsage | null;
  /** Exit code, null while running or when it died by a signal. */
  code: number | null;
}

/** What {@link superviseBatchWorker} returns. */
export interface BatchSupervisor {
  /** Stop: the running process finishes its unit in hand, then no new one starts. */
  close(): Promise<void>;
  /** Every unit run by any of its processes, in order. */
  ran: BatchUnitResult[];
  /** Its processes, in start order. */
  processes: BatchWorkerProcess[];
  /**
   * Peak memory and CPU over the whole supervised worker: the largest peak of any one process (`peakRssMB`), the
   * supervisor's own peak (`supervisorPeakRssMB`), and CPU summed over the processes and the supervisor.
   */
  usage(): ProcessUsage & { supervisorPeakRssMB: number; processes: number };
  /** Settles after `close()` (resolves) or after `maxFailures` failed processes in a row (rejects, `E_WORKER`). */
  stopped: Promise<void>;
}

/** The worker process's entry: the compiled .js next to this file, or the .ts source run through tsx (tests). */
function entry(): { path: string; execArgv: string[] } {
  const js = fileURLToPath(new URL('./batch-worker-process.js', import.meta.url));
  if (existsSync(js)) return { path: js, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href;
  return { path: fileURLToPath(new URL('./batch-worker-process.ts', import.meta.url)), execArgv: ['--import', tsx] };
}

/**
 * Run a batch worker as a series of worker processes, each taking `unitsPerProcess` units from the queue for
 * `outDir` and then exiting, the next started as soon as one exits; until `close()`. Combined with a plan cut into
 * periods (`planBatch(spec, out, { unitDays })`), each process does about the same work however long the season,
 * so its peak memory does not grow with the season (docs/batch.md). Same units, same outputs as
 * {@link startBatchWorker}: only the process that runs them changes.
 *
 * @example
 * ```ts
 * import { superviseBatchWorker } from 'hazetrace/node';
 * // const w = superviseBatchWorker('out', { port: 6379, unitsPerProcess: 20 }); ...; await w.close();
 * typeof superviseBatchWorker; // 'function'
 * ```
 */
export function superviseBatchWorker(outDir: string, options: BatchSupervisorOptions): BatchSupervisor {
  checkString('outDir', outDir);
  if (options === null || typeof options !== 'object') throw argError('options', options, '{ unitsPerProcess, ...queue and unit options }');
  checkOptions('options', options);
  const { unitsPerProcess, onUnit, maxFailures = 3, ...workerOptions } = options;
  if (!Number.isInteger(unitsPerProcess) || unitsPerProcess < 1) throw argError('options.unitsPerProcess', unitsPerProcess, 'a whole number of units ≥ 1');
  if (!Number.isInteger(maxFailures) || maxFailures < 1) throw argError('options.maxFailures', maxFailures, 'a whole number ≥ 1');
  checkUnitOptions(workerOptions);
  const ran: BatchUnitResult[] = [];
  const processes: BatchWorkerProcess[] = [];
  const { path, execArgv } = entry();
  let child: ChildProcess | null = null;
  let closing = false;
  let failures = 0;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const stopped = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  stopped.catch(() => undefined); // a caller that only calls close() is not left with an unhandled rejection

  const start = (): void => {
    const c = fork(path, [JSON.stringify({ outDir, options: { ...workerOptions, maxUnits: unitsPerProcess } })], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child = c;
    const me: BatchWorkerProcess = { pid: c.pid ?? -1, units: 0, usage: null, code: null };
    processes.push(me);
    let reason: string | null = null;
    c.on('message', (m: { type: string; result?: BatchUnitResult; usage?: ProcessUsage; reason?: string }) => {
      if (m.usage) me.usage = m.usage;
      if (m.type === 'unit' && m.result) {
        me.units++;
        ran.push(m.result);
        onUnit?.(m.result, m.usage!);
      } else if (m.type === 'stopped') reason = m.reason ?? null;
    });
    c.once('exit', (code) => {
      me.code = code;
      child = null;
      const ranUnits = me.units > 0;
      failures = code === 0 && reason !== null ? 0 : ranUnits ? 1 : failures + 1;
      if (closing) return settle.resolve();
      if (failures >= maxFailures) {
        closing = true;
        return settle.reject(new HazetraceError('E_WORKER', `batch worker: ${failures} worker processes in a row ended without finishing (last exit code ${code}); see their error output above`, { outDir, code }));
      }
      // a failed process is restarted after a pause (the queue retries its unit); a finished one at once
      setTimeout(() => (closing ? settle.resolve() : start()), failures ? 1000 : 0);
    });
  };
  start();

  return {
    ran,
    processes,
    stopped,
    usage() {
      const own = processUsage();
      const done = processes.map((p) => p.usage).filter((u): u is ProcessUsage => u !== null);
      return {
        peakRssMB: Math.max(0, ...done.map((u) => u.peakRssMB)),
        peakFrom: done[0]?.peakFrom ?? own.peakFrom,
        userCpuS: own.userCpuS + done.reduce((a, u) => a + u.userCpuS, 0),
        systemCpuS: own.systemCpuS + done.reduce((a, u) => a + u.systemCpuS, 0),
        supervisorPeakRssMB: own.peakRssMB,
        processes: processes.length,
      };
    },
    close() {
      if (!closing) {
        closing = true;
        // SIGTERM: a worker process that has loaded finishes its unit in hand and exits (its handler); one still
        // loading its modules has taken no unit and simply ends
        if (!child) settle.resolve();
        else child.kill('SIGTERM');
      }
      return stopped;
    },
  };
}
