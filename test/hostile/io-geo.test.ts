/**
 * Hostile-input corpus for the geometry and raster readers of hazetrace/io: FIRMS GeoJSON, GeoJSON
 * layers, GeoTIFF bytes. One `it('<class>: <what>')` per case with the exact expected outcome.
 *
 *   npx vitest run test/hostile/io-geo.test.ts
 */
import { describe, expect, it } from 'vitest';
import { readFirmsGeoJson, readGeoJsonLayer, readGeoTiff } from '../../src/io/index.js';
import { readGeoTiffFile } from '../../src/node/index.js';
import { makeTiff } from '../io/tiff-bytes.js';
import { expectHazetraceError, expectHazetraceErrorSync } from './helpers.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROPS = { bright_ti4: 335.3, acq_date: '2019-07-17', acq_time: 600, confidence: 'nominal', frp: 5.8 };
const point = (coordinates: unknown) => ({ type: 'Feature', geometry: { type: 'Point', coordinates }, properties: PROPS });
const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const rej = (r: { rejected: { row: number; column?: string; code: string }[] }) => r.rejected.map((x) => [x.row, x.column, x.code]);
const square = [[[98, 18], [99, 18], [99, 19], [98, 18]]];
const poly = (props = {}) => ({ type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: square } });

describe('hostile FIRMS GeoJSON', () => {
  it('coordinates: a null geometry without latitude/longitude properties is rejected, never placed at (0, 0)', () => {
    const r = readFirmsGeoJson(fc(point([99.5, 18.2]), { type: 'Feature', geometry: null, properties: PROPS }));
    expect(rej(r)).toEqual([[2, 'geometry', 'E_GEOMETRY']]);
    expect(Array.from(r.hotspots.lng)).toEqual([99.5]);
  });
  it('coordinates: a null geometry with empty-string latitude/longitude is rejected (Number("") is 0)', () => {
    const r = readFirmsGeoJson(fc({ type: 'Feature', geometry: null, properties: { ...PROPS, latitude: '', longitude: '' } }));
    expect(rej(r)).toEqual([[1, 'geometry', 'E_GEOMETRY']]);
  });
  it('coordinates: a null geometry with numeric latitude/longitude properties is placed there', () => {
    const r = readFirmsGeoJson(fc({ type: 'Feature', geometry: null, properties: { ...PROPS, latitude: 18.2, longitude: 99.5 } }));
    expect([r.hotspots.lng[0], r.hotspots.lat[0]]).toEqual([99.5, 18.2]);
  });
  it('coordinates: empty Point coordinates are rejected (E_EMPTY_GEOMETRY)', () => {
    expect(rej(readFirmsGeoJson(fc(point([]))))).toEqual([[1, 'geometry', 'E_EMPTY_GEOMETRY']]);
  });
  it('coordinates: string coordinates ["99", "18"] are rejected (E_COORD)', () => {
    expect(rej(readFirmsGeoJson(fc(point(['99', '18']))))).toEqual([[1, 'geometry', 'E_COORD']]);
  });
  it('coordinates: a Point at latitude 91 is rejected (E_COORD)', () => {
    expect(rej(readFirmsGeoJson(fc(point([99, 91]))))).toEqual([[1, 'latitude', 'E_COORD']]);
  });
  it('structure: features [null] is rejected per feature, not a TypeError', () => {
    const r = readFirmsGeoJson(fc(null, point([99.5, 18.2])));
    expect(rej(r)).toEqual([[1, 'type', 'E_GEOMETRY']]);
    expect(r.counts).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
  });
  it('structure: a feature that is a number or an array is rejected per feature', () => {
    expect(rej(readFirmsGeoJson(fc(7, [1, 2], point([99, 18]))))).toEqual([[1, 'type', 'E_GEOMETRY'], [2, 'type', 'E_GEOMETRY']]);
  });
  it('structure: a collection where no feature carries FIRMS properties throws E_COLUMNS naming acq_date', () => {
    const e = expectHazetraceErrorSync(() => readFirmsGeoJson(fc(7, [1, 2])), 'E_COLUMNS');
    expect(e.message).toMatch(/acq_date/);
  });
  it('structure: a LineString feature is rejected as not a Point', () => {
    const r = readFirmsGeoJson(fc({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, properties: PROPS }));
    expect(rej(r)).toEqual([[1, 'geometry', 'E_GEOMETRY']]);
  });
  it('structure: a FeatureCollection without a features array throws E_INPUT', () => {
    expectHazetraceErrorSync(() => readFirmsGeoJson({ type: 'FeatureCollection' }), 'E_INPUT');
  });
  it('structure: JSON null throws E_INPUT, broken JSON E_JSON', () => {
    expectHazetraceErrorSync(() => readFirmsGeoJson('null'), 'E_INPUT');
    expectHazetraceErrorSync(() => readFirmsGeoJson('{"type":'), 'E_JSON');
  });
  it('impossible: frp "0x10" in properties is rejected, not 16', () => {
    const r = readFirmsGeoJson(fc({ ...point([99, 18]), properties: { ...PROPS, frp: '0x10' } }));
    expect(rej(r)).toEqual([[1, 'frp', 'E_NUMBER']]);
  });
  it('calendar: acq_date 2019-02-29 in properties is rejected (2019 is not a leap year)', () => {
    const r = readFirmsGeoJson(fc({ ...point([99, 18]), properties: { ...PROPS, acq_date: '2019-02-29' } }));
    expect(rej(r)).toEqual([[1, 'acq_date', 'E_DATE']]);
  });
});

