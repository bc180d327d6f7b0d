/**
 * Seeded property-based fuzzing of every reader in hazetrace/io (fast-check): FIRMS CSV, FIRMS GeoJSON,
 * station series CSV, stations CSV, points CSV, GeoJSON layer, GeoTIFF bytes and the CSV tokenizer.
 * Each reader gets `FUZZ_INPUTS` generated inputs (default 10,000): mutations of valid files (the
 * fixtures in test/fixtures/io and generated GeoTIFFs: hostile tokens swapped into fields, characters
 * inserted/deleted, lines duplicated/dropped, truncation, byte flips; JSON values replaced by arbitrary
 * ones) and random text/bytes. The property: a call returns a result whose counts add up, or throws a
 * `HazetraceError`. Anything else (TypeError, RangeError, a bare string, a stack overflow, counts that
 * do not add up) is counted as a failure with its first examples.
 *
 *   npm run bench:fuzz                       # 10,000 inputs per reader, seed 17
 *   FUZZ_INPUTS=500 FUZZ_SEED=3 npm run bench:fuzz
 *
 * Writes bench/results/fuzz-readers.json. test/io/fuzz-readers.test.ts runs 200 inputs per reader in
 * the normal suite.
 */
import fc from 'fast-check';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HazetraceError } from '../src/core/errors.js';
import { CsvTokenizer, readFirmsCsv, readFirmsGeoJson, readGeoJsonLayer, readGeoTiff, readPointsCsv, readStationSeriesCsv, readStationsCsv } from '../src/io/index.js';
import { makeTiff } from '../test/io/tiff-bytes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIX = join(ROOT, 'test', 'fixtures', 'io');
const fixtureText = (name: string, maxLines = 25): string => readFileSync(join(FIX, name), 'utf8').split('\n').slice(0, maxLines).join('\n');

/** Field values known to break naive readers. */
const HOSTILE_TOKENS = [
  '', ' ', 'NaN', 'nan', 'Infinity', '-Infinity', '1e400', '-1e400', '0x10', '0b11', '1,5', '1 000', '35ug', '9999', '-999', '-9999',
  '2025-02-30', '2025-13-01', '04/05/2025', '22/04/2025', '2025-04-22T25:00', '24:00', '2460', '-0', '+5', '.5', '5.', 'e5',
  '"', '""', '"a,b"', '\r', '\n', '\r\n', '\uFEFF', '\u0000', '\uD800', 'null', 'undefined', '__proto__', 'constructor',
  '9'.repeat(400), 'x'.repeat(5000), '-', '--', 'N/A', 'NA', 'T', 'D', 'n', 'h', 'MODIS', 'VIIRS', '18.79', '98.98', '13', '0', '-1',
];
const HOSTILE_CHARS = [',', '"', '\n', '\r', '\0', '-', '.', 'e', 'x', '9', ' ', '\t', '\uFEFF', '\u00e9', '{', '}', '[', ']', ':'];

