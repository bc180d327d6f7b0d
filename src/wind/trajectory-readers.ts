/**
 * Reading back the trajectory files hazetrace writes — the CSV of `trajectoriesToCsv` and the GeoJSON of
 * `trajectoriesToGeoJson` — and one entry point, {@link readTrajectories}, that also takes HYSPLIT tdump files and
 * tells the three apart by content. Malformed rows and features are returned in `rejected` (never dropped
 * silently); accepted + rejected always add up to what the file held.
 */
import { HazetraceError, argError, showValue } from '../core/errors.js';
import { HOUR_MS, parseIsoUtc } from '../core/time.js';
import type { RejectedRow, StopReason } from '../core/types.js';
import { decodeText, parseCsvRows } from '../io/index.js';
import { parseJsonInput } from '../io/text.js';
import type { TextInput } from '../io/index.js';
import { TrajectorySetBuilder } from './trace.js';
import type { TrajectorySetResult } from './trace.js';
import { readTdump } from './trajectory-formats.js';
import { checkOptions } from '../core/check.js';

/** Trajectories read from a file, with what could not be read. */
export interface TrajectoryFileResult extends TrajectorySetResult {
  /** Which format the content was: HYSPLIT `tdump`, hazetrace `csv` or hazetrace `geojson`. */
  format: 'tdump' | 'csv' | 'geojson';
  /** Rows (CSV: 1-based data row; tdump: file line; GeoJSON: 1-based feature) that could not be read. */
  rejected: RejectedRow[];
}

const STOP_REASONS: ReadonlySet<string> = new Set<StopReason>(['completed', 'left-domain', 'no-data', 'time-range', 'model-top']);
const CSV_COLUMNS = ['trajectory', 'receptor', 'member', 'start_time', 'time', 'age_hours', 'lng', 'lat', 'stop_reason'] as const;

interface Pt {
  time: number;
  age: number;
  lng: number;
  lat: number;
}
interface Track {
  receptor: string;
  member: number;
  startTime: number;
  stopReason: StopReason;
  points: Pt[];
}

function build(tracks: Map<number, Track>): TrajectorySetResult {
  const b = new TrajectorySetBuilder(1024);
  for (const id of [...tracks.keys()].sort((x, y) => x - y)) {
    const t = tracks.get(id)!;
    t.points.sort((x, y) => x.age - y.age);
    b.points.reserve(t.points.length);
    const buf = b.points;
    for (const p of t.points) {
      buf.lng[buf.n] = p.lng;
      buf.lat[buf.n] = p.lat;
      buf.time[buf.n] = p.time;
      buf.age[buf.n] = p.age;
      buf.n++;
    }
    b.close(t.receptor, t.member, t.startTime, t.stopReason);
  }
  return b.finish();
}

const finiteIn = (v: number, lo: number, hi: number): boolean => Number.isFinite(v) && v >= lo && v <= hi;
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const decimal = (s: string | undefined): number => (s !== undefined && DECIMAL.test(s.trim()) ? Number(s) : NaN);

/**
 * Read the trajectory-points CSV that `trajectoriesToCsv` (and `hazetrace trace --out`) writes:
 * `trajectory,receptor,member,start_time,time,age_hours,lng,lat,stop_reason`, one row per point, times ISO UTC.
 * Rows are grouped by `trajectory` (ascending) and ordered by age. A row with a bad number, time, coordinate or
 * stop reason goes to `rejected` with its 1-based data row and column; a trajectory whose rows disagree on
 * receptor, member, start time or stop reason keeps the first row's values and the disagreeing rows are rejected.
 * A missing column throws `HazetraceError('E_COLUMNS')`.
 *
 * @example
 * ```ts
 * import { readTrajectoriesCsv, traceTrajectories, trajectoriesToCsv, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0, receptor: 'cm' }], { hours: 3 });
 * const back = readTrajectoriesCsv(trajectoriesToCsv(set));
 * back.length; // 1
 * back.receptor[0]; // 'cm'
 * Array.from(back.ageHours); // [0, 1, 2, 3]
 * ```
 */
