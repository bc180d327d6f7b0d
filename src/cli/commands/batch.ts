/** `hazetrace batch`: a season split into idempotent station units run through a Redis job queue (docs/batch.md). */
import { clearBatch, enqueueBatch, planBatch, processUsage, startBatchWorker, superviseBatchWorker, writeMergedBatch, type BatchUnitResult, type ProcessUsage } from '../../node/index.js';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandSpec } from '../context.js';
import { usageError } from '../errors.js';
import { numberOption, requireOption } from '../options.js';

const ACTIONS = ['plan', 'worker', 'run', 'merge', 'clear'] as const;

export const batchCommand: CommandSpec = {
  name: 'batch',
  summary: 'attribute a season as idempotent per-station units on a Redis job queue (BullMQ), any number of workers',
  usage: 'hazetrace batch plan --spec SPEC.json --out DIR [--unit-days N] | worker --out DIR [--chunk-days N --trajectories all|mean|none --wind-read window|whole --units-per-process N --max-units N] | run --out DIR | merge --out DIR [--redis-host H --redis-port N]',
  positionals: true,
  details:
    'plan   read the spec (input file paths and settings, JSON), fit the season\'s category scales once, write DIR/plan.json\n' +
    '       with one unit per station (or per station and --unit-days days), keyed by the inputs\' hashes, the settings,\n' +
    '       the station and the period.\n' +
    'worker take units from the queue and run them until stopped (Ctrl-C); start as many as you like, on any machine\n' +
    '       that sees DIR and the Redis server. A worker that dies loses its unit to another after the lock time.\n' +
    '       With --units-per-process N the units run in a series of processes of N units each (memory stays bounded);\n' +
    '       with --max-units N the worker exits after N units, for a process manager that restarts it.\n' +
    'run    queue every unfinished unit and wait until all are done (finished units are never recomputed).\n' +
    'merge  read the finished units back into DIR/shares.parquet and DIR/sources.parquet.\n' +
    'clear  remove DIR\'s plan, partitions and markers.\n' +
    'Outputs: DIR/shares/station=<id>/part-<key>.parquet, DIR/sources/station=<id>/part-<key>.parquet,\n' +
    'DIR/trajectories/station=<id>/part-<key>.parquet (back-trajectory points, streamed as produced; Hive layout),\n' +
    'DIR/done/<key>.json markers.',
  options: {
    spec: { type: 'string', help: 'batch spec (JSON): hotspots, pm25, stations, wind, regions?, facilities?, from?, to?, utcOffset?, seed?' },
    'redis-host': { type: 'string', default: '127.0.0.1', help: 'Redis host' },
    'redis-port': { type: 'string', default: '6379', help: 'Redis port' },
    'lock-ms': { type: 'string', default: '10000', help: 'worker: lock time of a running unit, ms' },
    'chunk-days': { type: 'string', default: '31', help: 'worker: local days attributed at a time within a unit (peak memory follows one window)' },
    stats: { type: 'string', help: 'worker: after every unit, write this JSON file: units run, peak RSS and CPU seconds of the process so far' },
    trajectories: { type: 'string', default: 'all', help: "worker: back-trajectory points streamed to DIR/trajectories/: all, mean or none" },
    'unit-days': { type: 'string', help: 'plan: cut each station\'s season into units of this many local days (default: one unit per station)' },
    'units-per-process': { type: 'string', help: 'worker: run units in a series of processes, each exiting after N computed units' },
    'max-units': { type: 'string', help: 'worker: exit (code 0) after N computed units, for a process manager that restarts it (systemd, Kubernetes)' },
    'wind-read': { type: 'string', default: 'window', help: 'worker: NetCDF3 wind read per window of days, only the frames it needs (window: memory follows the window), or whole once per process (whole); same results' },
  },
  examples: ['hazetrace batch plan --spec season.json --out out/batch', 'hazetrace batch worker --out out/batch', 'hazetrace batch run --out out/batch && hazetrace batch merge --out out/batch'],
  async run(ctx) {
    const v = ctx.values;
    const action = ctx.positionals[0];
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) throw usageError(`give one of ${ACTIONS.join(', ')} after "batch", got ${JSON.stringify(action ?? '')}`, 'batch', 'e.g. hazetrace batch plan --spec season.json --out out/batch');
    const out = resolve(ctx.cwd, requireOption(v, 'out', 'batch directory'));
    const queue = { host: String(v['redis-host'] ?? '127.0.0.1'), port: numberOption(v, 'redis-port', 6379, { integer: true, min: 1, max: 65535 }) };
    const say = (o: object, text: string): void => void ctx.streams.stdout.write(ctx.json ? JSON.stringify(o) + '\n' : text + '\n');
    if (action === 'plan') {
      const spec = resolve(ctx.cwd, requireOption(v, 'spec', 'batch spec JSON'));
      const plan = await planBatch(spec, out, v['unit-days'] !== undefined ? { unitDays: numberOption(v, 'unit-days', 0, { integer: true, min: 1 }) } : {});
      say({ units: plan.units.length, calibration: plan.calibration.mode, hotspotMonths: plan.hotspots.months.length, usage: processUsage() }, `${plan.units.length} units (one per station); season scales ${plan.calibration.mode}; hotspots in ${plan.hotspots.months.length} month partitions; wrote ${join(out, 'plan.json')}`);
    } else if (action === 'worker') {
      const traj = String(v['trajectories'] ?? 'all');
      if (!['all', 'mean', 'none'].includes(traj)) throw usageError(`--trajectories must be all, mean or none, got ${JSON.stringify(traj)}`, 'batch', 'e.g. --trajectories mean');
      const windRead = String(v['wind-read'] ?? 'window');
      if (windRead !== 'window' && windRead !== 'whole') throw usageError(`--wind-read must be window or whole, got ${JSON.stringify(windRead)}`, 'batch', 'e.g. --wind-read whole');
      const unitOptions = {
        ...queue,
        lockMs: numberOption(v, 'lock-ms', 10_000, { integer: true, min: 500 }),
        chunkDays: numberOption(v, 'chunk-days', 31, { integer: true, min: 1 }),
        trajectories: traj === 'none' ? (false as const) : (traj as 'all' | 'mean'),
        wind: windRead as 'window' | 'whole',
      };
      const stats = v['stats'] ? resolve(ctx.cwd, String(v['stats'])) : null;
      let ran: BatchUnitResult[];
      let usage: () => ProcessUsage;
      let close: () => Promise<void>;
      let stopped: Promise<unknown>;
      if (v['units-per-process'] !== undefined && v['max-units'] !== undefined) throw usageError('give --units-per-process (this command restarts its worker processes) or --max-units (your process manager restarts it), not both', 'batch', 'e.g. --units-per-process 100');
      if (v['units-per-process'] !== undefined) {
        const s = superviseBatchWorker(out, { ...unitOptions, unitsPerProcess: numberOption(v, 'units-per-process', 1, { integer: true, min: 1 }), ...(stats ? { onUnit: () => writeFileSync(stats, JSON.stringify({ pid: process.pid, ran: s.ran, usage: s.usage(), processes: s.processes })) } : {}) });
        ({ ran, close, stopped } = s);
        usage = () => s.usage();
      } else {
        const w = startBatchWorker(out, { ...unitOptions, ...(v['max-units'] !== undefined ? { maxUnits: numberOption(v, 'max-units', 1, { integer: true, min: 1 }) } : {}), ...(stats ? { onUnit: () => writeFileSync(stats, JSON.stringify({ pid: process.pid, ran: w.ran, usage: processUsage() })) } : {}) });
        ({ ran, close, stopped } = w);
        usage = processUsage;
      }
      ctx.streams.stderr.write(`worker ${process.pid} waiting for units of ${out} on ${queue.host}:${queue.port} (Ctrl-C stops)\n`);
      await new Promise<void>((done, fail) => {
        const stop = (): void => void close().then(done, fail);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        stopped.then(() => done(), fail);
      });
      // What the process used (peak RSS, CPU), for capacity planning (bench/scale.ts reads it).
      const u = usage();
      say({ ran, usage: u }, `worker ${process.pid}: ${ran.filter((r) => !r.skipped).length} units computed, ${ran.filter((r) => r.skipped).length} skipped; peak RSS ${u.peakRssMB.toFixed(0)} MB, CPU ${(u.userCpuS + u.systemCpuS).toFixed(1)} s`);
    } else if (action === 'run') {
      const r = await enqueueBatch(out, queue);
      say(r, `${r.queued} units queued, ${r.done} done`);
    } else if (action === 'merge') {
      const n = await writeMergedBatch(out);
      say(n, `merged ${n['shares']} share rows and ${n['sources']} source rows into ${join(out, 'shares.parquet')} and sources.parquet`);
    } else {
      clearBatch(out);
      say({ cleared: out }, `cleared ${out}`);
    }
  },
};
