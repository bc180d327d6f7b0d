/**
 * Trajectories in and out: HYSPLIT `tdump` endpoint files (so users can bring their own HYSPLIT
 * runs), GeoJSON LineStrings (split at the antimeridian, RFC 7946 §3.1.9) and CSV.
 *
 * tdump layout (HYSPLIT user's guide, "Trajectory output file format", and
 * https://www.ready.noaa.gov/hypub/trajinfo.html):
 *   #1  I6 number of meteorological grids [, I6 format version — absent in the pre-2005 format]
 *   #2  per grid: A8 model id, 5I6 file start year month day hour forecast-hour
 *   #3  I6 number of trajectories, 1X A8 direction (FORWARD/BACKWARD), 1X A8 vertical motion
 *   #4  per trajectory: 4I6 start year month day hour, 2F9.3 lat lon, F8.1 level (m AGL)
 *   #5  I6 number n of diagnostic variables, n(1X A8) labels (the first is always PRESSURE)
 *   #6  per point: I6 trajectory no., I6 grid no., 5I6 year month day hour minute, I6 forecast hour,
 *       F8.1 age (h, negative backward), 2F9.3 lat lon, 1X F8.1 height, n(1X F8.1) diagnostics
 * Years are two digits. Older files use 2F8.3 for lat/lon, so numbers can touch ("40.000-179.000"):
 * the reader splits on number patterns, not on blanks.
 */
import { HazetraceError, argError, showValue } from '../core/errors.js';
import { wrapLng } from '../core/geodesy.js';
import { HOUR_MS, toIsoUtc } from '../core/time.js';
import type { RejectedRow, StopReason, TrajectorySet } from '../core/types.js';
import { decodeText } from '../io/index.js';
import type { TextInput } from '../io/index.js';
import { TrajectorySetBuilder } from './trace.js';
import type { TrajectorySetResult } from './trace.js';
import { checkOptions, checkTrajectorySet } from '../core/check.js';

const NUM = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

function numbers(line: string): number[] {
  const m = line.match(NUM);
  return m ? m.map(Number) : [];
}

/** Two-digit tdump years: 40–99 → 19xx, 00–39 → 20xx (four-digit years pass through). */
function fullYear(y: number): number {
  if (y >= 100) return y;
  return y >= 40 ? 1900 + y : 2000 + y;
}

