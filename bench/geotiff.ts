/**
 * bench:geotiff — GeoTIFF read speed of hazetrace's PUBLIC readers beside GDAL's `ReadAsArray`, on the same files.
 *
 * Rasters (seeded, numpy default_rng(GEOTIFF_BENCH_SEED), 4000 × 4000 by default) are written by GDAL
 * (Debian python3-gdal, GTiff driver — the same code as gdal_translate -co ...) into a temp dir:
 *   f32 deflate tiled 256, f32 deflate + predictor 3 tiled 256, i16 deflate + predictor 2 striped,
 *   f32 LZW striped, u8 uncompressed striped, u8 3-band (pixel-interleaved) deflate tiled 256.
 * Contents are meant to look like real rasters: smooth multi-scale fields with noise at full float32
 * precision (model / satellite output), metres as int16 (a DEM), patchy classes (land cover) and an RGB-like image.
 *
 * Sides, interleaved per round (order rotated each round), medians of GEOTIFF_BENCH_REPS rounds (default 5):
 *   - `file`:  `readGeoTiffFile(path, { parallelInflate: true })` from hazetrace/node (reads only what it needs from
 *              the file; large deflate blocks on the thread pool, which is opt-in);
 *   - `bytes`: `readGeoTiff(readFileSync(path), { parallelInflate: true })` from hazetrace/io with hazetrace/node
 *              imported (Node zlib);
 *   - `native` / `nativeBytes`: the same two readers with `{ sampleType: 'native' }` (bands in the file's own typed
 *              array, e.g. Int16Array, as GDAL's numpy array is);
 *   - `fileSync` / `nativeSync`: `file` / `native` with `parallelInflate: false` (every deflate block inflated on
 *              the main thread: the default read), to show what the threads buy;
 *   - `gdal`:  `gdal.Open(path).ReadAsArray()` then close, timed inside ONE long-lived /usr/bin/python3 child
 *              (no process start or IPC in its timing; GDAL_NUM_THREADS unset = single-threaded decode, GDAL's
 *              block cache is emptied by closing the dataset every round);
 *   - `gdalMT`: the same with GDAL_NUM_THREADS=ALL_CPUS (gdal.SetConfigOption, multi-threaded block decoding).
 * Each side's CPU time (user + system of its whole process, all threads) is recorded beside its wall time: the
 * default hazetrace sides may use libuv's thread pool to inflate, so wall time alone would hide the extra cores.
 * File read is INCLUDED on every side (the files sit in the OS page cache after the first read on all sides).
 * Also reported, not part of the target: `stream` = `readGeoTiff` with no synchronous inflater, i.e. the stock
 * DecompressionStream a browser uses (hazetrace/io without hazetrace/node); and `floor` = only allocating the
 * Float64Array bands the Raster returns and writing every value once (fill) — no file, no decode. Raster.bands is
 * Float64Array, so a 1-byte raster writes 8× the bytes GDAL's native-typed numpy array does; gdalMs ÷ floorMs is the
 * best ratio any decoder behind this API could reach on this machine; `nativeFloor` is the same for the native typed
 * arrays `sampleType: 'native'` returns.
 * MB/s = decoded raster bytes in the file's own sample type (width × height × bands × bytes per sample) per
 * second, the same number for every side. ratio = hazetrace MB/s ÷ GDAL MB/s (target ≥ 0.5); ratioMT the same
 * against multi-threaded GDAL. GEOTIFF_BENCH_ASYNC_MIN_BYTES overrides the thread-pool inflater's block threshold.
 * Every side's pixels are checked to be identical to GDAL's: SHA-256 of every band as little-endian float64 (native
 * bands are converted to float64 for the check, outside the timing), and native bands must be of the file's type.
 *
 *   flock /tmp/bench.lock npm run bench:geotiff     # GEOTIFF_BENCH_SIZE=4000 GEOTIFF_BENCH_REPS=5
 *
 * Writes bench/results/geotiff.json.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readGeoTiff, type Raster } from '../src/io/index.js';
import type { NativeBand } from '../src/io/geotiff.js';
import { readGeoTiffFile } from '../src/node/index.js';
import { getAsyncInflate, getAsyncInflatePolicy, getSyncInflate, setAsyncInflate, setSyncInflate } from '../src/io/tiff/inflate.js';

const SIZE = Number(process.env.GEOTIFF_BENCH_SIZE ?? 4000);
const REPS = Number(process.env.GEOTIFF_BENCH_REPS ?? 5);
const SEED = Number(process.env.GEOTIFF_BENCH_SEED ?? 20261203);
const DIR = process.env.GEOTIFF_BENCH_DIR ?? join(tmpdir(), `hazetrace-geotiff-bench-${SIZE}-${SEED}-v1`);
const WITH_STREAM = process.env.GEOTIFF_BENCH_STREAM !== '0';
const ONLY = process.env.GEOTIFF_BENCH_ONLY?.split(',');
// Override the smallest block the thread-pool inflater takes (bytes decoded); unset = the library's default.
const ASYNC_MIN = process.env.GEOTIFF_BENCH_ASYNC_MIN_BYTES === undefined ? undefined : Number(process.env.GEOTIFF_BENCH_ASYNC_MIN_BYTES);

interface Case { name: string; type: 'f32' | 'i16' | 'u8'; bands: number; content: string; options: string[]; bytesPerSample: number }
const NATIVE_CLASS = { f32: Float32Array, i16: Int16Array, u8: Uint8Array } as const;
const CASES: Case[] = [
  { name: 'f32_deflate_tiled256', type: 'f32', bands: 1, content: 'field', bytesPerSample: 4, options: ['COMPRESS=DEFLATE', 'TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256'] },
  { name: 'f32_deflate_pred3_tiled256', type: 'f32', bands: 1, content: 'field', bytesPerSample: 4, options: ['COMPRESS=DEFLATE', 'PREDICTOR=3', 'TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256'] },
  { name: 'i16_deflate_pred2_strip', type: 'i16', bands: 1, content: 'dem', bytesPerSample: 2, options: ['COMPRESS=DEFLATE', 'PREDICTOR=2'] },
  { name: 'f32_lzw_strip', type: 'f32', bands: 1, content: 'field', bytesPerSample: 4, options: ['COMPRESS=LZW'] },
  { name: 'u8_uncompressed_strip', type: 'u8', bands: 1, content: 'classes', bytesPerSample: 1, options: [] },
  { name: 'u8x3_deflate_tiled256', type: 'u8', bands: 3, content: 'rgb', bytesPerSample: 1, options: ['COMPRESS=DEFLATE', 'INTERLEAVE=PIXEL', 'TILED=YES', 'BLOCKXSIZE=256', 'BLOCKYSIZE=256'] },
].filter((c) => !ONLY || ONLY.includes(c.name)) as Case[];

// One long-lived GDAL process: JSON commands on stdin, one JSON line back per command.
const PY = String.raw`
import sys, json, time, hashlib, os
import numpy as np
from osgeo import gdal, osr
gdal.UseExceptions()

def make(c):
    n, seed = c['size'], c['seed']
    rng = np.random.default_rng([seed, c['index']])
    yy, xx = np.mgrid[0:n, 0:n].astype(np.float32) / np.float32(n)
    def smooth(k):
        # sum of random low-frequency waves: a continuous field with structure at several scales
        f = np.zeros((n, n), np.float32)
        for s in range(k):
            fx, fy = rng.uniform(1, 4 * (s + 1), 2)
            ph = rng.uniform(0, 2 * np.pi)
            f += np.float32(1.0 / (s + 1)) * np.sin(np.float32(2 * np.pi) * (fx * xx + fy * yy) + np.float32(ph))
        return f
    out = []
    for b in range(c['bands']):
        base = smooth(6)
        kind = c['content']
        if kind == 'field':      # e.g. PM2.5 / temperature model output, full float32 precision
            v = (35 + 20 * base + rng.normal(0, 0.5, (n, n))).astype(np.float32)
        elif kind == 'dem':      # elevation in metres
            v = np.round(800 + 600 * base + rng.normal(0, 3, (n, n))).astype(np.int16)
        elif kind == 'classes':  # land-cover-like patches: 12 classes from the field, 2% speckle
            v = np.clip((base + 2.5) * 2.4, 0, 11).astype(np.uint8)
            m = rng.random((n, n)) < 0.02
            v[m] = rng.integers(0, 12, int(m.sum()))
        else:                    # RGB-like imagery
            v = np.clip(110 + 50 * base + rng.normal(0, 6, (n, n)), 0, 255).astype(np.uint8)
        out.append(v)
    gdt = {'f32': gdal.GDT_Float32, 'i16': gdal.GDT_Int16, 'u8': gdal.GDT_Byte}[c['type']]
    tmp = c['path'] + '.part'
    ds = gdal.GetDriverByName('GTiff').Create(tmp, n, n, c['bands'], gdt, c['options'])
    srs = osr.SpatialReference(); srs.ImportFromEPSG(32647)
    ds.SetProjection(srs.ExportToWkt())
    ds.SetGeoTransform([400000.0, 30.0, 0.0, 2100000.0, 0.0, -30.0])
    for b, v in enumerate(out):
        ds.GetRasterBand(b + 1).WriteArray(v)
    ds = None
    os.replace(tmp, c['path'])
    return {}

def read(c):
    # GDAL_NUM_THREADS=ALL_CPUS: GTiff decodes the blocks of one ReadAsArray on a pool of threads (GDAL >= 3.6).
    gdal.SetConfigOption('GDAL_NUM_THREADS', 'ALL_CPUS' if c.get('threads') else None)
    c0 = time.process_time()
    t0 = time.perf_counter()
    ds = gdal.Open(c['path'])
    a = ds.ReadAsArray()
    ds = None
    t = time.perf_counter() - t0
    cpu = time.process_time() - c0
    gdal.SetConfigOption('GDAL_NUM_THREADS', None)
    r = {'seconds': t, 'cpuSeconds': cpu}
    if c.get('verify'):
        if a.ndim == 2: a = a[None]
        r['sha256'] = [hashlib.sha256(np.ascontiguousarray(b, dtype='<f8').tobytes()).hexdigest() for b in a]
        r['shape'] = list(a.shape)
    return r

print(json.dumps({'gdal': gdal.__version__, 'numpy': np.__version__, 'python': sys.version.split()[0],
                  'GDAL_NUM_THREADS': gdal.GetConfigOption('GDAL_NUM_THREADS'), 'GDAL_CACHEMAX': gdal.GetCacheMax()}), flush=True)
for line in sys.stdin:
    c = json.loads(line)
    try:
        r = make(c) if c['op'] == 'make' else read(c)
    except Exception as e:
        r = {'error': repr(e)}
    print(json.dumps(r), flush=True)
`;

const py = spawn('/usr/bin/python3', ['-c', PY], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, GDAL_PAM_ENABLED: 'NO' } });
const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
async function pyLine(): Promise<Record<string, unknown>> {
  const { value, done } = await lines.next();
  if (done) throw new Error('GDAL child exited');
  const r = JSON.parse(value as string) as Record<string, unknown>;
  if (r.error) throw new Error(`GDAL child: ${String(r.error)}`);
  return r;
}
async function gdal(cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
  py.stdin.write(JSON.stringify(cmd) + '\n');
  return pyLine();
}
const gdalInfo = await pyLine();

const median = (a: number[]): number => {
  const s = a.slice().sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sha = (b: NativeBand): string => {
  const a = b instanceof Float64Array ? b : Float64Array.from(b);
  return createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
};
const nodeInflate = getSyncInflate();
const nodeInflateAsync = getAsyncInflate();
if (!nodeInflate || !nodeInflateAsync) throw new Error('hazetrace/node did not install its zlib inflaters');
const asyncPolicy = { ...getAsyncInflatePolicy(), ...(ASYNC_MIN === undefined ? {} : { minBlockBytes: ASYNC_MIN }) };
setAsyncInflate(nodeInflateAsync, asyncPolicy);

type Side = 'file' | 'bytes' | 'native' | 'nativeBytes' | 'fileSync' | 'nativeSync' | 'stream' | 'floor' | 'nativeFloor' | 'gdal' | 'gdalMT';
const sides: Side[] = ['file', 'bytes', 'native', 'nativeBytes', 'fileSync', 'nativeSync', ...(WITH_STREAM ? (['stream'] as const) : []), 'floor', 'nativeFloor', 'gdal', 'gdalMT'];
/** Wall seconds and CPU seconds (user + system of the whole process: every thread, libuv's pool included). */
async function run(side: Side, path: string, c: Case): Promise<{ seconds: number; cpuSeconds: number; raster?: Raster<NativeBand> }> {
  if (side === 'gdal' || side === 'gdalMT') {
    const r = await gdal({ op: 'read', path, threads: side === 'gdalMT' });
    return { seconds: r.seconds as number, cpuSeconds: r.cpuSeconds as number };
  }
  const c0 = process.cpuUsage();
  if (side === 'floor' || side === 'nativeFloor') {
    const T = side === 'floor' ? Float64Array : NATIVE_CLASS[c.type];
    const t0 = performance.now();
    const out = Array.from({ length: c.bands }, () => new T(SIZE * SIZE));
    for (const a of out) a.fill(1);
    const cpu = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  }
  setSyncInflate(side === 'stream' ? null : nodeInflate);
  try {
    const t0 = performance.now();
    const raster: Raster<NativeBand> =
      side === 'file' ? await readGeoTiffFile(path, { parallelInflate: true })
      // fileSync / nativeSync: the same reads with parallelInflate: false (every block inflated on the main thread).
      : side === 'fileSync' ? await readGeoTiffFile(path, { parallelInflate: false })
      : side === 'nativeSync' ? await readGeoTiffFile(path, { sampleType: 'native', parallelInflate: false })
      : side === 'native' ? await readGeoTiffFile(path, { sampleType: 'native', parallelInflate: true })
      : side === 'nativeBytes' ? await readGeoTiff(readFileSync(path), { sampleType: 'native', parallelInflate: true })
      : side === 'stream' ? await readGeoTiff(readFileSync(path))
      : await readGeoTiff(readFileSync(path), { parallelInflate: true });
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, raster };
  } finally {
    setSyncInflate(nodeInflate);
  }
}

