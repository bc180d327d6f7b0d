/** `hazetrace grid`: FIRMS hotspots, point CSVs or GeoTIFF rasters onto H3 cells. */
import { cellsToArrow, cellsToCsv, cellsToGeoJson, readGeoTiff, readPointsCsv } from '../../io/index.js';
import { binPoints, rasterToCells, type Aggregate } from '../../grid/index.js';
import type { CellGrid } from '../../core/index.js';
import type { CommandSpec } from '../context.js';
import { inputError, usageError, withInput } from '../errors.js';
import { OutDir, numberOption, optionalOption, readBinary, readText, utcOffsetOption } from '../options.js';
import { describeRejected, loadHotspots, type InputNote } from '../inputs.js';

/** Grid the input named by the options; returns the grid (with toJSON) and input notes. */
export async function runGrid(values: Record<string, string | boolean | undefined>, cwd: string): Promise<{ grid: CellGrid & { toJSON(): unknown }; what: string; notes: InputNote[] }> {
  const res = numberOption(values, 'res', 5, { integer: true, min: 0, max: 15 });
  const per = optionalOption(values, 'per');
  if (per !== undefined && per !== 'day' && per !== 'hour') throw usageError(`--per must be day or hour, got ${JSON.stringify(per)}`, '--per');
  const utcOffset = utcOffsetOption(values);
  const time = per ? { time: { bin: per as 'day' | 'hour', utcOffset } } : {};
  const inputs = ['hotspots', 'points', 'raster'].filter((k) => optionalOption(values, k) !== undefined);
  if (inputs.length !== 1) {
    throw usageError(inputs.length === 0 ? 'nothing to grid' : `give one input, got --${inputs.join(' and --')}`, '--hotspots / --points / --raster', 'pass exactly one of --hotspots FIRMS.csv, --points POINTS.csv or --raster FILE.tif');
  }
  const valueCols = (optionalOption(values, 'value') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const aggs = (optionalOption(values, 'agg') ?? 'sum,mean,max').split(',').map((s) => s.trim()) as Aggregate[];
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
    const grid = await withInput(`--hotspots ${hotspotsPath}`, () =>
      binPoints(pts as { lng: ArrayLike<number>; lat: ArrayLike<number> }, { res, values: Object.fromEntries(cols.map((c) => [c, aggs])), ...time }),
    );
    return { grid, what: `${hotspots.length} hotspots`, notes: [note] };
  }
  const pointsPath = optionalOption(values, 'points');
  if (pointsPath) {
    const text = readText('points', pointsPath, cwd);
    const r = await withInput(`--points ${pointsPath}`, () => readPointsCsv(text), 'give a CSV with lat/latitude and lng/lon/longitude columns');
    if (r.points.length === 0) throw inputError(`no usable points in ${pointsPath} (${r.rejected.length} rows rejected)`, `--points ${pointsPath}`, 'check the latitude/longitude columns');
    const pts: Record<string, ArrayLike<number>> = { lng: r.points.lng, lat: r.points.lat };
    for (const c of valueCols) {
      const col = r.points.columns[c];
      if (!(col instanceof Float64Array)) throw usageError(`--value ${c} is not a numeric column of ${pointsPath}`, '--value', `use one of: ${Object.keys(r.points.columns).join(', ')}`);
      pts[c] = col;
    }
    const grid = await withInput(`--points ${pointsPath}`, () =>
      binPoints(pts as { lng: ArrayLike<number>; lat: ArrayLike<number> }, { res, values: Object.fromEntries(valueCols.map((c) => [c, aggs])) }),
    );
    return { grid, what: `${r.points.length} points`, notes: [{ option: 'points', path: pointsPath, accepted: r.points.length, rejected: r.rejected }] };
  }
  const rasterPath = optionalOption(values, 'raster') as string;
  const method = String(values['method'] ?? 'nearest');
  if (!['nearest', 'bilinear', 'mean'].includes(method)) throw usageError(`--method must be nearest, bilinear or mean, got ${JSON.stringify(method)}`, '--method');
  const raster = await withInput(`--raster ${rasterPath}`, () => readGeoTiff(readBinary('raster', rasterPath, cwd)), 'give a GeoTIFF (any CRS with an EPSG code)');
  const grid = await withInput(`--raster ${rasterPath}`, () => rasterToCells(raster, { res, method: method as 'nearest' | 'bilinear' | 'mean' }));
  return { grid, what: `raster ${raster.width}×${raster.height}`, notes: [] };
}

export const gridCommand: CommandSpec = {
  name: 'grid',
  summary: 'put FIRMS hotspots, points or a GeoTIFF raster onto H3 cells (GeoJSON, CSV, Arrow)',
  usage: 'hazetrace grid (--hotspots FIRMS.csv | --points POINTS.csv | --raster FILE.tif) [--res N] [--per day|hour] [--out DIR] [--json]',
  details:
    'Hotspots/points: count per cell plus --agg aggregates of each --value column (FIRMS default: frp).\n' +
    'Raster: value per cell centre (--method nearest|bilinear) or mean of the pixels in each cell (mean).\n' +
    'Files in --out: cells.geojson (hexagons with an h3 property), cells.csv (hex_id column), cells.arrow.\n' +
    'JSON on stdout: { res, cells: [...], columns: { count: [...], ... }, ... } (the grid\'s toJSON).',
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
  },
  examples: ['hazetrace grid --hotspots data/firms_modis_th_region.csv --res 5 --out out/grid', 'hazetrace grid --raster ndvi.tif --res 7 --method mean --json'],
  async run(ctx) {
    ctx.progress.stage('gridding');
    const { grid, what, notes } = await runGrid(ctx.values, ctx.cwd);
    ctx.progress.done();
    const out = new OutDir(ctx.values, ctx.cwd);
    out.write('cells.geojson', JSON.stringify(cellsToGeoJson(grid)));
    out.write('cells.csv', cellsToCsv(grid));
    out.write('cells.arrow', cellsToArrow(grid));
    if (ctx.json) {
      ctx.streams.stdout.write(JSON.stringify(grid.toJSON()) + '\n');
      return;
    }
    const count = grid.columns['count'];
    const lines = [
      `${what} -> ${grid.cells.length} H3 cells at res ${grid.res}${grid.time ? ' (per time bin)' : ''}; columns: ${Object.keys(grid.columns).join(', ')}`,
      ...notes.map((n) => '  input ' + describeRejected(n)),
    ];
    if (count) {
      const order = Array.from(count.keys()).sort((a, b) => (count[b] as number) - (count[a] as number)).slice(0, 5);
      lines.push(`busiest cells: ${order.map((i) => `${grid.cells[i]} (${count[i]})`).join(', ')}`);
    }
    if (out.written.length) lines.push(`wrote ${out.written.join(', ')}`);
    ctx.streams.stdout.write(lines.join('\n') + '\n');
  },
};
