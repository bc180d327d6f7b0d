/**
 * The OpenAPI 3.1 description of `hazetrace serve`, served at GET /openapi.json. Tests validate the real
 * responses against these schemas, so the document and the server cannot drift apart.
 */

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description: string): Schema => ({ description, content: { 'application/json': { schema } } });
const errors = (...codes: number[]): Record<string, Schema> =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      json(ref('Error'), {
        400: 'bad request: the library error code (E_ARG, E_INPUT, E_FORMAT, ...) and rejected rows',
        401: 'missing or wrong bearer token (mutating endpoints, when a token is set)',
        403: 'read-only instance: increments go to the writer',
        404: 'unknown path or episode',
        405: 'method not allowed',
        408: 'the request took longer than the request timeout',
        409: 'the working set lacks an input this call needs (e.g. wind for /trace)',
        413: 'body larger than --max-body',
        429: 'too many requests at once from this client',
        503: 'saturated (queue full), not ready, or shutting down',
      }[c] as string),
    ]),
  );
const hdr = (description: string): Schema => ({ description, schema: { type: 'integer' } });

const LAYER_RESPONSES = {
  '200': {
    description: 'the layer: GeoJSON FeatureCollection of H3 hexagons, CSV with a hex_id column, or an Arrow IPC file',
    headers: { 'X-Hazetrace-Version': hdr('state version of the layer'), ETag: { description: 'the state version', schema: { type: 'string' } } },
    content: {
      'application/geo+json': { schema: ref('CellFeatureCollection') },
      'text/csv': { schema: { type: 'string' } },
      'application/vnd.apache.arrow.file': { schema: { type: 'string', format: 'binary' } },
    },
  },
  '304': { description: 'not modified since the If-None-Match version' },
  ...errors(404, 409),
};

const increment = (what: string, media: string): Schema => ({
  summary: `increment: ${what}`,
  security: [{ bearer: [] }, {}],
  requestBody: { required: true, content: { [media]: { schema: { type: 'string' } } } },
  responses: { '200': json(ref('ChangeSummary'), 'committed and applied; the new version'), ...errors(400, 401, 403, 408, 413, 429, 503) },
});

/**
 * The OpenAPI 3.1 document of the `hazetrace serve` HTTP API (what GET /openapi.json returns).
 *
 * @example
 * ```ts
 * import { openApiDocument } from 'hazetrace/node';
 * const doc = openApiDocument();
 * doc.openapi; // '3.1.0'
 * Object.keys(doc.paths).includes('/grid'); // true
 * ```
 */