/** UTC ms of a tdump date (two- or four-digit year), or NaN when any field is not a whole number in range (no rollover). */
function tdumpTime(y: number, mo: number, d: number, h: number, mi = 0): number {
  if (![y, mo, d, h, mi].every(Number.isInteger) || y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return NaN;
  const year = fullYear(y);
  const t = Date.UTC(year, mo - 1, d, h, mi);
  return new Date(t).getUTCDate() === d ? t : NaN;
}

/** A meteorological grid record of a tdump file. */
export interface TdumpGrid {
  model: string;
  /** Start of the meteorological file, UTC ms. */
  start: number;
  forecastHour: number;
}

/** A starting-location record of a tdump file. */
export interface TdumpStart {
  time: number;
  lat: number;
  lng: number;
  heightM: number;
}

/** What {@link readTdump} returns: a TrajectorySet plus the file's extra columns and header. */
export interface TdumpResult extends TrajectorySetResult {
  /** Point height, m above ground, aligned with `lng`. */
  heightM: Float64Array;
  /** Diagnostic columns by label (PRESSURE, THETA, ...), aligned with `lng`. */
  diagnostics: Record<string, Float64Array>;
  /** Meteorological grid records. */
  grids: TdumpGrid[];
  /** Starting-location records, in trajectory-number order. */
  starts: TdumpStart[];
  direction: string;
  verticalMotion: string;
  /** Point lines that could not be read (1-based line number in `row`). */
  rejected: RejectedRow[];
}

/** Options of {@link readTdump}. */
export interface ReadTdumpOptions {
  /** Receptor id given to every trajectory (default ''). */
  receptor?: string;
}

function headerError(line: number, what: string, text: string | undefined): HazetraceError {
  return new HazetraceError('E_FORMAT', `tdump line ${line}: expected ${what}, got ${showValue(text ?? '<end of file>')}`, { row: line });
}

/**
 * Read a HYSPLIT trajectory endpoints (`tdump`) file. Points are grouped by trajectory number and
 * ordered by age; `member` is the trajectory number − 1 (HYSPLIT ensembles number their members),
 * `ageHours` is |age|. tdump records no stop reason: a trajectory that ends before the file's
 * longest age is marked `left-domain` (HYSPLIT stops a trajectory when it leaves the meteorological
 * grid), the others `completed`. Malformed point lines are returned in `rejected`, never dropped.
 *
 * @example
 * ```ts
 * import { readTdump } from 'hazetrace/wind';
 * const text = [
 *   '     1     1',
 *   '    GDAS    25     4    22     0     0',
 *   '     1 BACKWARD OMEGA   ',
 *   '    25     4    22    12   18.788   98.985    500.0',
 *   '     1 PRESSURE',
 *   '     1     1    25     4    22    12     0     0     0.0   18.788   98.985    500.0    952.1',
 *   '     1     1    25     4    22    11     0     0    -1.0   18.820   99.101    487.2    953.4',
 * ].join('\n');
 * const t = readTdump(text);
 * t.length; // 1
 * Array.from(t.ageHours); // [0, 1]
 * ```
 */
export function readTdump(input: TextInput, options: ReadTdumpOptions = {}): TdumpResult {
  const text = decodeText(input, 'tdump');
  const lines = text.split(/\r?\n/);
  let li = 0;
  const next = (): string | undefined => {
    while (li < lines.length && lines[li]!.trim() === '') li++;
    return lines[li++];
  };
  // #1
  let line = next();
  const r1 = line === undefined ? [] : numbers(line);
  const nGrids = r1[0];
  if (nGrids === undefined || !Number.isInteger(nGrids) || nGrids < 1 || nGrids > 1000) throw headerError(li, 'the number of meteorological grids (I6)', line);
  // #2
  const grids: TdumpGrid[] = [];
  for (let g = 0; g < nGrids; g++) {
    line = next();
    if (line === undefined || line.length < 9) throw headerError(li, `meteorological grid record ${g + 1} (A8, 5I6)`, line);
    const model = line.slice(0, 8).trim();
    const n = numbers(line.slice(8));
    if (n.length < 5) throw headerError(li, `meteorological grid record ${g + 1} (A8, 5I6)`, line);
    const start = tdumpTime(n[0]!, n[1]!, n[2]!, n[3]!);
    if (!Number.isFinite(start) || !Number.isFinite(n[4]!)) throw headerError(li, `meteorological grid record ${g + 1} with a valid date (A8, 5I6)`, line);
    grids.push({ model, start, forecastHour: n[4]! });
  }
  // #3
  line = next();
  const m3 = line === undefined ? null : /^\s*(\d+)\s+(\S+)\s*(\S*)/.exec(line);
  if (!m3) throw headerError(li, 'the number of trajectories, direction and vertical motion method', line);
  const nTraj = Number(m3[1]);
  if (!(nTraj >= 1 && nTraj <= 100_000)) throw headerError(li, 'a number of trajectories in 1..100000', line);
  const direction = m3[2]!;
  const verticalMotion = m3[3] ?? '';
  // #4
  const starts: TdumpStart[] = [];
  for (let k = 0; k < nTraj; k++) {
    line = next();
    const n = line === undefined ? [] : numbers(line);
    if (n.length < 7) throw headerError(li, `starting location ${k + 1} (4I6, 2F9.3, F8.1)`, line);
    const time = tdumpTime(n[0]!, n[1]!, n[2]!, n[3]!);
    if (!Number.isFinite(time) || !(n[4]! >= -90 && n[4]! <= 90) || !(n[5]! >= -360 && n[5]! <= 360) || !Number.isFinite(n[6]!)) {
      throw headerError(li, `starting location ${k + 1} with a valid date, lat -90..90 and lon -360..360 (4I6, 2F9.3, F8.1)`, line);
    }
    starts.push({ time, lat: n[4]!, lng: n[5]!, heightM: n[6]! });
  }
  // #5
  line = next();
  const m5 = line === undefined ? null : /^\s*(\d+)(.*)$/.exec(line);
  if (!m5) throw headerError(li, 'the diagnostic variable record (I6, n(1X,A8))', line);
  const nDiag = Number(m5[1]);
  if (!(nDiag >= 0 && nDiag <= 1000)) throw headerError(li, 'a number of diagnostic variables in 0..1000', line);
  const labels = m5[2]!.trim() === '' ? [] : m5[2]!.trim().split(/\s+/);
  if (labels.length !== nDiag) throw headerError(li, `${nDiag} diagnostic labels`, line);
  // #6
  interface P { traj: number; time: number; age: number; lat: number; lng: number; h: number; diag: number[] }
  const byTraj = new Map<number, P[]>();
  const rejected: RejectedRow[] = [];
  const need = 12 + nDiag;
  for (; li < lines.length; li++) {
    const raw = lines[li]!;
    if (raw.trim() === '') continue;
    const n = numbers(raw);
    const row = li + 1;
    if (n.length !== need) {
      rejected.push({ row, code: 'E_COLUMNS', message: `expected ${need} numbers (12 + ${nDiag} diagnostics), got ${n.length}: ${showValue(raw)}` });
      continue;
    }
    const bad = n.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) {
      rejected.push({ row, code: 'E_NUMBER', message: `number ${bad + 1} on the line is not finite: ${showValue(raw)}` });
      continue;
    }
    const traj = n[0]!;
    const time = tdumpTime(n[2]!, n[3]!, n[4]!, n[5]!, n[6]!);
    const lat = n[9]!;
    const lng = n[10]!;
    if (!Number.isInteger(traj) || traj < 1 || (nTraj > 0 && traj > nTraj)) {
      rejected.push({ row, column: 'trajectory', code: 'E_NUMBER', message: `trajectory number ${traj} is not in 1..${nTraj}` });
      continue;
    }
    if (!(lat >= -90 && lat <= 90) || !(lng >= -360 && lng <= 360)) {
      rejected.push({ row, column: 'lat/lon', code: 'E_COORD', message: `lat ${lat}, lon ${lng} out of range` });
      continue;
    }
    if (!Number.isFinite(time)) {
      rejected.push({ row, column: 'time', code: 'E_DATE', message: `bad date ${n.slice(2, 7).join(' ')}` });
      continue;
    }
    let l = byTraj.get(traj);
    if (!l) byTraj.set(traj, (l = []));
    l.push({ traj, time, age: n[8]!, lat, lng: wrapLng(lng), h: n[11]!, diag: n.slice(12) });
  }
  const ids = [...byTraj.keys()].sort((a, b) => a - b);
  let maxAge = 0;
  for (const l of byTraj.values()) for (const p of l) maxAge = Math.max(maxAge, Math.abs(p.age));
  const b = new TrajectorySetBuilder(1024);
  const heights: number[] = [];
  const diags: number[][] = labels.map(() => []);
  const receptor = options.receptor ?? '';
  for (const id of ids) {
    const pts = byTraj.get(id)!;
    pts.sort((x, y) => Math.abs(x.age) - Math.abs(y.age));
    b.points.reserve(pts.length);
    const buf = b.points;
    for (const p of pts) {
      buf.lng[buf.n] = p.lng;
      buf.lat[buf.n] = p.lat;
      buf.time[buf.n] = p.time;
      buf.age[buf.n] = Math.abs(p.age);
      buf.n++;
      heights.push(p.h);
      for (let d = 0; d < labels.length; d++) diags[d]!.push(p.diag[d]!);
    }
    const lastAge = Math.abs(pts[pts.length - 1]!.age);
    const reason: StopReason = lastAge + 1e-9 >= maxAge ? 'completed' : 'left-domain';
    const st = starts[id - 1];
    b.close(receptor, id - 1, st ? st.time : pts[0]!.time, reason);
  }
  const set = b.finish();
  const diagnostics: Record<string, Float64Array> = {};
  labels.forEach((lab, d) => (diagnostics[lab] = Float64Array.from(diags[d]!)));
  return { ...set, heightM: Float64Array.from(heights), diagnostics, grids, starts, direction, verticalMotion, rejected };
}

