/**
 * The reader fuzzer (bench/fuzz-readers.ts) at a size the suite can afford: 200 seeded inputs per reader
 * (mutated fixtures, forged GeoTIFF headers, random bytes). Every call must return a result whose counts
 * add up or throw a HazetraceError; the full run (10,000 per reader) is `npm run bench:fuzz`.
 */
import { describe, expect, it } from 'vitest';
import { fuzzReaders } from '../../bench/fuzz-readers.js';

describe('reader fuzzing (small, seeded)', () => {
  it('200 inputs per reader: only results or HazetraceError, counts add up', { timeout: 120_000 }, async () => {
    const reports = await fuzzReaders(200, 5);
    expect(reports.map((r) => r.reader)).toEqual([
      'FIRMS CSV', 'FIRMS GeoJSON', 'station series CSV', 'stations CSV', 'points CSV', 'GeoJSON layer', 'GeoTIFF bytes', 'CSV tokenizer',
    ]);
    for (const r of reports) {
      expect(r.inputs, r.reader).toBe(200);
      expect({ reader: r.reader, untyped: r.untypedExceptions, violations: r.invariantViolations, examples: r.examples }).toEqual({ reader: r.reader, untyped: 0, violations: 0, examples: [] });
      // The generator must reach both outcomes, or the property is vacuous.
      expect(r.returned, `${r.reader}: no input was accepted`).toBeGreaterThan(0);
    }
    expect(reports.filter((r) => Object.keys(r.hazetraceErrors).length > 0).length).toBeGreaterThanOrEqual(7);
  });
});
