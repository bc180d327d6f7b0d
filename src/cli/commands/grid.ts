/** `hazetrace grid`: FIRMS hotspots, point CSVs or GeoTIFF rasters onto H3 cells. */
import { cellsToArrow, cellsToCsvChunks, cellsToGeoJsonChunks, readGeoTiff, type Raster } from '../../io/index.js';
import { readPointsCsvFile } from '../../node/index.js';
import { binPoints, boxAreaM2, rasterToCells, type Aggregate } from '../../grid/index.js';
import type { CellGrid } from '../../core/index.js';
import type { CommandSpec } from '../context.js';
import { inputError, usageError, withInput } from '../errors.js';
import { OutDir, checkInputFile, numberOption, optionalOption, readBinary, utcOffsetOption } from '../options.js';
import { describeRejected, loadHotspots, noteJson, type InputNote } from '../inputs.js';
import { jsonChunks } from '../json-stream.js';
import { areaCellEstimate, checkCellBudget } from '../budget.js';

/** Default `--max-cells`: the most H3 cells a grid may have (each costs ~1 KB across the three output files). */
export const GRID_MAX_CELLS = 20_000_000;

const AGG_RE = /^(count|sum|min|max|mean|variance|std|p(\d+(\.\d+)?))$/;

/** `--agg` as aggregates; a usage error naming the first bad one. */
function aggOption(text: string): Aggregate[] {
  const aggs = text.split(',').map((s) => s.trim());
  for (const a of aggs) {
    const m = AGG_RE.exec(a);
    if (!m || (m[2] !== undefined && Number(m[2]) > 100)) {
      throw usageError(`--agg ${JSON.stringify(a)} is not an aggregate`, '--agg', 'use a comma-separated list of count, sum, min, max, mean, variance, std or pNN (0 <= NN <= 100), e.g. --agg sum,mean,p90');
    }
  }
  return aggs as Aggregate[];
}

/** Upper bound on the H3 cells whose centres fall inside a raster's footprint at resolution `r` (area / mean cell area, plus a border). */
function rasterCellEstimate(raster: Raster): (r: number) => number {
  // Footprint from the pixel centres of the corners and edge midpoints (spherical lat-lng box).
  const w = raster.width;
  const h = raster.height;
  const pts: [number, number][] = [];
  for (const [c, rr] of [[0, 0], [w - 1, 0], [0, h - 1], [w - 1, h - 1], [(w - 1) / 2, 0], [(w - 1) / 2, h - 1], [0, (h - 1) / 2], [w - 1, (h - 1) / 2]] as const) {
    const p = raster.pixelToLngLat(c, rr);
    if (Number.isFinite(p[0]) && Number.isFinite(p[1])) pts.push(p);
  }
  if (pts.length === 0) return () => w * h;
  const lngs = pts.map((p) => p[0]);
  const lats = pts.map((p) => p[1]);
  return areaCellEstimate(boxAreaM2(Math.min(...lngs), Math.min(...lats), Math.max(...lngs), Math.max(...lats)), 2 * (w + h));
}