export function openApiDocument(): { openapi: string; info: Schema; paths: Record<string, Schema>; components: { schemas: Record<string, Schema> } & Schema } {
  return {
    openapi: '3.1.0',
    info: {
      title: 'hazetrace serve',
      version: '0.1.0',
      description:
        'HTTP API over the hazetrace pipeline: grid hotspots, trace, attribute, score risk, and a live working set with increments, versions and a change feed. Errors are { error: { code, message } }; codes are the library\'s HazetraceError codes plus E_TOO_LARGE, E_TIMEOUT, E_RATE, E_BUSY, E_SHUTTING_DOWN, E_AUTH, E_READ_ONLY, E_NOT_FOUND, E_METHOD, E_INTERNAL.',
    },
    paths: {
      '/health': { get: { summary: 'liveness', responses: { '200': json(ref('Health'), 'the process is up') } } },
      '/ready': { get: { summary: 'readiness: state loaded and not shutting down', responses: { '200': json(ref('Ready'), 'ready'), '503': json(ref('Ready'), 'not ready') } } },
      '/openapi.json': { get: { summary: 'this document', responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      '/grid': {
        post: {
          summary: 'grid a FIRMS CSV on H3 cells (count, frp_sum, frp_max per cell)',
          parameters: [
            { name: 'res', in: 'query', required: false, description: 'H3 resolution 0..15, default 5; empty or not an integer → 400 E_ARG', schema: { type: 'string' } },
            { name: 'wrap', in: 'query', required: false, description: '1: answer the GridWrapped object instead of the bare FeatureCollection', schema: { type: 'string', enum: ['0', '1'] } },
          ],
          requestBody: { required: true, content: { 'text/csv': { schema: { type: 'string' } } } },
          responses: {
            '200': {
              description: 'the cells; accepted/rejected row counts in headers (and in the wrapper with wrap=1)',
              headers: { 'X-Hazetrace-Accepted': hdr('FIRMS rows accepted'), 'X-Hazetrace-Rejected': hdr('FIRMS rows rejected') },
              content: { 'application/geo+json': { schema: { oneOf: [ref('CellFeatureCollection'), ref('GridWrapped')] } } },
            },
            ...errors(400, 408, 413, 429, 503),
          },
        },
      },
      '/trace': {
        post: {
          summary: 'back- or forward trajectories on the working set\'s wind',
          requestBody: { required: true, content: { 'application/json': { schema: ref('TraceRequest') } } },
          responses: { '200': { description: 'one LineString per trajectory', content: { 'application/geo+json': { schema: ref('TrajectoryFeatureCollection') } } }, ...errors(400, 408, 409, 413, 429, 503) },
        },
      },
      '/attribute': {
        post: {
          summary: 'attribute one episode of the live state, or every episode of a period (attributeSeries with from/to)',
          requestBody: { required: true, content: { 'application/json': { schema: ref('AttributeRequest') } } },
          responses: { '200': json({ oneOf: [ref('LiveEpisode'), ref('AttributeContract')] }, 'the episode, or the contract JSON of `hazetrace attribute --json` for the period'), ...errors(400, 404, 408, 409, 413, 429, 503) },
        },
      },
      '/risk': {
        post: {
          summary: 'score burning risk of areas from the working set\'s hotspots (scoreAreas)',
          requestBody: { required: false, content: { 'application/json': { schema: ref('RiskRequest') } } },
          responses: { '200': json(ref('RiskResult'), 'areas ranked by mean score'), ...errors(400, 408, 409, 413, 429, 503) },
        },
      },
      '/state': { get: { summary: 'the working set: version and counts', responses: { '200': json(ref('StateSummary'), 'summary') } } },
      '/state/episodes': { get: { summary: 'every episode of the live attribution', responses: { '200': json({ type: 'object', required: ['version', 'episodes'], properties: { version: { type: 'integer' }, episodes: { type: 'array', items: ref('LiveEpisode') } } }, 'episodes') } } },
      '/state/hotspots': { post: increment('a FIRMS CSV batch (duplicates of held detections are skipped)', 'text/csv') },
      '/state/pm25': { post: increment('PM2.5 rows, long CSV station_id,date_local,time_local,pm25_ugm3 (same or newer hours replace older values)', 'text/csv') },
      '/state/stations': { post: increment('station coordinates CSV (replaces; full recompute)', 'text/csv') },
      '/state/wind': { post: increment('a wind file: point-wind CSV or NetCDF bytes (replaces; full recompute)', 'application/octet-stream') },
      '/state/areas': { post: increment('risk areas GeoJSON (replaces; risk re-scored)', 'application/geo+json') },
      '/state/recompute': { post: increment('full recompute with calibration (empty body)', 'text/plain') },
      '/layers/{name}.{format}': {
        get: {
          summary: 'a layer of the current state',
          parameters: [
            { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: ['hotspots', 'risk'] } },
            { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['geojson', 'csv', 'arrow'] } },
          ],
          responses: LAYER_RESPONSES,
        },
      },
      '/events': {
        get: {
          summary: 'change feed (server-sent events): `hello` with the current version, then one `version` event per applied increment (data: ChangeSummary)',
          responses: { '200': { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...errors(503) },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'needed by POST /state/* when the server has a token (--token or HAZETRACE_TOKEN)' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, rejectedCount: { type: 'integer' }, rejected: { type: 'array', items: ref('RejectedRow') } },
            },
          },
        },
        RejectedRow: { type: 'object', required: ['row', 'message'], properties: { row: { type: 'integer' }, column: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } } },
        Health: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } },
        Ready: { type: 'object', required: ['ready', 'version'], properties: { ready: { type: 'boolean' }, version: { type: 'integer' }, reason: { type: 'string' } } },
        CellFeatureCollection: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: {
              type: 'array',
              items: {
                type: 'object',
                required: ['type', 'geometry', 'properties'],
                properties: {
                  type: { type: 'string', enum: ['Feature'] },
                  geometry: { type: 'object', required: ['type', 'coordinates'], properties: { type: { type: 'string', enum: ['Polygon', 'MultiPolygon'] }, coordinates: { type: 'array' } } },
                  properties: { type: 'object', required: ['h3'], properties: { h3: { type: 'string' } } },
                },
              },
            },
          },
        },
        GridWrapped: {
          type: 'object',
          required: ['res', 'accepted', 'rejected', 'rejectedRows', 'geojson'],
          properties: { res: { type: 'integer' }, accepted: { type: 'integer' }, rejected: { type: 'integer' }, rejectedRows: { type: 'array', items: ref('RejectedRow'), description: 'the first 100' }, geojson: ref('CellFeatureCollection') },
        },
        TraceRequest: {
          type: 'object',
          required: ['start', 'time'],
          properties: {
            start: { type: 'array', items: { type: 'number' }, description: '[lng, lat], WGS84 degrees' },
            time: { type: 'string', description: 'ISO 8601 start time (Z or an offset)' },
            hours: { type: 'number', description: 'trajectory length, default 72' },
            direction: { type: 'string', enum: ['back', 'forward'] },
            ensemble: { type: 'string', enum: ['none', 'offset', 'random-walk'] },
            members: { type: 'integer' },
            seed: { type: 'integer' },
          },
        },
        TrajectoryFeatureCollection: {
          type: 'object',
          required: ['type', 'features'],
          properties: {
            type: { type: 'string', enum: ['FeatureCollection'] },
            features: { type: 'array', items: { type: 'object', required: ['type', 'geometry', 'properties'], properties: { geometry: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['LineString', 'Point'] } } } } } },
          },
        },
        AttributeRequest: {
          type: 'object',
          properties: { episode: { type: 'string', description: 'an episode id (station@startISO)' }, from: { type: 'string', description: 'YYYY-MM-DD local' }, to: { type: 'string', description: 'YYYY-MM-DD local, inclusive' } },
        },
        LiveEpisode: {
          type: 'object',
          required: ['id', 'station', 'start', 'end', 'peakValue', 'status'],
          properties: {
            id: { type: 'string' },
            station: { type: 'string' },
            start: { type: 'string' },
            end: { type: 'string' },
            peakTime: { type: 'string' },
            peakValue: { type: 'number' },
            status: { type: 'string', enum: ['attributed', 'insufficient-data', 'no-source-reached'] },
            reason: { type: 'string' },
            shares: { type: 'object', required: ['sharesByCategory', 'sharesByRegion', 'sources'] },
          },
        },
        AttributeContract: {
          type: 'object',
          required: ['episodes', 'unattributed', 'warnings'],
          properties: {
            episodes: { type: 'array', items: { type: 'object', required: ['station', 'start', 'end', 'sharesByCategory', 'sharesByRegion', 'sources'] } },
            unattributed: { type: 'array', items: { type: 'object', required: ['station', 'start', 'end', 'status', 'reason'] } },
            warnings: { type: 'array', items: { type: 'string' } },
          },
        },
        RiskRequest: {
          type: 'object',
          properties: {
            areas: { type: 'object', description: 'GeoJSON FeatureCollection of polygons (default: the working set\'s areas)' },
            res: { type: 'integer' },
            idProperty: { type: 'string' },
            nameProperty: { type: 'string' },
            top: { type: 'integer' },
          },
        },
        RiskResult: {
          type: 'object',
          required: ['res', 'cells', 'weights', 'areas'],
          properties: {
            res: { type: 'integer' },
            cells: { type: 'integer' },
            seasons: { type: 'array', items: { type: 'string' } },
            weights: { type: 'object' },
            areas: { type: 'array', items: { type: 'object', required: ['rank', 'id', 'name', 'meanScore', 'level'] } },
          },
        },
        StateSummary: {
          type: 'object',
          required: ['version', 'hotspots', 'pm25Rows', 'stations', 'episodes', 'missing'],
          properties: { version: { type: 'integer' }, hotspots: { type: 'integer' }, pm25Rows: { type: 'integer' }, stations: { type: 'integer' }, episodes: { type: 'integer' }, attributed: { type: 'integer' }, missing: { type: 'array', items: { type: 'string' } }, readOnly: { type: 'boolean' } },
        },
        ChangeSummary: {
          type: 'object',
          required: ['version', 'kind', 'accepted', 'rejected', 'episodesRecomputed', 'fullRecompute', 'ms'],
          properties: {
            version: { type: 'integer' },
            kind: { type: 'string', enum: ['hotspots', 'pm25', 'stations', 'wind', 'areas', 'recompute'] },
            accepted: { type: 'integer' },
            rejected: { type: 'integer' },
            rejectedRows: { type: 'array', items: ref('RejectedRow') },
            episodesRecomputed: { type: 'array', items: { type: 'string' } },
            episodesRemoved: { type: 'array', items: { type: 'string' } },
            fullRecompute: { type: 'boolean' },
            gridCellsTouched: { type: 'integer' },
            riskCellsTouched: { type: 'integer' },
            ms: { type: 'number' },
          },
        },
      },
    },
  };
}
