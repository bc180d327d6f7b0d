import { csvParse } from 'd3-dsv';
import { describe, expect, it } from 'vitest';
import { firmsTime } from '../../src/core/time.js';
import { readFirmsCsv, readFirmsGeoJson } from '../../src/io/index.js';
import { expectCode, fixture, fixtureText } from './helpers.js';

const MODIS_HEADER = 'latitude,longitude,brightness,scan,track,acq_date,acq_time,satellite,confidence,version,bright_t31,frp,daynight';

describe('readFirmsCsv on the real MODIS slice', () => {
  const text = fixtureText('firms_modis_slice.csv');
  const { hotspots: h, rejected } = readFirmsCsv(fixture('firms_modis_slice.csv'));

  it('accepts every row and matches an independent d3-dsv parse field by field', () => {
    const ref = csvParse(text);
    expect(rejected).toEqual([]);
    expect(h.length).toBe(ref.length);
    ref.forEach((r, i) => {
      expect(h.lat[i]).toBe(Number(r['latitude']));
      expect(h.lng[i]).toBe(Number(r['longitude']));
      expect(h.frp[i]).toBe(Number(r['frp']));
      expect(h.brightness[i]).toBe(Number(r['brightness']));
      expect(h.brightness2[i]).toBe(Number(r['bright_t31']));
      expect(h.scan[i]).toBe(Number(r['scan']));
      expect(h.track[i]).toBe(Number(r['track']));
      expect(h.time[i]).toBe(Date.parse(`${r['acq_date']}T${r['acq_time']!.slice(0, 2)}:${r['acq_time']!.slice(2)}:00Z`));
      expect(h.confidence[i]).toBe(r['confidence']);
      expect(h.confidenceNorm[i]).toBe(Number(r['confidence']));
      expect(h.satellite[i]).toBe(r['satellite']);
      expect(h.daynight[i]).toBe(r['daynight']);
      expect(h.version[i]).toBe(r['version']);
      expect(h.instrument[i]).toBe('MODIS');
      expect(h.extra['snapshot_id']![i]).toBe(r['snapshot_id']);
    });
    expect(h.daynight).toContain('N');
    expect(h.lng).toBeInstanceOf(Float64Array);
  });

  it('gives the same result from a string as from bytes', () => {
    const s = readFirmsCsv(text);
    expect(Array.from(s.hotspots.time)).toEqual(Array.from(h.time));
  });

  it('serialises to plain JSON', () => {
    const j = JSON.parse(JSON.stringify(readFirmsCsv(text))) as { hotspots: { lng: number[]; length: number } };
    expect(j.hotspots.lng.length).toBe(h.length);
  });
});

describe('readFirmsCsv formats', () => {
  it('reads VIIRS headers, l/n/h confidence, acq_time without zero padding, archive type column as extra', () => {
    const csv =
      'latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight,type\n' +
      '18.5,99.1,330.5,0.4,0.37,2024-03-01,5,N,VIIRS,n,2,290.1,3.2,N,0\n' +
      '18.6,99.2,340.5,0.4,0.37,2024-03-01,325,N,VIIRS,h,2,291.1,,D,0\n' +
      '18.7,99.3,345.5,0.4,0.37,2024-03-01,0325,1,VIIRS,low,2,292.1,7,D,2\n';
    const { hotspots: h, rejected } = readFirmsCsv(csv);
    expect(rejected).toEqual([]);
    expect(h.instrument).toEqual(['VIIRS', 'VIIRS', 'VIIRS']);
    expect(Array.from(h.time)).toEqual([firmsTime('2024-03-01', '0005'), firmsTime('2024-03-01', '0325'), firmsTime('2024-03-01', '0325')]);
    expect(h.confidence).toEqual(['n', 'h', 'low']);
    expect(Array.from(h.confidenceNorm)).toEqual([60, 90, 20]);
    expect(h.frp[1]).toBeNaN();
    expect(Array.from(h.brightness2)).toEqual([290.1, 291.1, 292.1]);
    expect(h.extra['type']).toEqual(['0', '0', '2']);
  });

  it('reads the real VIIRS GeoJSON sample (acq_time integer 600, confidence "nominal")', () => {
    const text = fixtureText('firms_viirs_snpp_nrt_northTH_2019-07_sample.geojson');
    const doc = JSON.parse(text) as { features: { geometry: { coordinates: number[] }; properties: Record<string, unknown> }[] };
    const { hotspots: h, rejected } = readFirmsGeoJson(text);
    expect(rejected).toEqual([]);
    expect(h.length).toBe(21);
    doc.features.forEach((f, i) => {
      expect(h.lng[i]).toBe(f.geometry.coordinates[0]);
      expect(h.lat[i]).toBe(f.geometry.coordinates[1]);
      expect(h.time[i]).toBe(firmsTime(String(f.properties['acq_date']), Number(f.properties['acq_time'])));
      expect(h.frp[i]).toBe(f.properties['frp']);
      expect(h.brightness[i]).toBe(f.properties['bright_ti4']);
      expect(h.instrument[i]).toBe('VIIRS');
    });
    expect(h.confidenceNorm[0]).toBe(60);
  });
});