/** Options of {@link writeTdump}. */
export interface WriteTdumpOptions {
  /** Model id in the meteorological grid record (A8, default `HAZETRAC`). */
  model?: string;
  /** Height of every point, m above ground (default 10: a 10 m wind field is 2-D). Ignored for a 3-D set, whose points carry their heights. */
  heightM?: number;
  /** Vertical motion label (default `2D` for 2-D sets; for a 3-D set `OMEGA`, `ISOBARIC` or `AGL` after its mode). */
  verticalMotion?: string;
}

/** The per-point vertical columns of a 3-D set (TrajectorySet3D, trace3d.ts), checked structurally. */
interface Columns3DLike {
  heightAgl: Float64Array;
  pressure: Float64Array;
  terrain?: Float64Array;
  met?: Record<string, Float64Array>;
  vertical?: string;
}

function columns3d(set: TrajectorySet): Columns3DLike | null {
  const s = set as TrajectorySet & Partial<Columns3DLike>;
  const n = set.lng.length;
  if (!(s.heightAgl instanceof Float64Array) || !(s.pressure instanceof Float64Array) || s.heightAgl.length !== n || s.pressure.length !== n) return null;
  return s as Columns3DLike;
}

/** HYSPLIT diagnostic labels of hazetrace's met fields (others are upper-cased, 8 characters). */
const TDUMP_LABELS: Record<string, string> = { mixingHeight: 'MIXDEPTH', precipitation: 'RAINFALL', t: 'AIR_TEMP', rh: 'RELHUMID', surfacePressure: 'SFCPRESS' };

