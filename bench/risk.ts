/**
 * Benchmark of hazetrace/risk (docs/risk.md "Speed"):
 *  1. scoreRisk on RISK_BENCH_CELLS cells (default 1,000,000) × 8 seeded factors, percentile
 *     normalisation, against a naive baseline measured in the same run: one object per cell,
 *     ranks by sorting the objects with a comparator, contributions in per-cell objects.
 *  2. District roll-up of Thailand at RISK_BENCH_RES (default 8): cells of all 928 districts
 *     (h3 polygonToCells), scoring, rollupRisk — against a naive baseline: point-in-polygon of
 *     every cell centre against every district whose bounding box holds it (@turf/boolean-point-in-polygon).
 *
 * Each phase runs in a child process so its peak memory (VmHWM, `processUsage`, minus the RSS after the shared
 * setup) is its own. Writes bench/results/risk.json.
 *
 *   npm run bench:risk                     # full size
 *   RISK_BENCH_CELLS=100000 RISK_BENCH_RES=7 npm run bench:risk   # quick
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cellArea, cellToChildren, cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { createRng } from '../src/core/rng.js';
import { processUsage } from '../src/node/usage.js';
import { domainCells, rollupRisk, scoreRisk } from '../src/risk/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const N = Number(process.env.RISK_BENCH_CELLS ?? 1_000_000);
const RES = Number(process.env.RISK_BENCH_RES ?? 8);
const FACTORS = 8;
const SEED = 20250422;

function sharedData(): string | null {
  for (const p of [process.env.HAZETRACE_SHARED_DATA, join(root, '../shared/data'), '/work/shared/data']) {
    if (p && existsSync(join(p, 'th_districts_2020.geojson'))) return p;
  }
  return null;
}

/** `n` distinct res-9 cells around Chiang Mai (children of a res-5 disk), deterministic. */
function makeCells(n: number): string[] {
  const out: string[] = [];
  const centre = latLngToCell(18.79, 98.98, 5);
  for (let k = 0; out.length < n; k++) {
    const ring = k === 0 ? [centre] : gridDisk(centre, k).filter((c) => !gridDisk(centre, k - 1).includes(c));
    for (const p of ring) {
      for (const c of cellToChildren(p, 9)) {
        out.push(c);
        if (out.length === n) return out;
      }
    }
  }
  return out;
}

/** 8 factor columns with the shapes real factors have: heavy tails, many ties at 0, integers, a few NaN. */
function makeFactors(n: number, seed: number): Record<string, Float64Array> {
  const rng = createRng(seed);
  const f: Record<string, Float64Array> = {};
  const names = ['hotspot_detections', 'hotspot_frp', 'repeat_burn', 'hotspot_nearby', 'facility_proximity', 'pm25', 'downwind_exposure', 'population'];
  for (let j = 0; j < FACTORS; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      switch (j % 4) {
        case 0: col[i] = u < 0.7 ? 0 : Math.floor(rng.logNormal(0, 1)); break; // counts, mostly 0
        case 1: col[i] = rng.logNormal(2, 1.2); break; // heavy tail
        case 2: col[i] = Math.floor(u * 5) / 4; break; // 5 levels
        default: col[i] = u < 0.01 ? NaN : 20 + 60 * u; // continuous with gaps
      }
    }
    f[names[j]!] = col;
  }
  return f;
}

const WEIGHTS: Record<string, number> = {
  hotspot_detections: 2, hotspot_frp: 1, repeat_burn: 3, hotspot_nearby: 1,
  facility_proximity: 1, pm25: 1, downwind_exposure: 2, population: 1,
};

/** Naive baseline: an object per cell, percentile ranks by sorting objects, contributions per object. */
function naiveScore(cells: string[], factors: Record<string, Float64Array>, weights: Record<string, number>) {
  const names = Object.keys(factors);
  type Row = { cell: string; raw: Record<string, number>; norm: Record<string, number>; contributions: Record<string, number>; score: number; level: string };
  const rows: Row[] = cells.map((cell, i) => {
    const raw: Record<string, number> = {};
    for (const k of names) raw[k] = factors[k]![i]!;
    return { cell, raw, norm: {}, contributions: {}, score: 0, level: '' };
  });
  let wSum = 0;
  for (const k of names) wSum += weights[k]!;
  for (const k of names) {
    const fin = rows.filter((r) => !Number.isNaN(r.raw[k]));
    fin.sort((a, b) => a.raw[k]! - b.raw[k]!);
    let i = 0;
    while (i < fin.length) {
      let j = i;
      while (j + 1 < fin.length && fin[j + 1]!.raw[k] === fin[i]!.raw[k]) j++;
      const p = (i + j) / 2 / (fin.length - 1);
      for (let t = i; t <= j; t++) fin[t]!.norm[k] = p;
      i = j + 1;
    }
    for (const r of rows) if (r.norm[k] === undefined) r.norm[k] = 0;
  }
  for (const r of rows) {
    for (const k of names) {
      const c = (100 * weights[k]! * r.norm[k]!) / wSum;
      r.contributions[k] = c;
      r.score += c;
    }
    r.level = r.score < 25 ? 'low' : r.score < 50 ? 'moderate' : r.score < 75 ? 'high' : 'very high';
  }
  return rows;
}