describe('readFirmsCsv bad input', () => {
  const good = '18.79,98.98,330.1,1,1,2025-04-22,0325,T,80,6.1NRT,300.2,25.4,D';
  it('wrong column count: rejected row E_COLUMNS, good rows kept', () => {
    const { hotspots, rejected } = readFirmsCsv(`${MODIS_HEADER}\n${good}\n18.8,98.9,330\n${good}\n`);
    expect(hotspots.length).toBe(2);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ row: 2, code: 'E_COLUMNS' });
    expect(rejected[0]!.message).toMatch(/3 fields, the header has 13/);
  });
  it('broken quoting: rejected row E_QUOTE, good rows kept', () => {
    const { hotspots, rejected } = readFirmsCsv(`${MODIS_HEADER}\n${good}\n"18.8"x,98.9,330.1,1,1,2025-04-22,0325,T,80,6.1NRT,300.2,25.4,D\n${good}\n`);
    expect(hotspots.length).toBe(2);
    expect(rejected.map((r) => [r.row, r.code])).toEqual([[2, 'E_QUOTE']]);
    const open = readFirmsCsv(`${MODIS_HEADER}\n${good}\n"18.8,98.9\n`);
    expect(open.hotspots.length).toBe(1);
    expect(open.rejected.map((r) => r.code)).toEqual(['E_QUOTE']);
  });
  it('non-numeric or out-of-range coordinates: E_COORD naming the value', () => {
    const rows = [good, good.replace('18.79', 'abc'), good.replace('98.98', '181'), good.replace('18.79', '-91'), good.replace('98.98', '')];
    const { hotspots, rejected } = readFirmsCsv(`${MODIS_HEADER}\n${rows.join('\n')}`);
    expect(hotspots.length).toBe(1);
    expect(rejected.map((r) => [r.row, r.code, r.column])).toEqual([
      [2, 'E_COORD', 'latitude'],
      [3, 'E_COORD', 'longitude'],
      [4, 'E_COORD', 'latitude'],
      [5, 'E_COORD', 'longitude'],
    ]);
    expect(rejected[0]!.message).toContain('"abc"');
  });
  it('unknown date or time format: E_DATE', () => {
    const rows = [good, good.replace('2025-04-22', '22.04.2025'), good.replace('2025-04-22', '2025-02-30'), good.replace('0325', '2460'), good.replace('0325', 'noon')];
    const { hotspots, rejected } = readFirmsCsv(`${MODIS_HEADER}\n${rows.join('\n')}\n`);
    expect(hotspots.length).toBe(1);
    expect(rejected.map((r) => [r.code, r.column])).toEqual([
      ['E_DATE', 'acq_date'],
      ['E_DATE', 'acq_date'],
      ['E_DATE', 'acq_time'],
      ['E_DATE', 'acq_time'],
    ]);
  });
  it('ambiguous slash dates (spreadsheet re-saves) are rejected, year-first ones accepted', () => {
    const rows = [good, good.replace('2025-04-22', '4/5/2025'), good.replace('2025-04-22', '22/04/2025'), good.replace('2025-04-22', '2025/04/22')];
    const { hotspots, rejected } = readFirmsCsv(`${MODIS_HEADER}\n${rows.join('\n')}\n`);
    expect(hotspots.length).toBe(2);
    expect(hotspots.time[1]).toBe(hotspots.time[0]);
    expect(rejected.map((r) => [r.row, r.code, r.column])).toEqual([
      [2, 'E_DATE', 'acq_date'],
      [3, 'E_DATE', 'acq_date'],
    ]);
    expect(rejected[0]!.message).toContain('"4/5/2025"');
  });
  it('negative frp is rejected; empty frp is kept as NaN', () => {
    const { hotspots, rejected } = readFirmsCsv(`${MODIS_HEADER}\n${good.replace('25.4', '-5')}\n${good.replace('25.4', '')}\n`);
    // E_RANGE since the plausible-range rule (src/core/ranges.ts): a negative FRP is a number, just an impossible one.
    expect(rejected.map((r) => [r.row, r.code, r.column])).toEqual([[1, 'E_RANGE', 'frp']]);
    expect(rejected[0]!.message).toContain('plausible range 0..50000 MW');
    expect(hotspots.length).toBe(1);
    expect(hotspots.frp[0]).toBeNaN();
  });
  it('unknown confidence and non-numeric frp are rejected with reasons', () => {
    const { rejected } = readFirmsCsv(`${MODIS_HEADER}\n${good.replace(',80,', ',maybe,')}\n${good.replace('25.4', 'x')}\n`);
    expect(rejected.map((r) => r.code)).toEqual(['E_VALUE', 'E_NUMBER']);
  });
  it('an empty file: E_EMPTY', () => {
    expectCode(() => readFirmsCsv(''), 'E_EMPTY');
    expectCode(() => readFirmsCsv(new Uint8Array(0)), 'E_EMPTY');
    expectCode(() => readFirmsCsv(' \r\n\n'), 'E_EMPTY');
  });
  it('a binary file: E_BINARY', () => {
    const tiff = fixture('grid_4326.tif');
    expectCode(() => readFirmsCsv(tiff), 'E_BINARY');
    expectCode(() => readFirmsCsv(new Uint8Array([0x6c, 0x61, 0xff, 0xfe, 0x74])), 'E_BINARY'); // invalid UTF-8
    expectCode(() => readFirmsCsv('latitude\u0000,longitude'), 'E_BINARY');
  });
  it('missing required columns: E_COLUMNS naming them', () => {
    const e = expectCode(() => readFirmsCsv('latitude,brightness,acq_date\n1,2,2025-01-01\n'), 'E_COLUMNS');
    expect(e.message).toContain('"longitude"');
    expect(e.message).toContain('"acq_time"');
    expect(e.details?.['missing']).toEqual(['longitude', 'acq_time']);
  });
  it('a UTF-8 BOM and CRLF are handled', () => {
    const { hotspots } = readFirmsCsv(`\uFEFF${MODIS_HEADER}\r\n${good}\r\n`);
    expect(hotspots.length).toBe(1);
    expect(hotspots.daynight[0]).toBe('D');
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`${MODIS_HEADER}\r\n${good}\r\n`)]);
    expect(readFirmsCsv(bytes).hotspots.length).toBe(1);
  });
  it('bad option values throw E_ARG', () => {
    expectCode(() => readFirmsCsv(`${MODIS_HEADER}\n${good}`, { instrument: 'AVHRR' as 'MODIS' }), 'E_ARG');
  });
});
