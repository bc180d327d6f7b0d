/**
 * cosLatitude (src/wind/cos-latitude.ts), the cosine of the 3-D Heun steps: within 1 ulp of Math.cos over every
 * latitude, Math.cos itself where it hands over (near ±π/2, beyond, NaN), and the same bits as the WebAssembly
 * stepper's copy (wasm/heun3d.ts, exported there as `cosLat`), called on the embedded module.
 */
import { describe, expect, it } from 'vitest';
import { wrapLng } from '../../src/core/geodesy.js';
import { cosLatitude } from '../../src/wind/cos-latitude.js';
import { HEUN3D_WASM_BASE64 } from '../../src/wind/heun3d-wasm.js';

/** The next double above a positive x. */
function nextUp(x: number): number {
  const f = new Float64Array([x]);
  const i = new BigInt64Array(f.buffer);
  i[0]! += 1n;
  return f[0]!;
}

/** Distance between two doubles in units in the last place of b. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  const f = new Float64Array([Math.abs(b)]);
  const i = new BigInt64Array(f.buffer);
  i[0]! += 1n;
  return Math.abs(a - b) / (f[0]! - Math.abs(b));
}

describe('cosLatitude', () => {
  it('is within 1 ulp of Math.cos on 2,000,001 latitudes from -90° to 90° (and at π/4, the switch)', () => {
    let worst = 0;
    let differ = 0;
    const n = 2_000_000;
    for (let i = 0; i <= n; i++) {
      const x = -Math.PI / 2 + (Math.PI * i) / n;
      const u = ulps(cosLatitude(x), Math.cos(x));
      if (u > 0) differ++;
      if (u > worst) worst = u;
    }
    for (const x of [Math.PI / 4, nextUp(Math.PI / 4), -Math.PI / 4, 0.7853981633974483, 1e-300, -0, 0]) worst = Math.max(worst, ulps(cosLatitude(x), Math.cos(x)));
    expect(worst).toBeLessThanOrEqual(1);
    // it is its own function: about 1 % of these differ from this engine's Math.cos by 1 ulp
    expect(differ).toBeGreaterThan(0);
    expect(cosLatitude(0)).toBe(1);
    expect(cosLatitude(Math.PI / 3)).toBeCloseTo(0.5, 15);
  });

  it('hands over to Math.cos near ±π/2, beyond, and for NaN and infinities', () => {
    for (const x of [1.5707964, -1.5707964, Math.PI / 2, -Math.PI / 2, 2, -3, 100, NaN, Infinity, -Infinity]) expect(Object.is(cosLatitude(x), Math.cos(x)), String(x)).toBe(true);
  });

  it('gives the same bits as the WebAssembly stepper on 400,000 arguments in and around [-π/2, π/2]', () => {
    const bytes = Uint8Array.from(atob(HEUN3D_WASM_BASE64), (c) => c.charCodeAt(0));
    const memory = new WebAssembly.Memory({ initial: 1 });
    const env = { memory, cos: Math.cos, log: Math.log, pow: Math.pow, exp: Math.exp, wrapLng };
    const { cosLat } = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env }).exports as { cosLat: (x: number) => number };
    let bad = 0;
    const n = 400_000;
    for (let i = 0; i <= n; i++) {
      const x = -1.7 + (3.4 * i) / n;
      if (!Object.is(cosLat(x), cosLatitude(x))) bad++;
    }
    for (const x of [0, -0, Math.PI / 4, nextUp(Math.PI / 4), 1.5707963, nextUp(1.5707963), Math.PI / 2, NaN, Infinity, 1e-310]) {
      if (!Object.is(cosLat(x), cosLatitude(x))) bad++;
    }
    expect(bad).toBe(0);
  });
});
