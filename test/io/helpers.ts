import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { HazetraceError } from '../../src/core/errors.js';
import { getSyncInflate, setSyncInflate } from '../../src/io/tiff/inflate.js';
import { nodeInflate } from '../../src/node/inflate.js';
import { SHARED_DATA } from '../shared-data.js';

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/io');
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A fixture's bytes (as a Node Buffer, i.e. a Uint8Array view). */
export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** The shared real-data folder, or null when absent (tests using it skip). */
export function sharedData(): string | null {
  return SHARED_DATA ?? null;
}

/** Run fn, expect a HazetraceError with `code`; returns it. */
export function expectCode(fn: () => unknown, code: string): HazetraceError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof HazetraceError)) throw new Error(`expected HazetraceError ${code}, got ${String(e)}`);
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected HazetraceError ${code}, nothing thrown`);
}

export async function expectCodeAsync(p: Promise<unknown>, code: string): Promise<HazetraceError> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof HazetraceError)) throw new Error(`expected HazetraceError ${code}, got ${String(e)}`);
    if (e.code !== code) throw new Error(`expected code ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  throw new Error(`expected HazetraceError ${code}, nothing thrown`);
}

/**
 * Inside the calling `describe`: read GeoTIFFs with the stock DecompressionStream (no synchronous inflater, as in a
 * browser), restoring the inflater afterwards.
 */
export function useStockDecompression(): void {
  let saved: ReturnType<typeof getSyncInflate> = null;
  beforeAll(() => {
    saved = getSyncInflate();
    setSyncInflate(null);
  });
  afterAll(() => setSyncInflate(saved ?? nodeInflate));
}
