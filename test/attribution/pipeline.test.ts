import { describe, expect, it } from 'vitest';
import { attributeSeries, combinedBands, coveredFraction, detectEpisodes, hotspotCoverage, seriesEpisodes } from '../../src/attribution/index.js';
import { uniformWind } from '../../src/wind/index.js';
import type { Hotspots, StationSeries, Stations } from '../../src/core/index.js';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2025, 3, 20);

function hotspots(rows: [number, number, number, number][]): Hotspots {
  const n = rows.length;
  const f = (k: number): Float64Array => Float64Array.from(rows, (r) => r[k] as number);
  return {
    length: n, lng: f(0), lat: f(1), time: f(2), frp: f(3), brightness: new Float64Array(n).fill(NaN), brightness2: new Float64Array(n).fill(NaN),
    scan: new Float64Array(n).fill(1), track: new Float64Array(n).fill(1), confidence: rows.map(() => 'h'), confidenceNorm: new Float64Array(n).fill(1),
    satellite: rows.map(() => 'T'), instrument: rows.map(() => 'MODIS'), daynight: rows.map(() => 'D'), version: rows.map(() => '6.1'), extra: {},
  };
}
const stations: Stations = { length: 1, id: ['s1'], name: ['S1'], lng: Float64Array.of(99), lat: Float64Array.of(18.8), extra: {} } as unknown as Stations;
/** Daily means (day-start basis) at s1: clean, then a peak on day 2 and another on day 12. */
function series(): { series: StationSeries; timeBasis: 'day-start' } {
  const vals = Array.from({ length: 16 }, (_, d) => (d === 2 || d === 12 ? 80 : 10));
  return { series: { length: 16, station: vals.map(() => 's1'), time: Float64Array.from(vals, (_, d) => T0 + d * D - 7 * H), values: { pm25_ugm3: Float64Array.from(vals) } } as unknown as StationSeries, timeBasis: 'day-start' };
}

describe('coverage', () => {
  it('hotspotCoverage fills quiet gaps of up to 3 days, not longer ones', () => {
    const iv = hotspotCoverage({ time: [T0 + H, T0 + 3 * D + H, T0 + 10 * D + H] });
    expect(iv).toEqual([[T0, T0 + 4 * D], [T0 + 10 * D, T0 + 11 * D]]);
    expect(hotspotCoverage({ time: [T0] }, { period: [T0 - D, T0 + D] })).toEqual([[T0 - D, T0 + D]]);
  });
  it('coveredFraction: hand cases', () => {
    expect(coveredFraction([[0, 10], [20, 30]], 5, 25)).toBeCloseTo(0.5, 12);
    expect(coveredFraction([[0, 10]], 20, 30)).toBe(0);
    expect(coveredFraction([[0, 10]], 5, 5)).toBe(1);
  });
});

