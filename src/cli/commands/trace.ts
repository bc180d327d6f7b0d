/** `hazetrace trace`: back- (or forward-) trajectories from points or stations, or convert a HYSPLIT tdump. */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { HazetraceError, toIsoUtc, type WindField } from '../../core/index.js';
import {
  concatTrajectorySets,
  isWindField3D,
  readTdump,
  traceEnsemble,
  traceTrajectories,
  traceTrajectories3d,
  trajectoriesToCsv,
  trajectoriesToGeoJson,
  writeTdump,
  type TraceStart,
  type TrajectorySet3D,
  type TrajectorySetResult,
  type VerticalMotion,
  type WindField3D,
} from '../../wind/index.js';
import { openWindFile } from '../../node/index.js';
import type { CommandSpec } from '../context.js';
import { inputError, isoTimes, usageError, withInput } from '../errors.js';
import { OutDir, UTC_OFFSET_HELP, checkInputFile, numberOption, optionalOption, readText, timeOption, utcOffsetOption } from '../options.js';
import { describeRejected, loadStations, loadWind, noteJson, type InputNote } from '../inputs.js';
import { jsonChunks } from '../json-stream.js';

export const traceCommand: CommandSpec = {
  name: 'trace',
  summary: 'HYSPLIT-style back/forward trajectories on a wind field, or convert a HYSPLIT tdump',
  usage:
    'hazetrace trace --wind WIND (--start LNG,LAT | --stations STATIONS.csv) --time TIME [--utc-offset +07:00] [--hours 72]\n' +
    '                [--direction back|forward] [--ensemble none|offset|random-walk] [--members N] [--seed N] [--out DIR] [--json]\n' +
    '                [--height 500] [--vertical data|isobaric|agl] [--remap] [--surface SINGLE_LEVELS.nc[,...]] [--met blh,tp,t]   (3-D wind)\n' +
    '       hazetrace trace --tdump tdump.txt [--out DIR] [--json]',
  details:
    'Heun predictor-corrector on the sphere (HYSPLIT), hourly endpoints. WIND as for `attribute`: NetCDF,\n' +
    'U.tif,V.tif, GRIB2 or a point-wind CSV. --time takes one or more comma-separated times; a time without its own\n' +
    'offset or Z ("2025-04-23 12:00") is read in --utc-offset (default +07:00): that one is 2025-04-23T05:00Z.\n' +
    '--ensemble picks the ensemble kind (offset: the 9 HYSPLIT offset members; random-walk: --members N).\n' +
    'Files in --out: trajectories.geojson, trajectories.csv, tdump.txt (HYSPLIT format).\n' +
    '3-D: a NetCDF or GRIB2 with u, v on pressure levels (ERA5 pressure levels: u, v, w, z; GFS: u, v, w/vvelprs, gh/hgtprs)\n' +
    'is traced in 3-D (docs/wind-3d.md): starts --height m above ground (default 500); --vertical data (omega, the\n' +
    'default when the file has it), isobaric or agl; --surface adds single-level files (ERA5 z, sp, blh, tp; GFS\n' +
    'hgtsfc, hpblsfc, apcpsfc) for terrain, mixed layer and rain; --met samples fields along the path (blh = mixing\n' +
    'height, tp = precipitation mm/h, t, r or any variable). CSV/GeoJSON/tdump then carry height AGL, pressure,\n' +
    'the mixed-layer flag and the --met columns. --remap (with --vertical agl): trace on the wind remapped once onto the\n' +
    'start height (HYSPLIT\'s order; faster, positions differ slightly: docs/wind-3d.md).\n' +
    'JSON on stdout: the trajectories as a GeoJSON FeatureCollection (one LineString per trajectory).',
  options: {
    wind: { type: 'string', help: 'wind: NetCDF, GRIB2, U.tif,V.tif, or point-wind CSV' },
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
    height: { type: 'string', help: '3-D: start height above ground, m (default 500)' },
    vertical: { type: 'string', help: '3-D: vertical motion data (omega), isobaric or agl (constant height above ground)' },
    surface: { type: 'string', help: '3-D: single-level NetCDF file(s), comma-separated (terrain, surface pressure, blh, tp)' },
    met: { type: 'string', help: '3-D: fields to sample along trajectories, comma-separated: blh, tp, sp, t, r or a variable name' },
    remap: { type: 'boolean', default: false, help: '3-D with --vertical agl: trace on the wind remapped onto the start height (faster; docs/wind-3d.md)' },
  },
  examples: [
    'hazetrace trace --wind data/wind_2pt_hourly_2025.csv --start 98.97,18.84 --time "2025-04-23 13:00" --hours 48 --out out/trace',
    'hazetrace trace --wind era5_pl.nc --surface era5_sl.nc --start 98.97,18.84 --time "2025-04-23 13:00" --height 500 --met blh,tp --out out/trace3d',
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
      const flags3d = ['height', 'vertical', 'surface', 'met'].filter((k) => optionalOption(v, k) !== undefined);
      if (v['remap'] === true) flags3d.push('remap');
      const wind: { field: WindField; describe: string; note?: InputNote } = flags3d.length > 0 ? await loadWind3d(v, windArg, ctx.cwd, flags3d) : await loadWind('wind', windArg, ctx.cwd);
      if (wind.note) notes.push(wind.note);
      const starts: TraceStart[] = [];
      for (const p of points) for (const t of times) starts.push({ lng: p.lng, lat: p.lat, time: t, receptor: p.id });
      const opts = { hours, direction: direction as 'back' | 'forward' };
      const field3d = isWindField3D(wind.field) ? wind.field : null;
      if (field3d && ensemble !== 'none') {
        throw usageError(`--ensemble ${ensemble} is 2-D only, but --wind ${windArg} has pressure levels and is traced in 3-D`, '--ensemble', 'drop --ensemble (3-D traces one trajectory per start), or give 2-D wind (u10/v10)');
      }
      const vertical = field3d ? verticalOption(v, field3d) : undefined;
      const sampleNames = field3d ? metOption(v, field3d) : [];
      const height = numberOption(v, 'height', 500, { min: 0, max: 30_000 });
      const remap = v['remap'] === true;
      if (remap && vertical !== 'agl') throw usageError('--remap traces at a constant height above ground: it needs --vertical agl', '--remap', 'add --vertical agl, or drop --remap');
      ctx.progress.stage('tracing');
      set = await startsInWind(startArg ? '--start' : '--stations', () => withInput(`--wind ${windArg}`, () => {
        if (field3d) return traceTrajectories3d(field3d, starts.map((s) => ({ ...s, heightAgl: height })), { ...opts, ...(vertical ? { vertical } : {}), ...(remap ? { remap } : {}), sample: sampleNames });
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
      const mode3d = field3d ? `, 3-D from ${height} m above ground, vertical ${(set as TrajectorySet3D).vertical}${sampleNames.length ? `, sampling ${sampleNames.join(', ')}` : ''}` : '';
      what = `${set.length} ${direction} trajectories (${points.length} start point(s) × ${times.length} time(s)${ensemble === 'none' ? '' : `, ${ensemble} ensemble`}${mode3d}) on ${wind.describe}; stop reasons: ${Object.entries(reasons).map(([k, n]) => `${k} ${n}`).join(', ')}`;
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
    const s3 = 'heightAgl' in set && set.heightAgl instanceof Float64Array ? (set as TrajectorySet3D) : null;
    for (let j = 0; j < Math.min(set.length, 5); j++) {
      const a = set.offsets[j] as number;
      const b = (set.offsets[j + 1] as number) - 1;
      const z = s3 ? `, ${s3.heightAgl[b]!.toFixed(0)} m above ground${Number.isFinite(s3.pressure[b]) ? ` (${(s3.pressure[b]! / 100).toFixed(0)} hPa)` : ''}` : '';
      lines.push(
        `  ${set.receptor[j] || '#' + j} member ${set.member[j]} from ${toIsoUtc(set.startTime[j] as number)}: ${(set.ageHours[b] as number).toFixed(0)} h, ends at ${(set.lng[b] as number).toFixed(3)}, ${(set.lat[b] as number).toFixed(3)}${z} (${set.stopReason[j]})${a === b ? ' (no motion)' : ''}`,
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
    if (cause instanceof HazetraceError && cause.code === 'E_DOMAIN' && /heightAgl/.test(String(cause.details?.['argument'] ?? ''))) {
      throw usageError(cause.message, '--height', 'start below the top pressure level of --wind (and above ground)');
    }
    if (cause instanceof HazetraceError && cause.code === 'E_DOMAIN') {
      throw usageError(isoTimes(cause.message), `${startOption} / --time`, 'start inside the wind field\'s area and time range (the message gives both); --time without Z or an offset is read in --utc-offset');
    }
    throw e;
  }
}

/** `--met` names → the 3-D field's sampler names (blh/hpbl → mixingHeight, tp/apcp/prate → precipitation, sp → surfacePressure). */
const MET_ALIASES: Readonly<Record<string, string>> = {
  blh: 'mixingHeight',
  hpbl: 'mixingHeight',
  pblh: 'mixingHeight',
  mixingheight: 'mixingHeight',
  tp: 'precipitation',
  apcp: 'precipitation',
  prate: 'precipitation',
  precip: 'precipitation',
  precipitation: 'precipitation',
  rain: 'precipitation',
  sp: 'surfacePressure',
  surfacepressure: 'surfacePressure',
};

function metTokens(v: Record<string, string | boolean | undefined>): string[] {
  const raw = optionalOption(v, 'met');
  return raw ? [...new Set(raw.split(',').map((x) => x.trim()).filter(Boolean))] : [];
}

/** The field names to sample for `--met`; a name the wind lacks is a usage error listing what it has. */
function metOption(v: Record<string, string | boolean | undefined>, field: WindField3D): string[] {
  return metTokens(v).map((tok) => {
    const name = MET_ALIASES[tok.toLowerCase()] ?? tok;
    if (!field.fieldNames.includes(name)) {
      throw usageError(
        `--met ${tok}: the wind has no ${name === tok ? `field "${tok}"` : `${name} (${tok})`}; it has ${field.fieldNames.join(', ') || 'no fields to sample'}`,
        '--met',
        name === 'mixingHeight' || name === 'precipitation' || name === 'surfacePressure' ? 'give the single-level file with it: --surface era5_sl.nc (ERA5 blh, tp, sp; GFS hpblsfc, apcpsfc, pressfc)' : 'name a variable of --wind or --surface',
      );
    }
    return name;
  });
}

function verticalOption(v: Record<string, string | boolean | undefined>, field: WindField3D): VerticalMotion | undefined {
  const raw = optionalOption(v, 'vertical');
  if (raw === undefined) return undefined;
  if (raw !== 'data' && raw !== 'isobaric' && raw !== 'agl') throw usageError(`--vertical must be data, isobaric or agl, got ${JSON.stringify(raw)}`, '--vertical');
  if (raw === 'data' && !field.hasVerticalMotion) {
    throw usageError('--vertical data needs vertical velocity (omega) in --wind, and it has none', '--vertical', 'use --vertical agl (constant height above ground) or isobaric, or download w (ERA5) / vvel (GFS) too');
  }
  return raw;
}

/** Whether a file starts with the GRIB indicator (read 4 bytes; unreadable files are left to the wind reader). */
function isGribFile(path: string): boolean {
  try {
    const fd = openSync(path, 'r');
    try {
      const b = Buffer.alloc(4);
      return readSync(fd, b, 0, 4, 0) === 4 && b.toString('latin1') === 'GRIB';
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * Open --wind as 3-D (the 3-D flags were given): the NetCDF's pressure levels plus the --surface files and the
 * --met extras. A wind without levels is a usage error saying why 3-D is impossible.
 */
async function loadWind3d(v: Record<string, string | boolean | undefined>, windArg: string, cwd: string, flags: string[]): Promise<{ field: WindField; describe: string; note?: InputNote }> {
  const parts = windArg.split(',').map((x) => x.trim()).filter(Boolean);
  const why = `--${flags.join(', --')} ask${flags.length === 1 ? 's' : ''} for a 3-D trace`;
  if (parts.length !== 1) throw usageError(`${why}, which needs one NetCDF with u, v on pressure levels as --wind, got ${parts.length} paths`, '--wind', 'e.g. --wind era5_pressure_levels.nc (ERA5 u, v, w, z on levels)');
  const surface = (optionalOption(v, 'surface') ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const surfaceBytes = surface.map((p) => {
    const { path } = checkInputFile('surface', p, cwd);
    try {
      return new Uint8Array(readFileSync(path));
    } catch (e) {
      throw inputError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, '--surface');
    }
  });
  // extras the reader should carry: t (density for omega → w) and r by default, plus --met names that are not surface roles
  const extra = [...new Set(['t', 'r', ...metTokens(v).filter((tok) => MET_ALIASES[tok.toLowerCase()] === undefined)])];
  const { path: windPath } = checkInputFile('wind', parts[0]!, cwd);
  // GRIB2 carries its surface fields in the same file; a NetCDF takes them from --surface
  const grib = isGribFile(windPath);
  if (grib && surfaceBytes.length > 0) throw usageError('--surface is for NetCDF single-level files; a GRIB2 --wind carries orography, surface pressure, HPBL and precipitation itself', '--surface', 'drop --surface, or put the surface fields in the GRIB2 file');
  const r = await withInput(
    `--wind ${windArg}${surface.length ? ` --surface ${surface.join(',')}` : ''}`,
    () => openWindFile(windPath, grib ? { label: parts[0]!, grib2: { extra } } : { label: parts[0]!, netcdf3d: { extra, ...(surfaceBytes.length ? { surface: surfaceBytes } : {}) } }),
    `${why}: give an ERA5/GFS NetCDF or GRIB2 with u, v on at least two pressure levels (and single-level files with --surface); for u10/v10 wind drop --${flags.join(', --')}`,
  );
  if (!isWindField3D(r.field)) throw usageError(`${why}, but --wind ${windArg} has no u, v on two or more pressure levels (${r.describe})`, '--wind', `give wind on pressure levels, or drop --${flags.join(', --')}`);
  const note = r.rejected.length > 0 ? { note: { option: 'wind', path: windArg, accepted: r.accepted, rejected: r.rejected, unit: 'frames' } } : {};
  return { field: r.field, describe: r.describe, ...note };
}
