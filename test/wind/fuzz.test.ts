/**
 * The wind readers' fuzzers (bench/fuzz-wind.ts) on a small seeded sample: ~200 inputs per reader (openWind on
 * NetCDF 3, NetCDF 4/HDF5, GeoTIFF pairs and point CSV; readWindCsv; readTdump). Only a result or a HazetraceError
 * is acceptable; the full 10,000-per-reader run is `npm run bench:fuzz-wind`.
 */
import { describe, expect, it } from 'vitest';
import { fuzzWind } from '../../bench/fuzz-wind.js';

describe('wind readers under fuzzing (seeded, small)', () => {
  it('200 inputs per reader: results or HazetraceError only, and both outcomes occur', { timeout: 180_000 }, async () => {
    const reports = await fuzzWind(200, 4242);
    expect(reports.map((r) => r.reader)).toEqual(['openWind NetCDF3', 'openWind NetCDF4/HDF5', 'openWind GeoTIFF pair', 'openWind point CSV', 'readWindCsv', 'readTdump']);
    for (const r of reports) {
      expect({ reader: r.reader, untyped: r.untyped, examples: r.examples }).toEqual({ reader: r.reader, untyped: 0, examples: [] });
      expect(r.inputs).toBe(200);
      // the generators reach both sides: some inputs read, some rejected
      const errors = Object.values(r.hazetrace).reduce((s, k) => s + k, 0);
      expect(r.returned + errors).toBe(200);
      expect(errors).toBeGreaterThan(0);
      expect(r.returned).toBeGreaterThan(0);
    }
  });
});
