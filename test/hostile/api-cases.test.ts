/**
 * Hostile-input corpus, public API part: named cases of wrong-but-confident API behaviour (a call that
 * used to return a plausible-looking answer, or crash with a TypeError, for an argument that makes no
 * sense). Each case asserts the exact outcome: the HazetraceError code (and the argument the message
 * names) or the value returned.
 *
 *   npx vitest run test/hostile/api-cases.test.ts
 */
import { describe, expect, it } from 'vitest';
import {
  countBurnPeriods,
  createRng,
  encodeLabels,
  haversine,
  lowerBound,
  median,
  parseUtcOffset,
  seasonYear,
  seasonYearOf,
  showValue,
  HazetraceError,
  type Hotspots,
} from '../../src/core/index.js';
import { CellTable, GeoIndex, fastLatLngToCell, hiLoToString } from '../../src/grid/index.js';
import { adjustedRandIndex, countBy, coveredFraction, episodeTrajectoriesToGeoJson, hotspotSources, mergeSources, repeatBurnAreas, sourcesToGeoJson, subsetTrajectories } from '../../src/attribution/index.js';
import { buildScenario, discRing, emissionInHour, spearman, topKRecall, twinAttributeArgs, userSourceTruth } from '../../src/sim/index.js';
import { columnarToJSON } from '../../src/io/index.js';
import { cellAreasKm2, cellCentres, riskLevel } from '../../src/risk/index.js';
import { getTrajectory, traceTrajectories, uniformWind } from '../../src/wind/index.js';
import { expectHazetraceErrorSync } from './helpers.js';

/** The named argument of an E_ARG error. */
const argOf = (e: HazetraceError): unknown => e.details?.['argument'];

const hotspots = (n: number): Hotspots => ({
  length: n,
  lng: Float64Array.from({ length: n }, (_, i) => 99 + i * 0.01),
  lat: Float64Array.from({ length: n }, () => 18.5),
  time: Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 2, 1 + i)),
  frp: Float64Array.from({ length: n }, () => 10),
  confidence: Array.from({ length: n }, () => 'n'),
  extra: {},
}) as unknown as Hotspots;

const set = traceTrajectories(uniformWind({ u: 3, v: 0 }), [{ lng: 99, lat: 18, time: Date.UTC(2025, 2, 1) }], { hours: 3 });

