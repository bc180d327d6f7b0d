/** `hazetrace trace`: back- (or forward-) trajectories from points or stations, or convert a HYSPLIT tdump. */
import { HazetraceError, toIsoUtc } from '../../core/index.js';
import { concatTrajectorySets, readTdump, traceEnsemble, traceTrajectories, trajectoriesToCsv, trajectoriesToGeoJson, writeTdump, type TraceStart, type TrajectorySetResult } from '../../wind/index.js';
import type { CommandSpec } from '../context.js';
import { isoTimes, usageError, withInput } from '../errors.js';
import { OutDir, UTC_OFFSET_HELP, numberOption, optionalOption, readText, timeOption, utcOffsetOption } from '../options.js';
import { describeRejected, loadStations, loadWind, noteJson, type InputNote } from '../inputs.js';
import { jsonChunks } from '../json-stream.js';

export const traceCommand: CommandSpec = {
  name: 'trace',
  summary: 'HYSPLIT-style back/forward trajectories on a wind field, or convert a HYSPLIT tdump',
  usage:
    'hazetrace trace --wind WIND (--start LNG,LAT | --stations STATIONS.csv) --time TIME [--utc-offset +07:00] [--hours 72]\n' +
    '                [--direction back|forward] [--ensemble none|offset|random-walk] [--members N] [--seed N] [--out DIR] [--json]\n' +
    '       hazetrace trace --tdump tdump.txt [--out DIR] [--json]',
  details:
    'Heun predictor-corrector on the sphere (HYSPLIT), hourly endpoints. WIND as for `attribute`: NetCDF,\n' +
    'U.tif,V.tif or a point-wind CSV. --time takes one or more comma-separated times; a time without its own\n' +
    'offset or Z ("2025-04-23 12:00") is read in --utc-offset (default +07:00): that one is 2025-04-23T05:00Z.\n' +
    '--ensemble picks the ensemble kind (offset: the 9 HYSPLIT offset members; random-walk: --members N).\n' +
    'Files in --out: trajectories.geojson, trajectories.csv, tdump.txt (HYSPLIT format).\n' +
    'JSON on stdout: the trajectories as a GeoJSON FeatureCollection (one LineString per trajectory).',
  options: {
    wind: { type: 'string', help: 'wind: NetCDF, U.tif,V.tif, or point-wind CSV' },
    start: { type: 'string', help: 'start point "lng,lat" (WGS84 degrees)' },
    stations: { type: 'string', help: 'start at every station of this CSV (station_id,lat,long)' },
    time: { type: 'string', help: 'start time(s), comma-separated; read in --utc-offset unless ending in Z or +HH:MM' },
    'utc-offset': { type: 'string', default: '+07:00', help: UTC_OFFSET_HELP },
    hours: { type: 'string', default: '72', help: 'trajectory length, hours' },
    direction: { type: 'string', default: 'back', help: 'back or forward' },
    ensemble: { type: 'string', default: 'none', help: 'ensemble kind: none, offset (HYSPLIT 9 members) or random-walk' },
    members: { type: 'string', default: '27', help: 'number of members for --ensemble random-walk' },
    seed: { type: 'string', default: '1', help: 'random-walk seed' },
    tdump: { type: 'string', help: 'read a HYSPLIT tdump file instead of tracing' },
  },
  examples: [
    'hazetrace trace --wind data/wind_2pt_hourly_2025.csv --start 98.97,18.84 --time "2025-04-23 13:00" --hours 48 --out out/trace',
    'hazetrace trace --tdump tdump_cm_20250423 --json > traj.geojson',
  ],
  async run(ctx) {
    const v = ctx.values;
    let set: TrajectorySetResult;
    let what: string;
    const notes: InputNote[] = [];
    const tdump = optionalOption(v, 'tdump');
    if (tdump) {
      const text = readText('tdump', tdump, ctx.cwd);
      const r = await withInput(`--tdump ${tdump}`, () => readTdump(text), 'give a HYSPLIT trajectory endpoints file (tdump)');
      set = r;
      notes.push({ option: 'tdump', path: tdump, accepted: r.length, rejected: r.rejected, unit: 'trajectories' });
      what = `read ${r.length} trajectories from ${tdump}`;
    } else {
      const windArg = optionalOption(v, 'wind');
      if (!windArg) throw usageError('missing --wind (or --tdump)', '--wind', 'pass --wind FILE, or --tdump FILE to convert HYSPLIT output');
      const timeArg = optionalOption(v, 'time');
      if (!timeArg) throw usageError('missing --time', '--time', 'e.g. --time "2025-04-23 13:00" (read in --utc-offset) or --time 2025-04-23T06:00Z');
      const utcOffset = utcOffsetOption(v);
      const times = timeArg.split(',').map((s) => timeOption('time', s.trim(), utcOffset));
      const hours = numberOption(v, 'hours', 72, { min: 1, max: 2400 });
      const direction = String(v['direction'] ?? 'back');
      if (direction !== 'back' && direction !== 'forward') throw usageError(`--direction must be back or forward, got ${JSON.stringify(direction)}`, '--direction');
      const ensemble = String(v['ensemble'] ?? 'none');
      if (!['none', 'offset', 'random-walk'].includes(ensemble)) throw usageError(`--ensemble must be none, offset or random-walk, got ${JSON.stringify(ensemble)}`, '--ensemble');
      const points: { id: string; lng: number; lat: number }[] = [];
      const startArg = optionalOption(v, 'start');
      const stationsArg = optionalOption(v, 'stations');
      if (startArg) {
        const [x, y, ...rest] = startArg.split(',').map((s) => Number(s));
        if (rest.length || !Number.isFinite(x) || !Number.isFinite(y) || Math.abs(y as number) > 90 || Math.abs(x as number) > 180) {
          throw usageError(`--start must be "lng,lat" in degrees, got ${JSON.stringify(startArg)}`, '--start', 'e.g. --start 98.97,18.84');
        }
        points.push({ id: 'start', lng: x as number, lat: y as number });
      } else if (stationsArg) {
        const { stations, note } = await loadStations('stations', stationsArg, ctx.cwd);
        notes.push(note);
        for (let i = 0; i < stations.length; i++) points.push({ id: stations.id[i] as string, lng: stations.lng[i] as number, lat: stations.lat[i] as number });
      } else {
        throw usageError('missing --start or --stations', '--start', 'e.g. --start 98.97,18.84 or --stations stations.csv');
      }
      const wind = await loadWind('wind', windArg, ctx.cwd);
      if (wind.note) notes.push(wind.note);
      const starts: TraceStart[] = [];
      for (const p of points) for (const t of times) starts.push({ lng: p.lng, lat: p.lat, time: t, receptor: p.id });
      const opts = { hours, direction: direction as 'back' | 'forward' };
      ctx.progress.stage('tracing');
      set = await startsInWind(startArg ? '--start' : '--stations', () => withInput(`--wind ${windArg}`, () => {
        if (ensemble === 'none') return traceTrajectories(wind.field, starts, opts);
        const count = numberOption(v, 'members', 27, { integer: true, min: 1, max: 1000 });
        const seed = numberOption(v, 'seed', 1, { integer: true });
        const sets = starts.map((s, i) => {
          ctx.progress.tick(i, starts.length);
          return traceEnsemble(wind.field, s, ensemble === 'offset' ? { ...opts, members: 'offset' } : { ...opts, members: 'random-walk', count, seed });
        });
        return concatTrajectorySets(sets);
      }));
      ctx.progress.done();
      const reasons: Record<string, number> = {};
      for (const r of set.stopReason) reasons[r] = (reasons[r] ?? 0) + 1;
      what = `${set.length} ${direction} trajectories (${points.length} start point(s) × ${times.length} time(s)${ensemble === 'none' ? '' : `, ${ensemble} ensemble`}) on ${wind.describe}; stop reasons: ${Object.entries(reasons).map(([k, n]) => `${k} ${n}`).join(', ')}`;
    }
    const out = new OutDir(v, ctx.cwd);
    // Built only when written; the GeoJSON goes out piece by piece.
    out.writeChunks('trajectories.geojson', () => jsonChunks(trajectoriesToGeoJson(set)));
    out.write('trajectories.csv', () => trajectoriesToCsv(set));
    out.write('tdump.txt', () => writeTdump(set));
    if (ctx.json) {
      // A GeoJSON FeatureCollection; `inputs` (accepted/rejected rows per input) is a foreign member (RFC 7946 §6.1).
      for (const piece of jsonChunks({ ...trajectoriesToGeoJson(set), inputs: notes.map((n) => noteJson(n)) })) ctx.streams.stdout.write(piece);
      ctx.streams.stdout.write('\n');
      return;
    }
    const lines = [what, ...notes.map((n) => '  input ' + describeRejected(n))];
    for (let j = 0; j < Math.min(set.length, 5); j++) {
      const a = set.offsets[j] as number;
      const b = (set.offsets[j + 1] as number) - 1;
      lines.push(
        `  ${set.receptor[j] || '#' + j} member ${set.member[j]} from ${toIsoUtc(set.startTime[j] as number)}: ${(set.ageHours[b] as number).toFixed(0)} h, ends at ${(set.lng[b] as number).toFixed(3)}, ${(set.lat[b] as number).toFixed(3)} (${set.stopReason[j]})${a === b ? ' (no motion)' : ''}`,
      );
    }
    if (set.length > 5) lines.push(`  ... ${set.length - 5} more`);
    if (out.written.length) lines.push(`wrote ${out.written.join(', ')}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};

/**
 * A start the wind field cannot sample (outside its area or time range) is a usage error naming the start
 * option and --time, with the times in ISO 8601, not a fault of the wind file.
 */
async function startsInWind<T>(startOption: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause ?? e;
    if (cause instanceof HazetraceError && cause.code === 'E_DOMAIN') {
      throw usageError(isoTimes(cause.message), `${startOption} / --time`, 'start inside the wind field\'s area and time range (the message gives both); --time without Z or an offset is read in --utc-offset');
    }
    throw e;
  }
}
