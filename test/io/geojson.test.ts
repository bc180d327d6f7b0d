import { describe, expect, it } from 'vitest';
import { readGeoJsonLayer, readPointsCsv } from '../../src/io/index.js';
import { expectCode, fixture, fixtureText } from './helpers.js';

const sq = [[[98, 18], [99, 18], [99, 19], [98, 19], [98, 18]]];

describe('readGeoJsonLayer', () => {
  it('loads the real provinces slice and Natural Earth countries without rejections', () => {
    const p = readGeoJsonLayer(fixture('th_provinces_slice.geojson'));
    expect(p.rejected).toEqual([]);
    expect(p.features.map((f) => f.properties['pro_en'])).toEqual(['Chiang Mai', 'Lamphun']);
    const c = readGeoJsonLayer(fixtureText('ne50m_admin0_countries_SEA.geojson'));
    expect(c.rejected).toEqual([]);
    expect(c.features).toHaveLength(10);
    expect(c.features.map((f) => f.properties['iso_a3'])).toContain('THA');
  });

  it('accepts a Feature and a bare geometry', () => {
    expect(readGeoJsonLayer({ type: 'Feature', properties: { a: 1 }, geometry: { type: 'Point', coordinates: [99, 18] } }).features).toHaveLength(1);
    const g = readGeoJsonLayer({ type: 'Polygon', coordinates: sq });
    expect(g.features[0]!.geometry).toEqual({ type: 'Polygon', coordinates: sq });
  });

  it('rejects a ring that is not closed (E_RING) and keeps the good features', () => {
    const open = [[[98, 18], [99, 18], [99, 19], [98, 19]]];
    const { features, rejected } = readGeoJsonLayer({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { n: 1 }, geometry: { type: 'Polygon', coordinates: sq } },
        { type: 'Feature', properties: { n: 2 }, geometry: { type: 'Polygon', coordinates: [[...open[0]!, [98.5, 19]]] } },
        { type: 'Feature', properties: { n: 3 }, geometry: { type: 'MultiPolygon', coordinates: [sq, [[[98, 18], [99, 18], [98, 18]]]] } },
      ],
    });
    expect(features.map((f) => f.properties['n'])).toEqual([1]);
    expect(rejected.map((r) => [r.row, r.code])).toEqual([
      [2, 'E_RING'],
      [3, 'E_GEOMETRY'],
    ]);
    expect(rejected[0]!.message).toMatch(/not closed/);
  });

  it('rejects out-of-range and non-numeric coordinates (E_COORD), empty geometries, null geometry, unknown types', () => {
    const feats = [
      { type: 'Point', coordinates: [181, 0] },
      { type: 'Point', coordinates: [0, -90.5] },
      { type: 'LineString', coordinates: [[0, 0], ['1', 1]] },
      { type: 'Polygon', coordinates: [] },
      { type: 'MultiPoint', coordinates: [] },
      null,
      { type: 'Circle', coordinates: [0, 0] },
      { type: 'Point', coordinates: [NaN, 0] },
    ].map((geometry) => ({ type: 'Feature', properties: {}, geometry }));
    const { features, rejected } = readGeoJsonLayer({ type: 'FeatureCollection', features: feats });
    expect(features).toHaveLength(0);
    expect(rejected.map((r) => r.code)).toEqual(['E_COORD', 'E_COORD', 'E_COORD', 'E_EMPTY_GEOMETRY', 'E_EMPTY_GEOMETRY', 'E_GEOMETRY', 'E_GEOMETRY', 'E_COORD']);
    expect(readGeoJsonLayer({ type: 'FeatureCollection', features: [feats[5]] }, { allowNullGeometry: true }).features).toHaveLength(1);
  });

  it('keeps __proto__ keys as data in null-prototype objects (no prototype pollution)', () => {
    const text = '{"type":"Feature","properties":{"__proto__":{"polluted":true},"nested":{"__proto__":{"x":1}}},"geometry":{"type":"Point","coordinates":[99,18]}}';
    const { features } = readGeoJsonLayer(text);
    const p = features[0]!.properties;
    expect(Object.getPrototypeOf(p)).toBeNull();
    expect(Object.keys(p)).toEqual(['__proto__', 'nested']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((p['__proto__'] as Record<string, unknown>)['polluted']).toBe(true);
    expect(Object.getPrototypeOf(p['nested'])).toBeNull();
  });

  it('does not modify the caller\'s object', () => {
    const input = { type: 'Feature', properties: { a: 1 }, geometry: { type: 'Polygon', coordinates: sq } };
    const copy = JSON.parse(JSON.stringify(input)) as unknown;
    const { features } = readGeoJsonLayer(input);
    (features[0]!.properties as Record<string, unknown>)['a'] = 2;
    expect(input).toEqual(copy);
  });

  it('throws on empty, binary, non-JSON, non-GeoJSON and non-WGS84 input', () => {
    expectCode(() => readGeoJsonLayer(''), 'E_EMPTY');
    expectCode(() => readGeoJsonLayer(fixture('grid_4326.tif')), 'E_BINARY');
    expectCode(() => readGeoJsonLayer('{"type":'), 'E_JSON');
    expectCode(() => readGeoJsonLayer({ type: 'Topology' }), 'E_INPUT');
    expectCode(() => readGeoJsonLayer({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:32647' } }, features: [] }), 'E_CRS');
  });
});

describe('readPointsCsv', () => {
  it('reads the real GPPD slice: lat/lon detected, numeric columns as Float64Array, text kept', () => {
    const { points, rejected } = readPointsCsv(fixture('gppd_powerplants_slice.csv'));
    expect(rejected).toEqual([]);
    expect(points.length).toBe(12);
    expect(points.columns['capacity_mw']).toBeInstanceOf(Float64Array);
    expect(Array.isArray(points.columns['name'])).toBe(true);
    expect((points.columns['country'] as string[])[0]).toBe('THA');
    expect(points.lat.every((v) => v > 5 && v < 21)).toBe(true);
  });
  it('reads the facilities layout, textColumns, and rejects bad coordinates', () => {
    const csv = 'facility_id,name,latitude,longitude,iso_a3,primary_fuel,capacity_mw\n007,"Mae Moh, Lampang",18.30,99.75,THA,Coal,2400\n008,Nowhere,,99,THA,Gas,\n009,Far,10,200,THA,Gas,5\n';
    const { points, rejected } = readPointsCsv(csv, { textColumns: ['facility_id'] });
    expect(points.columns['facility_id']).toEqual(['007']);
    expect(points.columns['name']).toEqual(['Mae Moh, Lampang']);
    expect(Array.from(points.columns['capacity_mw'] as Float64Array)).toEqual([2400]);
    expect(rejected.map((r) => [r.row, r.code, r.column])).toEqual([
      [2, 'E_COORD', 'latitude'],
      [3, 'E_COORD', 'longitude'],
    ]);
    expectCode(() => readPointsCsv('a,b\n1,2\n'), 'E_COLUMNS');
  });
});