const loadavgBefore = loadavg();
mkdirSync(DIR, { recursive: true });
const results: Record<string, unknown>[] = [];
for (const [index, c] of CASES.entries()) {
  const path = join(DIR, `${c.name}.tif`);
  if (!existsSync(path)) {
    process.stdout.write(`writing ${path} ... `);
    await gdal({ op: 'make', path, size: SIZE, seed: SEED, index, bands: c.bands, type: c.type, content: c.content, options: c.options });
    console.log('done');
  }
  // Verify (also warms up JIT, page cache and GDAL): every side must give GDAL's values exactly.
  const ref = await gdal({ op: 'read', path, verify: true });
  const refSha = ref.sha256 as string[];
  const decoders: Record<string, string | undefined> = {};
  for (const side of sides) {
    if (side === 'gdal' || side === 'gdalMT' || side === 'floor' || side === 'nativeFloor') continue;
    const { raster } = await run(side, path, c);
    const want = side === 'native' || side === 'nativeBytes' || side === 'nativeSync' ? NATIVE_CLASS[c.type] : Float64Array;
    if (!raster!.bands.every((b) => b instanceof want)) throw new Error(`${c.name}: ${side} bands are not ${want.name}`);
    const got = raster!.bands.map(sha);
    if (JSON.stringify(got) !== JSON.stringify(refSha)) throw new Error(`${c.name}: ${side} pixels differ from GDAL's (${got.join(',')} vs ${refSha.join(',')})`);
    decoders[side] = raster!.decoder;
  }
  // The MT GDAL side must give the same values too.
  const mt = await gdal({ op: 'read', path, verify: true, threads: true });
  if (JSON.stringify(mt.sha256) !== JSON.stringify(refSha)) throw new Error(`${c.name}: GDAL with GDAL_NUM_THREADS=ALL_CPUS differs from single-threaded GDAL`);
  const times = Object.fromEntries(sides.map((s) => [s, [] as number[]])) as Record<Side, number[]>;
  const cpuTimes = Object.fromEntries(sides.map((s) => [s, [] as number[]])) as Record<Side, number[]>;
  for (let r = 0; r < REPS; r++) {
    // Rotate the order every round so no side always runs right after the same one (GC, caches).
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(k + r) % sides.length]!;
      const t = await run(side, path, c);
      times[side].push(t.seconds);
      cpuTimes[side].push(t.cpuSeconds);
    }
  }
  const mb = (SIZE * SIZE * c.bands * c.bytesPerSample) / 1e6;
  const g = median(times.gdal);
  const gmt = median(times.gdalMT);
  const row: Record<string, unknown> = {
    case: c.name,
    type: c.type,
    bands: c.bands,
    creationOptions: c.options,
    width: SIZE,
    height: SIZE,
    fileMB: Number((statSync(path).size / 1e6).toFixed(2)),
    rasterMB: Number(mb.toFixed(2)),
    decoder: decoders,
    pixelsIdenticalToGdal: true,
    gdalMs: Number((g * 1000).toFixed(1)),
    gdalMBps: Number((mb / g).toFixed(1)),
    gdalCpuMs: Number((median(cpuTimes.gdal) * 1000).toFixed(1)),
    gdalMTMs: Number((gmt * 1000).toFixed(1)),
    gdalMTMBps: Number((mb / gmt).toFixed(1)),
    gdalMTCpuMs: Number((median(cpuTimes.gdalMT) * 1000).toFixed(1)),
  };
  for (const side of sides) {
    if (side === 'gdal' || side === 'gdalMT') continue;
    const t = median(times[side]);
    row[`${side}Ms`] = Number((t * 1000).toFixed(1));
    row[`${side}MBps`] = Number((mb / t).toFixed(1));
    row[`${side}Ratio`] = Number((g / t).toFixed(3));
    row[`${side}RatioMT`] = Number((gmt / t).toFixed(3));
    row[`${side}CpuMs`] = Number((median(cpuTimes[side]) * 1000).toFixed(1));
  }
  row.roundsMs = Object.fromEntries(sides.map((s) => [s, times[s].map((t) => Number((t * 1000).toFixed(1)))]));
  row.roundsCpuMs = Object.fromEntries(sides.map((s) => [s, cpuTimes[s].map((t) => Number((t * 1000).toFixed(1)))]));
  results.push(row);
  const { roundsMs: _r, roundsCpuMs: _rc, creationOptions: _o, ...brief } = row;
  console.log(brief);
}
py.stdin.end();

