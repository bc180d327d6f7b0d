/**
 * Real-data report for the grid engine (not a speed benchmark): the shared FIRMS
 * MODIS file gridded at res 5 and 7, Thai provinces covered at res 6, hotspots
 * per province through the cell → province table versus point-in-polygon (with
 * the border-cell disagreement), and a Getis–Ord Gi* map of the hotspots at
 * res 6 over Thailand, written as GeoJSON hexagons (io's `cellsToGeoJson`).
 * Falls back to the committed upper-north slices when shared data is absent.
 *
 *   npx tsx bench/grid-gi-map.ts
 *
 * Writes bench/results/grid-realdata.json and bench/results/grid-gi-hotspots.geojson.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { latLngToCell } from 'h3-js';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { readFirmsCsv, cellsToGeoJson } from '../src/io/index.js';
import { assignCellsToPolygons, binPoints, coverPolygon, getisOrdGi, type PolygonInput } from '../src/grid/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const shared = ['/work/shared/data', join(HERE, '../../shared/data')].find((d) => existsSync(join(d, 'th_provinces.geojson')));
const firmsFile = shared ? join(shared, 'firms_modis_c6_nrt_24h_snapshots_SEA.csv') : join(HERE, '../test/fixtures/grid/firms_modis_upper_north.csv');
const provFile = shared ? join(shared, 'th_provinces.geojson') : join(HERE, '../test/fixtures/grid/th_upper_north_provinces_simplified.geojson');

const { hotspots: h, rejected } = readFirmsCsv(readFileSync(firmsFile));
const provinces = (JSON.parse(readFileSync(provFile, 'utf8')) as { features: (PolygonInput & { properties: { pro_en: string } })[] }).features;
const report: Record<string, unknown> = { firmsFile, provFile, hotspots: h.length, rejectedRows: rejected.length };

for (const res of [5, 7]) {
  const g = binPoints(h, { res, values: { frp: ['sum', 'mean', 'max'] }, order: 'cell' });
  const top = Array.from(g.columns.count!).map((c, i) => [c, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 3);
  report[`res${res}`] = { cells: g.cells.length, accepted: g.accepted, rejected: g.rejectedCount, busiest: top.map(([c, i]) => ({ cell: g.cells[i], count: c, frp_sum: g.columns.frp_sum![i] })) };
}

const t6 = assignCellsToPolygons(provinces, 6);
report['provincesRes6'] = { provinces: provinces.length, cells: t6.cells.length };

// hotspots per province: cell → province (res 7) against point-in-polygon
const t7 = assignCellsToPolygons(provinces, 7);
const partial = new Set<string>();
for (const f of provinces) {
  const fr = coverPolygon(f, { res: 7, mode: 'fraction' });
  fr.cells.forEach((c, i) => { if (fr.columns.fraction![i]! < 1 - 1e-9) partial.add(c); });
}
const perProvince = provinces.map((f) => ({ province: f.properties.pro_en, viaCells: 0, pointInPolygon: 0 }));
let agree = 0, disagree = 0, borderDisagree = 0;
for (let i = 0; i < h.length; i++) {
  const cell = latLngToCell(h.lat[i]!, h.lng[i]!, 7);
  const a = t7.lookup(cell);
  const p = provinces.findIndex((f) => booleanPointInPolygon([h.lng[i]!, h.lat[i]!], f as never));
  if (a < 0 && p < 0) continue; // outside Thailand
  if (a >= 0) perProvince[a]!.viaCells++;
  if (p >= 0) perProvince[p]!.pointInPolygon++;
  if (a === p) agree++;
  else {
    disagree++;
    if (partial.has(cell)) borderDisagree++;
  }
}
report['perProvinceRes7'] = { agree, disagree, disagreeInBorderCells: borderDisagree, disagreementShare: disagree / (agree + disagree), provinces: perProvince.filter((p) => p.viaCells || p.pointInPolygon) };

// Gi* map at res 6 over the Thai province cells (absent cells = 0 hotspots)
const g6 = binPoints(h, { res: 6 });
const gi = getisOrdGi(g6, 'count', { k: 1, domain: t6.cells });
const bins = Array.from(gi.columns.gi_bin!);
report['giRes6'] = {
  domainCells: gi.cells.length,
  hot99: bins.filter((b) => b === 3).length, hot95: bins.filter((b) => b === 2).length, hot90: bins.filter((b) => b === 1).length,
  cold: bins.filter((b) => b < 0).length,
  maxZ: Math.max(...gi.columns.gi_z!),
};
const hotOnly = { res: gi.res, cells: [] as string[], columns: { count: [] as number[], gi_z: [] as number[], gi_p: [] as number[], gi_bin: [] as number[] } };
gi.cells.forEach((c, i) => {
  if (gi.columns.gi_bin![i] !== 0) {
    hotOnly.cells.push(c);
    hotOnly.columns.count.push(gi.columns.count![i]!);
    hotOnly.columns.gi_z.push(gi.columns.gi_z![i]!);
    hotOnly.columns.gi_p.push(gi.columns.gi_p![i]!);
    hotOnly.columns.gi_bin.push(gi.columns.gi_bin![i]!);
  }
});
const fc = cellsToGeoJson({ res: hotOnly.res, cells: hotOnly.cells, columns: Object.fromEntries(Object.entries(hotOnly.columns).map(([k, v]) => [k, Float64Array.from(v)])) }, { precision: 5 });
mkdirSync(join(HERE, 'results'), { recursive: true });
writeFileSync(join(HERE, 'results', 'grid-gi-hotspots.geojson'), JSON.stringify(fc) + '\n');
writeFileSync(join(HERE, 'results', 'grid-realdata.json'), JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify({ ...report, perProvinceRes7: { ...(report['perProvinceRes7'] as object), provinces: undefined } }, null, 2));