function bbox(g: Polygon | MultiPolygon): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const p of polys) for (const r of p) for (const [x, y] of r) {
    if (x! < w) w = x!; if (x! > e) e = x!; if (y! < s) s = y!; if (y! > n) n = y!;
  }
  return [w, s, e, n];
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const r = fn();
  return [r, (performance.now() - t0) / 1000];
}

/** One phase in this (child) process; prints a JSON line. */
function runPhase(phase: string): void {
  const out: Record<string, unknown> = { phase };
  if (phase === 'score' || phase === 'score-naive') {
    const cells = makeCells(N);
    const factors = makeFactors(N, SEED);
    const rssSetup = process.memoryUsage().rss;
    const [res, s] = time(() => (phase === 'score' ? scoreRisk({ cells, factors }, { weights: WEIGHTS }) : naiveScore(cells, factors, WEIGHTS)));
    // A sink that depends on every score, so nothing is optimised away, and lets the parent compare results.
    let sink = 0;
    if (phase === 'score') {
      const r = res as ReturnType<typeof scoreRisk>;
      for (let i = 0; i < N; i++) sink += r.score[i]! * ((i % 97) + 1);
    } else {
      const r = res as ReturnType<typeof naiveScore>;
      for (let i = 0; i < N; i++) sink += r[i]!.score * ((i % 97) + 1);
    }
    Object.assign(out, {
      cells: N,
      seconds: s,
      cellsPerSecond: N / s,
      peakExtraMB: (processUsage().peakRssMB * 2 ** 20 - rssSetup) / 2 ** 20,
      peakRssMB: (processUsage().peakRssMB * 2 ** 20) / 2 ** 20,
      sink,
    });
  } else if (phase === 'rollup' || phase === 'rollup-naive') {
    const dataDir = sharedData();
    const layer = JSON.parse(
      readFileSync(dataDir ? join(dataDir, 'th_districts_2020.geojson') : join(root, 'test/fixtures/risk/th_upper_north_districts.geojson'), 'utf8'),
    ) as FeatureCollection<Polygon | MultiPolygon>;
    const [cells, tCells] = time(() => domainCells(layer, RES));
    const factors = makeFactors(cells.length, SEED + 1);
    const [scores, tScore] = time(() => scoreRisk({ cells, factors }, { weights: WEIGHTS }));
    const rssSetup = process.memoryUsage().rss;
    const maxSetup = processUsage().peakRssMB * 2 ** 20;
    let sink = 0;
    let tRoll: number;
    if (phase === 'rollup') {
      const [table, t] = time(() => rollupRisk(scores, layer, { idProperty: 'amp_code', nameProperty: 'amp_en' }));
      tRoll = t;
      for (const a of table.areas) sink += a.meanScore * a.rank;
      Object.assign(out, { areas: table.areas.length, top: table.areas.slice(0, 5).map((a) => `${a.id} ${a.meanScore.toFixed(2)}`) });
    } else {
      const [means, t] = time(() => {
        const boxes = layer.features.map((f) => bbox(f.geometry));
        // The same outputs as rollupRisk's score column: area-weighted mean and max per district.
        const sum = new Float64Array(layer.features.length);
        const wsum = new Float64Array(layer.features.length);
        const max = new Float64Array(layer.features.length).fill(-Infinity);
        for (let i = 0; i < cells.length; i++) {
          const [lat, lng] = cellToLatLng(cells[i]!);
          for (let d = 0; d < boxes.length; d++) {
            const b = boxes[d]!;
            if (lng < b[0] || lng > b[2] || lat < b[1] || lat > b[3]) continue;
            if (booleanPointInPolygon([lng, lat], layer.features[d] as Feature<Polygon | MultiPolygon>)) {
              const a = cellArea(cells[i]!, 'km2');
              const v = scores.score[i]!;
              sum[d] = sum[d]! + a * v;
              wsum[d] = wsum[d]! + a;
              if (v > max[d]!) max[d] = v;
            }
          }
        }
        return Array.from(sum, (v, d) => v / wsum[d]!);
      });
      tRoll = t;
      const order = means.map((m, d) => [m, d] as const).filter(([m]) => m === m).sort((a, b) => b[0] - a[0]);
      order.forEach(([m], r) => (sink += m * (r + 1)));
      Object.assign(out, { areas: order.length, top: order.slice(0, 5).map(([m, d]) => `${String(layer.features[d]!.properties!.amp_code)} ${m.toFixed(2)}`) });
    }
    Object.assign(out, {
      res: RES,
      districts: layer.features.length,
      layer: dataDir ? 'th_districts_2020.geojson (all Thailand)' : 'fixture: upper-north districts only (shared data absent)',
      cells: cells.length,
      secondsCells: tCells,
      secondsScore: tScore,
      secondsRollup: tRoll,
      cellsPerSecondRollup: cells.length / tRoll,
      // the peak is monotonic: when the roll-up's own peak stays below the setup's (domainCells), this is 0.
      peakExtraMB: (processUsage().peakRssMB * 2 ** 20 - Math.max(rssSetup, maxSetup)) / 2 ** 20,
      peakRssMB: (processUsage().peakRssMB * 2 ** 20) / 2 ** 20,
      rssAfterSetupMB: rssSetup / 2 ** 20,
      sink,
    });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

function child(phase: string): Record<string, unknown> {
  const stdout = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: process.env,
  });
  const line = stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Record<string, unknown>;
}

