/**
 * Node's zlib for the fast GeoTIFF path: importing hazetrace/node installs `inflateSync` as the
 * synchronous deflate decoder of `readGeoTiff`/`readGeoTiffFile` (the browser-safe core cannot import
 * node:zlib itself; without this it uses the async `DecompressionStream`). @internal
 */
import { inflateSync } from 'node:zlib';
import { setSyncInflate } from '../io/tiff/inflate.js';

/** Inflate one zlib stream (TIFF deflate strip/tile) with Node's zlib. @internal */
export function nodeInflate(data: Uint8Array, expected: number): Uint8Array {
  // A generous output cap keeps a forged block from inflating without bound. One output chunk a little larger
  // than the block saves zlib's default 16 KB chunks and their concatenation.
  return inflateSync(data, { maxOutputLength: Math.max(expected, 1) * 2 + 1024, chunkSize: Math.max(64, expected + 64) });
}

setSyncInflate(nodeInflate);