type TextMutation =
  | { kind: 'token'; line: number; field: number; token: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'dupLine'; line: number }
  | { kind: 'dropLine'; line: number }
  | { kind: 'truncate'; at: number };

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('token' as const), line: fc.nat(40), field: fc.nat(20), token: fc.constantFrom(...HOSTILE_TOKENS) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...HOSTILE_CHARS), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('dupLine' as const), line: fc.nat(40) }),
  fc.record({ kind: fc.constant('dropLine' as const), line: fc.nat(40) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

function applyText(base: string, muts: TextMutation[]): string {
  let s = base;
  for (const m of muts) {
    const lines = s.split('\n');
    switch (m.kind) {
      case 'token': {
        const li = m.line % Math.max(1, lines.length);
        const cells = (lines[li] ?? '').split(',');
        cells[m.field % Math.max(1, cells.length)] = m.token;
        lines[li] = cells.join(',');
        s = lines.join('\n');
        break;
      }
      case 'insert': {
        const at = s.length === 0 ? 0 : m.at % (s.length + 1);
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      }
      case 'delete': {
        const at = s.length === 0 ? 0 : m.at % s.length;
        s = s.slice(0, at) + s.slice(at + m.length);
        break;
      }
      case 'dupLine': {
        const li = m.line % Math.max(1, lines.length);
        lines.splice(li, 0, lines[li] ?? '');
        s = lines.join('\n');
        break;
      }
      case 'dropLine': {
        lines.splice(m.line % Math.max(1, lines.length), 1);
        s = lines.join('\n');
        break;
      }
      case 'truncate':
        s = s.slice(0, s.length === 0 ? 0 : m.at % (s.length + 1));
        break;
    }
  }
  return s;
}

/** Text input: a mutated base file (as a string or as UTF-8 bytes), random text, or random bytes. */
function textInputs(bases: string[]): fc.Arbitrary<string | Uint8Array> {
  const mutated = fc.tuple(fc.constantFrom(...bases), fc.array(textMutation, { minLength: 1, maxLength: 6 })).map(([b, m]) => applyText(b, m));
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: mutated.map((s) => new TextEncoder().encode(s)) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  );
}

/** Replace the value at a random path of a JSON document by an arbitrary value. */
function mutateJson(doc: unknown, path: number[], value: unknown): unknown {
  const copy = structuredClone(doc) as unknown;
  let node: unknown = copy;
  let parent: Record<string, unknown> | unknown[] | null = null;
  let key: string | number = '';
  // Mostly mutate inside one feature (a whole-document replacement is one E_INPUT among many).
  if (node !== null && typeof node === 'object' && Array.isArray((node as { features?: unknown }).features) && path[0]! % 4 !== 0) {
    parent = node as Record<string, unknown>;
    key = 'features';
    node = (node as { features: unknown[] }).features;
  }
  for (const step of path) {
    if (node === null || typeof node !== 'object') break;
    const keys = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
    if (keys.length === 0) break;
    parent = node as Record<string, unknown>;
    key = keys[step % keys.length]!;
    node = (node as Record<string | number, unknown>)[key];
  }
  if (parent === null) return value;
  (parent as Record<string | number, unknown>)[key] = value;
  return copy;
}

/** JSON input: a base document with values replaced (as an object or as text), mutated JSON text, or random bytes. */
function jsonInputs(bases: unknown[]): fc.Arbitrary<unknown> {
  const replacement = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom<unknown>(null, [], {}, NaN, -1, 1e308, '', 'Point', 'Feature'));
  const edit = fc.tuple(fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }), replacement);
  const replaced = fc
    .tuple(fc.constantFrom(...bases), fc.array(edit, { minLength: 1, maxLength: 4 }))
    .map(([b, ms]) => ms.reduce<unknown>((d, [p, v]) => mutateJson(d, p, v), b));
  const texts = bases.map((b) => JSON.stringify(b));
  return fc.oneof(
    { weight: 5, arbitrary: replaced },
    { weight: 2, arbitrary: replaced.map((d) => JSON.stringify(d) ?? 'null') },
    { weight: 2, arbitrary: textInputs(texts) },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
  );
}

/** GeoTIFF bytes: a valid small file with bytes flipped/inserted/truncated, a forged header, or random bytes. */
function tiffInputs(bases: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  // (bases may be views of Node Buffers: every mutation copies)
  const flipped = fc
    .tuple(fc.constantFrom(...bases), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 3 }), fc.option(fc.nat(), { nil: undefined }))
    .map(([b, flips, cut]) => {
      const out = b.slice();
      // Bias flips towards the header and directory, where a byte changes the meaning of the whole file.
      for (const [at, v] of flips) out[at % Math.min(out.length, at % 3 === 0 ? out.length : 300)] = v;
      return cut === undefined ? out : out.slice(0, cut % (out.length + 1));
    });
  const forged = fc
    .record({
      width: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(7000, 65535, 2 ** 31 - 1, 2 ** 32 - 1)),
      height: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.constantFrom(7000, 65535, 2 ** 31 - 1)),
      stripByteCount: fc.option(fc.oneof(fc.nat(5000), fc.constantFrom(0, 49_000_000, 2 ** 32 - 1)), { nil: undefined }),
      stripOffset: fc.option(fc.oneof(fc.nat(5000), fc.constantFrom(2 ** 32 - 1)), { nil: undefined }),
      compression: fc.constantFrom(1, 1, 5, 8, 7, 32773, 50000, 999),
      noGeo: fc.boolean(),
      pixels: fc.uint8Array({ maxLength: 600 }),
      truncateTo: fc.option(fc.nat(800), { nil: undefined }),
    })
    .map((spec) => {
      const s: Parameters<typeof makeTiff>[0] = { width: spec.width, height: spec.height, pixels: spec.pixels, compression: spec.compression, noGeo: spec.noGeo };
      if (spec.stripByteCount !== undefined) s.stripByteCount = spec.stripByteCount;
      if (spec.stripOffset !== undefined) s.stripOffset = spec.stripOffset;
      if (spec.truncateTo !== undefined) s.truncateTo = spec.truncateTo;
      return makeTiff(s);
    });
  // Flips in the last quarter of a valid file mostly land in pixel data: the file still decodes.
  const pixelFlips = fc
    .tuple(fc.constantFrom(...bases), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 6 }))
    .map(([b, flips]) => {
      const out = b.slice();
      const from = Math.floor(out.length * 0.75);
      for (const [at, v] of flips) out[from + (at % (out.length - from))] = v;
      return out;
    });
  return fc.oneof({ weight: 4, arbitrary: flipped }, { weight: 2, arbitrary: pixelFlips }, { weight: 3, arbitrary: forged }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }) });
}

