/**
 * bench:fuzz-wind — seeded property-based fuzzing (fast-check) of every wind reader: openWind on NetCDF 3,
 * NetCDF 4 (HDF5), GeoTIFF pairs and point CSV, readWindCsv, and readTdump. Inputs are the repository's own
 * fixtures mutated (bytes flipped, regions overwritten, cut, spliced) or generated from hostile cells and lines.
 * The only acceptable outcomes are a result or a `HazetraceError` with a known code; anything else (TypeError,
 * RangeError, a thrown string, a WASM trap) is counted as untyped and its first examples are kept.
 *
 *   npm run bench:fuzz-wind                          # 10,000 inputs per reader, seed 20251202
 *   FUZZ_N=500 FUZZ_SEED=7 npm run bench:fuzz-wind   # quick / another seed
 *   FUZZ_READERS="openWind NetCDF3;readTdump" npm run bench:fuzz-wind   # some readers, merged into the result file
 *   FUZZ_SLICE=0/4 FUZZ_OUT=part0.json …           # every 4th input from the 0th: split one reader over processes
 *
 * Writes bench/results/fuzz-wind.json. test/wind/fuzz.test.ts runs the same fuzzers on ~200 inputs each.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { ERROR_CODES, HazetraceError } from '../src/core/errors.js';
import { openWind, readTdump, readWindCsv } from '../src/wind/index.js';
import { windNc3 } from '../test/wind/nc3-writer.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = (p: string): Uint8Array => new Uint8Array(readFileSync(resolve(root, 'test/fixtures', p)));

/** One fuzzed reader: what it was given and how each input ended. */
export interface FuzzReport {
  reader: string;
  inputs: number;
  returned: number;
  hazetrace: Record<string, number>;
  untyped: number;
  /** The first few untyped failures: error name, message, and the input's description. */
  examples: { name: string; message: string; input: string }[];
  ms: number;
}

/** A byte-level mutation of a base file (kept small; applied when the input runs). */
interface Mutation {
  base: number;
  flips: { at: number; byte: number }[];
  region: { at: number; len: number; fill: number } | null;
  cut: number | null;
  splice: { at: number; bytes: number[] } | null;
}

/** A position as a fraction of the file, in millionths (uniform over the file). */
const frac = fc.nat({ max: 1_000_000 }).map((x) => x / 1_000_000);

const mutation = (bases: number): fc.Arbitrary<Mutation> =>
  fc.record({
    base: fc.nat({ max: bases - 1 }),
    flips: fc.array(fc.record({ at: frac, byte: fc.nat({ max: 255 }) }), { maxLength: 4 }),
    region: fc.option(fc.record({ at: frac, len: fc.nat({ max: 256 }), fill: fc.nat({ max: 255 }) }), { nil: null, freq: 4 }),
    cut: fc.option(frac, { nil: null, freq: 4 }),
    splice: fc.option(fc.record({ at: frac, bytes: fc.array(fc.nat({ max: 255 }), { maxLength: 32 }) }), { nil: null, freq: 6 }),
  });

function apply(m: Mutation, bases: readonly Uint8Array[], keepMagic: number): Uint8Array {
  const src = bases[m.base]!;
  let b = src.slice();
  const pos = (f: number, n: number): number => Math.min(n - 1, Math.max(keepMagic, Math.floor(f * n)));
  for (const f of m.flips) if (b.length > keepMagic) b[pos(f.at, b.length)] = f.byte;
  if (m.region && b.length > keepMagic) {
    const at = pos(m.region.at, b.length);
    b.fill(m.region.fill, at, Math.min(b.length, at + m.region.len));
  }
  if (m.splice) {
    const at = pos(m.splice.at, b.length);
    const out = new Uint8Array(b.length + m.splice.bytes.length);
    out.set(b.subarray(0, at), 0);
    out.set(m.splice.bytes, at);
    out.set(b.subarray(at), at + m.splice.bytes.length);
    b = out;
  }
  if (m.cut !== null) b = b.slice(0, Math.max(keepMagic, Math.floor(m.cut * b.length)));
  return b;
}

const describeMutation = (m: Mutation): string => JSON.stringify(m).slice(0, 400);

/** FUZZ_SLICE="k/m" runs only inputs i with i % m === k, so one reader's inputs can be split over processes and summed. */
function slice<T>(inputs: readonly T[]): readonly T[] {
  const m = /^(\d+)\/(\d+)$/.exec(process.env['FUZZ_SLICE'] ?? '');
  if (!m) return inputs;
  const k = Number(m[1]);
  const of = Number(m[2]);
  return inputs.filter((_, i) => i % of === k);
}

