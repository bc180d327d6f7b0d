/**
 * `hazetrace serve` as a library function: an HTTP JSON API over the pipeline with a live, persisted working
 * set, limits, auth, a change feed and graceful shutdown. node:http only (see docs/serve.md for why).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { HazetraceError } from '../../core/index.js';
import { Gate, HttpError, readBody } from './limits.js';
import { openApiDocument } from './openapi.js';
import { LayerCache, attributeHandler, gridHandler, jsonReply, riskHandler, traceHandler, type Reply } from './routes.js';
import { LiveState, type ChangeSummary, type IncrementKind, type LiveStateOptions } from './state.js';
import { StateStore } from './store.js';
import { checkOptions } from '../../core/check.js';

/** Options of {@link serve}. Every limit has a safe default. */
export interface ServeOptions {
  /** TCP port; default 0 (any free port; read it from the handle's `port`). */
  port?: number;
  /** Interface to bind, default `'127.0.0.1'` (loopback only); `'0.0.0.0'` only behind a proxy you trust. */
  host?: string;
  /** Largest request body, bytes, default 64 MiB; larger → 413. */
  maxBody?: number;
  /** Longest a request may take, ms, default 30,000; longer → 408 and its work is aborted. */
  requestTimeoutMs?: number;
  /** Requests doing work at once, default 4. */
  concurrency?: number;
  /** Requests waiting for a slot, default 64; beyond → 503. */
  queue?: number;
  /** Running + waiting requests of one client address, default 64; beyond → 429. */
  perClient?: number;
  /** Bearer token required by the mutating endpoints (POST /state/*); default none (open). */
  token?: string;
  /** State directory (persisted increments + snapshot); default none (state in memory only). */
  state?: string;
  /** Serve the state directory read-only, following the writer's increments; default false. */
  readOnly?: boolean;
  /** How often a read-only instance looks for new increments, ms, default 2,000. */
  pollMs?: number;
  /** Change-feed (SSE) clients at once, default 1,000; beyond → 503. */
  maxEventClients?: number;
  /** How long shutdown waits for in-flight requests before aborting them, ms, default 10,000. */
  shutdownGraceMs?: number;
  /** Where the one-line JSON request logs go; default stderr; `false` for none. */
  log?: ((entry: Record<string, unknown>) => void) | false;
  /** Working-set settings (grid res, attribution options, static regions/facilities layers). */
  live?: LiveStateOptions;
  /** Fault injection for crash tests: pause between the two halves of each increment write, ms. Default 0. */
  pauseMidWriteMs?: number;
}

/** What {@link serve} returns. */
export interface ServeHandle {
  /** `http://host:port` */
  url: string;
  port: number;
  host: string;
  server: Server;
  state: LiveState;
  /** Resolves once the stored state is loaded (GET /ready turns 200). */
  ready: Promise<void>;
  /** Counters: requests, aborted (client went away), rejected by limit. */
  stats: { requests: number; aborted: number; limited: number; errors: number };
  /** Stop accepting, finish or abort in-flight work, end the change feed, flush state. */
  close(): Promise<void>;
}

/**
 * The defaults of {@link serve}.
 *
 * @example
 * ```ts
 * import { SERVE_DEFAULTS } from 'hazetrace/node';
 * SERVE_DEFAULTS.host; // '127.0.0.1'
 * ```
 */
export const SERVE_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  maxBody: 64 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  concurrency: 4,
  queue: 64,
  perClient: 64,
  pollMs: 2_000,
  maxEventClients: 1_000,
  shutdownGraceMs: 10_000,
});

const INCREMENTS: Record<string, IncrementKind> = { hotspots: 'hotspots', pm25: 'pm25', stations: 'stations', wind: 'wind', areas: 'areas', recompute: 'recompute' };

function errorReply(e: unknown, requestId: number): Reply & { code: string } {
  if (e instanceof HttpError) return { ...jsonReply(e.status, { error: { code: e.code, message: e.message } }, e.headers), code: e.code };
  if (e instanceof HazetraceError) {
    const d = (e.details ?? {}) as { rejected?: unknown; rejectedCount?: unknown };
    const error: Record<string, unknown> = { code: e.code, message: e.message };
    if (Array.isArray(d.rejected)) error['rejected'] = d.rejected;
    if (typeof d.rejectedCount === 'number') error['rejectedCount'] = d.rejectedCount;
    return { ...jsonReply(e.code === 'E_ABORTED' ? 499 : 400, { error }), code: e.code };
  }
  return { ...jsonReply(500, { error: { code: 'E_INTERNAL', message: `internal error (request ${requestId}; see the server log)` } }), code: 'E_INTERNAL' };
}