describe('attributeSeries', () => {
  // Fires only on days 0..3, north of the station; the wind blows from the north.
  const fires = hotspots(Array.from({ length: 8 }, (_, i) => [99, 19.2, T0 + Math.floor(i / 2) * D + 6 * H, 30] as [number, number, number, number]));
  const wind = uniformWind({ speed: 3, directionFrom: 0, timeRange: [T0 - 10 * D, T0 + 30 * D] } as Parameters<typeof uniformWind>[0]);

  it('attributes the episode the fire file covers and marks the other insufficient-data with the reason', () => {
    const r = attributeSeries({ hotspots: fires, series: series(), stations, wind }, { calibrate: false });
    expect(r.episodes.map((e) => e.status)).toEqual(['attributed', 'insufficient-data']);
    expect(r.episodes[1]!.reason).toMatch(/hotspot data cover 0 % of the back-trajectory window/);
    expect(r.episodes[0]!.coverage.hotspots).toBeGreaterThan(0.5);
    expect(r.episodes[1]!.sources).toEqual([]);
    const c = r.contract();
    expect(c.episodes.length).toBe(1);
    expect(c.unattributed).toEqual([expect.objectContaining({ station: 's1', status: 'insufficient-data' })]);
    expect(c.warnings.some((w) => /^1× insufficient-hotspots: /.test(w))).toBe(true);
    // Never "100 % something" for an episode without data: it has no shares at all.
    expect(Object.keys(r.episodes[1]!.sharesByCategory)).toEqual([]);
  });

  it('is deterministic: same inputs and seed, same bytes', () => {
    const a = JSON.stringify(attributeSeries({ hotspots: fires, series: series(), stations, wind }, { calibrate: false }).toJSON());
    const b = JSON.stringify(attributeSeries({ hotspots: fires, series: series(), stations, wind }, { calibrate: false }).toJSON());
    expect(a).toBe(b);
  });

  it('uses a random-walk ensemble on a uniform (or point) wind and says why', () => {
    const r = attributeSeries({ hotspots: fires, series: series(), stations, wind }, { calibrate: false });
    expect(r.settings.ensemble).toBe('random-walk');
    expect(r.settings.ensembleReason).toMatch(/uniform/);
    const off = attributeSeries({ hotspots: fires, series: series(), stations, wind }, { calibrate: false, ensemble: 'offset' });
    expect(off.settings.ensemble).toBe('offset');
  });

  it('reports the calibration fallback when there are too few observations to fit', () => {
    const r = attributeSeries({ hotspots: fires, series: series(), stations, wind }, {});
    expect(r.calibration.mode).toBe('defaults');
    expect(r.calibration.fallback).toBeTruthy();
    expect(r.warnings.some((w) => w.kind === 'calibration')).toBe(true);
    const given = attributeSeries({ hotspots: fires, series: series(), stations, wind }, { scales: { fire_other: 5 } });
    expect(given.calibration.mode).toBe('given');
  });

  it('unseen burning: repeat-burn areas also become steady sources of their own category (off on request)', () => {
    const areas = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[98.8, 19.1], [99.2, 19.1], [99.2, 19.4], [98.8, 19.4], [98.8, 19.1]]] } }] };
    const on = attributeSeries({ hotspots: fires, series: series(), stations, wind, areas }, { calibrate: false });
    const cats = new Set(on.sources.category);
    expect(cats.has('repeat_burn_unseen')).toBe(true);
    expect(cats.has('fire_repeat_burn')).toBe(true);
    const unseenRows = on.sources.category.filter((c) => c === 'repeat_burn_unseen').length;
    expect(unseenRows).toBeGreaterThan(1); // one row per H3 res-6 cell inside the area
    expect(on.episodes[0]!.sharesByCategory['repeat_burn_unseen']?.share).toBeGreaterThan(0);
    const off = attributeSeries({ hotspots: fires, series: series(), stations, wind, areas }, { calibrate: false, unseenBurning: false });
    expect(new Set(off.sources.category).has('repeat_burn_unseen')).toBe(false);
  });

  it('rejects a region property no feature has, listing the available ones', () => {
    const regions = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { iso: 'THA' }, geometry: { type: 'Polygon', coordinates: [[[98, 18], [100, 18], [100, 20], [98, 20], [98, 18]]] } }] };
    expect(() => attributeSeries({ hotspots: fires, series: series(), stations, wind, regions }, { calibrate: false })).toThrow(/no feature has the property "iso_a3" \(available: iso\)/);
  });

  it('reuses the season\'s source layer and episodes between calls on the same inputs, and never a stale one', () => {
    const ser = series();
    const box = (iso: string) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { iso_a3: iso }, geometry: { type: 'Polygon', coordinates: [[[98, 18], [100, 18], [100, 20], [98, 20], [98, 18]]] } }] });
    const tha = box('THA');
    const run = (regions: ReturnType<typeof box>, threshold = 37.5) => JSON.stringify(attributeSeries({ hotspots: fires, series: ser, stations, wind, regions }, { calibrate: false, threshold }).toJSON());
    const first = run(tha);
    // the same objects again: the cached layer and episodes give the same bytes
    expect(run(tha)).toBe(first);
    // other regions on the same hotspots object: a new layer, so the country changes
    const mmr = run(box('MMR'));
    expect(mmr).toContain('"region":"MMR"');
    expect(mmr).not.toContain('"region":"THA"');
    expect(first).toContain('"region":"THA"');
    expect(run(tha)).toBe(first);
    // another threshold on the same series object: episodes detected again (80 µg/m³ days are not above 90)
    const high = JSON.parse(run(tha, 90)) as { episodes: unknown[] };
    expect(high.episodes.length).toBe(0);
    expect(run(tha)).toBe(first);
    // a caller changing a returned episode does not change the next call's
    const r = attributeSeries({ hotspots: fires, series: ser, stations, wind, regions: tha }, { calibrate: false });
    r.episodes[0]!.episode.peakValue = -1;
    expect(run(tha)).toBe(first);
  });

  it('seriesEpisodes gives the episodes attributeSeries chooses from (its defaults, its cache, copies)', () => {
    const ser = series();
    const eps = seriesEpisodes(ser);
    expect(eps.episodes).toEqual(detectEpisodes(ser, { threshold: 37.5, averaging: 'auto', utcOffset: '+07:00' }).episodes);
    expect(eps.episodes.length).toBe(2);
    const r = attributeSeries({ hotspots: fires, series: ser, stations, wind }, { calibrate: false });
    expect(r.episodes.map((e) => e.episode)).toEqual(eps.episodes);
    // a changed copy does not reach the run; other options detect again
    eps.episodes[0]!.peakValue = -1;
    expect(attributeSeries({ hotspots: fires, series: ser, stations, wind }, { calibrate: false }).episodes[0]!.episode.peakValue).toBe(80);
    expect(seriesEpisodes(ser, { threshold: 90 }).episodes.length).toBe(0);
    expect(() => seriesEpisodes(null as never)).toThrow(/series/);
  });
});