export function readTrajectoriesCsv(input: TextInput): TrajectoryFileResult {
  const text = decodeText(input, 'trajectory CSV');
  const rows = parseCsvRows(text);
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const col: Record<string, number> = {};
  const missing: string[] = [];
  for (const c of CSV_COLUMNS) {
    col[c] = header.indexOf(c);
    if (col[c]! < 0) missing.push(c);
  }
  if (missing.length) throw new HazetraceError('E_COLUMNS', `trajectory CSV: missing column(s) ${missing.join(', ')} (have: ${header.join(', ') || 'none'}); expected the header trajectoriesToCsv writes: ${CSV_COLUMNS.join(',')}`, { missing });
  const tracks = new Map<number, Track>();
  const rejected: RejectedRow[] = [];
  for (let r = 1; r < rows.length; r++) {
    const f = rows[r]!;
    if (f.length === 1 && f[0]!.trim() === '') continue;
    const row = r;
    const bad = (column: string, code: string, message: string): void => void rejected.push({ row, column, code, message });
    const get = (c: string): string => f[col[c]!] ?? '';
    const id = decimal(get('trajectory'));
    if (!Number.isInteger(id) || id < 0) {
      bad('trajectory', 'E_NUMBER', `trajectory ${showValue(get('trajectory'))} is not a non-negative integer`);
      continue;
    }
    const member = decimal(get('member'));
    if (!Number.isInteger(member)) {
      bad('member', 'E_NUMBER', `member ${showValue(get('member'))} is not an integer`);
      continue;
    }
    const startTime = parseIsoUtc(get('start_time'));
    const time = parseIsoUtc(get('time'));
    if (!Number.isFinite(startTime)) {
      bad('start_time', 'E_DATE', `start_time ${showValue(get('start_time'))} is not an ISO time`);
      continue;
    }
    if (!Number.isFinite(time)) {
      bad('time', 'E_DATE', `time ${showValue(get('time'))} is not an ISO time`);
      continue;
    }
    const age = decimal(get('age_hours'));
    if (!finiteIn(age, 0, 1e6)) {
      bad('age_hours', 'E_NUMBER', `age_hours ${showValue(get('age_hours'))} is not a finite number >= 0`);
      continue;
    }
    const lng = decimal(get('lng'));
    const lat = decimal(get('lat'));
    if (!finiteIn(lng, -180, 180) || !finiteIn(lat, -90, 90)) {
      bad('lng/lat', 'E_COORD', `lng ${showValue(get('lng'))}, lat ${showValue(get('lat'))} is not a position in degrees`);
      continue;
    }
    const reason = get('stop_reason').trim();
    if (!STOP_REASONS.has(reason)) {
      bad('stop_reason', 'E_VALUE', `stop_reason ${showValue(reason)} is not one of ${[...STOP_REASONS].join(', ')}`);
      continue;
    }
    const receptor = get('receptor');
    let t = tracks.get(id);
    if (!t) tracks.set(id, (t = { receptor, member, startTime, stopReason: reason as StopReason, points: [] }));
    else if (t.receptor !== receptor || t.member !== member || t.startTime !== startTime || t.stopReason !== reason) {
      bad('trajectory', 'E_CONFLICT', `row disagrees with earlier rows of trajectory ${id} on receptor, member, start_time or stop_reason`);
      continue;
    }
    t.points.push({ time, age, lng, lat });
  }
  return { ...build(tracks), format: 'csv', rejected };
}

