import { tableFromIPC } from 'apache-arrow';
import { csvParse } from 'd3-dsv';
import { cellToBoundary, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import type { CellGrid } from '../../src/core/types.js';
import { cellsToArrow, cellsToCsv, cellsToGeoJson, featureCollection, readGeoJsonLayer } from '../../src/io/index.js';
import { expectCode } from './helpers.js';

const cells = gridDisk(latLngToCell(18.79, 98.98, 6), 1);
const grid: CellGrid = {
  res: 6,
  cells,
  columns: { count: Float64Array.from(cells, (_, i) => i), frp_sum: Float64Array.from(cells, (_, i) => (i === 2 ? NaN : i * 1.5 + 0.1)) },
};

describe('cellsToGeoJson', () => {
  it('writes one hexagon Polygon per cell with the h3-js boundary, property h3 and the columns', () => {
    const fc = cellsToGeoJson(grid, { precision: null });
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(7);
    fc.features.forEach((f, i) => {
      expect(f.properties['h3']).toBe(cells[i]);
      expect(f.properties['count']).toBe(i);
      expect(f.properties['frp_sum']).toBe(i === 2 ? null : i * 1.5 + 0.1);
      expect(f.geometry).toEqual({ type: 'Polygon', coordinates: [cellToBoundary(cells[i]!, true)] });
    });
    // Round-trips through our own validator: closed rings, valid coordinates.
    expect(readGeoJsonLayer(JSON.stringify(fc)).rejected).toEqual([]);
  });

  it('adds ISO time when the grid is per time bin, and rounds to 7 decimals by default', () => {
    const fc = cellsToGeoJson({ ...grid, time: Float64Array.from(cells, () => Date.UTC(2025, 3, 22, 6)) });
    expect(fc.features[0]!.properties['time']).toBe('2025-04-22T06:00:00Z');
    const c = (fc.features[0]!.geometry as { coordinates: number[][][] }).coordinates[0]![0]![0]!;
    expect(Math.round(c * 1e7) / 1e7).toBe(c);
  });

  it('splits antimeridian cells into a valid MultiPolygon, or shifts them on request', () => {
    const am = latLngToCell(0, 180, 3);
    const split = cellsToGeoJson({ res: 3, cells: [am], columns: {} });
    const g = split.features[0]!.geometry as { type: string; coordinates: number[][][][] };
    expect(g.type).toBe('MultiPolygon');
    expect(g.coordinates).toHaveLength(2);
    for (const part of g.coordinates) for (const p of part[0]!) expect(Math.abs(p[0]!)).toBeLessThanOrEqual(180);
    expect(readGeoJsonLayer(split).rejected).toEqual([]);
    // The two parts together keep every original vertex (moved into -180..180) plus two cut points per side.
    const n = cellToBoundary(am).length;
    expect(g.coordinates[0]![0]!.length + g.coordinates[1]![0]!.length).toBe(n + 4 + 2);
    const shifted = cellsToGeoJson({ res: 3, cells: [am], columns: {} }, { antimeridian: 'shift' });
    const ring = (shifted.features[0]!.geometry as { coordinates: number[][][] }).coordinates[0]!;
    expect(Math.max(...ring.map((p) => p[0]!)) - Math.min(...ring.map((p) => p[0]!))).toBeLessThan(10);
  });

  it('validates the grid', () => {
    expectCode(() => cellsToGeoJson({ res: 6, cells: ['nope'], columns: {} }), 'E_ARG');
    expectCode(() => cellsToGeoJson({ res: 6, cells, columns: { a: new Float64Array(2) } }), 'E_ARG');
    expectCode(() => cellsToGeoJson(grid, { antimeridian: 'wrap' as 'split' }), 'E_ARG');
    expect(featureCollection([]).features).toEqual([]);
  });
});

describe('cellsToCsv', () => {
  it('writes hex_id first, shortest round-trip numbers, empty for NaN; d3-dsv reads it back', () => {
    const text = cellsToCsv(grid);
    expect(text.split('\n')[0]).toBe('hex_id,count,frp_sum');
    const back = csvParse(text);
    back.forEach((row, i) => {
      expect(row['hex_id']).toBe(cells[i]);
      expect(Number(row['count'])).toBe(i);
      if (i === 2) expect(row['frp_sum']).toBe('');
      else expect(Number(row['frp_sum'])).toBe(grid.columns['frp_sum']![i]);
    });
    const timed = cellsToCsv({ ...grid, time: new Float64Array(7) });
    expect(timed.split('\n')[0]).toBe('hex_id,time,count,frp_sum');
    expect(timed.split('\n')[1]).toContain(',1970-01-01T00:00:00Z,');
  });
});

describe('cellsToArrow', () => {
  it('writes an Arrow IPC file that apache-arrow reads back: Utf8 h3 + Float64 columns (+ UTC timestamp)', () => {
    const time = Float64Array.from(cells, (_, i) => Date.UTC(2025, 3, 22, i));
    const bytes = cellsToArrow({ ...grid, time });
    const t = tableFromIPC(bytes);
    expect(t.numRows).toBe(7);
    expect(t.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ['h3', 'Utf8'],
      ['time', 'Timestamp<MILLISECOND, UTC>'],
      ['count', 'Float64'],
      ['frp_sum', 'Float64'],
    ]);
    for (let i = 0; i < 7; i++) {
      expect(t.getChild('h3')!.get(i)).toBe(cells[i]);
      expect(Number(t.getChild('time')!.get(i))).toBe(time[i]);
      expect(t.getChild('count')!.get(i)).toBe(i);
    }
    expect(t.getChild('frp_sum')!.get(2)).toBeNaN();
    // Arrow file magic "ARROW1" at both ends; the stream format has none.
    expect(new TextDecoder().decode(bytes.subarray(0, 6))).toBe('ARROW1');
    const stream = cellsToArrow(grid, { format: 'stream' });
    expect(tableFromIPC(stream).numRows).toBe(7);
    expectCode(() => cellsToArrow({ res: 6, cells, columns: { h3: new Float64Array(7) } }), 'E_ARG');
  });
});