describe('hostile API: wrong-but-confident calls', () => {
  it('wrong but confident: riskLevel(NaN) is an E_ARG, not "very high"', () => {
    expect(argOf(expectHazetraceErrorSync(() => riskLevel(NaN), 'E_ARG'))).toBe('score');
  });

  it('wrong but confident: median("123") rejects a string instead of reading its characters as numbers', () => {
    expect(argOf(expectHazetraceErrorSync(() => median('123' as unknown as number[]), 'E_ARG'))).toBe('values');
  });

  it('wrong but confident: encodeLabels("aab") rejects a string instead of encoding its characters', () => {
    expect(argOf(expectHazetraceErrorSync(() => encodeLabels('aab' as unknown as string[]), 'E_ARG'))).toBe('values');
  });

  it('wrong but confident: haversine with a string coordinate is E_ARG, not a coerced distance', () => {
    expect(argOf(expectHazetraceErrorSync(() => haversine('99' as unknown as number, 18, 100, 18), 'E_ARG'))).toBe('lng1');
  });

  it('wrong but confident: lowerBound on a plain object is E_ARG, not index 0', () => {
    expect(argOf(expectHazetraceErrorSync(() => lowerBound({} as unknown as number[], 1), 'E_ARG'))).toBe('sorted');
  });

  it('wrong but confident: seasonYear("2024-11-15") is E_ARG, not a NaN year from string concatenation', () => {
    expect(argOf(expectHazetraceErrorSync(() => seasonYear('2024-11-15' as unknown as number), 'E_ARG'))).toBe('time');
    expect(seasonYear(NaN)).toBeNaN(); // documented: a NaN time gives NaN
  });

  it('wrong but confident: coveredFraction with a NaN start is E_ARG, not 0 % covered', () => {
    expect(argOf(expectHazetraceErrorSync(() => coveredFraction([[0, 10]], NaN, 5), 'E_ARG'))).toBe('start');
  });

  it('wrong but confident: cellAreasKm2 of an invalid cell id is E_ARG, not 4.1 million km²', () => {
    expect(argOf(expectHazetraceErrorSync(() => cellAreasKm2(['zzz']), 'E_ARG'))).toBe('cells[0]');
  });

  it('wrong but confident: cellCentres of an invalid cell id is E_ARG, not a point in the Arctic', () => {
    expect(argOf(expectHazetraceErrorSync(() => cellCentres(['85283473fffffff', 'not-a-cell']), 'E_ARG'))).toBe('cells[1]');
  });

  it('mismatched lengths: hotspotSources with a short lng column is E_ARG, not sources at undefined coordinates', () => {
    const h = { ...hotspots(2), lng: new Float64Array([99]) };
    const e = expectHazetraceErrorSync(() => hotspotSources(h), 'E_ARG');
    expect(e.message).toBe('hotspots.lng has 1 values but hotspots.length is 2');
  });

  it('mismatched lengths: repeatBurnAreas with a short time column names the column, not options.minYears', () => {
    const h = { ...hotspots(3), time: new Float64Array([Date.UTC(2024, 2, 1)]) };
    expect(argOf(expectHazetraceErrorSync(() => repeatBurnAreas(h), 'E_ARG'))).toBe('hotspots.time');
  });

  it('mismatched lengths: spearman of 3 and 2 values is E_ARG, not NaN', () => {
    expect(argOf(expectHazetraceErrorSync(() => spearman([1, 2, 3], [1, 2]), 'E_ARG'))).toBe('b');
  });

  it('mismatched lengths: adjustedRandIndex of labelings of different length is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => adjustedRandIndex([1, 2], [1]), 'E_ARG'))).toBe('b');
  });

  it('mismatched lengths: GeoIndex with 2 longitudes and 1 latitude is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => new GeoIndex([99, 100], [18]), 'E_ARG'))).toBe('lat');
  });

  it('mismatched lengths: countBurnPeriods with fewer periods than keys is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => countBurnPeriods(['a', 'b'], [2020]), 'E_ARG'))).toBe('periods');
  });

  it('res out of range: fastLatLngToCell at res 16 is E_ARG, not an h3-js Error', () => {
    expect(argOf(expectHazetraceErrorSync(() => fastLatLngToCell(18.79, 98.98, 16), 'E_ARG'))).toBe('res');
  });

  it('res out of range: fastLatLngToCell(NaN, …) is E_ARG, not "Latitude or longitude arguments were outside of acceptable range"', () => {
    expect(argOf(expectHazetraceErrorSync(() => fastLatLngToCell(NaN, 98.98, 7), 'E_ARG'))).toBe('lat');
  });

  it('out of range: new CellTable(1e400) is E_ARG, not RangeError: Invalid typed array length', () => {
    expect(argOf(expectHazetraceErrorSync(() => new CellTable(1e400), 'E_ARG'))).toBe('expected');
  });

  it('out of range: discRing with 2 vertices is E_ARG, not a degenerate ring', () => {
    expect(argOf(expectHazetraceErrorSync(() => discRing(99, 18, 10, 2), 'E_ARG'))).toBe('n');
  });

  it('out of range: topKRecall with k = -1 is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => topKRecall([1, 2], [1, 2], -1), 'E_ARG'))).toBe('k');
  });

  it('out of range: subsetTrajectories with an index past the set is E_ARG, not a set with NaN offsets', () => {
    expect(argOf(expectHazetraceErrorSync(() => subsetTrajectories(set, [5]), 'E_ARG'))).toBe('which[]');
  });

  it('out of range: getTrajectory(set, 1) of a one-trajectory set is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => getTrajectory(set, 1), 'E_ARG'))).toBe('i');
  });

  it('out of range: emissionInHour for a source index past the table is E_ARG, not NaN', () => {
    const sc = buildScenario({ hours: 24, facilities: [{ lng: 99.7, lat: 18.3, emissionKgPerHour: 100 }] });
    expect(argOf(expectHazetraceErrorSync(() => emissionInHour(sc.sources, sc.sources.length, sc.config.startMs, '+07:00'), 'E_ARG'))).toBe('i');
  });

  it('out of range: parseUtcOffset("+25:00") is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => parseUtcOffset('+25:00'), 'E_ARG'))).toBe('utcOffset');
  });

  it('bad seed: createRng(NaN) is E_ARG, not a generator that silently equals seed 0', () => {
    expect(argOf(expectHazetraceErrorSync(() => createRng(NaN), 'E_ARG'))).toBe('seed');
  });

  it('bad seed: createRng("42") is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => createRng('42' as unknown as number), 'E_ARG'))).toBe('seed');
  });

  it('empty input: mergeSources() with no layers is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => mergeSources(), 'E_ARG'))).toBe('layers');
  });

  it('empty input: sourcesToGeoJson of a result without episodes is E_ARG naming result.episodes', () => {
    expect(argOf(expectHazetraceErrorSync(() => sourcesToGeoJson({} as never), 'E_ARG'))).toBe('result.episodes');
  });

  it('wrong type option: countBy(layer, "bogus") is E_ARG, not an object of undefined counts', () => {
    const layer = hotspotSources(hotspots(2));
    expect(countBy(layer, 'kind')).toEqual({ hotspot: 2 });
    expect(argOf(expectHazetraceErrorSync(() => countBy(layer, 'bogus' as 'kind'), 'E_ARG'))).toBe('column');
  });

  it('wrong type option: episodeTrajectoriesToGeoJson(r, "median") is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => episodeTrajectoriesToGeoJson({ episodes: [] }, 'median' as 'all'), 'E_ARG'))).toBe('which');
  });

  it('wrong type option: seasonYearOf(null) is E_ARG, not TypeError', () => {
    expect(argOf(expectHazetraceErrorSync(() => seasonYearOf(null as never), 'E_ARG'))).toBe('options');
  });

  it('wrong type option: twinAttributeArgs with facilities "yes" is E_ARG', () => {
    expect(argOf(expectHazetraceErrorSync(() => twinAttributeArgs('d', 'o', { facilities: 'yes' as unknown as boolean }), 'E_ARG'))).toBe('o.facilities');
  });

  it('crash: userSourceTruth on a non-setup is E_ARG, not "Cannot read properties of undefined"', () => {
    expect(argOf(expectHazetraceErrorSync(() => userSourceTruth({} as never, {}), 'E_ARG'))).toBe('setup.scenario');
  });

  it('crash: hiLoToString(Symbol) is E_ARG, not "Cannot convert a Symbol value to a number"', () => {
    expect(argOf(expectHazetraceErrorSync(() => hiLoToString(Symbol('x') as unknown as number, 0), 'E_ARG'))).toBe('hi');
  });

  it('crash: showValue(Symbol) renders the symbol instead of throwing', () => {
    expect(showValue(Symbol('garbage'))).toBe('Symbol(garbage)');
  });

  it('deep nesting: columnarToJSON of a 20,000-deep array is E_INPUT, not a stack overflow', () => {
    let o: unknown = 1;
    for (let i = 0; i < 20_000; i++) o = [o];
    expect(argOf(expectHazetraceErrorSync(() => columnarToJSON(o), 'E_INPUT'))).toBe('value');
    expect(columnarToJSON([[1, NaN]])).toEqual([[1, null]]);
  });
});