/** Does a result's bookkeeping add up? Returns the broken invariant, or null. */
function countsProblem(r: unknown): string | null {
  const x = r as { counts?: { rows: number; accepted: number; rejected: number; duplicates: number }; rejected?: unknown[] };
  if (!x || typeof x !== 'object') return 'result is not an object';
  if (x.counts === undefined) return 'result has no counts';
  const c = x.counts;
  if (c.rows !== c.accepted + c.rejected + c.duplicates) return `counts do not add up: ${JSON.stringify(c)}`;
  if (Array.isArray(x.rejected) && x.rejected.length !== c.rejected) return `rejected list has ${x.rejected.length}, counts say ${c.rejected}`;
  return null;
}

interface ReaderSpec {
  name: string;
  inputs: fc.Arbitrary<unknown>;
  run(input: unknown): unknown;
  /** Check the returned value (null = fine). */
  check?(result: unknown): string | null;
}

function readers(): ReaderSpec[] {
  const firmsCsv = [fixtureText('firms_modis_slice.csv')];
  const firmsGeo = JSON.parse(readFileSync(join(FIX, 'firms_viirs_snpp_nrt_northTH_2019-07_sample.geojson'), 'utf8')) as { features: unknown[] };
  firmsGeo.features = firmsGeo.features.slice(0, 6);
  const layer = JSON.parse(readFileSync(join(FIX, 'th_provinces_slice.geojson'), 'utf8')) as { features: unknown[] };
  layer.features = layer.features.slice(0, 2);
  const tiffs: Uint8Array[] = [readFileSync(join(FIX, 'grid_4326.tif')), readFileSync(join(FIX, 'wind_u_4326.tif')), readFileSync(join(FIX, 'grid_32647.tif'))].map((b) => new Uint8Array(b));
  tiffs.push(makeTiff({ width: 12, height: 9 }));
  const csvTok = [fixtureText('air4thai_stations_slice.csv', 8), 'a,"b\r\n""c"""\r\n1,2\n', fixtureText('gppd_powerplants_slice.csv', 8)];
  return [
    { name: 'FIRMS CSV', inputs: textInputs(firmsCsv), run: (i) => readFirmsCsv(i as string), check: countsProblem },
    { name: 'FIRMS GeoJSON', inputs: jsonInputs([firmsGeo, firmsGeo.features[0]]), run: (i) => readFirmsGeoJson(i as object), check: countsProblem },
    {
      name: 'station series CSV',
      inputs: textInputs([fixtureText('air4thai_hourly_slice.csv'), fixtureText('pcd_pm25_daily_slice.csv'), 'date,35t,36t\n2025-01-01,12,13\n2025-01-02,,9999\n', 'station_id,date,hour,pm25\n35t,2025-04-22,13,20\n']),
      run: (i) => readStationSeriesCsv(i as string),
      check: (r) => {
        const p = countsProblem(r);
        if (p) return p;
        const x = r as { stats: { rows: number; accepted: number; duplicates: number; rejected: number }; series: { length: number } };
        if (x.stats.rows !== x.stats.accepted + x.stats.duplicates + x.stats.rejected) return `stats do not add up: ${JSON.stringify(x.stats)}`;
        if (x.series.length !== x.stats.accepted) return 'series length differs from accepted';
        return null;
      },
    },
    { name: 'stations CSV', inputs: textInputs([fixtureText('air4thai_stations_slice.csv')]), run: (i) => readStationsCsv(i as string), check: countsProblem },
    { name: 'points CSV', inputs: textInputs([fixtureText('gppd_powerplants_slice.csv')]), run: (i) => readPointsCsv(i as string), check: countsProblem },
    { name: 'GeoJSON layer', inputs: jsonInputs([layer, layer.features[0], { type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [99, 18] }] }]), run: (i) => readGeoJsonLayer(i as object), check: countsProblem },
    {
      name: 'GeoTIFF bytes',
      inputs: tiffInputs(tiffs),
      run: (i) => readGeoTiff(i as Uint8Array, { maxPixels: 250_000 }),
      check: (r) => {
        const x = r as { width: number; height: number; bands: Float64Array[] };
        return x.bands.every((b) => b.length === x.width * x.height) ? null : 'band length differs from width x height';
      },
    },
    {
      name: 'CSV tokenizer',
      inputs: fc.tuple(textInputs(csvTok).map((x) => (typeof x === 'string' ? x : new TextDecoder().decode(x))), fc.array(fc.nat(), { maxLength: 4 })),
      run: (i) => {
        // Streamed in chunks at random cut points must equal the whole-text parse.
        const [text, cuts] = i as [string, number[]];
        const whole: string[][] = [];
        new CsvTokenizer((rec) => whole.push(Array.from({ length: rec.count }, (_, k) => rec.get(k)))).parseAll(text);
        const parts: string[][] = [];
        const tok = new CsvTokenizer((rec) => parts.push(Array.from({ length: rec.count }, (_, k) => rec.get(k))));
        let at = 0;
        for (const c of [...cuts.map((c) => c % (text.length + 1))].sort((a, b) => a - b)) {
          tok.push(text.slice(at, c));
          at = c;
        }
        tok.push(text.slice(at));
        tok.end();
        return { whole, parts };
      },
      check: (r) => {
        const x = r as { whole: string[][]; parts: string[][] };
        return JSON.stringify(x.whole) === JSON.stringify(x.parts) ? null : 'chunked parse differs from whole parse';
      },
    },
  ];
}