describe('hostile GeoJSON layer', () => {
  it('nesting: a 20,000-deep GeometryCollection is rejected per feature, no stack overflow', () => {
    let text = '{"type":"Point","coordinates":[99,18]}';
    for (let i = 0; i < 20_000; i++) text = `{"type":"GeometryCollection","geometries":[${text}]}`;
    const r = readGeoJsonLayer(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":${text}}]}`);
    expect(rej(r)).toEqual([[1, 'geometry', 'E_GEOMETRY']]);
    expect(r.rejected[0]!.message).toMatch(/nested deeper than 16/);
  });
  it('nesting: a 3-deep GeometryCollection is accepted', () => {
    const g = { type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [{ type: 'GeometryCollection', geometries: [{ type: 'Point', coordinates: [99, 18] }] }] }] };
    expect(readGeoJsonLayer(g).features).toHaveLength(1);
  });
  it('nesting: 100-deep properties reject that feature (E_NESTING), the others are kept', () => {
    let deep: Record<string, unknown> = { v: 1 };
    for (let i = 0; i < 100; i++) deep = { d: deep };
    const r = readGeoJsonLayer(fc(poly({ deep }), poly({ name: 'ok' })));
    expect(rej(r)).toEqual([[1, 'properties', 'E_NESTING']]);
    expect(r.features).toHaveLength(1);
  });
  it('structure: features [null] is rejected per feature, not a TypeError', () => {
    const r = readGeoJsonLayer(fc(null, poly()));
    expect(rej(r)).toEqual([[1, undefined, 'E_GEOMETRY']]);
    expect(r.counts).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
  });
  it('hidden: a Point in a polygon layer (geometryTypes) is rejected and counted', () => {
    const r = readGeoJsonLayer(fc(poly(), point([99, 18])), { geometryTypes: ['Polygon', 'MultiPolygon'] });
    expect(rej(r)).toEqual([[2, 'geometry', 'E_GEOMETRY_TYPE']]);
    expect(r.counts).toEqual({ rows: 2, accepted: 1, rejected: 1, duplicates: 0, byCode: { E_GEOMETRY_TYPE: 1 } });
  });
  it('hidden: a GeometryCollection in a polygon layer is rejected too (not silently half-used)', () => {
    const gc = { type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: square }] } };
    expect(rej(readGeoJsonLayer(fc(gc), { geometryTypes: ['Polygon', 'MultiPolygon'] }))).toEqual([[1, 'geometry', 'E_GEOMETRY_TYPE']]);
  });
  it('arguments: geometryTypes with an unknown type throws E_ARG', () => {
    expectHazetraceErrorSync(() => readGeoJsonLayer(fc(poly()), { geometryTypes: ['Square' as never] }), 'E_ARG');
  });
  it('coordinates: an empty Polygon is rejected (E_EMPTY_GEOMETRY)', () => {
    const r = readGeoJsonLayer(fc({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [] } }));
    expect(rej(r)).toEqual([[1, 'geometry', 'E_EMPTY_GEOMETRY']]);
  });
  it('coordinates: an open ring is rejected (E_RING), never closed silently', () => {
    const r = readGeoJsonLayer(fc({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[98, 18], [99, 18], [99, 19], [98, 19]]] } }));
    expect(rej(r)).toEqual([[1, 'geometry', 'E_RING']]);
  });
  it('coordinates: a NaN-producing position (null) is rejected (E_COORD)', () => {
    const r = readGeoJsonLayer(fc({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[98, 18], [99, null], [99, 19], [98, 18]]] } }));
    expect(rej(r)).toEqual([[1, 'geometry', 'E_COORD']]);
  });
  it('structure: a __proto__ property stays plain data', () => {
    const r = readGeoJsonLayer('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"__proto__":{"polluted":1}},"geometry":{"type":"Point","coordinates":[99,18]}}]}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.keys(r.features[0]!.properties)).toEqual(['__proto__']);
  });
  it('structure: a non-WGS84 crs throws E_CRS', () => {
    expectHazetraceErrorSync(() => readGeoJsonLayer({ ...fc(poly()), crs: { type: 'name', properties: { name: 'EPSG:32647' } } }), 'E_CRS');
  });
});

