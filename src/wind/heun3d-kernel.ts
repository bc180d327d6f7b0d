/**
 * The WebAssembly Heun stepper of {@link PressureLevelWindField} (docs/wind-3d.md "Speed"): one WebAssembly
 * memory per field holds the interleaved wind array, the terrain and the axes, and the kernel (wasm/heun3d.ts,
 * embedded by scripts/build-wasm.mjs) takes the field's Heun steps with the same arithmetic, bit for bit, as
 * the JavaScript `heunSteps3d`. Where WebAssembly SIMD is missing, the module cannot be compiled synchronously
 * (older browsers refused synchronous compiles over 4 KB on the main thread; Chromium 150 compiles this module
 * synchronously, test/e2e/wind3d-browser.test.ts), or the field needs more than 4 GiB, there is no kernel and the
 * field steps in JavaScript: the same numbers, slower.
 */
import { wrapLng } from '../core/geodesy.js';
import { HEUN3D_WASM_BASE64 } from './heun3d-wasm.js';

/** Byte offsets of the kernel's memory: step results, per-node time values, sample results, then the arrays (16-byte aligned). */
const OUT_OFFSET = 64;
const X_OFFSET = 128;
const PROBE_OFFSET = 384;
const ARRAYS_OFFSET = 1024;
const PAGE = 65_536;
/** wasm32's largest memory, pages (4 GiB). */
const MAX_PAGES = 65_536;

interface KernelExports {
  init(...a: number[]): void;
  initIsa(p0: number, t0: number, lapse: number, exp: number, tropo: number, p11: number, h11: number): void;
  initSamples(mixing: number, hasW: number, pout: number): void;
  heun32(...a: number[]): number;
  heun64(...a: number[]): number;
  probe32(lng: number, lat: number, q: number, time: number, vmode: number, task: number, kz: number, hint: number): number;
  probe64(lng: number, lat: number, q: number, time: number, vmode: number, task: number, kz: number, hint: number): number;
  segment32(...a: number[]): number;
  segment64(...a: number[]): number;
}

/** The compiled module: undefined until first asked for, null when this platform cannot have it. */
let compiled: WebAssembly.Module | null | undefined;

function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
  const text = atob(HEUN3D_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  try {
    // validate first: without SIMD the module does not validate, and compiling would throw
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    // a main thread that compiles large modules only asynchronously (older browsers): later fields get the kernel
    WebAssembly.compile(bytes).then(
      (m) => {
        compiled = m;
      },
      () => {},
    );
  }
  return compiled;
}

/** The arrays a field gives the kernel, and the kernel's views of them. */
export interface Heun3dKernel {
  /** The interleaved u, v, w, height array, in the kernel's memory (the field fills it). */
  readonly packed: Float32Array | Float64Array;
  /** Terrain, m AMSL, in the kernel's memory (the field fills it). */
  readonly terrain: Float64Array;
  /** Set the field's constants once its arrays are filled. */
  init(f: Heun3dKernelInit): void;
  /** Heun steps (PressureLevelWindField.heunSteps3d); afterwards `out` holds lng, lat, q, time, steps done and `kz`, `hint` the level and time hints. */
  heun(lng: number, lat: number, q: number, time: number, dt: number, R: number, steps: number, vmode: number, reflect: boolean, hit: boolean, cU: number, cV: number, cW: number, kz: number, hint: number): number;
  readonly out: Float64Array;
  readonly hints: Int32Array;
  /**
   * One 3-D sample (PressureLevelWindField's probe3: vmode, q and task as there); afterwards `sample` holds
   * its values and `sampleHints` the level and time hints.
   */
  probe(lng: number, lat: number, q: number, time: number, vmode: number, task: number, kz: number, hint: number): number;
  readonly sample: Float64Array;
  readonly sampleHints: Int32Array;
  /**
   * The tracer's output segment: `probe` task 3 at the point into `sample`, then `heun` from it (its first
   * predictor taking the sample's wind when the sample succeeded) into `out`, hints into `hints`. Returns the
   * sample's status | the steps' status << 8.
   */
  segment(lng: number, lat: number, q: number, time: number, dt: number, R: number, steps: number, vmode: number, reflect: boolean, kz: number, hint: number): number;
}

/** The field's constants (see wasm/heun3d.ts `init`). */
export interface Heun3dKernelInit {
  nt: number;
  nx: number;
  ny: number;
  nz: number;
  west: number;
  south: number;
  invDLng: number;
  invDLat: number;
  invDt: number;
  wrapLng: boolean;
  /** No level heights: levels at standard-atmosphere heights. */
  isa: boolean;
  maxTerrain: number;
  minTopHeight: number;
  /** Standard-atmosphere height of the top level (used when `isa`). */
  topIsaHeight: number;
  /** The field has vertical motion (omega). */
  hasVerticalMotion: boolean;
  /** Mixing height m above ground, [t][row][col], or null (copied into the kernel's memory). */
  mixingHeight: ArrayLike<number> | null;
  times: Float64Array;
  gaps: Uint8Array | null;
  levels: Float64Array;
  lnP: Float64Array;
  /** isaPressurePa's constants: P0, T0, lapse, exponent, tropopause height, pressure and scale height above it. */
  isaConstants: readonly [number, number, number, number, number, number, number];
}

