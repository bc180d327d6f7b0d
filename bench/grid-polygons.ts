/**
 * Polygon coverage benchmark: Thai provinces (77, the shared file; or the
 * committed upper-north slice when shared data is absent) covered at res 8 by
 * hazetrace `coverPolygon` (centroid and area-fraction modes) beside the
 * baseline h3-js `polygonToCells` in the same run. Prints cells/s and checks
 * that centroid mode returns exactly h3-js's cells. Merges its numbers into
 * bench/results/grid.json (key `polygons`).
 *
 *   npm run bench:grid:polygons
 *   BENCH_RES=6 npm run bench:grid:polygons     # faster, for development
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { polygonToCells } from 'h3-js';
import { coverPolygon, type PolygonInput } from '../src/grid/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const RES = Number(process.env['BENCH_RES'] ?? 8);
const shared = ['/work/shared/data/th_provinces.geojson', join(HERE, '../../shared/data/th_provinces.geojson')].find(existsSync);
const file = shared ?? join(HERE, '../test/fixtures/grid/th_upper_north_provinces_simplified.geojson');
type F = { geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] } };
const features = (JSON.parse(readFileSync(file, 'utf8')) as { features: F[] }).features;

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, (performance.now() - t) / 1000];
}

const [base, tBase] = time(() =>
  features.map((f) => {
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates as number[][][]] : (f.geometry.coordinates as number[][][][]);
    const s = new Set<string>();
    for (const p of polys) for (const c of polygonToCells(p, RES, true)) s.add(c);
    return [...s].sort();
  }),
);
const [ours, tOurs] = time(() => features.map((f) => coverPolygon(f as unknown as PolygonInput, { res: RES }).cells));
const [frac, tFrac] = time(() => features.map((f) => coverPolygon(f as unknown as PolygonInput, { res: RES, mode: 'fraction' })));
const nBase = base.reduce((a, c) => a + c.length, 0);
const nOurs = ours.reduce((a, c) => a + c.length, 0);
const nFrac = frac.reduce((a, g) => a + g.cells.length, 0);
const identical = base.every((c, i) => c.length === ours[i]!.length && c.every((x, j) => x === ours[i]![j]));
const result = {
  file: shared ? 'shared th_provinces.geojson (77 provinces)' : 'fixture th_upper_north_provinces_simplified.geojson (9 provinces)',
  res: RES,
  baseline: 'h3-js polygonToCells per polygon',
  baselineCellsPerSec: nBase / tBase,
  centroidCellsPerSec: nOurs / tOurs,
  fractionCellsPerSec: nFrac / tFrac,
  cells: { baseline: nBase, centroid: nOurs, fraction: nFrac },
  seconds: { baseline: tBase, centroid: tOurs, fraction: tFrac },
  centroidEqualsBaseline: identical,
  date: new Date().toISOString(),
  node: process.version,
};
console.log(`grid-polygons: ${result.file}, res ${RES}`);
console.log(`  h3-js polygonToCells   ${nBase} cells in ${tBase.toFixed(2)} s = ${(result.baselineCellsPerSec / 1e6).toFixed(2)} M cells/s`);
console.log(`  coverPolygon centroid  ${nOurs} cells in ${tOurs.toFixed(2)} s = ${(result.centroidCellsPerSec / 1e6).toFixed(2)} M cells/s (identical cells: ${identical})`);
console.log(`  coverPolygon fraction  ${nFrac} cells in ${tFrac.toFixed(2)} s = ${(result.fractionCellsPerSec / 1e6).toFixed(2)} M cells/s`);
mkdirSync(join(HERE, 'results'), { recursive: true });
const out = join(HERE, 'results', 'grid.json');
const prev = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { benchmark: 'grid' };
prev.polygons = result;
writeFileSync(out, JSON.stringify(prev, null, 2) + '\n');
console.log('  wrote bench/results/grid.json (polygons)');