/** Per-reader outcome counts. */
export interface FuzzReport {
  reader: string;
  inputs: number;
  returned: number;
  hazetraceErrors: Record<string, number>;
  /** Exceptions that are not HazetraceError (the property says: 0). */
  untypedExceptions: number;
  /** Returned results whose bookkeeping is wrong (counts not adding up, …; the property says: 0). */
  invariantViolations: number;
  examples: { input: string; problem: string }[];
  ms: number;
}

function preview(v: unknown): string {
  try {
    if (v instanceof Uint8Array) return `Uint8Array(${v.length}) ${Array.from(v.slice(0, 48), (b) => b.toString(16).padStart(2, '0')).join('')}`;
    const s = typeof v === 'string' ? v : JSON.stringify(v);
    return (s ?? String(v)).slice(0, 300);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

/** Fuzz every reader with `perReader` inputs from `seed`; deterministic for a given seed. */
export async function fuzzReaders(perReader: number, seed: number, only?: string[]): Promise<FuzzReport[]> {
  const out: FuzzReport[] = [];
  for (const [k, spec] of readers().entries()) {
    if (only && !only.includes(spec.name)) continue;
    const t0 = performance.now();
    const samples = fc.sample(spec.inputs, { numRuns: perReader, seed: seed * 1000 + k });
    const rep: FuzzReport = { reader: spec.name, inputs: samples.length, returned: 0, hazetraceErrors: {}, untypedExceptions: 0, invariantViolations: 0, examples: [], ms: 0 };
    for (const input of samples) {
      let result: unknown;
      try {
        result = await spec.run(input);
      } catch (e) {
        if (e instanceof HazetraceError) {
          rep.hazetraceErrors[e.code] = (rep.hazetraceErrors[e.code] ?? 0) + 1;
        } else {
          rep.untypedExceptions++;
          if (rep.examples.length < 10) rep.examples.push({ input: preview(input), problem: e instanceof Error ? `${e.name}: ${e.message}` : `thrown ${typeof e}: ${String(e)}` });
        }
        continue;
      }
      rep.returned++;
      const p = spec.check ? spec.check(result) : null;
      if (p !== null) {
        rep.invariantViolations++;
        if (rep.examples.length < 10) rep.examples.push({ input: preview(input), problem: p });
      }
    }
    rep.ms = Math.round(performance.now() - t0);
    out.push(rep);
  }
  return out;
}

async function main(): Promise<void> {
  const perReader = Number(process.env['FUZZ_INPUTS'] ?? 10_000);
  const seed = Number(process.env['FUZZ_SEED'] ?? 17);
  const reports = await fuzzReaders(perReader, seed);
  for (const r of reports) {
    const errs = Object.entries(r.hazetraceErrors).map(([c, n]) => `${c} ${n}`).join(', ');
    console.log(`${r.reader.padEnd(20)} ${String(r.inputs).padStart(6)} inputs: ${String(r.returned).padStart(6)} returned, HazetraceError [${errs}], untyped ${r.untypedExceptions}, invariant violations ${r.invariantViolations} (${r.ms} ms)`);
    for (const ex of r.examples) console.log(`   ${ex.problem} <- ${ex.input.slice(0, 160)}`);
  }
  const file = join(ROOT, 'bench', 'results', 'fuzz-readers.json');
  mkdirSync(dirname(file), { recursive: true });
  const total = reports.reduce((a, r) => a + r.untypedExceptions + r.invariantViolations, 0);
  writeFileSync(file, JSON.stringify({ command: 'npm run bench:fuzz', seed, perReader, node: process.version, untypedExceptionsTotal: reports.reduce((a, r) => a + r.untypedExceptions, 0), invariantViolationsTotal: reports.reduce((a, r) => a + r.invariantViolations, 0), readers: reports }, null, 2) + '\n');
  console.log(`wrote ${file}`);
  if (total > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