/** Missing diagnostic value written to tdump (the format has no NaN). */
const TDUMP_MISSING = -999;

const pad = (s: string, w: number): string => (s.length >= w ? s : ' '.repeat(w - s.length) + s);
const i6 = (n: number): string => pad(String(Math.round(n)), 6);
const f = (n: number, w: number, d: number): string => pad(n.toFixed(d), w);
const padRight = (s: string, w: number): string => (s.length >= w ? s.slice(0, w) : s + ' '.repeat(w - s.length));

/** ISA pressure at a height (hPa), so the PRESSURE column HYSPLIT readers expect holds a plausible value. */
function isaPressure(h: number): number {
  return 1013.25 * Math.pow(1 - 2.25577e-5 * h, 5.25588);
}

/**
 * Write a TrajectorySet as a HYSPLIT `tdump` file (post-2005 layout, 2F9.3 positions, one
 * PRESSURE diagnostic from the ISA standard atmosphere at `heightM`). Positions keep 3 decimals,
 * times whole minutes — what the format holds. Trajectory numbers are 1-based set order.
 * A 3-D set (from `traceTrajectories3d`) is written with each point's real height above ground and
 * pressure (hPa), then TERR_MSL (terrain, m) and its sampled met fields (MIXDEPTH, RAINFALL, AIR_TEMP,
 * RELHUMID, or the upper-cased name), as HYSPLIT's diagnostic output; a value the field could not give
 * is written as -999.
 *
 * @example
 * ```ts
 * import { traceTrajectory, traceTrajectories, uniformWind, writeTdump } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: -3, v: 0 }), [{ lng: 99, lat: 18.8, time: Date.UTC(2025, 3, 22, 12) }], { hours: 3 });
 * writeTdump(set).split('\n')[2]; // '     1 BACKWARD 2D      '
 * ```
 */
