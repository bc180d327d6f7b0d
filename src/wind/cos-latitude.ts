/**
 * A cosine for latitudes that gives the same bits everywhere: in every JavaScript engine and in the WebAssembly
 * stepper (wasm/heun3d.ts has the same operations in the same order). `Math.cos` is the host's own (V8 has changed
 * its implementation between versions), and calling it from WebAssembly costs an import call on every step (a
 * fifth of a 3-D trajectory's time on bench:trace3d), so the 3-D Heun stepper uses this instead.
 *
 * Method (the classic one of fdlibm, Sun Microsystems 1993, as in most C libraries): for |x| ≤ π/4 the even
 * minimax polynomial of cos, with 1 − x²/2 formed so its rounding error is compensated; for π/4 < |x| ≤ π/2,
 * cos x = sin(π/2 − |x|) with π/2 split into a 33-bit head and a tail so π/2 − |x| is exact to about 2⁻¹⁰⁰, and the
 * odd minimax polynomial of sin with that tail. The coefficients are the published ones of fdlibm's
 * `__kernel_cos` / `__kernel_sin`. Error under 1 ulp (test/wind/cos-latitude.test.ts compares with `Math.cos`).
 * Within 2.7e-8 rad of ±π/2, outside [−π/2, π/2] (not a latitude) and for NaN it returns `Math.cos(x)` (the
 * WebAssembly stepper imports it for those), so the two still agree.
 */

const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.08757232129817482790e-9;
const C6 = -1.13596475577881948265e-11;
const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;
/** π/2: its first 33 bits (so head − x is exact for x in [π/4, π/2]) and the rest. */
const PIO2_HI = 1.57079632673412561417;
const PIO2_LO = 6.07710050650619224932e-11;
const PIO4 = 0.7853981633974483;
/** Up to here (π/2 − 2.7e-8, 89.9999985°) the two-part π/2 keeps the result within 1 ulp; beyond, `Math.cos`. */
const PIO2_NEAR = 1.5707963;

/** cos x for a latitude x in radians (|x| ≤ π/2), the same bits in JavaScript and in the WebAssembly stepper. Internal. */
export function cosLatitude(x: number): number {
  const a = Math.abs(x);
  if (a <= PIO4) {
    const z = x * x;
    const w = z * z;
    const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
    const hz = 0.5 * z;
    const u = 1 - hz;
    return u + ((1 - u - hz) + z * r);
  }
  if (a <= PIO2_NEAR) {
    // y + t = π/2 − a: y the rounded sum, t what rounding left out
    const d = PIO2_HI - a;
    const y = d + PIO2_LO;
    const t = PIO2_LO - (y - d);
    const z = y * y;
    const w = z * z;
    const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
    const v = z * y;
    return y - ((z * (0.5 * t - v * r) - t) - v * S1);
  }
  return Math.cos(x);
}