/** Options of {@link readTrajectoriesGeoJson}. */
export interface ReadTrajectoriesGeoJsonOptions {
  /**
   * Direction of LineString-only trajectories, whose points carry no times: `'backward'` (default; point p is
   * `p · hours / (n − 1)` hours before `startTime`) or `'forward'`.
   */
  direction?: 'backward' | 'forward';
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function position(p: unknown): [number, number] | null {
  if (!Array.isArray(p) || p.length < 2) return null;
  const [x, y] = p as unknown[];
  return typeof x === 'number' && typeof y === 'number' && finiteIn(x, -180, 180) && finiteIn(y, -90, 90) ? [x, y] : null;
}

/**
 * Read the trajectory GeoJSON that `trajectoriesToGeoJson` (and `hazetrace trace --out`) writes. With endpoint
 * Point features (`trajectoriesToGeoJson(set, { points: true })`) every point keeps its time and age exactly;
 * otherwise each LineString (or MultiLineString split at the antimeridian) is taken as evenly spaced points from
 * age 0 to its `hours` property, timed from `startTime` in `direction` (default backward). Features without a
 * usable geometry or `startTime`, or of another shape, go to `rejected` with their 1-based feature index.
 *
 * @example
 * ```ts
 * import { readTrajectoriesGeoJson, traceTrajectories, trajectoriesToGeoJson, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0, receptor: 'cm' }], { hours: 2 });
 * const back = readTrajectoriesGeoJson(JSON.stringify(trajectoriesToGeoJson(set, { points: true })));
 * Array.from(back.time); // [0, -3600000, -7200000]
 * ```
 */
export function readTrajectoriesGeoJson(input: TextInput | object, options: ReadTrajectoriesGeoJsonOptions = {}): TrajectoryFileResult {
  checkOptions('options', options);
  const direction = options.direction ?? 'backward';
  if (direction !== 'backward' && direction !== 'forward') throw argError('options.direction', direction, "'backward' or 'forward'");
  const doc = parseJsonInput(input, 'trajectory GeoJSON');
  if (!isObj(doc) || doc['type'] !== 'FeatureCollection' || !Array.isArray(doc['features'])) {
    throw new HazetraceError('E_FORMAT', 'trajectory GeoJSON: expected a FeatureCollection with a features array');
  }
  const features = doc['features'] as unknown[];
  const tracks = new Map<number, Track>();
  const points = new Map<number, Pt[]>();
  const rejected: RejectedRow[] = [];
  const sign = direction === 'backward' ? -1 : 1;
  features.forEach((f, i) => {
    const row = i + 1;
    const bad = (column: string, code: string, message: string): void => void rejected.push({ row, column, code, message });
    if (!isObj(f) || !isObj(f['properties']) || !isObj(f['geometry'])) return bad('feature', 'E_FEATURE', 'not a Feature with properties and a geometry');
    const props = f['properties'];
    const geom = f['geometry'];
    const id = props['trajectory'];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) return bad('trajectory', 'E_NUMBER', `trajectory ${showValue(id)} is not a non-negative integer`);
    if (geom['type'] === 'Point' && 'ageHours' in props) {
      const p = position(geom['coordinates']);
      const age = props['ageHours'];
      const time = typeof props['time'] === 'string' ? parseIsoUtc(props['time']) : NaN;
      if (!p) return bad('geometry', 'E_COORD', 'endpoint has no valid [lng, lat]');
      if (typeof age !== 'number' || !finiteIn(age, 0, 1e6) || !Number.isFinite(time)) return bad('time', 'E_DATE', 'endpoint needs a finite ageHours and an ISO time');
      let l = points.get(id);
      if (!l) points.set(id, (l = []));
      l.push({ time, age, lng: p[0], lat: p[1] });
      return;
    }
    const startTime = typeof props['startTime'] === 'string' ? parseIsoUtc(props['startTime']) : NaN;
    if (!Number.isFinite(startTime)) return bad('startTime', 'E_DATE', `startTime ${showValue(props['startTime'])} is not an ISO time`);
    const reason = String(props['stopReason'] ?? 'completed');
    if (!STOP_REASONS.has(reason)) return bad('stopReason', 'E_VALUE', `stopReason ${showValue(reason)} is not a stop reason`);
    const hours = typeof props['hours'] === 'number' && finiteIn(props['hours'], 0, 1e6) ? props['hours'] : NaN;
    let parts: unknown[];
    if (geom['type'] === 'LineString') parts = [geom['coordinates']];
    else if (geom['type'] === 'MultiLineString' && Array.isArray(geom['coordinates'])) parts = geom['coordinates'] as unknown[];
    else if (geom['type'] === 'Point') parts = [[geom['coordinates']]];
    else return bad('geometry', 'E_GEOMETRY', `geometry ${showValue(geom['type'])} is not a trajectory (LineString, MultiLineString or Point)`);
    const coords: [number, number][] = [];
    for (const [pi, part] of parts.entries()) {
      if (!Array.isArray(part)) return bad('geometry', 'E_COORD', 'a line is not an array of positions');
      for (const [k, q] of part.entries()) {
        const p = position(q);
        if (!p) return bad('geometry', 'E_COORD', `position ${k} is not a valid [lng, lat]`);
        // The writer repeats the antimeridian crossing at the start of the next part (on the other side): skip it.
        if (pi > 0 && k === 0) continue;
        coords.push(p);
      }
    }
    if (!coords.length && !points.has(id)) return bad('geometry', 'E_COORD', 'empty geometry');
    if (tracks.has(id)) return bad('trajectory', 'E_CONFLICT', `trajectory ${id} appears twice`);
    // Crossing points inserted at ±180 by the writer are not endpoints: drop the one before each split.
    const ends = parts.length > 1 ? dropCrossings(parts as [number, number][][]) : coords;
    const n = ends.length;
    const span = Number.isFinite(hours) ? hours : Math.max(0, n - 1);
    const pts = ends.map(([lng, lat], k) => {
      const age = n > 1 ? (k * span) / (n - 1) : 0;
      return { time: startTime + sign * age * HOUR_MS, age, lng, lat };
    });
    tracks.set(id, { receptor: String(props['receptor'] ?? ''), member: Number.isInteger(props['member']) ? (props['member'] as number) : 0, startTime, stopReason: reason as StopReason, points: pts });
  });
  // Exact endpoints replace the evenly spaced ones of their line.
  for (const [id, pts] of points) {
    const t = tracks.get(id);
    if (t) t.points = pts;
    else if (pts.length) {
      const first = [...pts].sort((a, b) => a.age - b.age)[0]!;
      tracks.set(id, { receptor: '', member: 0, startTime: first.time, stopReason: 'completed', points: pts });
    }
  }
  return { ...build(tracks), format: 'geojson', rejected };
}

