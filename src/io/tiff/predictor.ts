/**
 * Undo the TIFF predictors in place on one decoded strip/tile (host byte order = little-endian assumed,
 * as on every platform Node and the browsers run on). @internal
 *
 * - Predictor 2 (horizontal differencing, TIFF 6.0 §14): each sample is stored as the difference from the
 *   same sample of the pixel to its left; undone by a running sum per row with integer wrap-around.
 * - Predictor 3 (floating point, Adobe Tech Note 3): each row's values are split into byte planes, most
 *   significant byte first, then differenced byte by byte; undone by a running byte sum and re-interleaving.
 */

/** Swap the bytes of every `bytes`-wide value in `buf` (big-endian file → host order). */
export function swapBytes(buf: Uint8Array, bytes: number): void {
  const n = buf.length - (buf.length % bytes);
  if (bytes === 2) {
    for (let i = 0; i < n; i += 2) {
      const a = buf[i]!;
      buf[i] = buf[i + 1]!;
      buf[i + 1] = a;
    }
  } else if (bytes === 4) {
    for (let i = 0; i < n; i += 4) {
      const a = buf[i]!;
      const b = buf[i + 1]!;
      buf[i] = buf[i + 3]!;
      buf[i + 1] = buf[i + 2]!;
      buf[i + 2] = b;
      buf[i + 3] = a;
    }
  } else if (bytes === 8) {
    for (let i = 0; i < n; i += 8) {
      for (let k = 0; k < 4; k++) {
        const a = buf[i + k]!;
        buf[i + k] = buf[i + 7 - k]!;
        buf[i + 7 - k] = a;
      }
    }
  }
}

/**
 * Undo predictor 2 on `rows` rows of `rowValues` integer values each (`bytes` wide, host order), where a
 * sample's left neighbour is `stride` values back (samples per pixel when chunky, 1 when planar).
 */
export function undoHorizontal(buf: Uint8Array, bytes: number, rows: number, rowValues: number, stride: number): void {
  const count = rows * rowValues;
  const view =
    bytes === 1 ? buf
    : bytes === 2 ? new Uint16Array(buf.buffer, buf.byteOffset, count)
    : new Uint32Array(buf.buffer, buf.byteOffset, count);
  if (bytes === 8) {
    // 64-bit integers: add as pairs of 32-bit words with carry.
    const w = new Uint32Array(buf.buffer, buf.byteOffset, count * 2);
    for (let r = 0; r < rows; r++) {
      const base = r * rowValues;
      for (let i = stride; i < rowValues; i++) {
        const j = (base + i) * 2;
        const k = (base + i - stride) * 2;
        const lo = w[j]! + w[k]!;
        w[j] = lo >>> 0;
        w[j + 1] = (w[j + 1]! + w[k + 1]! + (lo > 0xffffffff ? 1 : 0)) >>> 0;
      }
    }
    return;
  }
  if (stride === 1 && rowValues > 0) {
    // One sample per pixel (single band, or planar): a running sum in a register, no re-read of the left value.
    const wrap = bytes === 1 ? 0xff : bytes === 2 ? 0xffff : 0xffffffff;
    for (let r = 0; r < rows; r++) {
      const base = r * rowValues;
      const end = base + rowValues;
      let acc = view[base]!;
      if (bytes === 4) {
        for (let i = base + 1; i < end; i++) view[i] = acc = (acc + view[i]!) >>> 0;
      } else {
        for (let i = base + 1; i < end; i++) view[i] = acc = (acc + view[i]!) & wrap;
      }
    }
    return;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * rowValues;
    const end = base + rowValues;
    for (let i = base + stride; i < end; i++) view[i] = view[i]! + view[i - stride]!;
  }
}

/**
 * Undo predictor 3 on `rows` rows of `rowValues` floating-point values each (`bytes` wide) with byte
 * stride `stride` (samples per pixel when chunky, 1 when planar). Leaves the values in host order.
 */
export function undoFloat(buf: Uint8Array, bytes: number, rows: number, rowValues: number, stride: number): void {
  const rowBytes = rowValues * bytes;
  const tmp = new Uint8Array(rowBytes);
  // Aligned 32-bit stores when possible (one store per float32 instead of four byte stores).
  const words = bytes === 4 && buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, rows * rowValues) : null;
  for (let r = 0; r < rows; r++) {
    const off = r * rowBytes;
    // Running byte sum (wrapping) of the row, into tmp: plane 0 (most significant bytes of every value), then plane 1, …
    if (stride === 1) {
      let acc = 0;
      for (let i = 0; i < rowBytes; i++) {
        acc = (acc + buf[off + i]!) & 0xff;
        tmp[i] = acc;
      }
    } else {
      for (let i = 0; i < stride && i < rowBytes; i++) tmp[i] = buf[off + i]!;
      for (let i = stride; i < rowBytes; i++) tmp[i] = (tmp[i - stride]! + buf[off + i]!) & 0xff;
    }
    // Re-interleave as little-endian values.
    if (words !== null) {
      const p1 = rowValues;
      const p2 = 2 * rowValues;
      const p3 = 3 * rowValues;
      const w0 = r * rowValues;
      for (let v = 0; v < rowValues; v++) {
        words[w0 + v] = (tmp[v]! << 24) | (tmp[p1 + v]! << 16) | (tmp[p2 + v]! << 8) | tmp[p3 + v]!;
      }
    } else {
      for (let v = 0; v < rowValues; v++) {
        const o = off + v * bytes;
        for (let b = 0; b < bytes; b++) buf[o + b] = tmp[(bytes - 1 - b) * rowValues + v]!;
      }
    }
  }
}