describe('combinedBands', () => {
  const e = {
    memberScores: { categories: ['fire_other', 'facility'], regions: ['THA', 'MMR'], members: 1, scores: Float64Array.of(3, 1, 0, 0) },
    sharesByCategory: { fire_other: { share: 1, low: 1, high: 1, min: 1, max: 1 } },
    sharesByRegion: { THA: { share: 0.75, low: 0.75, high: 0.75, min: 0.75, max: 0.75 }, MMR: { share: 0.25, low: 0.25, high: 0.25, min: 0.25, max: 0.25 } },
    crossBorder: { share: 0.25, low: 0.25, high: 0.25, min: 0.25, max: 0.25 },
  };
  it('collapses to the point share with one member, no calibration spread and no detection noise', () => {
    const b = combinedBands(e, { detectionSigma: 0, domesticRegion: 'THA' });
    expect(b.sharesByRegion['THA']!.low).toBeCloseTo(0.75, 12);
    expect(b.sharesByRegion['THA']!.high).toBeCloseTo(0.75, 12);
    expect(b.crossBorder!.low).toBeCloseTo(0.25, 12);
  });
  it('widens with two categories in two regions under detection noise, and keeps the point share', () => {
    const two = { ...e, memberScores: { ...e.memberScores, scores: Float64Array.of(3, 0, 0, 1) }, sharesByCategory: { fire_other: { share: 0.75, low: 0.75, high: 0.75, min: 0.75, max: 0.75 }, facility: { share: 0.25, low: 0.25, high: 0.25, min: 0.25, max: 0.25 } } };
    const b = combinedBands(two, { detectionSigma: 0.5, domesticRegion: 'THA', seed: 3 });
    expect(b.sharesByCategory['facility']!.share).toBe(0.25);
    expect(b.sharesByCategory['facility']!.low).toBeLessThan(0.25);
    expect(b.sharesByCategory['facility']!.high).toBeGreaterThan(0.25);
    expect(b.crossBorder!.low).toBeCloseTo(b.sharesByCategory['facility']!.low, 12);
  });
});
