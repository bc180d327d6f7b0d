/**
 * The handlers of `hazetrace serve`: each turns a parsed request into a reply by calling the library
 * (readers, `binPoints`, `traceTrajectories`/`traceEnsemble`, `attributeSeries` via the live state,
 * `scoreAreas`, the cell writers). No analysis lives here.
 */
import { HazetraceError, type CellGrid } from '../../core/index.js';
import { cellsToArrow, cellsToCsv, cellsToGeoJson, readFirmsCsv, readGeoJsonLayer } from '../../io/index.js';
import { binPoints } from '../../grid/index.js';
import { concatTrajectorySets, traceEnsemble, traceTrajectories, trajectoriesToGeoJson, type TrajectorySetResult } from '../../wind/index.js';
import { riskToGeoJson, scoreAreas } from '../../risk/index.js';
import { HttpError } from './limits.js';
import type { LiveState } from './state.js';

/** What a handler answers. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const GEOJSON_TYPE = 'application/geo+json; charset=utf-8';

/** A JSON reply. */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}, type = JSON_TYPE): Reply {
  return { status, headers: { 'content-type': type, ...headers }, body: JSON.stringify(value) };
}

function aborted(signal: AbortSignal): void {
  if (signal.aborted) throw new HazetraceError('E_ABORTED', 'the client went away; work stopped', {});
}

/** Parse a JSON body (empty → `{}`); bad JSON is E_JSON. */
export function parseJsonBody(body: Uint8Array): Record<string, unknown> {
  const text = new TextDecoder().decode(body).trim();
  if (text === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new HazetraceError('E_JSON', `request body is not JSON: ${(e as Error).message}`, {});
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new HazetraceError('E_ARG', 'request body must be a JSON object', { argument: 'body' });
  return v as Record<string, unknown>;
}

/** `res=` from the query: absent → the default; empty or not a number → E_ARG (never silently 0). */
export function resParam(url: URL, fallback: number): number {
  const raw = url.searchParams.get('res');
  if (raw === null) return fallback;
  if (!/^\s*\d+\s*$/.test(raw)) throw new HazetraceError('E_ARG', `res must be an integer in 0..15, got ${JSON.stringify(raw)}`, { argument: 'res', value: raw });
  return Number(raw);
}

/** POST /grid?res=R[&wrap=1]: FIRMS CSV → GeoJSON cells (count, frp_sum, frp_max). */
export function gridHandler(url: URL, body: Uint8Array, signal: AbortSignal): Reply {
  const res = resParam(url, 5);
  if (res > 15) throw new HazetraceError('E_ARG', `res must be an integer in 0..15, got ${res}`, { argument: 'res', value: res });
  const r = readFirmsCsv(body);
  aborted(signal);
  const rejectedRows = r.rejected.slice(0, 100);
  if (r.hotspots.length === 0) {
    throw new HazetraceError('E_INPUT', `no usable FIRMS rows: 0 accepted, ${r.rejected.length} rejected`, { rejected: rejectedRows, rejectedCount: r.rejected.length });
  }
  const grid = binPoints({ lng: r.hotspots.lng, lat: r.hotspots.lat, frp: r.hotspots.frp }, { res, values: { frp: ['sum', 'max'] } });
  aborted(signal);
  const fc = cellsToGeoJson(grid);
  const headers = { 'x-hazetrace-accepted': String(r.hotspots.length), 'x-hazetrace-rejected': String(r.rejected.length) };
  const wrap = url.searchParams.get('wrap');
  if (wrap === '1') return jsonReply(200, { res, accepted: r.hotspots.length, rejected: r.rejected.length, rejectedRows, geojson: fc }, headers, GEOJSON_TYPE);
  return jsonReply(200, fc, headers, GEOJSON_TYPE);
}

const yieldNow = (): Promise<void> => new Promise((r) => setImmediate(r));

function num(v: unknown, name: string, fallback: number, lo: number, hi: number, integer = false): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new HazetraceError('E_ARG', `${name} must be ${integer ? 'an integer' : 'a number'} in ${lo}..${hi}, got ${JSON.stringify(v)}`, { argument: name, value: v });
  }
  return v;
}

