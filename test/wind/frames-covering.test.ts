/** framesCovering (binary search) against the linear scan it replaced, on random ascending axes and ranges. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { framesCovering } from '../../src/wind/fields.js';

function linear(times: Float64Array, from: number, to: number): [number, number] {
  const n = times.length;
  let k0 = 0;
  while (k0 + 1 < n && times[k0 + 1]! <= from) k0++;
  let k1 = n - 1;
  while (k1 - 1 >= 0 && times[k1 - 1]! >= to) k1--;
  if (k1 < k0) k1 = k0;
  return [k0, k1];
}

describe('framesCovering', () => {
  it('equals the linear scan: last frame at or before from, first at or after to, clamped', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 20 }),
        fc.oneof(fc.integer({ min: -60, max: 60 }), fc.constantFrom(-Infinity, Infinity)),
        fc.oneof(fc.integer({ min: -60, max: 60 }), fc.constantFrom(-Infinity, Infinity)),
        (raw, a, b) => {
          const times = Float64Array.from(raw.sort((x, y) => x - y));
          const [from, to] = a <= b ? [a, b] : [b, a];
          expect(framesCovering(times, from, to)).toEqual(linear(times, from, to));
        },
      ),
      { seed: 20261203, numRuns: 2000 },
    );
  });
});