async function run<T>(reader: string, all: readonly T[], call: (x: T) => unknown, show: (x: T) => string): Promise<FuzzReport> {
  const inputs = slice(all);
  const t0 = performance.now();
  const report: FuzzReport = { reader, inputs: inputs.length, returned: 0, hazetrace: {}, untyped: 0, examples: [], ms: 0 };
  for (const x of inputs) {
    try {
      await call(x);
      report.returned++;
    } catch (e) {
      if (e instanceof HazetraceError && Object.prototype.hasOwnProperty.call(ERROR_CODES, e.code)) {
        report.hazetrace[e.code] = (report.hazetrace[e.code] ?? 0) + 1;
      } else {
        report.untyped++;
        if (report.examples.length < 5) {
          report.examples.push({ name: e instanceof Error ? e.name : `thrown ${typeof e}`, message: String(e instanceof Error ? e.message : e).slice(0, 300), input: show(x) });
        }
      }
    }
  }
  report.ms = Math.round(performance.now() - t0);
  return report;
}

// ---- text generators ----

const HOSTILE_CELLS = [
  '', ' ', '0', '-0', '2', '2.5', '-3', '360', '400', '9999', '-999', 'NaN', 'Infinity', '-Infinity', '1e400', '0x10', '1,5', '1_000',
  '2025-04-22T00:00:00Z', '2025-02-30T00:00:00Z', '2025-04-22T25:00', '2025-04-22', '22/04/2025', '2025-04-22T00:00+07:00', '18.8', '99.03',
  '91', '-181', 'cm', 'chiang_mai', '"quoted, cell"', '"', '\uFEFF', 'é', '1e-400', '.5', '5.', '+7',
];
const HEADERS = [
  'site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from',
  'site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from',
  'site_id,lat,lon,time_utc,wind_speed_ms,wind_dir_deg_from',
  'site,latitude,longitude,time,wind_speed_kmh,wd',
  'station,lat,lng,datetime,ws_kt,direction',
  'id,lat,lon,time,u,v',
  'site_id,lat,lon,time_utc,u10,v10,wind_speed',
  'site_id,lat,lon,wind_speed_ms',
  'a,b,c',
  '',
];

const cell = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...HOSTILE_CELLS) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const GOOD_ROWS = [
  ['cm', '18.8', '99.03', '2025-04-22T00:00:00Z', '2', '90'],
  ['cm', '18.8', '99.03', '2025-04-22T01:00:00Z', '3.5', '120'],
  ['cr', '19.93', '99.8', '2025-04-22T00:00:00Z', '1', '350'],
  ['cr', '19.93', '99.8', '2025-04-22T01:00:00Z', '0', '0'],
];
/** A plausible row with 0–3 cells replaced by hostile ones, or (1 in 5) a row of arbitrary cells. */
const row = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ base: fc.constantFrom(...GOOD_ROWS), edits: fc.array(fc.record({ at: fc.nat({ max: 7 }), cell }), { maxLength: 3 }) })
      .map(({ base, edits }) => {
        const r = base.slice();
        for (const e of edits) r[e.at] = e.cell;
        return r.map((c) => c ?? '');
      }),
  },
  { weight: 1, arbitrary: fc.array(cell, { maxLength: 8 }) },
);
const csvText = fc
  .record({
    header: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...HEADERS) }, { weight: 1, arbitrary: fc.array(cell, { maxLength: 8 }).map((c) => c.join(',')) }),
    rows: fc.array(row, { maxLength: 30 }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
  })
  .map(({ header, rows, eol }) => [header, ...rows.map((r) => r.join(','))].join(eol));

const TDUMP_TOKENS = ['1', '0', '-1', '13', '32', '25', '99', '1e999', 'NaN', '18.788', '98.985', '500.0', '-999', 'x', '', '1000000000', '95.000', '-1.0'];
const tdumpLines = readFileSync(resolve(root, 'test/fixtures/wind/tdump_real_layout.txt'), 'utf8').split('\n');
const tdumpText = fc
  .record({
    ops: fc.array(
      fc.record({
        line: fc.nat({ max: tdumpLines.length - 1 }),
        kind: fc.constantFrom('token', 'drop', 'dup', 'garbage'),
        token: fc.constantFrom(...TDUMP_TOKENS),
        field: fc.nat({ max: 16 }),
        garbage: fc.string({ maxLength: 40 }),
      }),
      { maxLength: 6 },
    ),
    cut: fc.option(fc.nat({ max: tdumpLines.length }), { nil: null, freq: 4 }),
  })
  .map(({ ops, cut }) => {
    let lines = tdumpLines.slice();
    for (const op of ops) {
      const i = Math.min(op.line, lines.length - 1);
      if (i < 0) break;
      if (op.kind === 'drop') lines.splice(i, 1);
      else if (op.kind === 'dup') lines.splice(i, 0, lines[i]!);
      else if (op.kind === 'garbage') lines[i] = op.garbage;
      else {
        const parts = lines[i]!.trim().split(/\s+/);
        parts[op.field % Math.max(1, parts.length)] = op.token;
        lines[i] = parts.map((p) => p.padStart(6)).join('');
      }
    }
    if (cut !== null) lines = lines.slice(0, cut);
    return lines.join('\n');
  });

/**
 * Fuzz every wind reader with `n` inputs each from `seed`. Readers: openWind NetCDF3, NetCDF4, GeoTIFF pair,
 * point CSV; readWindCsv; readTdump.
 */