export function writeTdump(set: TrajectorySet, options: WriteTdumpOptions = {}): string {
  if (set === null || typeof set !== 'object' || !(set.offsets instanceof Uint32Array)) throw argError('set', set, 'a TrajectorySet');
  const h = options.heightM ?? 10;
  const c3 = columns3d(set);
  const diagLabels: string[] = ['PRESSURE'];
  const diagCols: Float64Array[] = [];
  if (c3) {
    diagCols.push(c3.pressure.map((p) => p / 100));
    if (c3.terrain instanceof Float64Array && c3.terrain.length === c3.pressure.length) {
      diagLabels.push('TERR_MSL');
      diagCols.push(c3.terrain);
    }
    for (const [name, col] of Object.entries(c3.met ?? {})) {
      if (!(col instanceof Float64Array) || col.length !== c3.pressure.length) continue;
      let label = (TDUMP_LABELS[name] ?? name.toUpperCase().replace(/[^A-Z0-9_]/g, '_')).slice(0, 8);
      while (diagLabels.includes(label)) label = label.slice(0, 7) + String(diagLabels.length % 10);
      diagLabels.push(label);
      diagCols.push(col);
    }
  }
  const vlabel = options.verticalMotion ?? (c3 ? ({ data: 'OMEGA', isobaric: 'ISOBARIC', agl: 'AGL' } as Record<string, string>)[c3.vertical ?? ''] ?? '3D' : '2D');
  const num = (x: number, w: number, dp: number): string => f(Number.isFinite(x) ? x : TDUMP_MISSING, w, dp);
  const model = padRight(pad(options.model ?? 'HAZETRAC', 8), 8);
  const d = (ms: number): Date => new Date(ms);
  const yy = (ms: number): number => d(ms).getUTCFullYear() % 100;
  let tMin = Infinity;
  let backward = 0;
  for (let i = 0; i < set.length; i++) {
    const a = set.offsets[i]!;
    const b = set.offsets[i + 1]!;
    for (let p = a; p < b; p++) tMin = Math.min(tMin, set.time[p]!);
    if (b - a > 1 && set.time[b - 1]! < set.time[a]!) backward++;
  }
  if (!Number.isFinite(tMin)) tMin = 0;
  const dir = backward * 2 >= set.length && set.length > 0 ? 'BACKWARD' : 'FORWARD';
  const sign = dir === 'BACKWARD' ? -1 : 1;
  const out: string[] = [];
  const g = d(Math.floor(tMin / HOUR_MS) * HOUR_MS);
  out.push(i6(1) + i6(1));
  out.push(model + i6(yy(tMin)) + i6(g.getUTCMonth() + 1) + i6(g.getUTCDate()) + i6(g.getUTCHours()) + i6(0));
  out.push(i6(set.length) + ' ' + padRight(dir, 8) + ' ' + padRight(vlabel, 8));
  for (let i = 0; i < set.length; i++) {
    const a = set.offsets[i]!;
    const t = set.length && a < set.offsets[i + 1]! ? set.time[a]! : set.startTime[i]!;
    const s = d(t);
    out.push(
      i6(yy(t)) + i6(s.getUTCMonth() + 1) + i6(s.getUTCDate()) + i6(s.getUTCHours()) + f(set.lat[a] ?? NaN, 9, 3) + f(set.lng[a] ?? NaN, 9, 3) +
        (c3 ? num(c3.heightAgl[a] ?? NaN, 8, 1) : f(h, 8, 1)),
    );
  }
  out.push(i6(diagLabels.length) + diagLabels.map((l) => ' ' + l).join(''));
  const pres = ' ' + f(isaPressure(h), 8, 1);
  // HYSPLIT writes all trajectories' points for one age together; do the same.
  const maxLen = set.length === 0 ? 0 : Math.max(...Array.from({ length: set.length }, (_, i) => set.offsets[i + 1]! - set.offsets[i]!));
  for (let k = 0; k < maxLen; k++) {
    for (let i = 0; i < set.length; i++) {
      const p = set.offsets[i]! + k;
      if (p >= set.offsets[i + 1]!) continue;
      const t = Math.round(set.time[p]! / 60_000) * 60_000;
      const s = d(t);
      out.push(
        i6(i + 1) + i6(1) + i6(yy(t)) + i6(s.getUTCMonth() + 1) + i6(s.getUTCDate()) + i6(s.getUTCHours()) + i6(s.getUTCMinutes()) +
          i6(Math.max(0, Math.floor((t - g.getTime()) / HOUR_MS))) + f(sign * set.ageHours[p]!, 8, 1) + f(set.lat[p]!, 9, 3) + f(set.lng[p]!, 9, 3) +
          (c3 ? ' ' + num(c3.heightAgl[p]!, 8, 1) + diagCols.map((col) => ' ' + num(col[p]!, 8, 1)).join('') : ' ' + f(h, 8, 1) + pres),
      );
    }
  }
  return out.join('\n') + '\n';
}

/** Options of {@link trajectoriesToGeoJson}. */
export interface TrajectoryGeoJsonOptions {
  /** Also emit one Point feature per endpoint with its time and age (default false). */
  points?: boolean;
}

type Position = [number, number];

