import { describe, expect, it } from 'vitest';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { cellToBoundary, latLngToCell } from 'h3-js';
import { cellsToParquet, h3ToBigInt, hivePartitionPath, tableToParquet, trajectoriesToParquet } from '../../src/io/index.js';
import { traceTrajectories, uniformWind } from '../../src/wind/index.js';
import { HazetraceError } from '../../src/core/index.js';

const buf = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** Decode an ISO WKB polygon's first ring independently of the writer (little-endian doubles). */
function wkbRing(b: Uint8Array): number[][] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  expect(v.getUint8(0)).toBe(1);
  expect(v.getUint32(1, true)).toBe(3); // Polygon
  expect(v.getUint32(5, true)).toBe(1); // one ring
  const n = v.getUint32(9, true);
  return Array.from({ length: n }, (_, i) => [v.getFloat64(13 + 16 * i, true), v.getFloat64(21 + 16 * i, true)]);
}

describe('Parquet outputs', () => {
  const cells = [latLngToCell(18.79, 98.98, 6), latLngToCell(19.91, 99.83, 6), latLngToCell(13.75, 100.5, 6)];
  const grid = { res: 6, cells, columns: { count: Float64Array.of(3, 0, 7), frp: Float64Array.of(12.5, NaN, 40) } };

  it('cellsToParquet: h3 string and 64-bit id agree with h3-js, NaN is NULL, the hexagon is GeoParquet WKB', async () => {
    const bytes = cellsToParquet(grid);
    const rows = await parquetReadObjects({ file: buf(bytes) });
    expect(rows.map((r) => r['h3'])).toEqual(cells);
    rows.forEach((r, i) => {
      expect(r['h3_int']).toBe(BigInt('0x' + cells[i]));
      expect((r['h3_int'] as bigint).toString(16)).toBe(cells[i]);
      expect(r['res']).toBe(6);
    });
    expect(rows.map((r) => r['frp'])).toEqual([12.5, null, 40]);
    const meta = parquetMetadata(buf(bytes));
    const geo = JSON.parse(meta.key_value_metadata!.find((k) => k.key === 'geo')!.value!) as { primary_column: string; columns: Record<string, { encoding: string; geometry_types: string[] }> };
    expect(geo.primary_column).toBe('geometry');
    expect(geo.columns['geometry']).toEqual({ encoding: 'WKB', geometry_types: ['Polygon'] });
    // The geometry column, read back raw, is the hexagon h3-js draws (closed ring, lng/lat).
    const raw = await parquetReadObjects({ file: buf(bytes), columns: ['geometry'], utf8: false, geoparquet: false } as Parameters<typeof parquetReadObjects>[0]);
    const ring = wkbRing(raw[0]!['geometry'] as Uint8Array);
    const want = cellToBoundary(cells[0]!, true); // GeoJSON order, ring already closed
    expect(ring.length).toBe(7);
    want.forEach((p, i) => expect(ring[i]).toEqual(p));
    expect(ring[ring.length - 1]).toEqual(ring[0]);
  });

  it('is deterministic: the same table gives the same bytes', () => {
    expect(Buffer.from(cellsToParquet(grid)).equals(Buffer.from(cellsToParquet(grid)))).toBe(true);
  });

  it('trajectoriesToParquet: one row per point with the columns of trajectoriesToCsv', async () => {
    const set = traceTrajectories(uniformWind({ u: 5, v: 0 }), [{ lng: 99, lat: 18.8, time: Date.UTC(2025, 3, 1), receptor: 'cm' }, { lng: 100, lat: 19, time: Date.UTC(2025, 3, 2), receptor: 'cr' }], { hours: 3 });
    const rows = await parquetReadObjects({ file: buf(trajectoriesToParquet(set)) });
    expect(rows.length).toBe(set.lng.length);
    expect(rows.map((r) => r['receptor'])).toEqual(['cm', 'cm', 'cm', 'cm', 'cr', 'cr', 'cr', 'cr']);
    rows.forEach((r, p) => {
      expect(r['lng']).toBe(set.lng[p]);
      expect((r['time'] as Date).getTime()).toBe(set.time[p]);
      expect(r['age_hours']).toBe(set.ageHours[p]);
    });
    // bytes per point: the documented figure is an order of magnitude below GeoJSON's
    expect(trajectoriesToParquet(set).byteLength).toBeGreaterThan(0);
  });

  it('tableToParquet refuses mismatched or mistyped columns with E_ARG', () => {
    expect(() => tableToParquet([{ name: 'a', type: 'DOUBLE', values: [1, 2] }, { name: 'b', type: 'DOUBLE', values: [1] }])).toThrow(HazetraceError);
    expect(() => tableToParquet([{ name: 'a', type: 'DOUBLE', values: ['x'] }])).toThrow(/a\[0\]/);
    expect(() => tableToParquet([{ name: 'a', type: 'INT32', values: [1.5] }])).toThrow(/an integer/);
    expect(() => tableToParquet([])).toThrow(/non-empty/);
    expect(() => h3ToBigInt('not a cell')).toThrow(HazetraceError);
  });

  it('hivePartitionPath: key=value segments, unsafe characters encoded', () => {
    expect(hivePartitionPath({ season: 2025, station: '35t' })).toBe('season=2025/station=35t');
    expect(hivePartitionPath({ station: 'a/b=c' })).toBe('station=a%2Fb%3Dc');
    expect(() => hivePartitionPath({ station: '..' })).toThrow(HazetraceError);
    expect(() => hivePartitionPath({ 'bad key': 1 })).toThrow(HazetraceError);
  });
});