const json = {
  bench: 'geotiff',
  command: 'flock /tmp/bench.lock npm run bench:geotiff',
  env: { GEOTIFF_BENCH_SIZE: SIZE, GEOTIFF_BENCH_REPS: REPS, GEOTIFF_BENCH_SEED: SEED },
  reps: REPS,
  fileReadIncluded: true,
  sides: {
    file: "readGeoTiffFile(path, { parallelInflate: true }) from 'hazetrace/node'",
    bytes: "readGeoTiff(readFileSync(path), { parallelInflate: true }) from 'hazetrace/io', hazetrace/node imported (Node zlib inflate)",
    native: "readGeoTiffFile(path, { sampleType: 'native', parallelInflate: true }): bands in the file's own typed array (Float32Array / Int16Array / Uint8Array here)",
    nativeBytes: "readGeoTiff(readFileSync(path), { sampleType: 'native', parallelInflate: true })",
    fileSync: 'readGeoTiffFile(path, { parallelInflate: false }): every deflate block inflated on the main thread (the default read)',
    nativeSync: "readGeoTiffFile(path, { sampleType: 'native', parallelInflate: false })",
    stream: "readGeoTiff(readFileSync(path)) with no sync inflater (DecompressionStream, as hazetrace/io alone / a browser); not part of the target",
    floor: 'allocate the Float64Array bands a Raster returns and fill them once (no file, no decode): the least any reader behind this API costs; floorRatio = gdalMs / floorMs is its ceiling',
    nativeFloor: "the same for the native typed arrays sampleType: 'native' returns",
    gdal: 'gdal.Open(path).ReadAsArray() + close, timed in one long-lived /usr/bin/python3 (Debian python3-gdal); GDAL_NUM_THREADS unset = single-threaded decoding',
    gdalMT: 'the same with gdal.SetConfigOption("GDAL_NUM_THREADS", "ALL_CPUS") (multi-threaded block decoding), in the same run',
  },
  metric: 'MB/s = width x height x bands x bytes per sample (file sample type) / median seconds; ratio = GDAL seconds / hazetrace seconds (xRatio against single-threaded GDAL, xRatioMT against GDAL_NUM_THREADS=ALL_CPUS); xCpuMs = median CPU time (user + system, all threads of the process) of one read',
  asyncInflate: { ...getAsyncInflatePolicy(), UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? 'unset (libuv default 4)' },
  target: 'ratio >= 0.5 (the brief: on the deflate cases, tiled and striped)',
  belowTarget: Object.fromEntries(
    (['file', 'bytes', 'native', 'nativeBytes'] as const).map((side) => [side, results.filter((r) => (r[`${side}Ratio`] as number) < 0.5).map((r) => r.case)]),
  ),
  belowTargetMT: Object.fromEntries(
    (['file', 'bytes', 'native', 'nativeBytes'] as const).map((side) => [side, results.filter((r) => (r[`${side}RatioMT`] as number) < 0.5).map((r) => r.case)]),
  ),
  loadavgBefore,
  reference: gdalInfo,
  node: process.version,
  cpu: cpus()[0]?.model,
  cpus: availableParallelism(),
  loadavg: loadavg(),
  date: new Date().toISOString(),
  results,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/geotiff.json', JSON.stringify(json, null, 2) + '\n');
console.log('wrote bench/results/geotiff.json');