/** Split a path where consecutive points jump across ±180° (shorter way round), inserting the crossing on both sides. */
function splitAtAntimeridian(lng: Float64Array, lat: Float64Array, a: number, b: number): Position[][] {
  const parts: Position[][] = [];
  let cur: Position[] = [];
  for (let p = a; p < b; p++) {
    const x = lng[p]!;
    const y = lat[p]!;
    if (p > a) {
      const px = lng[p - 1]!;
      const py = lat[p - 1]!;
      const dx = x - px;
      if (Math.abs(dx) > 180) {
        // crossing: go from px to the edge (±180) the short way; interpolate the latitude there
        const edge = px > 0 ? 180 : -180;
        const unwrapped = x + (px > 0 ? 360 : -360);
        const f = (edge - px) / (unwrapped - px);
        const yc = py + f * (y - py);
        cur.push([edge, yc]);
        parts.push(cur);
        cur = [[-edge, yc]];
      }
    }
    cur.push([x, y]);
  }
  parts.push(cur);
  return parts;
}

const fin = (x: number | undefined, dp: number): number | null => (x !== undefined && Number.isFinite(x) ? +x.toFixed(dp) : null);

/** Per-point arrays of a 3-D trajectory [a, b) for its line feature: heightAgl m, pressureHpa, terrainM, mixedLayer, met. */
function points3d(c3: Columns3DLike, a: number, b: number): Record<string, unknown> {
  const mixed = (c3 as Columns3DLike & { mixedLayer?: Uint8Array }).mixedLayer;
  const range = (fn: (p: number) => number | null): (number | null)[] => Array.from({ length: b - a }, (_, k) => fn(a + k));
  const met: Record<string, (number | null)[]> = {};
  for (const [k, col] of Object.entries(c3.met ?? {})) met[k] = range((p) => fin(col[p], 4));
  return {
    heightAgl: range((p) => fin(c3.heightAgl[p], 2)),
    pressureHpa: range((p) => fin(c3.pressure[p]! / 100, 3)),
    terrainM: range((p) => fin(c3.terrain?.[p], 2)),
    mixedLayer: range((p) => (mixed && mixed[p]! <= 1 ? mixed[p]! : null)),
    ...(Object.keys(met).length > 0 ? { met } : {}),
  };
}

/** The same values for one point feature. */
function point3d(c3: Columns3DLike, p: number): Record<string, unknown> {
  const mixed = (c3 as Columns3DLike & { mixedLayer?: Uint8Array }).mixedLayer;
  const met: Record<string, number | null> = {};
  for (const [k, col] of Object.entries(c3.met ?? {})) met[k] = fin(col[p], 4);
  return { heightAgl: fin(c3.heightAgl[p], 2), pressureHpa: fin(c3.pressure[p]! / 100, 3), terrainM: fin(c3.terrain?.[p], 2), mixedLayer: mixed && mixed[p]! <= 1 ? mixed[p]! : null, ...met };
}

/**
 * Trajectories as a GeoJSON FeatureCollection: one LineString per trajectory (a MultiLineString
 * when it crosses the antimeridian, split there as RFC 7946 §3.1.9 asks; a Point when it has a
 * single point), with `receptor`, `member`, `startTime` (ISO), `stopReason`, `hours`. A 3-D set (from
 * `traceTrajectories3d`) adds per-point arrays `heightAgl` (m), `pressureHpa`, `terrainM`, `mixedLayer` (1/0/null)
 * and `met` (each sampled field), and the same values on each point feature.
 *
 * @example
 * ```ts
 * import { traceTrajectories, trajectoriesToGeoJson, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: 10, v: 0 }), [{ lng: 179, lat: 0, time: 0 }], { hours: 24, direction: 'forward' });
 * trajectoriesToGeoJson(set).features[0].geometry.type; // 'MultiLineString'
 * ```
 */