function dropCrossings(parts: [number, number][][]): [number, number][] {
  const out: [number, number][] = [];
  parts.forEach((part, i) => {
    const a = i > 0 ? 1 : 0;
    const b = i < parts.length - 1 ? part.length - 1 : part.length;
    for (let k = a; k < b; k++) out.push(part[k]!);
  });
  return out;
}

/**
 * Read trajectories from a HYSPLIT tdump file, a hazetrace trajectory CSV or a hazetrace trajectory GeoJSON,
 * recognised by content (a `{` opens GeoJSON, a header naming `trajectory` and `age_hours` opens CSV, anything
 * else is read as tdump). `format` says which it was; `rejected` lists what could not be read.
 *
 * @example
 * ```ts
 * import { readTrajectories, traceTrajectories, trajectoriesToCsv, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: 0 }], { hours: 2 });
 * readTrajectories(trajectoriesToCsv(set)).format; // 'csv'
 * ```
 */
export function readTrajectories(input: TextInput, options: ReadTrajectoriesGeoJsonOptions = {}): TrajectoryFileResult {
  const text = decodeText(input, 'trajectory file');
  const head = text.replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) return readTrajectoriesGeoJson(text, options);
  const first = head.slice(0, Math.max(0, head.indexOf('\n')) || head.length).toLowerCase();
  if (/(^|,)\s*trajectory\s*(,|$)/.test(first) && first.includes('age_hours')) return readTrajectoriesCsv(text);
  const t = readTdump(text);
  return { ...t, format: 'tdump', rejected: t.rejected };
}