/** Grid the input named by the options; returns the grid (with toJSON) and input notes. */
export async function runGrid(values: Record<string, string | boolean | undefined>, cwd: string): Promise<{ grid: CellGrid & { toJSON(): unknown }; what: string; notes: InputNote[] }> {
  const res = numberOption(values, 'res', 5, { integer: true, min: 0, max: 15 });
  const maxCells = numberOption(values, 'max-cells', GRID_MAX_CELLS, { integer: true, min: 1 });
  const per = optionalOption(values, 'per');
  if (per !== undefined && per !== 'day' && per !== 'hour') throw usageError(`--per must be day or hour, got ${JSON.stringify(per)}`, '--per');
  const utcOffset = utcOffsetOption(values);
  const time = per ? { time: { bin: per as 'day' | 'hour', utcOffset } } : {};
  const inputs = ['hotspots', 'points', 'raster'].filter((k) => optionalOption(values, k) !== undefined);
  if (inputs.length !== 1) {
    throw usageError(inputs.length === 0 ? 'nothing to grid' : `give one input, got --${inputs.join(' and --')}`, '--hotspots / --points / --raster', 'pass exactly one of --hotspots FIRMS.csv, --points POINTS.csv or --raster FILE.tif');
  }
  const valueCols = (optionalOption(values, 'value') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const aggs = aggOption(optionalOption(values, 'agg') ?? 'sum,mean,max');
  const hotspotsPath = optionalOption(values, 'hotspots');
  if (hotspotsPath) {
    const { hotspots, note } = await loadHotspots('hotspots', hotspotsPath, cwd);
    const cols = valueCols.length ? valueCols : ['frp'];
    const pts: Record<string, ArrayLike<number>> = { lng: hotspots.lng, lat: hotspots.lat, time: hotspots.time };
    for (const c of cols) {
      const col = (hotspots as unknown as Record<string, unknown>)[c];
      if (!(col instanceof Float64Array)) throw usageError(`--value ${c} is not a numeric FIRMS column`, '--value', 'use frp, brightness, brightness2, scan, track or confidenceNorm');
      pts[c] = col;
    }
    // At most one cell per point (per time bin): refuse only when the points alone exceed the budget.
    checkCellBudget(`${hotspots.length} hotspots`, () => hotspots.length, res, maxCells);
    const grid = await withInput(`--hotspots ${hotspotsPath}`, () =>
      binPoints(pts as { lng: ArrayLike<number>; lat: ArrayLike<number> }, { res, values: Object.fromEntries(cols.map((c) => [c, aggs])), ...time }),
      undefined,
      { values: '--value / --agg', time: '--per / --utc-offset', res: '--res' },
    );
    return { grid, what: `${hotspots.length} hotspots`, notes: [note] };
  }
  const pointsPath = optionalOption(values, 'points');
  if (pointsPath) {
    const file = checkInputFile('points', pointsPath, cwd).path;
    const r = await withInput(`--points ${pointsPath}`, () => readPointsCsvFile(file), 'give a CSV with lat/latitude and lng/lon/longitude columns');
    if (r.points.length === 0) {
      const first = r.rejected[0] ? ` (first problem: row ${r.rejected[0].row}: ${r.rejected[0].message})` : '';
      throw inputError(`no usable points in ${pointsPath}: 0 rows accepted, ${r.rejected.length} rejected${first}`, `--points ${pointsPath}`, 'check the latitude/longitude columns');
    }
    const pts: Record<string, ArrayLike<number>> = { lng: r.points.lng, lat: r.points.lat };
    for (const c of valueCols) {
      const col = r.points.columns[c];
      if (!(col instanceof Float64Array)) throw usageError(`--value ${c} is not a numeric column of ${pointsPath}`, '--value', `use one of: ${Object.keys(r.points.columns).join(', ')}`);
      pts[c] = col;
    }
    checkCellBudget(`${r.points.length} points`, () => r.points.length, res, maxCells);
    const grid = await withInput(`--points ${pointsPath}`, () =>
      binPoints(pts as { lng: ArrayLike<number>; lat: ArrayLike<number> }, { res, values: Object.fromEntries(valueCols.map((c) => [c, aggs])) }),
      undefined,
      { values: '--value / --agg', res: '--res' },
    );
    return { grid, what: `${r.points.length} points`, notes: [{ option: 'points', path: pointsPath, accepted: r.points.length, rejected: r.rejected }] };
  }
  const rasterPath = optionalOption(values, 'raster') as string;
  const method = String(values['method'] ?? 'nearest');
  if (!['nearest', 'bilinear', 'mean'].includes(method)) throw usageError(`--method must be nearest, bilinear or mean, got ${JSON.stringify(method)}`, '--method');
  const raster = await withInput(`--raster ${rasterPath}`, () => readGeoTiff(readBinary('raster', rasterPath, cwd)), 'give a GeoTIFF (any CRS with an EPSG code)');
  // Cells of the mean method are at most one per pixel; cell centres (nearest, bilinear) grow with the footprint.
  const areaEstimate = rasterCellEstimate(raster);
  checkCellBudget(`raster ${raster.width}×${raster.height}`, method === 'mean' ? (rr) => Math.min(raster.width * raster.height, areaEstimate(rr)) : areaEstimate, res, maxCells);
  const grid = await withInput(`--raster ${rasterPath}`, () => rasterToCells(raster, { res, method: method as 'nearest' | 'bilinear' | 'mean' }), undefined, { res: '--res', method: '--method' });
  return { grid, what: `raster ${raster.width}×${raster.height}`, notes: [] };
}

export const gridCommand: CommandSpec = {
  name: 'grid',
  summary: 'put FIRMS hotspots, points or a GeoTIFF raster onto H3 cells (GeoJSON, CSV, Arrow)',
  usage: 'hazetrace grid (--hotspots FIRMS.csv | --points POINTS.csv | --raster FILE.tif) [--res N] [--per day|hour] [--out DIR] [--json]',
  details:
    'Hotspots/points: count per cell plus --agg aggregates of each --value column (FIRMS default: frp).\n' +
    'Raster: value per cell centre (--method nearest|bilinear) or mean of the pixels in each cell (mean).\n' +
    'Files in --out: cells.geojson (hexagons with an h3 property), cells.csv (hex_id column), cells.arrow, manifest.json.\n' +
    'JSON on stdout: { res, cells: [...], columns: { count: [...], ... }, accepted, rejectedCount, inputs: [{ option, path,\n' +
    'accepted, rejectedCount, rejected: [{ row, column, code, reason }] (first 20), moreRejected }] }; rejectedCount counts\n' +
    'rows the reader rejected plus points that could not be gridded.',
  options: {
    hotspots: { type: 'string', help: 'FIRMS CSV or GeoJSON' },
    points: { type: 'string', help: 'any CSV with latitude/longitude columns' },
    raster: { type: 'string', help: 'GeoTIFF raster' },
    res: { type: 'string', default: '5', help: 'H3 resolution 0..15' },
    value: { type: 'string', help: 'value column(s) to aggregate, comma-separated' },
    agg: { type: 'string', default: 'sum,mean,max', help: 'aggregates: count,sum,min,max,mean,variance,std,pNN' },
    per: { type: 'string', help: 'also bin by local day or hour' },
    'utc-offset': { type: 'string', default: '+07:00', help: 'local clock of the --per day/hour bins (+HH:MM, or Z)' },
    method: { type: 'string', default: 'nearest', help: 'raster sampling: nearest, bilinear or mean' },
    'max-cells': { type: 'string', default: String(GRID_MAX_CELLS), help: 'refuse (E_BUDGET, exit 2) before gridding when the grid could have more cells than this' },
  },
  examples: ['hazetrace grid --hotspots data/firms_modis_th_region.csv --res 5 --out out/grid', 'hazetrace grid --raster ndvi.tif --res 7 --method mean --json'],
  async run(ctx) {
    ctx.progress.stage('gridding');
    const { grid, what, notes } = await runGrid(ctx.values, ctx.cwd);
    ctx.progress.done();
    const out = new OutDir(ctx.values, ctx.cwd);
    // Streamed (no whole-file string) and only built when there is an --out folder.
    out.writeChunks('cells.geojson', () => cellsToGeoJsonChunks(grid));
    out.writeChunks('cells.csv', () => cellsToCsvChunks(grid));
    out.write('cells.arrow', () => cellsToArrow(grid));
    // Rows the reader rejected count too: accepted + rejectedCount = the input's data rows.
    const binned = grid as CellGrid & { accepted?: number; rejectedCount?: number };
    const readerRejected = notes.reduce((a, n) => a + n.rejected.length, 0);
    if (ctx.json) {
      const body = grid.toJSON() as Record<string, unknown>;
      const json = {
        ...body,
        ...(typeof binned.rejectedCount === 'number' ? { rejectedCount: binned.rejectedCount + readerRejected, rejectedWhileBinning: binned.rejectedCount } : { rejectedCount: readerRejected }),
        inputs: notes.map((n) => noteJson(n)),
        ...(out.written.length ? { files: out.written } : {}),
      };
      for (const piece of jsonChunks(json)) ctx.streams.stdout.write(piece);
      ctx.streams.stdout.write('\n');
      return;
    }
    const count = grid.columns['count'];
    const lines = [
      `${what} -> ${grid.cells.length} H3 cells at res ${grid.res}${grid.time ? ' (per time bin)' : ''}; columns: ${Object.keys(grid.columns).join(', ')}`,
      ...notes.map((n) => '  input ' + describeRejected(n)),
      ...(binned.rejectedCount ? [`  ${binned.rejectedCount} point(s) not gridded (coordinates outside -180..180 / -90..90 or not finite)`] : []),
    ];
    if (count) {
      const order = Array.from(count.keys()).sort((a, b) => (count[b] as number) - (count[a] as number)).slice(0, 5);
      lines.push(`busiest cells: ${order.map((i) => `${grid.cells[i]} (${count[i]})`).join(', ')}`);
    }
    if (out.written.length) lines.push(`wrote ${out.written.join(', ')}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};