/** Counter of trace starts done, for tests of cancellation. */
export const traceProgress = { starts: 0 };

/**
 * POST /trace: `{ start: [lng, lat], time: ISO | ISO[], hours?, direction?, ensemble?, members?, seed? }` on the
 * working set's wind. Starts are traced one at a time with a yield between them, so a client that goes away
 * stops the work.
 */
export async function traceHandler(state: LiveState, body: Uint8Array, signal: AbortSignal): Promise<Reply> {
  const q = parseJsonBody(body);
  if (!state.wind) throw new HttpError(409, 'E_INPUT', 'the working set has no wind; POST a wind file to /state/wind first');
  const start = q['start'];
  if (!Array.isArray(start) || start.length !== 2 || !start.every((x) => typeof x === 'number' && Number.isFinite(x)) || Math.abs(start[1] as number) > 90 || Math.abs(start[0] as number) > 180) {
    throw new HazetraceError('E_ARG', `start must be [lng, lat] in degrees, got ${JSON.stringify(start)}`, { argument: 'start', value: start });
  }
  const timesIn = Array.isArray(q['time']) ? (q['time'] as unknown[]) : [q['time']];
  if (timesIn.length === 0 || timesIn.length > 10_000) throw new HazetraceError('E_ARG', `time must be 1..10000 ISO times, got ${timesIn.length}`, { argument: 'time' });
  const times = timesIn.map((t) => {
    const ms = typeof t === 'string' && /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? Date.parse(t) : NaN;
    if (!Number.isFinite(ms)) throw new HazetraceError('E_ARG', `time must be an ISO 8601 time with Z or an offset, got ${JSON.stringify(t)}`, { argument: 'time', value: t });
    return ms;
  });
  const hours = num(q['hours'], 'hours', 72, 1, 2400);
  const direction = q['direction'] ?? 'back';
  if (direction !== 'back' && direction !== 'forward') throw new HazetraceError('E_ARG', `direction must be back or forward, got ${JSON.stringify(direction)}`, { argument: 'direction', value: direction });
  const ensemble = q['ensemble'] ?? 'none';
  if (ensemble !== 'none' && ensemble !== 'offset' && ensemble !== 'random-walk') throw new HazetraceError('E_ARG', `ensemble must be none, offset or random-walk, got ${JSON.stringify(ensemble)}`, { argument: 'ensemble', value: ensemble });
  const members = num(q['members'], 'members', 27, 1, 1000, true);
  const seed = num(q['seed'], 'seed', 1, -2147483648, 2147483647, true);
  const field = state.wind.field;
  const sets: TrajectorySetResult[] = [];
  for (let i = 0; i < times.length; i++) {
    if (i % 8 === 0) {
      await yieldNow();
      aborted(signal);
    }
    const s = { lng: start[0] as number, lat: start[1] as number, time: times[i] as number, receptor: 'start' };
    const opts = { hours, direction: direction as 'back' | 'forward' };
    sets.push(ensemble === 'none' ? traceTrajectories(field, [s], opts) : traceEnsemble(field, s, ensemble === 'offset' ? { ...opts, members: 'offset' } : { ...opts, members: 'random-walk', count: members, seed }));
    traceProgress.starts++;
  }
  return jsonReply(200, trajectoriesToGeoJson(concatTrajectorySets(sets)), {}, GEOJSON_TYPE);
}

/** POST /attribute: `{ episode }` → the live episode; `{ from?, to? }` → the period's contract JSON. */
export function attributeHandler(state: LiveState, body: Uint8Array): Reply {
  const q = parseJsonBody(body);
  if (typeof q['episode'] === 'string') {
    const e = state.episodes.get(q['episode']);
    if (!e) throw new HttpError(404, 'E_NOT_FOUND', `no episode ${JSON.stringify(q['episode'])} in the live state (GET /state/episodes lists them)`);
    return jsonReply(200, e, { 'x-hazetrace-version': String(state.version) });
  }
  for (const k of ['from', 'to']) if (q[k] !== undefined && typeof q[k] !== 'string') throw new HazetraceError('E_ARG', `${k} must be a date YYYY-MM-DD, got ${JSON.stringify(q[k])}`, { argument: k });
  if (q['from'] === undefined && q['to'] === undefined) throw new HazetraceError('E_ARG', 'give { "episode": id } or a period { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }', { argument: 'body' });
  if (!state.attributable) throw new HttpError(409, 'E_INPUT', `the working set lacks ${(state.summary() as { missing: string[] }).missing.join(', ')}; post them to /state/* first`);
  return jsonReply(200, state.attributePeriod(q['from'] as string | undefined, q['to'] as string | undefined), { 'x-hazetrace-version': String(state.version) });
}