const align16 = (n: number): number => (n + 15) & ~15;

/**
 * A kernel for a field of `nt` frames, `nz` levels and `frame` nodes per level, its wind array Float32 or
 * Float64, with or without a mixing height; null where the platform has no kernel or the field does not fit
 * (the field then steps in JavaScript).
 */
export function createHeun3dKernel(float32: boolean, nt: number, nz: number, frame: number, mixing: boolean): Heun3dKernel | null {
  const module = kernelModule();
  if (module === null) return null;
  const elem = float32 ? 4 : 8;
  const timesAt = ARRAYS_OFFSET;
  const gapsAt = align16(timesAt + 8 * nt);
  const levelsAt = align16(gapsAt + nt);
  const lnPAt = align16(levelsAt + 8 * nz);
  const terrainAt = align16(lnPAt + 8 * nz);
  const mixingAt = align16(terrainAt + 8 * frame);
  const packedAt = align16(mixingAt + (mixing ? 8 * nt * frame : 0));
  const packedLen = nt * nz * frame * 4;
  const end = packedAt + elem * packedLen;
  const pages = Math.ceil(end / PAGE);
  if (!(pages <= MAX_PAGES)) return null;
  let memory: WebAssembly.Memory;
  let ex: KernelExports;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const env = { memory, cos: Math.cos, log: Math.log, pow: Math.pow, exp: Math.exp, wrapLng };
    ex = new WebAssembly.Instance(module, { env }).exports as unknown as KernelExports;
  } catch {
    return null; // no memory this size here, or no synchronous instantiation: step in JavaScript
  }
  const buf = memory.buffer;
  const packed = float32 ? new Float32Array(buf, packedAt, packedLen) : new Float64Array(buf, packedAt, packedLen);
  const terrain = new Float64Array(buf, terrainAt, frame);
  const out = new Float64Array(buf, OUT_OFFSET, 5);
  const hints = new Int32Array(buf, OUT_OFFSET + 40, 2);
  const sample = new Float64Array(buf, PROBE_OFFSET, 7);
  const sampleHints = new Int32Array(buf, PROBE_OFFSET + 56, 2);
  const step = float32 ? ex.heun32 : ex.heun64;
  const probe = float32 ? ex.probe32 : ex.probe64;
  const segment = float32 ? ex.segment32 : ex.segment64;
  return {
    packed,
    terrain,
    out,
    hints,
    sample,
    sampleHints,
    init(f) {
      new Float64Array(buf, timesAt, nt).set(f.times);
      if (f.gaps !== null) new Uint8Array(buf, gapsAt, f.gaps.length).set(f.gaps);
      new Float64Array(buf, levelsAt, nz).set(f.levels);
      new Float64Array(buf, lnPAt, nz).set(f.lnP);
      ex.init(
        f.nt, f.nx, f.ny, f.nz, f.west, f.south, f.invDLng, f.invDLat, f.invDt, f.wrapLng ? 1 : 0, f.isa ? 1 : 0,
        f.maxTerrain, f.minTopHeight, f.topIsaHeight,
        packedAt, terrainAt, timesAt, f.gaps === null ? 0 : gapsAt, levelsAt, lnPAt, OUT_OFFSET, X_OFFSET,
      );
      ex.initIsa(...f.isaConstants);
      if (mixing && f.mixingHeight !== null) new Float64Array(buf, mixingAt, nt * frame).set(f.mixingHeight);
      ex.initSamples(mixing && f.mixingHeight !== null ? mixingAt : 0, f.hasVerticalMotion ? 1 : 0, PROBE_OFFSET);
    },
    probe(lng, lat, q, time, vmode, task, kz, hint) {
      return probe(lng, lat, q, time, vmode, task, kz, hint);
    },
    segment(lng, lat, q, time, dt, R, steps, vmode, reflect, kz, hint) {
      return segment(lng, lat, q, time, dt, R, steps, vmode, reflect ? 1 : 0, kz, hint);
    },
    heun(lng, lat, q, time, dt, R, steps, vmode, reflect, hit, cU, cV, cW, kz, hint) {
      return step(lng, lat, q, time, dt, R, steps, vmode, reflect ? 1 : 0, hit ? 1 : 0, cU, cV, cW, kz, hint);
    },
  };
}
