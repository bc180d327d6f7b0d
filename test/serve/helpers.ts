/** Shared by the serve tests: inputs cut from the embedded data, a tiny OpenAPI schema checker, HTTP helpers. */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { openApiDocument } from '../../src/node/index.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const data = (f: string): string => readFileSync(resolve(ROOT, 'data', f), 'utf8');

/** FIRMS rows of April 2025 split at 2025-04-23 (the file holds 22-24 April): [header, early rows, late rows]. */
export function firmsApril(): { header: string; early: string[]; late: string[] } {
  const [header, ...rows] = data('firms_modis_th_region.csv').trim().split('\n');
  const april = rows.filter((r) => r.split(',')[5]?.startsWith('2025-04'));
  return { header: header as string, early: april.filter((r) => (r.split(',')[5] as string) < '2025-04-23'), late: april.filter((r) => (r.split(',')[5] as string) >= '2025-04-23') };
}
export const csv = (header: string, rows: string[]): string => [header, ...rows].join('\n') + '\n';

/** Daily PM2.5 of three Chiang Mai stations, March–April 2025. */
export function pm25Spring(stations = ['35t', '36t', '57t']): string {
  const [header, ...rows] = data('pcd_pm25_daily_2025_north.csv').trim().split('\n');
  return csv(header as string, rows.filter((r) => stations.includes(r.split(',')[0] as string) && /,2025-0[34]-/.test(r)));
}
export const stationsCsv = (): string => data('stations_north.csv');
export const windCsv = (): string => data('wind_2pt_hourly_2025.csv');
export const districts = (): string => data('th_districts_north_simplified.geojson');

type Schema = { $ref?: string; type?: string; required?: string[]; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[]; oneOf?: Schema[] };
const DOC = openApiDocument();

/** Check `value` against a schema of the served OpenAPI document; returns the list of problems (empty = valid). */
export function checkSchema(value: unknown, schema: Schema, path = '$'): string[] {
  if (schema.$ref) return checkSchema(value, DOC.components.schemas[schema.$ref.split('/').pop() as string] as Schema, path);
  if (schema.oneOf) {
    const ok = schema.oneOf.filter((s) => checkSchema(value, s, path).length === 0).length;
    return ok === 1 ? [] : [`${path}: matches ${ok} of the oneOf schemas, not exactly 1`];
  }
  const out: string[] = [];
  const t = schema.type;
  const actual = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (t === 'integer' ? !Number.isInteger(value) : t !== undefined && actual !== t) return [`${path}: expected ${t}, got ${actual}`];
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (actual === 'object') {
    const o = value as Record<string, unknown>;
    for (const k of schema.required ?? []) if (!(k in o)) out.push(`${path}: missing ${k}`);
    for (const [k, s] of Object.entries(schema.properties ?? {})) if (k in o) out.push(...checkSchema(o[k], s, `${path}.${k}`));
  }
  if (actual === 'array' && schema.items) (value as unknown[]).slice(0, 50).forEach((v, i) => out.push(...checkSchema(v, schema.items as Schema, `${path}[${i}]`)));
  return out;
}

/** The schema of one documented response (path, method, status, media type). */
export function responseSchema(path: string, method: string, status: number, media = 'application/json'): Schema {
  const op = (DOC.paths[path] as Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>)[method];
  const s = op?.responses[String(status)]?.content?.[media]?.schema;
  if (!s) throw new Error(`no documented ${status} ${media} response for ${method.toUpperCase()} ${path}`);
  return s;
}

/** A raw request with node:http (for bodies sent slowly, or larger than the limit), resolving on the answer. */
export function rawRequest(url: string, opts: { method?: string; headers?: Record<string, string>; chunks?: (Buffer | string)[]; gapMs?: number; keepOpen?: boolean }): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolvePromise, reject) => {
    let answered: { status: number; body: string; headers: Record<string, unknown> } | null = null;
    const req = request(url, { method: opts.method ?? 'POST', headers: opts.headers ?? {} }, (res) => {
      const got = { status: res.statusCode ?? 0, body: '', headers: res.headers as Record<string, unknown> };
      answered = got;
      res.setEncoding('utf8');
      res.on('data', (c: string) => (got.body += c));
      res.on('end', () => resolvePromise(got));
      res.on('error', () => resolvePromise(got));
    });
    // A server that answers early (413) and closes may reset the upload: the answer is what counts.
    req.on('error', (e) => (answered ? resolvePromise(answered) : reject(e)));
    const chunks = [...(opts.chunks ?? [])];
    const next = (): void => {
      const c = chunks.shift();
      if (c === undefined) {
        if (!opts.keepOpen) req.end();
        return;
      }
      if (req.destroyed) return;
      req.write(c, () => setTimeout(next, opts.gapMs ?? 0));
    };
    next();
  });
}