describe('hostile GeoTIFF bytes', () => {
  it('size: a header claiming 7000 x 7000 over 1 KB of pixels is refused (E_FORMAT) before allocating', async () => {
    const e = await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 7000, height: 7000, pixels: new Uint8Array(1000) })), 'E_FORMAT');
    expect(e.message).toMatch(/7000 x 7000 .* hold only 1000 bytes/);
  });
  it('size: a strip that runs past the end of the file is refused, naming the strip and its offset', async () => {
    const e = await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 7000, height: 7000, pixels: new Uint8Array(1000), stripByteCount: 49_000_000 })), 'E_FORMAT');
    expect(e.message).toMatch(/strip 0 \(49000000 bytes at byte offset \d+\) runs past the end of the file/);
    expect(e.details).toMatchObject({ format: 'GeoTIFF', section: 'strip 0' });
  });
  it('size: the file reader refuses the same forged file (file size from the file system)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hazetrace-tiff-'));
    const path = join(dir, 'forged.tif');
    writeFileSync(path, makeTiff({ width: 7000, height: 7000, pixels: new Uint8Array(1000), stripByteCount: 49_000_000 }));
    await expectHazetraceError(() => readGeoTiffFile(path), 'E_FORMAT');
  });
  it('size: a declared size over maxPixels is E_BUDGET before the data check or any allocation', async () => {
    await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 7000, height: 7000, pixels: new Uint8Array(10) }), { maxPixels: 1_000_000 }), 'E_BUDGET');
  });
  it('truncated: a file cut inside its pixel data is E_FORMAT naming the strip', async () => {
    const e = await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 40, height: 30, truncateTo: 500 })), 'E_FORMAT');
    expect(e.message).toMatch(/strip 0/);
  });
  it('truncated: a file cut inside its image directory is E_FORMAT naming the IFD and offset', async () => {
    const e = await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 40, height: 30, truncateTo: 60 })), 'E_FORMAT');
    expect(e.message).toMatch(/image file directory \(IFD 0\) at byte offset 8/);
  });
  it('truncated: a file cut inside the 8-byte header is E_FORMAT at offset 0', async () => {
    const e = await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 4, height: 3, truncateTo: 6 })), 'E_FORMAT');
    expect(e.message).toMatch(/TIFF header at byte offset 0/);
  });
  it('corrupt: deflate-flagged garbage pixels are E_FORMAT naming the pixel data', async () => {
    const e = await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 40, height: 30, compression: 8 })), 'E_FORMAT');
    expect(e.message).toMatch(/pixel data/);
  });
  it('corrupt: an unknown compression code is E_FORMAT', async () => {
    await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 40, height: 30, compression: 777 })), 'E_FORMAT');
  });
  it('corrupt: a zero-width image is E_FORMAT', async () => {
    await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 0, height: 3 })), 'E_FORMAT');
  });
  it('corrupt: no georeferencing is E_GEOREF', async () => {
    await expectHazetraceError(() => readGeoTiff(makeTiff({ width: 4, height: 3, noGeo: true })), 'E_GEOREF');
  });
  it('format: CSV bytes are E_INPUT (not a TIFF at all)', async () => {
    await expectHazetraceError(() => readGeoTiff(new TextEncoder().encode('latitude,longitude\n')), 'E_INPUT');
  });
  it('control: the writer itself makes a valid raster (so the cases above fail for their own reason)', async () => {
    const r = await readGeoTiff(makeTiff({ width: 4, height: 3 }));
    expect([r.width, r.height, Array.from(r.bands[0]!.slice(0, 4))]).toEqual([4, 3, [0, 1, 2, 3]]);
    expect(r.pixelToLngLat(0, 0)).toEqual([98.05, 18.95]);
  });
});
