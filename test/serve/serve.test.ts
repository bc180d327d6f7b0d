/**
 * `hazetrace serve` in-process: the real server on 127.0.0.1 with port 0, every endpoint, every limit, auth,
 * cancellation on disconnect, the change feed, and incremental updates equal to a full recompute.
 * Every JSON answer is checked against the schema the served OpenAPI document gives for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { LiveState, serve, type ServeHandle, type ServeOptions } from '../../src/node/index.js';
import { traceProgress } from '../../src/node/serve/routes.js';
import { checkSchema, csv, districts, firmsApril, pm25Spring, rawRequest, responseSchema, stationsCsv, windCsv } from './helpers.js';

const FIRMS = firmsApril();
const SMALL_FIRMS = csv(FIRMS.header, FIRMS.early.slice(0, 200));
const LIVE = { attribute: { calibrate: false, hours: 24, startStepHours: 3 }, areaIdProperty: 'amp_code' };

async function start(options: ServeOptions = {}): Promise<{ h: ServeHandle; logs: Record<string, unknown>[] }> {
  const logs: Record<string, unknown>[] = [];
  const h = await serve({ port: 0, log: (e) => logs.push(e), ...options });
  await h.ready;
  return { h, logs };
}

const post = (url: string, body: string, headers: Record<string, string> = {}): Promise<Response> => fetch(url, { method: 'POST', body, headers });

function expectValid(value: unknown, path: string, method: string, status: number, media?: string): void {
  expect(checkSchema(value, responseSchema(path, method, status, media))).toEqual([]);
}

describe('serve: stateless endpoints and request limits', () => {
  let h: ServeHandle;
  let logs: Record<string, unknown>[];
  beforeAll(async () => ({ h, logs } = await start({ maxBody: 300_000 })));
  afterAll(() => h.close());

  it('binds 127.0.0.1 by default; /health, /ready and /openapi.json answer as documented', async () => {
    expect(h.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${h.url}/health`);
    expect(health.status).toBe(200);
    expectValid(await health.json(), '/health', 'get', 200);
    const ready = await fetch(`${h.url}/ready`);
    expect(ready.status).toBe(200);
    expectValid(await ready.json(), '/ready', 'get', 200);
    const doc = (await (await fetch(`${h.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/health', '/ready', '/grid', '/trace', '/attribute', '/risk', '/state', '/state/hotspots', '/layers/{name}.{format}', '/events']) expect(Object.keys(doc.paths)).toContain(p);
  });

  it('POST /grid?res=5: a GeoJSON FeatureCollection of H3 cells with the accepted/rejected counts in headers', async () => {
    const body = csv(FIRMS.header, [...FIRMS.early.slice(0, 300), '99.9,98.9,330,1,1,2025-04-22,0630,T,50,6.1NRT,290,12,D,x']);
    const r = await post(`${h.url}/grid?res=5`, body);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/application\/geo\+json/);
    expect(r.headers.get('x-hazetrace-accepted')).toBe('300');
    expect(r.headers.get('x-hazetrace-rejected')).toBe('1');
    const fc = (await r.json()) as { features: { properties: { h3: string; count: number } }[] };
    expectValid(fc, '/grid', 'post', 200, 'application/geo+json');
    expect(fc.features.reduce((s, f) => s + f.properties.count, 0)).toBe(300);
    expect(fc.features.every((f) => f.properties.h3.startsWith('85'))).toBe(true);
    const w = (await (await post(`${h.url}/grid?res=5&wrap=1`, body)).json()) as { accepted: number; rejected: number; rejectedRows: { row: number; column?: string }[] };
    expectValid(w, '/grid', 'post', 200, 'application/geo+json');
    expect([w.accepted, w.rejected]).toEqual([300, 1]);
    expect(w.rejectedRows[0]).toMatchObject({ row: 301, column: 'latitude' });
  });

  it('res empty, out of range or not a number → 400 with the library error code E_ARG (never res 0)', async () => {
    for (const q of ['res=', 'res=16', 'res=abc', 'res=5.5']) {
      const r = await post(`${h.url}/grid?${q}`, SMALL_FIRMS);
      expect(r.status, q).toBe(400);
      const e = (await r.json()) as { error: { code: string; message: string } };
      expectValid(e, '/grid', 'post', 400);
      expect(e.error.code, q).toBe('E_ARG');
      expect(Object.keys(e.error).sort()).toEqual(['code', 'message']); // no stack, no internals
    }
  });

  it('unusable CSV → 400 with the reader code, and a rejected-row report when every row is bad', async () => {
    const cols = await post(`${h.url}/grid`, 'a,b\n1,2\n');
    expect(cols.status).toBe(400);
    expect(((await cols.json()) as { error: { code: string } }).error.code).toBe('E_COLUMNS');
    const bad = await post(`${h.url}/grid`, csv(FIRMS.header, ['18.8,98.9,330,1,1,2025-13-40,0630,T,50,6.1NRT,290,12,D,x', '18.8,998.9,330,1,1,2025-04-22,0630,T,50,6.1NRT,290,12,D,x']));
    expect(bad.status).toBe(400);
    const e = (await bad.json()) as { error: { code: string; rejectedCount: number; rejected: { row: number; column: string }[] } };
    expectValid(e, '/grid', 'post', 400);
    expect(e.error.code).toBe('E_INPUT');
    expect(e.error.rejectedCount).toBe(2);
    expect(e.error.rejected.map((x) => x.row)).toEqual([1, 2]);
    const empty = await post(`${h.url}/grid`, '');
    expect(empty.status).toBe(400);
  });

  it('a body over --max-body gets 413 (declared or streamed) and the server keeps serving', async () => {
    const big = Buffer.alloc(400_000, 'x');
    const declared = await rawRequest(`${h.url}/grid`, { headers: { 'content-length': String(big.length) }, chunks: [big.subarray(0, 100_000), big.subarray(100_000)], gapMs: 50 }).catch((e: Error) => ({ status: -1, body: e.message, headers: {} }));
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.code).toBe('E_TOO_LARGE');
    const chunked = await rawRequest(`${h.url}/grid`, { headers: { 'transfer-encoding': 'chunked' }, chunks: [big.subarray(0, 200_000), big.subarray(200_000)] }).catch((e: Error) => ({ status: -1, body: e.message, headers: {} }));
    expect(chunked.status).toBe(413);
    // Far past the limit (the example service died on such bodies): refused, connection cut, server fine.
    const huge = await fetch(`${h.url}/grid`, { method: 'POST', body: Buffer.alloc(40 * 1024 * 1024, 'y') }).then((r) => r.status, () => 'cut');
    expect([413, 'cut']).toContain(huge);
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
    expect((await post(`${h.url}/grid`, SMALL_FIRMS)).status).toBe(200);
  });

  it('unknown path → 404, wrong method → 405, each with a documented error body', async () => {
    const nf = await fetch(`${h.url}/nope`);
    expect(nf.status).toBe(404);
    expect(((await nf.json()) as { error: { code: string } }).error.code).toBe('E_NOT_FOUND');
    const m = await fetch(`${h.url}/grid`);
    expect(m.status).toBe(405);
    expect(m.headers.get('allow')).toBe('POST');
  });

  it('logs one JSON line per request with method, path, status and duration', () => {
    const grid = logs.filter((l) => l['msg'] === 'request' && l['path'] === '/grid');
    expect(grid.length).toBeGreaterThan(5);
    for (const l of grid) expect(l).toMatchObject({ method: expect.any(String), status: expect.any(Number), ms: expect.any(Number), id: expect.any(Number) });
    expect(grid.some((l) => l['status'] === 413 && l['code'] === 'E_TOO_LARGE')).toBe(true);
  });
});

describe('serve: live working set, increments, change feed, layers', () => {
  let h: ServeHandle;
  const token = 'test-token-123';
  const auth = { authorization: `Bearer ${token}` };
  const events: { event: string; data: { version: number; kind?: string } }[] = [];
  let feed: AbortController;
  beforeAll(async () => {
    ({ h } = await start({ token, live: LIVE }));
    feed = new AbortController();
    const r = await fetch(`${h.url}/events`, { signal: feed.signal });
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    void (async () => {
      const dec = new TextDecoder();
      let buf = '';
      try {
        for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
          buf += dec.decode(chunk, { stream: true });
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
          }
        }
      } catch {
        // aborted at the end
      }
    })();
  });
  afterAll(async () => {
    feed.abort();
    await h.close();
  });

  it('mutating endpoints need the bearer token (401), reads do not', async () => {
    expect((await post(`${h.url}/state/stations`, stationsCsv())).status).toBe(401);
    const wrong = await post(`${h.url}/state/stations`, stationsCsv(), { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('E_AUTH');
    expect((await fetch(`${h.url}/state`)).status).toBe(200);
    expect(h.state.version).toBe(0);
  });

  it('increments bump the version; the first complete working set is attributed in full, a later FIRMS batch only where it matters', async () => {
    const replies: Record<string, unknown>[] = [];
    for (const [kind, body] of [['stations', stationsCsv()], ['wind', windCsv()], ['pm25', pm25Spring()], ['hotspots', csv(FIRMS.header, FIRMS.early)]] as const) {
      const r = await post(`${h.url}/state/${kind}`, body, auth);
      expect(r.status, kind).toBe(200);
      const j = (await r.json()) as Record<string, unknown>;
      expectValid(j, '/state/hotspots', 'post', 200);
      replies.push(j);
    }
    expect(replies.map((r) => r['version'])).toEqual([1, 2, 3, 4]);
    expect(replies[3]).toMatchObject({ kind: 'hotspots', fullRecompute: true, accepted: FIRMS.early.length });
    const late = (await (await post(`${h.url}/state/hotspots`, csv(FIRMS.header, FIRMS.late), auth)).json()) as { version: number; fullRecompute: boolean; episodesRecomputed: string[]; gridCellsTouched: number };
    expect(late.version).toBe(5);
    expect(late.fullRecompute).toBe(false);
    expect(late.episodesRecomputed.length).toBeGreaterThan(0);
    expect(late.gridCellsTouched).toBeGreaterThan(0);
    // The same batch again adds nothing (duplicates skipped) but still commits a version.
    const again = (await (await post(`${h.url}/state/hotspots`, csv(FIRMS.header, FIRMS.late.slice(0, 50)), auth)).json()) as { accepted: number; episodesRecomputed: string[] };
    expect(again.accepted).toBe(0);
    expect(again.episodesRecomputed).toEqual([]);
  });

  it('the incremental state equals a full recompute of the same inputs', async () => {
    const full = new LiveState(LIVE);
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    for (const [k, b] of [['stations', stationsCsv()], ['wind', windCsv()], ['pm25', pm25Spring()], ['hotspots', csv(FIRMS.header, [...FIRMS.early, ...FIRMS.late])]] as const) await (await full.parse(k, enc(b))).apply();
    const sorted = (s: LiveState): unknown[] => [...s.episodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(h.state.episodes.size).toBeGreaterThan(0);
    expect([...h.state.episodes.values()].some((e) => e.status === 'attributed')).toBe(true);
    expect(sorted(h.state)).toEqual(sorted(full));
    // Bit for bit, key order included (the JSON the server persists and serves).
    expect(JSON.stringify(sorted(h.state))).toBe(JSON.stringify(sorted(full)));
    expect(h.state.hotspots?.length).toBe(full.hotspots?.length);
    expect(Array.from(h.state.grid!.columns['count']!).reduce((a, b) => a + b, 0)).toBe(FIRMS.early.length + FIRMS.late.length);
  });

  it('a batch that adds detections to attributed episodes scores only the new ones, and equals a full recompute bit for bit', async () => {
    const enc = (x: string): Uint8Array => new TextEncoder().encode(x);
    const all = [...FIRMS.early, ...FIRMS.late];
    const held = all.filter((_, i) => i % 4 === 0);
    const live = new LiveState(LIVE);
    const full = new LiveState(LIVE);
    for (const s of [live, full]) for (const [k, b] of [['stations', stationsCsv()], ['wind', windCsv()], ['pm25', pm25Spring()]] as const) await (await s.parse(k, enc(b))).apply();
    await (await live.parse('hotspots', enc(csv(FIRMS.header, all.filter((_, i) => i % 4 !== 0))))).apply();
    const attributedBefore = [...live.episodes.values()].filter((e) => e.status === 'attributed').map((e) => e.id);
    expect(attributedBefore.length).toBeGreaterThan(0);
    const hits0 = live.trajectoryStats().scores.hits;
    const c = await (await live.parse('hotspots', enc(csv(FIRMS.header, held)))).apply();
    expect(c.fullRecompute).toBe(false);
    expect(c.episodesRecomputed).toEqual(expect.arrayContaining(attributedBefore));
    // Every attributed episode restored its old rows' scores and scored only the held-out detections.
    expect(live.trajectoryStats().scores.hits - hits0).toBeGreaterThanOrEqual(attributedBefore.length);
    await (await full.parse('hotspots', enc(csv(FIRMS.header, [...all.filter((_, i) => i % 4 !== 0), ...held])))).apply();
    const sorted = (s: LiveState): unknown[] => [...s.episodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(JSON.stringify(sorted(live))).toBe(JSON.stringify(sorted(full)));
  });

  it('a bad increment is a 400 with the rejected rows and commits nothing', async () => {
    const before = h.state.version;
    const r = await post(`${h.url}/state/pm25`, 'station_id,date_local,pm25_ugm3\n35t,2025-02-30,40\n35t,notadate,41\n', auth);
    expect(r.status).toBe(400);
    const e = (await r.json()) as { error: { code: string; rejectedCount: number } };
    expect(e.error.code).toBe('E_INPUT');
    expect(e.error.rejectedCount).toBe(2);
    expect(h.state.version).toBe(before);
  });

  it('GET /state, /state/episodes and POST /attribute (an episode, a period) answer as documented', async () => {
    const s = await (await fetch(`${h.url}/state`)).json();
    expectValid(s, '/state', 'get', 200);
    expect(s).toMatchObject({ version: h.state.version, stations: stationsCsv().trim().split('\n').length - 1, missing: [] });
    const list = (await (await fetch(`${h.url}/state/episodes`)).json()) as { episodes: { id: string; status: string }[] };
    expectValid(list, '/state/episodes', 'get', 200);
    const attributed = list.episodes.find((e) => e.status === 'attributed')!;
    const one = await post(`${h.url}/attribute`, JSON.stringify({ episode: attributed.id }));
    expect(one.status).toBe(200);
    const ep = (await one.json()) as { shares: { sharesByCategory: Record<string, number> } };
    expectValid(ep, '/attribute', 'post', 200);
    expect(Object.values(ep.shares.sharesByCategory).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    const period = await post(`${h.url}/attribute`, JSON.stringify({ from: '2025-04-20', to: '2025-04-25' }));
    expect(period.status).toBe(200);
    const c = (await period.json()) as { episodes: { station: string; start: string }[] };
    expectValid(c, '/attribute', 'post', 200);
    // The period answer agrees with the live state's episodes of that period.
    const live = [...h.state.episodes.values()].filter((e) => e.status === 'attributed' && e.end > '2025-04-19T17:00' && e.start < '2025-04-25T17:00');
    expect(c.episodes.map((e) => `${e.station}@${e.start}`).sort()).toEqual(live.map((e) => `${e.station}@${e.start}`).sort());
    expect((await post(`${h.url}/attribute`, JSON.stringify({ episode: 'nope' }))).status).toBe(404);
    const bad = await post(`${h.url}/attribute`, JSON.stringify({ from: '2025-02-30' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('E_ARG');
    expect((await post(`${h.url}/attribute`, '{not json')).status).toBe(400);
  });

  it('layers as GeoJSON, CSV and Arrow with the version as ETag (304 when unchanged)', async () => {
    const g = await fetch(`${h.url}/layers/hotspots.geojson`);
    expect(g.status).toBe(200);
    const fc = await g.json();
    expectValid(fc, '/layers/{name}.{format}', 'get', 200, 'application/geo+json');
    expect(g.headers.get('etag')).toBe(`"v${h.state.version}"`);
    const c = await (await fetch(`${h.url}/layers/hotspots.csv`)).text();
    expect(c.split('\n')[0]).toMatch(/^hex_id,count,frp_sum,frp_max/);
    const a = new Uint8Array(await (await fetch(`${h.url}/layers/hotspots.arrow`)).arrayBuffer());
    expect(new TextDecoder().decode(a.subarray(0, 6))).toBe('ARROW1');
    const again = await fetch(`${h.url}/layers/hotspots.geojson`, { headers: { 'if-none-match': `"v${h.state.version}"` } });
    expect(again.status).toBe(304);
    expect((await fetch(`${h.url}/layers/risk.geojson`)).status).toBe(409); // no areas yet
    expect((await fetch(`${h.url}/layers/nope.csv`)).status).toBe(404);
  });

  it('areas make a risk layer and POST /risk ranks them', async () => {
    const r = (await (await post(`${h.url}/state/areas`, districts(), auth)).json()) as { riskCellsTouched: number };
    expect(r.riskCellsTouched).toBeGreaterThan(100);
    const layer = await fetch(`${h.url}/layers/risk.geojson`);
    expect(layer.status).toBe(200);
    const fc = (await layer.json()) as { features: { properties: { score: number } }[] };
    expect(fc.features.length).toBe(h.state.risk!.scores.cells.length);
    const rk = await post(`${h.url}/risk`, JSON.stringify({ idProperty: 'amp_code', top: 5 }));
    expect(rk.status).toBe(200);
    const j = (await rk.json()) as { areas: { rank: number }[] };
    expectValid(j, '/risk', 'post', 200);
    expect(j.areas.map((a) => a.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it('POST /trace: trajectories on the live wind', async () => {
    const r = await post(`${h.url}/trace`, JSON.stringify({ start: [98.97, 18.84], time: '2025-04-23T06:00Z', hours: 12 }));
    expect(r.status).toBe(200);
    const fc = (await r.json()) as { features: unknown[] };
    expectValid(fc, '/trace', 'post', 200, 'application/geo+json');
    expect(fc.features.length).toBe(1);
    const bad = await post(`${h.url}/trace`, JSON.stringify({ start: [98.97, 118.84], time: '2025-04-23T06:00Z' }));
    expect(bad.status).toBe(400);
  });

  it('the change feed sent hello and one version event per applied increment, in order', async () => {
    await new Promise((r) => setTimeout(r, 100));
    expect(events[0]?.event).toBe('hello');
    const versions = events.filter((e) => e.event === 'version').map((e) => e.data.version);
    expect(versions).toEqual(Array.from({ length: h.state.version }, (_, i) => i + 1));
  });
});

describe('serve: limits under load, timeouts, cancellation, shutdown', () => {
  it('408 when a request outlives the timeout', async () => {
    const { h } = await start({ requestTimeoutMs: 300 });
    try {
      const r = await rawRequest(`${h.url}/grid`, { headers: { 'transfer-encoding': 'chunked' }, chunks: ['latitude,longitude'], keepOpen: true });
      expect(r.status).toBe(408);
      expect(JSON.parse(r.body).error.code).toBe('E_TIMEOUT');
      expect((await fetch(`${h.url}/health`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('429 over the per-client share, 503 when the queue is full', async () => {
    const hold = (url: string): { req: ReturnType<typeof request>; answered: Promise<number> } => {
      let req!: ReturnType<typeof request>;
      const answered = new Promise<number>((resolve) => {
        req = request(`${url}/grid`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve(-1));
        req.write('latitude,longitude,brightness,acq_date,acq_time,frp\n');
      });
      return { req, answered };
    };
    const a = await start({ concurrency: 4, perClient: 1 });
    try {
      const held = hold(a.h.url);
      await new Promise((r) => setTimeout(r, 100));
      const r = await post(`${a.h.url}/grid`, SMALL_FIRMS);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('E_RATE');
      held.req.end('18.8,98.9,330,2025-04-22,0630,12\n');
      expect(await held.answered).toBe(200);
      expect((await post(`${a.h.url}/grid`, SMALL_FIRMS)).status).toBe(200); // the slot came back
    } finally {
      await a.h.close();
    }
    const b = await start({ concurrency: 1, queue: 0, perClient: 10 });
    try {
      const held = hold(b.h.url);
      await new Promise((r) => setTimeout(r, 100));
      const r = await post(`${b.h.url}/grid`, SMALL_FIRMS);
      expect(r.status).toBe(503);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('E_BUSY');
      expect((await fetch(`${b.h.url}/health`)).status).toBe(200); // health is never gated
      held.req.end('18.8,98.9,330,2025-04-22,0630,12\n');
      expect(await held.answered).toBe(200);
      expect(b.h.stats.limited).toBe(1);
    } finally {
      await b.h.close();
    }
  });

  it('a client that disconnects cancels its work (AbortSignal): the trace loop stops early', async () => {
    const { h, logs } = await start({ live: LIVE });
    try {
      await post(`${h.url}/state/wind`, windCsv());
      const times = Array.from({ length: 3000 }, (_, i) => new Date(Date.UTC(2025, 3, 1) + i * 600_000).toISOString());
      const before = traceProgress.starts;
      const ac = new AbortController();
      const p = fetch(`${h.url}/trace`, { method: 'POST', body: JSON.stringify({ start: [98.97, 18.84], time: times, hours: 48, ensemble: 'random-walk', members: 27 }), signal: ac.signal }).catch((e: Error) => e);
      await new Promise((r) => setTimeout(r, 300));
      ac.abort();
      expect(await p).toBeInstanceOf(Error);
      await new Promise((r) => setTimeout(r, 300));
      const done = traceProgress.starts - before;
      expect(done).toBeGreaterThan(0);
      expect(done).toBeLessThan(times.length);
      const stable = traceProgress.starts;
      await new Promise((r) => setTimeout(r, 200));
      expect(traceProgress.starts).toBe(stable); // nothing runs on after the abort
      expect(h.stats.aborted).toBeGreaterThanOrEqual(1);
      expect(logs.some((l) => l['path'] === '/trace' && l['status'] === 499)).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('graceful shutdown: /ready turns 503, in-flight work past the grace period is aborted, close() resolves', async () => {
    const { h } = await start({ shutdownGraceMs: 200 });
    const slow = rawRequest(`${h.url}/grid`, { headers: { 'transfer-encoding': 'chunked' }, chunks: ['latitude,longitude'], keepOpen: true }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    const closing = h.close();
    await closing;
    expect(Date.now() - t0).toBeLessThan(3000);
    const r = await slow;
    expect(r instanceof Error || (r as { status: number }).status >= 500).toBe(true);
    await expect(fetch(`${h.url}/health`)).rejects.toThrow();
  });

  it('refuses bad options with E_ARG', async () => {
    await expect(serve({ maxBody: 0, log: false })).rejects.toMatchObject({ code: 'E_ARG' });
    await expect(serve({ port: 70000, log: false })).rejects.toMatchObject({ code: 'E_ARG' });
  });
});