const phaseArg = process.argv.indexOf('--phase');
if (phaseArg !== -1) {
  runPhase(process.argv[phaseArg + 1]!);
} else {
  console.log(`risk bench: scoring ${N.toLocaleString()} cells × ${FACTORS} factors; Thailand district roll-up at res ${RES}`);
  const score = child('score');
  const naive = child('score-naive');
  const scoreRatio = (score.cellsPerSecond as number) / (naive.cellsPerSecond as number);
  console.log(
    `scoreRisk:   ${(score.cellsPerSecond as number).toExponential(3)} cells/s (${(score.seconds as number).toFixed(2)} s), peak +${(score.peakExtraMB as number).toFixed(0)} MB`,
  );
  console.log(
    `naive:       ${(naive.cellsPerSecond as number).toExponential(3)} cells/s (${(naive.seconds as number).toFixed(2)} s), peak +${(naive.peakExtraMB as number).toFixed(0)} MB`,
  );
  console.log(`speed-up ${scoreRatio.toFixed(1)}×; same scores (weighted sink): ${Math.abs((score.sink as number) - (naive.sink as number)) <= 1e-6 * Math.abs(score.sink as number)}`);
  const roll = child('rollup');
  const rollNaive = child('rollup-naive');
  const rollRatio = (rollNaive.secondsRollup as number) / (roll.secondsRollup as number);
  console.log(
    `roll-up (${roll.layer}): ${roll.cells} cells at res ${RES}: domainCells ${(roll.secondsCells as number).toFixed(2)} s, scoreRisk ${(roll.secondsScore as number).toFixed(2)} s, rollupRisk ${(roll.secondsRollup as number).toFixed(2)} s (${(roll.cellsPerSecondRollup as number).toExponential(3)} cells/s; score + 8 contribution columns), peak RSS ${(roll.peakRssMB as number).toFixed(0)} MB`,
  );
  console.log(
    `naive roll-up (turf point-in-polygon, score column only): ${(rollNaive.secondsRollup as number).toFixed(2)} s, peak RSS ${(rollNaive.peakRssMB as number).toFixed(0)} MB; speed-up ${rollRatio.toFixed(2)}×`,
  );
  console.log(`top districts: hazetrace ${String(roll.top)} | naive ${String(rollNaive.top)}`);
  const result = {
    name: 'risk',
    date: new Date().toISOString(),
    node: process.version,
    config: { cells: N, factors: FACTORS, rollupRes: RES, seed: SEED },
    score: { hazetrace: score, baseline: { name: 'naive per-cell objects + comparator sort', ...naive }, speedup: scoreRatio },
    rollup: { hazetrace: roll, baseline: { name: 'turf booleanPointInPolygon per cell centre with bbox prefilter', ...rollNaive }, speedup: rollRatio },
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/risk.json'), JSON.stringify(result, null, 2) + '\n');
  console.log('wrote bench/results/risk.json');
}
