/** `hazetrace serve`: the HTTP service. Parses options, reads the static layers, calls `serve` (hazetrace/node), waits for SIGTERM/SIGINT. */
import { serve, type ServeOptions } from '../../node/index.js';
import type { CommandSpec } from '../context.js';
import { numberOption, optionalOption, readText, utcOffsetOption } from '../options.js';
import { usageError } from '../errors.js';

export const serveCommand: CommandSpec = {
  name: 'serve',
  summary: 'HTTP API over the pipeline with a live, persisted working set (grid, trace, attribute, risk, layers, change feed)',
  usage: 'hazetrace serve [--port N] [--host 127.0.0.1] [--max-body BYTES] [--state DIR [--read-only]] [--token T] [--regions C.geojson] [--facilities F.csv]',
  details:
    'Listens on 127.0.0.1:PORT (another interface only with --host). Endpoints: GET /health, /ready, /openapi.json,\n' +
    '/state, /state/episodes, /layers/{hotspots|risk}.{geojson|csv|arrow}, /events (server-sent events); POST /grid?res=R\n' +
    '(FIRMS CSV → GeoJSON cells; X-Hazetrace-Accepted/Rejected headers, ?wrap=1 for a wrapper), /trace, /attribute, /risk;\n' +
    'increments POST /state/{hotspots|pm25|stations|wind|areas|recompute} (need the bearer token when one is set).\n' +
    'Limits: --max-body (413), --timeout (408), --concurrency/--queue (503), --per-client (429). With --state DIR every\n' +
    'increment is written to DIR (temp file, fsync, rename) before it is applied, so a crash loses at most the increment\n' +
    'being written; --read-only instances serve the same DIR and follow the writer. One JSON log line per request on\n' +
    'stderr. SIGTERM/SIGINT: graceful shutdown. Token also from HAZETRACE_TOKEN. Details: docs/serve.md.',
  options: {
    port: { type: 'string', default: '8787', help: 'TCP port (0: any free port)' },
    host: { type: 'string', default: '127.0.0.1', help: 'interface to bind' },
    'max-body': { type: 'string', default: String(64 * 1024 * 1024), help: 'largest request body, bytes' },
    timeout: { type: 'string', default: '30000', help: 'longest request, ms' },
    concurrency: { type: 'string', default: '4', help: 'requests doing work at once' },
    queue: { type: 'string', default: '64', help: 'requests waiting for a slot (beyond: 503)' },
    'per-client': { type: 'string', default: '64', help: 'running + waiting requests per client address (beyond: 429)' },
    token: { type: 'string', help: 'bearer token for POST /state/* (default: $HAZETRACE_TOKEN, else none)' },
    state: { type: 'string', help: 'state directory (persisted increments and snapshot)' },
    'read-only': { type: 'boolean', default: false, help: 'serve --state read-only, following its writer' },
    'poll-ms': { type: 'string', default: '2000', help: 'how often a read-only instance looks for new increments, ms' },
    res: { type: 'string', default: '5', help: 'H3 resolution of the hotspot layer' },
    'risk-res': { type: 'string', default: '6', help: 'H3 resolution of the risk layer' },
    'area-id-property': { type: 'string', default: 'id', help: 'property naming the risk areas' },
    'utc-offset': { type: 'string', default: '+07:00', help: 'local clock of the PM2.5 times' },
    regions: { type: 'string', help: 'country polygons GeoJSON for the region shares' },
    'repeat-burn': { type: 'string', help: 'repeat-burn area polygons GeoJSON' },
    facilities: { type: 'string', help: 'facilities CSV (GPPD-style columns)' },
    threshold: { type: 'string', default: '37.5', help: 'episode threshold, µg/m³' },
    hours: { type: 'string', default: '72', help: 'back-trajectory length, hours' },
    'no-calibrate': { type: 'boolean', default: false, help: 'keep the default category scales' },
  },
  examples: ['hazetrace serve --port 8787 --state /var/lib/hazetrace', 'hazetrace serve --port 8788 --state /var/lib/hazetrace --read-only'],
  async run(ctx) {
    const v = ctx.values;
    const utcOffset = utcOffsetOption(v);
    const file = (k: string): string | undefined => {
      const p = optionalOption(v, k);
      return p === undefined ? undefined : readText(k, p, ctx.cwd);
    };
    const token = optionalOption(v, 'token') ?? process.env['HAZETRACE_TOKEN'];
    if (token !== undefined && token.length < 8) throw usageError('--token must be at least 8 characters', '--token');
    if (v['read-only'] && !optionalOption(v, 'state')) throw usageError('--read-only needs --state DIR', '--read-only');
    const regions = file('regions');
    const repeatBurn = file('repeat-burn');
    const facilities = file('facilities');
    const pause = Number(process.env['HAZETRACE_SERVE_PAUSE_MID_WRITE_MS'] ?? 0);
    const stateDir = optionalOption(v, 'state');
    const options: ServeOptions = {
      port: numberOption(v, 'port', 8787, { integer: true, min: 0, max: 65535 }),
      host: String(v['host'] ?? '127.0.0.1'),
      maxBody: numberOption(v, 'max-body', 64 * 1024 * 1024, { integer: true, min: 1 }),
      requestTimeoutMs: numberOption(v, 'timeout', 30_000, { integer: true, min: 1 }),
      concurrency: numberOption(v, 'concurrency', 4, { integer: true, min: 1 }),
      queue: numberOption(v, 'queue', 64, { integer: true, min: 0 }),
      perClient: numberOption(v, 'per-client', 64, { integer: true, min: 1 }),
      pollMs: numberOption(v, 'poll-ms', 2000, { integer: true, min: 10 }),
      ...(token !== undefined ? { token } : {}),
      ...(stateDir !== undefined ? { state: stateDir } : {}),
      readOnly: v['read-only'] === true,
      ...(Number.isFinite(pause) && pause > 0 ? { pauseMidWriteMs: pause } : {}),
      log: (e) => ctx.streams.stderr.write(JSON.stringify(e) + '\n'),
      live: {
        res: numberOption(v, 'res', 5, { integer: true, min: 0, max: 15 }),
        riskRes: numberOption(v, 'risk-res', 6, { integer: true, min: 0, max: 12 }),
        areaIdProperty: String(v['area-id-property'] ?? 'id'),
        utcOffset,
        attribute: {
          threshold: numberOption(v, 'threshold', 37.5, { min: 0 }),
          hours: numberOption(v, 'hours', 72, { min: 1, max: 720 }),
          ...(v['no-calibrate'] === true ? { calibrate: false } : {}),
        },
        ...(regions !== undefined ? { regions } : {}),
        ...(repeatBurn !== undefined ? { repeatBurn } : {}),
        ...(facilities !== undefined ? { facilities } : {}),
      },
    };
    const h = await serve(options);
    ctx.streams.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'listening', url: h.url, state: stateDir ?? null, readOnly: options.readOnly }) + '\n');
    // While serving, SIGTERM/SIGINT mean "shut down gracefully" (finish in-flight work, flush state, exit 0), so the
    // dispatcher's immediate-exit handlers are set aside and put back afterwards.
    const saved = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
    for (const s of ['SIGTERM', 'SIGINT'] as const) process.removeAllListeners(s);
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        for (const s of ['SIGTERM', 'SIGINT'] as const) for (const l of saved[s]) process.on(s, l as () => void);
        ctx.streams.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'shutting down', signal }) + '\n');
        void h.close().then(resolve, resolve);
      };
      const onTerm = (): void => stop('SIGTERM');
      const onInt = (): void => stop('SIGINT');
      process.once('SIGTERM', onTerm);
      process.once('SIGINT', onInt);
    });
    ctx.streams.stderr.write(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'stopped', version: h.state.version }) + '\n');
  },
};
