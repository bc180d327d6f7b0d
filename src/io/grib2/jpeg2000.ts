/**
 * JPEG 2000 code streams of GRIB2 data representation template 5.40, decoded by OpenJPEG compiled to
 * WebAssembly (`@cornerstonejs/codec-openjpeg`, loaded lazily on first use, so importing hazetrace/io stays light).
 * Browser-safe: the package's Emscripten loader fetches its `.wasm` beside its script in a browser and reads it
 * from disk in Node.
 */
import { HazetraceError } from '../../core/errors.js';

interface J2kFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}
interface J2kDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): J2kFrameInfo;
  delete?(): void;
}
interface OpenJpegModule {
  J2KDecoder: new () => J2kDecoder;
}

let modulePromise: Promise<OpenJpegModule> | null = null;

async function loadOpenJpeg(): Promise<OpenJpegModule> {
  if (!modulePromise) {
    modulePromise = (async () => {
      const spec = '@cornerstonejs/codec-openjpeg/decodewasmjs';
      const mod = (await import(spec)) as { default?: unknown };
      const factory = (mod.default ?? mod) as (opts?: object) => Promise<OpenJpegModule>;
      return factory({ print: () => undefined, printErr: () => undefined });
    })();
    modulePromise.catch(() => {
      modulePromise = null;
    });
  }
  return modulePromise;
}

/** Decode a JPEG 2000 code stream to its integer samples (one component, row-major). */
export async function decodeJpeg2000Samples(data: Uint8Array): Promise<{ width: number; height: number; samples: Float64Array }> {
  let lib: OpenJpegModule;
  try {
    lib = await loadOpenJpeg();
  } catch (e) {
    throw new HazetraceError('E_UNAVAILABLE', `GRIB2 template 5.40 (JPEG 2000) needs @cornerstonejs/codec-openjpeg, which did not load: ${e instanceof Error ? e.message : String(e)}`, { section: 5, template: 40 });
  }
  const dec = new lib.J2KDecoder();
  try {
    dec.getEncodedBuffer(data.length).set(data);
    try {
      dec.decode();
    } catch (e) {
      throw new HazetraceError('E_FORMAT', `GRIB2 section 7 (data, template 5.40 JPEG 2000): OpenJPEG cannot decode the code stream: ${e instanceof Error ? e.message : String(e)}`, { section: 7, template: 40 });
    }
    const info = dec.getFrameInfo();
    if (info.bitsPerSample > 16) {
      // the OpenJPEG build returns garbage beyond 16 bits per sample (checked against ecCodes): refuse rather than misread
      throw new HazetraceError('E_UNAVAILABLE', `GRIB2 section 7 (data, template 5.40 JPEG 2000): ${info.bitsPerSample} bits per value; the JPEG 2000 decoder reads up to 16`, { section: 7, template: 40 });
    }
    if (info.componentCount !== 1) throw new HazetraceError('E_FORMAT', `GRIB2 section 7 (data, template 5.40 JPEG 2000): ${info.componentCount} image components, expected 1`, { section: 7, template: 40 });
    const out = dec.getDecodedBuffer();
    const n = info.width * info.height;
    const samples = new Float64Array(n);
    // OpenJPEG's buffer: little-endian samples of 1, 2, 3 (17–24 bits) or 4 bytes
    const bytes = info.bitsPerSample <= 8 ? 1 : info.bitsPerSample <= 16 ? 2 : info.bitsPerSample <= 24 ? 3 : 4;
    if (out.length < n * bytes) throw new HazetraceError('E_FORMAT', `GRIB2 section 7 (data, template 5.40 JPEG 2000): decoded ${out.length} bytes for ${n} samples of ${info.bitsPerSample} bits`, { section: 7, template: 40 });
    const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
    if (bytes === 1) for (let i = 0; i < n; i++) samples[i] = info.isSigned ? dv.getInt8(i) : out[i]!;
    else if (bytes === 2) for (let i = 0; i < n; i++) samples[i] = info.isSigned ? dv.getInt16(2 * i, true) : dv.getUint16(2 * i, true);
    else if (bytes === 3) {
      for (let i = 0; i < n; i++) {
        const x = out[3 * i]! | (out[3 * i + 1]! << 8) | (out[3 * i + 2]! << 16);
        samples[i] = info.isSigned && x & 0x800000 ? x - 0x1000000 : x;
      }
    } else for (let i = 0; i < n; i++) samples[i] = info.isSigned ? dv.getInt32(4 * i, true) : dv.getUint32(4 * i, true);
    return { width: info.width, height: info.height, samples };
  } finally {
    dec.delete?.();
  }
}