export function trajectoriesToGeoJson(set: TrajectorySet, options: TrajectoryGeoJsonOptions = {}): {
  type: 'FeatureCollection';
  features: { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[];
} {
  checkTrajectorySet('set', set);
  checkOptions('options', options);
  const c3 = columns3d(set);
  const features: { type: 'Feature'; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[] = [];
  for (let i = 0; i < set.length; i++) {
    const a = set.offsets[i]!;
    const b = set.offsets[i + 1]!;
    const properties: Record<string, unknown> = {
      trajectory: i,
      receptor: set.receptor[i],
      member: set.member[i],
      startTime: toIsoUtc(set.startTime[i]!),
      stopReason: set.stopReason[i],
      hours: b > a ? set.ageHours[b - 1] : 0,
    };
    if (c3) Object.assign(properties, points3d(c3, a, b));
    let geometry: { type: string; coordinates: unknown };
    if (b - a <= 1) geometry = { type: 'Point', coordinates: b > a ? [set.lng[a], set.lat[a]] : [] };
    else {
      const parts = splitAtAntimeridian(set.lng, set.lat, a, b);
      geometry = parts.length === 1 ? { type: 'LineString', coordinates: parts[0] } : { type: 'MultiLineString', coordinates: parts };
    }
    features.push({ type: 'Feature', geometry, properties });
    if (options.points) {
      for (let p = a; p < b; p++) {
        features.push({
          type: 'Feature',
          geometry: { type: 'Point', coordinates: [set.lng[p], set.lat[p]] },
          properties: { trajectory: i, receptor: set.receptor[i], member: set.member[i], time: toIsoUtc(set.time[p]!), ageHours: set.ageHours[p], ...(c3 ? point3d(c3, p) : {}) },
        });
      }
    }
  }
  return { type: 'FeatureCollection', features };
}

/** CSV column names of a met field sampled along 3-D trajectories. */
const MET_COLUMNS: Record<string, string> = { mixingHeight: 'mixing_height_m', precipitation: 'precip_mm_h', surfacePressure: 'surface_pressure_pa' };

/** Extra CSV columns of a 3-D set: height_agl, pressure_hpa, terrain_m, mixed_layer (1/0, empty = unknown), then each met field. */
function columns3dCsv(c3: Columns3DLike): { header: string; row: (p: number) => string } {
  const met = Object.entries(c3.met ?? {});
  const mixed = (c3 as Columns3DLike & { mixedLayer?: Uint8Array }).mixedLayer;
  const v = (x: number | undefined, dp: number): string => (x !== undefined && Number.isFinite(x) ? String(+x.toFixed(dp)) : '');
  return {
    header: ['height_agl', 'pressure_hpa', 'terrain_m', 'mixed_layer', ...met.map(([k]) => csvField(MET_COLUMNS[k] ?? k))].join(','),
    row: (p) =>
      [v(c3.heightAgl[p], 2), v(c3.pressure[p]! / 100, 3), v(c3.terrain?.[p], 2), mixed && mixed[p]! <= 1 ? String(mixed[p]) : '', ...met.map(([, col]) => v(col[p], 4))].join(','),
  };
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Trajectory points as CSV, one row per point:
 * `trajectory,receptor,member,start_time,time,age_hours,lng,lat,stop_reason` (times ISO UTC). A 3-D set (from
 * `traceTrajectories3d`) adds `height_agl,pressure_hpa,terrain_m,mixed_layer` (1/0, empty when unknown) and a column
 * per sampled field (`mixing_height_m`, `precip_mm_h`, `surface_pressure_pa`, or the field's name).
 *
 * @example
 * ```ts
 * import { traceTrajectories, trajectoriesToCsv, uniformWind } from 'hazetrace/wind';
 * const set = traceTrajectories(uniformWind({ u: 1, v: 0 }), [{ lng: 99, lat: 18, time: 0, receptor: 'cm' }], { hours: 1 });
 * trajectoriesToCsv(set).split('\n')[1]; // '0,cm,0,1970-01-01T00:00:00Z,1970-01-01T00:00:00Z,0,99,18,completed'
 * ```
 */
export function trajectoriesToCsv(set: TrajectorySet): string {
  checkTrajectorySet('set', set);
  const c3 = columns3d(set);
  const extra = c3 ? columns3dCsv(c3) : null;
  const rows = ['trajectory,receptor,member,start_time,time,age_hours,lng,lat,stop_reason' + (extra ? ',' + extra.header : '')];
  for (let i = 0; i < set.length; i++) {
    const pre = `${i},${csvField(set.receptor[i] ?? '')},${set.member[i]},${toIsoUtc(set.startTime[i]!)},`;
    const post = `,${set.stopReason[i]}`;
    for (let p = set.offsets[i]!; p < set.offsets[i + 1]!; p++) {
      rows.push(`${pre}${toIsoUtc(set.time[p]!)},${+set.ageHours[p]!.toFixed(6)},${+set.lng[p]!.toFixed(6)},${+set.lat[p]!.toFixed(6)}${post}${extra ? ',' + extra.row(p) : ''}`);
    }
  }
  return rows.join('\n') + '\n';
}