function bearerOk(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1] as string);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Start the hazetrace HTTP service (the library form of `hazetrace serve`). Binds 127.0.0.1 unless `host` says
 * otherwise; endpoints and schemas: GET /openapi.json, docs/serve.md.
 *
 * @example
 * ```ts
 * import { serve } from 'hazetrace/node';
 * const h = await serve({ port: 0, log: false });
 * const r = await fetch(`${h.url}/grid?res=5`, { method: 'POST', body: 'latitude,longitude,brightness,acq_date,acq_time,frp\n18.8,98.9,330,2025-04-22,0630,12\n' });
 * r.headers.get('x-hazetrace-accepted'); // '1'
 * await h.close();
 * ```
 */
export async function serve(options: ServeOptions = {}): Promise<ServeHandle> {
  checkOptions('options', options);
  const o = { ...SERVE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof SERVE_DEFAULTS & ServeOptions;
  for (const k of ['maxBody', 'requestTimeoutMs', 'concurrency', 'queue', 'perClient', 'pollMs', 'maxEventClients'] as const) {
    const v = o[k];
    if (!(Number.isInteger(v) && v >= (k === 'queue' ? 0 : 1))) throw new HazetraceError('E_ARG', `${k} must be a positive integer, got ${String(v)}`, { argument: k, value: v });
  }
  const port = o.port ?? 0;
  if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new HazetraceError('E_ARG', `port must be an integer in 0..65535, got ${String(port)}`, { argument: 'port', value: port });
  const log = o.log === false ? () => undefined : (o.log ?? ((e: Record<string, unknown>) => process.stderr.write(JSON.stringify(e) + '\n')));
  const state = new LiveState({ worker: true, ...(o.live ?? {}) });
  const store = o.state ? new StateStore(o.state, { readOnly: o.readOnly === true, pauseMidWriteMs: o.pauseMidWriteMs ?? 0 }) : null;
  const gate = new Gate({ concurrency: o.concurrency, queue: o.queue, perClient: o.perClient });
  const layers = new LayerCache();
  const stats = { requests: 0, aborted: 0, limited: 0, errors: 0 };
  const inFlight = new Set<AbortController>();
  const events = new Set<ServerResponse>();
  let isReady = false;
  let closing = false;
  let requestId = 0;
  // One increment at a time: commit order = version order.
  let mutex: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = mutex.then(fn, fn);
    mutex = p.catch(() => undefined);
    return p;
  };

  const broadcast = (c: ChangeSummary): void => {
    const data = `id: ${c.version}\nevent: version\ndata: ${JSON.stringify(c)}\n\n`;
    for (const r of events) r.write(data);
  };

  async function load(): Promise<void> {
    if (!store) return;
    const incs = store.increments(0);
    const snap = store.readSnapshot();
    const last = incs[incs.length - 1]?.version ?? 0;
    const use = snap && snap.version > 0 && snap.version <= last ? snap : null;
    let i = 0;
    for (; i < incs.length && use && (incs[i]?.version as number) <= use.version; i++) {
      const inc = incs[i]!;
      await state.replayRaw(inc.kind, inc.body);
      state.version = inc.version;
    }
    if (use) state.restore(use as unknown as Parameters<LiveState['restore']>[0]);
    else {
      for (; i < incs.length; i++) {
        const inc = incs[i]!;
        await state.replayRaw(inc.kind, inc.body);
        state.version = inc.version;
      }
    }
    state.finishReplay(use !== null);
    // A reader stops at the writer's snapshot; the poll takes it further as the writer's snapshots advance.
    for (; i < incs.length && !(store.readOnly && use); i++) {
      const inc = incs[i]!;
      await (await state.parse(inc.kind, inc.body)).apply();
      state.version = inc.version;
    }
    store.writeSnapshot(state.snapshot());
  }

  let poll: NodeJS.Timeout | undefined;
  const ready = load().then(() => {
    isReady = true;
    if (store?.readOnly) {
      // Follow the writer: replay its new increments into the inputs (parsing only) and take the derived attribution
      // from its snapshot, so a reader spends no attribution work and holds exactly the writer's numbers. Read the
      // snapshot first: every increment it covers is already committed.
      poll = setInterval(() => {
        void exclusive(async () => {
          const snap = store.readSnapshot();
          if (!snap || snap.version <= state.version) return;
          const before = new Map([...state.episodes].map(([id, e]) => [id, JSON.stringify(e)]));
          const changes: ChangeSummary[] = [];
          for (const inc of store.increments(state.version)) {
            if (inc.version > snap.version) break;
            const c = await state.replayRaw(inc.kind, inc.body);
            state.version = inc.version;
            c.version = inc.version;
            changes.push(c);
          }
          state.restore(snap as unknown as Parameters<LiveState['restore']>[0]);
          state.finishReplay(true, changes.some((c) => c.kind === 'hotspots' || c.kind === 'areas'));
          const last = changes[changes.length - 1];
          if (last) {
            last.episodesRecomputed = [...state.episodes].filter(([id, e]) => before.get(id) !== JSON.stringify(e)).map(([id]) => id);
            last.episodesRemoved = [...before.keys()].filter((id) => !state.episodes.has(id));
          }
          for (const c of changes) broadcast(c);
        }).catch((e: unknown) => log({ time: new Date().toISOString(), level: 'error', msg: 'follow failed', error: (e as Error).message }));
      }, o.pollMs);
      poll.unref();
    }
  });
  ready.catch((e: unknown) => log({ time: new Date().toISOString(), level: 'error', msg: 'state load failed', error: (e as Error).message }));

  async function route(req: IncomingMessage, url: URL, signal: AbortSignal, client: string, res: ServerResponse, meta: { bytesIn: number }): Promise<Reply | null> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const only = (m: string): void => {
      if (method !== m) throw new HttpError(405, 'E_METHOD', `${path} takes ${m}, not ${method}`, { allow: m });
    };
    if (path === '/health') return only('GET'), jsonReply(200, { status: 'ok' });
    if (path === '/ready') {
      only('GET');
      const ok = isReady && !closing;
      return jsonReply(ok ? 200 : 503, { ready: ok, version: state.version, ...(ok ? {} : { reason: closing ? 'shutting down' : 'loading state' }) });
    }
    if (path === '/openapi.json') return only('GET'), jsonReply(200, openApiDocument());
    if (path === '/events') {
      only('GET');
      if (closing) throw new HttpError(503, 'E_SHUTTING_DOWN', 'the server is shutting down');
      if (events.size >= o.maxEventClients) throw new HttpError(503, 'E_BUSY', `more than ${o.maxEventClients} change-feed clients`);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      res.write(`retry: 2000\nid: ${state.version}\nevent: hello\ndata: ${JSON.stringify({ version: state.version })}\n\n`);
      events.add(res);
      const beat = setInterval(() => res.write(': ping\n\n'), 15_000);
      beat.unref();
      res.on('close', () => {
        clearInterval(beat);
        events.delete(res);
      });
      return null;
    }
    if (!isReady && path !== '/grid') throw new HttpError(503, 'E_NOT_READY', 'the state is still loading; retry shortly', { 'retry-after': '1' });
    if (path === '/state') return only('GET'), jsonReply(200, { ...state.summary(), readOnly: store?.readOnly === true });
    if (path === '/state/episodes') return only('GET'), jsonReply(200, { version: state.version, episodes: [...state.episodes.values()] });
    const layer = /^\/layers\/([a-z]+)\.([a-z]+)$/.exec(path);
    const kind = path.startsWith('/state/') ? INCREMENTS[path.slice(7)] : undefined;
    const known = layer || kind || ['/grid', '/trace', '/attribute', '/risk'].includes(path);
    if (!known) throw new HttpError(404, 'E_NOT_FOUND', `no endpoint ${path} (GET /openapi.json lists them)`);
    only(layer ? 'GET' : 'POST');
    if (kind) {
      if (o.token !== undefined && !bearerOk(req.headers.authorization, o.token)) throw new HttpError(401, 'E_AUTH', 'this endpoint needs Authorization: Bearer <token>', { 'www-authenticate': 'Bearer realm="hazetrace"' });
      if (store?.readOnly) throw new HttpError(403, 'E_READ_ONLY', 'this instance serves its state read-only; send increments to the writer');
    }
    const release = await gate.enter(client, signal);
    try {
      // The work below is synchronous CPU: yield once so that requests already received are parsed and counted by
      // the gate first (otherwise they would wait in socket buffers, unseen by the limits, and never get 429/503).
      if (layer) {
        await new Promise((r) => setImmediate(r));
        return layers.get(state, layer[1] as string, layer[2] as string, req.headers['if-none-match']);
      }
      const body = await readBody(req, o.maxBody, signal);
      meta.bytesIn = body.length;
      await new Promise((r) => setImmediate(r));
      if (signal.aborted) throw new HazetraceError('E_ABORTED', 'the client went away; work not started', {});
      if (path === '/grid') return gridHandler(url, body, signal);
      if (path === '/trace') return await traceHandler(state, body, signal);
      if (path === '/attribute') return attributeHandler(state, body);
      if (path === '/risk') return riskHandler(state, body);
      return await exclusive(async () => {
        const inc = await state.parse(kind as IncrementKind, body);
        if (signal.aborted) throw new HazetraceError('E_ABORTED', 'the client went away before the increment was committed', {});
        const version = state.version + 1;
        if (store) await store.append(version, kind as IncrementKind, body);
        // Committed: from here on the increment is applied even if the client goes away.
        const c = await inc.apply();
        store?.writeSnapshot(state.snapshot());
        broadcast(c);
        return jsonReply(200, { ...c, rejectedRows: inc.rejected.slice(0, 100) }, { 'x-hazetrace-version': String(c.version) });
      });
    } finally {
      release();
    }
  }

  const server = createHttpServer((req, res) => {
    const t0 = performance.now();
    const id = ++requestId;
    stats.requests++;
    const client = req.socket.remoteAddress ?? '?';
    const ac = new AbortController();
    inFlight.add(ac);
    const meta = { bytesIn: 0 };
    res.on('close', () => {
      if (!res.writableFinished) ac.abort(new Error('client closed the connection'));
      inFlight.delete(ac);
    });
    let code: string | undefined;
    const send = (r: Reply): void => {
      if (res.headersSent || res.destroyed) return;
      const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
      const headers: Record<string, string> = { ...r.headers, 'content-length': String(body.length), 'x-request-id': String(id) };
      if (closing || r.status === 408) headers['connection'] = 'close';
      res.writeHead(r.status, headers);
      res.end(body);
    };
    const timer = setTimeout(() => {
      if (!res.headersSent) {
        code = 'E_TIMEOUT';
        send(jsonReply(408, { error: { code: 'E_TIMEOUT', message: `request took longer than ${o.requestTimeoutMs} ms` } }));
      }
      ac.abort(new Error('timeout'));
    }, o.requestTimeoutMs);
    timer.unref();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    const finish = (): void => {
      clearTimeout(timer);
      const status = res.headersSent ? res.statusCode : 499;
      if (status === 499) stats.aborted++;
      if (status === 429 || status === 503 || status === 413) stats.limited++;
      log({ time: new Date().toISOString(), level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info', msg: 'request', id, method: req.method, path: url.pathname, status, ms: Math.round((performance.now() - t0) * 10) / 10, bytesIn: meta.bytesIn, client, ...(code ? { code } : {}) });
    };
    route(req, url, ac.signal, client, res, meta)
      .then((r) => {
        if (r) send(r);
      })
      .catch((e: unknown) => {
        const er = errorReply(e, id);
        code = er.code;
        if (er.status === 500) {
          stats.errors++;
          log({ time: new Date().toISOString(), level: 'error', msg: 'handler failed', id, error: e instanceof Error ? e.message : String(e), stack: e instanceof Error ? e.stack : undefined });
        }
        if (er.status === 499 || ac.signal.aborted) {
          if (!res.headersSent) res.destroy();
          return;
        }
        send(er);
      })
      .finally(() => {
        if (url.pathname === '/events' && res.headersSent && !res.writableEnded) res.on('close', finish);
        else if (res.writableFinished || res.destroyed) finish();
        else res.on('close', finish);
      });
  });
  server.requestTimeout = o.requestTimeoutMs + 5_000;
  server.headersTimeout = Math.min(60_000, o.requestTimeoutMs + 5_000);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const boundPort = typeof addr === 'object' && addr ? addr.port : port;
  const hostInUrl = o.host.includes(':') ? `[${o.host}]` : o.host;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      closing = true;
      gate.close();
      if (poll) clearInterval(poll);
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      for (const r of events) r.end();
      const deadline = Date.now() + o.shutdownGraceMs;
      while (inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const ac of inFlight) ac.abort(new Error('shutdown'));
      server.closeAllConnections();
      await stopped;
      await mutex;
      await ready.catch(() => undefined);
      if (store && !store.readOnly && isReady) store.writeSnapshot(state.snapshot());
      store?.release();
      await state.close();
    })());

  return { url: `http://${hostInUrl}:${boundPort}`, port: boundPort, host: o.host, server, state, ready, stats, close };
}

/**
 * Same as {@link serve} (the name an embedding app may look for).
 *
 * @example
 * ```ts
 * import { createServer } from 'hazetrace/node';
 * const h = await createServer({ log: false });
 * (await fetch(`${h.url}/health`)).status; // 200
 * await h.close();
 * ```
 */
export const createServer = serve;