export async function fuzzWind(n: number, seed: number, only?: readonly string[]): Promise<FuzzReport[]> {
  const sample = <T>(arb: fc.Arbitrary<T>, k: number): T[] => fc.sample(arb, { seed: seed + k, numRuns: n });
  const nc3Bases = [
    fixture('wind/classic_nc3.nc'),
    fixture('wind/era5_like_packed.nc'),
    windNc3([0, 1, 2, 30, 31], 'hours since 2023-01-01', '360_day'),
    windNc3([0, 59, 365], 'days since 2024-01-01', 'noleap'),
  ].filter((b) => b[0] === 0x43);
  const nc4Bases = [fixture('cli/wind_era5_valid_time.nc'), fixture('wind/gfs_like.nc')].filter((b) => b[0] === 0x89);
  const tifBases = [fixture('wind/wind_u_4326.tif'), fixture('wind/wind_v_4326.tif')];
  const tifPair = fc.record({ m: mutation(tifBases.length), which: fc.constantFrom('u', 'v') });
  const reports: FuzzReport[] = [];
  const want = (name: string): boolean => only === undefined || only.includes(name);
  if (want('openWind NetCDF3')) reports.push(
    await run('openWind NetCDF3', sample(mutation(nc3Bases.length), 1), (m) => openWind(apply(m, nc3Bases, 4)), describeMutation),
  );
  if (want('openWind NetCDF4/HDF5')) reports.push(
    await run('openWind NetCDF4/HDF5', sample(mutation(nc4Bases.length), 2), (m) => openWind(apply(m, nc4Bases, 4), { netcdf: m.base === 1 ? { uVar: 'u', vVar: 'v', level: 850 } : {} }), describeMutation),
  );
  if (want('openWind GeoTIFF pair')) reports.push(
    await run(
      'openWind GeoTIFF pair',
      sample(tifPair, 3),
      ({ m, which }) => {
        const bad = apply(m, tifBases, 4);
        return openWind(which === 'u' ? { u: bad, v: tifBases[1]! } : { u: tifBases[0]!, v: bad });
      },
      ({ m, which }) => `${which}: ${describeMutation(m)}`,
    ),
  );
  if (want('openWind point CSV')) reports.push(await run('openWind point CSV', sample(csvText, 4), (t) => openWind(t), (t) => JSON.stringify(t.slice(0, 400))));
  if (want('readWindCsv')) reports.push(await run('readWindCsv', sample(csvText, 5), (t) => readWindCsv(t), (t) => JSON.stringify(t.slice(0, 400))));
  if (want('readTdump')) reports.push(await run('readTdump', sample(tdumpText, 6), (t) => readTdump(t), (t) => JSON.stringify(t.slice(0, 400))));
  return reports;
}

async function main(): Promise<void> {
  const n = Number(process.env['FUZZ_N'] ?? 10_000);
  const seed = Number(process.env['FUZZ_SEED'] ?? 20251202);
  const only = process.env['FUZZ_READERS'] ? process.env['FUZZ_READERS'].split(';').map((x) => x.trim()) : undefined;
  const t0 = performance.now();
  let reports = await fuzzWind(n, seed, only);
  const file = resolve(root, process.env['FUZZ_OUT'] ?? 'bench/results/fuzz-wind.json');
  if (only !== undefined) {
    // a partial run (FUZZ_READERS="openWind NetCDF3;readTdump") updates its readers in an existing result of the same seed and size
    try {
      const prev = JSON.parse(readFileSync(file, 'utf8')) as { seed: number; inputsPerReader: number; readers: FuzzReport[] };
      if (prev.seed === seed && prev.inputsPerReader === n) {
        const mine = new Map(reports.map((r) => [r.reader, r]));
        const order = ['openWind NetCDF3', 'openWind NetCDF4/HDF5', 'openWind GeoTIFF pair', 'openWind point CSV', 'readWindCsv', 'readTdump'];
        const merged = new Map(prev.readers.map((r) => [r.reader, r]));
        for (const [k, v] of mine) merged.set(k, v);
        reports = order.filter((k) => merged.has(k)).map((k) => merged.get(k)!);
      }
    } catch {
      /* no earlier result: write this one alone */
    }
  }
  const out = {
    bench: 'fuzz-wind',
    command: 'npm run bench:fuzz-wind',
    seed,
    inputsPerReader: n,
    node: process.version,
    date: new Date().toISOString(),
    totalMs: Math.round(performance.now() - t0),
    untypedTotal: reports.reduce((s, r) => s + r.untyped, 0),
    readers: reports,
  };
  mkdirSync(resolve(root, 'bench/results'), { recursive: true });
  writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  for (const r of reports) {
    const codes = Object.entries(r.hazetrace).map(([c, k]) => `${c} ${k}`).join(', ');
    console.log(`${r.reader.padEnd(24)} ${r.inputs} inputs: ${r.returned} results, ${codes || 'no errors'}; untyped ${r.untyped} (${(r.ms / 1000).toFixed(1)} s)`);
    for (const x of r.examples) console.log(`   ${x.name}: ${x.message}\n     input ${x.input}`);
  }
  console.log(`untyped exceptions in total: ${out.untypedTotal}; wrote ${file}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