/** POST /risk: scoreAreas on the working set's hotspots and the given (or live) areas. */
export function riskHandler(state: LiveState, body: Uint8Array): Reply {
  const q = parseJsonBody(body);
  if (!state.hotspots) throw new HttpError(409, 'E_INPUT', 'the working set has no hotspots; POST a FIRMS batch to /state/hotspots first');
  const areas = q['areas'] !== undefined ? readGeoJsonLayer(q['areas'] as object) : state.areas;
  if (!areas) throw new HttpError(409, 'E_INPUT', 'no areas: pass { "areas": FeatureCollection } or POST them to /state/areas');
  const res = num(q['res'], 'res', state.riskRes, 0, 12, true);
  const top = num(q['top'], 'top', 20, 1, 100_000, true);
  const idProperty = typeof q['idProperty'] === 'string' ? q['idProperty'] : 'id';
  const r = scoreAreas({ hotspots: state.hotspots, areas }, { res, idProperty, ...(typeof q['nameProperty'] === 'string' ? { nameProperty: q['nameProperty'] } : {}) });
  return jsonReply(200, {
    res,
    cells: r.scores.cells.length,
    seasons: r.periods.map(String),
    weights: r.weights,
    weightsFrom: r.weightsFrom,
    areas: r.table.areas.slice(0, top).map((a) => ({ rank: a.rank, id: a.id, name: a.name, meanScore: a.meanScore, maxScore: a.maxScore, level: a.level, topFactors: a.topFactors })),
    unscored: r.table.unscored.length,
    warnings: r.scores.warnings,
  });
}

const LAYER_TYPES: Record<string, string> = { geojson: GEOJSON_TYPE, csv: 'text/csv; charset=utf-8', arrow: 'application/vnd.apache.arrow.file' };

/** A cache of serialised layers, valid for one state version. */
export class LayerCache {
  private version = -1;
  private readonly bodies = new Map<string, string | Uint8Array>();

  /** GET /layers/{name}.{format} of the current state. */
  get(state: LiveState, name: string, format: string, ifNoneMatch: string | undefined): Reply {
    const type = LAYER_TYPES[format];
    if (!type || (name !== 'hotspots' && name !== 'risk')) throw new HttpError(404, 'E_NOT_FOUND', `no layer ${name}.${format}: use hotspots or risk, as geojson, csv or arrow`);
    const etag = `"v${state.version}"`;
    const headers = { 'content-type': type, etag, 'x-hazetrace-version': String(state.version), 'cache-control': 'no-cache' };
    if (ifNoneMatch === etag) return { status: 304, headers, body: '' };
    if (this.version !== state.version) {
      this.bodies.clear();
      this.version = state.version;
    }
    const key = `${name}.${format}`;
    let body = this.bodies.get(key);
    if (body === undefined) {
      let grid: CellGrid;
      if (name === 'hotspots') {
        if (!state.grid) throw new HttpError(409, 'E_INPUT', 'no hotspots in the working set yet; POST a FIRMS batch to /state/hotspots');
        grid = state.grid;
      } else {
        if (!state.risk) throw new HttpError(409, 'E_INPUT', 'no risk layer: POST areas to /state/areas (and hotspots to /state/hotspots)');
        const s = state.risk.scores;
        grid = { res: state.riskRes, cells: s.cells, columns: { score: s.score, ...s.contributions } };
      }
      if (format === 'geojson') body = JSON.stringify(name === 'risk' && state.risk ? riskToGeoJson(state.risk.scores) : cellsToGeoJson(grid));
      else if (format === 'csv') body = cellsToCsv(grid);
      else body = cellsToArrow(grid);
      this.bodies.set(key, body);
    }
    return { status: 200, headers, body };
  }
}
